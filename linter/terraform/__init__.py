"""Terraform: HCL and JSON syntax, plan JSON, and an evaluator that works the way Terraform does."""
