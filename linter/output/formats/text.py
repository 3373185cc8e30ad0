"""Human output: ``path:line:col: CODE [severity] message`` per finding, then a summary.

Under each finding's line, ``--output-format`` decides what follows: ``full`` shows the source
line with carets under the offending value, then the evidence and the fix; ``standard`` the
evidence and the fix; ``concise`` nothing (one line per finding). ``--quiet`` drops the summary.
"""

from __future__ import annotations

import click

from linter.core.findings import Finding, Severity
from linter.core.printable import printable
from linter.output.formats import snippet
from linter.output.formats.options import CONCISE, FULL, FormatOptions
from linter.result import Result, RuleCount

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _style(text: str, options: FormatOptions, **kwargs: object) -> str:
    return click.style(text, **kwargs) if options.color else text  # type: ignore[arg-type]


def _source(finding: Finding, result: Result, options: FormatOptions) -> list[str]:
    """The finding's source line and the carets under its token (nothing without the text)."""
    excerpt = result.sources.excerpt(finding.location)
    if excerpt is None:
        return []
    line = snippet.shown(excerpt)
    bar = _style(snippet.gutter(excerpt.line), options, fg="blue", bold=True)
    lines = [f"{bar} {line.text}".rstrip()]
    if excerpt.marked:
        carets = " " * line.caret_start + "^" * line.caret_width
        styled = _style(carets, options, fg=_COLORS[finding.severity], bold=True)
        lines.append(f"{_style(snippet.gutter(), options, fg='blue', bold=True)} {styled}")
    return lines


def _finding(finding: Finding, result: Result, options: FormatOptions) -> list[str]:
    """One finding's lines. Everything that came from the inputs (paths, message, evidence,
    fix) goes through printable() before the styling, so it stays on its line and cannot
    carry escape sequences of its own."""
    where = _style(printable(str(finding.location)), options, bold=True)
    code = _style(finding.rule, options, fg=_COLORS[finding.severity], bold=True)
    severity = _style(f"[{finding.severity.value}]", options, fg=_COLORS[finding.severity])
    lines = [f"{where}: {code} {severity} {printable(finding.message)}"]
    if options.output_format == CONCISE:
        return lines
    if options.output_format == FULL:
        lines.extend(_source(finding, result, options))
    for item in finding.evidence:
        fact = printable(f"{item.location}: {item.fact}")
        lines.append(_style(f"    evidence: {fact}", options, dim=True))
    if finding.fix:
        lines.append(_style(f"    fix: {printable(finding.fix)}", options, fg="cyan"))
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def severity_counts(counts: dict[str, int]) -> list[str]:
    """Each severity's count in words, most severe first, leaving out those with none:
    "2 errors, 1 warning, 3 info" (the word every output uses; info takes no plural)."""
    return [
        f"{counts[s.value]} info" if s is Severity.INFO else _plural(counts[s.value], s.value)
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[s.value]
    ]


def summary(result: Result) -> str:
    parts = severity_counts(result.counts())
    scope = (
        f"{_plural(len(result.files), 'file')}, "
        f"{_plural(result.configuration_count, 'configuration')}"
    )
    suppressed = f"; {len(result.suppressed)} suppressed" if result.suppressed else ""
    if result.baselined:
        suppressed += f"; {result.baselined} in the baseline"
    stale = ""
    if result.stale_baseline:
        count = len(result.stale_baseline)
        entries = (
            "1 baseline entry no longer matches"
            if count == 1
            else (f"{count} baseline entries no longer match")
        )
        stale = f"\n{entries} a finding (fixed or moved); write the baseline again to drop it."
    if not result.findings:
        return f"No findings ({scope}{suppressed}).{stale}"
    found = _plural(len(result.findings), "finding")
    return f"Found {found}: {', '.join(parts)} ({scope}{suppressed}).{stale}"


def fixable(result: Result) -> str:
    """How many findings --fix would fix (and --unsafe-fixes besides), or "" when none."""
    safe = sum(1 for f in result.findings if f.autofix is not None and f.autofix.safe)
    unsafe = sum(1 for f in result.findings if f.autofix is not None and not f.autofix.safe)
    if safe and unsafe:
        return f"{safe} fixable with --fix ({unsafe} more with --fix --unsafe-fixes)."
    if safe:
        return f"{safe} fixable with --fix."
    if unsafe:
        return f"{unsafe} fixable with --fix --unsafe-fixes."
    return ""


def _severities(row: RuleCount) -> str:
    """``[error]`` when the rule's findings share one severity, else the count of each."""
    present = [severity for severity, count in row.by_severity.items() if count]
    if len(present) == 1:
        return f"[{present[0]}]"
    return f"[{', '.join(severity_counts(row.by_severity))}]"


def statistics(result: Result) -> list[str]:
    return [
        f"{row.total:5d}  {row.rule}  {row.name}  {_severities(row)}"
        for row in result.rule_counts()
    ]


def render(result: Result, options: FormatOptions) -> str:
    lines: list[str] = []
    separated = options.output_format != CONCISE  # a blank line after each multi-line finding
    for finding in result.findings:
        lines.extend(_finding(finding, result, options))
        if separated:
            lines.append("")
    if options.statistics:
        lines.extend(statistics(result))
        lines.append("")
    if not options.quiet:
        lines.append(summary(result))
        fixes = fixable(result)
        if fixes:
            lines.append(fixes)
    elif separated and result.findings and not options.statistics:
        lines.pop()  # nothing follows the last finding: no blank line at the end
    return "\n".join(lines) + ("\n" if lines else "")
