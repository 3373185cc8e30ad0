"""Colour: --color forces it, --no-color and NO_COLOR forbid it, FORCE_COLOR forces it.

Precedence (as ruff and the clicolors convention have it): the flag, then NO_COLOR, then
FORCE_COLOR, then whether stdout is a terminal. A pipe is not a terminal, which is what
CliRunner's output stream is; the decision is also tested on its own for the terminal case.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli, color_wanted

from .conftest import write_tree

ZDR = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nworkspaces:\n  - name: a\n    models: [claude-fable-5]\n"
)
RED = "\x1b[31m"
CLEAR_ENV = {"NO_COLOR": None, "FORCE_COLOR": None}


@pytest.fixture
def tree(in_tmp: Path) -> Path:
    write_tree(in_tmp, {"bad/org.yaml": ZDR})
    return in_tmp


def output(args: list[str], **env: str | None) -> str:
    environment = {**CLEAR_ENV, **env}
    return CliRunner().invoke(cli, ["bad", "--no-cache", *args], env=environment).output


def test_a_pipe_gets_no_color_by_default(tree: Path) -> None:
    assert "\x1b[" not in output([])


def test_color_flag_forces_color_through_a_pipe(tree: Path) -> None:
    assert RED in output(["--color"])


def test_force_color_forces_color_through_a_pipe(tree: Path) -> None:
    assert RED in output([], FORCE_COLOR="1")
    assert "\x1b[" not in output([], FORCE_COLOR="")  # empty means unset


def test_no_color_beats_force_color_and_the_flag_beats_both(tree: Path) -> None:
    assert "\x1b[" not in output([], NO_COLOR="1", FORCE_COLOR="1")
    assert RED in output(["--color"], NO_COLOR="1")
    assert "\x1b[" not in output(["--no-color"], FORCE_COLOR="1")


def test_a_report_file_is_never_colored(tree: Path) -> None:
    output(["--color", "--format", "text=out.txt"])
    assert "\x1b[" not in (tree / "out.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("flag", "environ", "tty", "expected"),
    [
        (None, {}, True, True),
        (None, {}, False, False),
        (None, {"NO_COLOR": "1"}, True, False),
        (None, {"NO_COLOR": ""}, True, True),  # empty NO_COLOR is unset (no-color.org)
        (None, {"FORCE_COLOR": "1"}, False, True),
        (None, {"FORCE_COLOR": "0"}, False, True),  # any non-empty value, as ruff reads it
        (None, {"FORCE_COLOR": ""}, False, False),
        (None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        (True, {"NO_COLOR": "1"}, False, True),
        (False, {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_color_decision(
    flag: bool | None, environ: dict[str, str], tty: bool, expected: bool
) -> None:
    assert color_wanted(flag, environ, tty) is expected


@pytest.mark.slow
def test_color_through_a_real_pipe(tree: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "FORCE_COLOR": "1"}
    command = [sys.executable, "-m", "linter", "bad", "--no-cache"]
    piped = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert piped.returncode == 1
    assert RED in piped.stdout
    plain = subprocess.run(
        [*command, "--no-color"], capture_output=True, text=True, env=env, check=False
    )
    assert "\x1b[" not in plain.stdout
