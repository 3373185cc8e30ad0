"""--output-format (and the config file's output-format) on the command line, and --quiet."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import _text_style, cli
from linter.core.shipped import load_schema
from linter.output.formats.options import OUTPUT_FORMATS
from linter.rules.registry import LOOKUP
from linter.settings.config_file import describe, load_config
from tests.conftest import write_tree

ZDR = (
    "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: true\n"
    "zero_data_retention: true\nworkspaces:\n  - name: a\n    models: [claude-fable-5, claude-fabel-5]\n"
)
CARETS = "     |              ^^^^^^^^^^^^^^"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def tree(in_tmp: Path) -> Path:
    write_tree(in_tmp, {"org.yaml": ZDR})
    return in_tmp


def test_full_shows_the_source_line_and_carets(tree: Path) -> None:
    lines = run(".", "--output-format", "full").output.splitlines()
    assert lines[1:3] == ["   8 |     models: [claude-fable-5, claude-fabel-5]", CARETS]
    assert lines[-1].startswith("Found 2 findings")


def test_concise_is_one_line_per_finding_and_the_summary(tree: Path) -> None:
    lines = run(".", "--output-format", "concise").output.splitlines()
    assert [line.split()[1] for line in lines[:2]] == ["BAA001", "BAA012"]
    assert len(lines) == 3 and lines[2].startswith("Found 2 findings")


def test_default_off_a_terminal_is_standard(tree: Path) -> None:
    default = run(".").output
    assert default == run(".", "--output-format", "standard").output
    assert "    evidence: " in default and " | " not in default


def test_quiet_alone_is_concise_without_the_summary(tree: Path) -> None:
    lines = run(".", "-q").output.splitlines()
    assert len(lines) == 2 and all(": BAA0" in line for line in lines)


def test_quiet_with_a_style_drops_only_the_summary(tree: Path) -> None:
    quiet = run(".", "-q", "--output-format", "full").output
    assert CARETS in quiet and "Found" not in quiet
    assert run(".", "--output-format", "full").output.startswith(quiet)


def test_a_format_name_is_refused_with_the_option_that_takes_it(tree: Path) -> None:
    result = CliRunner().invoke(cli, [".", "--output-format", "json"])
    assert result.exit_code == 2
    assert result.output == (
        "baa-lint: error: --output-format json: it sets how text shows each finding "
        "(full, standard, concise); for json output use --format json\n"
    )


def test_a_mistyped_style_gets_a_did_you_mean(tree: Path) -> None:
    result = CliRunner().invoke(cli, [".", "--output-format", "ful"])
    assert result.exit_code == 2
    assert "unknown style 'ful'; did you mean 'full'?" in result.output


def test_a_style_for_a_run_without_text_output_is_refused(tree: Path) -> None:
    result = CliRunner().invoke(cli, [".", "--output-format", "full", "--format", "json"])
    assert result.exit_code == 2
    assert "this run writes no text" in result.output


def test_a_style_shapes_a_text_report_written_to_a_file(tree: Path) -> None:
    result = run(".", "--format", "json", "--format", "text=out.txt", "--output-format", "full")
    assert result.output.startswith("{")
    assert CARETS in (tree / "out.txt").read_text(encoding="utf-8")


def test_the_config_file_sets_the_style_and_the_command_line_wins(tree: Path) -> None:
    write_tree(tree, {".baa-lint.yaml": "output-format: concise\n"})
    assert len(run(".").output.splitlines()) == 3
    assert CARETS in run(".", "--output-format", "full").output
    rows = {
        name: (value, source)
        for name, value, source in describe(load_config(["."], {}, rules=LOOKUP))
    }
    assert rows["output-format"] == ("concise", ".baa-lint.yaml:1")


def test_an_unknown_style_in_the_config_file_is_an_error_at_its_line(tree: Path) -> None:
    write_tree(tree, {".baa-lint.yaml": "fail-on: error\noutput-format: fancy\n"})
    result = CliRunner().invoke(cli, ["."])
    assert result.exit_code == 2
    assert result.output.startswith("baa-lint: error: .baa-lint.yaml:2:")


def test_the_config_schema_knows_every_style() -> None:
    enum = load_schema("config.schema.json")["properties"]["output-format"]["enum"]
    assert tuple(enum) == OUTPUT_FORMATS


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_default_style_on_a_terminal_is_full_and_elsewhere_standard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert _text_style(None, quiet=False, target=None) == "full"
    assert _text_style(None, quiet=False, target="report.txt") == "standard"
    assert _text_style(None, quiet=True, target=None) == "concise"
    assert _text_style("standard", quiet=True, target=None) == "standard"
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert _text_style(None, quiet=False, target=None) == "standard"


def test_the_readme_shows_what_full_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = readme.split("- `concise`: nothing", 1)[1].split("```text\n", 1)[1].split("```")[0]
    assert "  39 |     models: [claude-fable-5]\n" in example
    monkeypatch.chdir(root)
    assert example in run("examples/quickstart", "--output-format", "full").output


def test_the_shell_completes_the_styles() -> None:
    from linter.cli import complete_output_formats

    items = complete_output_formats(None, None, "c")  # type: ignore[arg-type]
    assert [item.value for item in items] == ["concise"]
