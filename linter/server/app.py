"""The Language Server: open documents in, diagnostics and quick fixes out.

Each document belongs to a lint root: its repository (the nearest git work tree or baa-lint
configuration up the tree, as the command line finds it), else the workspace folder holding
it, else its directory. A lint of a root reads every open document under it from its buffer
and the rest from disk, so a Terraform buffer is evaluated with its module directory, tfvars
and the organizations it links to, and editing an organization updates the open workspaces'
diagnostics too. Each open document of the root then gets the findings located in it.

Lints run one at a time on a worker thread (the event loop keeps answering), after the
document has been idle for a moment (``DEBOUNCE_SECONDS``); a result computed from text that
has changed since is not published, the newer text's lint will be. Whatever goes wrong in a
lint is reported through window/logMessage; the server keeps running.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from linter.core.files import RepositoryReader, SourceError, is_below
from linter.core.findings import Finding
from linter.core.version import __version__
from linter.filters.baseline import BaselineError
from linter.inputs.discover import DiscoveryError, repository_root
from linter.lint import lint, load_config
from linter.result import Result
from linter.rules.registry import find_rule
from linter.server.diagnostics import (
    Files,
    diagnostic,
    encoding_name,
    split_lines,
    suppression_actions,
)
from linter.settings.config import Config
from linter.settings.config_file import ConfigError

DEBOUNCE_SECONDS = 0.3
# Documents baa-lint reads (as discovery names them); others get no diagnostics.
SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yaml", ".yml", ".json", ".template")


@dataclass(frozen=True)
class Snapshot:
    """The open documents of a lint root as they were when its lint started."""

    root: Path
    texts: dict[Path, str]  # by absolute path
    versions: dict[str, int | None]  # by URI
    uris: dict[Path, str]


@dataclass
class Outcome:
    """What a lint of a root gave: the findings by absolute path, and which can be
    suppressed inline (the configuration decides that per path)."""

    findings: dict[Path, list[tuple[Finding, bool]]] = field(default_factory=dict)
    texts: dict[Path, Sequence[str]] = field(default_factory=dict)


class BaaLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("baa-lint", __version__)
        # One lint at a time: the pipeline and its caches are not meant to run concurrently
        # in one process, and the machine's cores are better left to the editor.
        self.lints = ThreadPoolExecutor(max_workers=1, thread_name_prefix="baa-lint")
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        self.running: set[Path] = set()
        self.again: set[Path] = set()  # roots whose documents changed while they were linted

    # --- which documents, which root -------------------------------------------------------

    def document_path(self, uri: str) -> Path | None:
        if not uri.startswith("file:"):
            return None  # untitled buffers and other schemes: nothing on disk to lint as
        path = to_fs_path(uri)
        if path is None or not path.lower().endswith(SUFFIXES):
            return None
        return Path(os.path.abspath(path))

    def folders(self) -> list[Path]:
        found = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        found.append(self.workspace.root_path)
        return [Path(os.path.abspath(f)) for f in found if f]

    def root_of(self, path: Path) -> Path:
        containing = [f for f in self.folders() if is_below(str(path), str(f))]
        folder = max(containing, key=lambda f: len(str(f))) if containing else path.parent
        return repository_root([path.parent], folder)

    def snapshot(self, root: Path) -> Snapshot:
        texts: dict[Path, str] = {}
        versions: dict[str, int | None] = {}
        uris: dict[Path, str] = {}
        for uri, document in self.workspace.text_documents.items():
            path = self.document_path(uri)
            if path is None or not is_below(str(path), str(root)):
                continue
            texts[path] = document.source
            versions[uri] = document.version
            uris[path] = uri
        return Snapshot(root, texts, versions, uris)

    def current(self, snapshot: Snapshot) -> bool:
        """Whether every document of the snapshot is still open with the same text."""
        documents = self.workspace.text_documents
        return all(
            uri in documents and documents[uri].version == version
            for uri, version in snapshot.versions.items()
        )

    # --- scheduling ------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        path = self.document_path(uri)
        if path is None:
            return
        root = self.root_of(path)
        pending = self.timers.pop(root, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self.timers[root] = loop.call_later(delay, self.start, root)

    def start(self, root: Path) -> None:
        self.timers.pop(root, None)
        if root in self.running:
            self.again.add(root)  # lint once more when this one is done
            return
        self.running.add(root)
        task = asyncio.ensure_future(self.run(root))
        task.add_done_callback(lambda _: self.running.discard(root))
        task.add_done_callback(self.report_failure)

    async def run(self, root: Path) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self.again.discard(root)
            snapshot = self.snapshot(root)
            outcome = await loop.run_in_executor(self.lints, lint_reporting, snapshot)
            if root in self.again:
                continue
            if isinstance(outcome, str):
                self.log_error(outcome)
            elif self.current(snapshot):
                self.publish(snapshot, outcome)
            return

    # --- publishing ------------------------------------------------------------------------

    def publish(self, snapshot: Snapshot, outcome: Outcome) -> None:
        """Each open document of the root gets its findings (none clears what it had)."""
        files = Files(
            uri=lambda shown: _uri(snapshot.root, shown, snapshot.uris),
            lines=lambda shown: _lines(snapshot.root, shown, outcome),
            encoding=encoding_name(self.workspace.position_encoding),
        )
        for path, uri in snapshot.uris.items():
            found = outcome.findings.get(path, [])
            items = [diagnostic(f, files, suppressible=s) for f, s in found]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri, items, version=snapshot.versions[uri])
            )

    def clear(self, uri: str) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    def report_failure(self, task: asyncio.Future[None]) -> None:
        """A bug while publishing: say so in the client's log, and keep serving."""
        error = None if task.cancelled() else task.exception()
        if error is not None:
            trace = "".join(traceback.format_exception(error))
            self.log_error(f"baa-lint: internal error: {type(error).__name__}: {error}\n{trace}")

    def log_error(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, message))


def _uri(root: Path, shown: str, open_documents: dict[Path, str]) -> str:
    path = Path(os.path.normpath(root / shown))
    return open_documents.get(path) or from_fs_path(str(path)) or path.as_uri()


def _lines(root: Path, shown: str, outcome: Outcome) -> Sequence[str]:
    path = Path(os.path.normpath(root / shown))
    if path not in outcome.texts:
        # An evidence file that is not open: its characters count the columns. Read through
        # the repository's reader, like everything the lint read.
        try:
            text = RepositoryReader(root).read_text(path, shown)
        except SourceError:
            text = ""
        outcome.texts[path] = split_lines(text)
    return outcome.texts[path]


def lint_reporting(snapshot: Snapshot) -> Outcome | str:
    """Lint a snapshot (on the worker thread); what went wrong, as a message, if it failed."""
    try:
        return lint_documents(snapshot.root, snapshot.texts)
    except (ConfigError, DiscoveryError, BaselineError) as exc:
        return f"baa-lint: {snapshot.root}: {exc}"
    except Exception as exc:  # the server's one place that keeps a bug from stopping it
        return (
            f"baa-lint: internal error linting {snapshot.root}: {type(exc).__name__}: {exc}\n"
            f"{traceback.format_exc()}"
        )


def lint_documents(root: Path, buffers: dict[Path, str]) -> Outcome:
    """Lint a root with the open documents' texts; the findings by file.

    The working directory becomes the root (findings' paths are relative to it, and the
    repository boundary is decided from it, never from wherever the editor started the
    server); only this worker thread lints, so nothing else reads it meanwhile. Parsing stays
    in this process (jobs=1): worker processes forked from a threaded server are not safe.
    """
    os.chdir(root)
    config: Config = load_config(["."], {"jobs": 1}).config
    result = lint(["."], config, sources=buffers)
    return Outcome(_by_file(root, result, config), {p: split_lines(t) for p, t in buffers.items()})


def _by_file(root: Path, result: Result, config: Config) -> dict[Path, list[tuple[Finding, bool]]]:
    by_file: dict[Path, list[tuple[Finding, bool]]] = {}
    for finding in result.findings:
        path = Path(os.path.normpath(root / finding.location.path))
        governing = config.for_path(finding.location.path)
        rule = find_rule(finding.rule)
        suppressible = (
            rule is not None
            and rule.suppressible
            and governing.inline_suppressions
            and finding.rule not in governing.non_suppressible
        )
        by_file.setdefault(path, []).append((finding, suppressible))
    return by_file


def create_server() -> BaaLintServer:
    server = BaaLintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BaaLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BaaLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: BaaLintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BaaLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0)  # the others now see the file on disk

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: BaaLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        path = ls.document_path(uri)
        if path is None:
            return []
        document = ls.workspace.get_text_document(uri)
        encoding = encoding_name(ls.workspace.position_encoding)
        return suppression_actions(
            uri, str(path), document.source, params.context.diagnostics, encoding
        )

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: BaaLintServer, params: None) -> None:
        for timer in ls.timers.values():
            timer.cancel()
        ls.lints.shutdown(wait=False, cancel_futures=True)

    return server
