"""Reading input files safely, and writing output files atomically.

Every file that comes through the repository is read by a :class:`RepositoryReader`: the
repository is untrusted input (SPEC §9), so a file whose real path leaves its root (through a
symlink, an absolute path or ``..``) is a SourceError and is never opened.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from linter.core.locations import LocatedError, Location

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class SourceError(LocatedError):
    """A file cannot be read as text; ``location`` says where the problem is."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, path: str) -> str:
    """Decode file bytes to text with normalised newlines, or raise SourceError.

    A byte-order mark selects the encoding; otherwise the file must be UTF-8. NUL bytes mark a
    binary file. CRLF and lone CR become LF so that line numbers match what editors show.
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            f"file is not valid {encoding.upper()} (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8",
            Location(path, line, column),
        ) from None
    text = text.lstrip("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise SourceError("file contains NUL bytes (binary file?)", Location(path, line, column))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _too_large(size: int, max_size: int, display_path: str) -> SourceError:
    return SourceError(
        f"file too large ({size:,} bytes; the limit is {max_size:,}); "
        "raise max-file-size in the config to lint it",
        Location(display_path),
    )


def _read_bytes(
    file: str | Path, display_path: str, max_size: int, flags: int, head: bool
) -> bytes:
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    flags |= os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(file, flags)
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise SourceError("is a directory, not a file", Location(display_path))
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(
                "not a regular file (a FIFO, socket or device); not read", Location(display_path)
            )
        if head:
            return _read_up_to(fd, max_size, status.st_size)
        if status.st_size > max_size:
            raise _too_large(status.st_size, max_size, display_path)
        data = _read_up_to(fd, max_size + 1, status.st_size)  # bounded if the file grows
    finally:
        os.close(fd)
    if len(data) > max_size:
        raise _too_large(len(data), max_size, display_path)
    return data


def _read_up_to(fd: int, limit: int, size: int) -> bytes:
    """At most ``limit`` bytes from ``fd`` to its end: reads straight from the descriptor, not
    through a file object (half the cost of reading a small file, made for every file)."""
    # A file that still has the size fstat gave is read in one call: the read that ends it is
    # needed only when it is shorter or longer now (being written meanwhile).
    first = os.read(fd, min(limit, size + 1))
    if len(first) >= limit or len(first) == size or not first:
        return first
    chunks = [first]
    total = len(first)
    while total < limit:
        chunk = os.read(fd, min(limit - total, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_bytes(
    file: str | Path,
    display_path: str,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    flags: int = 0,
    *,
    head: bool = False,
) -> bytes:
    """A regular file's bytes, at most ``max_size`` of them; else SourceError saying why.

    Only regular files are read: a FIFO would block forever and a device (/dev/zero) never
    ends. ``flags`` are added to the open(2) flags (O_NOFOLLOW). ``head``: the first
    ``max_size`` bytes of a larger file, rather than an error.
    """
    try:
        return _read_bytes(file, display_path, max_size, flags, head)
    except PermissionError:
        raise SourceError("permission denied", Location(display_path)) from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file", Location(display_path)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError(f"cannot read file: {reason}", Location(display_path)) from None


def read_text(file: Path, display_path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """Read a file as text, enforcing the size cap; raise SourceError with a clear message.

    For files the user named themselves; a file that comes through the repository is read
    with :meth:`RepositoryReader.read_text`.
    """
    return decode_text(read_bytes(file, display_path, max_size), display_path)


OUTSIDE_REPOSITORY = "outside the repository, not read (its real path leaves the repository root)"


class OutsideRepositoryError(SourceError):
    """A file whose real path is not below the repository root: it was not opened."""


def is_below(path: str, root: str) -> bool:
    """Whether absolute ``path`` is ``root`` or below it (as given: resolve both, or neither)."""
    # Asked of every file a run reads: a root in its normal form (what os.path.realpath and
    # abspath give) has the path below it exactly when the path starts with it and a
    # separator, the answer os.path.commonpath gives, without splitting both into parts.
    if _prefix_decides(root) and (path == root or path.startswith(_below(root))):
        return True
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows), or a relative path against an absolute one
        return False


@functools.lru_cache(maxsize=256)
def _prefix_decides(root: str) -> bool:
    """Whether a path that starts with ``root`` and a separator is below it for
    os.path.commonpath: on POSIX, for an absolute root in normal form (no "." or ".." part, no
    doubled or trailing separator, and not the "//" that POSIX leaves as it is)."""
    return (
        os.sep == "/"
        and root.startswith("/")
        and not root.startswith("//")
        and os.path.normpath(root) == root
    )


def _below(root: str) -> str:
    return root if root.endswith("/") else root + "/"


class RepositoryReader:
    """The one read path for files that come through the repository (SPEC §9).

    A file is read only when its real path (symlinks resolved) is below the real path of
    ``root``; otherwise :class:`OutsideRepositoryError` is raised before anything is opened. The
    file opened is the resolved path itself, without following a symlink in its last
    component, so what is read is what was checked. ``allowed`` are files the user named
    (a ``--var-file`` on the command line): their choice, read wherever they are.

    ``buffers`` are texts that stand for files (an editor's unsaved buffers, standard input):
    reading such a file gives its buffer instead of what is on disk, even when nothing is
    there yet. They are confined like files: a buffer whose file lies outside the root is
    never read.
    """

    def __init__(
        self,
        root: Path,
        allowed: Iterable[str | Path] = (),
        buffers: Mapping[Path, str] | None = None,
    ) -> None:
        self.root = Path(os.path.abspath(root))
        self._real_root = os.path.realpath(self.root)
        self._allowed = frozenset(os.path.abspath(p) for p in allowed)
        self._real_directories: dict[str, str] = {}  # many files share a directory
        self._buffers = {
            self.real_path(os.path.abspath(path)): text for path, text in (buffers or {}).items()
        }

    def real_path(self, absolute: str) -> str:
        """``os.path.realpath`` of an absolute, normal path, resolving each directory once per
        reader (its files and subdirectories share it)."""
        directory, name = os.path.split(absolute)
        real_directory = self._real_directories.get(directory)
        if real_directory is None:
            real_directory = self._real_directories[directory] = os.path.realpath(directory)
        if os.path.islink(absolute):  # noqa: PTH114 - never raises (Path.is_symlink can)
            return os.path.realpath(absolute)
        return os.path.join(real_directory, name)  # noqa: PTH118 - strings: once a file

    def confine(self, file: str | Path, display_path: str) -> str:
        """The path to open for ``file``, or OutsideRepositoryError when it leads outside."""
        absolute = os.path.abspath(file)
        if absolute in self._allowed:
            return absolute
        real = self.real_path(absolute)
        if not is_below(real, self._real_root):
            raise OutsideRepositoryError(OUTSIDE_REPOSITORY, Location(display_path))
        return real

    def read_bytes(
        self,
        file: str | Path,
        display_path: str,
        max_size: int = DEFAULT_MAX_FILE_SIZE,
        *,
        head: bool = False,
    ) -> bytes:
        """The file's bytes (see :func:`read_bytes`), when it is inside the repository."""
        target = self.confine(file, display_path)
        buffer = self._buffers.get(target)
        if buffer is not None:
            return _buffer_bytes(buffer, display_path, max_size, head)
        nofollow = 0 if target in self._allowed else getattr(os, "O_NOFOLLOW", 0)
        return read_bytes(target, display_path, max_size, nofollow, head=head)

    def read_text(
        self, file: str | Path, display_path: str, max_size: int = DEFAULT_MAX_FILE_SIZE
    ) -> str:
        """The file as text (see :func:`read_text`), when it is inside the repository."""
        return decode_text(self.read_bytes(file, display_path, max_size), display_path)

    # --- buffers: what the caches and directory listings must know ---------------------------

    @property
    def has_buffers(self) -> bool:
        return bool(self._buffers)

    def is_buffer(self, file: str | Path) -> bool:
        """Whether reading ``file`` gives a buffer rather than the disk: a result computed
        from it must not be remembered as the file's (the caches keyed by file metadata)."""
        return bool(self._buffers) and self.real_path(os.path.abspath(file)) in self._buffers

    def buffers_in(self, directory: str | Path) -> list[str]:
        """The buffers of files directly in ``directory`` (as paths through it), inside the
        repository, for listings that must include a buffer not yet saved to disk."""
        if not self._buffers:
            return []
        real_directory = os.path.realpath(directory)
        if not is_below(real_directory, self._real_root):
            return []
        absolute = os.path.abspath(directory)
        return sorted(
            os.path.join(absolute, os.path.basename(real))  # noqa: PTH118, PTH119
            for real in self._buffers
            if os.path.dirname(real) == real_directory  # noqa: PTH120
        )


def _buffer_bytes(text: str, display_path: str, max_size: int, head: bool) -> bytes:
    """A buffer's text as the bytes of a file: the same size limit, the same decoding after."""
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate is then invalid UTF-8
    if head:
        return data[:max_size]
    if len(data) > max_size:
        raise _too_large(len(data), max_size, display_path)
    return data


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets the usual 0666 minus the umask.

    (mkstemp creates 0600 files, which would make a report unreadable to a CI upload step.)
    """
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, text: str | Iterable[str]) -> None:
    """Write a file so that readers see the old or the new content, never a half-written one;
    ``text`` may come in pieces, written as they come."""
    target = Path(path)
    directory = target.parent
    mode = _mode_for(target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                for piece in text:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
