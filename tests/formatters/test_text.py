"""The text format's styles: full (source line and carets), standard, concise; and --quiet."""

from __future__ import annotations

from pathlib import Path

import click

from linter.core.sources import Excerpt
from linter.output.formats import FormatOptions
from linter.output.formats.snippet import CUT, MAX_CHARS, shown
from linter.output.formats.text import render
from tests.conftest import lint_here, write_tree

ZDR_ORG = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nzero_data_retention: true\n"


def full(path: Path, files: dict[str, str], **options: object) -> str:
    write_tree(path, files)
    return render(lint_here(), FormatOptions(output_format="full", **options))  # type: ignore[arg-type]


def snippet_lines(output: str, code: str) -> list[str]:
    """The two lines under the finding of rule ``code``: the source line and the carets."""
    lines = output.splitlines()
    index = next(i for i, line in enumerate(lines) if f": {code} [" in click.unstyle(line))
    return lines[index + 1 : index + 3]


# -- display columns ------------------------------------------------------------------------


def test_a_tab_advances_to_the_next_tab_stop() -> None:
    line = shown(Excerpt(1, "\tx =\t", "1", ""))
    assert line.text == "    x = 1"
    assert (line.caret_start, line.caret_width) == (8, 1)


def test_wide_characters_take_two_columns_and_combining_marks_none() -> None:
    line = shown(Excerpt(1, "- {name: 日本, note: e\u0301, m: ", "[x]", "}"))
    assert line.text == "- {name: 日本, note: e\u0301, m: [x]}"
    assert line.caret_start == len("- {name: ") + 4 + len(", note: ") + 1 + len(", m: ")
    assert line.caret_width == 3


def test_control_characters_are_escaped_and_counted_as_their_escape() -> None:
    line = shown(Excerpt(1, 'name = "a\x1bb" + ', '"\u202ex"', ""))
    assert line.text == 'name = "a\\x1bb" + "\\u202ex"'
    assert line.caret_start == len('name = "a\\x1bb" + ')
    assert line.caret_width == len('"\\u202ex"')


def test_an_empty_token_gets_one_caret() -> None:
    line = shown(Excerpt(1, "abc", "", ""))
    assert (line.text, line.caret_start, line.caret_width) == ("abc", 3, 1)


def test_a_very_long_line_is_cut_around_the_token() -> None:
    before, after = "x" * 5000, "y" * 5000
    line = shown(Excerpt(1, before, '"claude-fable-5"', after))
    assert line.text.startswith(CUT) and line.text.endswith(CUT)
    assert len(line.text) <= MAX_CHARS + 2 * len(CUT)
    start = line.caret_start
    assert line.text[start : start + line.caret_width] == '"claude-fable-5"'


# -- full -----------------------------------------------------------------------------------


def test_full_marks_the_value_on_a_line_with_non_ascii_text(in_tmp: Path) -> None:
    org = ZDR_ORG + "workspaces:\n  - {name: 日本語の要約, models: [claude-fable-5]}\n"
    output = full(in_tmp, {"org.yaml": org})
    source, carets = snippet_lines(output, "BAA001")
    assert source == "   6 |   - {name: 日本語の要約, models: [claude-fable-5]}"
    # 日本語の要約 is six characters, twelve columns wide: the carets sit under the model id.
    assert carets == "     |" + " " * (1 + len("  - {name: ") + 12 + len(", models: [")) + "^" * 14


def test_full_marks_the_value_on_a_tab_indented_line(in_tmp: Path) -> None:
    main = (
        'resource "anthropic_workspace" "a" {\n'
        '\tname = "a"\n'
        "\ttags = {\n"
        '\t\tmodels\t= "claude-fabel-5"\n'
        "\t}\n"
        "}\n"
    )
    output = full(in_tmp, {"org.yaml": ZDR_ORG, "main.tf": main})
    source, carets = snippet_lines(output, "BAA012")
    assert source == '   4 |         models  = "claude-fabel-5"'
    assert carets == "     |" + " " * (1 + 8 + len("models  = ")) + "^" * len('"claude-fabel-5"')


def test_full_shows_evidence_and_fix_after_the_source(in_tmp: Path) -> None:
    org = ZDR_ORG + "workspaces:\n  - name: a\n    models: [claude-fable-5]\n"
    output = full(in_tmp, {"org.yaml": org})
    assert output.splitlines()[:5] == [
        output.splitlines()[0],
        "   7 |     models: [claude-fable-5]",
        "     |              ^^^^^^^^^^^^^^",
        "    evidence: org.yaml:4:22: organization 'acme' sets zero_data_retention: true "
        "(inherited by workspace 'a')",
        output.splitlines()[4],
    ]
    assert output.splitlines()[4].startswith("    fix: ")


def test_full_colours_the_carets_and_keeps_input_escapes_out(in_tmp: Path) -> None:
    main = (
        'resource "anthropic_workspace" "a" {\n'
        '  tags = { note = "\x1b[2J", models = "claude-fabel-5" }\n'
        "}\n"
    )
    output = full(in_tmp, {"org.yaml": ZDR_ORG, "main.tf": main}, color=True)
    source, carets = snippet_lines(output, "BAA012")
    assert "\x1b[2J" not in output
    assert '\\x1b[2J", models = "claude-fabel-5" }' in source
    assert "\x1b[33m" in carets and "^" * len('"claude-fabel-5"') in carets  # warning: yellow


def test_a_file_without_text_gets_no_source_line(in_tmp: Path) -> None:
    # JSON templates keep no text (nothing in them can be a suppression): the finding and its
    # evidence print as in standard.
    template = (
        '{"Resources": {"W": {"Type": "AWS::AWSExternalAnthropic::Workspace",'
        ' "Properties": {"Name": "w", "Tags": [{"Key": "models", "Value": "claude-fabel-5"}]}}}}'
    )
    write_tree(in_tmp, {"cdk.out/app.template.json": template})
    result = lint_here()
    assert result.findings
    assert render(result, FormatOptions(output_format="full")) == render(result, FormatOptions())


# -- concise, standard, quiet ----------------------------------------------------------------


def test_concise_is_one_line_per_finding_then_the_summary(in_tmp: Path) -> None:
    org = ZDR_ORG + "workspaces:\n  - name: a\n    models: [claude-fable-5, claude-fabel-5]\n"
    write_tree(in_tmp, {"org.yaml": org})
    result = lint_here()
    lines = render(result, FormatOptions(output_format="concise")).splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines[:-1]] == ["BAA001", "BAA012"]
    assert lines[-1].startswith("Found 2 findings")
    quiet = render(result, FormatOptions(output_format="concise", quiet=True))
    assert quiet.splitlines() == lines[:-1]


def test_quiet_drops_only_the_summary_of_the_other_styles(in_tmp: Path) -> None:
    org = ZDR_ORG + "workspaces:\n  - name: a\n    models: [claude-fable-5, claude-fabel-5]\n"
    write_tree(in_tmp, {"org.yaml": org})
    result = lint_here()
    for style in ("full", "standard"):
        loud = render(result, FormatOptions(output_format=style))
        quiet = render(result, FormatOptions(output_format=style, quiet=True))
        assert loud.startswith(quiet) and quiet.endswith("\n") and not quiet.endswith("\n\n")
        assert loud[len(quiet) :].lstrip("\n").startswith("Found 2 findings")
