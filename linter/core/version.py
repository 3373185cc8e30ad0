"""The version of baa-lint (read by the build from here) and where the project lives."""

__version__ = "0.1.0"

# The one canonical address of the project: the SARIF driver, the rule documentation links and
# pyproject's [project.urls] are derived from it (tests/test_packaging.py checks they agree).
PROJECT_URL = "https://github.com/baa-lint/baa-lint"
# Each rule's page, generated from the rule metadata (python -m tests.update_rule_docs).
RULE_DOCS_URL = f"{PROJECT_URL}/blob/main/docs/rules"


def rule_doc_url(code: str) -> str:
    """The address of a rule's documentation page, e.g. ``.../docs/rules/BAA001.md``."""
    return f"{RULE_DOCS_URL}/{code}.md"
