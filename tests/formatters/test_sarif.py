"""SARIF: schema validity, rule indexes, URIs, fingerprints and suppressions."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jsonschema
import pytest

from linter import __version__
from linter.core.findings import Evidence, Finding, Severity
from linter.core.locations import Location
from linter.output.formats import sarif
from linter.result import Result
from tests.formatters import (
    GOLDEN_TREE,
    SARIF_SCHEMA,
    lint_here,
    render,
    working_directory,
    write_tree,
)

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: summaries
    models: [claude-fable-5]
  - name: research
    models: [claude-fabel-5]
"""


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def sarif_of(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render("sarif", result))
    assert_valid(document)
    return document


def the_run(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def by_rule(run: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [r for r in run["results"] if r["ruleId"] == code]


# -- Schema validity ------------------------------------------------------------------------


def test_the_schema_copy_is_the_official_draft4_schema() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")


def test_the_validator_rejects_a_broken_log(in_tmp: Path) -> None:
    # Proves the validity tests can fail: a string ruleIndex and a zero line are invalid.
    write_tree(in_tmp, GOLDEN_TREE)
    log = json.loads(render("sarif", lint_here()))
    log["runs"][0]["results"][0]["ruleIndex"] = "0"
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(_validator().iter_errors(log))) == 2


def test_golden_case_is_valid_and_complete(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    run = the_run(sarif_of(result))
    driver = run["tool"]["driver"]
    assert driver["name"] == "baa-lint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://github.com/baa-lint/baa-lint"
    assert [r["id"] for r in driver["rules"]] == [r.code for r in result.rules]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    # %SRCROOT% is described, not located: the log names no path of the machine it ran on.
    srcroot = {"%SRCROOT%": {"description": {"text": sarif.SRCROOT_DESCRIPTION}}}
    assert run["originalUriBaseIds"] == srcroot
    assert len(run["results"]) == len(result.findings) + len(result.suppressed)


def test_clean_run_is_valid_with_no_results_and_every_rule(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"})
    result = lint_here()
    assert not result.findings
    run = the_run(sarif_of(result))
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(result.rules) > 0


def test_rule_descriptors_carry_github_metadata(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    rules = {r["id"]: r for r in the_run(sarif_of(result))["tool"]["driver"]["rules"]}
    for rule in result.rules:
        descriptor = rules[rule.code]
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["helpUri"] == rule.doc_url
        assert descriptor["helpUri"].endswith(f"/docs/rules/{rule.code}.md")
        assert descriptor["help"]["markdown"] == rule.explanation.strip()
        assert descriptor["help"]["text"] == rule.explanation.strip()
        assert "\n\n" not in descriptor["fullDescription"]["text"]
        assert rule.explanation.startswith(descriptor["fullDescription"]["text"][:40])
        properties = descriptor["properties"]
        assert isinstance(properties["security-severity"], str)
        assert float(properties["security-severity"]) > 0
        assert properties["precision"] == "very-high"
        assert {"security", "hipaa", "baa"} <= set(properties["tags"])
    levels = {code: r["defaultConfiguration"]["level"] for code, r in rules.items()}
    assert levels["BAA001"] == "error"  # error
    assert levels["BAA012"] == "warning"  # warning
    assert levels["BAA016"] == "note"  # info
    assert rules["BAA001"]["properties"]["security-severity"] == "8.0"
    assert rules["BAA012"]["properties"]["security-severity"] == "5.0"
    assert rules["BAA016"]["properties"]["security-severity"] == "2.0"


def test_first_paragraph_joins_wrapped_lines() -> None:
    text = "One line\nwrapped here.\n\nSecond paragraph.\n"
    assert sarif.first_paragraph(text) == "One line wrapped here."


# -- Rule indexes ---------------------------------------------------------------------------


@pytest.mark.parametrize("select", [(), ("BAA012", "BAA016", "BAA001")])
def test_rule_index_points_at_the_result_rule(in_tmp: Path, select: tuple[str, ...]) -> None:
    # With a selection, the rules array is shorter and BAA012/BAA016 move: indexes must follow.
    write_tree(in_tmp, GOLDEN_TREE)
    run = the_run(sarif_of(lint_here(select=select)))
    rules = run["tool"]["driver"]["rules"]
    assert run["results"]
    for record in run["results"]:
        assert rules[record["ruleIndex"]]["id"] == record["ruleId"]


def test_a_finding_of_an_unlisted_rule_still_gets_a_valid_index(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here(select=("BAA001",))
    stray = Finding("BAA999", "made-up", Severity.WARNING, "stray", Location("infra/org.yaml", 2))
    run = the_run(sarif_of(replace(result, findings=(*result.findings, stray))))
    rules = run["tool"]["driver"]["rules"]
    record = by_rule(run, "BAA999")[0]
    assert rules[record["ruleIndex"]]["id"] == "BAA999"


# -- Results --------------------------------------------------------------------------------


def test_levels_follow_the_finding_not_the_rule_default(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    run = the_run(sarif_of(lint_here(severity={"BAA012": Severity.ERROR})))
    rules = run["tool"]["driver"]["rules"]
    (record,) = by_rule(run, "BAA012")
    assert record["level"] == "error"
    assert rules[record["ruleIndex"]]["defaultConfiguration"]["level"] == "warning"
    assert {r["level"] for r in by_rule(run, "BAA016")} == {"note"}


def test_result_location_message_and_logical_location(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    result = lint_here()
    finding = next(f for f in result.findings if f.rule == "BAA001")
    (record,) = by_rule(the_run(sarif_of(result)), "BAA001")
    location = record["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "org.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 14}
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "acme/summaries", "kind": "resource"}
    ]
    assert record["message"]["text"].startswith(finding.message)
    assert record["message"]["text"].endswith(finding.fix)
    related = record["relatedLocations"]
    assert [r["id"] for r in related] == [1]
    assert related[0]["message"]["text"] == finding.evidence[0].fact
    assert related[0]["physicalLocation"]["region"]["startLine"] == 4


def test_evidence_without_a_real_file_is_not_a_related_location(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    result = lint_here()
    finding = next(f for f in result.findings if f.rule == "BAA001")
    evidence = (
        Evidence(Location("<command line>"), "--var zdr=true"),
        *finding.evidence,
        Evidence(Location("<environment>"), "TF_VAR_zdr=true"),
    )
    changed = replace(result, findings=(replace(finding, evidence=evidence),))
    (record,) = the_run(sarif_of(changed))["results"]
    related = record["relatedLocations"]
    assert [r["message"]["text"] for r in related] == [finding.evidence[0].fact]
    assert [r["id"] for r in related] == [1]


def test_a_finding_without_object_has_no_logical_location(in_tmp: Path) -> None:
    write_tree(in_tmp, {"bad.yaml": "apiVersion: baa-lint/v1\nkind: [\n"})
    run = the_run(sarif_of(lint_here()))
    (record,) = by_rule(run, "BAA900")
    assert "logicalLocations" not in record["locations"][0]
    assert "relatedLocations" not in record


# -- URIs -----------------------------------------------------------------------------------


def test_uris_are_percent_encoded_and_resolve_to_the_file(in_tmp: Path) -> None:
    name = "my infra/orgs ü #1%.yaml"
    write_tree(in_tmp, {name: ZDR_ORG})
    log = sarif_of(lint_here())
    run = the_run(log)
    base = in_tmp.resolve().as_uri() + "/"  # the repository root (here, the linted tree)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"my%20infra/orgs%20%C3%BC%20%231%25.yaml"}
    resolved = urlsplit(urljoin(base, uris.pop()))
    assert resolved.scheme == "file"
    assert Path(unquote(resolved.path)) == (in_tmp / name).resolve()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b.yaml", {"uri": "a/b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("a:b.yaml", {"uri": "a%3Ab.yaml", "uriBaseId": "%SRCROOT%"}),  # not a scheme
        ("/abs/x y.tf", {"uri": "file:///abs/x%20y.tf"}),
        ("C:/abs/x.tf", {"uri": "file:///C:/abs/x.tf"}),
    ],
)
def test_artifact_location(path: str, expected: dict[str, str]) -> None:
    assert sarif.artifact_location(path) == expected


def test_a_file_outside_the_working_directory_is_named_against_the_repository(
    tmp_path: Path,
) -> None:
    repo = tmp_path.resolve()
    (repo / ".git").mkdir()
    (repo / "sub").mkdir()
    write_tree(repo, {"infra/org.yaml": ZDR_ORG})
    with working_directory(repo / "sub"):
        result = lint_here(["../infra"])
    assert result.findings[0].location.path == (repo / "infra/org.yaml").as_posix()
    run = the_run(sarif_of(result))
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "infra/org.yaml", "uriBaseId": "%SRCROOT%"}


# -- Fingerprints ---------------------------------------------------------------------------


def _fingerprints(run: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r[
            "partialFingerprints"
        ][sarif.FINGERPRINT_KEY]
        for r in run["results"]
    }


def _lines(run: dict[str, Any]) -> list[int]:
    return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]]


def test_partial_fingerprints_survive_inserted_lines(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    before = the_run(sarif_of(lint_here()))
    shifted = ZDR_ORG.replace("workspaces:\n", "\n\n# a comment\n\nworkspaces:\n")
    write_tree(in_tmp, {"org.yaml": shifted})
    after = the_run(sarif_of(lint_here()))
    assert _lines(after) == [line + 4 for line in _lines(before)]
    assert _fingerprints(after) == _fingerprints(before)
    assert len(set(_fingerprints(before).values())) == len(before["results"]) == 2


def test_partial_fingerprint_is_the_finding_fingerprint(in_tmp: Path) -> None:
    write_tree(in_tmp, {"org.yaml": ZDR_ORG})
    result = lint_here()
    run = the_run(sarif_of(result))
    assert [r["partialFingerprints"] for r in run["results"]] == [
        {"baaLintFingerprint/v1": f.fingerprint} for f in result.findings
    ]


def test_repeated_fingerprints_are_made_unique(in_tmp: Path) -> None:
    # Two reason-less suppressions in one file: same rule, path and message.
    text = ZDR_ORG.replace(
        "  - name: summaries\n", "  # baa-lint: ignore[BAA001]\n  - name: summaries\n"
    ).replace("  - name: research\n", "  # baa-lint: ignore[BAA012]\n  - name: research\n")
    write_tree(in_tmp, {"org.yaml": text})
    result = lint_here()
    run = the_run(sarif_of(result))
    problems = by_rule(run, "BAA902")
    assert len(problems) == 2
    assert len({f.fingerprint for f in result.findings if f.rule == "BAA902"}) == 1
    prints = [p["partialFingerprints"][sarif.FINGERPRINT_KEY] for p in problems]
    assert len(set(prints)) == 2


# -- Suppressions ---------------------------------------------------------------------------


def test_suppressed_finding_is_emitted_with_its_justification(in_tmp: Path) -> None:
    write_tree(in_tmp, GOLDEN_TREE)
    result = lint_here()
    run = the_run(sarif_of(result))
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert len(suppressed) == len(result.suppressed) == 1
    (record,) = suppressed
    assert record["ruleId"] == "BAA001"
    assert record["locations"][0]["physicalLocation"]["region"]["startLine"] == 10
    (suppression,) = record["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"] == "migration tracked in MIG-8"
    assert suppression["location"]["physicalLocation"]["region"] == {
        "startLine": 9,
        "startColumn": 5,
    }
    active = [r for r in run["results"] if "suppressions" not in r]
    assert len(active) == len(result.findings)
