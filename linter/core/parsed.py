"""Front ends: turn file text into declarations (parser-neutral node trees) and parse findings."""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.findings import Finding
from linter.core.locations import Span
from linter.core.tree import Declaration


@dataclass(frozen=True)
class ParsedFile:
    path: str
    text: str
    declarations: tuple[Declaration, ...] = ()
    findings: tuple[Finding, ...] = ()
    # Line ranges of blocks: a suppression on a block's first line (or above) covers the block.
    blocks: tuple[Span, ...] = ()
    comment_style: str = "yaml"  # "yaml" (#) or "hcl" (#, //, /* */)
    # Blocks that stand for objects located elsewhere: a Terraform module call's span and the
    # object-address prefix of its instances ("module.x", "envs/prod:module.x"). A directive
    # covering the span also covers findings whose object is that prefix followed by "." or "[".
    scopes: tuple[tuple[Span, str], ...] = ()
