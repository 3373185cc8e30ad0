"""The edit that inserts a suppression (linter.filters.suppression_edit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.filters.suppression_edit import Insertion, suppression_edit
from tests.conftest import COVERED_ON_ZDR, finding_keys, lint_here, write_tree

YAML = COVERED_ON_ZDR

HCL = """\
anthropic_organization "acme" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = true
}

resource "anthropic_workspace" "notes" {
\tname   = "notes"
\tmodels = ["claude-fable-5"]
}
"""


def apply(text: str, edit: Insertion) -> str:
    lines = text.split("\n")
    line = lines[edit.line - 1]
    lines[edit.line - 1] = line[: edit.column - 1] + edit.text + line[edit.column - 1 :]
    return "\n".join(lines)


def test_a_line_of_its_own_above_indented_like_the_finding() -> None:
    edit = suppression_edit(YAML, 8, "BAA001", "yaml")
    assert edit == Insertion(8, 1, "    # baa-lint: ignore[BAA001] reason\n")
    tab = suppression_edit(HCL, 9, "BAA001", "hcl")
    assert tab == Insertion(9, 1, "\t# baa-lint: ignore[BAA001] reason\n")
    crlf = suppression_edit(YAML.replace("\n", "\r\n"), 8, "BAA001", "yaml")
    assert crlf is not None
    assert crlf.text.endswith("reason\r\n")


@pytest.mark.parametrize(
    ("files", "path", "line", "style"),
    [
        ({"org.yaml": YAML}, "org.yaml", 8, "yaml"),
        (
            {"main.tf": HCL.replace("anthropic_organization", 'resource "anthropic_organization"')},
            "main.tf",
            9,
            "hcl",
        ),
    ],
)
def test_the_edit_suppresses_the_finding_with_no_suppression_problem(
    in_tmp: Path, files: dict[str, str], path: str, line: int, style: str
) -> None:
    write_tree(in_tmp, files)
    before = lint_here()
    assert [f.rule for f in before.findings] == ["BAA001"]
    assert before.findings[0].location.line == line
    edit = suppression_edit(files[path], line, "BAA001", style)
    assert edit is not None
    (in_tmp / path).write_text(apply(files[path], edit), encoding="utf-8")
    after = lint_here()
    assert finding_keys(after) == []
    assert [s.justification for s in after.suppressed] == ["reason"]


def test_at_the_end_of_the_line_when_a_line_above_would_be_inside_a_string() -> None:
    text = 'a: "first\n  second"\nb: 1\n'
    edit = suppression_edit(text, 2, "BAA012", "yaml")
    assert edit == Insertion(2, 10, "  # baa-lint: ignore[BAA012] reason")


@pytest.mark.parametrize(
    ("text", "line", "style"),
    [
        ("x = <<EOT\nclaude-fable-5\nEOT\n", 2, "hcl"),  # inside a heredoc
        ("notes: |\n  claude-fable-5\nb: 1\n", 2, "yaml"),  # inside a block scalar
        ("a: 1\n", 7, "yaml"),  # no such line
    ],
)
def test_no_edit_where_no_comment_would_count(text: str, line: int, style: str) -> None:
    assert suppression_edit(text, line, "BAA001", style) is None
