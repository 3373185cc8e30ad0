"""Baselines: keyed by rule, file, object and attribute; never by line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from linter.cli import cli

from .conftest import write_tree

ORG = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nzero_data_retention: true\n"
    "workspaces:\n  - name: a\n    models: [claude-fable-5]\n"
)


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_write_then_use_a_baseline(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    written = CliRunner().invoke(cli, [".", "--write-baseline", "baseline.json"])
    assert written.exit_code == 0
    assert written.output == "Wrote 1 finding to the baseline baseline.json.\n"
    data = json.loads((in_tmp / "baseline.json").read_text())
    assert data["findings"] == [
        {"path": "org.yaml", "rule": "BAA001", "object": "acme/a", "detail": "models[0]"}
    ]
    again = CliRunner().invoke(cli, [".", "--baseline", "baseline.json"])
    assert again.exit_code == 0
    assert again.output == "No findings (1 file, 1 configuration; 1 in the baseline).\n"


def test_lines_inserted_above_do_not_make_a_finding_new(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    CliRunner().invoke(cli, [".", "--write-baseline", "baseline.json"])
    write_tree(in_tmp, {"org.yaml": "# a comment\n# another\n" + ORG})
    assert CliRunner().invoke(cli, [".", "--baseline", "baseline.json"]).exit_code == 0


def test_a_new_finding_is_reported_and_stale_entries_are_counted(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG})
    CliRunner().invoke(cli, [".", "--write-baseline", "baseline.json"])
    changed = ORG.replace("name: a\n", "name: b\n")  # the old finding is gone, a new one appears
    write_tree(in_tmp, {"org.yaml": changed})
    result = CliRunner().invoke(cli, [".", "--baseline", "baseline.json", "-q"])
    assert result.exit_code == 1
    assert result.output.startswith("org.yaml:7:14: BAA001")
    summary = CliRunner().invoke(cli, [".", "--baseline", "baseline.json"]).output
    assert summary.endswith(
        "1 baseline entry no longer matches a finding (fixed or moved); "
        "write the baseline again to drop it.\n"
    )
    data = json.loads(
        CliRunner().invoke(cli, [".", "--baseline", "baseline.json", "--format", "json"]).output
    )
    assert data["summary"]["stale_baseline"] == 1 and data["summary"]["baselined"] == 0


def test_same_address_in_another_file_is_not_absorbed(in_tmp: Path) -> None:
    # checkov#7647: a baseline that ignores the file absorbs findings elsewhere.
    write_tree(in_tmp, {"a/org.yaml": ORG})
    CliRunner().invoke(cli, ["a", "--write-baseline", "baseline.json"])
    write_tree(in_tmp, {"b/org.yaml": ORG.replace("acme", "acme2")})
    result = CliRunner().invoke(cli, ["a", "b", "--baseline", "baseline.json", "-q"])
    assert result.output.startswith("b/org.yaml:7:14: BAA001")


def test_baseline_works_from_another_directory(in_tmp: Path, monkeypatch: object) -> None:
    write_tree(in_tmp, {"infra/org.yaml": ORG})
    CliRunner().invoke(cli, ["infra", "--write-baseline", "infra/baseline.json"])
    import os

    os.chdir(in_tmp / "infra")
    assert CliRunner().invoke(cli, [".", "--baseline", "baseline.json"]).exit_code == 0


def test_bad_baseline_file_is_one_line_exit_2(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ORG, "baseline.json": "{not json"})
    result = CliRunner().invoke(cli, [".", "--baseline", "baseline.json"])
    assert result.exit_code == 2
    assert result.output.startswith("baa-lint: error: baseline.json: cannot read the baseline:")
    assert "\n" not in result.output.rstrip("\n")


def test_deeply_nested_baseline_is_one_line_at_the_place(in_tmp: Path) -> None:
    deep = '{"tool": "baa-lint",\n "findings": ' + "[" * 100_000 + "]" * 100_000 + "}"
    write_tree(in_tmp, {"org.yaml": ORG, "baseline.json": deep})
    result = CliRunner().invoke(cli, [".", "--baseline", "baseline.json"])
    assert result.exit_code == 2
    assert result.output == (
        "baa-lint: error: baseline.json:2:113: cannot read the baseline: nested more than 100 deep\n"
    )
