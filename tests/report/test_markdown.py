"""The markdown report: tables stay tables whatever the names and messages hold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from linter.core.findings import Finding, Severity, SuppressedFinding
from linter.core.locations import Location
from linter.output.report import markdown
from linter.output.report.model import build_report
from tests.conftest import markdown_cells as cells
from tests.report import Run, golden_report


def tables(text: str) -> list[list[str]]:
    """Every table as its lines (header, delimiter, rows)."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found + ([current] if current else [])


def test_every_table_row_has_as_many_cells_as_its_header(tmp_path: Path) -> None:
    text = markdown.render(golden_report(tmp_path))
    found = tables(text)
    assert len(found) >= 10
    for table in found:
        width = len(cells(table[0]))
        assert all(len(cells(row)) == width for row in table), table


def test_pipes_and_newlines_in_user_text_stay_inside_their_cell(tmp_path: Path) -> None:
    report = golden_report(tmp_path)
    tricky = Finding(
        "BAA001",
        "covered-model-on-zdr",
        Severity.ERROR,
        "first line | with a pipe\nsecond line\r\nthird",
        Location("infra/a|b.yaml", 3, 5),
        "acme/x",
    )
    item = SuppressedFinding(tricky, "reason | with pipe\nand a newline", Location("x.yaml", 2, 1))
    text = markdown.render(replace(report, suppressed=(item,)))
    (table,) = [t for t in tables(text) if t[0].startswith("| Rule | Location | Finding")]
    header, _, row = table
    assert cells(row)[2] == "first line \\| with a pipe<br>second line<br>third"
    assert cells(row)[3] == "reason \\| with pipe<br>and a newline"
    assert len(cells(row)) == len(cells(header)) == 5


def test_headline_lists_the_risky_configurations(tmp_path: Path) -> None:
    text = markdown.render(golden_report(tmp_path))
    assert "> **Headline risk: 1 configuration carries PHI but is not BAA-eligible.**" in text
    assert "> - acme-research / frontier-evals (api, `acme-research/frontier-evals`)" in text


def test_html_in_names_is_inert(tmp_path: Path) -> None:
    text = markdown.render(golden_report(tmp_path))
    outside_code = text.replace("`acme-clinical/notes <script>alert(1)<script> & R\\|D`", "")
    assert "<script>" not in outside_code
    assert "notes &lt;script&gt;alert(1)&lt;script&gt; &amp; R\\|D" in text


def test_no_organization_and_no_findings(run: Run, in_tmp: Path) -> None:
    report = build_report(run({"README.md": "hi\n"}), ["."], "1.0")
    text = markdown.render(report)
    assert "No organizations were declared in these paths." in text
    assert "> No configuration is known to carry PHI outside BAA coverage." in text
    assert text.count("None.") == 2  # not-tied findings and suppressed
    assert text.endswith("\n") and not text.endswith("\n\n")
