"""Development helpers that are not shipped: plausible figures for the sample returns, the
tests and the benchmarks."""
