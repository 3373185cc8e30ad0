"""GitHub workflow commands: levels, properties, escaping, and the step summary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from linter.core.findings import Evidence, Severity
from linter.core.locations import Location
from linter.output.formats import FormatOptions, github, markdown
from tests.formatters import GOLDEN_TREE, lint_here, render, write_tree

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: summaries
    models: [claude-fable-5]
"""


def commands(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("::")]


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("one\ntwo\r\nthree", "one%0Atwo%0D%0Athree", "one%0Atwo%0D%0Athree"),
        ("%0A", "%250A", "%250A"),  # an escape-looking text is not unescaped by the runner
        ("::error::", "::error::", "%3A%3Aerror%3A%3A"),
    ],
)
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_one_command_per_finding_with_its_level(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    lines = commands(render("github", result))
    assert len(lines) == len(result.findings)
    levels = {f.rule: line.split(" ", 1)[0] for f, line in zip(result.findings, lines, strict=True)}
    assert levels == {"BAA001": "::error", "BAA012": "::warning", "BAA016": "::notice"}


def test_a_raised_severity_raises_the_command(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here(severity={"BAA016": Severity.ERROR})
    (line,) = [c for c in commands(render("github", result)) if "BAA016" in c]
    assert line.startswith("::error ")


def test_properties_and_body(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    result = lint_here()
    (finding,) = result.findings
    (line,) = commands(render("github", result))
    head, body = line.split("::", 2)[1:]
    assert head == "error file=org.yaml,line=7,col=14,title=BAA001 covered-model-on-zdr"
    parts = body.split("%0A")
    assert parts[0] == finding.message
    assert parts[1] == f"evidence: org.yaml:4:22: {finding.evidence[0].fact}"
    assert parts[2] == f"fix: {finding.fix}"
    assert "\n" not in line


def test_file_names_with_special_characters_are_escaped(in_tmp: Path) -> None:
    write_tree(in_tmp, {"we,ird:100%.yaml": ZDR_ORG})
    (line,) = commands(render("github", lint_here()))
    assert line.startswith("::error file=we%2Cird%3A100%25.yaml,line=7,col=14,title=")


def test_messages_with_newlines_stay_on_one_line(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    result = lint_here()
    (finding,) = result.findings
    odd = replace(
        finding,
        message="first\nsecond\r50% done",
        evidence=(Evidence(Location("<command line>"), "--var a=b"),),
        fix="",
    )
    (line,) = commands(render("github", replace(result, findings=(odd,))))
    # The message's own line breaks are shown as escapes; only the body's lines are real ones.
    assert line.endswith("::first\\nsecond\\r50%25 done%0Aevidence: <command line>:1:1: --var a=b")


def test_clean_run_prints_no_command_and_quiet_prints_nothing(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"})
    result = lint_here()
    assert render("github", result) == "No findings (1 file, 1 configuration).\n"
    assert github.render(result, FormatOptions(quiet=True)) == ""


def test_step_summary_is_the_markdown_report(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    summary = github.step_summary(result)
    assert summary == markdown.document(result)
    assert summary.startswith("## baa-lint")
    assert "| Severity | Rule | Location | Message |" in summary
