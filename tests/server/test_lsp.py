"""`baa-lint server` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

Each test starts `python -m linter server` in a fresh repository, opens documents, edits them
and asks for quick fixes, as an editor would; nothing calls a handler directly.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.conftest import write_tree

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# A generous bound so that a broken server fails the test instead of hanging it; never a
# measure of speed.
PATIENCE = 120

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-research
baa_signed: true
zero_data_retention: true
provider_alias: clinical
"""

# Non-ASCII before the model on its line: 'é' is one UTF-16 unit, the emoji two.
WORKSPACE = """\
resource "anthropic_workspace" "notes" {
  provider = anthropic.clinical
  name     = "notes"
  tags = { note = "é😀", models = "claude-fable-5" }
}
"""


class RecordingClient(LanguageClient):
    """pytest-lsp's client, keeping every diagnostics notification in order (with its
    document version), so a test can wait for the one that follows its edit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []


def _record(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def make_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record}
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "linter", "server"], client_factory=make_client
    )
)
async def client(lsp_client: RecordingClient, tmp_path: Path) -> AsyncIterator[None]:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copy(EXAMPLES / "rules" / "BAA001-covered-model-on-zdr" / "organization.yaml", repo)
    shutil.copytree(EXAMPLES / "aws-claude-platform" / "cloudformation", repo / "cfn")
    write_tree(repo, {"clinical/orgs.yaml": ZDR_ORG, "clinical/main.tf": "# nothing yet\n"})
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(repo.as_uri(), "repo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(
    client: RecordingClient, uri: str, after: int = 0, version: int | None = None
) -> list[types.Diagnostic]:
    """The first diagnostics published for ``uri`` after the ``after``-th notification (for
    that version of the document, when given)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            for params in client.published[after:]:
                if params.uri == uri and version in (None, params.version):
                    return list(params.diagnostics)
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(wait(), PATIENCE)


def open_document(client: RecordingClient, path: Path, text: str, language: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, text))
    )
    return uri


def change(client: RecordingClient, uri: str, version: int, text: str) -> int:
    """Replace the document's text; the mark to wait for the diagnostics that follow."""
    mark = len(client.published)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version, uri),
            [types.TextDocumentContentChangeWholeDocument(text)],
        )
    )
    return mark


def repository(tmp_path: Path) -> Path:
    return tmp_path / "repo"


def apply(text: str, edit: types.TextEdit) -> str:
    """Apply an insertion (the only kind of edit the quick fix makes) to ASCII text."""
    assert edit.range.start == edit.range.end
    lines = text.split("\n")
    at = edit.range.start
    lines[at.line] = lines[at.line][: at.character] + edit.new_text + lines[at.line][at.character :]
    return "\n".join(lines)


async def test_open_change_and_suppress_a_yaml_finding(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = repository(tmp_path) / "organization.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text, "yaml")

    [found] = await diagnostics_for(client, uri)
    assert (found.code, found.severity, found.source) == (
        "BAA001",
        types.DiagnosticSeverity.Error,
        "baa-lint",
    )
    assert found.message.startswith("workspace 'radiology-reports' of organization")
    # models: [claude-fable-5] on line 10, column 14 (1-based): the model's token.
    assert found.range == types.Range(types.Position(9, 13), types.Position(9, 27))
    [evidence] = found.related_information or []
    assert evidence.location.uri == uri
    assert evidence.location.range.start == types.Position(5, 21)
    assert evidence.message.startswith("organization 'acme-clinical' sets zero_data_retention")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri),
            found.range,
            types.CodeActionContext(diagnostics=[found]),
        )
    )
    assert actions is not None
    [action] = actions
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes[uri]
    assert edit.range.start == types.Position(9, 0)
    assert edit.new_text == "    # baa-lint: ignore[BAA001] reason\n"

    # The unsaved buffer, not the disk, is linted: fixing it clears the diagnostic.
    mark = change(client, uri, 2, text.replace("claude-fable-5", "claude-haiku-4-5"))
    assert await diagnostics_for(client, uri, mark) == []
    assert "claude-fable-5" in path.read_text(encoding="utf-8")

    # Back to the finding, with the quick fix applied: suppressed, and the reason counts.
    mark = change(client, uri, 3, apply(text, edit))
    assert await diagnostics_for(client, uri, mark) == []

    # Typing on: whatever was published meanwhile, the latest text has the last word.
    mark = change(client, uri, 4, text)
    change(client, uri, 5, text.replace("claude-fable-5", "claude-sonnet-4-5"))
    assert await diagnostics_for(client, uri, mark, version=5) == []
    assert [p.version for p in client.published[mark:] if p.uri == uri][-1] == 5


async def test_a_terraform_buffer_in_its_module_with_utf16_columns(
    client: RecordingClient, tmp_path: Path
) -> None:
    directory = repository(tmp_path) / "clinical"
    uri = open_document(client, directory / "main.tf", WORKSPACE, "terraform")
    [found] = await diagnostics_for(client, uri)
    assert found.code == "BAA001"
    # `  tags = { note = "é😀", models = ` is 33 code points and 34 UTF-16 units.
    assert found.range.start == types.Position(3, 34)
    assert found.range.end == types.Position(3, 34 + len('"claude-fable-5"'))
    locations = {
        (r.location.uri, r.location.range.start.line) for r in found.related_information or []
    }
    assert ((directory / "orgs.yaml").as_uri(), 4) in locations  # the org, read from disk

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), found.range, types.CodeActionContext([found])
        )
    )
    assert actions is not None
    [action] = actions
    assert isinstance(action, types.CodeAction)
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes[uri]
    assert (edit.range.start, edit.new_text) == (
        types.Position(3, 0),
        "  # baa-lint: ignore[BAA001] reason\n",
    )

    # Editing the organization (an open buffer too) updates the workspace's diagnostics.
    mark = len(client.published)
    org_uri = open_document(client, directory / "orgs.yaml", ZDR_ORG, "yaml")
    assert await diagnostics_for(client, org_uri, mark) == []
    standard = ZDR_ORG.replace("zero_data_retention: true", "zero_data_retention: false")
    mark = change(client, org_uri, 2, standard)
    assert await diagnostics_for(client, uri, mark) == []


async def test_a_cloudformation_template_and_a_parse_error(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = repository(tmp_path) / "cfn" / "claude-workspaces.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text, "yaml")
    codes = sorted(str(d.code) for d in await diagnostics_for(client, uri))
    assert codes == ["BAA001", "BAA009"]

    mark = change(client, uri, 2, text.replace("Resources:", "Resources: [", 1))
    found = await diagnostics_for(client, uri, mark)
    # The template's own suppression of BAA009 now has nothing to suppress.
    assert sorted(str(d.code) for d in found) == ["BAA900", "BAA902"]
    [error] = [d for d in found if d.code == "BAA900"]
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.range.start == types.Position(28, 8)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), error.range, types.CodeActionContext(found)
        )
    )
    assert actions is not None
    assert list(actions) == []  # neither a parse error nor a suppression problem can be suppressed


async def test_a_bad_configuration_is_logged_and_the_server_goes_on(
    client: RecordingClient, tmp_path: Path
) -> None:
    repo = repository(tmp_path)
    config = repo / ".baa-lint.yaml"
    config.write_text("selct: [BAA001]\n", encoding="utf-8")
    path = repo / "organization.yaml"
    uri = open_document(client, path, path.read_text(encoding="utf-8"), "yaml")

    async def logged() -> str:
        while True:
            params = await client.wait_for_notification(types.WINDOW_LOG_MESSAGE)
            if params.type == types.MessageType.Error:
                return str(params.message)

    message = await asyncio.wait_for(logged(), PATIENCE)
    assert ".baa-lint.yaml:1" in message and "selct" in message
    config.unlink()
    mark = len(client.published)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    assert [d.code for d in await diagnostics_for(client, uri, mark)] == ["BAA001"]
