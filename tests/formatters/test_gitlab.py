"""GitLab code quality: the report shape and fingerprints that ignore line numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linter.core.findings import unique_fingerprints
from tests.formatters import GOLDEN_TREE, lint_here, render, write_tree

ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: summaries
    models: [claude-fable-5]
  - name: drafts
    models: [claude-fable-5]
  - name: research
    models: [claude-fabel-5]
"""


def report(text: str) -> list[dict[str, Any]]:
    issues = json.loads(text)
    assert isinstance(issues, list)
    return issues


def by_description(issues: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {issue["description"]: issue for issue in issues}


def test_issues_have_the_code_quality_fields(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    issues = report(render("gitlab", result))
    assert len(issues) == len(result.findings)
    for issue, finding in zip(issues, result.findings, strict=True):
        assert issue["description"] == f"{finding.rule}: {finding.message}"
        assert issue["check_name"] == finding.rule
        assert issue["fingerprint"] == finding.fingerprint
        assert issue["location"] == {
            "path": finding.location.path,
            "lines": {"begin": finding.location.line},
        }
        assert issue["categories"] == ["Security"]
        assert issue["type"] == "issue"
    severities = {issue["check_name"]: issue["severity"] for issue in issues}
    assert severities == {"BAA001": "critical", "BAA012": "major", "BAA016": "info"}


def test_evidence_and_fix_go_to_the_content_body(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    finding = next(f for f in result.findings if f.rule == "BAA001")
    issue = next(i for i in report(render("gitlab", result)) if i["check_name"] == "BAA001")
    body = issue["content"]["body"]
    assert finding.evidence[0].fact in body
    assert body.endswith(f"- fix: {finding.fix}")


def test_a_clean_run_is_an_empty_array(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"})
    assert render("gitlab", lint_here()) == "[]\n"


def test_fingerprints_survive_inserted_lines(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    before = by_description(report(render("gitlab", lint_here())))
    write_tree(
        in_tmp, {"org.yaml": ORG.replace("workspaces:\n", "\n# moved down\n\nworkspaces:\n")}
    )
    after = by_description(report(render("gitlab", lint_here())))
    assert after.keys() == before.keys()
    assert len(before) == 3
    for description, issue in before.items():
        moved = after[description]
        assert moved["location"]["lines"]["begin"] == issue["location"]["lines"]["begin"] + 3
        assert moved["fingerprint"] == issue["fingerprint"]


def test_fingerprints_differ_by_rule_and_object(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    issues = report(render("gitlab", lint_here()))
    keys = [(i["check_name"], i["description"]) for i in issues]
    assert len(keys) == 3  # BAA001 on two objects, BAA012 on a third
    assert len({i["fingerprint"] for i in issues}) == 3


def test_fingerprints_are_unique_in_a_report(in_tmp: Path) -> None:
    # Two reason-less suppressions: same rule, file and message, hence one base fingerprint.
    text = ORG.replace(
        "  - name: summaries\n", "  # baa-lint: ignore[BAA001]\n  - name: summaries\n"
    )
    text = text.replace("  - name: drafts\n", "  # baa-lint: ignore[BAA001]\n  - name: drafts\n")
    write_tree(in_tmp, {"org.yaml": text})
    result = lint_here()
    problems = [f for f in result.findings if f.rule == "BAA902"]
    assert len(problems) == 2
    assert problems[0].fingerprint == problems[1].fingerprint
    issues = report(render("gitlab", result))
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    repeated = [i["fingerprint"] for i in issues if i["check_name"] == "BAA902"]
    assert repeated[0] == problems[0].fingerprint
    assert len(repeated[1]) == len(repeated[0]) == 32


def test_unique_fingerprints_only_touch_repeats(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    findings = lint_here().findings
    doubled = [*findings, findings[0]]
    unique = unique_fingerprints(doubled)
    assert unique[: len(findings)] == [f.fingerprint for f in findings]
    assert unique[-1] not in unique[:-1]
    assert unique_fingerprints(doubled) == unique  # deterministic
