"""GitHub-flavoured markdown for pull-request comments and the GitHub job summary.

A title, a summary line, a table of findings, then one collapsible section per finding with its
evidence and fix, and a collapsible list of suppressed findings. GitHub rejects comments over
65,536 characters, so the document stays under ``MAX_BYTES``: the table and sections are cut
with a note saying how many were left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from linter.core.findings import Finding, Severity, SuppressedFinding
from linter.core.printable import printable
from linter.output.formats.options import FormatOptions
from linter.result import Result

TITLE = "## baa-lint"
MAX_BYTES = 60_000
# How the byte budget is shared: the table first, then the per-finding sections; what is left
# over after both goes to the suppressed list, and NOTE_RESERVE always stays free for the notes.
TABLE_BYTES = 30_000
SUPPRESSED_BYTES = 8_000
NOTE_RESERVE = 1_000
# One overlong message must not push every other finding out of the report.
CELL_CHARS = 1_000
SECTION_CHARS = 4_000

FULL_REPORT_HINT = "run baa-lint with `--format json` or `--format sarif` for the full list"

# Characters that start inline markdown (emphasis, code, links, strikethrough) or end a table
# cell. Backslash-escaping them shows them literally in GitHub-flavoured markdown.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]|~]")
_BACKTICK_RUNS = re.compile(r"`+")


# -- Escaping -------------------------------------------------------------------------------


def escape(text: str, limit: int = SECTION_CHARS) -> str:
    """Plain text that renders literally, on one line: safe in a table cell or a list item.

    Text over ``limit`` characters is cut (before escaping, so no escape is cut in half).
    Line breaks become ``<br>``; every other control character is shown as an escape.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    text = printable(text, keep="\r\n")
    escaped = html.escape(_INLINE_SPECIAL.sub(r"\\\g<0>", text), quote=False)
    return _one_line(escaped, "<br>")


def code(text: str, *, in_table: bool = True) -> str:
    """An inline code span. Backslashes do not escape inside one, except GFM's ``\\|`` rule
    for table cells (``in_table``); a backtick inside is handled by a longer fence instead."""
    text = printable(_one_line(text, " "))
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _one_line(text: str, newline: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# -- Blocks ---------------------------------------------------------------------------------


def summary_line(result: Result) -> str:
    counts = result.counts()
    severities = ", ".join(
        [
            _plural(counts[Severity.ERROR.value], "error"),
            _plural(counts[Severity.WARNING.value], "warning"),
            f"{counts[Severity.INFO.value]:,} info",
        ]
    )
    scope = (
        f"{_plural(len(result.files), 'file')} and "
        f"{_plural(result.configuration_count, 'configuration')}; "
        f"{len(result.suppressed):,} suppressed"
    )
    if result.baselined:
        scope += f", {result.baselined:,} in the baseline"
    if not result.findings:
        return f"**No findings** in {scope}."
    return f"**{_plural(len(result.findings), 'finding')}** ({severities}) in {scope}."


def table_row(finding: Finding) -> str:
    cells = (
        finding.severity.value,
        f"{code(finding.rule)} {escape(finding.name)}",
        code(str(finding.location)),
        escape(finding.message, CELL_CHARS),
    )
    return "| " + " | ".join(cells) + " |"


TABLE_HEADER = "| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |"


def details(finding: Finding) -> str:
    title = html.escape(f"{finding.rule} {finding.name} at {finding.location}")
    body = [f"<details>\n<summary>{title}</summary>", escape(finding.message)]
    if finding.object:
        body.append(f"**Object:** {code(finding.object, in_table=False)}")
    if finding.evidence:
        items = [
            f"- {code(str(e.location), in_table=False)} {escape(e.fact)}" for e in finding.evidence
        ]
        body.append("**Evidence:**\n\n" + "\n".join(items))
    if finding.fix:
        body.append(f"**Fix:** {escape(finding.fix)}")
    body.append("</details>\n")  # the blank line ends the HTML block before the next one
    return "\n\n".join(body)


def suppressed_row(item: SuppressedFinding) -> str:
    finding = item.finding
    cells = (
        f"{code(finding.rule)} {escape(finding.name)}",
        code(str(finding.location)),
        escape(item.justification, CELL_CHARS),
    )
    return "| " + " | ".join(cells) + " |"


SUPPRESSED_HEADER = "| Rule | Location | Justification |\n| --- | --- | --- |"


# -- Assembly under a byte budget -----------------------------------------------------------


def _size(text: str) -> int:
    # UTF-8 bytes: never fewer than characters, so a byte budget also bounds GitHub's limit.
    return len(text.encode("utf-8")) + 1  # +1 for the newline that joins blocks


def _take(blocks: Sequence[str], budget: int) -> list[str]:
    """The longest prefix of ``blocks`` that fits in ``budget`` bytes."""
    taken: list[str] = []
    used = 0
    for block in blocks:
        used += _size(block)
        if used > budget:
            break
        taken.append(block)
    return taken


def _omitted(shown: int, total: int, what: str) -> str:
    return f"_Showing {shown:,} of {_plural(total, what)}; {FULL_REPORT_HINT}._"


def _findings_part(findings: Sequence[Finding], budget: int) -> list[str]:
    rows = _take([table_row(f) for f in findings], min(TABLE_BYTES, budget))
    part = [TABLE_HEADER, *rows]
    if len(rows) < len(findings):
        part.append("\n" + _omitted(len(rows), len(findings), "finding"))
    part.append("")
    used = sum(_size(block) for block in part)
    # Sections only for findings that made it into the table, with room kept for the rest.
    room = budget - used - SUPPRESSED_BYTES - NOTE_RESERVE
    sections = _take([details(f) for f in findings[: len(rows)]], room)
    part.extend(sections)
    if len(sections) < len(rows):
        note = f"_Details are shown for the first {_plural(len(sections), 'finding')} only; "
        part.extend([f"{note}{FULL_REPORT_HINT}._", ""])
    return part


def _suppressed_part(suppressed: Sequence[SuppressedFinding], budget: int) -> list[str]:
    rows = _take([suppressed_row(s) for s in suppressed], budget - NOTE_RESERVE)
    title = _plural(len(suppressed), "suppressed finding")
    part = [f"<details>\n<summary>{title}</summary>\n", SUPPRESSED_HEADER, *rows]
    if len(rows) < len(suppressed):
        part.append("\n" + _omitted(len(rows), len(suppressed), "suppressed finding"))
    part.extend(["", "</details>"])
    return part


def document(result: Result) -> str:
    blocks = [TITLE, "", summary_line(result), ""]
    if result.findings:
        used = sum(_size(block) for block in blocks)
        blocks.extend(_findings_part(result.findings, MAX_BYTES - used))
    if result.suppressed:
        used = sum(_size(block) for block in blocks)
        blocks.extend(_suppressed_part(result.suppressed, MAX_BYTES - used))
    return "\n".join(blocks).rstrip("\n") + "\n"


def render(result: Result, options: FormatOptions) -> str:
    return document(result)
