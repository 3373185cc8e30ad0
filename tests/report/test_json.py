"""The JSON report: valid against schemas/report.schema.json, and consistent with the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from linter.lint import lint
from linter.output.report import build_report
from linter.output.report.json_report import document
from tests.report import golden_output, load_json_schema

REPO = Path(__file__).resolve().parent.parent.parent


def validator() -> jsonschema.protocols.Validator:
    schema = load_json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_schema_is_a_2020_12_schema() -> None:
    schema = load_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_golden_report_is_valid(tmp_path: Path) -> None:
    validator().validate(json.loads(golden_output("json", tmp_path)))


def test_report_on_every_example_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = lint(["examples"])
    doc = document(build_report(result, ["examples"], "0.0.0"))
    validator().validate(doc)
    placed = len(doc["unattached_findings"])
    for org in doc["organizations"]:
        placed += len(org["findings"]) + sum(len(d["findings"]) for d in org["declarations"])
    assert placed == len(result.findings)  # every finding once, none lost
    assert doc["summary"]["findings"]["total"] == len(result.findings)


def _broken(doc: dict[str, Any], edit: str) -> dict[str, Any]:
    bad = copy.deepcopy(doc)
    config = bad["organizations"][0]["configurations"][0]
    if edit == "eligible-as-text":
        config["baa_eligible"] = "unknown"
    elif edit == "missing-summary":
        del bad["summary"]
    elif edit == "extra-key":
        bad["organizations"][0]["surprise"] = 1
    elif edit == "bad-status":
        bad["controls"][0]["status"] = "MAYBE"
    return bad


@pytest.mark.parametrize("edit", ["eligible-as-text", "missing-summary", "extra-key", "bad-status"])
def test_schema_rejects_a_broken_report(edit: str, tmp_path: Path) -> None:
    doc = json.loads(golden_output("json", tmp_path))
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(_broken(doc, edit))


def test_unknown_is_null_not_a_guess(tmp_path: Path) -> None:
    doc = json.loads(golden_output("json", tmp_path))
    platform = next(o for o in doc["organizations"] if o["name"] == "acme-platform")
    (config,) = platform["configurations"]
    assert config["baa_eligible"] is None
    assert config["covered_models"] is None
    assert config["retention"] == "unknown (var.retention)"
    assert doc["summary"]["baa_eligible"] == {"yes": 6, "no": 3, "unknown": 1}
