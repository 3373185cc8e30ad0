"""Each directory's Terraform files, listed once per run.

The pruning scan, the loader and the evaluation memo all need a directory's Terraform files
and their stat signatures; on a warm run of a monorepo, listing and stat-ing every directory
again for each of them was a fifth of the run. One ``os.scandir`` per directory serves all
three (the scan lists each directory first, moments before the others ask).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from linter.inputs.discover import TERRAFORM_SUFFIXES, SeenEntries

# What identifies a file's content without reading it, as git's index does: inode, size,
# mtime and ctime (nanoseconds). A copy that keeps size and mtime (cp -p, rsync, tar) or a
# `touch -d` still changes the ctime, which no unprivileged program can set.
Signature = tuple[int, int, int, int]

# A signature taken less than this long after the file last changed is not trusted later: a
# change within the same timestamp tick would keep it (git's "racily clean" entries). Both
# caches that go by signatures (the pruning scan's, the evaluation memo) follow it.
RACY_NS = 2_000_000_000


def is_racy(signature: Signature, now_ns: int) -> bool:
    """Whether a signature taken at ``now_ns`` is too close to the file's last change."""
    return now_ns - max(signature[2], signature[3]) < RACY_NS


@dataclass(frozen=True, slots=True)
class ListedFile:
    """A Terraform file of a directory as ``os.scandir`` saw it."""

    path: str  # the directory's path joined with the file's name
    # Whether it is a regular file or a symlink to one (False: that could not be told).
    is_file: bool
    # Its stat signature (following a symlink); None when it could not be had.
    signature: Signature | None
    # Whether it is itself a regular file, not a symlink: then its stat is its lstat.
    regular: bool


class Listings:
    """The Terraform files of each directory asked about, listed on first asking: from what
    discovery saw of it (``seen``, see linter.inputs.discover.SeenEntries) or else by a
    scandir of its own."""

    def __init__(self, seen: SeenEntries | None = None) -> None:
        self._directories: dict[str, tuple[ListedFile, ...] | None] = {}
        self._regular: dict[str, Signature] = {}
        self._seen = seen if seen is not None else {}

    def files(self, directory: str) -> tuple[ListedFile, ...] | None:
        """The files of ``directory`` (absolute and normal), sorted by path; None when it
        cannot be listed."""
        if directory not in self._directories:
            entries = self._seen.pop(directory, None)
            found = _list(directory) if entries is None else _listing(entries)
            self._directories[directory] = found
            for item in found or ():
                if item.regular and item.signature is not None:
                    self._regular[item.path] = item.signature
        return self._directories[directory]

    def lstat_signature(self, path: str) -> Signature | None:
        """The signature of a regular file (not a symlink) that a listing saw, or None (not
        listed, or not a regular file: ask the file system)."""
        return self._regular.get(path)


def _list(directory: str) -> tuple[ListedFile, ...] | None:
    try:
        with os.scandir(directory) as entries:
            return _listing([entry for entry in entries if _is_terraform(entry.name)])
    except OSError:
        return None


def _listing(entries: list[os.DirEntry[str]]) -> tuple[ListedFile, ...]:
    """The Terraform entries of a directory as listed files (each stat-ed now)."""
    found = [_listed(entry) for entry in entries]
    return tuple(sorted((item for item in found if item is not None), key=_path))


def _path(item: ListedFile) -> str:
    return item.path


def _is_terraform(name: str) -> bool:
    return name.lower().endswith(TERRAFORM_SUFFIXES)


def _listed(entry: os.DirEntry[str]) -> ListedFile | None:
    try:
        # The loader reads regular files only (a FIFO would block a read).
        if not entry.is_file():
            return None
    except OSError:
        return ListedFile(entry.path, False, None, False)
    try:
        info = entry.stat()
        regular = not entry.is_symlink()
    except OSError:
        return ListedFile(entry.path, True, None, False)
    signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return ListedFile(entry.path, True, signature, regular)
