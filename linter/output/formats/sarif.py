"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, IDE viewers).

Choices that keep uploads working and alerts stable:

- exactly one run: GitHub stopped merging several runs of one tool in one file (July 2025);
- every selected rule gets a reportingDescriptor, and ``ruleIndex`` is computed from that same
  list, so it can never point at the wrong rule;
- artifact URIs are relative to ``%SRCROOT%``, the repository root (whatever the working
  directory, so alerts keep their paths between runs), POSIX and percent-encoded; the log names
  no absolute path of the machine it ran on: ``originalUriBaseIds`` describes %SRCROOT%
  without a ``uri`` (SARIF 2.1.0 §3.14.14 allows that), and the consumer supplies it (code
  scanning: the checkout);
- ``partialFingerprints`` carry the finding's line-independent fingerprint, so an alert survives
  lines being inserted above it;
- suppressed findings are emitted with ``suppressions[kind=inSource]`` and their justification,
  so auditors see them and code scanning closes them instead of losing them;
- no timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from linter.core.findings import Evidence, Finding, Severity, SuppressedFinding, unique_fingerprints
from linter.core.locations import Location, SourceRoot
from linter.core.printable import json_printable
from linter.core.version import PROJECT_URL, __version__
from linter.output.formats.options import FormatOptions
from linter.result import Result, Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "baa-lint"
INFORMATION_URI = PROJECT_URL
SRCROOT = "%SRCROOT%"
SRCROOT_DESCRIPTION = "The root of the linted repository: relative uris are resolved against it."
# Versioned, so a future change of the fingerprint recipe can live next to this one.
FINGERPRINT_KEY = "baaLintFingerprint/v1"
RULE_TAGS = ("security", "compliance", "hipaa", "baa")

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub reads properties["security-severity"] as a string holding a CVSS-like score:
# >= 7.0 is "high", >= 4.0 "medium", > 0.1 "low".
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# -- URIs -----------------------------------------------------------------------------------


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a %SRCROOT%-relative URI; an absolute one a file URI."""
    if _is_absolute(path):
        # A file outside the repository: there is no base to be relative to.
        prefix = "file://" if path.startswith("/") else "file:///"
        return {"uri": prefix + quote(path, safe="/:")}
    # Encode everything outside RFC 3986's unreserved set but "/", including ":", which must
    # not appear in the first segment of a relative reference (it would read as a scheme).
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def is_file_path(path: str) -> bool:
    """False for pseudo-paths such as "<command line>" or "<environment>" (no file to show)."""
    return bool(path) and not (path.startswith("<") and path.endswith(">"))


def physical_location(location: Location, root: SourceRoot) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(root.relative(location.path)),
        "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)},
    }


# -- Rules ----------------------------------------------------------------------------------


def first_paragraph(markdown: str) -> str:
    """The first paragraph of an explanation, its hard-wrapped lines joined."""
    paragraph = _PARAGRAPH_BREAK.split(markdown.strip(), maxsplit=1)[0]
    return " ".join(paragraph.split())


def descriptor(rule: Rule) -> dict[str, Any]:
    explanation = rule.explanation.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(explanation)},
        "helpUri": rule.doc_url,
        "help": {"text": explanation, "markdown": explanation},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": list(RULE_TAGS),
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "very-high",
        },
    }


def rule_table(result: Result) -> list[Rule]:
    """The selected rules, plus any rule a finding names that is missing from them.

    A finding should never name an unselected rule, but if it did, its ruleIndex would point
    nowhere and the upload would be rejected; describing the rule is the safe fallback.
    """
    rules = list(result.rules)
    known = {rule.code for rule in rules}
    every = [*result.findings, *(s.finding for s in result.suppressed)]
    for finding in every:
        if finding.rule in known:
            continue
        known.add(finding.rule)
        registered = next((r for r in result.registered_rules if r.code == finding.rule), None)
        rules.append(registered or _stand_in_rule(finding))
    return rules


def _stand_in_rule(finding: Finding) -> Rule:
    return Rule(finding.rule, finding.name, finding.severity, finding.name, "", "engine")


# -- Results --------------------------------------------------------------------------------


def message_text(finding: Finding) -> str:
    """The message, then the fix as a second sentence."""
    if not finding.fix:
        return finding.message
    separator = " " if finding.message.endswith((".", "!", "?")) else ". "
    return f"{finding.message}{separator}{finding.fix}"


def _related(evidence: tuple[Evidence, ...], root: SourceRoot) -> list[dict[str, Any]]:
    related: list[dict[str, Any]] = []
    for item in evidence:
        if not is_file_path(item.location.path):
            continue
        related.append(
            {
                "id": len(related) + 1,
                "physicalLocation": physical_location(item.location, root),
                "message": {"text": item.fact},
            }
        )
    return related


def _primary_location(finding: Finding, root: SourceRoot) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": physical_location(finding.location, root)}
    if finding.object:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.object, "kind": "resource"}]
    return location


def sarif_result(
    finding: Finding, rule_index: int, fingerprint: str, root: SourceRoot
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding)},
        "locations": [_primary_location(finding, root)],
    }
    related = _related(finding.evidence, root)
    if related:
        record["relatedLocations"] = related
    record["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    return record


def _suppression(suppressed: SuppressedFinding, root: SourceRoot) -> dict[str, Any]:
    return {
        "kind": "inSource",
        "justification": suppressed.justification,
        "location": {"physicalLocation": physical_location(suppressed.directive, root)},
    }


def _results(result: Result, index: dict[str, int]) -> list[dict[str, Any]]:
    findings = [*result.findings, *(s.finding for s in result.suppressed)]
    root = result.source_root
    fingerprints = unique_fingerprints(findings, root.relative)
    records = [
        sarif_result(finding, index[finding.rule], fingerprint, root)
        for finding, fingerprint in zip(findings, fingerprints, strict=True)
    ]
    # Suppressed findings come after the active ones, in the same order as result.suppressed.
    for record, suppressed in zip(records[len(result.findings) :], result.suppressed, strict=True):
        record["suppressions"] = [_suppression(suppressed, root)]
    return records


def sarif_log(result: Result, version: str | None = None) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = rule_table(result)
    index = {rule.code: position for position, rule in enumerate(rules)}
    driver = {
        "name": TOOL_NAME,
        "version": version or __version__,
        "informationUri": INFORMATION_URI,
        "rules": [descriptor(rule) for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True}],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": SRCROOT_DESCRIPTION}}},
        "columnKind": "unicodeCodePoints",
        "results": _results(result, index),
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(result: Result, options: FormatOptions) -> str:
    log = sarif_log(result)
    return json_printable(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"
