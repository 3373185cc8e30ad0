"""parse_hcl and the cyclic garbage collector (the per-block slowdown on large files).

With the collector running, a parse gets slower per block as the file grows: every full
collection traverses all the tokens and tree nodes built so far, none of which is garbage.
parse_hcl pauses the collector, and frees Lark's tree before resuming it, so the first
collection afterwards traverses only the syntax tree it returns (bench/profile_hcl2.py measures
the effect; no timing here).
"""

from __future__ import annotations

import gc

import pytest
from lark import Token, Tree

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


def _lark_objects() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, (Tree, Token)))


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


def test_lark_tree_is_freed_before_the_collector_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    parse_hcl(SOURCE, "warmup.tf")  # the parser itself is built (and cached) once
    before = _lark_objects()
    alive_at_resume: list[int] = []
    real_enable = gc.enable

    def enable() -> None:
        alive_at_resume.append(_lark_objects())
        real_enable()

    monkeypatch.setattr(gc, "enable", enable)
    file = parse_hcl(SOURCE, "main.tf")
    assert alive_at_resume == [before]
    assert file.body.blocks[0].labels == ("aws_s3_bucket", "logs")


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        parse_hcl(SOURCE, "main.tf")
        assert not gc.isenabled()
    finally:
        gc.enable()
