"""--statistics and the severity words: per-rule counts in text and JSON, "info" everywhere."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from linter.cli import cli
from linter.core.findings import Severity
from linter.core.shipped import load_schema
from linter.output.formats import FormatOptions, json_format, text
from linter.result import Result

from .conftest import lint_here, write_tree

# Two BAA001 (one workspace each), one BAA012, and a BAA016 info on the Enterprise plan.
TREE = {
    "org.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: a
    models: [claude-fable-5]
  - name: b
    models: [claude-fable-5, claude-fabel-5]
""",
    "ent.yaml": """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-ent
type: enterprise
baa_signed: true
hipaa_ready: true
products:
  - product: chat
    models: [claude-fable-5]
  - product: claude-code
    models: [claude-fable-5]
""",
}


def linted(in_tmp: Path) -> Result:
    write_tree(in_tmp, TREE)
    result = lint_here(select=("BAA001", "BAA012", "BAA016"))
    assert [f.rule for f in result.findings].count("BAA001") == 2
    return result


def with_one_baa001_as_warning(result: Result) -> Result:
    """As a per-path severity override makes it: one rule, findings of two severities."""
    first = next(i for i, f in enumerate(result.findings) if f.rule == "BAA001")
    findings = list(result.findings)
    findings[first] = replace(findings[first], severity=Severity.WARNING)
    return replace(result, findings=tuple(findings))


def test_summary_says_info_like_every_other_output(in_tmp: Path) -> None:
    summary = text.summary(linted(in_tmp))
    assert summary.startswith("Found 5 findings: 2 errors, 1 warning, 2 info (")
    assert "note" not in summary


def test_statistics_show_each_severity_of_a_rule(in_tmp: Path) -> None:
    lines = text.statistics(with_one_baa001_as_warning(linted(in_tmp)))
    assert lines == [
        "    2  BAA001  covered-model-on-zdr  [1 error, 1 warning]",
        "    2  BAA016  enterprise-staged-rollout  [info]",
        "    1  BAA012  unknown-model  [warning]",
    ]


def test_json_statistics_count_per_rule_and_severity(in_tmp: Path) -> None:
    result = with_one_baa001_as_warning(linted(in_tmp))
    data = json.loads(json_format.render(result, FormatOptions(statistics=True)))
    jsonschema.Draft202012Validator(load_schema("output.schema.json")).validate(data)
    assert data["summary"]["rules"] == [
        {"rule": "BAA001", "name": "covered-model-on-zdr", "total": 2, "error": 1, "warning": 1,
         "info": 0},
        {"rule": "BAA016", "name": "enterprise-staged-rollout", "total": 2, "error": 0,
         "warning": 0, "info": 2},
        {"rule": "BAA012", "name": "unknown-model", "total": 1, "error": 0, "warning": 1,
         "info": 0},
    ]  # fmt: skip


def test_json_without_statistics_is_unchanged(in_tmp: Path) -> None:
    data = json.loads(json_format.render(linted(in_tmp), FormatOptions()))
    assert "rules" not in data["summary"]


def test_statistics_flag_reaches_the_json_output(in_tmp: Path) -> None:
    write_tree(in_tmp, TREE)
    args = ["check", ".", "--no-cache", "--format", "json", "--statistics"]
    output = CliRunner().invoke(cli, args, catch_exceptions=False).output
    rules = json.loads(output)["summary"]["rules"]
    assert (rules[0]["rule"], rules[0]["total"]) == ("BAA001", 2)
