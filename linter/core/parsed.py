"""Front ends: turn file text into declarations (parser-neutral node trees) and parse findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from linter.core.findings import Finding
from linter.core.locations import Span
from linter.core.tree import Declaration

# A file's text, or how to read it when it is first needed (a warm run vouches for most files
# from the cache and never needs their text: see ``directive_free``).
Source = str | Callable[[], str]


# Slots: a run keeps one for every file it read, to its end (tens of thousands in a monorepo).
@dataclass(frozen=True, slots=True)
class ParsedFile:
    path: str
    source: Source
    declarations: tuple[Declaration, ...] = ()
    findings: tuple[Finding, ...] = ()
    # Line ranges of blocks: a suppression on a block's first line (or above) covers the block.
    blocks: tuple[Span, ...] = ()
    comment_style: str = "yaml"  # "yaml" (#) or "hcl" (#, //, /* */)
    # Blocks that stand for objects located elsewhere: a Terraform module call's span and the
    # object-address prefix of its instances ("module.x", "envs/prod:module.x"). A directive
    # covering the span also covers findings whose object is that prefix followed by "." or "[".
    scopes: tuple[tuple[Span, str], ...] = ()
    # Known not to contain "baa-lint" (so no directive): what suppressions need to know of a
    # file, without reading it.
    directive_free: bool = False
    # The text read from ``source``, once asked for (``text``); not part of its identity, and
    # not carried over by replace(), which reads again when asked.
    _read: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def text(self) -> str:
        if isinstance(self.source, str):
            return self.source
        text = self._read
        if text is None:
            text = self.source()
            object.__setattr__(self, "_read", text)
        return text

    @property
    def may_have_directives(self) -> bool:
        return not self.directive_free and "baa-lint" in self.text
