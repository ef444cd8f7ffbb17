"""The commands of `shuangfu` that live outside cli.py (which builds the app and registers
them): each parses its options, calls one core function and maps failures to a message and an
exit code."""
