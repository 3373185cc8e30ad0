"""GitLab code quality: a JSON array of CodeClimate-style issues for the merge-request widget.

GitLab matches issues between the base and head pipelines by ``fingerprint`` alone, so the
fingerprint must not move when lines are inserted above a finding, and must be unique within one
report (GitLab shows only the first of several issues that share one).
"""

from __future__ import annotations

import json
from typing import Any

from linter.core.findings import Finding, Severity, unique_fingerprints
from linter.core.printable import json_printable
from linter.output.formats.options import FormatOptions
from linter.result import Result, SourceRoot

# GitLab knows info, minor, major, critical and blocker. A BAA coverage error means PHI may flow
# outside the BAA: critical; "blocker" is left for a pipeline owner who wants to escalate.
GITLAB_SEVERITY = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFO: "info",
}


def _content(finding: Finding, root: SourceRoot) -> str:
    """Markdown details (CodeClimate ``content.body``): evidence, then the fix."""
    lines = [
        f"- evidence: `{root.location(item.location)}` {item.fact}" for item in finding.evidence
    ]
    if finding.fix:
        lines.append(f"- fix: {finding.fix}")
    return "\n".join(_one_item(line) for line in lines)


def _one_item(line: str) -> str:
    """A list item on one line: a line break inside a value (a name can hold one) would start
    an item of its own, so it becomes a markdown ``<br>``, as in ``--format markdown``."""
    return line.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def issue(finding: Finding, fingerprint: str, root: SourceRoot) -> dict[str, Any]:
    """One issue. Files are named relative to the repository root (``root``), where GitLab
    looks for them: the display path would follow the working directory."""
    record: dict[str, Any] = {
        "type": "issue",
        "description": f"{finding.rule}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": GITLAB_SEVERITY[finding.severity],
        "categories": ["Security"],
        "location": {
            "path": root.relative(finding.location.path),
            "lines": {"begin": finding.location.line},
        },
    }
    body = _content(finding, root)
    if body:
        record["content"] = {"body": body}
    return record


def issues(result: Result) -> list[dict[str, Any]]:
    """One issue per active finding; suppressed findings are not issues in GitLab's model."""
    root = result.source_root
    fingerprints = unique_fingerprints(result.findings, root.relative)
    return [issue(f, fp, root) for f, fp in zip(result.findings, fingerprints, strict=True)]


def render(result: Result, options: FormatOptions) -> str:
    return json_printable(json.dumps(issues(result), indent=2, ensure_ascii=False)) + "\n"
