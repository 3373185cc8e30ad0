"""docs/rules/ says what the rule metadata says, and every link to it points at a page."""

from __future__ import annotations

import json

from click.testing import CliRunner

from linter.cli import cli
from linter.core.version import PROJECT_URL, RULE_DOCS_URL
from linter.output.rule_docs import Example, rule_page
from linter.rules.base import Rule
from linter.rules.registry import RULES
from tests.update_rule_docs import DOCS, ROOT, expected_pages

REGENERATE = "docs/rules/ is out of date; regenerate it: python -m tests.update_rule_docs"


def test_rule_pages_match_the_rule_metadata_byte_for_byte() -> None:
    wanted = expected_pages()
    present = {p.name for p in DOCS.glob("*.md")}
    assert present == set(wanted), REGENERATE
    for name, text in wanted.items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, f"{name}: {REGENERATE}"


def test_every_rule_has_a_page_at_its_doc_url() -> None:
    assert RULE_DOCS_URL.startswith(PROJECT_URL + "/blob/main/")
    docs_path = RULE_DOCS_URL.removeprefix(PROJECT_URL + "/blob/main/")
    for rule in RULES:
        assert rule.doc_url == f"{RULE_DOCS_URL}/{rule.code}.md"
        page = ROOT / docs_path / f"{rule.code}.md"
        assert page.is_file(), rule.code
        assert page.read_text(encoding="utf-8").count(f"# {rule.code} {rule.slug}\n") == 1


def test_page_shows_the_metadata_and_a_fence_no_example_can_close() -> None:
    rule = Rule("BAA999", "made-up", RULES[0].severity, "A made-up rule", "Why.\n", "model")
    example = Example("examples/rules/x", (("a.yaml", "text: |\n  ```\n  inside\n"),), (), "out\n")
    page = rule_page(rule, example)
    assert "| BAA999 | made-up | error | yes |" in page
    assert "A made-up rule.\n\nWhy.\n" in page
    assert "````yaml\ntext: |\n  ```\n  inside\n````\n" in page
    assert "`baa-lint examples/rules/x` prints:" in page


def test_a_rule_that_cannot_be_suppressed_says_so() -> None:
    unsuppressible = [r for r in RULES if not r.suppressible]
    assert unsuppressible
    for rule in unsuppressible:
        text = (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
        assert f"{rule.code} findings cannot be suppressed." in text
        assert "baa-lint: ignore[" not in text.split("## Suppressing it")[1]


def test_explain_and_rules_give_the_page_address() -> None:
    explained = CliRunner().invoke(cli, ["explain", "covered-model-on-zdr"]).output
    assert explained.endswith(f"\n\nDocumentation: {RULE_DOCS_URL}/BAA001.md\n")
    listed = json.loads(CliRunner().invoke(cli, ["rules", "--format", "json"]).output)
    assert [r["url"] for r in listed] == [r.doc_url for r in RULES]
