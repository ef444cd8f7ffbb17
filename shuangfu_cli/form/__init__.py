"""The form: its layout (from the schemas), the values towns type, findings as data, and the
reference data (indicators.yaml, towns.yaml)."""
