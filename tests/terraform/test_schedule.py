"""How a run works through the directories of a repository (linter.terraform.eval.graph.run).

Every candidate directory is outlined and, when the pruning scan's text-based guess says no
other directory calls it, evaluated as a root while its definition is at hand; only the real
roots' evaluations are kept. A wrong guess, a tiny definition cache, worker processes, a memo:
none of them may change what the run reports, only how long it takes.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

import pytest

from linter.lint import lint
from linter.output.formats.json_format import document
from linter.settings.config import Config
from linter.terraform import loader
from linter.terraform.eval import graph
from linter.terraform.options import TerraformOptions
from linter.terraform.syntax.ast import File
from tests.conftest import write_tree

ORG = """
resource "anthropic_organization" "org" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = true
}
"""

TEAM = """
variable "models" {
  type    = list(string)
  default = ["claude-fable-5"]
}

resource "anthropic_workspace" "team" {
  name            = "team"
  organization_id = "acme"
  tags            = { phi = "true", models = join(",", var.models) }
}
"""

CALLER = """
module "team" {
  source = "%s"
  models = ["claude-fable-5"]
}
"""

# A comment that the text scan reads as a module call: "shared" looks called, yet is a root.
MISLEADING = """
# module "x" { source = "../shared" }
resource "anthropic_workspace" "lone" {
  name            = "lone"
  organization_id = "acme"
  tags            = { phi = "true" }
}
"""

TREE = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "org/main.tf": ORG,
    "modules/team/main.tf": TEAM,
    "prod/main.tf": CALLER % "../modules/team",
    "staging/main.tf": CALLER % "../modules/team",
    "shared/main.tf": TEAM.replace('"team"', '"shared"'),
    "lone/main.tf": MISLEADING,
    # Called through an escaped slash, which the text scan does not read as a call: a root by
    # the guess, a module in truth (its evaluation as a root must be dropped).
    "json/main.tf.json": '{"module": {"t": {"source": "..\\/modules\\/json-team"}}}',
    "modules/json-team/main.tf": TEAM.replace('"team"', '"json-team"'),
    "cycle/a/main.tf": CALLER % "../b",
    "cycle/b/main.tf": CALLER % "../a" + TEAM.replace('"team"', '"cyc"'),
}


def report(**options: object) -> dict[str, object]:
    result = lint(["."], Config(**options))  # type: ignore[arg-type]
    return {"document": document(result), "files": sorted(result.files)}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    write_tree(root, TREE)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def expected(tree: Path) -> dict[str, object]:
    found = report(cache=False, jobs=1, prune=False)  # no guess at all: nothing to mislead
    assert report(cache=False, jobs=1) == found  # pruning drops nothing that matters here
    assert found["document"]["findings"], "the tree has findings to compare"  # type: ignore[index]
    return found


def _guess(monkeypatch: pytest.MonkeyPatch, make: object) -> None:
    def guessed(calls: Mapping[str, set[str]]) -> dict[str, int]:
        keys = set(calls) | {c for callees in calls.values() for c in callees}
        return make(keys) if callable(make) else dict(make)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_callers", guessed)


@pytest.mark.parametrize(
    "guess",
    [
        pytest.param(None, id="the scan's guess"),
        pytest.param({}, id="nothing is called"),
        pytest.param(lambda keys: dict.fromkeys(keys, 1), id="everything is called"),
        pytest.param(lambda keys: dict.fromkeys(keys, 5), id="everything is shared"),
    ],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_wrong_guess_of_the_roots_changes_nothing(
    tree: Path,
    expected: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    guess: object,
    jobs: int,
) -> None:
    if guess is not None:
        _guess(monkeypatch, guess)
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)  # workers even for a tiny tree
    assert report(cache=False, jobs=jobs) == expected


def test_the_misread_comment_and_the_escaped_call_are_judged_right(
    tree: Path, expected: dict[str, object]
) -> None:
    """The guesses the scan gets wrong in TREE, checked against what they must give."""
    findings = expected["document"]["findings"]  # type: ignore[index]
    objects = {f["object"] for f in findings}  # type: ignore[index]
    assert any(o.endswith("anthropic_workspace.shared") for o in objects)  # a root after all
    # json-team through its caller only, never as a root of its own.
    assert [o for o in objects if "json-team" in o] == [
        "json:module.t.anthropic_workspace.json-team"
    ]
    assert report(cache=False, jobs=1) == expected  # with the scan's guess


def test_definitions_are_dropped_between_roots(
    tree: Path, expected: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for one definition, at most the trees of the root at hand are alive: memory
    is bounded by the largest root, and re-reading an evicted module changes nothing."""
    for i in range(12):
        write_tree(tree, {f"more/r{i}/main.tf": TEAM.replace('"team"', f'"r{i}"')})
    wanted = report(cache=False, jobs=1, prune=False)
    monkeypatch.setattr(graph, "KEPT_DEFINITIONS", 1)

    def trees() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, File))

    gc.collect()
    before = trees()  # what other tests keep alive
    most = [0]
    module_files = loader.FileLoader.module_files

    def watched(self: loader.FileLoader, directory: Path) -> list[File] | None:
        files = module_files(self, directory)
        most[0] = max(most[0], trees() - before)
        return files

    monkeypatch.setattr(loader.FileLoader, "module_files", watched)
    assert report(cache=False, jobs=1) == wanted
    # The largest roots here (prod and modules/team, cycle/a and cycle/b) read two directories
    # of one file each: the cache keeps as many as the largest root read (2), the root at hand
    # loads its own (2), and the file being parsed is one more. Without the bound, all 22
    # stay alive to the end.
    assert 0 < most[0] <= 5, most[0]


def test_a_warm_run_with_a_changed_caller_reports_the_same(
    tree: Path, expected: dict[str, object], tmp_path: Path
) -> None:
    """A root remembered by the memo that stops being one (a new caller) is not taken."""
    cache = str(tmp_path / "cache")
    assert report(cache_dir=cache, jobs=1) == expected
    write_tree(tree, {"caller-of-lone/main.tf": CALLER % "../lone"})
    fresh = report(cache=False, jobs=1, prune=False)
    assert report(cache_dir=cache, jobs=1) == fresh
    assert report(cache_dir=cache, jobs=1) == fresh  # and warm again


def test_the_default_job_count_is_one_per_processor_up_to_four(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for processors, expected in ((1, 1), (2, 2), (16, loader.MAX_DEFAULT_JOBS)):
        monkeypatch.setattr(loader, "_processors", lambda n=processors: n)
        assert loader.job_count(TerraformOptions()) == expected
    assert loader.job_count(TerraformOptions(jobs=3)) == 3
