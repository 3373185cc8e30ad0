"""Where a fact or a finding is: a path with a 1-based line and column, and block spans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column; ``path`` is the display path (relative when possible)."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Span:
    """A range of lines that a block covers (for block-scoped suppressions)."""

    path: str
    start_line: int
    end_line: int

    def contains(self, location: Location) -> bool:
        return location.path == self.path and self.start_line <= location.line <= self.end_line


class LocatedError(Exception):
    """A problem at a place in an input: ``message`` and ``location``. Both are in ``args``,
    so the error survives pickling (a worker process raising it)."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message, location)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return self.message
