"""parse_hcl and the cyclic garbage collector (the per-block slowdown on large files).

With the collector running, a parse gets slower per block as the file grows: every full
collection traverses all the objects built so far, none of which is garbage. parse_hcl pauses
the collector while it converts tree-sitter's tree, frees that tree before resuming it, and in
a run freezes what it built, so no young collection traverses it (no timing here).
"""

from __future__ import annotations

import gc
import sys

import pytest
from tree_sitter import Tree

from linter.terraform.syntax import hcl
from linter.terraform.syntax.hcl import parse_hcl

SOURCE = """
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}"
  tags   = { Team = "platform", Tier = var.tier }

  dynamic "rule" {
    for_each = [for r in var.rules : r if r.enabled]
    content {
      id = rule.value.id
    }
  }
}
"""


def test_the_collector_is_paused_during_the_parse_and_resumed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    states: list[bool] = []
    real_disable = gc.disable

    def disable() -> None:
        real_disable()
        states.append(gc.isenabled())

    monkeypatch.setattr(gc, "disable", disable)
    assert gc.isenabled()
    parse_hcl(SOURCE, "main.tf")
    assert states == [False]
    assert gc.isenabled()


def test_the_tree_is_freed_before_the_collector_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    trees: list[Tree] = []
    real_tree = hcl._tree

    def tree(source: bytes) -> tuple[Tree, bool]:
        made, blanked = real_tree(source)
        trees.append(made)
        return made, blanked

    alive_at_resume: list[int] = []
    real_enable = gc.enable

    def enable() -> None:
        # References besides our list's (and getrefcount's own): the parse kept the tree, or
        # one of its nodes (each node holds its tree).
        alive_at_resume.append(sys.getrefcount(trees[0]) - 2)
        real_enable()

    monkeypatch.setattr(hcl, "_tree", tree)
    monkeypatch.setattr(gc, "enable", enable)
    file = parse_hcl(SOURCE, "main.tf")
    assert alive_at_resume == [0]
    assert file.body.blocks[0].labels == ("aws_s3_bucket", "logs")


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        parse_hcl(SOURCE, "main.tf")
        assert not gc.isenabled()
    finally:
        gc.enable()


def _small_module() -> str:
    return "".join(
        f'resource "x" "r{i}" {{\n  name = "n{i}"\n  tags = {{ a = "b" }}\n}}\n'
        for i in range(1_000)
    )


def test_a_parse_in_a_run_leaves_its_tree_frozen_not_waiting_for_a_collection() -> None:
    # Without the freeze, the young collection that follows each parse traversed the whole
    # new tree (0.39 s of a cold dense run) to find nothing.
    from linter.core.collector import tuned_collector

    gc.unfreeze()
    gc.enable()
    with tuned_collector():
        parsed = parse_hcl(_small_module(), "main.tf")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 2_000
        assert gc.get_count()[0] < 1_000  # not the tree: over 5,000 objects wait unfrozen
    assert gc.get_freeze_count() == 0  # the run's end unfreezes
    assert len(parsed.body.blocks) == 1_000


def test_a_parse_outside_a_run_freezes_nothing() -> None:
    gc.unfreeze()
    gc.enable()
    parse_hcl(_small_module(), "main.tf")
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
