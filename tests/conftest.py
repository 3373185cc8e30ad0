"""Shared test helpers: write a small tree of files, lint it, and compare findings."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

from linter.lint import lint
from linter.result import Result
from linter.settings.config import Config

TODAY = dt.date(2026, 11, 24)

# A ZDR organization whose workspace expects a Covered Model: one BAA001 at 8:14.
COVERED_ON_ZDR = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-clinical
baa_signed: true
zero_data_retention: true
workspaces:
  - name: radiology-reports
    models: [claude-fable-5]
"""


BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str) -> ModuleType:
    """A module of bench/ (scripts, not a package: they import each other by name)."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def markdown_cells(row: str) -> list[str]:
    """Split a table row on the pipes GFM treats as cell borders (not the escaped ones)."""
    parts, current, escaped = [], "", False
    for char in row.strip()[1:-1]:
        if char == "|" and not escaped:
            parts.append(current.strip())
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    parts.append(current.strip())
    return parts


@contextmanager
def working_directory(path: Path) -> Iterator[Path]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(previous)


def lint_here(paths: Sequence[str] = (".",), **config: object) -> Result:
    """Lint inside the current directory, with the fixed date the expected outputs were made with."""
    options: dict[str, object] = {"today": TODAY}
    options.update(config)
    return lint(list(paths), Config(**options))  # type: ignore[arg-type]


def finding_keys(result: Result) -> list[str]:
    """'CODE path:line:col' for every active finding, in output order."""
    return [f"{f.rule} {f.location}" for f in result.findings]


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test inside a temporary directory (paths in findings are relative to it)."""
    with working_directory(tmp_path):
        yield tmp_path


@pytest.fixture
def run(in_tmp: Path):  # type: ignore[no-untyped-def]
    """run(files, **config) -> Result, linting '.' inside a fresh temporary directory."""

    def _run(files: Mapping[str, str], paths: list[str] | None = None, **config: object) -> Result:
        write_tree(in_tmp, files)
        options: dict[str, object] = {"today": TODAY}
        options.update(config)
        return lint(paths or ["."], Config(**options))  # type: ignore[arg-type]

    return _run


# Whole modules of end-to-end runs: subprocesses, real pre-commit, a browser, the benchmark.
SLOW_MODULES = {
    "test_precommit.py",
    "test_chromium.py",
    "test_bench_smoke.py",
    "test_packaging.py",
    "test_eval_robustness.py",
    "test_fuzz_smoke.py",
    "test_writes.py",
    "test_network.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark end-to-end and property-based tests `slow`, so `-m "not slow"` leaves them out."""
    for item in items:
        is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        if is_property or item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
