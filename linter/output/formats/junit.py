"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps, CircleCI).

One ``<testsuite>`` per file with findings; each active finding at or above --fail-on is a
failed ``<testcase>`` (so the view agrees with the exit code), one below it a passing case
whose ``<system-out>`` shows it, and each suppressed finding a skipped one (so audits can see
it). With nothing failing, a passing ``baa-lint`` testcase makes the CI view show a green
result instead of "no tests".
No ``time`` or ``timestamp`` attributes: the output is deterministic.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from linter.core.findings import Finding, Severity, SuppressedFinding
from linter.core.printable import printable
from linter.output.formats.options import FormatOptions
from linter.result import Result

SUITES_NAME = "baa-lint"
PASSING_CASE = "baa-lint"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

# Characters XML 1.0 cannot hold at all, not even as character references. ElementTree would
# write them as they are and produce a file no parser accepts, so they are spelled out instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def case_name(finding: Finding) -> str:
    name = f"{finding.rule} {finding.name} {finding.location}"
    return printable(f"{name} {finding.object}" if finding.object else name)


def failure_text(finding: Finding) -> str:
    """One line each for the finding, its object, evidence and fix. Input-derived text goes
    through printable(), so a name holding a line break cannot split or forge a line."""
    lines = [
        f"{finding.location}: {finding.rule} [{finding.severity.value}] {finding.message}",
    ]
    if finding.object:
        lines.append(f"object: {finding.object}")
    lines.extend(f"evidence: {item.location}: {item.fact}" for item in finding.evidence)
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    return "\n".join(printable(line) for line in lines)


def _case(finding: Finding) -> ET.Element:
    return ET.Element(
        "testcase",
        {"classname": xml_safe(finding.location.path), "name": xml_safe(case_name(finding))},
    )


def failed_case(finding: Finding) -> ET.Element:
    case = _case(finding)
    failure = ET.SubElement(
        case,
        "failure",
        {
            "type": finding.rule,
            "message": xml_safe(printable(f"[{finding.severity.value}] {finding.message}")),
        },
    )
    failure.text = xml_safe(failure_text(finding))
    return case


def reported_case(finding: Finding) -> ET.Element:
    """A finding below --fail-on: a passing case that shows it (the run does not fail on it)."""
    case = _case(finding)
    out = ET.SubElement(case, "system-out")
    out.text = xml_safe(failure_text(finding))
    return case


def skipped_case(suppressed: SuppressedFinding) -> ET.Element:
    case = _case(suppressed.finding)
    message = f"suppressed at {suppressed.directive}: {suppressed.justification}"
    ET.SubElement(case, "skipped", {"message": xml_safe(printable(message))})
    return case


def _counts(element: ET.Element, cases: list[ET.Element]) -> None:
    """Set tests/failures/errors/skipped from the cases, in that order (attribute order is kept)."""
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", "0")
    element.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))


def suite(name: str, cases: list[ET.Element]) -> ET.Element:
    element = ET.Element("testsuite", {"name": xml_safe(name)})
    _counts(element, cases)
    element.extend(cases)
    return element


def _file_suites(result: Result, fail_on: Severity) -> list[ET.Element]:
    entries: list[tuple[Finding, ET.Element]] = [
        (f, failed_case(f) if f.severity >= fail_on else reported_case(f)) for f in result.findings
    ]
    entries += [(s.finding, skipped_case(s)) for s in result.suppressed]
    entries.sort(key=lambda entry: entry[0].sort_key)
    return [
        suite(path, [case for _, case in group])
        for path, group in groupby(entries, key=lambda entry: entry[0].location.path)
    ]


def document(result: Result, fail_on: Severity = Severity.WARNING) -> ET.Element:
    root = ET.Element("testsuites", {"name": SUITES_NAME})
    suites = _file_suites(result, fail_on)
    if not any(f.severity >= fail_on for f in result.findings):
        passing = ET.Element("testcase", {"classname": SUITES_NAME, "name": PASSING_CASE})
        suites.append(suite(SUITES_NAME, [passing]))
    _counts(root, [case for s in suites for case in s.iter("testcase")])
    root.extend(suites)
    return root


def render(result: Result, options: FormatOptions) -> str:
    root = document(result, options.fail_on)
    ET.indent(root, space="  ")
    return f"{XML_DECLARATION}\n{ET.tostring(root, encoding='unicode')}\n"
