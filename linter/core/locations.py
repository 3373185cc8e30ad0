"""Where a fact or a finding is: a path with a 1-based line and column, and block spans."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import PurePath


# Slots: a run keeps a location for nearly every syntax node and value (about 40 bytes each
# instead of about 150 with a __dict__).
@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A 1-based line and column; ``path`` is the display path (relative when possible)."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class SourceRoot:
    """What display paths are relative to and what CI reports name files against.

    ``working_directory`` is where display paths start (they are relative to it when inside
    it, else absolute) and ``repository`` is the run's repository root; both absolute. CI
    formats report repository-relative paths, so their paths and fingerprints are the same
    from any working directory. Empty (a Result made by hand): display paths are taken as
    repository-relative already. Pure string operations: nothing here touches the filesystem.
    """

    working_directory: str = ""
    repository: str = ""

    def relative(self, path: str) -> str:
        """``path`` relative to the repository root (POSIX); unchanged when it is a pseudo-path
        such as ``<command line>`` or lies outside the repository (then it is absolute)."""
        if not self.repository or (path.startswith("<") and path.endswith(">")):
            return path
        return _relative(self.working_directory, self.repository, path)

    def location(self, location: Location) -> str:
        """``path:line:col`` with the path relative to the repository root."""
        return f"{self.relative(location.path)}:{location.line}:{location.column}"


@functools.lru_cache(maxsize=16_384)
def _relative(working_directory: str, repository: str, path: str) -> str:
    """SourceRoot.relative, remembered: a report names the same few files thousands of times,
    and PurePath is slow."""
    absolute = os.path.normpath(PurePath(working_directory, path))
    try:
        inside = os.path.relpath(absolute, repository)
    except ValueError:  # another drive (Windows): outside
        return PurePath(absolute).as_posix()
    if inside == os.pardir or inside.startswith(os.pardir + os.sep):
        return PurePath(absolute).as_posix()
    return PurePath(inside).as_posix()
