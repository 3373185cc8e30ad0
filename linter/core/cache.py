"""The cache: a few signed JSON documents that let a warm run skip work (the pruning scan's
facts, the evaluation memo, the declarations known valid).

Safe under concurrent runs (documents are written to a temporary file and renamed into place)
and self-healing (a document that does not verify or decode is ignored and rewritten). Syntax
trees are not cached: parsing a file again costs about what decoding its tree did, and the
evaluation memo spares a warm run both. The per-file entries of earlier versions (``v1/``)
are deleted. The default location is `.baa-lint-cache/` at the repository root, ignored by
git through its own .gitignore; when that is not writable, the user cache directory; when
neither is, no cache.

The repository is untrusted input, so a committed cache must change nothing:
- Every document carries an HMAC-SHA256 under a key that lives outside the
  repository, in this user's private cache directory (created 0600, never inside the
  repository). What fails the check is ignored and rebuilt: a cache this user did not write on
  this machine is never used. (A MAC rather than moving the cache out of the repository: the
  in-repository cache keeps working for CI caching and per-checkout isolation, and a forged or
  stale copy anywhere is caught the same way.)
- Every operation works through directory descriptors opened with O_NOFOLLOW, so no symlink in
  the cache (the directory itself, a document, an old entry or shard, .gitignore,
  CACHEDIR.TAG) is followed, and nothing is written or deleted outside the cache directory.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import marshal
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from linter.core.version import __version__

DIRECTORY_NAME = ".baa-lint-cache"
# A document whose name ends so is stored with marshal rather than as JSON text: about three
# times faster to load than JSON (the evaluation memo is megabytes), tuples stay tuples, and
# equal strings are stored once. Only plain data is ever written (marshal.dumps refuses
# anything else), and loading marshal data builds values, never runs code; the document is
# signed like any other, so only what this user's baa-lint wrote is ever loaded.
MARSHAL_SUFFIX = ".marshal"
_MARSHAL_VERSION = 4
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# baa-lint's cache; safe to delete.\n"
LEGACY_ENTRIES = "v1"  # where versions before 0.13 kept one parsed file per entry
# Evaluation memos and pruning-scan caches of earlier formats.
LEGACY_DOCUMENTS = (
    "eval-v2.json",
    "eval-v3.json",
    "eval-v4.marshal",
    "eval-v5.marshal",
    "eval-v6.marshal",
    "scan-v1.json",
)


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


KEY_NAME = "cache-key"  # in the private user cache directory
_KEY_HEX = 64
_MAC_HEX = 64
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _is_inside(path: Path, root: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _read_key(directory: Path) -> bytes | None:
    """The key file's secret, if it is a regular file of ours that nobody else can read."""
    try:
        fd = os.open(directory / KEY_NAME, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        uid = os.getuid() if hasattr(os, "getuid") else status.st_uid
        if not stat.S_ISREG(status.st_mode) or status.st_uid != uid or status.st_mode & 0o077:
            return None
        text = handle.read(_KEY_HEX + 1)
    try:
        return bytes.fromhex(text.decode("ascii")) if len(text) == _KEY_HEX else None
    except (UnicodeDecodeError, ValueError):
        return None


def _create_key(directory: Path) -> None:
    """Write a new key atomically: a reader sees no key or the whole key, never part of it."""
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".key")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(_KEY_HEX // 2))
        with contextlib.suppress(FileExistsError):  # another run made one first: use theirs
            os.link(temp, directory / KEY_NAME)
    finally:
        Path(temp).unlink(missing_ok=True)


def cache_key(repo_root: Path | None = None) -> bytes | None:
    """This user's cache key, created on first use; None when there is no safe place for it.

    The key's directory must be private to this user and outside the repository: a key the
    repository could supply would let it sign its own cache.
    """
    directory = private_cache_dir()
    if directory is None or (repo_root is not None and _is_inside(directory, repo_root)):
        return None
    key = _read_key(directory)
    if key is None:
        try:
            _create_key(directory)
        except OSError:
            return None
        key = _read_key(directory)
    return key


class _Dir:
    """A directory opened without following symlinks; names are resolved relative to it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @classmethod
    def open(cls, path: Path, create: bool) -> _Dir | None:
        """The directory at ``path`` whose last component is not a symlink (parents may be)."""
        parent = path.parent
        try:
            if create:
                parent.mkdir(parents=True, exist_ok=True)
            parent_fd = os.open(parent, _DIR_FLAGS & ~_NOFOLLOW)
        except OSError:
            return None
        try:
            return cls(parent_fd).child(path.name, create)
        finally:
            os.close(parent_fd)

    def child(self, name: str, create: bool) -> _Dir | None:
        if create:
            with contextlib.suppress(FileExistsError):
                try:
                    os.mkdir(name, 0o755, dir_fd=self.fd)
                except OSError as exc:
                    if exc.errno != errno.EEXIST:
                        return None
        try:
            return _Dir(os.open(name, _DIR_FLAGS, dir_fd=self.fd))
        except OSError:  # absent, not a directory, or a symlink (ELOOP)
            return None

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> _Dir:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, name: str, limit: int = 1 << 30) -> str | None:
        """A regular file's text (never through a symlink, never a FIFO), or None."""
        data = self.read_bytes(name, limit)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def read_bytes(self, name: str, limit: int = 1 << 30) -> bytes | None:
        """A regular file's bytes (never through a symlink, never a FIFO), or None."""
        try:
            fd = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=self.fd)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return handle.read(limit)

    def write(self, name: str, text: str) -> bool:
        """Write a text file atomically (see write_bytes); False on any failure."""
        return self.write_bytes(name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> bool:
        """Write a file atomically (a temporary file renamed over it); False on any failure."""
        temp = f".tmp{secrets.token_hex(8)}"
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=self.fd
            )
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError:
            with contextlib.suppress(OSError):  # a full disk must leave nothing behind
                os.unlink(temp, dir_fd=self.fd)
            return False
        return True

    def create_once(self, name: str, text: str) -> bool:
        """Create a file unless something (even a dangling symlink) already has the name."""
        try:
            fd = os.open(
                name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=self.fd
            )
        except FileExistsError:
            return True
        except OSError:
            return False
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.fd)
            return False
        return True

    def unlink(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)  # a symlink is removed itself, never its target

    def remove_directory(self, name: str) -> None:
        """Remove an empty subdirectory (a non-empty one, or a symlink, stays)."""
        with contextlib.suppress(OSError):
            os.rmdir(name, dir_fd=self.fd)

    def entries(self) -> list[tuple[str, os.stat_result]]:
        """(name, lstat) of everything in the directory."""
        found = []
        try:
            names = os.listdir(self.fd)  # noqa: PTH208 - by descriptor: no Path for that
        except OSError:
            return []
        for name in names:
            with contextlib.suppress(OSError):
                found.append((name, os.stat(name, dir_fd=self.fd, follow_symlinks=False)))
        return found


def _prepare(directory: Path) -> _Dir | None:
    """Open (creating) the cache directory with its .gitignore and CACHEDIR.TAG, or None."""
    opened = _Dir.open(directory, create=True)
    if opened is None:
        return None
    ok = opened.create_once(".gitignore", "# Created by baa-lint\n*\n") and opened.create_once(
        "CACHEDIR.TAG", _TAG
    )
    probe = f".probe{secrets.token_hex(8)}"
    ok = ok and opened.create_once(probe, "")
    opened.unlink(probe)
    if not ok:
        opened.close()
        return None
    return opened


class ParseCache:
    """The run's signed documents (see the module's docstring). A disabled cache has none."""

    def __init__(self, directory: Path | None, key: bytes | None = None) -> None:
        self.directory = directory if key is not None else None
        self._key = key
        self._root: _Dir | None = None
        if self.directory is not None:
            self._root = _Dir.open(self.directory, create=False)
            if self._root is None:
                self.directory = None

    def close(self) -> None:
        if self._root is not None:
            self._root.close()
            self._root = None

    def __del__(self) -> None:
        self.close()

    @classmethod
    def open(cls, explicit: str | None, repo_root: Path, enabled: bool) -> ParseCache:
        key = cache_key(repo_root) if enabled else None
        if key is None:
            return cls(None)
        candidates = (
            [Path(explicit)] if explicit else [repo_root / DIRECTORY_NAME, user_cache_dir()]
        )
        for candidate in candidates:
            opened = _prepare(candidate)
            if opened is not None:
                opened.close()
                return cls(candidate, key)
        return cls(None)

    @classmethod
    def of_user(cls) -> ParseCache:
        """The user cache directory, for documents that are read before the project's cache
        is known (the configurations already found valid)."""
        key = cache_key()
        directory = user_cache_dir()
        if key is None or _prepare(directory) is None:
            return cls(None)
        return cls(directory, key)

    # --- authentication ------------------------------------------------------------------

    def _mac(self, label: str, text: str) -> str:
        return self._mac_of_bytes(label, text.encode("utf-8"))

    def _mac_of_bytes(self, label: str, data: bytes) -> str:
        assert self._key is not None
        mac = hmac.new(self._key, f"{__version__}\x00{label}\x00".encode(), hashlib.sha256)
        mac.update(data)
        return mac.hexdigest()

    def _signed(self, label: str, text: str) -> str:
        return self._mac(label, text) + "\n" + text

    def _verified(self, label: str, stored: str | None) -> str | None:
        if stored is None or len(stored) <= _MAC_HEX or stored[_MAC_HEX] != "\n":
            return None
        text = stored[_MAC_HEX + 1 :]
        return text if hmac.compare_digest(stored[:_MAC_HEX], self._mac(label, text)) else None

    # --- documents -----------------------------------------------------------------------

    def read_strings(self, name: str) -> set[str]:
        """A document that is a list of strings (digests), as a set; empty if it is not one."""
        data = self.read_document(name)
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            return set()
        return set(data)

    def read_document(self, name: str) -> Any:
        """A document kept beside the entries (None when absent, unreadable or not ours).

        The document is plain JSON, or marshal when its name ends in ``.marshal`` (see
        MARSHAL_SUFFIX); its MAC is in ``NAME.mac`` beside it. Callers check the shape of
        what they get: a document of the wrong shape is discarded, never trusted.
        """
        if self._root is None:
            return None
        data, mac = self._root.read_bytes(name), self._root.read(name + ".mac")
        if data is None or mac is None:
            return None
        if not hmac.compare_digest(mac, self._mac_of_bytes(name, data)):
            return None
        try:
            return _load(name, data)
        except (ValueError, EOFError, TypeError, RecursionError):
            return None

    def write_document(self, name: str, data: Any) -> None:
        if self._root is None:
            return
        encoded = _dump(name, data)
        # The document first, then its MAC: a reader in between sees a mismatch, a miss.
        if self._root.write_bytes(name, encoded):
            self._root.write(name + ".mac", self._mac_of_bytes(name, encoded))

    def drop_legacy_entries(self) -> None:
        """Delete what earlier versions left: per-file entries (``v1/<shard>/<entry>``) and
        memos of other formats.

        Only regular files inside real shard directories are deleted: a symlink anywhere in
        the cache is never followed."""
        if self._root is None:
            return
        for name in LEGACY_DOCUMENTS:
            self._root.unlink(name)
            self._root.unlink(name + ".mac")
        entries = self._root.child(LEGACY_ENTRIES, create=False)
        if entries is None:
            return
        with entries:
            self._drop_entries(entries)
        self._root.remove_directory(LEGACY_ENTRIES)

    def _drop_entries(self, entries: _Dir) -> None:
        for shard_name, status in entries.entries():
            if not stat.S_ISDIR(status.st_mode):
                continue  # a symlink named like a shard: left alone, never followed
            shard = entries.child(shard_name, create=False)
            if shard is None:
                continue
            with shard:
                for name, entry in shard.entries():
                    if stat.S_ISREG(entry.st_mode):
                        shard.unlink(name)
            entries.remove_directory(shard_name)


def _load(name: str, data: bytes) -> Any:
    """A document's data from its stored bytes, in the container its name says."""
    if name.endswith(MARSHAL_SUFFIX):
        return marshal.loads(data)
    return json.loads(data.decode("utf-8"))


def _dump(name: str, data: Any) -> bytes:
    if name.endswith(MARSHAL_SUFFIX):
        return marshal.dumps(data, _MARSHAL_VERSION)
    # json.dumps, not json.dump: only the one-shot encoder is the fast C one.
    return json.dumps(data, separators=(",", ":")).encode("utf-8")
