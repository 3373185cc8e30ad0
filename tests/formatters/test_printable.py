"""Control characters from inputs never reach a terminal or a CI log raw (SPEC §9, issue 11).

One helper, ``linter.core.printable.printable``, shows them as escapes; every formatter that
writes input-derived text for a terminal or a log uses it before adding its own styling.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.findings import Evidence, Finding
from linter.core.locations import Location
from linter.core.printable import json_printable, printable
from linter.output.formats import FormatOptions, github, markdown, text
from linter.output.report import html as html_report
from linter.output.tables import table
from linter.result import Result
from tests.formatters import lint_here, render, write_tree

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")  # no raw controls (LF and TAB aside)
OWN_COLORS = re.compile(r"\x1b\[[0-9;]*m")

# A workspace name that erases the line, sets a hyperlink and rings the bell.
HOSTILE = "ok\r\x1b[2Kfake\x1b]8;;http://x\x07link\x1b]8;;\x07\x07\u202eevil\x9b"
HOSTILE_YAML = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: "ok\\r\\e[2Kfake\\e]8;;http://x\\alink\\e]8;;\\a\\a\\u202eevil\\x9b"
    models: [claude-fable-5]
"""


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, é 😀 and\u00a0spaces", "plain text, é 😀 and\u00a0spaces"),
        ("a\rb", "a\\rb"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("\x1b[2K\x07\x00\x7f", "\\x1b[2K\\x07\\x00\\x7f"),
        ("\x9b31m", "\\x9b31m"),  # a C1 CSI
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),  # bidirectional override and isolate
        ("a\u2028b", "a\\u2028b"),  # a line separator
        ("bad\udcff.yaml", "bad\\udcff.yaml"),  # a lone surrogate from an undecodable name
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_keeps_what_a_format_handles_itself() -> None:
    assert printable("a\r\nb\x1b", keep="\r\n") == "a\r\nb\\x1b"


@pytest.fixture
def hostile(in_tmp: Path) -> Path:
    write_tree(in_tmp, {"org.yaml": HOSTILE_YAML})
    return in_tmp


def baa001(result: Result) -> Finding:
    (finding,) = [f for f in result.findings if f.rule == "BAA001"]
    return finding


def test_the_fixture_really_is_hostile(hostile: Path) -> None:
    assert HOSTILE in baa001(lint_here()).message


@pytest.mark.parametrize("color", [False, True])
def test_text_output_escapes_and_keeps_its_own_colours(hostile: Path, color: bool) -> None:
    output = text.render(lint_here(), FormatOptions(color=color))
    assert not RAW.search(OWN_COLORS.sub("", output))
    assert "ok\\r\\x1b[2Kfake\\x1b]8;;http://x\\x07link" in output
    assert "\\u202eevil\\x9b" in output
    assert ("\x1b[31m" in output) is color  # the colour baa-lint writes itself stays


def test_one_finding_stays_one_line_in_text_output(hostile: Path) -> None:
    result = lint_here()
    finding = baa001(result)
    odd = replace(
        finding,
        message="first\nsecond\r\nthird",
        location=Location("dir\n/we\x1bird.yaml", 7, 14),
        evidence=(Evidence(Location("<command line>"), "--var a=b\nc"),),
        fix="one\ntwo",
    )
    lines = text.render(replace(result, findings=(odd,)), FormatOptions()).splitlines()
    assert lines[0] == "dir\\n/we\\x1bird.yaml:7:14: BAA001 [error] first\\nsecond\\r\\nthird"
    assert lines[1] == "    evidence: <command line>:1:1: --var a=b\\nc"
    assert lines[2] == "    fix: one\\ntwo"


def test_github_output_escapes_then_encodes(hostile: Path) -> None:
    result = lint_here()
    finding = baa001(result)
    odd = replace(finding, location=Location("a\x1b,b%.yaml", 7, 14), message="x\x07 50%\r\ny")
    (line, _summary) = github.render(replace(result, findings=(odd,)), FormatOptions()).splitlines()
    assert line.startswith("::error file=a\\x1b%2Cb%25.yaml,line=7,col=14,title=BAA001 ")
    assert "::x\\x07 50%25\\r\\ny%0Aevidence: " in line
    assert not RAW.search(github.render(result, FormatOptions()))


def test_markdown_escapes(hostile: Path) -> None:
    output = markdown.document(lint_here())
    assert not RAW.search(output)
    assert "ok<br>\\\\x1b\\[2Kfake" in output  # CR is a line break, ESC an escape
    assert markdown.code("a\x1bb") == "`a\\x1bb`"


def test_html_report_escapes() -> None:
    assert html_report.esc("<b>\x1b[2K\nok") == "&lt;b&gt;\\x1b[2K\nok"


def test_tables_escape_every_cell() -> None:
    output = table(("name", "value"), [("a\x1b[2K", "b\nc")])
    assert output.splitlines()[2] == "a\\x1b[2K  b\\nc"


def test_show_escapes(hostile: Path) -> None:
    output = CliRunner().invoke(cli, ["show", "."], catch_exceptions=False).output
    assert not RAW.search(output)
    assert "ok\\r\\x1b[2Kfake" in output


def test_error_messages_escape() -> None:
    result = CliRunner().invoke(cli, ["check", "--var", "x\x1b[2K\r", "."])
    assert result.exit_code == 2
    assert "got 'x\\x1b[2K\\r'" in result.output
    assert not RAW.search(result.output)


@pytest.mark.parametrize("name", ["json", "sarif", "gitlab"])
def test_json_formats_escape_what_their_encoder_leaves_raw(hostile: Path, name: str) -> None:
    """json.dumps escapes C0 but leaves C1 (U+009B is CSI), DEL and bidi controls raw."""
    result = lint_here()
    output = render(name, result)
    assert not RAW.search(output)
    assert "\\u202eevil\\u009b" in output
    assert any(HOSTILE in text for text in strings(json.loads(output)))  # the same value


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def test_json_printable() -> None:
    text = json.dumps({"k": "a\x9b\u2028\x7f\u202e"}, ensure_ascii=False)
    assert json_printable(text) == '{"k": "a\\u009b\\u2028\\u007f\\u202e"}'


def test_json_printable_escapes_del_in_an_all_ascii_text() -> None:
    """DEL is ASCII: a text of ASCII only is not safe for that alone."""
    assert json_printable('{"k": "a\x7fb"}') == '{"k": "a\\u007fb"}'
    assert json_printable('{"k": "plain"}') == '{"k": "plain"}'
