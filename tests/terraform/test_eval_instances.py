"""Per-instance work of the evaluator: shared copies along a reference hop, values built fast
but still frozen, and what a run finds once for all the instances of a module."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from linter.core.locations import Location
from linter.core.model import Origin
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.modules import build_module_def
from linter.terraform.eval.operations import OriginHop, with_origin
from linter.terraform.eval.values import Val
from linter.terraform.recognised import MANAGED_TYPES
from tests.terraform.loaders import DirectoryLoader

HERE = Location("main.tf", 1, 1)
HOP = Origin(Location("main.tf", 9, 3), "local.all")


def test_a_value_is_frozen_and_compares_by_its_fields() -> None:
    val = Val("zdr", HERE)
    assert val == Val("zdr", HERE, (), None, "", None)
    assert hash(val) == hash(Val("zdr", HERE))
    assert dataclasses.replace(val, v="inherit") == Val("inherit", HERE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        val.v = "standard"  # type: ignore[misc]


def test_an_element_held_many_times_is_copied_once_along_a_hop() -> None:
    profile = Val({"phi": Val(True, HERE)}, HERE)
    other = Val({"phi": Val(False, HERE)}, HERE)
    value = Val({f"ws-{i}": (profile if i % 2 else other) for i in range(6)}, HERE)
    hopped = with_origin(value, HOP)
    assert isinstance(hopped.v, dict)
    copies = {id(item) for item in hopped.v.values()}
    assert len(copies) == 2  # one copy of each profile, shared by the keys that held it
    for item in hopped.v.values():
        assert item.chain == (HOP,)
        assert isinstance(item.v, dict)
        assert item.v["phi"].chain == (HOP,)
    assert hopped.v["ws-1"].v["phi"].v is True
    assert hopped.v["ws-0"].v["phi"].v is False


def test_a_hop_of_several_values_prepends_its_origin_to_each() -> None:
    hop = OriginHop(HOP)
    shared_chain = (Origin(Location("vars.tf", 2, 1), "var.team"),)
    first = hop.of(Val("a", HERE, shared_chain))
    second = hop.of(Val("b", HERE, shared_chain))
    assert (first.v, second.v) == ("a", "b")
    assert first.chain == second.chain == (HOP, *shared_chain)


def test_for_each_over_one_profile_gives_every_instance_its_values(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
locals {
  profiles = [{ phi = true, models = ["claude-haiku-4-5"] }, { phi = false, models = [] }]
  all      = { for i in range(5) : "ws-${i}" => local.profiles[i % 2] }
}
resource "anthropic_workspace" "ws" {
  for_each = local.all
  name     = each.key
  phi      = each.value.phi
  models   = each.value.models
}
""",
        encoding="utf-8",
    )
    result = evaluate_tree([tmp_path], DirectoryLoader(tmp_path), EvalOptions(repo_root=tmp_path))
    by_name = {i.attributes["name"].v: i for i in result.instances}
    assert sorted(by_name) == [f"ws-{i}" for i in range(5)]
    for name, instance in by_name.items():
        phi = instance.attributes["phi"]
        assert phi.v is (int(name[-1]) % 2 == 0)
        notes = [origin.note for origin in phi.chain]
        assert notes[0] == "each.value of for_each"
        assert "local.all" in notes


def test_recognised_blocks_are_the_same_for_every_instance(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "anthropic_workspace" "b" {}\nresource "anthropic_workspace" "a" {}\n'
        'resource "aws_s3_bucket" "c" {}\n',
        encoding="utf-8",
    )
    files = DirectoryLoader(tmp_path).module_files(tmp_path)
    assert files is not None
    definition = build_module_def(tmp_path, files)
    first = definition.recognised(MANAGED_TYPES, frozenset())
    assert [r.local_address for r in first] == ["anthropic_workspace.b", "anthropic_workspace.a"]
    assert definition.recognised(MANAGED_TYPES, frozenset()) is first


def test_a_module_called_by_every_instance_is_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "modules/inner/main.tf": 'variable "name" {}\n'
        'resource "anthropic_workspace" "ws" {\n  name = var.name\n}\n',
        "modules/team/main.tf": 'variable "name" {}\n'
        'module "inner" {\n  source = "../inner"\n  name   = var.name\n}\n',
        "main.tf": 'module "team" {\n  source   = "./modules/team"\n'
        '  for_each = toset(["a", "b", "c", "d", "e"])\n  name     = each.key\n}\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    resolved: list[str] = []
    realpath = os.path.realpath

    def counting(path: str | os.PathLike[str], *, strict: bool = False) -> str:
        resolved.append(os.fspath(path))
        return realpath(path, strict=strict)

    monkeypatch.setattr(os.path, "realpath", counting)
    result = evaluate_tree([tmp_path], DirectoryLoader(tmp_path), EvalOptions(repo_root=tmp_path))
    names = sorted(i.attributes["name"].v for i in result.instances)
    assert names == ["a", "b", "c", "d", "e"]
    inner = os.fspath(tmp_path / "modules" / "inner")
    # Asked by each of the five instances of module.team: resolved once by the evaluation
    # (and by the outlines of the directories that call it: the root's and, when the
    # evaluation loads it, module.team's), not twice for each instance.
    assert resolved.count(inner) <= 4
    (record,) = result.roots
    assert inner in [str(path) for path, _ in record.places]
