"""The progress line: only for a person at a terminal, fed by the library's callback."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from linter.lint import lint
from linter.output import progress as progress_module
from linter.output.progress import ProgressLine
from linter.settings.config import Config

from .conftest import write_tree


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_at_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert ProgressLine.wanted(Terminal(), ["text"], quiet=False)
    assert not ProgressLine.wanted(io.StringIO(), ["text"], quiet=False)  # piped
    assert not ProgressLine.wanted(Terminal(), ["text"], quiet=True)
    assert not ProgressLine.wanted(Terminal(), ["text", "sarif"], quiet=False)
    assert not ProgressLine.wanted(Terminal(), ["json"], quiet=False)
    monkeypatch.setenv("CI", "true")
    assert not ProgressLine.wanted(Terminal(), ["text"], quiet=False)


def test_lint_reports_parsing_progress(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        f"mod{i}/main.tf": f'resource "anthropic_workspace" "w{i}" {{\n  name = "w{i}"\n}}\n'
        for i in range(5)
    }
    write_tree(in_tmp, files)
    calls: list[tuple[int, int]] = []
    lint(["."], Config(cache=False, jobs=1), lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    calls.clear()
    lint(["."], Config(jobs=1), lambda done, total: calls.append((done, total)))  # fills the cache
    calls.clear()
    lint(["."], Config(jobs=1), lambda done, total: calls.append((done, total)))
    assert calls == []  # everything came from the cache


def test_the_line_appears_late_and_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    line = ProgressLine(stream)
    line(1, 10)
    assert stream.getvalue() == ""  # quick runs never show it
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    line = ProgressLine(stream)
    line(10, 10)
    assert stream.getvalue().endswith("baa-lint: parsing 10/10 Terraform files")
    line.clear()
    assert stream.getvalue().endswith("\r\x1b[2K")


def test_no_progress_output_in_a_normal_cli_run(in_tmp: Path, run: Any) -> None:
    from click.testing import CliRunner

    from linter.cli import cli

    write_tree(in_tmp, {"main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n}\n'})
    result = CliRunner().invoke(cli, ["."])
    assert "parsing" not in result.output
