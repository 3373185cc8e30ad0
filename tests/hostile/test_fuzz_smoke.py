"""The CI smoke run of the fuzz harnesses, and the replay of every input they ever crashed on.

Each harness's entry function (the one atheris calls) runs over its seed corpus and a few
hundred seeded random mutations of it: seconds, not the minutes of ``python fuzz/run.py``.
Crashing inputs found by fuzzing are kept in fuzz_regressions/HARNESS/ and replayed here.
"""

from __future__ import annotations

import importlib
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.fuzz_smoke

REPO = Path(__file__).resolve().parents[2]
FUZZ = REPO / "fuzz"
REGRESSIONS = Path(__file__).resolve().parent / "fuzz_regressions"
HARNESSES = ("hcl", "yaml", "eval", "calls", "cloudformation")
MUTATIONS = 300
TIMEOUT = 5.0  # seconds per input (the fuzzer's own limit is 2 s, on a quiet machine)


def _module(name: str) -> ModuleType:
    if str(FUZZ) not in sys.path:
        sys.path.insert(0, str(FUZZ))
    return importlib.import_module(name)


def harness(name: str) -> Callable[[bytes], None]:
    entry: Callable[[bytes], None] = _module(f"fuzz_{name}").test_one_input
    return entry


@pytest.mark.parametrize("name", HARNESSES)
def test_harness_over_seeds_and_mutations(name: str) -> None:
    common = _module("_common")
    entry = harness(name)
    seeds = [p.read_bytes() for p in common.corpus_files([FUZZ / "corpus" / name])]
    assert len(seeds) >= 8
    for seed in seeds:
        common.run_one(entry, seed, TIMEOUT)
    rng = random.Random(f"smoke-{name}")
    for _ in range(MUTATIONS):
        common.run_one(entry, common.mutate(rng.choice(seeds), rng, seeds), TIMEOUT)


def test_harnesses_detect_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A harness that an exception escapes is reported as a crash, and so is a slow input."""
    common = _module("_common")
    fuzz_hcl = _module("fuzz_hcl")

    def broken(text: str, path: str) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(fuzz_hcl, "parse_hcl", broken)
    with pytest.raises(common.CrashError, match="KeyError"):
        common.run_one(fuzz_hcl.test_one_input, b"a = 1\n", TIMEOUT)
    with pytest.raises(common.CrashError, match="slow input"):
        common.run_one(lambda data: None, b"", -1.0)


def test_eval_harness_counts_internal_errors_as_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The evaluator turns unexpected exceptions into unknown values; the eval harness must
    see them anyway, and must put the safety net back afterwards."""
    from linter.terraform.eval import graph as evaluator

    common = _module("_common")
    fuzz_eval = _module("fuzz_eval")
    original = evaluator._internal_error

    def failing_literal(*args: object) -> None:
        raise ZeroDivisionError("simulated evaluator bug")

    monkeypatch.setattr(evaluator._Evaluator, "_literal", failing_literal)
    source = b'resource "anthropic_workspace" "w" {\n  name = "w"\n}\n'
    with pytest.raises(common.CrashError, match="simulated evaluator bug"):
        common.run_one(fuzz_eval.test_one_input, source, TIMEOUT)
    assert evaluator._internal_error is original


def test_the_documented_command_runs(tmp_path: Path) -> None:
    """`python fuzz/run.py` (here: 3 seconds of one harness, without atheris) fuzzes, counts
    its executions and exits 0 when nothing crashed."""
    options = ["--minutes", "0.05", "--only", "calls", "--fallback", "--dir", str(tmp_path)]
    proc = subprocess.run(
        [sys.executable, str(FUZZ / "run.py"), *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    match = re.search(r"^calls: [0-9.]+ min, ([0-9,]+) executions, 0 new crashing", proc.stdout)
    assert match is not None, proc.stdout
    assert int(match.group(1).replace(",", "")) > 32  # more than the seeds
    assert list((tmp_path / "artifacts" / "calls").iterdir()) == []


def regression_inputs() -> list[tuple[str, Path]]:
    return sorted(
        (directory.name, path)
        for directory in REGRESSIONS.iterdir()
        if directory.is_dir()
        for path in directory.iterdir()
        if path.is_file() and not path.name.startswith(".")
    )


@pytest.mark.parametrize(
    ("name", "path"), regression_inputs(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_fuzz_regression(name: str, path: Path) -> None:
    _module("_common").run_one(harness(name), path.read_bytes(), 2.0)  # the fuzzer's limit
