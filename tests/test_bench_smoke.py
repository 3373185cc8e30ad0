"""The benchmark at a tiny scale: its corpus is deterministic and its planted findings are found.

No timing here (SPEC §8: performance is measured by bench/run.py, not by timed tests). This
checks that the generator's expected findings, computed as it plants them, equal what baa-lint
reports on the generated corpus, cold and from a warm cache, so the benchmark's correctness
check cannot rot.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCALE = 0.01


def _module(name: str) -> ModuleType:
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


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return _module("generate")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, generate: ModuleType) -> Path:
    root = tmp_path_factory.mktemp("bench") / "corpus"
    generate.generate(root, SCALE)
    (root / ".git").mkdir()  # a repository root, as bench/run.py makes it
    return root


def _lint(corpus: Path, *options: str) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "json", "--exit-zero", *options, "."],
        cwd=corpus,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout)
    return result


def _keys(findings: object) -> collections.Counter[tuple[str, str, int, str]]:
    assert isinstance(findings, list)
    return collections.Counter(
        (f["rule"], f["path"], int(f["line"]), f.get("object", "")) for f in findings
    )


def test_the_corpus_is_deterministic(tmp_path: Path, generate: ModuleType, corpus: Path) -> None:
    again = generate.generate(tmp_path / "again", SCALE)
    assert again["digest"] == generate.tree_digest(corpus)
    assert generate.generate(tmp_path / "other", SCALE, seed=2)["digest"] != again["digest"]


def test_the_corpus_plants_violations_and_clean_declarations(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    stats = manifest["stats"]
    assert stats["anthropic_directories"] < stats["tf_directories"] / 2
    assert stats["expected_findings"] > 5
    assert stats["workspaces"] > stats["expected_findings"] / 2  # clean ones too
    assert len(stats["expected_by_rule"]) >= 5
    assert (corpus / manifest["precommit_file"]).is_file()


def test_baa_lint_finds_exactly_the_planted_findings(corpus: Path, tmp_path: Path) -> None:
    expected = json.loads((corpus / "expected.json").read_text())
    cache = tmp_path / "cache"
    cold = _lint(corpus, "--cache-dir", str(cache))
    assert _keys(cold["findings"]) == _keys(expected["findings"])
    assert cold["summary"]["suppressed"] == expected["suppressed"]  # type: ignore[index]
    warm = _lint(corpus, "--cache-dir", str(cache))
    assert _keys(warm["findings"]) == _keys(expected["findings"])


def test_every_generated_tf_file_parses_with_python_hcl2_and_baa_lint(corpus: Path) -> None:
    import hcl2

    from linter.terraform.syntax.hcl import parse_hcl

    files = sorted(corpus.rglob("*.tf"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        hcl2.loads(text)
        parse_hcl(text, path.name)


def test_the_benchmark_runner_end_to_end(corpus: Path, tmp_path: Path) -> None:
    """bench/run.py itself, one round, on the tiny corpus: it runs and its check passes."""
    results = tmp_path / "results.json"
    precommit_before = {p: p.read_bytes() for p in corpus.rglob("*.tf")}
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--corpus",
            str(corpus),
            "--scale",
            str(SCALE),
            "--runs",
            "1",
            "--output",
            str(results),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    data = json.loads(results.read_text())
    assert data["findings_match"] is True
    assert set(data["variants"]) == {"cold", "warm", "pre-commit", "python-hcl2"}
    assert data["naive"]["failures"] == 0
    assert {t["target"] for t in data["targets"]} >= {"warm <= 1 s", "baa-lint peak <= 300 MB"}
    # The pre-commit variant edits one file and puts it back.
    assert {p: p.read_bytes() for p in corpus.rglob("*.tf")} == precommit_before


def test_findings_are_identical_cold_warm_any_jobs_and_without_pruning(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pruning, the cache and parallel parsing change how fast, never what is found."""
    from linter.lint import lint
    from linter.output.formats.json_format import document
    from linter.settings.config import Config
    from linter.terraform import loader

    monkeypatch.chdir(corpus)

    def findings(**options: object) -> list[object]:
        return document(lint(["."], Config(**options)))["findings"]  # type: ignore[arg-type]

    cold = findings(cache=False, jobs=1)
    assert len(cold) >= 10  # the corpus has planted findings to compare
    cache = str(tmp_path / "cache")
    assert findings(cache_dir=cache, jobs=1) == cold  # fills the cache
    assert findings(cache_dir=cache, jobs=1) == cold  # warm
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)  # the tiny corpus is below it
    assert findings(cache=False, jobs=2) == cold
    assert findings(cache=False, jobs=1, prune=False) == cold
