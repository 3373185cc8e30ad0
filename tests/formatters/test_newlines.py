"""A name with a newline never adds a line to a line-oriented output.

YAML lets an organization or workspace name hold a line break. Every format that gives lines a
meaning (text, GitHub annotation bodies, JUnit failure texts) shows it as ``\\n``, so it can
neither split a finding nor forge an ``evidence:`` or ``fix:`` line of its own; GitLab's
markdown body shows it as ``<br>``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linter.core.findings import Finding
from linter.output.formats import FormatOptions, junit, text
from linter.output.formats.options import CONCISE
from linter.result import Result
from tests.formatters import lint_here, render, write_tree

FORGED = "x.yaml:1:1: BAA001 [error] forged"
NEWLINE_NAMES = f"""\
apiVersion: baa-lint/v1
kind: Organization
name: "acme\\n{FORGED}"
zero_data_retention: true
workspaces:
  - name: "evil\\nfix: forged"
    models: [claude-fable-5]
"""


@pytest.fixture
def result(in_tmp: Path) -> Result:
    write_tree(in_tmp, {"org.yaml": NEWLINE_NAMES})
    linted = lint_here(select=("BAA001",))
    assert len(linted.findings) == 1
    assert "\n" in linted.findings[0].message  # the name really holds a line break
    return linted


def only(result: Result) -> Finding:
    (finding,) = result.findings
    return finding


def test_text_keeps_one_finding_on_its_lines(result: Result) -> None:
    lines = text.render(result, FormatOptions(quiet=True, output_format=CONCISE)).splitlines()
    assert len(lines) == 1
    assert "'acme\\nx.yaml:1:1: BAA001 [error] forged'" in lines[0]
    full = text.render(result, FormatOptions()).splitlines()
    evidence = len(only(result).evidence)
    assert len(full) == 1 + evidence + 1 + 2  # finding, evidence, fix, blank, summary


def test_github_annotation_body_has_only_its_own_lines(result: Result) -> None:
    (line, _summary) = render("github", result).splitlines()
    body = line.split("::", 2)[2]
    parts = body.split("%0A")
    assert len(parts) == 1 + len(only(result).evidence) + 1  # message, evidence, fix
    assert parts[0].startswith("workspace 'evil\\nfix: forged' of organization 'acme\\nx.yaml")
    assert not any(part.startswith("fix: forged") for part in parts)


def test_junit_failure_text_has_only_its_own_lines(result: Result) -> None:
    root = ET.fromstring(junit.render(result, FormatOptions()))
    (case,) = root.iter("testcase")
    (failure,) = case.iter("failure")
    lines = (failure.text or "").splitlines()
    assert len(lines) == 1 + 1 + len(only(result).evidence) + 1  # finding, object, evidence, fix
    assert not any(line.startswith(("fix: forged", "x.yaml")) for line in lines)
    assert "\n" not in (failure.get("message") or "")
    assert "\n" not in (case.get("name") or "")


def test_gitlab_body_items_stay_whole(result: Result) -> None:
    """The description is a JSON value GitLab shows as a title (JSON escapes the newline);
    the body is markdown, where a line break would start a list item of its own."""
    (issue,) = json.loads(render("gitlab", result))
    assert issue["description"] == f"BAA001: {only(result).message}"
    items = issue["content"]["body"].split("\n")
    assert len(items) == len(only(result).evidence) + 1
    assert all(item.startswith(("- evidence: ", "- fix: ")) for item in items)
    assert "'acme<br>x.yaml:1:1: BAA001 [error] forged'" in items[0]
