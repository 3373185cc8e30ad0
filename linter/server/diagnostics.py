"""Findings as LSP diagnostics, and the quick fix that suppresses one.

Findings are located by 1-based lines and code-point columns; LSP positions are 0-based, with
characters counted in the client's position encoding (UTF-16 code units unless the client
and server agreed on another). These functions are pure: the server hands them the text of
each file they need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from linter.core.findings import Finding, Severity
from linter.core.locations import Location
from linter.filters.suppression_edit import suppression_edit
from linter.rules.registry import find_rule

SOURCE = "baa-lint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Where a value's token ends, unquoted: `[claude-fable-5, x]` stops at the comma.
_TOKEN_END = frozenset(" \t,]})#")


def encoding_name(negotiated: types.PositionEncodingKind | str | None) -> str:
    """The position encoding agreed at initialize, as its name (``str()`` of the enum member
    would be its Python name, which matches no encoding); UTF-16, LSP's default, if none."""
    if negotiated is None:
        return types.PositionEncodingKind.Utf16.value
    return negotiated.value if isinstance(negotiated, types.PositionEncodingKind) else negotiated


def client_units(text: str, encoding: str) -> int:
    """How many code units of the position encoding ``text`` takes."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)  # surrogate pairs


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (``\\n``, ``\\r\\n`` and ``\\r`` end one), as baa-lint does."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def token_end(line: str, start: int) -> int:
    """The code-point index where the token at ``start`` ends: a quoted string up to its
    closing quote, else up to white space or a delimiter; the line's end when there is none."""
    if start >= len(line):
        return len(line)
    quote = line[start]
    if quote in "\"'":
        index = start + 1
        while index < len(line):
            if line[index] == "\\" and quote == '"':
                index += 2
                continue
            if line[index] == quote:
                return index + 1
            index += 1
        return len(line)
    index = start
    while index < len(line) and line[index] not in _TOKEN_END:
        index += 1
    return index if index > start else len(line)


@dataclass(frozen=True)
class Files:
    """What a run's display paths stand for: each file's URI and its current lines."""

    uri: Callable[[str], str]
    lines: Callable[[str], Sequence[str]]
    encoding: str


def _position(lines: Sequence[str], line: int, column: int, encoding: str) -> types.Position:
    index = min(max(line, 1), max(len(lines), 1)) - 1
    text = lines[index] if index < len(lines) else ""
    return types.Position(index, client_units(text[: max(column - 1, 0)], encoding))


def location_range(location: Location, files: Files) -> types.Range:
    """The range of the token at a location (its start when the location is a whole file)."""
    lines = files.lines(location.path)
    start = _position(lines, location.line, location.column, files.encoding)
    text = lines[start.line] if start.line < len(lines) else ""
    end = token_end(text, location.column - 1) + 1
    return types.Range(start, _position(lines, location.line, end, files.encoding))


def diagnostic(finding: Finding, files: Files, *, suppressible: bool) -> types.Diagnostic:
    """A finding as a diagnostic: its rule code, severity, message and evidence; ``data``
    says whether a suppression can silence it (the quick fix reads it back)."""
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(files.uri(e.location.path), location_range(e.location, files)),
            e.fact,
        )
        for e in finding.evidence
    ]
    return types.Diagnostic(
        range=location_range(finding.location, files),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule,
        source=SOURCE,
        related_information=related or None,
        data={"suppressible": suppressible, "name": finding.name},
    )


def comment_style(path: str, text: str) -> str | None:
    """The comments a file takes (where a suppression can go), None when it has none (JSON)."""
    lowered = path.lower()
    if lowered.endswith(".tf"):
        return "hcl"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    if lowered.endswith(".template") and not text.lstrip().startswith("{"):
        return "yaml"
    return None


def _may_suppress(item: types.Diagnostic) -> bool:
    if item.source != SOURCE or not isinstance(item.code, str):
        return False
    data: Any = item.data
    if isinstance(data, dict) and isinstance(data.get("suppressible"), bool):
        return bool(data["suppressible"])
    rule = find_rule(item.code)  # a client that does not send data back
    return rule is not None and rule.suppressible


def suppression_actions(
    uri: str,
    path: str,
    text: str,
    diagnostics: Sequence[types.Diagnostic],
    encoding: str,
) -> list[types.CodeAction]:
    """A quick fix for each suppressible baa-lint diagnostic: insert a suppression directive
    with a reason to fill in."""
    style = comment_style(path, text)
    if style is None:
        return []
    lines = split_lines(text)
    actions = []
    seen: set[tuple[int, str]] = set()
    for item in diagnostics:
        if not _may_suppress(item):
            continue
        code = str(item.code)
        line = item.range.start.line + 1
        edit = suppression_edit(text, line, code, style)
        if edit is None or (line, code) in seen:
            continue
        seen.add((line, code))
        at = _position(lines, edit.line, edit.column, encoding)
        change = types.TextEdit(types.Range(at, at), edit.text)
        actions.append(
            types.CodeAction(
                title=f"Suppress {code} here (then say why in place of 'reason')",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[item],
                edit=types.WorkspaceEdit(changes={uri: [change]}),
            )
        )
    return actions
