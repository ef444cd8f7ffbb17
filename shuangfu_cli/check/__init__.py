"""Checking: one return against every rule, many returns in workers a bad file cannot bring
down, explanations matched with findings, and the run-level checks against peers."""
