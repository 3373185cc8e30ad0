"""The rules: one registry, the runner that applies them to every subject, and the rule modules."""
