"""Attacks on what baa-lint prints (issue 11, items 4 and 11).

Values of `sensitive = true` variables, and anything read from the environment, print as
`(sensitive)` in every format. Control characters from inputs never reach a terminal or a CI
log raw: text and GitHub output show them as escapes (`\\r`, `\\x1b`), on and off a TTY.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import FORMATS, Machine, write, zdr_tf

PASSWORD = "S3cr3t-db-Passw0rd-77"

# --- 4. Sensitive values are printed ----------------------------------------------------------

SENSITIVE = 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param({"infra/main.tf": SENSITIVE + zdr_tf('"ws-${var.db_password}"')}, id="name"),
        pytest.param(
            {
                "infra/main.tf": SENSITIVE
                + zdr_tf().replace('["claude-fable-5"]', '["claude-fable-5", var.db_password]')
            },
            id="model-id",
        ),
    ],
)
def test_sensitive_variable_from_the_environment(
    tmp_path: Path, repo: Path, victim: Machine, tree: dict[str, str]
) -> None:
    write(repo, tree)

    run, outputs = victim.run_formats(
        ".", cwd=repo, reports=tmp_path / "reports", env={"TF_VAR_db_password": PASSWORD}
    )

    leaked = [name for name in FORMATS if PASSWORD in outputs[name]]
    assert not leaked, f"the sensitive TF_VAR_db_password was printed in: {leaked}"
    assert "(sensitive)" in outputs["text"]
    assert "BAA001 infra/main.tf:15:22" in run.located()  # the finding itself stays


def test_any_value_from_the_environment(tmp_path: Path, repo: Path, victim: Machine) -> None:
    """Not declared sensitive, but read from the environment: it may still be a secret."""
    value = "team-from-env-5be1"
    write(repo, {"infra/main.tf": 'variable "team" {}\n' + zdr_tf('"ws-${var.team}"')})

    run, outputs = victim.run_formats(
        ".", cwd=repo, reports=tmp_path / "reports", env={"TF_VAR_team": value}
    )

    leaked = [name for name in FORMATS if value in outputs[name]]
    assert not leaked, f"a TF_VAR_ value was printed in: {leaked}"
    assert "(sensitive)" in outputs["text"]
    assert "BAA001 infra/main.tf:12:22" in run.located()


# --- 11. Control characters reach the terminal ------------------------------------------------

# A workspace name that erases its own finding's prefix, hides a hyperlink, and rings the bell.
HOSTILE_NAME = r'"ok\r\u001b[2Kfake: all clear \u001b]8;;http://x\u0007link\u001b]8;;\u0007\u0007"'
OWN_COLORS = re.compile(r"\x1b\[[0-9;]*m")  # the SGR colour codes baa-lint itself writes


def assert_no_raw_controls(output: str, where: str) -> None:
    text = OWN_COLORS.sub("", output)
    raw = sorted({repr(c) for c in text if c in "\x1b\r\x07"})
    assert not raw, f"raw control characters from the input reached {where}: {', '.join(raw)}"


@pytest.fixture
def hostile(repo: Path) -> Path:
    write(repo, {"infra/main.tf": zdr_tf(HOSTILE_NAME)})
    return repo


@pytest.mark.parametrize("color", ["--color", "--no-color"])
def test_control_characters_on_a_terminal(hostile: Path, victim: Machine, color: str) -> None:
    output = victim.run_tty("check", color, ".", cwd=hostile)
    assert "BAA001" in output
    assert_no_raw_controls(output, f"the terminal ({color})")
    assert "\\x1b" in output and "\\r" in output  # shown as escapes


@pytest.mark.parametrize("color", ["--color", "--no-color"])
def test_control_characters_in_text_output(hostile: Path, victim: Machine, color: str) -> None:
    run = victim.run("check", color, ".", cwd=hostile)
    assert "BAA001" in run.stdout
    assert_no_raw_controls(run.stdout, f"text output ({color})")
    assert "\\x1b" in run.stdout and "\\r" in run.stdout


def test_control_characters_in_github_annotations(hostile: Path, victim: Machine) -> None:
    run = victim.run("check", "--format", "github", ".", cwd=hostile)
    assert "::error file=infra/main.tf" in run.stdout
    assert_no_raw_controls(run.stdout, "GitHub output")
    assert "\\x1b" in run.stdout
