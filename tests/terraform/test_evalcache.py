"""The evaluation memo: a warm run reports exactly what a run without any cache reports.

Each test edits a tree the way a user would between two runs, then compares a run that uses
the memo with one that uses no cache at all (the whole JSON document: findings, evidence,
suppressions, configurations).
"""

from __future__ import annotations

import marshal
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from linter.core.cache import ParseCache
from linter.lint import lint
from linter.output.formats.json_format import document
from linter.settings.config import Config
from linter.terraform import listing
from linter.terraform.eval import graph as evaluator
from linter.terraform.memo import store as evalcache
from tests.conftest import write_tree
from tests.security.conftest import memo_output, set_memo_output

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ORG = """
resource "anthropic_organization" "org" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = %s
}
"""

WORKSPACE_MODULE = """
variable "models" {
  type = list(string)
}

variable "env" {
  type = string
}

resource "anthropic_workspace" "ws" {
  name            = "research-${var.env}"
  organization_id = "acme"
  tags = {
    phi    = "true"
    models = join(",", var.models)
  }
}
"""

ROOT = """
variable "models" {
  type    = list(string)
  default = ["claude-sonnet-4-5"]
}

module "team" {
  source = "../modules/team"
  models = var.models
  env    = "ENV"
}
"""


def run(tree: Path, **options: object) -> dict[str, object]:
    result = lint([str(tree)], Config(**options))  # type: ignore[arg-type]
    data = document(result)
    suppressed = [(s.finding, s.justification) for s in result.suppressed]
    files = sorted(result.files)
    return {
        "findings": data["findings"],
        "summary": data["summary"],
        "suppressed": suppressed,
        "files": files,
    }


class Runs:
    """Lints a tree with a memo kept across runs, counting the roots actually evaluated."""

    def __init__(self, tree: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tree, self.cache = tree, cache
        self.evaluated: list[Path] = []
        original = evaluator._Evaluator._evaluate_recorded

        def counting(self_: evaluator._Evaluator, root: Path) -> object:
            self.evaluated.append(root)
            return original(self_, root)

        monkeypatch.setattr(evaluator._Evaluator, "_evaluate_recorded", counting)

    def warm(self, **options: object) -> dict[str, object]:
        self.evaluated.clear()
        return run(self.tree, cache_dir=str(self.cache), **options)

    def fresh(self, **options: object) -> dict[str, object]:
        evaluated = list(self.evaluated)
        try:
            return run(self.tree, cache=False, **options)
        finally:
            self.evaluated[:] = evaluated  # count the runs with the memo only

    def same_after(self, edit: Callable[[], object], **options: object) -> list[str]:
        """Edit the tree; assert warm == fresh; the roots the warm run evaluated."""
        edit()
        warm = self.warm(**options)
        evaluated = sorted(p.name for p in self.evaluated)
        assert warm == self.fresh(**options)
        return evaluated


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "org/main.tf": ORG % "true",
            "modules/team/main.tf": WORKSPACE_MODULE,
            "prod/main.tf": ROOT.replace("ENV", "prod"),
            "prod/terraform.tfvars": 'models = ["claude-fable-5"]\n',
            "staging/main.tf": ROOT.replace("ENV", "staging"),
        },
    )
    return root


@pytest.fixture
def runs(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runs:
    monkeypatch.chdir(tree)
    return Runs(tree, tmp_path / "cache", monkeypatch)


def test_a_warm_run_evaluates_nothing_and_reports_the_same(runs: Runs) -> None:
    cold = runs.warm()
    assert sorted(p.name for p in runs.evaluated) == ["org", "prod", "staging"]
    assert [f["rule"] for f in cold["findings"]] == ["BAA001"]  # type: ignore[index]
    assert runs.warm() == cold == runs.fresh()
    assert runs.evaluated == []


def test_an_edited_root_is_evaluated_again_alone(runs: Runs, tree: Path) -> None:
    runs.warm()

    def edit() -> None:
        (tree / "staging/terraform.tfvars").write_text('models = ["claude-fable-5"]\n')

    assert runs.same_after(edit) == ["staging"]


def test_an_edited_shared_module_re_evaluates_every_root_that_calls_it(
    runs: Runs, tree: Path
) -> None:
    runs.warm()
    module = tree / "modules/team/main.tf"
    assert runs.same_after(
        lambda: module.write_text(module.read_text().replace('"true"', '"false"'))
    ) == ["prod", "staging"]


def test_a_new_auto_tfvars_file_is_noticed(runs: Runs, tree: Path) -> None:
    runs.warm()
    edit = (tree / "staging/x.auto.tfvars").write_text
    assert runs.same_after(lambda: edit('models = ["claude-fable-5"]\n')) == ["staging"]
    assert len(runs.fresh()["findings"]) == 2  # type: ignore[arg-type]


def test_a_deleted_tfvars_file_is_noticed(runs: Runs, tree: Path) -> None:
    runs.warm()
    assert runs.same_after((tree / "prod/terraform.tfvars").unlink) == ["prod"]
    assert runs.fresh()["findings"] == []


def test_a_changed_organization_elsewhere_changes_the_findings(runs: Runs, tree: Path) -> None:
    runs.warm()
    before = runs.fresh()
    assert runs.same_after(lambda: (tree / "org/main.tf").write_text(ORG % "false")) == ["org"]
    assert runs.fresh() != before


def test_a_module_that_starts_to_matter_is_read(runs: Runs, tree: Path) -> None:
    """Pruning ruled the called module out; once it declares a workspace it must be read."""
    (tree / "modules/extra/main.tf").parent.mkdir()
    (tree / "modules/extra/main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    root = tree / "prod/main.tf"
    root.write_text(root.read_text() + 'module "extra" {\n  source = "../modules/extra"\n}\n')
    before = runs.warm()

    def edit() -> None:
        (tree / "modules/extra/main.tf").write_text(WORKSPACE_MODULE.replace("research", "x"))

    assert "prod" in runs.same_after(edit)
    assert runs.fresh() != before


def test_new_and_deleted_roots(runs: Runs, tree: Path) -> None:
    runs.warm()

    def add() -> None:
        write_tree(
            tree,
            {
                "dev/main.tf": ROOT.replace("ENV", "dev"),
                "dev/terraform.tfvars": 'models = ["claude-fable-5"]',
            },
        )

    assert runs.same_after(add) == ["dev"]
    assert runs.same_after(lambda: shutil.rmtree(tree / "prod")) == []


def test_syntax_errors_and_suppressions_in_remembered_files_still_count(
    runs: Runs, tree: Path
) -> None:
    module = tree / "modules/team/main.tf"
    text = module.read_text().replace(
        'resource "anthropic_workspace"',
        '# baa-lint: ignore[BAA001] reviewed with the privacy office\nresource "anthropic_workspace"',
    )
    module.write_text(text)
    write_tree(tree, {"broken/main.tf": 'resource "anthropic_workspace" "x" {\n  name = \n'})
    cold = runs.warm()
    assert [f["rule"] for f in cold["findings"]] == ["BAA900"]  # type: ignore[index]
    assert len(cold["suppressed"]) == 1  # type: ignore[arg-type]
    assert runs.warm() == cold
    assert runs.evaluated == []


def test_evaluation_diagnostics_are_remembered(runs: Runs, tree: Path) -> None:
    write_tree(
        tree,
        {
            "cycle/main.tf": 'module "b" {\n  source = "../cycle-b"\n}\n'
            'resource "anthropic_workspace" "w" {\n  name = local.a\n}\n'
            "locals {\n  a = local.b\n  b = local.a\n}\n",
            "cycle-b/main.tf": 'module "a" {\n  source = "../cycle"\n}\n',
        },
    )
    cold = runs.warm()
    messages = [f["message"] for f in cold["findings"] if f["rule"] == "BAA900"]  # type: ignore[index]
    assert any("module cycle" in m for m in messages) and any(
        "cycle in locals" in m for m in messages
    )
    assert runs.warm() == cold == runs.fresh()
    assert runs.evaluated == []


def test_a_module_symlink_pointed_elsewhere_is_noticed(
    runs: Runs, tree: Path, tmp_path: Path
) -> None:
    """No file changes when a symlinked module source moves in or out of the repository."""
    outside = tmp_path / "outside"
    write_tree(outside, {"main.tf": WORKSPACE_MODULE})
    (tree / "link").symlink_to(outside, target_is_directory=True)
    root = tree / "prod/main.tf"
    root.write_text(root.read_text().replace("../modules/team", "../link"))
    before = runs.warm()
    assert any("outside the repository" in f["message"] for f in before["findings"])  # type: ignore[index]

    def point_inside() -> None:
        (tree / "link").unlink()
        (tree / "link").symlink_to(tree / "modules/team", target_is_directory=True)

    assert "prod" in runs.same_after(point_inside)
    assert runs.fresh() != before

    def point_outside() -> None:
        (tree / "link").unlink()
        (tree / "link").symlink_to(outside, target_is_directory=True)

    assert "prod" in runs.same_after(point_outside)
    assert runs.fresh() == before


@pytest.mark.parametrize(
    "option",
    [
        {"variables": {"models": '["claude-fable-5"]'}},
        {"var_files": ("extra.tfvars",)},
    ],
)
def test_options_are_part_of_the_key(runs: Runs, tree: Path, option: dict[str, object]) -> None:
    (tree / "extra.tfvars").write_text('models = ["claude-fable-5"]\n')
    runs.warm()
    assert runs.same_after(lambda: None, **option) == ["org", "prod", "staging"]
    assert len(runs.fresh(**option)["findings"]) == 2  # type: ignore[arg-type]


def test_tf_var_environment_is_part_of_the_key(runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    runs.warm()
    monkeypatch.setenv("TF_VAR_models", '["claude-fable-5"]')
    assert runs.same_after(lambda: None) == ["org", "prod", "staging"]


def _memo(cache: Path) -> Path:
    return cache / evalcache.DOCUMENT


def _roots(d: dict[str, Any]) -> list[dict[str, Any]]:
    return list(d["roots"].values())


def _each_output(d: dict[str, Any], change: Callable[[list[Any]], object]) -> None:
    """Apply ``change`` to every root's ``[decls, tables]``, stored back as bytes."""
    for entry in _roots(d):
        output = memo_output(entry)
        change(output)
        set_memo_output(entry, *output)


def _first_decl(output: list[Any]) -> list[Any]:
    """The first ``[key, declaration]`` pair."""
    return output[0][0]  # type: ignore[no-any-return]


CORRUPTIONS: dict[str, Callable[[dict[str, Any]], object]] = {
    "not marshal": lambda d: None,
    "output not marshal": lambda d: [e.update(out=b"\x00garbage") for e in _roots(d)],
    "output not bytes": lambda d: [e.update(out=memo_output(e)) for e in _roots(d)],
    "output not a pair": lambda d: [e.update(out=marshal.dumps([1])) for e in _roots(d)],
    "decls garbage": lambda d: _each_output(d, lambda o: o.__setitem__(0, [[1, "x"]])),
    "bad path index": lambda d: _each_output(d, lambda o: o.__setitem__(1, ([], [], [], [()]))),
    "tables not a tuple": lambda d: _each_output(d, lambda o: o.__setitem__(1, [[], [], [], []])),
    "root not a node": lambda d: _each_output(
        d, lambda o: o and o[0] and _first_decl(o).__setitem__(1, ("x", *_first_decl(o)[1][1:]))
    ),
    "location out of range": lambda d: _each_output(
        d, lambda o: o.__setitem__(1, (o[1][0], [0, 1, 1], *o[1][2:]))
    ),
    "cost not numbers": lambda d: [e.update(cost=["a", None]) for e in _roots(d)],
    "dirs not a list": lambda d: [e.update(dirs=7) for e in _roots(d)],
    "files garbage": lambda d: [e.update(files=[[1]]) for e in d["dirs"].values()],
    "outline garbage": lambda d: [e.update(outline=["x"]) for e in d["dirs"].values()],
    "entries not objects": lambda d: d.update(roots={"x": 1}, dirs=[]),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupt_memo_is_ignored(runs: Runs, corruption: str) -> None:
    """Corrupted on disk: the MAC no longer matches, and the document is ignored."""
    cold = runs.warm()
    path = _memo(runs.cache)
    data = marshal.loads(path.read_bytes())
    if CORRUPTIONS[corruption](data) is None and corruption == "not marshal":
        path.write_bytes(b"{\x00")
    else:
        path.write_bytes(marshal.dumps(data))
    assert runs.warm() == cold
    assert runs.warm() == cold  # and the memo heals


@pytest.mark.parametrize("corruption", sorted(set(CORRUPTIONS) - {"not marshal"}))
def test_a_memo_of_the_wrong_shape_is_ignored_even_when_signed(runs: Runs, corruption: str) -> None:
    """Signed as this user's baa-lint signs it (a bug, not an attack: the MAC key is this
    user's): the decoder itself discards what is not well formed, without crashing."""
    cold = runs.warm()
    cache = ParseCache.open(str(runs.cache), runs.tree, enabled=True)
    data = cache.read_document(evalcache.DOCUMENT)
    assert isinstance(data, dict), "the memo did not read back: update this test"
    CORRUPTIONS[corruption](data)
    cache.write_document(evalcache.DOCUMENT, data)
    cache.close()
    assert runs.warm() == cold
    assert runs.warm() == cold  # and the memo heals


def test_a_root_that_does_not_fit_the_budget_left_is_evaluated(
    runs: Runs, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = runs.warm()
    monkeypatch.setattr(evaluator, "FUEL", 1)  # less than any root cost
    runs.warm()
    assert runs.evaluated  # nothing was taken from the memo
    monkeypatch.setattr(evaluator, "FUEL", 2_000_000)
    assert runs.warm() == cold


HEAVY_ROOT = """
locals {
  burn = length(concat(range(9000), range(9000), range(9000)))
}

resource "anthropic_workspace" "heavy" {
  name            = "heavy"
  organization_id = "acme"
  tags = {
    models = "claude-fable-${local.burn}"
  }
}
"""


def test_a_root_that_spends_its_budget_changes_no_other_root(
    runs: Runs, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each root has a budget of its own, so the memo's results for the others still hold
    beside a root that spends all of its budget (which is never memoised: evaluated again)."""
    monkeypatch.setattr(evaluator, "FUEL", 20_000)  # far over the other roots' costs
    before = runs.warm()
    (tree / "a-heavy").mkdir()
    assert runs.same_after(lambda: (tree / "a-heavy/main.tf").write_text(HEAVY_ROOT)) == ["a-heavy"]
    after = runs.fresh()
    findings = after["findings"]
    assert isinstance(findings, list)
    heavy = [f for f in findings if f["path"].startswith("a-heavy")]
    assert ["budget of this root module ran out" in f["message"] for f in heavy] == [True]
    assert [f for f in findings if f not in heavy] == before["findings"]
    assert runs.warm() == after
    assert [p.name for p in runs.evaluated] == ["a-heavy"]


def test_a_root_past_the_instance_limit_changes_no_other_root(
    runs: Runs, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like the budget: the instance limit is per root, and a root that reaches it is never
    memoised (its BAA013 is not in the memo's format), so warm equals fresh every time."""
    monkeypatch.setattr(evaluator, "MAX_ROOT_INSTANCES", 10)  # over the other roots' counts
    before = runs.warm()
    many = 'resource "anthropic_workspace" "many" {\n  count = 11\n  name = "m${count.index}"\n}\n'
    (tree / "a-many").mkdir()
    assert runs.same_after(lambda: (tree / "a-many/main.tf").write_text(many)) == ["a-many"]
    after = runs.fresh()
    findings = after["findings"]
    assert isinstance(findings, list)
    assert [f["rule"] for f in findings if f["path"].startswith("a-many")] == ["BAA013"]
    assert [f for f in findings if not f["path"].startswith("a-many")] == before["findings"]
    assert runs.warm() == after
    assert [p.name for p in runs.evaluated] == ["a-many"]


@pytest.mark.parametrize(
    "example", sorted(p.name for p in (EXAMPLES / "terraform").iterdir() if p.is_dir())
)
def test_examples_warm_equals_fresh(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / example
    shutil.copytree(EXAMPLES / "terraform" / example, tree)
    monkeypatch.chdir(tree)
    runs = Runs(tree, tmp_path / "cache", monkeypatch)
    fresh = runs.fresh()
    assert runs.warm() == fresh
    assert runs.warm() == fresh
    assert runs.evaluated == []


# --- stat signatures: a warm run vouches for unchanged files without reading them -----------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Terraform file read through the repository reader, by name."""
    from linter.core import files

    seen: list[str] = []
    original = files.RepositoryReader.read_bytes

    def counting(self: files.RepositoryReader, path: object, *args: object) -> bytes:
        if str(path).endswith((".tf", ".tfvars")):
            seen.append(Path(str(path)).name)
        return original(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files.RepositoryReader, "read_bytes", counting)
    return seen


def test_a_warm_run_reads_no_unchanged_file(
    runs: Runs, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "RACY_NS", 0)  # the files were written a moment ago
    cold = runs.warm()
    assert reads
    reads.clear()
    assert runs.warm() == cold
    assert reads == []
    assert runs.evaluated == []


def test_a_recently_changed_file_is_read_again(runs: Runs, reads: list[str]) -> None:
    """A signature taken within RACY_NS of the file's last change is not trusted: an edit in the
    same timestamp tick would keep it."""
    runs.warm()
    reads.clear()
    runs.warm()
    assert "main.tf" in reads


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every cache document written, in order."""
    from linter.core.cache import ParseCache

    names: list[str] = []
    original = ParseCache.write_document

    def noting(self: ParseCache, name: str, data: object) -> None:
        names.append(name)
        original(self, name, data)

    monkeypatch.setattr(ParseCache, "write_document", noting)
    return names


def test_files_changed_a_moment_ago_do_not_rewrite_the_memo_run_after_run(
    runs: Runs, reads: list[str], written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file is too recently changed to vouch for (RACY_NS: a day), so each run reads
    them again; what the memo records of them stays the same, and it is written once."""
    monkeypatch.setattr(listing, "RACY_NS", 86_400 * 10**9)
    cold = runs.warm()
    assert evalcache.DOCUMENT in written
    for _ in range(2):
        written.clear()
        reads.clear()
        assert runs.warm() == cold
        assert "main.tf" in reads  # read again: not vouched for
        assert evalcache.DOCUMENT not in written
        assert runs.evaluated == []


def test_a_file_touched_but_not_changed_rewrites_only_the_signatures(
    runs: Runs, tree: Path, written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout or an edit put back changes a file's signature, not what it says: the run
    records the new signature (a small document) and leaves the memo (megabytes) as it is."""
    import os

    monkeypatch.setattr(listing, "RACY_NS", 0)
    cold = runs.warm()
    assert {evalcache.DOCUMENT, evalcache.SIGNATURES} <= set(written)
    org = tree / "org/main.tf"
    os.utime(org, ns=(org.stat().st_atime_ns, org.stat().st_mtime_ns + 10**9))
    written.clear()
    assert runs.warm() == cold
    assert evalcache.SIGNATURES in written
    assert evalcache.DOCUMENT not in written
    assert runs.evaluated == []
    written.clear()
    assert runs.warm() == cold  # the new signature vouches for the file: nothing to write
    assert evalcache.SIGNATURES not in written and evalcache.DOCUMENT not in written


def test_an_edit_that_keeps_size_and_mtime_is_noticed(
    runs: Runs, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cp -p, rsync or touch -d can restore size and mtime; the ctime still moves."""
    import os

    monkeypatch.setattr(listing, "RACY_NS", 0)
    runs.warm()
    org = tree / "org/main.tf"
    before = org.stat()

    def edit() -> None:
        org.write_text(org.read_text().replace("= true", "=false"))  # same length
        os.utime(org, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (org.stat().st_size, org.stat().st_mtime_ns) == (
            before.st_size,
            before.st_mtime_ns,
        )

    assert runs.same_after(edit) == ["org"]


def test_a_file_whose_text_holds_a_directive_is_read_for_it(
    runs: Runs, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A remembered file that holds "baa-lint" is read, so its suppressions still count."""
    monkeypatch.setattr(listing, "RACY_NS", 0)
    module = tree / "modules/team/main.tf"
    module.write_text(
        module.read_text().replace(
            "  tags = {", "  # baa-lint: ignore[BAA001] pinned for the study, MIG-7\n  tags = {"
        )
    )
    cold = runs.warm()
    assert cold["findings"] == [] and len(cold["suppressed"]) == 1  # type: ignore[arg-type]
    assert runs.warm() == cold == runs.fresh()
