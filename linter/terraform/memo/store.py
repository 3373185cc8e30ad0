"""Reuse a root module's evaluation across runs for as long as everything it read is unchanged.

A warm run would otherwise parse every file and evaluate every root module again. This memo
records, for each root module evaluated, what it read
(the module directories with a fingerprint of their files, the variable files, the "can this
directory matter?" answers from pruning), what it cost (evaluation budget) and what it
produced (declarations and diagnostics, encoded by declcodec). A later run with the same
options takes a root's result from the memo when every recorded read still gives the same
answer (and its recorded cost fits a root's budget: each root module has a budget of its own,
so no other root can change its result), and evaluates it afresh otherwise. A root whose
budget ran out is not recorded. A pre-commit run that changes one file thus re-evaluates only
the root modules that read that file.

For each directory it also keeps an outline (the local modules it calls, whether it is worth
evaluating), so finding the root modules needs no syntax tree either, and what the loader
reported for each file (parse error, block spans), so the run reports exactly what a run
without the memo reports.

The memo is one document (marshal: see linter.core.cache) in the cache directory,
written atomically; an entry that does not decode is ignored (the root is evaluated again), and
entries unused for many runs are dropped, so it stays bounded.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from linter.core.collector import kept_without_collection
from linter.core.findings import PARSE_ERROR, Finding, parse_error
from linter.core.locations import Location, Span
from linter.core.parsed import ParsedFile
from linter.core.tree import Declaration
from linter.terraform import listing
from linter.terraform.eval.modules import norm_key
from linter.terraform.eval.values import (
    Budget,
    Diagnostic,
    EvalResult,
    Outline,
    RootRecord,
    SortKey,
)
from linter.terraform.eval.variables import tfvars_paths
from linter.terraform.listing import Signature
from linter.terraform.memo import codec as declcodec
from linter.terraform.memo.codec import CodecError, expect_int, expect_str

# v3: stat signatures of the files read; files say if they hold "baa-lint". v4: marshal (see
# linter.core.cache.MARSHAL_SUFFIX), declarations with tables (codec.FORMAT 4). v5: each root
# with a digest of what it produced ("dd"), decoded only when its declarations are needed. v6:
# a root's declarations and their tables are kept as marshal bytes of their own ("out"), so
# reading and writing the document never builds or walks them (a warm or pre-commit run over
# 1,000 roots: 150 ms to load the document, 15 ms so; a write, 36 ms, 11 ms so).
# v7: the stat signatures are a document of their own (SIGNATURES), so that a run in which
# only files' signatures changed (a checkout, an edit put back) writes that, not the whole memo.
DOCUMENT = "eval-v7.marshal"
SIGNATURES = "eval-sigs-v1.marshal"
KEEP_WRITES = 50  # entries unused over this many writes of the document are dropped
MAX_ROOTS = 20_000
MAX_DIRECTORIES = 100_000
_ABSENT = "absent"


class UnrecordableError(Exception):
    """A read whose answer cannot be fingerprinted (an unreadable file): do not memoise."""


class FileSource(Protocol):
    """What the memo needs from the run's file loader."""

    def listing(self, directory: Path | str) -> list[str] | None:
        """The directory's Terraform files as the loader reads them, by absolute and normal
        path (None: cannot be listed)."""

    def digest(self, path: Path | str) -> str | None:
        """A digest of the file's text (None: not a file). Raises UnrecordableError."""

    def lstat_signature(self, path: str) -> Signature | None:
        """The (inode, size, mtime_ns, ctime_ns) of a regular file, not a symlink, as this run
        listed it; None: not listed so (the memo then asks the file system)."""

    def parsed_file(self, path: Path | str) -> ParsedFile | None:
        """What the loader reported for a file it loaded in this run."""

    def text_source(self, path: Path | str, shown: str) -> Callable[[], str]:
        """How to read the file's text when something first asks for it (holding what that
        needs only, not the loader)."""

    def display(self, path: Path | str) -> str: ...

    def is_buffer(self, path: Path | str) -> bool:
        """Whether the file's text comes from a buffer (an editor's), not from the disk."""


def options_key(parts: Sequence[object]) -> str:
    text = json.dumps(list(parts), sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


T = TypeVar("T")
Keyed = tuple[SortKey, Declaration]  # a declaration with the key that orders it in the run


class StaleMemoError(Exception):
    """A remembered root's declarations did not decode after the memo vouched for them.

    The document is signed, so only a baa-lint of this version wrote it and this does not
    happen; should it, the caller runs again without the memo rather than lose the root."""


@dataclass(frozen=True)
class _Reused:
    """A root's result taken from the memo. Its declarations are decoded only when asked for
    (reused_declarations): a run whose verdict is remembered (linter.rules.verdicts) never
    needs them."""

    entry: dict[str, Any]
    directories: list[str]  # the module directories it read (norm_key)
    tfvars: list[ParsedFile]  # the variable files it read, as the loader reported them
    digest: str  # of what it produced (content_digest of its declarations and diagnostics)


class EvalCache:
    """The memo of one run: answers the evaluator (EvalMemo), then records what it evaluated."""

    def __init__(
        self,
        stored: object,
        key: str,
        files: FileSource,
        var_files: Sequence[Path],
        may_matter: Callable[[Path | str], bool] | None,
        *,
        stored_signatures: object = None,
    ) -> None:
        document = stored if isinstance(stored, dict) and stored.get("key") == key else {}
        signed = stored_signatures if isinstance(stored_signatures, dict) else {}
        self._key = key
        self._write = _int_or(document.get("write"), 0) + 1
        self._dirs: dict[str, Any] = _dict_or_empty(document.get("dirs"))
        self._roots: dict[str, Any] = _dict_or_empty(document.get("roots"))
        self._files = files
        # What each file's signature said when it was last seen (path -> signature and digest),
        # whichever document it came with: such a record is true of the file whatever the memo.
        self._signed: dict[str, Any] = _dict_or_empty(signed.get("sigs"))
        self._signatures_changed = False
        self._signatures: dict[str, list[Any]] = {}  # consulted in this run
        self._digests: dict[str, str | None] = {}
        self._var_files = var_files
        self._may_matter = may_matter
        self._fingerprints: dict[str, str | None] = {}
        self._dir_files: dict[str, list[ParsedFile]] = {}  # of the directories found unchanged
        self._outlined: set[str] = set()  # directories whose outline came from the memo
        self._reused: dict[str, _Reused] = {}  # roots whose result came from the memo
        self._costs: dict[str, Budget | None] = {}  # the answers of cost()
        self._shown_dirs: dict[str, str] = {}  # directory -> how its files' paths are shown
        self._real_paths: dict[str, str] = {}  # path -> os.path.realpath(path), in this run
        self._fresh_digests: dict[str, str] = {}  # roots recorded in this run: their "dd"
        self._unrecorded = False  # a root evaluated in this run could not be recorded
        self._changed = False
        # When the run started: a signature is racy against this (a file changed later in
        # the run is racy too), and one clock read serves every file.
        self._now = time.time_ns()

    # --- EvalMemo ------------------------------------------------------------------------------

    def outline(self, directory: Path) -> Outline | None:
        key = norm_key(directory)
        entry = self._valid_dir(key, directory)
        if entry is None:
            # Its files changed: its result as a root cannot hold either (it read them), and
            # dropping it now frees its declarations before the root is evaluated again.
            if self._roots.pop(key, None) is not None:
                self._changed = True
            return None
        if not isinstance(entry.get("outline"), list):
            return None
        try:
            callees, useful, places = entry["outline"]
            if not self._same_places(places):
                return None
            kept = tuple((expect_str(path), expect_str(real)) for path, real in places)
            outline = Outline(tuple(expect_str(c) for c in callees), bool(useful), kept)
        except (TypeError, ValueError, OSError, CodecError):
            return None
        self._outlined.add(key)
        return outline

    def cost(self, root: Path) -> Budget | None:
        key = norm_key(root)
        if key not in self._costs:
            self._costs[key] = self._cost(key, root)
        return self._costs[key]

    def settle(self, roots: Sequence[Path]) -> None:
        taken = {norm_key(root) for root in roots}
        self._reused = {key: reused for key, reused in self._reused.items() if key in taken}

    def _cost(self, key: str, root: Path) -> Budget | None:
        entry = self._roots.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            if not self._still_holds(entry, root):
                return None
            fuel, instances = entry["cost"]
            cost = Budget(expect_int(fuel), expect_int(instances))
            reused = self._reuse(entry)
        except (TypeError, ValueError, KeyError, CodecError, UnrecordableError):
            return None
        self._reused[key] = reused
        return cost

    def unchanged(self, directory: Path) -> bool:
        """Whether the directory's files are as the memo last saw them."""
        return self._valid_dir(norm_key(directory), directory) is not None

    # --- validation ----------------------------------------------------------------------------

    def _digest(self, path: Path | str) -> str | None:
        """The file's digest, without reading it when its stat signature (inode, size, mtime,
        ctime: what a copy or touch cannot keep) is the one recorded with that digest.

        Symlinks and other non-regular files are always read: a link's own signature says
        nothing about its target."""
        return self._digest_at(os.path.abspath(path), path)

    def _digest_at(self, key: str, path: Path | str) -> str | None:
        """_digest, ``key`` being the file's absolute path."""
        if key not in self._digests:
            self._digests[key] = self._signed_or_read(key, path)
        return self._digests[key]

    def _signed_or_read(self, key: str, path: Path | str) -> str | None:
        if self._files.is_buffer(path):
            return self._files.digest(path)  # the disk's signature says nothing of a buffer
        listed = self._files.lstat_signature(key)
        if listed is None:
            try:
                info = os.lstat(key)
            except OSError:
                return self._files.digest(path)
            if not stat.S_ISREG(info.st_mode):
                return self._files.digest(path)
            listed = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        signature = list(listed)
        recorded = self._signed.get(key)
        digest = _signed_digest(recorded) if _same_signature(recorded, signature) else None
        if digest is None:
            digest = self._files.digest(path)
            if digest is None:
                return None
        racy = listing.is_racy(listed, self._now)
        entry = [*signature, None if racy else digest]
        # A file still too recently changed to vouch for is read again in every run, but what
        # is recorded of it is the same: the signatures document is not written for that.
        if entry != recorded:
            self._signatures_changed = True
        self._signatures[key] = entry
        return digest

    def _fingerprint(self, key: str, directory: Path | str) -> str | None:
        """A digest of the directory's files and where it really is (None: unrecordable)."""
        if key not in self._fingerprints:
            try:
                self._fingerprints[key] = self._compute_fingerprint(directory)
            except UnrecordableError:
                self._fingerprints[key] = None
        return self._fingerprints[key]

    def _compute_fingerprint(self, directory: Path | str) -> str:
        paths = self._files.listing(directory)
        if paths is None:
            return _ABSENT
        digest = hashlib.blake2b(digest_size=16)
        digest.update(self._real_path(os.fspath(directory)).encode("utf-8", "surrogateescape"))
        for path in paths:
            # A listing's paths are absolute and normal already (FileSource.listing).
            file_digest = self._digest_at(path, path)
            if file_digest is None:
                raise UnrecordableError(str(path))
            name = os.path.basename(path)  # noqa: PTH119 - strings: every file of the run
            digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(file_digest.encode("ascii"))
        return digest.hexdigest()

    def _valid_dir(self, key: str, directory: Path | str) -> dict[str, Any] | None:
        """The directory's entry if its files are unchanged (and the entry is sound)."""
        entry = self._dirs.get(key)
        if not isinstance(entry, dict):
            return None
        if key not in self._dir_files:
            current = self._fingerprint(key, directory)
            if current is None or entry.get("fp") != current:
                return None
            try:
                files = [
                    self._remembered(expect_str(p), error, spans, marked)
                    for p, error, spans, marked in entry["files"]
                ]
            except (TypeError, ValueError, KeyError, CodecError):
                return None
            self._dir_files[key] = files
        return entry

    def _still_holds(self, entry: dict[str, Any], root: Path) -> bool:
        for text in entry["dirs"]:
            path = expect_str(text)
            if self._valid_dir(norm_key(path), path) is None:
                return False
        if not self._same_places(entry["places"]):
            return False
        for path, matters in entry["relevance"]:
            if self._may_matter is None or self._may_matter(expect_str(path)) != matters:
                return False
        recorded = entry["tfvars"]
        if recorded:
            current = [norm_key(p) for p in tfvars_paths(root, self._var_files)]
            if sorted(current) != sorted(norm_key(Path(item[0])) for item in recorded):
                return False
            for path, digest, *_ in recorded:
                if self._digest(Path(path)) != digest:
                    return False
        for path, digest in entry["workspace"]:  # .terraform/environment (terraform.workspace)
            if self._digest(Path(expect_str(path))) != digest:
                return False
        return True

    def _reuse(self, entry: dict[str, Any]) -> _Reused:
        return _Reused(
            entry,
            [norm_key(expect_str(path)) for path in entry["dirs"]],
            [
                self._remembered(expect_str(path), error, spans, marked)
                for path, digest, error, spans, marked in entry["tfvars"]
                if digest is not None
            ],
            expect_str(entry["dd"]),
        )

    # --- results -------------------------------------------------------------------------------

    def reused_diagnostics(self) -> list[Diagnostic]:
        """The diagnostics of the roots taken from the memo (they are reported every run)."""
        return self._decoded(
            lambda decoder, entry, _: [
                Diagnostic(expect_str(m), decoder.location(loc)) for m, loc in entry["diags"]
            ],
            # Most roots report nothing: no decoder for them.
            needed=lambda entry: entry.get("diags") != [],
        )

    def reused_declarations(self) -> list[Keyed]:
        """The declarations (with their sort keys) of the roots taken from the memo, decoded
        now. Raises StaleMemoError when one does not decode."""
        with kept_without_collection():  # the declarations live to the run's end
            return self._decoded(
                lambda decoder, _, decls: [(_sort_key(k), decoder.declaration(d)) for k, d in decls]
            )

    def _decoded(
        self,
        decode: Callable[[declcodec.Decoder, dict[str, Any], list[Any]], list[T]],
        needed: Callable[[dict[str, Any]], bool] = lambda entry: True,
    ) -> list[T]:
        """What ``decode`` gives of each reused root (its decoder, its entry, its encoded
        declarations), in the roots' order. Raises StaleMemoError when one does not decode."""
        found: list[T] = []
        for key in sorted(self._reused):
            entry = self._reused[key].entry
            if not needed(entry):
                continue
            try:
                decls, tables = _output(entry)
                found += decode(declcodec.Decoder(tables), entry, decls)
            except (TypeError, ValueError, KeyError, EOFError, CodecError) as exc:
                raise StaleMemoError(key) from exc
        return found

    def declarations_digest(self) -> str | None:
        """A digest of every root's declarations in this run (the fresh ones and those taken
        from the memo), or None when one is not known (a root the memo could not record)."""
        if self._unrecorded:
            return None
        digests = dict(self._fresh_digests)
        for key, reused in self._reused.items():
            digests[key] = reused.digest
        digest = hashlib.blake2b(digest_size=16)
        for key in sorted(digests):
            digest.update(f"{key}\0{digests[key]}\0".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def remembered_files(self) -> list[ParsedFile]:
        """What the loader would have reported for the files the memo stood in for."""
        keys = set(self._outlined)
        for reused in self._reused.values():
            keys.update(reused.directories)
        files = [f for key in sorted(keys) for f in self._dir_files.get(key, [])]
        return files + [f for key in sorted(self._reused) for f in self._reused[key].tfvars]

    def _remembered(self, path: str, error: Any, spans: Any, marked: Any = True) -> ParsedFile:
        shown = self._shown(path)
        findings: tuple[Finding, ...] = ()
        if error is not None:
            message, line, column = error
            findings = (
                parse_error(str(message), Location(shown, expect_int(line), expect_int(column))),
            )
        # Block spans only serve directives: a file known to hold none needs none.
        directive_free = marked is False
        blocks = (
            ()
            if directive_free
            else tuple(Span(shown, expect_int(start), expect_int(end)) for start, end in spans)
        )
        # The text is read only if something asks for it (a file without "baa-lint" in it
        # needs no suppression parsing).
        return ParsedFile(
            shown,
            self._files.text_source(path, shown),
            (),
            findings,
            blocks,
            "hcl",
            directive_free=directive_free,
        )

    def _shown(self, path: str) -> str:
        """How a remembered file's path is shown: its directory's shown path (worked out once
        per directory) and its name. Strings, not Path objects: a warm run shows every file."""
        directory, name = os.path.split(path)
        shown = self._shown_dirs.get(directory)
        if shown is None:
            # "" for a directory that is not absolute and normal: its files are shown one by one.
            normal = _normal_absolute(directory)
            shown = self._files.display(directory) if normal else ""
            self._shown_dirs[directory] = shown
        # The path is absolute and normal when its directory is and its name is a plain one.
        if not shown or name in ("", ".", ".."):
            return self._files.display(path)
        if shown == ".":
            return name
        return shown + name if shown.endswith("/") else f"{shown}/{name}"

    def _same_places(self, places: Any) -> bool:
        """Whether every recorded path still resolves where it did (symlinks unchanged)."""
        return all(self._real_path(expect_str(path)) == real for path, real in places)

    def _real_path(self, path: str) -> str:
        """``os.path.realpath(path)``, from the real path of its parent (remembered) when the
        path is absolute and normal: one lstat per directory of the run rather than one per
        component of every path (a monorepo's directories share most of theirs)."""
        found = self._real_paths.get(path)
        if found is not None:
            return found
        parent, name = os.path.split(path)
        if not name or not _normal_absolute(path) or _is_symlink(path):
            found = os.path.realpath(path)
        else:
            found = os.path.join(self._real_path(parent), name)  # noqa: PTH118
        self._real_paths[path] = found
        return found

    # --- recording -----------------------------------------------------------------------------

    def record(
        self,
        result: EvalResult,
        loaded: Iterable[Path],
        declare: Callable[[RootRecord], list[Keyed]],
    ) -> list[Keyed]:
        """Remember this run's evaluations; the declarations of the evaluated roots, keyed."""
        for directory in loaded:
            self._record_dir(directory, result)
        produced: list[Keyed] = []
        for record in result.roots:
            declared = declare(record)
            produced += declared
            if not (record.complete and self._record_root(record, declared)):
                self._unrecorded = True
        for key, reused in self._reused.items():
            self._roots[key]["t"] = self._write
            for dir_key in reused.directories:
                self._touch(dir_key)
        for key in self._outlined:
            self._touch(key)
        return produced

    def _touch(self, key: str) -> None:
        entry = self._dirs.get(key)
        if isinstance(entry, dict):
            entry["t"] = self._write

    def _record_dir(self, directory: Path, result: EvalResult) -> None:
        key = norm_key(directory)
        fingerprint = self._fingerprint(key, directory)
        if fingerprint is None:
            return
        old = self._dirs.get(key)
        outline = result.outlines.get(key)
        if outline is not None:
            encoded_outline: Any = [
                list(outline.callees),
                outline.useful,
                [list(place) for place in outline.places],
            ]
        elif isinstance(old, dict) and old.get("fp") == fingerprint:
            encoded_outline = old.get("outline")
        else:
            encoded_outline = None
        files = []
        for path in self._files.listing(directory) or []:
            parsed = self._files.parsed_file(path)
            if parsed is None:
                return  # not loaded after all: nothing to remember
            files.append([path, *_file_report(parsed)])
        entry = {"fp": fingerprint, "files": files, "outline": encoded_outline, "t": self._write}
        if old != entry:
            self._dirs[key] = entry
            self._changed = True

    def _record_root(self, record: RootRecord, declared: list[Keyed]) -> bool:
        """Remember a root's evaluation; whether it could be."""
        if any(d.code is not PARSE_ERROR for d in record.diagnostics):
            return False  # only an incomplete root reports others, and the memo keeps BAA900 only
        encoder = declcodec.Encoder()
        try:
            tfvars = []
            for path in record.tfvars:
                digest = self._digest(path)
                parsed = self._files.parsed_file(path) if digest is not None else None
                report = _file_report(parsed) if parsed is not None else [None, [], True]
                tfvars.append([str(path), digest, *report])
            for directory in record.directories:
                if self._fingerprint(norm_key(directory), directory) is None:
                    return False
            decls = [[list(k), encoder.declaration(d)] for k, d in declared]
            diags = [[d.message, encoder.location(d.location)] for d in record.diagnostics]
            tables = encoder.tables()
            produced = content_digest([decls, diags, tables])
            output = marshal.dumps([decls, tables])  # fails here on odd values
            entry = {
                "cost": list(record.cost),
                "dirs": [str(d) for d in record.directories],
                "relevance": [[str(d), matters] for d, matters in record.relevance],
                "places": [[str(path), real] for path, real in record.places],
                "tfvars": tfvars,
                "workspace": [[str(p), self._digest(p)] for p in record.workspace_files],
                "out": output,
                "diags": diags,
                "dd": produced,
                "t": self._write,
            }
            marshal.dumps(entry)  # fails here, not when the document is written, on odd values
        except (CodecError, UnrecordableError, ValueError, TypeError):
            return False
        key = norm_key(record.root)
        self._roots[key] = entry
        self._fresh_digests[key] = produced
        self._changed = True
        return True

    def document(self) -> dict[str, Any] | None:
        """The document to store, or None when nothing changed."""
        if not self._changed:
            return None
        oldest = self._write - KEEP_WRITES
        return {
            "key": self._key,
            "write": self._write,
            "dirs": self._kept_dirs(),
            "roots": _recent(self._roots, oldest, MAX_ROOTS),
        }

    def signatures_document(self) -> dict[str, Any] | None:
        """The signatures to store (SIGNATURES), or None when none changed."""
        if not self._signatures_changed and not self._changed:
            return None
        return {"sigs": self._kept_signatures(self._kept_dirs())}

    def _kept_dirs(self) -> dict[str, Any]:
        return _recent(self._dirs, self._write - KEEP_WRITES, MAX_DIRECTORIES)

    def _kept_signatures(self, dirs: dict[str, Any]) -> dict[str, Any]:
        """This run's signatures, and the recorded ones of files in directories still kept."""
        merged = {**self._signed, **self._signatures}
        kept: dict[str, bool] = {}  # by directory: a directory holds several files
        result = {}
        for path in sorted(merged):
            directory = os.path.dirname(path)  # noqa: PTH120 - strings: every file of the run
            if directory not in kept:
                kept[directory] = norm_key(directory) in dirs
            if kept[directory] or path in self._signatures:
                result[path] = merged[path]
        return result


def _output(entry: dict[str, Any]) -> tuple[list[Any], Any]:
    """A remembered root's encoded declarations and the tables they refer to, loaded from
    the bytes they are kept in (plain data: marshal builds values, never runs code)."""
    output = entry["out"]
    if type(output) is not bytes:
        raise TypeError("the declarations are not stored as bytes")
    loaded = marshal.loads(output)
    if type(loaded) is not list or len(loaded) != 2 or type(loaded[0]) is not list:
        raise ValueError("malformed declarations")
    return loaded[0], loaded[1]


def content_digest(data: Any) -> str:
    """A digest of plain data that depends on its value only: marshal's version 0 writes no
    back-references, so equal values give equal bytes whatever objects they share."""
    return hashlib.blake2b(marshal.dumps(data, 0), digest_size=16).hexdigest()


def _sort_key(raw: Any) -> SortKey:
    """A remembered sort key, checked: a list that starts with the declaration's rank (0 for
    organizations, 1 for workspaces) and holds only strings, integers and lists of them."""
    if type(raw) is not list or not raw or raw[0] not in (0, 1) or not _plain(raw):
        raise ValueError("malformed sort key")
    return tuple(raw)


def _plain(key: list[Any]) -> bool:
    """Whether a list holds only strings, integers (not booleans) and lists of them. Without
    recursion: a warm run checks every remembered declaration's key."""
    pending = [key]
    while pending:
        for item in pending.pop():
            kind = type(item)
            if kind is list:
                pending.append(item)
            elif kind is not str and kind is not int:
                return False
    return True


def plain_key(key: SortKey) -> SortKey:
    """The sort key as it reads back from JSON (lists for tuples), so fresh and remembered
    declarations sort together the same way."""
    return tuple(json.loads(json.dumps(list(key))))


def _normal_absolute(path: str) -> bool:
    """Whether ``path`` is absolute and normal (no ``..``, no doubled separator)."""
    return os.path.isabs(path) and os.path.normpath(path) == path  # noqa: PTH117


def _is_symlink(path: str) -> bool:
    """Whether ``path`` is a symlink; a path that cannot be examined is not one (as
    os.path.realpath takes it)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_signature(recorded: Any, signature: list[int]) -> bool:
    return isinstance(recorded, list) and len(recorded) == 5 and recorded[:4] == signature


def _signed_digest(recorded: Any) -> str | None:
    digest = recorded[4] if isinstance(recorded, list) and len(recorded) == 5 else None
    return digest if isinstance(digest, str) else None


def _file_report(parsed: ParsedFile) -> list[Any]:
    error = None
    if parsed.findings:
        finding = parsed.findings[0]
        error = [finding.message, finding.location.line, finding.location.column]
    spans = [[b.start_line, b.end_line] for b in parsed.blocks]
    return [error, spans, parsed.may_have_directives]


def _recent(entries: dict[str, Any], oldest: int, limit: int) -> dict[str, Any]:
    kept = [
        (entry["t"], key)
        for key, entry in entries.items()
        if isinstance(entry, dict) and isinstance(entry.get("t"), int) and entry["t"] > oldest
    ]
    kept.sort(reverse=True)
    return {key: entries[key] for _, key in sorted(kept[:limit], key=lambda pair: pair[1])}


def _dict_or_empty(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int_or(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
