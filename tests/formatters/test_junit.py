"""JUnit XML: well-formed, counted, one suite per file, green when clean."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from linter.core.findings import Severity
from linter.output.formats import junit
from tests.formatters import GOLDEN_TREE, lint_here, render, write_tree


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_parses_with_the_right_counts(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    root = parse(render("junit", result))
    assert root.tag == "testsuites"
    assert root.get("name") == "baa-lint"
    cases = root.findall("./testsuite/testcase")
    failures = root.findall("./testsuite/testcase/failure")
    skipped = root.findall("./testsuite/testcase/skipped")
    # Issue 14: failures are the findings at or above --fail-on (warning by default); the info
    # finding is a passing case whose system-out shows it, as the run's exit code says.
    failing = [f for f in result.findings if f.severity >= Severity.WARNING]
    assert len(failures) == len(failing) == 2 and len(result.findings) == 3
    assert len(root.findall("./testsuite/testcase/system-out")) == 1
    assert len(skipped) == len(result.suppressed) == 1
    assert root.get("tests") == str(len(cases)) == "4"
    assert root.get("failures") == "2"
    assert root.get("skipped") == "1"
    assert root.get("errors") == "0"
    for suite in root.findall("testsuite"):
        own = suite.findall("testcase")
        assert suite.get("tests") == str(len(own))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("skipped") == str(len(suite.findall("testcase/skipped")))


def test_one_testsuite_per_file(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    root = parse(render("junit", lint_here()))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ent.yaml", "infra/org.yaml"]
    for suite in suites:
        assert {c.get("classname") for c in suite.findall("testcase")} == {suite.get("name")}


def test_failure_carries_code_severity_location_evidence_and_fix(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    finding = next(f for f in result.findings if f.rule == "BAA001")
    root = parse(render("junit", result))
    case = next(
        c
        for c in root.iter("testcase")
        if c.find("failure") is not None and c.get("name", "").startswith("BAA001")
    )
    assert case.get("name") == f"BAA001 covered-model-on-zdr infra/org.yaml:7:14 {finding.object}"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "BAA001"
    assert failure.get("message") == f"[error] {finding.message}"
    text = failure.text or ""
    assert text.startswith(f"infra/org.yaml:7:14: BAA001 [error] {finding.message}")
    assert f"evidence: infra/org.yaml:4:22: {finding.evidence[0].fact}" in text
    assert text.endswith(f"fix: {finding.fix}")


def test_suppressed_finding_is_a_skipped_case_with_its_reason(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    root = parse(render("junit", lint_here()))
    (skipped,) = root.iter("skipped")
    assert skipped.get("message") == "suppressed at infra/org.yaml:9:5: migration tracked in MIG-8"


def test_a_clean_run_has_one_passing_case(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"})
    root = parse(render("junit", lint_here()))
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert (case.get("classname"), case.get("name")) == ("baa-lint", "baa-lint")
    assert list(case) == []
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("1", "0", "0")


def test_only_suppressed_findings_still_give_a_passing_case(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    root = parse(render("junit", replace(result, findings=())))
    assert root.get("failures") == "0"
    assert root.get("skipped") == "1"
    assert [s.get("name") for s in root.findall("testsuite")] == ["infra/org.yaml", "baa-lint"]


def test_characters_xml_cannot_hold_are_spelled_out(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    # A warning (at --fail-on), so that it is a failure (issue 14: below it, system-out).
    odd = replace(
        result.findings[0], severity=Severity.WARNING, message='bell\x07 & <tag> "q"\nnext'
    )
    root = parse(render("junit", replace(result, findings=(odd,))))
    failure = next(root.iter("failure"))
    assert failure.get("message") == '[warning] bell\\x07 & <tag> "q"\\nnext'
    assert junit.xml_safe("ok\ttab\x00") == "ok\ttab\\u0000"


def test_findings_below_fail_on_are_shown_not_failed(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    strict = parse(junit.render(result, junit.FormatOptions(fail_on=Severity.INFO)))
    lenient = parse(junit.render(result, junit.FormatOptions(fail_on=Severity.ERROR)))
    errors = [f for f in result.findings if f.severity >= Severity.ERROR]
    assert strict.get("failures") == str(len(result.findings))
    assert lenient.get("failures") == str(len(errors))
    assert len(lenient.findall("./testsuite/testcase/system-out")) == len(result.findings) - len(
        errors
    )
