"""`baa-lint check --stdin-filename PATH -`: lint standard input as if it were PATH."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.inputs.discover import stdin_name

from .conftest import write_tree

ZDR = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nworkspaces:\n  - name: a\n    models: [claude-fable-5]\n"
)
CLEAN = ZDR.replace("claude-fable-5", "claude-haiku-4-5")
ORG = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nprovider_alias: acme\n"
)
WORKSPACE = (
    'resource "anthropic_workspace" "w" {\n  provider = anthropic.acme\n  name = "w"\n'
    '  tags = { models = "claude-fable-5" }\n}\n'
)


def invoke(args: list[str], text: str | bytes) -> Any:
    return CliRunner().invoke(cli, args, input=text, catch_exceptions=False)


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    (in_tmp / ".git").mkdir()
    write_tree(in_tmp, {"infra/orgs.yaml": CLEAN, "tf/orgs.yaml": ORG, "tf/main.tf": "\n"})
    return in_tmp


def test_stdin_is_linted_as_the_named_file_not_the_disk(repo: Path) -> None:
    result = invoke(["check", "--stdin-filename", "infra/orgs.yaml", "-", "--no-color", "-q"], ZDR)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("infra/orgs.yaml:8:14: BAA001 [error] ")
    assert invoke(["check", "infra/orgs.yaml"], "").exit_code == 0  # disk unchanged
    clean = invoke(["--stdin-filename", "infra/orgs.yaml", "-"], CLEAN)
    assert (clean.exit_code, clean.output) == (0, "No findings (1 file, 1 configuration).\n")


def test_stdin_filename_alone_reads_stdin_and_formats_apply(repo: Path) -> None:
    result = invoke(["check", "--stdin-filename", "infra/orgs.yaml", "--format", "json"], ZDR)
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("BAA001", "infra/orgs.yaml", 8)
    ]
    assert (
        invoke(["check", "--stdin-filename", "infra/orgs.yaml", "--exit-zero"], ZDR).exit_code == 0
    )


def test_a_terraform_buffer_is_linted_in_its_module_directory(repo: Path) -> None:
    """The rest of the directory (and what the run links it to) is read from disk."""
    result = invoke(["--stdin-filename", "tf/main.tf", "-", "tf/orgs.yaml", "-q"], WORKSPACE)
    assert result.exit_code == 1
    assert result.output.startswith("tf/main.tf:4:21: BAA001 [error] ")
    assert invoke(["tf", "-q"], "").output == ""  # on disk main.tf declares nothing


def test_a_file_not_saved_yet(repo: Path) -> None:
    result = invoke(["--stdin-filename", "new/orgs.yaml", "-", "-q", "--no-color"], ZDR)
    assert result.output.startswith("new/orgs.yaml:8:14: BAA001 ")
    assert not (repo / "new").exists()


def test_dash_alone_names_it_stdin(repo: Path) -> None:
    result = invoke(["-", "-q", "--no-color"], ZDR)
    assert result.exit_code == 1
    assert result.output.startswith("stdin.yaml:8:14: BAA001 ")
    assert stdin_name(WORKSPACE) == "stdin.tf"
    assert stdin_name('  {"format_version": "1.2"}') == "stdin.json"
    assert stdin_name(ZDR) == "stdin.yaml"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stdin-filename", "a.yaml", "infra"], "--stdin-filename: pass `-` among the paths"),
        (["-", "-"], "`-` (standard input) can be given only once"),
        (["--pre-commit", "-"], "--pre-commit takes the changed files, not `-`"),
        (["--stdin-filename", "notes.txt", "-"], "notes.txt: not a file baa-lint reads"),
    ],
)
def test_usage_errors(repo: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["check", *args], input=ZDR)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_stdin_that_is_not_text(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["--stdin-filename", "a.yaml", "-"], input=b"name: \xff\n")
    assert result.exit_code == 2
    assert "a.yaml:1:7: file is not valid UTF-8 (byte 0xff); save it as UTF-8" in result.output
