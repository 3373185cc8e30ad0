"""Every directory under examples/ prints exactly its expected.txt (and the right exit code).

Regenerate after an intended change with:  UPDATE_EXPECTED=1 python -m pytest tests/test_examples.py
then review the diff: the expected files are the documentation of each example (the rule pages
in docs/rules/ quote those of examples/rules/: python -m tests.update_rule_docs).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example_dirs() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.rglob("expected.txt"))


def run_example(directory: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    args = [directory.relative_to(ROOT).as_posix(), "--no-color"]
    args_file = directory / "args.txt"
    if args_file.exists():
        args += args_file.read_text().split()
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "directory", example_dirs(), ids=lambda p: p.relative_to(EXAMPLES).as_posix()
)
def test_example_output(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_example(directory, monkeypatch)
    expected_file = directory / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(output)
    assert output == expected_file.read_text()
    failing = "[error]" in output or "[warning]" in output
    assert code == (1 if failing else 0)


def test_every_matrix_row_and_every_rule_has_an_example() -> None:
    dirs = [p.relative_to(EXAMPLES).as_posix() for p in example_dirs()]
    assert len([d for d in dirs if d.startswith("matrix/")]) == 9
    from linter.rules.registry import RULES

    covered = {d.split("/")[1].split("-")[0] for d in dirs if d.startswith("rules/")}
    assert {r.code for r in RULES} - covered == set()
