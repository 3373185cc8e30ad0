"""Terraform front end: HCL and JSON syntax, plan JSON, and an evaluator that works like Terraform."""
