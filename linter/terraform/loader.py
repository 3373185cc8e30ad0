"""Load Terraform for a lint run: prune, parse (cached, in parallel), evaluate, declare.

Parsing is the expensive step, so it happens only for directories that can matter (see
prune.py), at most once per file content (the parse cache), and across processes when there is
enough to parse (``--jobs``). Results are keyed by path, so the output never depends on the
number of jobs or the order in which workers finish.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter.core.cache import ParseCache
from linter.core.collector import RUN_THRESHOLDS
from linter.core.files import RepositoryReader, SourceError
from linter.core.findings import Finding, front_end_finding, parse_error
from linter.core.locations import Location
from linter.core.parsed import ParsedFile
from linter.core.tree import Declaration
from linter.core.version import __version__
from linter.inputs.discover import PROBLEM, InputFile, display_path, linted_directories
from linter.terraform.emit import declared, root_qualifier
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.modules import norm_key
from linter.terraform.eval.values import Diagnostic, ResourceInstance, SortKey, diagnostic_order
from linter.terraform.memo import codec as memocodec
from linter.terraform.memo import store as evalcache
from linter.terraform.memo.store import Keyed, UnrecordableError, plain_key
from linter.terraform.options import TagKeys, TerraformOptions
from linter.terraform.prune import SCAN_CACHE, ScanCache, scan
from linter.terraform.recognised import AGENT, ORGANIZATION, WORKSPACE_TYPES
from linter.terraform.syntax import codec as astcodec
from linter.terraform.syntax.ast import File

TERRAFORM_SUFFIXES = (".tf", ".tf.json")
# Declarations sort by kind first: organizations, so references resolve, then the rest.
GROUPS = {ORGANIZATION: 0, **dict.fromkeys(WORKSPACE_TYPES, 1), AGENT: 2}
# Below this much text to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024


def _cache_key(kind: str) -> str:
    """Cache entries depend on the parser (kind) and on how the tree is encoded."""
    return f"{kind}/ast{astcodec.FORMAT}"


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


def cache_text(outcome: File | Finding) -> str | None:
    """The cache text of a parse: {"ok": ast} or {"error": [message, line, col]}; None for a
    tree the codec cannot encode (the parser's nesting limits make that unreachable): such a
    file is used as parsed and never cached, so every run, cached or not, says the same."""
    if isinstance(outcome, Finding):
        where = outcome.location
        return _error_text(outcome.message, where.line, where.column)
    try:
        return '{"ok":' + astcodec.encode(outcome) + "}"
    except (RecursionError, astcodec.CodecError):
        return None


def parse_to_cache_text(kind: str, text: str, shown: str) -> str | None:
    """Parse a file; the result as cache text. Runs in worker processes: plain strings."""
    return cache_text(parse_file(kind, text, shown))


_TOO_DEEP = "this file nests too deeply to be read (blocks and expressions)"


def _error_text(message: str, line: int = 1, column: int = 1) -> str:
    """The cache text of a file that cannot be read: its finding."""
    return json.dumps({"error": [message, line, column]}, ensure_ascii=False)


def _start_worker() -> None:
    # What the run set in this process (a worker started by spawn does not inherit it).
    gc.set_threshold(*RUN_THRESHOLDS)


def _worker(job: tuple[str, str, str]) -> str | None:
    return parse_to_cache_text(*job)


def _from_cache_text(text: str, shown: str) -> File | Finding:
    """The tree or the finding that cache text stands for; CodecError if it stands for neither."""
    try:
        data = json.loads(text)
        if "error" in data:
            message, line, column = data["error"]
            return parse_error(str(message), Location(shown, int(line), int(column)))
        return astcodec.decode_value(data["ok"], shown)
    except (ValueError, KeyError, TypeError) as exc:
        raise astcodec.CodecError(f"{type(exc).__name__}: {exc}") from None
    except RecursionError:
        raise astcodec.CodecError(_TOO_DEEP) from None


@dataclass
class FileLoader:
    """Reads and parses Terraform files for the evaluator, once each, keeping every problem."""

    options: TerraformOptions
    cwd: Path
    cache: ParseCache = field(default_factory=lambda: ParseCache(None))
    parsed: dict[Path, ParsedFile] = field(default_factory=dict)
    files: dict[Path, File | None] = field(default_factory=dict)
    progress: Callable[[int, int], None] | None = None  # (files parsed, files to parse)
    _texts: dict[Path, str | Finding] = field(default_factory=dict)  # read, by real path
    _digests: dict[Path, str | None] = field(default_factory=dict)
    _listings: dict[Path, list[Path] | None] = field(default_factory=dict)
    _ready: dict[Path, str] = field(default_factory=dict)  # cache text parsed ahead of time
    # Directories whose files were loaded, in order (for the evaluation memo).
    loaded_directories: dict[Path, None] = field(default_factory=dict)
    _to_parse: int = 0
    # Files discover() did not read (symlinks leaving the linted tree...): never parsed here.
    not_read: frozenset[Path] = frozenset()
    # Reads every file (None: confined to ``cwd``); one outside the repository is a finding.
    reader: RepositoryReader | None = None
    _parsed_count: int = 0
    _reader: RepositoryReader = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._reader = self.reader or RepositoryReader(self.cwd)

    def _parsed_one(self) -> None:
        self._parsed_count += 1
        if self.progress is not None:
            self.progress(self._parsed_count, max(self._to_parse, self._parsed_count))

    def _display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def _read(self, real: Path, shown: str) -> str | Finding:
        """The file's text (read once per run), or the finding that says why it cannot be."""
        text = self._texts.get(real)
        if text is None:
            try:
                text = self._reader.read_text(real, shown, self.options.max_file_size)
            except SourceError as exc:
                text = parse_error(exc.message, exc.location)
            self._texts[real] = text
        return text

    # --- for the evaluation memo (evalcache.FileSource) ----------------------------------------

    def listing(self, directory: Path) -> list[Path] | None:
        """The Terraform files of a directory that this run reads, by real path."""
        real = Path(os.path.abspath(directory))
        if real not in self._listings:
            paths = _with_unsaved(_terraform_files(real), self._reader.buffers_in(real))
            # Entries of an absolute, normalised directory: absolute and normalised already.
            self._listings[real] = (
                None if paths is None else [p for p in paths if p not in self.not_read]
            )
        return self._listings[real]

    def digest(self, path: Path) -> str | None:
        real = Path(os.path.abspath(path))
        if real not in self._digests:
            if not self._exists(real):
                self._digests[real] = None
            else:
                text = self._read(real, self._display(real))
                if not isinstance(text, str):
                    raise UnrecordableError(str(real))
                data = text.encode("utf-8", "surrogatepass")
                self._digests[real] = hashlib.blake2b(data, digest_size=16).hexdigest()
        return self._digests[real]

    def parsed_file(self, path: Path) -> ParsedFile | None:
        return self.parsed.get(Path(os.path.abspath(path)))

    def text(self, path: Path) -> str:
        real = Path(os.path.abspath(path))
        text = self._read(real, self._display(real))
        return text if isinstance(text, str) else ""

    def display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def _result(self, real: Path, shown: str, text: str) -> File | Finding:
        kind = _kind(shown)
        data = text.encode("utf-8")
        ready = self._ready.pop(real, None)
        cached = ready if ready is not None else self.cache.get(_cache_key(kind), data)
        if cached is not None:
            try:
                return _from_cache_text(cached, shown)
            except (astcodec.CodecError, ValueError, KeyError, TypeError, OverflowError):
                self.cache.forget(_cache_key(kind), data)  # corrupt: parse again, below
        # A fresh parse is used as it is: nothing is encoded without a cache, and nothing
        # freshly encoded is decoded again (the codec's round trip is tested on its own).
        outcome = parse_file(kind, text, shown)
        if self.cache.directory is not None:
            fresh = cache_text(outcome)
            if fresh is not None:
                self.cache.put(_cache_key(kind), data, fresh)
        self._parsed_one()
        return outcome

    def _parse(self, path: Path) -> File | None:
        real = Path(os.path.abspath(path))
        if real in self.files:
            return self.files[real]
        shown = self._display(real)
        read = self._read(real, shown)
        text = read if isinstance(read, str) else ""
        outcome = self._result(real, shown, read) if isinstance(read, str) else read
        file = outcome if isinstance(outcome, File) else None
        findings = (outcome,) if isinstance(outcome, Finding) else ()
        self.files[real] = file
        blocks = file.spans if file is not None else ()
        self.parsed[real] = ParsedFile(shown, text, (), findings, blocks, "hcl")
        return file

    def prefetch(self, directories: Iterable[Path], jobs: int) -> None:
        """Parse, in worker processes, the files of ``directories`` that the cache does not have."""
        pending: list[tuple[Path, str, str, str]] = []
        size = 0
        for directory in directories:
            for real in self.listing(directory) or []:
                shown = self._display(real)
                text = self._read(real, shown)
                if not isinstance(text, str):
                    continue  # the sequential path reports it
                kind = _kind(shown)
                cached = self.cache.get(_cache_key(kind), text.encode("utf-8"))
                if cached is not None:
                    self._ready[real] = cached
                else:
                    pending.append((real, kind, text, shown))
                    size += len(text)
        self._to_parse = len(pending)
        workers = min(jobs, len(pending))
        if workers < 2 or size < PARALLEL_MIN_BYTES:
            return  # parsed one by one as the evaluator asks for them
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
            jobs_in = [(kind, text, shown) for _, kind, text, shown in pending]
            for (real, kind, text, _), result in zip(
                pending, pool.map(_worker, jobs_in, chunksize=8), strict=True
            ):
                if result is None:
                    continue  # not encodable: parsed again, here, when the evaluator asks
                self.cache.put(_cache_key(kind), text.encode("utf-8"), result)
                self._ready[real] = result
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
        return self._parse(path) if self._exists(path) else None

    def is_buffer(self, path: Path) -> bool:
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


def _with_unsaved(paths: list[Path] | None, buffers: Sequence[str]) -> list[Path] | None:
    """A directory's Terraform files with the buffers in it that are not on disk yet."""
    unsaved = [
        Path(b)
        for b in buffers
        if b.lower().endswith(TERRAFORM_SUFFIXES) and not os.path.lexists(b)
    ]
    return sorted([*(paths or []), *unsaved]) if unsaved else paths


def _terraform_files(directory: Path) -> list[Path] | None:
    """The directory's .tf and .tf.json files (regular files, or symlinks to one), sorted."""
    try:
        with os.scandir(directory) as listing:
            names = [
                entry.path
                for entry in listing
                if entry.name.lower().endswith(TERRAFORM_SUFFIXES) and _is_file(entry)
            ]
    except OSError:
        return None
    return [Path(name) for name in sorted(names)]


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _attach(parsed: list[ParsedFile], decls: list[Declaration]) -> list[ParsedFile]:
    """Each file with the declarations that live in it."""
    by_path: dict[str, list[Declaration]] = {}
    for decl in decls:
        by_path.setdefault(decl.path, []).append(decl)
    result = []
    for item in parsed:
        mine = tuple(by_path.pop(item.path, []))
        result.append(replace(item, declarations=mine))
    for path, rest in sorted(by_path.items()):
        result.append(ParsedFile(path, "", tuple(rest)))
    return result


def job_count(options: TerraformOptions) -> int:
    # The default is one process: with the native parser, the main process decodes what a
    # worker parsed in about the time it takes to parse it, so worker processes cost more CPU
    # and memory than they save (bench/README.md: 14.8 s with 2 jobs, 14.4 s with 1, dense
    # corpus). They pay again once workers evaluate root modules themselves.
    return options.jobs if options.jobs > 0 else 1


def load_terraform(
    files: Sequence[InputFile],
    options: TerraformOptions,
    cwd: Path,
    cache: ParseCache,
    reader: RepositoryReader,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[ParsedFile]:
    """Evaluate every Terraform module directory among ``files``; files with their declarations.

    Every file is read through ``reader``, confined to the repository (its ``root``)."""
    repo_root = reader.root
    terraform = [f for f in files if f.kind == "terraform"]
    if not terraform:
        return []
    # String operations: this runs over every file of a monorepo, and Path objects are slow.
    directories = linted_directories(terraform)
    may_matter = None
    if options.prune:
        stored = cache.read_document(SCAN_CACHE)
        scan_cache = ScanCache(stored if isinstance(stored, dict) else {})
        relevance = scan(directories, repo_root, scan_cache, reader)
        if scan_cache.changed:
            cache.write_document(SCAN_CACHE, scan_cache.entries)
        directories = [d for d in directories if relevance.matters(d)]
        may_matter = relevance.matters
    not_read = frozenset(Path(os.path.abspath(f.path)) for f in files if f.kind == PROBLEM)
    loader = FileLoader(options, cwd, cache, progress=progress, not_read=not_read, reader=reader)
    # TF_VAR_name for variables, TF_WORKSPACE for terraform.workspace (both in the memo key).
    env = {k: v for k, v in os.environ.items() if k.startswith("TF_VAR_") or k == "TF_WORKSPACE"}
    var_files = tuple(Path(v) for v in options.var_files)
    memo = None
    if cache.directory is not None:
        key = _memo_key(options, cwd, repo_root, env)
        stored_memo = cache.read_document(evalcache.DOCUMENT)
        memo = evalcache.EvalCache(stored_memo, key, loader, var_files, may_matter)
    changed = directories if memo is None else [d for d in directories if not memo.unchanged(d)]
    loader.prefetch(changed, job_count(options))
    evaluation = EvalOptions(
        repo_root=repo_root,
        var_files=var_files,
        variables=tuple(options.variables.items()),
        env=env,
        may_matter=may_matter,
        memo=memo,
        read_text=loader.plain_text,
    )
    result = evaluate_tree(directories, loader, evaluation)

    def declare(pairs: Sequence[tuple[SortKey, ResourceInstance]]) -> list[Keyed]:
        return _keyed_declarations(pairs, options.tag_keys)

    reused_diagnostics: list[Diagnostic] = []
    if memo is None:
        keyed = [d for r in result.roots for d in declare(r.instances)]
        remembered: list[ParsedFile] = []
    else:
        keyed = memo.record(result, list(loader.loaded_directories), declare)
        reused, reused_diagnostics = memo.reused()
        keyed += reused
        remembered = memo.remembered_files()
        document = memo.document()
        if document is not None:
            cache.write_document(evalcache.DOCUMENT, document)
    try:
        keyed.sort(key=lambda pair: pair[0])
    except TypeError:  # keys of different shapes (the memo's keys are checked, so never yet)
        keyed.sort(key=lambda pair: total_order(pair[0]))
    read = _files_with_diagnostics(loader, remembered, [*result.diagnostics, *reused_diagnostics])
    roots = [record.root for record in result.roots] + list(result.reused)
    return _attach(_with_scopes(read, roots, cwd), [decl for _, decl in keyed])


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
        directory = norm_key(os.path.dirname(os.path.join(cwd, item.path)))  # noqa: PTH118, PTH120
        qualifier = qualifiers.get(directory)
        if qualifier is None or not item.blocks or not item.may_have_directives:
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
            astcodec.FORMAT,
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
    return [(plain_key((GROUPS[i.type], *keys[id(i)], i.root)), decl) for i, decl in found]


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
        parsed.append(replace(item, declarations=(), findings=item.findings + extra))
    for path, more in sorted(diagnostics.items()):
        parsed.append(ParsedFile(path, "", (), tuple(more)))
    return parsed
