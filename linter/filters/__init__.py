"""What happens to findings after the rules.

Inline suppressions, the baseline, and the changed-files view of pre-commit.
"""
