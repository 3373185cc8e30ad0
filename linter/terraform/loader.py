"""Load Terraform for a lint run: prune, parse and evaluate directory by directory, declare.

Parsing is the expensive step, so it happens only for directories that can matter (see
prune.py), not at all for roots whose remembered result holds (the evaluation memo), and
across worker processes when there is enough to do (``--jobs``): each worker parses and
evaluates whole directories (graph.Task) and hands back what they declare. Syntax trees live
only as long as the evaluator needs them. Results are keyed by path, so the output never
depends on the number of jobs or the order in which workers finish.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter.core.cache import ParseCache
from linter.core.collector import RUN_THRESHOLDS, kept_without_collection
from linter.core.files import RepositoryReader, SourceError
from linter.core.findings import Finding, front_end_finding, parse_error
from linter.core.locations import Location, Span
from linter.core.parsed import ParsedFile
from linter.core.tree import Declaration
from linter.core.version import __version__
from linter.core.workers import process_pool, shared_with_workers
from linter.inputs.discover import (
    PROBLEM,
    TERRAFORM_SUFFIXES,
    InputFile,
    SeenEntries,
    display_path,
    linted_directories,
)
from linter.terraform.emit import declared, root_qualifier
from linter.terraform.eval.graph import EvalOptions, TaskWorker, evaluate_tree
from linter.terraform.eval.modules import norm_key
from linter.terraform.eval.values import (
    Diagnostic,
    DirectoryWork,
    ResourceInstance,
    RootRecord,
    SortKey,
    Task,
    diagnostic_order,
)
from linter.terraform.listing import Listings, Signature
from linter.terraform.memo import codec as memocodec
from linter.terraform.memo import store as evalcache
from linter.terraform.memo.store import Keyed, UnrecordableError, plain_key
from linter.terraform.options import TagKeys, TerraformOptions
from linter.terraform.prune import SCAN_CACHE, Relevance, ScanCache, scan
from linter.terraform.recognised import AGENT, ORGANIZATION, WORKSPACE_TYPES
from linter.terraform.syntax.ast import File

# Declarations sort by kind first: organizations, so references resolve, then the rest.
GROUPS = {ORGANIZATION: 0, **dict.fromkeys(WORKSPACE_TYPES, 1), AGENT: 2}
# Below this much text to work on, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
MAX_DEFAULT_JOBS = 4  # see job_count


def _kind(name: str) -> str:
    if name.endswith((".tfvars", ".tfvars.json")):
        return "tfvars"
    return "tfjson" if name.endswith(".json") else "hcl"


def parse_file(kind: str, text: str, shown: str) -> File | Finding:
    """A file's syntax tree, or the finding that says why it has none."""
    from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
    from linter.terraform.syntax.tfjson import parse_tf_json
    from linter.terraform.syntax.tfvars import parse_tfvars

    parsers = {"hcl": parse_hcl, "tfjson": parse_tf_json, "tfvars": parse_tfvars}
    try:
        return parsers[kind](text, shown)
    except HclSyntaxError as exc:
        return parse_error(exc.message, exc.location)
    except RecursionError:  # the parser's nesting limits are meant to make this unreachable
        return parse_error(_TOO_DEEP, Location(shown, 1, 1))
    except Exception as exc:  # a parser bug: report the file (BAA900), never drop it silently
        message = f"cannot parse this file (internal error: {type(exc).__name__}: {exc})"
        return parse_error(message, Location(shown, 1, 1))


_TOO_DEEP = "this file nests too deeply to be read (blocks and expressions)"


def _text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileReport:
    """What the loader reports of a file it parsed (its text is read again if asked for):
    plain data, so that a worker process can hand it back."""

    real: Path
    shown: str
    findings: tuple[Finding, ...]
    blocks: tuple[Span, ...]
    directive_free: bool  # the text does not contain "baa-lint"
    digest: str | None  # of the text parsed, when the run keeps a memo


@dataclass
class FileLoader:
    """Reads and parses Terraform files for the evaluator, keeping every problem.

    Syntax trees are not kept (the evaluator keeps the module definitions it is using), nor
    texts: a file is read again if an output asks for its text, so memory does not grow with
    the repository. What was reported of each file is kept (``parsed``, by real path: a
    string, not a Path, for each of the thousands of files a monorepo has)."""

    options: TerraformOptions
    cwd: Path
    parsed: dict[str, ParsedFile] = field(default_factory=dict)
    progress: Callable[[int, int], None] | None = None  # (files parsed, files to parse)
    # Files discover() did not read (symlinks leaving the linted tree...): never parsed here.
    not_read: frozenset[Path] = frozenset()
    # Reads every file (None: confined to ``cwd``); one outside the repository is a finding.
    reader: RepositoryReader | None = None
    # Keep the digest of every file parsed (the memo records what the evaluation read).
    keep_digests: bool = False
    keep_reports: bool = False  # in ``reports`` too (a worker hands them back)
    # Directories whose files were loaded, in order (for the evaluation memo).
    loaded_directories: dict[Path, None] = field(default_factory=dict)
    reports: dict[Path, FileReport] = field(default_factory=dict)  # by real path
    to_parse: int = 0  # for progress: files the run expects to parse
    _tfvars: dict[Path, File | None] = field(default_factory=dict)
    _digests: dict[Path, str | None] = field(default_factory=dict)
    _listings: dict[str, list[str] | None] = field(default_factory=dict)
    # Each directory's files as one scandir saw them (shared with the pruning scan).
    listed: Listings = field(default_factory=Listings)
    _reader: RepositoryReader = field(init=False, repr=False)
    _not_read: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._reader = self.reader or RepositoryReader(self.cwd)
        self._not_read = frozenset(str(path) for path in self.not_read)

    def _parsed_one(self) -> None:
        if self.progress is not None:
            done = len(self.parsed)
            self.progress(done, max(self.to_parse, done))

    def _display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def _read(self, real: Path, shown: str) -> str | Finding:
        """The file's text, or the finding that says why it cannot be read."""
        try:
            return self._reader.read_text(real, shown, self.options.max_file_size)
        except SourceError as exc:
            return parse_error(exc.message, exc.location)

    # --- for the evaluation memo (evalcache.FileSource) ----------------------------------------

    def listing(self, directory: Path | str) -> list[str] | None:
        """The Terraform files of a directory that this run reads, by real path. Strings, not
        Path objects: a warm run lists every directory and validates every file."""
        real = os.path.abspath(directory)
        if real not in self._listings:
            listed = self.listed.files(real)
            on_disk = None if listed is None else [f.path for f in listed if f.is_file]
            paths = _with_unsaved(on_disk, self._reader.buffers_in(real))
            # Entries of an absolute, normalised directory: absolute and normalised already.
            self._listings[real] = (
                None if paths is None else [p for p in paths if p not in self._not_read]
            )
        return self._listings[real]

    def lstat_signature(self, path: str) -> Signature | None:
        """The listed signature of a regular file (None: ask the file system)."""
        return self.listed.lstat_signature(path)

    def digest(self, path: Path | str) -> str | None:
        real = Path(os.path.abspath(path))
        if real not in self._digests:
            if not self._exists(real):
                self._digests[real] = None
            else:
                text = self._read(real, self._display(real))
                if not isinstance(text, str):
                    raise UnrecordableError(str(real))
                self._digests[real] = _text_digest(text)
        return self._digests[real]

    def parsed_file(self, path: Path | str) -> ParsedFile | None:
        return self.parsed.get(os.path.abspath(path))

    def display(self, path: Path | str) -> str:
        return display_path(path, self.cwd)

    def text_source(self, path: Path | str, shown: str) -> Callable[[], str]:
        """How to read the file's text when an output first asks for it (holding the reader
        only: a run's results must not keep the loader and what it knows alive)."""
        # The path interned: the file's InputFile holds an equal string (discover).
        real = sys.intern(os.fspath(path))
        return _TextReader(self._reader, real, shown, self.options.max_file_size)

    def _parse(self, path: Path | str) -> File | None:
        real = Path(os.path.abspath(path))
        shown = self._display(real)
        read = self._read(real, shown)
        if isinstance(read, str):
            outcome = parse_file(_kind(shown), read, shown)
            digest = _text_digest(read) if self.keep_digests else None
        else:
            outcome, digest = read, None
        file = outcome if isinstance(outcome, File) else None
        findings = (outcome,) if isinstance(outcome, Finding) else ()
        free = not isinstance(read, str) or "baa-lint" not in read
        # Block spans only serve directives: a file without one needs none.
        blocks = file.spans if file is not None and not free else ()
        self.adopt(FileReport(real, shown, findings, blocks, free, digest))
        return file

    def adopt(self, report: FileReport) -> None:
        """Take what was reported of a file (here, or by a worker process)."""
        real = os.fspath(report.real)
        first = real not in self.parsed
        if self.keep_reports:
            self.reports[report.real] = report
        if report.digest is not None:
            self._digests[report.real] = report.digest
        self.parsed[real] = ParsedFile(
            report.shown,
            self.text_source(report.real, report.shown),
            (),
            report.findings,
            report.blocks,
            "hcl",
            directive_free=report.directive_free,
        )
        if first:
            self._parsed_one()

    def module_files(self, directory: Path) -> list[File] | None:
        paths = self.listing(directory)
        self.loaded_directories[Path(os.path.abspath(directory))] = None
        if paths is None:
            return None
        files = []
        for path in paths:
            parsed = self._parse(path)
            if parsed is not None:
                files.append(parsed)
        return files

    def tfvars(self, path: Path) -> File | None:
        if not self._exists(path):
            return None
        real = Path(os.path.abspath(path))
        if real not in self._tfvars:  # small, and read by every root beside them: kept
            self._tfvars[real] = self._parse(real)
        return self._tfvars[real]

    def is_buffer(self, path: Path | str) -> bool:
        return self._reader.is_buffer(path)

    def _exists(self, path: Path) -> bool:
        """A file on disk, or a buffer that stands for one (perhaps not saved yet)."""
        return path.is_file() or self._reader.is_buffer(path)

    def plain_text(self, path: Path) -> tuple[str, str] | None:
        """(text, shown path) of a file that is not parsed (``.terraform/environment``), read
        through the confined reader; None when absent, unreadable or outside the repository."""
        real = Path(os.path.abspath(path))
        if not real.is_file():
            return None
        shown = self._display(real)
        text = self._read(real, shown)
        return (text, shown) if isinstance(text, str) else None


class _TextReader:
    """Reads a file's text when an output first asks for it (FileLoader.text_source): what a
    run keeps for every Terraform file it read, so slotted and holding the path as a string
    (a partial of a Path was ~0.45 kB a file)."""

    __slots__ = ("_max_size", "_path", "_reader", "_shown")

    def __init__(self, reader: RepositoryReader, path: str, shown: str, max_size: int) -> None:
        self._reader = reader
        self._path = path
        self._shown = shown
        self._max_size = max_size

    def __call__(self) -> str:
        """The file's text; empty when it cannot be read now (it was read when it was parsed)."""
        try:
            return self._reader.read_text(self._path, self._shown, self._max_size)
        except SourceError:
            return ""


def _with_unsaved(paths: list[str] | None, buffers: Sequence[str]) -> list[str] | None:
    """A directory's Terraform files with the buffers in it that are not on disk yet."""
    unsaved = [
        b for b in buffers if b.lower().endswith(TERRAFORM_SUFFIXES) and not os.path.lexists(b)
    ]
    return sorted([*(paths or []), *unsaved]) if unsaved else paths


def _attach(parsed: list[ParsedFile], decls: list[Declaration]) -> list[ParsedFile]:
    """Each file with the declarations that live in it."""
    by_path: dict[str, list[Declaration]] = {}
    for decl in decls:
        by_path.setdefault(decl.path, []).append(decl)
    result = []
    for item in parsed:
        mine = tuple(by_path.pop(item.path, []))
        # Most files of a monorepo declare nothing: no copy for them (replace() is slow).
        result.append(replace(item, declarations=mine) if mine or item.declarations else item)
    for path, rest in sorted(by_path.items()):
        result.append(ParsedFile(path, "", tuple(rest)))
    return result


def job_count(options: TerraformOptions) -> int:
    """--jobs, or by default one process per processor this one may run on (at most
    MAX_DEFAULT_JOBS: each worker costs memory). Workers start only when there is enough to
    do (PARALLEL_MIN_BYTES); dense corpus, 2 cores: --jobs 2 7.6 s, --jobs 1 10.4 s."""
    if options.jobs > 0:
        return options.jobs
    return min(_processors(), MAX_DEFAULT_JOBS)


def _processors() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# --- worker processes --------------------------------------------------------------------------
#
# A worker parses and evaluates whole directories (see graph.Task) with a loader and evaluator
# of its own, and hands back plain data: outlines, root records without their instances, the
# declarations those instances make, and what it reported of each file. Nothing is encoded for
# the trip but that, and the main process decodes no syntax tree.


@dataclass(frozen=True)
class _WorkerSetup:
    options: TerraformOptions
    cwd: Path
    reader: RepositoryReader
    not_read: frozenset[Path]
    evaluation: EvalOptions
    keep_digests: bool


@dataclass(frozen=True)
class _ChunkDone:
    work: list[DirectoryWork]
    declarations: dict[str, list[Keyed]]  # of each root record, by norm_key of its root
    reports: list[FileReport]
    loaded: list[Path]


_worker: tuple[FileLoader, TaskWorker, TagKeys] | None = None


def _start_worker(setup: _WorkerSetup) -> None:
    global _worker  # noqa: PLW0603 - one per worker process, made once
    gc.set_threshold(*RUN_THRESHOLDS)  # as the run set it (a spawned worker does not inherit)
    loader = FileLoader(
        setup.options,
        setup.cwd,
        not_read=setup.not_read,
        reader=setup.reader,
        keep_digests=setup.keep_digests,
        keep_reports=True,
    )
    evaluation = replace(setup.evaluation, read_text=loader.plain_text)
    _worker = (loader, TaskWorker(loader, evaluation), setup.options.tag_keys)


def _work_chunk(tasks: list[Task]) -> _ChunkDone:
    assert _worker is not None, "the worker was not started"
    loader, worker, tag_keys = _worker
    loader.reports.clear()
    loader.loaded_directories.clear()
    declarations: dict[str, list[Keyed]] = {}
    done = [_declare(worker.work_on(task), tag_keys, declarations) for task in tasks]
    reports = list(loader.reports.values())
    return _ChunkDone(done, declarations, reports, list(loader.loaded_directories))


def _declare(work: DirectoryWork, tag_keys: TagKeys, into: dict[str, list[Keyed]]) -> DirectoryWork:
    """The work with its root's instances turned into declarations (kept in ``into``, by
    root) as soon as it is done: only one root's instances are alive at a time, and a worker
    hands back declarations, not instances."""
    if work.record is None:
        return work
    into[norm_key(work.record.root)] = _keyed_declarations(work.record.instances, tag_keys)
    return replace(work, record=replace(work.record, instances=()))


@dataclass
class _Schedule:
    """Does the run's directory work in this process, or across worker processes when there
    is enough of it; keeps what workers declared and reported."""

    loader: FileLoader
    setup: _WorkerSetup
    jobs: int
    declared: dict[str, list[Keyed]] = field(default_factory=dict)

    def __call__(
        self, tasks: list[Task], work_here: Callable[[Task], DirectoryWork]
    ) -> Iterator[DirectoryWork]:
        self.loader.to_parse = len(self.loader.parsed) + sum(
            len(self.loader.listing(t.directory) or []) for t in tasks
        )
        workers = min(self.jobs, len(tasks))
        if workers >= 2 and self._size(tasks) >= PARALLEL_MIN_BYTES:
            return self._in_workers(tasks, workers, work_here)
        return (self._here(task, work_here) for task in tasks)

    def _here(self, task: Task, work_here: Callable[[Task], DirectoryWork]) -> DirectoryWork:
        return _declare(work_here(task), self.setup.options.tag_keys, self.declared)

    def _size(self, tasks: list[Task]) -> int:
        total = 0
        for task in tasks:
            for path in self.loader.listing(task.directory) or []:
                with contextlib.suppress(OSError):
                    total += os.stat(path).st_size  # noqa: PTH116 - strings: every file
        return total

    def _in_workers(
        self, tasks: list[Task], processes: int, work_here: Callable[[Task], DirectoryWork]
    ) -> Iterator[DirectoryWork]:
        """The tasks across ``processes`` processes, this one included (see
        shared_with_workers); the work comes out in the chunks' order, wherever it was done."""

        def in_this_process(chunk: list[Task]) -> list[DirectoryWork]:
            return [self._here(task, work_here) for task in chunk]

        workers = processes - 1
        with process_pool(workers, _start_worker, (self.setup,)) as pool:
            shared = shared_with_workers(pool, workers, tasks, _work_chunk, in_this_process)
            for here, done in shared:
                if done is None:
                    yield from here or ()
                    continue
                self.declared.update(done.declarations)
                for report in done.reports:
                    self.loader.adopt(report)
                for directory in done.loaded:
                    self.loader.loaded_directories[directory] = None
                yield from done.work

    def declare(self, record: RootRecord) -> list[Keyed]:
        known = self.declared.get(norm_key(record.root))
        if known is not None:
            return known
        return _keyed_declarations(record.instances, self.setup.options.tag_keys)


def load_terraform(
    files: Sequence[InputFile],
    options: TerraformOptions,
    cwd: Path,
    cache: ParseCache,
    reader: RepositoryReader,
    *,
    progress: Callable[[int, int], None] | None = None,
    seen: SeenEntries | None = None,
) -> TerraformFiles:
    """Evaluate every Terraform module directory among ``files``; the files and their
    declarations. ``seen``: what discovery saw of the directories it walked.

    Every file is read through ``reader``, confined to the repository (its ``root``)."""
    repo_root = reader.root
    terraform = [f for f in files if f.kind == "terraform"]
    if not terraform:
        return TerraformFiles([], _files_digest("", []), list)
    # String operations: this runs over every file of a monorepo, and Path objects are slow.
    directories = linted_directories(terraform)
    may_matter = None
    callers: dict[str, int] = {}
    # One listing per directory, for the scan, the loader and the memo (from discovery's).
    listings = Listings(seen)
    jobs = job_count(options)
    if options.prune:
        relevance = _scan(directories, repo_root, cache, reader, jobs=jobs, listings=listings)
        directories = [d for d in directories if relevance.matters(d)]
        may_matter = relevance.matters
        callers = _callers(relevance.calls)
    not_read = frozenset(Path(os.path.abspath(f.path)) for f in files if f.kind == PROBLEM)
    keep_digests = cache.directory is not None
    loader = FileLoader(
        options,
        cwd,
        progress=progress,
        not_read=not_read,
        reader=reader,
        keep_digests=keep_digests,
        listed=listings,
    )
    # TF_VAR_name for variables, TF_WORKSPACE for terraform.workspace (both in the memo key).
    env = {k: v for k, v in os.environ.items() if k.startswith("TF_VAR_") or k == "TF_WORKSPACE"}
    var_files = tuple(Path(v) for v in options.var_files)
    memo = None
    if keep_digests:
        key = _memo_key(options, cwd, repo_root, env)
        with kept_without_collection():  # megabytes of plain data, kept to the run's end
            stored_memo = cache.read_document(evalcache.DOCUMENT)
            signatures = cache.read_document(evalcache.SIGNATURES)
        memo = evalcache.EvalCache(
            stored_memo, key, loader, var_files, may_matter, stored_signatures=signatures
        )
    evaluation = EvalOptions(
        repo_root=repo_root,
        var_files=var_files,
        variables=tuple(options.variables.items()),
        env=env,
        may_matter=may_matter,
        memo=memo,
        read_text=loader.plain_text,
        callers=callers,
    )
    for_workers = replace(evaluation, memo=None, read_text=None)
    setup = _WorkerSetup(options, cwd, reader, not_read, for_workers, keep_digests)
    schedule = _Schedule(loader, setup, jobs)
    result = evaluate_tree(directories, loader, evaluation, schedule=schedule)
    roots = [record.root for record in result.roots] + list(result.reused)
    if memo is None:
        keyed = [d for r in result.roots for d in schedule.declare(r)]
        read = _files_with_diagnostics(loader, [], result.diagnostics)
        return TerraformFiles(
            _with_scopes(read, roots, cwd), None, functools.partial(_in_order, keyed)
        )
    fresh = memo.record(result, list(loader.loaded_directories), schedule.declare)
    remembered = memo.remembered_files()
    document = memo.document()
    if document is not None:
        cache.write_document(evalcache.DOCUMENT, document)
    signed = memo.signatures_document()
    if signed is not None:
        cache.write_document(evalcache.SIGNATURES, signed)
    found = [*result.diagnostics, *memo.reused_diagnostics()]
    read = _with_scopes(_files_with_diagnostics(loader, remembered, found), roots, cwd)
    digest = memo.declarations_digest()
    if digest is not None:
        digest = _files_digest(digest, read)
    return TerraformFiles(read, digest, lambda: _in_order(fresh + memo.reused_declarations()))


class TerraformFiles:
    """Every Terraform file a run read (or the memo stood in for), with the declarations they
    hold kept apart: those the memo stands in for are decoded only when asked for, and a run
    whose verdict is remembered never asks (linter.rules.verdicts).

    ``digest`` stands for everything the declarations are made of: equal digests, equal
    declarations in the same files (None: not known, when a root could not be memoised)."""

    def __init__(
        self,
        files: list[ParsedFile],
        digest: str | None,
        declarations: Callable[[], list[Declaration]],
    ) -> None:
        self.files = files
        self.digest = digest
        self._declarations: Callable[[], list[Declaration]] | None = declarations

    def with_declarations(self) -> list[ParsedFile]:
        """The files with their declarations, once: what they were made from (the sort keys,
        the memo's document) is let go then, before the model is built beside them. Raises
        StaleMemoError (linter.terraform.memo) when a remembered root does not decode: run
        again without the memo."""
        declarations = self._declarations
        if declarations is None:
            raise RuntimeError("the declarations of these files were taken already")
        self._declarations = None
        return _attach(self.files, declarations())


def _in_order(keyed: list[Keyed]) -> list[Declaration]:
    """The declarations in the run's order (their sort keys)."""
    try:
        keyed.sort(key=lambda pair: pair[0])
    except TypeError:  # keys of different shapes (the memo's keys are checked, so never yet)
        keyed.sort(key=lambda pair: total_order(pair[0]))
    declarations = [decl for _, decl in keyed]
    keyed.clear()  # the sort keys are done with (the list may be held by whoever asked)
    return declarations


def _files_digest(declarations: str, files: Sequence[ParsedFile]) -> str:
    """The declarations' digest with the paths of the files they are attached to (a
    declaration in a file the run did not read is attached after the others)."""
    digest = hashlib.blake2b(declarations.encode("ascii"), digest_size=16)
    for item in files:
        digest.update(item.path.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _scan(
    directories: list[Path],
    repo_root: Path,
    cache: ParseCache,
    reader: RepositoryReader,
    *,
    jobs: int,
    listings: Listings,
) -> Relevance:
    """The pruning scan, with its cache document read and written here: what it says of
    every file is let go once written (3.6 MB per copy of the dense corpus, alive to the end of
    the load before)."""
    stored = cache.read_document(SCAN_CACHE)
    scan_cache = ScanCache(stored if isinstance(stored, dict) else {})
    relevance = scan(directories, repo_root, scan_cache, reader, jobs, listings=listings)
    if scan_cache.changed:
        cache.write_document(SCAN_CACHE, scan_cache.stored())
    return relevance


def _callers(calls: Mapping[str, set[str]]) -> dict[str, int]:
    """How many directories call each one, by what their text says (prune.scan)."""
    counts: dict[str, int] = {}
    for callees in calls.values():
        for callee in callees:
            counts[callee] = counts.get(callee, 0) + 1
    return counts


# A module call's header in HCL: `module "name" {`.
_MODULE_HEADER = re.compile(r'^\s*module\s+"([^"\\]+)"\s*\{')


def _with_scopes(files: list[ParsedFile], roots: Sequence[Path], cwd: Path) -> list[ParsedFile]:
    """Each file of a root module with the module calls it makes (ParsedFile.scopes): a
    suppression above ``module "x" {`` covers the findings of that call's instances.

    Only calls made by a root module's own files: a call from inside a child module stands for
    as many prefixes as the child has instances, which the files alone do not tell (a directive
    there still covers the findings located in the call block itself). Only HCL headers."""
    qualifiers = {norm_key(r): root_qualifier(str(r)) for r in roots}
    result = []
    for item in files:
        if not item.blocks:  # the cheap test first: only files with directives keep spans
            result.append(item)
            continue
        directory = norm_key(os.path.dirname(os.path.join(cwd, item.path)))  # noqa: PTH118, PTH120
        qualifier = qualifiers.get(directory)
        if qualifier is None or not item.may_have_directives:
            result.append(item)
            continue
        lines = item.text.split("\n")
        scopes = []
        for span in item.blocks:
            line = lines[span.start_line - 1] if 0 < span.start_line <= len(lines) else ""
            match = _MODULE_HEADER.match(line)
            if match is not None:
                scopes.append((span, f"{qualifier}module.{match.group(1)}"))
        result.append(replace(item, scopes=tuple(scopes)) if scopes else item)
    return result


def total_order(value: object) -> tuple[int, object]:
    """A sort key over any JSON-like value: the natural order for keys of one shape, and no
    TypeError for keys of different shapes (say, a remembered one from another version)."""
    if isinstance(value, (list, tuple)):
        return (2, tuple(total_order(item) for item in value))
    if isinstance(value, str):
        return (1, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (3, repr(value))


def _memo_key(options: TerraformOptions, cwd: Path, repo_root: Path, env: dict[str, str]) -> str:
    """Everything besides file contents that an evaluation's result depends on."""
    return evalcache.options_key(
        [
            __version__,
            memocodec.FORMAT,
            str(cwd),
            str(repo_root),
            list(options.var_files),
            sorted(options.variables.items()),
            sorted(env.items()),
            repr(options.tag_keys),
            options.max_file_size,
            options.prune,
        ]
    )


def _keyed_declarations(
    pairs: Sequence[tuple[SortKey, ResourceInstance]], tag_keys: TagKeys
) -> list[Keyed]:
    """One root's declarations, each with a key that orders them as one run over all roots
    would (organizations first, then by place; the root breaks ties). Keys read as they do
    back from the memo (plain_key), so fresh and remembered declarations sort together."""
    keys = {id(instance): key for key, instance in pairs}
    found = declared([instance for _, instance in pairs], tag_keys)
    shared: dict[tuple[object, ...], list[object]] = {}
    return [
        (_plain_shared((GROUPS[i.type], *keys[id(i)], i.root), shared), decl) for i, decl in found
    ]


def _plain_shared(key: SortKey, shared: dict[tuple[object, ...], list[object]]) -> SortKey:
    """``plain_key(key)``, equal in value and shape (a tuple whose nested tuples are lists),
    without its copies: the key's strings are its own, and equal nested parts are one list
    (``shared``: by their tuple form). Every declaration's key is alive until the run sorts
    them all, and plain_key's fresh strings and lists were ~0.8 kB of each (7 MB of the dense
    corpus). Nothing changes a key once made. A key holding anything but strings, integers and
    tuples of them is left to plain_key (its JSON round trip is the definition)."""
    plain = _shared_list(key, shared)
    return plain_key(key) if plain is None else tuple(plain)


def _shared_list(
    part: tuple[object, ...], shared: dict[tuple[object, ...], list[object]]
) -> list[object] | None:
    """The list form of a nested tuple of strings, integers and tuples of them, one object for
    equal parts; None for a part holding anything else. Its items are checked before it is
    looked up: (True,) == (1,), and a shared part must read back as the same JSON."""
    items: list[object] = []
    for item in part:
        if type(item) is tuple:
            inner = _shared_list(item, shared)
            if inner is None:
                return None
            items.append(inner)
        elif type(item) is str or type(item) is int:
            items.append(item)
        else:
            return None
    return shared.setdefault(part, items)


def _files_with_diagnostics(
    loader: FileLoader, remembered: list[ParsedFile], found: Sequence[Diagnostic]
) -> list[ParsedFile]:
    """Every file the run read (or the memo stood in for), with the evaluation's diagnostics."""
    diagnostics: dict[str, list[Finding]] = {}
    for diagnostic in sorted(set(found), key=diagnostic_order):  # roots may report one twice
        diagnostics.setdefault(diagnostic.location.path, []).append(
            front_end_finding(diagnostic.code, diagnostic.message, diagnostic.location)
        )
    by_path = {item.path: item for item in remembered}
    by_path.update({item.path: item for item in loader.parsed.values()})
    parsed = []
    for path in sorted(by_path):
        item = by_path[path]
        extra = tuple(diagnostics.pop(item.path, []))
        if extra or item.declarations:
            item = replace(item, declarations=(), findings=item.findings + extra)
        parsed.append(item)
    for path, more in sorted(diagnostics.items()):
        parsed.append(ParsedFile(path, "", (), tuple(more)))
    return parsed
