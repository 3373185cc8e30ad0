"""The parse cache: parsed files keyed by content hash and baa-lint version.

Safe under concurrent runs (entries are written to a temporary file and renamed into place),
self-healing (an entry that does not decode is deleted and the file parsed again), and bounded
(when it grows past its size limit, the least recently written entries go first). The default
location is `.baa-lint-cache/` at the repository root, ignored by git through its own
.gitignore; when that is not writable, the user cache directory; when neither is, no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from linter.core.version import __version__

MAX_BYTES = 256 * 1024 * 1024
DIRECTORY_NAME = ".baa-lint-cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# baa-lint's parse cache; safe to delete.\n"


def _user_cache_candidates() -> Iterator[Path]:
    """Where this user's baa-lint files may live, best first."""
    if os.environ.get("XDG_CACHE_HOME"):
        yield Path(os.environ["XDG_CACHE_HOME"]) / "baa-lint"
    try:
        home: Path | None = Path.home()
    except RuntimeError:  # no home directory
        home = None
    if home is not None:
        yield home / ".cache" / "baa-lint"
    user = os.getuid() if hasattr(os, "getuid") else "user"
    yield Path(tempfile.gettempdir()) / f"baa-lint-{user}"


def user_cache_dir() -> Path:
    """The user's own cache directory (it may not exist yet)."""
    return next(_user_cache_candidates())


def private_cache_dir() -> Path | None:
    """A user cache directory that only this user can write to (created 0700), or None.

    For files whose content is trusted when read back (a pickle would run its writer's code).
    """
    uid = os.getuid() if hasattr(os, "getuid") else None
    for directory in _user_cache_candidates():
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            status = directory.stat()
        except OSError:
            continue
        if uid is not None and (status.st_uid != uid or status.st_mode & 0o022):
            continue
        if os.access(directory, os.W_OK):
            return directory
    return None


def _prepare(directory: Path) -> bool:
    """Create the cache directory (with its .gitignore and CACHEDIR.TAG); False if impossible."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by baa-lint\n*\n", encoding="utf-8")
        tag = directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")
        probe = tempfile.NamedTemporaryFile(dir=directory, prefix=".probe", delete=True)  # noqa: SIM115
        probe.close()
    except OSError:
        return False
    return True


class ParseCache:
    """Maps (kind, file bytes) to the text of a parsed result. A disabled cache misses always."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.written = 0

    @classmethod
    def open(cls, explicit: str | None, repo_root: Path, enabled: bool) -> ParseCache:
        if not enabled:
            return cls(None)
        candidates = (
            [Path(explicit)] if explicit else [repo_root / DIRECTORY_NAME, user_cache_dir()]
        )
        for candidate in candidates:
            if _prepare(candidate):
                return cls(candidate)
        return cls(None)

    def _entry(self, kind: str, data: bytes) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256()
        digest.update(f"{__version__}\x00{kind}\x00".encode())
        digest.update(data)
        key = digest.hexdigest()
        return self.directory / "v1" / key[:2] / key[2:]

    def get(self, kind: str, data: bytes) -> str | None:
        entry = self._entry(kind, data)
        if entry is None:
            return None
        try:
            text = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text

    def forget(self, kind: str, data: bytes) -> None:
        """Drop an entry that turned out to be corrupt."""
        entry = self._entry(kind, data)
        if entry is not None:
            entry.unlink(missing_ok=True)

    def put(self, kind: str, data: bytes, text: str) -> None:
        entry = self._entry(kind, data)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            Path(temp).replace(entry)  # atomic: a concurrent reader sees all or nothing
            self.written += 1
        except OSError:
            return  # a full or read-only disk must not fail the lint

    def read_document(self, name: str) -> Any:
        """A JSON document kept beside the entries (None when absent or unreadable)."""
        if self.directory is None:
            return None
        try:
            return json.loads((self.directory / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def write_document(self, name: str, data: Any) -> None:
        if self.directory is None:
            return
        try:
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp")
            # json.dumps, not json.dump: only the one-shot encoder is the fast C one.
            text = json.dumps(data, separators=(",", ":"))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            Path(temp).replace(self.directory / name)
        except OSError:
            return

    def trim(self, limit: int = MAX_BYTES) -> None:
        """Keep the cache under ``limit`` bytes, dropping the oldest entries first."""
        if self.directory is None or not self.written:
            return
        entries = []
        total = 0
        for path in (self.directory / "v1").glob("*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
            total += stat.st_size
        if total <= limit:
            return
        for _, size, path in sorted(entries):
            path.unlink(missing_ok=True)
            total -= size
            if total <= limit * 0.8:
                break
