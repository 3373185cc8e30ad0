"""A finding's source line with a line number and carets under the offending token.

::

       7 |     models: [claude-fable-5]
         |              ^^^^^^^^^^^^^^

Carets align in display columns: a tab advances to the next multiple of ``TAB_SIZE``, a wide
(East Asian) character takes two columns, a combining mark none, and a control character takes
as many as the escape that shows it (``\\x1b``). A very long line (minified JSON, a generated
file) is cut around the token, with ``...`` where it was cut.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from linter.core.printable import printable
from linter.core.sources import Excerpt

TAB_SIZE = 4
GUTTER = 4  # the line number's width: the bar lines up with the evidence lines' indentation
# A line longer than this many characters is cut: this much context before the token, and the
# token and what follows up to the limit.
MAX_CHARS = 160
CONTEXT_BEFORE = 40
CUT = "..."


@dataclass(frozen=True)
class Shown:
    """A source line as it is printed, and where its caret goes (in display columns)."""

    text: str
    caret_start: int
    caret_width: int


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _show(text: str, column: int) -> tuple[str, int]:
    """``text`` as printed from display column ``column``, and the column after it."""
    pieces = []
    for char in text:
        if char == "\t":
            spaces = TAB_SIZE - column % TAB_SIZE
            pieces.append(" " * spaces)
            column += spaces
            continue
        escaped = printable(char)
        pieces.append(escaped)
        column += len(escaped) if escaped != char else char_width(char)
    return "".join(pieces), column


def _cut(excerpt: Excerpt) -> tuple[str, str, str]:
    before, token, after = excerpt.before, excerpt.token, excerpt.after
    if len(before) + len(token) + len(after) <= MAX_CHARS:
        return before, token, after
    if len(before) > CONTEXT_BEFORE:
        before = CUT + before[-CONTEXT_BEFORE:]
    room = max(MAX_CHARS - len(before), 1)
    if len(token) > room:
        return before, token[:room], CUT
    if len(token) + len(after) > room:
        after = after[: room - len(token)] + CUT
    return before, token, after


def shown(excerpt: Excerpt) -> Shown:
    """The printed line and its caret's place and width (at least one column)."""
    before, token, after = _cut(excerpt)
    head, start = _show(before, 0)
    middle, end = _show(token, start)
    tail, _ = _show(after, end)
    return Shown((head + middle + tail).rstrip(), start, max(end - start, 1))


def gutter(number: int | None = None) -> str:
    label = "" if number is None else str(number)
    return f"{label:>{GUTTER}} |"
