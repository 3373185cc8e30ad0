"""Terraform plan JSON: which JSON is a plan, positions, unknowns after apply, references."""

from __future__ import annotations

import json
from typing import Any

from .conftest import finding_keys


def plan(
    resources: list[dict[str, Any]], changes: list[dict[str, Any]] | None = None, **extra: Any
) -> str:
    data = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes or [],
        **extra,
    }
    return json.dumps(data, indent=2)


ORG = {
    "address": "anthropic_organization.main",
    "mode": "managed",
    "type": "anthropic_organization",
    "name": "main",
    "values": {"name": "acme", "baa_signed": True, "zero_data_retention": True},
}


def workspace(name: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "address": f"anthropic_workspace.{name}",
        "mode": "managed",
        "type": "anthropic_workspace",
        "name": name,
        "values": {"name": name, "tags": tags},
    }


def test_findings_point_at_the_value_in_the_plan(run: Any) -> None:
    text = plan([ORG, workspace("research", {"models": "claude-fable-5"})])
    result = run({"plan.json": text})
    (finding,) = result.findings
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if '"models": "claude-fable-5"' in row
    )
    assert (finding.rule, finding.location.line) == ("BAA001", line)
    assert finding.object == "anthropic_workspace.research"


def test_other_json_is_ignored(run: Any) -> None:
    result = run(
        {
            "package.json": '{"name": "x", "version": "1.0.0"}',
            "broken.json": "{not json",
            "state.json": '{"format_version": "1.0", "values": {}}',
        }
    )
    assert finding_keys(result) == [] and result.files == ()


def test_a_broken_plan_is_a_parse_error(run: Any) -> None:
    result = run({"plan.json": '{"format_version": "1.2", "planned_values": {'})
    assert [f.rule for f in result.findings] == ["BAA900"]
    assert result.findings[0].message.startswith("invalid plan JSON:")


def test_an_unsupported_format_version_is_reported(run: Any) -> None:
    result = run({"plan.json": plan([ORG]).replace('"1.2"', '"2.0"', 1)})
    assert [f.message for f in result.findings] == [
        "unsupported plan format_version '2.0' (baa-lint reads 1.x)"
    ]


def test_values_known_only_after_apply_are_unknown(run: Any) -> None:
    ws = workspace("research", {"models": "claude-fable-5"})
    changes = [
        {
            "address": "anthropic_workspace.research",
            "change": {"after_unknown": {"data_retention": True}},
        }
    ]
    result = run({"plan.json": plan([ORG, ws], changes)})
    (finding,) = result.findings
    assert finding.rule == "BAA013"
    assert (
        "`anthropic_workspace.research.data_retention`: known only after apply" in finding.message
    )
    assert finding.message.endswith("BAA001 could fire")


def test_organization_reference_through_a_module_call(run: Any) -> None:
    other = dict(
        ORG,
        address="anthropic_organization.other",
        name="other",
        values={"name": "other", "baa_signed": True},
    )
    child = workspace("this", {"phi": "true"})
    child["address"] = 'module.team["a.b"].anthropic_workspace.this'
    data = json.loads(plan([ORG, other]))
    data["planned_values"]["root_module"]["child_modules"] = [
        {"address": 'module.team["a.b"]', "resources": [child]}
    ]
    data["configuration"] = {
        "root_module": {
            "module_calls": {
                "team": {
                    "expressions": {
                        "organization_id": {
                            "references": [
                                "anthropic_organization.other.id",
                                "anthropic_organization.other",
                            ]
                        }
                    },
                    "module": {
                        "resources": [
                            {
                                "address": "anthropic_workspace.this",
                                "provider_config_key": "anthropic",
                                "expressions": {
                                    "organization_id": {"references": ["var.organization_id"]}
                                },
                            }
                        ]
                    },
                }
            }
        }
    }
    result = run({"plan.json": json.dumps(data, indent=2)})
    (ws,) = result.model.workspaces
    assert (ws.organization, ws.link) == ("other", "organization 'other'")
    # phi on a regular organization with standard retention:
    assert [f.rule for f in result.findings] == ["BAA006"]
