"""Configuration files: discovery, validation with locations, precedence, paths, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.findings import Severity
from linter.lint import load_config
from linter.settings.config_file import ConfigError, describe, find_config_file

from .conftest import write_tree

ORG = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nzero_data_retention: true\n"
    "workspaces:\n  - name: a\n    models: [claude-fable-5, claude-fabel-5]\n"
)


def test_nearest_config_up_the_tree_wins(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            ".baa-lint.yaml": "fail-on: error\n",
            "team/pyproject.toml": "[project]\nname = 'x'\n\n[tool.baa-lint]\nfail-on = 'info'\n",
            "team/infra/org.yaml": ORG,
            "other/pyproject.toml": "[project]\nname = 'y'\n",
        },
    )
    assert find_config_file(in_tmp / "team" / "infra") == in_tmp / "team" / "pyproject.toml"
    # A pyproject.toml without [tool.baa-lint] is not a configuration.
    assert find_config_file(in_tmp / "other") == in_tmp / ".baa-lint.yaml"
    assert load_config(["team/infra"], {}).config.fail_on is Severity.INFO
    assert load_config(["other"], {}).config.fail_on is Severity.ERROR


def test_command_line_wins_over_the_file(in_tmp: Path) -> None:
    write_tree(in_tmp, {".baa-lint.yaml": "fail-on: error\nselect: [BAA001]\n"})
    loaded = load_config(["."], {"fail_on": Severity.INFO, "select": None})
    assert loaded.config.fail_on is Severity.INFO
    assert loaded.config.select == ("BAA001",)
    sources = {row[0]: row[2] for row in describe(loaded)}
    assert sources["fail-on"] == "command line"
    assert sources["select"] == ".baa-lint.yaml:2"
    assert sources["ignore"] == "default"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "fail_on: error\n",
            ".baa-lint.yaml:1:1: invalid configuration: unknown key 'fail_on'; did you mean 'fail-on'?",
        ),
        (
            "fail-on: fatal\n",
            ".baa-lint.yaml:1:10: invalid configuration: invalid value string 'fatal' for 'fail-on': expected one of error, warning, info",
        ),
        (
            "select: [BAA001, covered-modle-on-zdr]\n",
            ".baa-lint.yaml:1:18: select: unknown rule 'covered-modle-on-zdr'; did you mean 'covered-model-on-zdr'?",
        ),
        (
            "severity:\n  BAA01: info\n",
            ".baa-lint.yaml:2:3: severity: unknown rule 'BAA01'; did you mean 'BAA001'?",
        ),
        (
            "tag-keys: {phii: x}\n",
            ".baa-lint.yaml:1:12: invalid configuration: unknown key 'phii'; did you mean 'phi'?",
        ),
        ("select: [\n", ".baa-lint.yaml:2:1: invalid configuration: invalid YAML:"),
    ],
)
def test_config_errors_are_one_line_with_a_location(in_tmp: Path, text: str, expected: str) -> None:
    write_tree(in_tmp, {".baa-lint.yaml": text})
    with pytest.raises(ConfigError) as info:
        load_config(["."], {})
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_pyproject_errors_point_at_the_key(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            "pyproject.toml": "[project]\nname = 'x'\n\n[tool.baa-lint]\nselect = []\nfail_onn = 'error'\n"
        },
    )
    with pytest.raises(ConfigError) as info:
        load_config(["."], {})
    assert str(info.value).startswith(
        "pyproject.toml:6:1: invalid configuration: unknown key 'fail_onn'"
    )


def test_paths_in_the_config_are_relative_to_its_directory(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        in_tmp,
        {
            "repo/.baa-lint.yaml": "exclude: [sandbox]\nper-path-ignores:\n  legacy/**: [BAA012]\n",
            "repo/sandbox/org.yaml": ORG,
            "repo/legacy/org.yaml": ORG.replace("acme", "acme-legacy"),
            "repo/live/org.yaml": ORG.replace("acme", "acme-live"),
        },
    )
    monkeypatch.chdir(in_tmp / "repo" / "live")  # run from elsewhere: the globs still hold
    result = CliRunner().invoke(cli, ["../", "-q"])
    rules = sorted(
        line.split(": ")[1].split()[0] + " " + line.split(":")[0]
        for line in result.output.splitlines()
    )
    # Files outside the working directory are shown with their absolute path.
    legacy = (in_tmp / "repo" / "legacy" / "org.yaml").as_posix()
    assert rules == sorted([f"BAA001 {legacy}", "BAA001 org.yaml", "BAA012 org.yaml"])


def test_severity_override_and_fail_on_from_the_file(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {".baa-lint.yaml": "severity:\n  unknown-model: info\nfail-on: warning\n", "org.yaml": ORG},
    )
    result = CliRunner().invoke(cli, [".", "--ignore", "BAA001"])
    assert "BAA012 [info]" in result.output
    assert result.exit_code == 0


def test_extra_models_from_the_config(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            ".baa-lint.yaml": "models:\n  covered: [claude-fable-6]\n  known: [acme-summarizer]\n",
            "org.yaml": ORG.replace("claude-fabel-5", "acme-summarizer").replace(
                "claude-fable-5", "claude-fable-6-20270101"
            ),
        },
    )
    result = CliRunner().invoke(cli, [".", "-q"])
    assert [line.split(": ")[1].split()[0] for line in result.output.splitlines()] == ["BAA001"]


def test_tag_keys_from_the_config_reach_terraform(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            ".baa-lint.yaml": "tag-keys: {phi: contains-phi}\n",
            "main.tf": (
                'resource "anthropic_organization" "o" {\n  name = "acme"\n  baa_signed = false\n}\n'
                'resource "anthropic_workspace" "w" {\n  name = "w"\n  tags = { "contains-phi" = "true" }\n}\n'
            ),
        },
    )
    result = CliRunner().invoke(cli, [".", "-q"])
    assert "BAA007" in result.output


def test_config_show(in_tmp: Path) -> None:
    write_tree(in_tmp, {".baa-lint.yaml": "ignore: [BAA016]\n"})
    result = CliRunner().invoke(cli, ["config", "--show"])
    assert result.exit_code == 0
    assert "Configuration file: " in result.output and ".baa-lint.yaml" in result.output
    assert any(
        line.split()[:3] == ["ignore", "BAA016", ".baa-lint.yaml:1"]
        for line in result.output.splitlines()
    )


def test_missing_explicit_config_is_a_usage_error(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli, [".", "--config", "nope.yaml"])
    assert result.exit_code == 2
    assert result.output == "baa-lint: error: nope.yaml: no such configuration file\n"


def test_each_linted_path_uses_its_nearest_configuration(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            ".baa-lint.yaml": "ignore: [BAA012]\n",
            "teams/a/.baa-lint.yaml": "severity:\n  BAA001: info\n",
            "teams/a/org.yaml": ORG,
            "teams/b/pyproject.toml": "[tool.baa-lint]\nignore = ['BAA001']\n",
            "teams/b/org.yaml": ORG.replace("acme", "acme-b"),
            "teams/c/org.yaml": ORG.replace("acme", "acme-c"),
        },
    )
    result = CliRunner().invoke(cli, ["teams/a", "teams/b", "teams/c", "-q"])
    rules = [
        (line.split(":")[0], line.split(": ")[1].split()[:2]) for line in result.output.splitlines()
    ]
    assert rules == [
        ("teams/a/org.yaml", ["BAA001", "[info]"]),  # teams/a's own config: severity override
        ("teams/a/org.yaml", ["BAA012", "[warning]"]),  # teams/a's config does not ignore BAA012
        ("teams/b/org.yaml", ["BAA012", "[warning]"]),  # teams/b ignores BAA001
        ("teams/c/org.yaml", ["BAA001", "[error]"]),  # the root config: BAA012 ignored
    ]


def test_an_explicit_config_governs_everything(in_tmp: Path) -> None:
    write_tree(
        in_tmp,
        {
            "strict.yaml": "fail-on: info\n",
            "teams/a/.baa-lint.yaml": "ignore: [BAA001, BAA012]\n",
            "teams/a/org.yaml": ORG,
        },
    )
    result = CliRunner().invoke(cli, ["teams/a", "--config", "strict.yaml", "-q"])
    assert [line.split(": ")[1].split()[0] for line in result.output.splitlines()] == [
        "BAA001",
        "BAA012",
    ]
