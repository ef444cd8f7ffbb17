"""Words and the small text helpers every wing uses: one sanitiser per output channel."""
