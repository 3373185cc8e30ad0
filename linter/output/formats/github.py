"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

The runner turns each command into an annotation on the file and line. The message body carries
the evidence and the fix on their own lines (escaped newlines), so they show in the annotation;
a line break inside a value from the inputs is shown as ``\\n``, so it adds no line.

Formatters are pure, so this one never writes ``$GITHUB_STEP_SUMMARY`` itself: the CLI appends
``step_summary(result)`` (markdown) to that file when the variable is set.
"""

from __future__ import annotations

from linter.core.findings import Finding, Severity
from linter.core.printable import printable
from linter.output.formats import markdown
from linter.output.formats.options import FormatOptions
from linter.output.formats.text import summary
from linter.result import Result, SourceRoot

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: '%' first, so the escapes added after it stay intact."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ':' and ',' would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _safe(text: str) -> str:
    """Input-derived text with its control characters shown as escapes (ESC as ``\\x1b``),
    CR and LF included: the body's lines are baa-lint's own (message, evidence, fix), and a
    name holding a line break must not add one (it could forge an ``evidence:`` line)."""
    return printable(text)


def annotation_body(finding: Finding, root: SourceRoot) -> str:
    """The message, evidence and fix, one per line (joined by newlines that become %0A)."""
    lines = [_safe(finding.message)]
    lines.extend(
        _safe(f"evidence: {root.location(item.location)}: {item.fact}") for item in finding.evidence
    )
    if finding.fix:
        lines.append(_safe(f"fix: {finding.fix}"))
    return "\n".join(lines)


def command(finding: Finding, root: SourceRoot) -> str:
    """One workflow command: data and properties made safe, then escaped as GitHub's runner
    reads them ('%', CR and LF in both; ':' and ',' in properties too). The file is named
    relative to the repository root (``root``), where GitHub looks for it, whatever the
    working directory."""
    location = finding.location
    properties = {
        "file": _safe(root.relative(location.path)),
        "line": str(location.line),
        "col": str(location.column),
        "title": _safe(f"{finding.rule} {finding.name}"),
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    body = escape_data(annotation_body(finding, root))
    return f"::{COMMANDS[finding.severity]} {rendered}::{body}"


def step_summary(result: Result) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY`` (the same report as ``--format markdown``)."""
    return markdown.document(result)


def render(result: Result, options: FormatOptions) -> str:
    lines = [command(finding, result.source_root) for finding in result.findings]
    if not options.quiet:
        # A plain line is log output, not a command: it gives the reader of the raw log totals.
        lines.append(summary(result))
    return "".join(line + "\n" for line in lines)
