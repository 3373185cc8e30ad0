"""The remembered verdict (linter.rules.verdicts): a run over the same declarations takes the
model's and the rules' findings from the cache, and reports exactly what a run without any
cache reports; anything the findings depend on that changed gives a fresh verdict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from linter import lint as pipeline
from linter.lint import lint
from linter.output.formats.json_format import document
from linter.rules import verdicts
from linter.settings.config import Config, PathIgnore, PathPattern
from linter.terraform.memo import store as evalcache
from tests.conftest import write_tree

ORG = """
resource "anthropic_organization" "org" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = true
}
"""

# BAA001: a ZDR organization's workspace expects a Covered Model (the model at 6:14).
WORKSPACE = """
resource "anthropic_workspace" "ws" {
  name            = "research"
  organization_id = "acme"
  tags = {
    models = "MODEL"
    phi    = "true"
  }
}
"""

YAML_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: yaml-org
baa_signed: true
hipaa_ready: HIPAA
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "org/main.tf": ORG,
            "org/ws.tf": WORKSPACE.replace("MODEL", "claude-fable-5"),
            "orgs.yaml": YAML_ORG.replace("HIPAA", "true"),
        },
    )
    monkeypatch.chdir(root)
    return root


class Counting:
    """Counts the runs that built the model (a remembered verdict builds none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.models = 0
        original = pipeline.build_model

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.models += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(pipeline, "build_model", counting)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Counting:
    return Counting(monkeypatch)


def report(tree: Path, cache: Path | None, **options: Any) -> dict[str, Any]:
    config = Config(cache_dir=str(cache), **options) if cache else Config(cache=False, **options)
    result = lint([str(tree)], config)
    data = document(result)
    return {
        "findings": data["findings"],
        "summary": data["summary"],
        "suppressed": [(s.finding, s.justification) for s in result.suppressed],
        "files": result.files,
    }


def fresh(tree: Path, **options: Any) -> dict[str, Any]:
    return report(tree, None, **options)


def test_a_second_run_takes_the_verdict_and_reports_the_same(
    tree: Path, tmp_path: Path, counting: Counting
) -> None:
    cache = tmp_path / "cache"
    first = report(tree, cache)
    assert counting.models == 1
    assert (cache / verdicts.DOCUMENT).is_file()
    second = report(tree, cache)
    assert counting.models == 1, "the second run built the model again"
    assert second == first == fresh(tree)
    assert [f["rule"] for f in second["findings"]] == ["BAA001"]
    assert second["summary"]["configurations"] == first["summary"]["configurations"] > 0


def test_a_comment_changes_no_declaration_and_a_new_directive_still_applies(
    tree: Path, tmp_path: Path, counting: Counting
) -> None:
    cache = tmp_path / "cache"
    report(tree, cache)
    ws = tree / "org/ws.tf"
    ws.write_text(ws.read_text("utf-8") + "# reviewed\n", encoding="utf-8")
    warm = report(tree, cache)
    assert counting.models == 1, "a trailing comment changed the declarations' digest"
    assert warm == fresh(tree)

    # A directive is a comment too: the verdict holds, and the suppression is applied after it.
    text = ws.read_text("utf-8").replace(
        '    models = "claude',
        '    # baa-lint: ignore[BAA001] -- a trial of the model, no PHI yet\n    models = "claude',
    )
    ws.write_text(text, encoding="utf-8")
    warm = report(tree, cache)
    assert warm == fresh(tree)
    assert warm["findings"] == [] and [s[0].rule for s in warm["suppressed"]] == ["BAA001"]


def test_a_changed_declaration_gives_a_fresh_verdict(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert [f["rule"] for f in report(tree, cache)["findings"]] == ["BAA001"]
    # The same file, the same lines: only the model changes (one that ZDR allows).
    ws = tree / "org/ws.tf"
    ws.write_text(WORKSPACE.replace("MODEL", "claude-haiku-4-5"), encoding="utf-8")
    warm = report(tree, cache)
    assert warm == fresh(tree)
    assert "BAA001" not in [f["rule"] for f in warm["findings"]]


def test_a_changed_yaml_declaration_gives_a_fresh_verdict(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = report(tree, cache)
    (tree / "orgs.yaml").write_text(YAML_ORG.replace("HIPAA", "yes"), encoding="utf-8")
    warm = report(tree, cache)
    assert warm == fresh(tree)
    assert warm != before
    assert "BAA901" in [f["rule"] for f in warm["findings"]]


@pytest.mark.parametrize(
    "options",
    [
        {"ignore": ("BAA001",)},
        {"select": ("BAA002",)},
        {"per_path_ignores": (PathIgnore(PathPattern("org/ws.tf"), ("BAA001",)),)},
        {"today": dt.date(2031, 1, 1)},
    ],
    ids=["ignore", "select", "per-path-ignore", "another-day"],
)
def test_another_configuration_gives_a_fresh_verdict(
    tree: Path, tmp_path: Path, options: dict[str, Any], counting: Counting
) -> None:
    cache = tmp_path / "cache"
    report(tree, cache)
    warm = report(tree, cache, **options)
    assert counting.models == 2, "the verdict of another configuration was taken"
    assert warm == fresh(tree, **options)


def test_how_the_run_works_keeps_the_verdict(
    tree: Path, tmp_path: Path, counting: Counting
) -> None:
    cache = tmp_path / "cache"
    first = report(tree, cache)
    assert report(tree, cache, jobs=2, output_format="sarif") == first
    assert counting.models == 1


def test_the_model_is_built_when_an_output_asks_for_it(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    lint([str(tree)], Config(cache_dir=str(cache)))
    warm = lint([str(tree)], Config(cache_dir=str(cache)))
    cold = lint([str(tree)], Config(cache=False))
    assert warm.configuration_count == len(cold.configurations)
    assert warm.configurations == cold.configurations
    assert warm.model == cold.model
    assert warm.posture == cold.posture


def test_a_memo_that_cannot_give_its_declarations_back_is_dropped(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A remembered root whose declarations do not decode after all: the run starts again
    without the memo (same findings) and the memo is forgotten."""
    cache = tmp_path / "cache"
    report(tree, cache)
    (tree / "org/ws.tf").write_text(WORKSPACE.replace("MODEL", "claude-haiku-4-5"), "utf-8")

    def stale(self: evalcache.EvalCache) -> list[evalcache.Keyed]:
        raise evalcache.StaleMemoError("org")

    monkeypatch.setattr(evalcache.EvalCache, "reused_declarations", stale)
    assert report(tree, cache) == fresh(tree)
    stored = pipeline.ParseCache.open(str(cache), tree, True).read_document(evalcache.DOCUMENT)
    assert stored == {}


def test_a_verdict_that_does_not_decode_is_a_miss(
    tree: Path, tmp_path: Path, counting: Counting
) -> None:
    cache = tmp_path / "cache"
    report(tree, cache)
    store = pipeline.ParseCache.open(str(cache), tree, True)
    stored = store.read_document(verdicts.DOCUMENT)
    stored["findings"] = [["BAA001", "name", "no-such-severity"]]
    store.write_document(verdicts.DOCUMENT, stored)
    warm = report(tree, cache)
    assert counting.models == 2
    assert warm == fresh(tree)
