"""Findings as LSP diagnostics: positions in the client's encoding, ranges, severities."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lsprotocol import types

from linter.core.findings import Evidence, Finding, Severity
from linter.core.locations import Location
from linter.server.diagnostics import (
    Files,
    client_units,
    comment_style,
    diagnostic,
    encoding_name,
    split_lines,
    token_end,
)

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32


def test_code_units_per_encoding() -> None:
    text = "aé😀"  # 1 + 1 + 1 code points
    names = [encoding_name(e) for e in (UTF16, UTF8, UTF32)]
    assert names == ["utf-16", "utf-8", "utf-32"]
    assert [client_units(text, e) for e in names] == [4, 7, 3]
    assert encoding_name(None) == "utf-16"


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("    models: [claude-fable-5]", 13, 27),
        ('  models = "claude-fable-5"', 11, 27),
        ('  name = "a \\" b" # x', 9, 17),
        ("key: value", 10, 10),  # at the end of the line
        ("  - name: x", 2, 3),
        ("  ", 0, 2),  # nothing there: the rest of the line
    ],
)
def test_token_end(line: str, start: int, end: int) -> None:
    assert token_end(line, start) == end


def test_a_finding_as_a_diagnostic() -> None:
    texts = {"a.yaml": "x: 1\n  é😀: [claude-fable-5]\n", "b.yaml": "zdr: true\n"}
    files = Files(
        uri=lambda shown: f"file:///repo/{shown}",
        lines=lambda shown: split_lines(texts[shown]),
        encoding=UTF16,
    )
    finding = Finding(
        "BAA001",
        "covered-model-on-zdr",
        Severity.WARNING,
        "a message",
        Location("a.yaml", 2, 8),
        evidence=(Evidence(Location("b.yaml", 1, 6), "the org sets zdr"),),
    )
    made = diagnostic(finding, files, suppressible=True)
    assert made.range == types.Range(types.Position(1, 8), types.Position(1, 22))
    assert (made.severity, made.code, made.source, made.message) == (
        types.DiagnosticSeverity.Warning,
        "BAA001",
        "baa-lint",
        "a message",
    )
    [related] = made.related_information or []
    assert related.location.uri == "file:///repo/b.yaml"
    assert related.location.range == types.Range(types.Position(0, 5), types.Position(0, 9))
    assert related.message == "the org sets zdr"
    assert made.data == {"suppressible": True, "name": "covered-model-on-zdr"}


def test_comment_styles() -> None:
    assert comment_style("main.tf", "") == "hcl"
    assert comment_style("a.yml", "") == "yaml"
    assert comment_style("stack.template", "Resources: {}") == "yaml"
    assert comment_style("stack.template", ' {"Resources": {}}') is None
    assert comment_style("main.tf.json", "{}") is None


@pytest.mark.slow
def test_the_command_line_does_not_load_the_language_server() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, linter.cli, linter.lint; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pygls', 'lsprotocol'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
