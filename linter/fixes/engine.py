"""Applying text edits to files: per file, bottom-up, never two that overlap, atomically.

Positions are the 1-based lines and columns of :class:`~linter.core.findings.Location`, counted
in the text the front ends read (newlines normalised). The file is edited as written: its
line endings (CRLF stays CRLF) and a UTF-8 byte-order mark survive, and every byte outside
the edits is kept.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from linter.core.files import (
    DEFAULT_MAX_FILE_SIZE,
    RepositoryReader,
    SourceError,
    write_atomic,
)
from linter.core.findings import Fix, TextEdit
from linter.core.locations import Location
from linter.core.printable import printable

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_OTHER_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FixError(Exception):
    """A file that cannot be fixed: one line saying why (with its path)."""


@dataclass(frozen=True)
class SourceFile:
    """A file's text as written, and where each of its lines starts."""

    path: str  # the display path, as in findings
    text: str  # decoded; line endings as written
    bom: str = ""  # a UTF-8 byte-order mark, written back as it was
    starts: tuple[int, ...] = ()  # the offset of each line's first character
    ends: tuple[int, ...] = ()  # the offset of each line's end (before its newline)
    # What the file is, whatever path it was linted by (its real path): two display paths of
    # one file (through a symlink) are edited as one.
    key: str = ""

    @classmethod
    def of(cls, path: str, text: str, bom: str = "", key: str = "") -> SourceFile:
        starts, ends = [0], []
        for match in _NEWLINE.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        return cls(path, text, bom, tuple(starts), tuple(ends), key or path)

    @classmethod
    def decode(cls, path: str, data: bytes, key: str = "") -> SourceFile:
        if data.startswith(_OTHER_BOMS):
            raise FixError(f"{path}: not fixed: the file is UTF-16 or UTF-32, not UTF-8")
        bom = "\ufeff" if data.startswith(codecs.BOM_UTF8) else ""
        try:
            text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            raise FixError(f"{path}: not fixed: the file is not valid UTF-8") from None
        return cls.of(path, text, bom, key)

    @property
    def newline(self) -> str:
        """The file's line ending (the first one it uses), for text an edit inserts."""
        match = _NEWLINE.search(self.text)
        return match.group() if match else "\n"

    def offset(self, line: int, column: int) -> int | None:
        """The offset of a 1-based position; None when the file has no such position."""
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        offset = self.starts[line - 1] + column - 1
        return offset if offset <= self.ends[line - 1] else None

    def span(self, edit: TextEdit) -> tuple[int, int] | None:
        """The offsets an edit replaces, when they exist and hold what the edit expects."""
        start = self.offset(edit.start_line, edit.start_column)
        # An end just past a line's newline is the next line's start.
        end = self.offset(edit.end_line, edit.end_column)
        if start is None or end is None or end < start:
            return None
        if edit.original is not None:
            found = _NEWLINE.sub("\n", self.text[start:end])
            if found != edit.original:
                return None
        return start, end

    def rendered(self, replacement: str) -> str:
        return replacement.replace("\n", self.newline) if "\n" in replacement else replacement


@dataclass(frozen=True)
class FileChange:
    """What fixing does to one file."""

    path: str
    before: SourceFile
    after: str  # the new text (line endings as written), without the byte-order mark

    def diff(self) -> str:
        """A unified diff of the change, as ``diff -u`` prints it.

        The file is untrusted: a control character in its path or text (an escape sequence
        that would rewrite the terminal) is shown as an escape, as in every other output.
        """
        old = _LINE.findall(self.before.text)
        new = _LINE.findall(self.after)
        path = printable(self.path)
        out = []
        for line in difflib.unified_diff(old, new, path, path):
            body = line.rstrip("\r\n")
            ending = line[len(body) :]
            out.append(printable(body, keep="\t") + ending)
            if not ending:
                out.append("\n\\ No newline at end of file\n")
        return "".join(out)


@dataclass(frozen=True)
class Plan:
    """Which fixes apply (by index in the order given), and what they change."""

    applied: tuple[bool, ...]
    changes: tuple[FileChange, ...]
    problems: tuple[str, ...] = ()  # files that cannot be fixed, one line each
    files: tuple[str, ...] = ()  # the file (its key) of each fix, "" when none


@dataclass
class _FileEdits:
    source: SourceFile
    accepted: dict[tuple[int, int, str], TextEdit] = field(default_factory=dict)

    def overlaps(self, start: int, end: int, replacement: str) -> bool:
        for other_start, other_end, other_replacement in self.accepted:
            if (start, end, replacement) == (other_start, other_end, other_replacement):
                continue  # the same edit, asked for by two findings: made once
            if start == end == other_start == other_end:
                return True  # two insertions at one place: their order would be a guess
            if start < other_end and other_start < end:
                return True
        return False

    def accept(self, edits: Sequence[TextEdit]) -> bool:
        """Take all of a fix's edits, or none (when one is stale or overlaps one taken)."""
        spans = []
        for edit in edits:
            span = self.source.span(edit)
            if span is None or self.overlaps(*span, edit.replacement):
                return False
            spans.append((*span, edit.replacement))
        for key, edit in zip(spans, edits, strict=True):
            self.accepted.setdefault(key, edit)
        return True

    def result(self) -> str:
        text = self.source.text
        # Bottom-up, so that every offset still points where it did in the original text.
        for start, end, replacement in sorted(self.accepted, reverse=True):
            text = text[:start] + self.source.rendered(replacement) + text[end:]
        return text


def plan(fixes: Sequence[Fix], load: Callable[[str], SourceFile]) -> Plan:
    """Apply ``fixes`` in order to the files ``load`` reads, without writing anything.

    A fix whose edits overlap those of an earlier fix is left out (the next run applies it),
    as is one whose text no longer holds what it expects; identical edits are made once.
    """
    by_path: dict[str, _FileEdits | None] = {}
    by_key: dict[str, _FileEdits] = {}
    problems: list[str] = []
    applied = []
    keys = []
    for fix in fixes:
        paths = {edit.path for edit in fix.edits}
        if len(paths) != 1:
            applied.append(False)
            keys.append("")
            continue
        (path,) = paths
        if path not in by_path:
            try:
                source = load(path)
            except FixError as exc:
                by_path[path] = None
                problems.append(str(exc))
            else:
                by_path[path] = by_key.setdefault(source.key, _FileEdits(source))
        target = by_path[path]
        applied.append(target is not None and target.accept(fix.edits))
        keys.append(target.source.key if target is not None else "")
    changes = []
    for target in sorted(by_key.values(), key=lambda t: t.source.path):
        after = target.result()
        if after != target.source.text:
            changes.append(FileChange(target.source.path, target.source, after))
    return Plan(tuple(applied), tuple(changes), tuple(problems), tuple(keys))


class RepositoryFiles:
    """Reads and writes the linted files by their display paths, inside the repository only.

    The repository is untrusted (a pull request controls it): a path whose real location
    leaves the repository root, through a symlink or otherwise, is never read nor written.
    """

    def __init__(
        self, root: str | Path, cwd: Path | None = None, max_size: int = DEFAULT_MAX_FILE_SIZE
    ) -> None:
        self.cwd = Path(os.path.abspath(cwd or Path.cwd()))
        self.reader = RepositoryReader(Path(root))
        self.max_size = max_size

    def _where(self, path: str) -> str:
        return os.path.abspath(self.cwd / path)

    def load(self, path: str) -> SourceFile:
        try:
            real = self.reader.confine(self._where(path), path)
            data = self.reader.read_bytes(self._where(path), path, self.max_size)
        except SourceError as exc:
            raise FixError(f"{exc.location}: not fixed: {exc.message}") from None
        return SourceFile.decode(path, data, key=real)

    def save(self, change: FileChange) -> None:
        """Write the fixed text over the file's real path (a symlink inside the repository
        stays a symlink), atomically."""
        try:
            target = self.reader.confine(self._where(change.path), change.path)
        except SourceError as exc:
            raise FixError(f"{exc.location}: not written: {exc.message}") from None
        try:
            write_atomic(target, change.before.bom + change.after)
        except OSError as exc:
            where = Location(change.path)
            raise FixError(f"{where}: cannot write the fixed file: {exc.strerror or exc}") from None
