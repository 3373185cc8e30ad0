"""Deterministic output: identical bytes across runs, --jobs values and directory listing order."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.terraform import loader

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("text", "json", "sarif", "junit", "gitlab", "markdown", "github")


@pytest.fixture
def tree(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every example, and a few more Terraform modules; every parse goes to worker processes
    when --jobs allows (the loader's size threshold is lowered for the test)."""
    shutil.copytree(REPO / "examples", in_tmp / "examples")
    for i in range(6):
        blocks = [
            f'resource "anthropic_workspace" "w{i}_{j}" {{\n  name = "w{i}-{j}"\n'
            f'  models = ["claude-fable-5", "claude-{j}"]\n  provider = anthropic.p{i % 3}\n}}\n'
            for j in range(3)
        ]
        (in_tmp / "extra" / f"m{i}").mkdir(parents=True)
        (in_tmp / "extra" / f"m{i}" / "main.tf").write_text("".join(blocks), encoding="utf-8")
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    return in_tmp


def outputs(*extra: str) -> dict[str, bytes]:
    """Every format's output for the tree, as bytes, from one run."""
    Path("out").mkdir(exist_ok=True)
    for old in Path("out").iterdir():
        old.unlink()
    args = ["check", "examples", "extra", "--no-cache", "--format", "text", *extra]
    args += [f"--format={fmt}=out/{fmt}" for fmt in FORMATS if fmt != "text"]
    run = CliRunner().invoke(cli, args)
    assert run.exit_code == 1, run.output
    result = {fmt: Path(f"out/{fmt}").read_bytes() for fmt in FORMATS if fmt != "text"}
    result["text"] = run.stdout_bytes
    return result


def test_identical_bytes_across_runs(tree: Path) -> None:
    first = outputs("--jobs", "1")
    assert first == outputs("--jobs", "1")
    assert b"BAA001" in first["text"] and b"extra/m5/main.tf" in first["text"]


def test_identical_bytes_across_jobs(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures  # the loader imports its pool from here when it starts one

    pools: list[int] = []
    real_pool = concurrent.futures.ProcessPoolExecutor

    def pool(max_workers: int, **options: Any) -> Any:
        pools.append(max_workers)
        return real_pool(max_workers=max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    serial = outputs("--jobs", "1")
    assert pools == []
    assert serial == outputs("--jobs", "2") == outputs("--jobs", "3")
    assert pools == [1, 2]  # both parallel runs parsed in worker processes (and in this one)


def test_identical_bytes_with_and_without_the_cache(tree: Path) -> None:
    cold = outputs("--jobs", "2")
    args = ["check", "examples", "extra", "--format", "json=out/json", "--jobs", "2"]
    CliRunner().invoke(cli, args)  # fills the cache
    assert Path(".baa-lint-cache").is_dir()
    CliRunner().invoke(cli, args)
    assert Path("out/json").read_bytes() == cold["json"]


class _ShuffledScandir:
    """os.scandir's result in a random order (as some file systems return entries)."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = iter(entries)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self.entries)

    def __enter__(self) -> _ShuffledScandir:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def close(self) -> None:
        return None


def shuffle_listings(monkeypatch: pytest.MonkeyPatch, seed: int) -> list[str]:
    """Shuffle every directory listing (os.walk uses scandir, Path.iterdir uses listdir);
    returns the directories listed, so a test can check the patch was used."""
    rng = random.Random(seed)
    real_scandir, real_listdir = os.scandir, os.listdir
    listed: list[str] = []

    def scandir(path: Any = ".") -> _ShuffledScandir:
        with real_scandir(path) as it:
            entries = list(it)
        rng.shuffle(entries)
        listed.append(str(path))
        return _ShuffledScandir(entries)

    def listdir(path: Any = ".") -> list[str]:
        names = real_listdir(path)
        rng.shuffle(names)
        listed.append(str(path))
        return names

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    return listed


def test_identical_bytes_across_directory_listing_order(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = outputs("--jobs", "1")
    for seed in (1, 2):
        listed = shuffle_listings(monkeypatch, seed)
        assert outputs("--jobs", "1") == expected
        assert any(p.endswith("rules") for p in listed)  # the walk listed through the patch
        assert any(p.endswith("m3") for p in listed)  # and so did the Terraform loader
        monkeypatch.undo()


def test_show_is_deterministic_too(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["show", "examples", "--format", "json", "--no-cache"]
    first = CliRunner().invoke(cli, args).stdout_bytes
    shuffle_listings(monkeypatch, 3)
    assert CliRunner().invoke(cli, args).stdout_bytes == first
    assert b"meridian-engineering" in first
