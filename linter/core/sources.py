"""The linted files' text, for showing a finding's source line with its offending token marked.

A location has a start column only, so the token's end is read from the line: a quoted string
to its closing quote, a bracketed value to its closing bracket, anything else to the next
space, comma, closing bracket, double quote or YAML ``key:``. Outputs get the line through
:class:`Sources`, which masks the raw text of sensitive values first (linter.core.redact), so
a source line never shows what the findings hide.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from linter.core.locations import Location

_OPENERS = "([{"
_CLOSERS = ")]}"
_TOKEN_ENDS = frozenset(" \t,)]}")


@dataclass(frozen=True)
class Excerpt:
    """A finding's source line cut in three around the offending token.

    ``token`` is empty when the column lies past the end of the line. ``marked`` is False when
    masking a sensitive value changed the line in a way the three parts cannot follow: the
    line (in ``before``) is then shown without a mark.
    """

    line: int
    before: str
    token: str
    after: str
    marked: bool = True


def _string_end(line: str, start: int) -> int:
    """Where the quoted string opening at ``start`` ends (after its closing quote)."""
    quote = line[start]
    index = start + 1
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
        elif quote == '"' and line.startswith("${", index):  # HCL template: may nest quotes
            index = _group_end(line, index + 1)
        elif char == quote and quote == "'" and line.startswith("''", index):  # YAML's escape
            index += 2
        elif char == quote:
            return index + 1
        else:
            index += 1
    return len(line)


def _group_end(line: str, start: int) -> int:
    """Where the bracketed group opening at ``start`` ends (after its closing bracket)."""
    depth = 0
    index = start
    while index < len(line):
        char = line[index]
        if char == '"':
            index = _string_end(line, index)
            continue
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(line.rstrip())


def _ends_key(line: str, index: int) -> bool:
    """Whether the ":" at ``index`` ends a YAML key (a space, a tab or the line's end follows)."""
    return line[index + 1 : index + 2] in ("", " ", "\t")


def token_end(line: str, start: int) -> int:
    """The end (exclusive) of the token that starts at index ``start`` of ``line``."""
    if start >= len(line):
        return start
    if line[start] in "\"'":
        return _string_end(line, start)
    index = start
    while index < len(line):
        char = line[index]
        if char == '"':
            break  # a value inside a string ends where the string does
        if char in _OPENERS:
            index = _group_end(line, index)
        elif char in _TOKEN_ENDS or (char == ":" and _ends_key(line, index)):
            break
        else:
            index += 1
    return max(index, start + 1)


def _same(text: str) -> str:
    return text


@dataclass
class Sources:
    """The text of each linted file by display path; ``mask`` hides sensitive values."""

    texts: Mapping[str, str] = field(default_factory=dict)
    mask: Callable[[str], str] = _same
    _lines: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)

    def _line(self, path: str, number: int) -> str | None:
        lines = self._lines.get(path)
        if lines is None:
            text = self.texts.get(path)
            if not text:
                return None
            # Lines end at "\n" (and "\r\n"), as the parsers count them; a lone "\r" stays in
            # the line and is shown as an escape.
            lines = [line.removesuffix("\r") for line in text.split("\n")]
            self._lines[path] = lines
        return lines[number - 1] if 1 <= number <= len(lines) else None

    def excerpt(self, location: Location) -> Excerpt | None:
        """The line of ``location`` around its token, masked; None without the file's text."""
        line = self._line(location.path, location.line)
        if line is None:
            return None
        start = min(max(location.column, 1) - 1, len(line))
        end = token_end(line, start)
        before, token, after = (
            self.mask(line[:start]),
            self.mask(line[start:end]),
            self.mask(line[end:]),
        )
        whole = self.mask(line)
        if before + token + after != whole:
            # A sensitive value spans two parts: show the masked line alone, unmarked.
            return Excerpt(location.line, whole, "", "", marked=False)
        return Excerpt(location.line, before, token, after)
