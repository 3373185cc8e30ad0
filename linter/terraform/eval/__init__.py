"""Terraform evaluation: the module and resource graph, expressions, functions and values."""
