"""Markdown report: summary, table escaping, details, suppressed list, size cap."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from linter.core.findings import Evidence, Finding, Severity
from linter.core.locations import Location
from linter.output.formats import markdown
from linter.result import Result
from tests.conftest import markdown_cells as cells
from tests.formatters import GOLDEN_TREE, lint_here, render, write_tree

CLEAN = {"org.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"}


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]


def synthetic(result: Result, count: int) -> Result:
    findings = tuple(
        Finding(
            "BAA001",
            "covered-model-on-zdr",
            Severity.ERROR,
            f"workspace 'w{i}' of organization 'acme' expects Covered Model 'claude-fable-5'",
            Location(f"infra/org{i // 50:03d}.yaml", i % 50 + 1, 3),
            f"acme/w{i}",
            "models[0]",
            (Evidence(Location("infra/org.yaml", 4, 22), "organization 'acme' sets zdr"),),
            "Expect this model only from a workspace with standard retention.",
        )
        for i in range(count)
    )
    return replace(result, findings=findings)


def test_clean_result(in_tmp: Path) -> None:
    write_tree(in_tmp, CLEAN)
    text = render("markdown", lint_here())
    assert text == "## baa-lint\n\n**No findings** in 1 file and 1 configuration; 0 suppressed.\n"


def test_baselined_findings_are_counted_in_the_summary(in_tmp: Path) -> None:
    write_tree(in_tmp, CLEAN)
    text = render("markdown", replace(lint_here(), baselined=12))
    assert "; 0 suppressed, 12 in the baseline." in text


def test_summary_table_and_details(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    text = render("markdown", result)
    assert "**3 findings** (1 error, 1 warning, 1 info) in 2 files and 4 configurations; " in text
    assert "1 suppressed." in text
    rows = table_rows(text)
    header, *findings = rows[: 1 + len(result.findings)]
    assert cells(header) == ["Severity", "Rule", "Location", "Message"]
    assert [cells(r)[0] for r in findings] == [f.severity.value for f in result.findings]
    assert all(len(cells(r)) == 4 for r in findings)
    assert text.count("<details>") == text.count("</details>") == len(result.findings) + 1
    assert "**Evidence:**" in text
    assert "<summary>1 suppressed finding</summary>" in text
    suppressed_row = (
        "| `BAA001` covered-model-on-zdr | `infra/org.yaml:10:14` | migration tracked in MIG-8 |"
    )
    assert suppressed_row in text


def test_pipes_newlines_and_html_are_escaped(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    odd = replace(
        result.findings[0],
        message="a | b\nc <script>x</script> *bold* `tick`",
        location=Location("dir|x/we`ird.yaml", 2, 1),
    )
    text = render("markdown", replace(result, findings=(odd,), suppressed=()))
    (row,) = table_rows(text)[1:]
    assert len(cells(row)) == 4
    message = cells(row)[3]
    assert message == "a \\| b<br>c &lt;script&gt;x&lt;/script&gt; \\*bold\\* \\`tick\\`"
    assert cells(row)[2] == "`` dir\\|x/we`ird.yaml:2:1 ``"
    assert "<script>" not in text


def test_escape_and_code_helpers() -> None:
    assert markdown.escape("x|y") == "x\\|y"
    assert markdown.escape("1\r\n2") == "1<br>2"
    assert markdown.escape("a_b [c](d) ~e~ \\") == "a\\_b \\[c\\](d) \\~e\\~ \\\\"
    assert markdown.code("a|b") == "`a\\|b`"
    assert markdown.code("a``b") == "``` a``b ```"


def test_a_huge_result_is_truncated_with_a_note(in_tmp: Path) -> None:
    write_tree(in_tmp, CLEAN)
    result = synthetic(lint_here(), 5_000)
    text = render("markdown", result)
    assert len(text.encode("utf-8")) <= markdown.MAX_BYTES
    shown = len(table_rows(text)) - 1
    assert 0 < shown < 5_000
    assert f"_Showing {shown:,} of 5,000 findings; " in text
    assert "--format json" in text
    assert text.count("<details>") == text.count("</details>")
    # The sections ran out of room before the table did.
    assert re.search(r"_Details are shown for the first [\d,]+ findings only; ", text)


def test_one_overlong_message_is_cut_not_the_whole_table(in_tmp: Path) -> None:
    write_tree(in_tmp, CLEAN)
    result = synthetic(lint_here(), 3)
    long = replace(result.findings[0], message="x" * 200_000)
    text = render("markdown", replace(result, findings=(long, *result.findings[1:])))
    assert len(text.encode("utf-8")) <= markdown.MAX_BYTES
    rows = table_rows(text)[1:]
    assert len(rows) == 3
    assert cells(rows[0])[3] == "x" * (markdown.CELL_CHARS - 1) + "\u2026"
    assert "_Showing" not in text


def test_a_result_that_fits_has_no_note(in_tmp: Path) -> None:
    write_tree(in_tmp, CLEAN)
    text = render("markdown", synthetic(lint_here(), 20))
    assert "_Showing" not in text
    assert len(table_rows(text)) == 21
    assert text.count("<details>") == 20


def test_many_suppressed_findings_are_capped_too(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    many = result.suppressed * 2_000
    text = render("markdown", replace(result, suppressed=many))
    assert len(text.encode("utf-8")) <= markdown.MAX_BYTES
    assert "of 2,000 suppressed findings; " in text
    assert text.rstrip().endswith("</details>")
