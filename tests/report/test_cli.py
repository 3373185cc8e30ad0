"""`baa-lint report`: formats, --output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from linter import __version__
from linter.cli import cli
from tests.report import GOLDEN_TREE, load_json_schema, write_tree


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_markdown_is_the_default_and_findings_do_not_fail_the_run(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = invoke(["report", "infra", "terraform"])
    assert result.exit_code == 0  # a report is not a gate, even with errors in it
    assert result.output.startswith("# BAA posture report\n")
    assert "- **Paths linted:** `infra`, `terraform`" in result.output
    assert f"- **baa-lint version:** {__version__}" in result.output
    assert "**Generated:**" not in result.output  # no timestamp unless asked for


def test_json_to_a_file(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    (in_tmp / "out").mkdir()
    result = invoke(["report", ".", "--format", "json", "-o", "out/report.json"])
    assert result.exit_code == 0
    assert result.output == ""
    doc = json.loads((in_tmp / "out" / "report.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_json_schema()).validate(doc)
    assert doc["version"] == __version__
    assert doc["paths"] == ["."]
    assert list(in_tmp.joinpath("out").iterdir()) == [in_tmp / "out" / "report.json"]


def test_html_with_a_generated_date(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = invoke(["report", "--format", "html", "--generated-at", "2026-12-01 <b>"])
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>")
    assert "<dt>Generated</dt><dd>2026-12-01 &lt;b&gt;</dd>" in result.output


def test_lint_options_apply(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    doc = json.loads(invoke(["report", ".", "--format", "json", "--select", "BAA006"]).output)
    assert [c["rule"] for c in doc["controls"]] == ["BAA006"]
    assert doc["summary"]["findings"]["total"] == 1


def test_baseline_is_counted(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    assert invoke(["check", ".", "--write-baseline", "baseline.json"]).exit_code == 0
    doc = json.loads(
        invoke(["report", ".", "--format", "json", "--baseline", "baseline.json"]).output
    )
    assert doc["summary"]["findings"]["total"] == 0
    assert doc["summary"]["baselined"] > 0


def test_errors_exit_2(in_tmp: Path) -> None:
    missing = CliRunner().invoke(cli, ["report", "nowhere"])
    assert missing.exit_code == 2
    assert missing.output.startswith("baa-lint: error:")
    assert "Traceback" not in missing.output
    bad_format = CliRunner().invoke(cli, ["report", ".", "--format", "pdf"])
    assert bad_format.exit_code == 2
    bad_rule = CliRunner().invoke(cli, ["report", ".", "--select", "BAA1"])
    assert bad_rule.exit_code == 2
    assert not (in_tmp / "report.md").exists()
