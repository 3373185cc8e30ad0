"""Which Terraform directories can matter, decided from their text, before parsing anything.

A directory matters when one of its files mentions a recognised resource type, or when it calls
(as a local module, directly or through other modules) a directory that does. Everything else,
the AWS, GCP and Kubernetes modules that make up most of a monorepo, is never parsed, unless an
evaluation actually reads one of its outputs.

What a file says (whether it names a recognised type, which local modules it calls) is kept in
the cache by path, modification time and size, so a warm run reads none of the files it rules
out: it only lists directories.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.core.files import RepositoryReader, SourceError, decode_text
from linter.core.workers import process_pool, shared_with_workers
from linter.inputs.discover import TERRAFORM_SUFFIXES
from linter.terraform.eval.modules import callers_of, is_inside, norm_key
from linter.terraform.listing import Listings, Signature, is_racy

# Every type of linter.terraform.recognised; all contain "anthropic_" (the cheap test below).
RECOGNISED = re.compile(
    r"\b(?:anthropic_(?:organization|workspace|agent)|awscc_awsexternalanthropic_workspace)\b"
)
# A local module source in HCL (source = "./x") or JSON syntax ("source": "../x").
LOCAL_SOURCE = re.compile(r"""\bsource"?\s*[=:]\s*"(\.{1,2}/[^"\n]*)\"""")
SCAN_LIMIT = 50 * 1024 * 1024  # a file larger than this is read by the parser, which reports it
# v2: marshal (linter.core.cache.MARSHAL_SUFFIX): a warm run loads it, and a run after an
# edit writes it, in a few milliseconds rather than tens (1.3 MB of JSON on the dense corpus).
SCAN_CACHE = "scan-v2.marshal"
_PATTERN_KEY = "#recognised"  # never a path: paths are absolute
_READING = f"{RECOGNISED.pattern}|{LOCAL_SOURCE.pattern}|json-escapes"
# Cannot tell cheaply (too large, unreadable, binary): keep the directory, the loader reports.
_KEEP: tuple[bool, tuple[str, ...]] = (True, ())

FileFacts = tuple[bool, tuple[str, ...]]  # (names a recognised type, local module sources)


def file_facts(text: str) -> FileFacts:
    # Plain substring tests first: most files mention neither, and `in` is far cheaper than
    # the regular expressions.
    mentions = "anthropic_" in text and RECOGNISED.search(text) is not None
    # A local source is a string that starts with ./ or ../ (or, in JSON, .\/ or ..\/): most
    # files that say "source" (source_arn, data sources) have none, and finding none by
    # regular expression scans the whole text (dense corpus: 0.34 s -> 0.09 s).
    if '"./' not in text and '"../' not in text and "\\/" not in text:
        return mentions, ()
    if "\\/" in text:  # JSON may escape the slash: "..\/modules\/x" is "../modules/x"
        text = text.replace("\\/", "/")
    return mentions, tuple(LOCAL_SOURCE.findall(text))


def _read_facts(path: str, size: int, reader: RepositoryReader) -> FileFacts:
    """What a file says; _KEEP when that cannot be told (outside the repository too: the
    loader, which reads through the same reader, reports it). ``size``: as on disk, when known
    (a larger file is not read)."""
    if size > SCAN_LIMIT:
        return _KEEP
    try:
        data = reader.read_bytes(path, path, SCAN_LIMIT)
        return file_facts(decode_text(data, path))  # as the loader will read it (BOMs...)
    except SourceError:
        return _KEEP


def _remembered(entry: Any, signature: Signature) -> FileFacts | None:
    """An entry's facts when it is well formed and was recorded for this very signature."""
    # Runs for every file of a warm run: the cheap comparisons first.
    if not isinstance(entry, list) or len(entry) != 6 or tuple(entry[:4]) != signature:
        return None
    mentions, sources = entry[4], entry[5]
    if not isinstance(mentions, bool) or not isinstance(sources, list):
        return None
    if sources and not all(isinstance(s, str) for s in sources):
        return None
    return mentions, tuple(sources)


@dataclass
class ScanCache:
    """What each file said when it was last read, keyed by path and stat signature.

    What a file said is kept for later runs only when its signature can vouch for it: one
    taken a moment after the file changed (listing.RACY_NS) could also be the signature of an
    edit made within the same timestamp tick, which the scan would then never read, and a
    directory that came to name a recognised type would stay pruned."""

    entries: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    # When the run started (one clock read for every file), and the files read in this run
    # whose signatures are racy: remembered for this run, not written (see stored).
    now_ns: int = field(default_factory=time.time_ns)
    racy: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # What a file says depends on how it is read (the recognised types, the patterns, JSON's
        # escaped slashes): remembered answers hold only for the reading they came from.
        if self.entries.get(_PATTERN_KEY) != _READING:
            self.entries = {_PATTERN_KEY: _READING}
            self.changed = True

    def facts(self, path: str, signature: Signature, reader: RepositoryReader) -> FileFacts:
        known = _remembered(self.entries.get(path), signature)
        if known is not None:
            return known
        found = _read_facts(path, signature[1], reader)
        self.remember(path, signature, found)
        return found

    def remember(self, path: str, signature: Signature, found: FileFacts) -> None:
        """What a file said just now, read with this signature."""
        stored_before = path in self.entries and path not in self.racy
        self.entries[path] = [*signature, found[0], list(found[1])]
        if is_racy(signature, self.now_ns):
            self.racy.add(path)
            self.changed = self.changed or stored_before  # its stored answer is dropped
        else:
            self.racy.discard(path)
            self.changed = True

    def stored(self) -> dict[str, Any]:
        """What to write for later runs: every entry but the racy ones."""
        if not self.racy:
            return self.entries
        return {path: entry for path, entry in self.entries.items() if path not in self.racy}


@dataclass
class Relevance:
    """The outcome of the scan: which directories matter and why."""

    mentions: set[str] = field(default_factory=set)  # directories naming a recognised type
    # Directories calling a local module outside the repository: it is never read, so it might
    # hold anything; the evaluator must see the call to report it.
    escapes: set[str] = field(default_factory=set)
    relevant: set[str] = field(default_factory=set)  # those plus their (transitive) callers
    calls: dict[str, set[str]] = field(default_factory=dict)  # directory -> local callees

    def matters(self, directory: Path | str) -> bool:
        return norm_key(directory) in self.relevant


def _read_ahead(
    directories: list[Path],
    cache: ScanCache,
    reader: RepositoryReader,
    jobs: int,
    listings: Listings,
) -> None:
    """What the files of ``directories`` say, read in ``jobs`` processes (this one and
    ``jobs - 1`` workers) into ``cache`` (the scan then recalls it): on a cold run of a dense
    repository, reading and searching every file is most of the scan."""
    pending = [
        (path, signature)
        for directory in directories
        for path, signature in _module_files(os.path.abspath(directory), reader, listings)
        if signature is not None
        and not reader.is_buffer(path)
        and _remembered(cache.entries.get(path), signature) is None
    ]
    if sum(signature[1] for _, signature in pending) < PARALLEL_MIN_BYTES:
        return
    files = [(path, signature[1]) for path, signature in pending]

    here = functools.partial(_facts_of, reader=reader)
    found: list[FileFacts] = []
    with process_pool(jobs - 1, _start_reader, (reader,)) as pool:
        shared = shared_with_workers(
            pool, jobs - 1, files, _facts_in_worker, here, smallest=_SMALLEST_READ
        )
        for mine, theirs in shared:
            found += theirs if theirs is not None else mine or []
    for (path, signature), facts in zip(pending, found, strict=True):
        cache.remember(path, signature, facts)


_reader: RepositoryReader | None = None


def _start_reader(reader: RepositoryReader) -> None:
    global _reader  # noqa: PLW0603 - one per worker process, set once
    _reader = reader


def _facts_in_worker(chunk: list[tuple[str, int]]) -> list[FileFacts]:
    assert _reader is not None, "the worker was not started"
    return _facts_of(chunk, _reader)


def _facts_of(chunk: list[tuple[str, int]], reader: RepositoryReader) -> list[FileFacts]:
    return [_read_facts(path, size, reader) for path, size in chunk]


_SMALLEST_READ = 32  # files: a smaller run costs more to hand out than it takes to read


def _module_files(
    directory: str, reader: RepositoryReader, listings: Listings
) -> Iterator[tuple[str, Signature | None]]:
    """(path, stat signature or None when it cannot be had) of the Terraform files, and the
    buffers in the directory that are not saved yet."""
    for buffer in reader.buffers_in(directory):
        if buffer.lower().endswith(TERRAFORM_SUFFIXES) and not os.path.lexists(buffer):
            yield buffer, None
    for item in listings.files(directory) or ():
        yield item.path, item.signature


# Below this much text to read, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def _inside(directory: str, repo_root: Path, reader: RepositoryReader) -> bool:
    """Whether a module directory (absolute, normal) is inside the repository; resolved through
    the reader, which resolves each parent directory once (many modules share theirs)."""
    try:
        real: str | None = reader.real_path(directory)
    except (OSError, ValueError):  # a NUL in the source's text: is_inside says what it is
        real = None
    return is_inside(directory, repo_root, real)


def scan(
    directories: Iterable[Path],
    repo_root: Path,
    cache: ScanCache | None = None,
    reader: RepositoryReader | None = None,
    jobs: int = 1,
    *,
    listings: Listings | None = None,
) -> Relevance:
    """Read (or recall) the given directories and the local modules they call; files are read
    through ``reader`` (by default one confined to ``repo_root``), in ``jobs`` processes when
    there is much to read."""
    cache = cache if cache is not None else ScanCache()
    reader = reader if reader is not None else RepositoryReader(repo_root)
    directories = list(directories)
    listings = listings if listings is not None else Listings()
    if jobs > 1:
        _read_ahead(directories, cache, reader, jobs, listings)
    result = Relevance()
    todo = [os.path.abspath(d) for d in directories]
    seen: set[str] = set()
    inside: dict[str, bool] = {}  # many directories call the same modules: resolve each once
    while todo:
        directory = todo.pop()
        key = norm_key(directory)
        if key in seen:
            continue
        seen.add(key)
        callees = result.calls.setdefault(key, set())
        for path, signature in _module_files(directory, reader, listings):
            if reader.is_buffer(path):
                # What a buffer says is not what the file on disk says: never remembered.
                facts = _read_facts(path, 0, reader)
            elif signature is None:
                facts = _KEEP
            else:
                facts = cache.facts(path, signature, reader)
            mentions, sources = facts
            if mentions:
                result.mentions.add(key)
            for source in sources:
                target = norm_key(os.path.join(directory, source))  # noqa: PTH118 - strings: hot loop
                if target not in inside:
                    inside[target] = _inside(target, repo_root, reader)
                if inside[target]:
                    callees.add(target)
                    todo.append(target)
                else:
                    result.escapes.add(key)
    result.relevant = callers_of(result.mentions | result.escapes, result.calls)
    return result
