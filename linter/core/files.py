"""Reading input files safely, and writing output files atomically."""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from pathlib import Path

from linter.core.locations import Location

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class SourceError(Exception):
    """A file cannot be read as text; ``location`` says where the problem is."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


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


def _read_bytes(file: Path, display_path: str, max_size: int) -> bytes:
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(file, flags)
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise SourceError("is a directory, not a file", Location(display_path))
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(
                "not a regular file (a FIFO, socket or device); not read", Location(display_path)
            )
        if status.st_size > max_size:
            raise _too_large(status.st_size, max_size, display_path)
        data = handle.read(max_size + 1)  # bounded even if the file grows meanwhile
    if len(data) > max_size:
        raise _too_large(len(data), max_size, display_path)
    return data


def read_text(file: Path, display_path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """Read a file as text, enforcing the size cap; raise SourceError with a clear message.

    Only regular files are read: a FIFO would block forever and a device (/dev/zero) never
    ends.
    """
    try:
        data = _read_bytes(file, display_path, max_size)
    except PermissionError:
        raise SourceError("permission denied", Location(display_path)) from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file", Location(display_path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", Location(display_path)) from None
    return decode_text(data, display_path)


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


def write_atomic(path: str | Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a half-written one."""
    target = Path(path)
    directory = target.parent
    mode = _mode_for(target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
