"""Declarations validated against the schemas, built into the model and its configurations."""
