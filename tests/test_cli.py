"""The command line: exit codes, formats, options, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from linter import __version__
from linter.cli import cli
from linter.core.shipped import load_schema

from .conftest import write_tree

ZDR = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nworkspaces:\n  - name: a\n    models: [claude-fable-5, claude-fabel-5]\n"
)
CLEAN = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: ok\nbaa_signed: true\nhipaa_ready: true\n"
)


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture
def tree(in_tmp: Path) -> Path:
    write_tree(in_tmp, {"bad/org.yaml": ZDR, "good/org.yaml": CLEAN})
    return in_tmp


def test_path_alone_means_check(tree: Path) -> None:
    result = invoke(["bad", "--no-color"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "bad/org.yaml:8:14: BAA001 [error] workspace 'a' of organization 'acme' runs with zero"
    )
    assert (
        "    evidence: bad/org.yaml:5:22: organization 'acme' sets zero_data_retention: true"
        in result.output
    )
    assert "    fix: " in result.output
    assert result.output.rstrip().endswith(
        "Found 2 findings: 1 error, 1 warning (1 file, 1 configuration)."
    )
    assert invoke(["check", "bad", "--no-color"]).output == result.output


def test_clean_tree_exits_zero(tree: Path) -> None:
    result = invoke(["good"])
    assert result.exit_code == 0
    assert result.output == "No findings (1 file, 1 configuration).\n"


def test_fail_on_and_exit_zero(tree: Path) -> None:
    assert invoke(["bad", "--select", "BAA012"]).exit_code == 1
    assert invoke(["bad", "--select", "BAA012", "--fail-on", "error"]).exit_code == 0
    assert invoke(["bad", "--exit-zero"]).exit_code == 0


def test_select_and_ignore_by_code_or_slug(tree: Path) -> None:
    out = invoke(
        ["bad", "-q", "--select", "covered-model-on-zdr,BAA012", "--ignore", "unknown-model"]
    )
    assert [line.split()[1] for line in out.output.splitlines()] == ["BAA001"]


def test_unknown_rule_in_options_is_a_usage_error(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["bad", "--select", "BAA1"])
    assert result.exit_code == 2
    assert "--select: unknown rule 'BAA1'; did you mean 'BAA001'?" in result.output


def test_missing_path_is_one_line_and_exit_2(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["nowhere"])
    assert result.exit_code == 2
    assert result.output == "baa-lint: error: nowhere: no such file or directory\n"


def test_quiet_prints_only_finding_lines(tree: Path) -> None:
    lines = invoke(["bad", "-q"]).output.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["BAA001", "BAA012"]


def test_statistics(tree: Path) -> None:
    output = invoke(["bad", "--statistics"]).output
    assert "    1  BAA001  covered-model-on-zdr  [error]" in output
    assert "    1  BAA012  unknown-model  [warning]" in output


def test_color_only_when_asked(tree: Path) -> None:
    assert "\x1b[" not in invoke(["bad"]).output  # not a terminal
    assert "\x1b[31m" in CliRunner().invoke(cli, ["bad", "--color"], color=True).output


def test_json_output_matches_the_contract(tree: Path) -> None:
    result = invoke(["bad", "good", "--format", "json"])
    data = json.loads(result.output)
    jsonschema.Draft202012Validator(load_schema("output.schema.json")).validate(data)
    assert data["version"] == __version__
    first = data["findings"][0]
    assert {
        k: first[k] for k in ("rule", "name", "severity", "path", "line", "column", "object")
    } == {
        "rule": "BAA001",
        "name": "covered-model-on-zdr",
        "severity": "error",
        "path": "bad/org.yaml",
        "line": 8,
        "column": 14,
        "object": "acme/a",
    }
    assert first["evidence"][0] == {
        "path": "bad/org.yaml",
        "line": 5,
        "column": 22,
        "fact": "organization 'acme' sets zero_data_retention: true (inherited by workspace 'a')",
    }
    assert data["summary"] == {
        "total": 2,
        "error": 1,
        "warning": 1,
        "info": 0,
        "suppressed": 0,
        "baselined": 0,
        "stale_baseline": 0,
        "files": 2,
        "configurations": 2,
    }


def test_output_file_is_written_and_stdout_stays_empty(tree: Path) -> None:
    result = invoke(["bad", "--format", "json", "--output", "report.json"])
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((tree / "report.json").read_text())["summary"]["total"] == 2


def test_the_report_in_a_file_is_the_report_on_stdout(tree: Path) -> None:
    # Both are written in pieces as they are made: the same text, byte for byte.
    printed = invoke(["bad", "--format", "json"])
    invoke(["bad", "--format", "json", "--output", "report.json"])
    assert (tree / "report.json").read_text() == printed.output
    assert printed.output.endswith("}\n") and json.loads(printed.output)["findings"]


def test_internal_error_is_one_line_without_traceback(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr("linter.lint.lint", boom)
    result = CliRunner().invoke(cli, ["bad"])
    assert result.exit_code == 2
    assert result.output == (
        "baa-lint: error: internal error: RuntimeError: something broke (run with --debug for details)\n"
    )
    debug = CliRunner().invoke(cli, ["bad", "--debug"])
    assert debug.exit_code == 2 and "Traceback" in debug.output


def test_rules_lists_every_rule() -> None:
    output = invoke(["rules"]).output
    assert "BAA001  covered-model-on-zdr" in output and "BAA902  suppression-problem" in output
    data = json.loads(invoke(["rules", "--format", "json"]).output)
    assert len(data) == 21 and data[0]["code"] == "BAA001" and data[0]["explanation"]


def test_explain_by_code_and_slug() -> None:
    by_code = invoke(["explain", "BAA010"]).output
    assert by_code.startswith("BAA010 claude-code-phi-covered-model [error]\n")
    assert invoke(["explain", "claude-code-phi-covered-model"]).output == by_code
    bad = CliRunner().invoke(cli, ["explain", "BAA1000"])
    assert bad.exit_code == 2


def test_matrix_prints_the_table() -> None:
    output = invoke(["matrix"]).output
    assert (
        "Chat         claude-enterprise (HIPAA-ready plan)  standard   yes           yes" in output
    )
    data = json.loads(invoke(["matrix", "--format", "json"]).output)
    assert len(data["rows"]) == 9 and data["as_of"] == "2026-11-24"


def test_show_lists_configurations(tree: Path) -> None:
    output = invoke(["show", "bad", "good"]).output.splitlines()
    assert output[0].split() == [
        "organization",
        "workspace/product",
        "product",
        "route",
        "retention",
        "PHI",
        "models",
        "BAA-eligible",
        "Covered",
        "Models",
        "address",
    ]
    assert output[2].split() == [
        "acme",
        "a",
        "api",
        "regular-api",
        "zdr",
        "false",
        "claude-fable-5,claude-fabel-5",
        "yes",
        "no",
        "acme/a",
    ]
    data = json.loads(invoke(["show", "good", "--format", "json"]).output)
    (row,) = data["configurations"]
    assert (
        row["route"] == "hipaa-ready-api"
        and row["baa_eligible"] is True
        and row["covered_models"] is True
    )


def test_python_dash_m_and_version(tree: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "linter", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout == f"baa-lint, version {__version__}\n"
    result = subprocess.run(
        [sys.executable, "-m", "linter", "bad", "-q"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and result.stdout.startswith("bad/org.yaml:8:14: BAA001")


def test_a_missing_var_file_is_a_usage_error(tree: Path) -> None:
    """Terraform rejects a -var-file that does not exist; baa-lint never ignores one."""
    result = CliRunner().invoke(cli, ["bad", "--var-file", "nope.tfvars"])
    assert result.exit_code == 2
    assert result.output == "baa-lint: error: --var-file nope.tfvars: no such file\n"


def test_a_missing_var_file_in_the_configuration_is_an_error_at_its_entry(tree: Path) -> None:
    (tree / ".baa-lint.yaml").write_text("var-files:\n  - envs/prod.tfvars\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["bad"])
    assert result.exit_code == 2
    assert "baa-lint: error: .baa-lint.yaml:2:5: var-files: envs/prod.tfvars: no such file" in (
        result.output
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("BAA0O1", "'BAA001'"), ("baa01", "'BAA001'"), ("BAA0011", "'BAA001' or 'BAA011'")],
)
def test_explain_suggests_the_nearest_code(typed: str, meant: str) -> None:
    result = CliRunner().invoke(cli, ["explain", typed])
    assert result.exit_code == 2
    assert f"did you mean {meant}?" in result.output


def test_a_mistyped_command_is_named_not_taken_for_a_path(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["chek", "bad"])
    assert result.exit_code == 2
    assert result.output == "baa-lint: error: no such command 'chek'; did you mean 'check'?\n"


def test_a_directory_named_like_a_command_is_still_linted(tree: Path) -> None:
    (tree / "chek").mkdir()
    assert CliRunner().invoke(cli, ["chek"]).exit_code == 0


def test_config_shows_by_default(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 0
    assert result.output.startswith("Configuration file: ")


def test_a_directory_with_nothing_to_lint_says_so(in_tmp: Path) -> None:
    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / "README.md").write_text("# nothing here\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs"])
    assert result.exit_code == 0
    assert result.stderr == "baa-lint: warning: no files to lint\n"


def test_an_output_no_format_writes_to_is_an_error(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["bad", "--format", "json=a.json", "-o", "y.txt"])
    assert result.exit_code == 2
    assert result.output.startswith("baa-lint: error: --output y.txt: every --format names")
    assert not (tree / "y.txt").exists() and not (tree / "a.json").exists()


def test_two_formats_in_one_file_is_an_error(tree: Path) -> None:
    result = CliRunner().invoke(cli, ["bad", "--format", "json=x", "--format", "sarif=x"])
    assert result.exit_code == 2
    assert result.output == (
        "baa-lint: error: --format: json and sarif both write to x; give each its own file\n"
    )


def test_the_command_freezes_what_is_left_as_the_process_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The entry point exempts everything from the collection Python makes at exit (it would
    traverse the whole run's objects to find nothing), whatever way the command ends, and a
    lint command keeps the run's collector thresholds to its end (the report too)."""
    import gc

    from linter import cli as cli_module
    from linter.core.collector import RUN_THRESHOLDS

    saved = gc.get_threshold()
    gc.unfreeze()
    try:
        monkeypatch.setattr(sys, "argv", ["baa-lint", "--version"])
        with pytest.raises(SystemExit) as ended:
            cli_module.main()
        assert ended.value.code == 0
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == saved  # not a lint: the collector as it was
        gc.unfreeze()
        monkeypatch.setattr(sys, "argv", ["baa-lint", "check", "--no-cache", str(tmp_path)])
        with pytest.raises(SystemExit):
            cli_module.main()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == RUN_THRESHOLDS  # the run's, to the end of the process
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
