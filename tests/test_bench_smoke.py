"""The benchmark at a tiny scale: its corpus is deterministic and its planted findings are found.

No timing here (SPEC §8: performance is measured by bench/run.py, not by timed tests). This
checks that the generator's expected findings, computed as it plants them, equal what baa-lint
reports on the generated corpus, cold and from a warm cache, so the benchmark's correctness
check cannot rot.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import BENCH, bench_module

SCALE = 0.01


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return bench_module("generate")


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


# ----------------------------------------------------------------------------------------
# The cases where nothing is prunable (bench/dense.py, bench/cases.py)
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dense() -> ModuleType:
    return bench_module("dense")


def _built(dense: ModuleType, out: Path, request: object) -> dict[str, object]:
    manifest: dict[str, object] = dense.write(out, request)
    (out / ".git").mkdir()
    return manifest


def test_dense_corpora_are_deterministic(dense: ModuleType, tmp_path: Path) -> None:
    for name, request in {
        "dense": dense.Request("dense", source="generator", generator_scale=SCALE),
        "bigfile": dense.Request("bigfile", workspaces=50),
        "foreach": dense.Request("foreach", instances=100),
    }.items():
        first = dense.write(tmp_path / f"{name}-1", request)
        second = dense.write(tmp_path / f"{name}-2", request)
        assert first["digest"] == second["digest"], name
        assert first["stats"]["expected_findings"] > 0, name  # type: ignore[index]


def test_without_mirrors_the_dense_corpus_comes_from_the_generator_with_nothing_prunable(
    dense: ModuleType, tmp_path: Path
) -> None:
    request = dense.Request("dense", generator_scale=SCALE)  # source "auto"
    manifest = dense.write(tmp_path / "dense", request, tmp_path / "no-mirrors")
    stats = manifest["stats"]
    assert str(stats["source"]).startswith("generator")
    assert "pinned repositories unavailable" in " ".join(manifest["notes"])
    assert stats["anthropic_directories"] == stats["tf_directories"]  # every one
    # Nothing prunable: each directory mentions a recognised type, or calls one that does.
    root = tmp_path / "dense"
    texts = {
        d.relative_to(root).as_posix(): "".join(p.read_text() for p in d.glob("*.tf"))
        for d in {p.parent for p in root.rglob("*.tf")}
    }
    for directory, text in texts.items():
        calls = dense.called_dirs({f"{directory}/main.tf": text.encode()})
        assert "anthropic_" in text or any("anthropic_" in texts.get(c, "") for c in calls)


def test_copies_of_the_pinned_repositories_multiply_the_planted_findings(
    dense: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "repo/main.tf": b'module "a" {\n  source = "./modules/a"\n}\n',
        "repo/modules/a/main.tf": b"",
        **{f"repo/envs/e{i}/main.tf": b'variable "x" {}\n' for i in range(12)},
    }
    monkeypatch.setattr(dense, "mirrored_sources", lambda _mirrors: (files, ["repo@pinned"]))

    def stats(copies: int) -> dict[str, object]:
        request = dense.Request("dense", copies=copies, source="mirrors")
        result: dict[str, object] = dense.write(tmp_path / str(copies), request)["stats"]
        return result

    one, three = stats(1), stats(3)
    assert one["source"] == "mirrors: repo@pinned"
    assert one["expected_findings"] > 0
    for key in ("tf_files", "expected_findings", "expected_suppressed", "workspaces"):
        assert three[key] == 3 * one[key], key  # type: ignore[operator]
    assert {p.name for p in (tmp_path / "3").iterdir() if p.is_dir()} == {"c1", "c2", "c3"}


def test_a_local_module_source_gets_a_clean_declaration_and_a_root_the_planted_ones(
    dense: ModuleType,
) -> None:
    files = {
        "root/main.tf": b'module "a" {\n  source = "../modules/a"\n}\nmodule "r" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
        "root/json/main.tf.json": b'{"module": {"b": {"source": "./../../modules/b/"}}}',
        "modules/a/main.tf": b'resource "null_resource" "x" {}\n',
        "modules/b/main.tf": b'module "c" { source = "./c" }\n',
        "modules/b/c/main.tf": b"",
        "lonely/main.tf": b'data "archive_file" "x" {\n  source = "./lambda.zip"\n}\n',
    }
    assert dense.called_dirs(files) >= {"modules/a", "modules/b", "modules/b/c"}
    tree = dense.Tree()
    directories = dense.terraform_dirs(files)
    dense.plant_everywhere(tree, files, directories, 1, "t-")
    assert (tree.root_dirs, tree.module_dirs) == (3, 3)  # root, root/json, lonely
    expected_paths = {e.path for e in tree.corpus.expected}
    assert expected_paths <= {f"{d}/anthropic.tf" for d in ("root", "root/json", "lonely")}
    for module in ("modules/a", "modules/b", "modules/b/c"):
        assert f"{module}/anthropic.tf" in tree.corpus.files


def test_the_pinned_repositories_are_read_from_a_mirror_at_their_commit(
    dense: ModuleType, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    (work / "modules" / "x").mkdir(parents=True)
    (work / "main.tf").write_text('module "x" {\n  source = "./modules/x"\n}\n')
    (work / "modules" / "x" / "main.tf").write_text('variable "name" {}\n')
    (work / "prod.tfvars").write_text('name = "x"\n')
    (work / "README.md").write_text("not Terraform\n")
    (work / "link.tf").symlink_to("/etc/passwd")

    def git(*args: str) -> str:
        return subprocess.run(
            [
                "git",
                "-C",
                str(work),
                "-c",
                "user.name=b",
                "-c",
                "user.email=b@example.invalid",
                *args,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "pinned")
    commit = git("rev-parse", "HEAD")
    (work / "main.tf").write_text("# a later commit\n")
    git("commit", "-q", "-am", "later")
    files = dense.repository_files(work / ".git", commit, (".tf", ".tfvars"))
    assert sorted(files) == ["main.tf", "modules/x/main.tf", "prod.tfvars"]  # no link, no .md
    assert files["main.tf"].startswith(b'module "x"')  # the pinned commit's content


@pytest.mark.slow
def test_the_big_file_and_the_for_each_plant_what_baa_lint_finds(
    dense: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The expectations computed by the builders, checked in process at sizes that every
    commit handles (a for_each of 1,000; the 10,000 case runs in the quick benchmark)."""
    from linter.lint import lint
    from linter.output.formats.json_format import document
    from linter.settings.config import Config

    for name, request in {
        "bigfile": dense.Request("bigfile", workspaces=200),
        "foreach": dense.Request("foreach", instances=1000),
    }.items():
        out = tmp_path / name
        _built(dense, out, request)
        monkeypatch.chdir(out)
        found = document(lint(["."], Config(cache=False, jobs=1)))
        expected = json.loads((out / "expected.json").read_text())
        assert _keys(found["findings"]) == _keys(expected["findings"]), name
        assert found["summary"]["suppressed"] == expected["suppressed"]  # type: ignore[index]


def _quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("quick")
    results = root / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--corpus-kind",
            "dense,bigfile,foreach",
            "--corpus-root",
            str(root),
            "--output",
            str(results),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert results.exists(), completed.stdout + completed.stderr
    data: dict[str, object] = json.loads(results.read_text())
    data["stdout"] = completed.stdout
    data["returncode"] = completed.returncode
    return data


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return _quick(tmp_path_factory)


@pytest.mark.slow
def test_the_quick_benchmark_checks_findings_on_every_case_without_timing(
    quick: dict[str, object],
) -> None:
    cases = quick["cases"]
    assert isinstance(cases, dict)
    assert set(cases) == {"dense", "dense-2x", "dense-4x", "bigfile", "foreach"}
    for name in ("dense", "dense-2x", "dense-4x", "bigfile"):
        assert cases[name]["findings_match"], (name, cases[name]["problems"])
        assert str(cases[name]["stats"]["source"]).startswith(("generator", "generated"))
    dense_variants = set(cases["dense"]["variants"])
    assert dense_variants == {"cold-j2", "cold-j1", "cold-cache", "warm", "pre-commit"}
    rows = quick["rows"]
    assert isinstance(rows, list)
    assert {r["status"] for r in rows if not r["measure"].startswith("findings")} == {"-"}
    assert "quick (findings only, no timing verdicts)" in str(quick["stdout"])


@pytest.mark.slow
def test_the_quick_benchmark_expands_a_for_each_of_10000(quick: dict[str, object]) -> None:
    cases = quick["cases"]
    assert isinstance(cases, dict)
    assert cases["foreach"]["findings_match"], cases["foreach"]["problems"][:5]
    assert quick["returncode"] == 0


@pytest.mark.slow
def test_peak_memory_is_the_commands_own_not_the_runners() -> None:
    """ru_maxrss of a child starts at its parent's high-water mark on Linux: a runner holding
    200 MB made every command look at least that large."""
    run = bench_module("run")
    held = bytearray(200 * 1024 * 1024)
    held[::4096] = b"\1" * len(held[::4096])  # resident, not just reserved
    small = run.measure([sys.executable, "-c", "pass"], BENCH)
    grows = run.measure(
        [
            sys.executable,
            "-c",
            "import time; b = bytearray(120 << 20); b[::4096] = b'x' * len(b[::4096]); "
            "time.sleep(0.3)",  # sampled every 0.1 s at most: the last interval can be missed
        ],
        BENCH,
    )
    del held
    assert small.peak_mb < 100
    assert 120 <= grows.peak_mb < 200
