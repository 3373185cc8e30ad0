"""The text edit that suppresses a finding: ``# baa-lint: ignore[CODE] reason`` where it counts.

One pure function, for every tool that writes suppressions (the Language Server's quick fix).
A directive on a line of its own, indented like the finding's line, is preferred; at the end of
the line otherwise. Each candidate is checked with the suppression filter's own parser on the
edited text, so a place where a comment would be part of a string (a heredoc, a YAML block
scalar) gets no edit rather than one that does not suppress.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.parsed import ParsedFile
from linter.core.rule_lookup import RuleLookup, RuleName
from linter.filters.suppressions import directive_text, parse_directives
from linter.rules.base import SuppressionProblem

REASON_PLACEHOLDER = "reason"


@dataclass(frozen=True)
class Insertion:
    """Insert ``text`` before the character at 1-based ``line`` and ``column`` (code points;
    the column after the last character to append to the line)."""

    line: int
    column: int
    text: str


def suppression_edit(
    text: str, line: int, code: str, style: str, reason: str = REASON_PLACEHOLDER
) -> Insertion | None:
    """The insertion that makes a directive cover 1-based ``line`` for rule ``code``, in a file
    of comment ``style`` ("hcl" or "yaml"); None when no comment there would count."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = normalised.split("\n")
    if not 1 <= line <= len(lines):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    directive = directive_text([code], reason)
    target = lines[line - 1]
    indent = target[: len(target) - len(target.lstrip(" \t"))]
    above = Insertion(line, 1, f"{indent}{directive}{newline}")
    edited = [*lines[: line - 1], indent + directive, *lines[line - 1 :]]
    if _covers(edited, directive_line=line, covered=line + 1, code=code, style=style):
        return above
    trailing = Insertion(line, len(target) + 1, f"  {directive}")
    edited = [*lines[: line - 1], f"{target}  {directive}", *lines[line:]]
    if _covers(edited, directive_line=line, covered=line, code=code, style=style):
        return trailing
    return None


@dataclass(frozen=True)
class _Named:
    code: str
    slug: str = ""
    suppressible: bool = True


def _covers(lines: list[str], *, directive_line: int, covered: int, code: str, style: str) -> bool:
    """Whether the edited text has a directive for ``code`` on ``directive_line`` that covers
    line ``covered``, as the suppression filter reads it."""
    named = _Named(code)

    def find(raw: str) -> RuleName | None:
        return named if raw == code else None

    lookup = RuleLookup(find, lambda raw: "")
    parsed = ParsedFile("edited", "\n".join(lines), comment_style=style)
    problems: list[SuppressionProblem] = []
    return any(
        d.location.line == directive_line and covered in d.lines
        for d in parse_directives(parsed, lookup, problems)
    )
