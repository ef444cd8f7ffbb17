"""The command line: one module per command on a shared app, options, usage messages and how
a command writes its outputs."""
