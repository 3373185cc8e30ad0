"""What real teams write (SPEC §3.2, §5): the community providers' shapes, and who an object is.

Each behaviour has a firing case, a clean neighbour and a suppressed case; every case lists the
COMPLETE set of active findings, so a false alarm fails as surely as a missed one.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from linter.cli import cli

from .conftest import finding_keys

ORGS = """\
apiVersion: baa-lint/v1
kind: Organization
name: clinical
type: api
baa_signed: true
hipaa_ready: true
provider_alias: clinical
---
apiVersion: baa-lint/v1
kind: Organization
name: research
type: api
baa_signed: true
zero_data_retention: true
provider_alias: research
"""

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: research
baa_signed: true
zero_data_retention: true
"""

HIPAA_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: clinical
baa_signed: true
hipaa_ready: true
"""


def messages(result: Any, rule: str) -> list[str]:
    return [f.message for f in result.findings if f.rule == rule]


# --- 1. data "anthropic_organization" is a reference, never an organization -----------------

DATA_REFS = """\
data "anthropic_organization" "clinical" {
  provider = anthropic.clinical
}

data "anthropic_organization" "research" {
  provider = anthropic.research
}
"""


def test_data_source_behind_an_alias_links_to_the_yaml_org_and_is_no_second_org(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORGS,
            "main.tf": DATA_REFS + 'resource "anthropic_workspace" "evals" {\n'
            "  provider = anthropic.research\n"
            '  name     = "evals"\n'
            '  tags     = { models = "claude-fable-5" }\n'
            "}\n",
        }
    )
    # Before: a phantom org per alias, so "alias matches several organizations" (BAA015).
    assert finding_keys(result) == ["BAA001 main.tf:11:25"]
    assert [o.name for o in result.model.organizations] == ["clinical", "research"]


def test_a_workspace_referencing_the_data_source_links_to_the_org_it_stands_for(
    run: Any,
) -> None:
    result = run(
        {
            "org.yaml": ZDR_ORG,
            "main.tf": 'data "anthropic_organization" "current" {}\n\n'
            'resource "anthropic_workspace" "evals" {\n'
            '  name            = "evals"\n'
            "  organization_id = data.anthropic_organization.current.id\n"
            '  tags            = { models = "claude-fable-5" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == ["BAA001 main.tf:6:32"]
    [ws] = result.model.workspaces
    assert ws.organization == "research"
    assert ws.link == "data.anthropic_organization.current: the only organization in the run"


def test_data_source_reference_clean_neighbour(run: Any) -> None:
    """PHI and a Covered Model on the HIPAA-ready org: a phantom org (no BAA, not HIPAA-ready)
    would give BAA006 and BAA007 here."""
    result = run(
        {
            "orgs.yaml": ORGS,
            "main.tf": DATA_REFS + 'resource "anthropic_workspace" "notes" {\n'
            "  provider = anthropic.clinical\n"
            '  name     = "notes"\n'
            '  tags     = { phi = "true", models = "claude-fable-5" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == []


def test_data_source_alone_declares_nothing(run: Any) -> None:
    result = run({"main.tf": 'data "anthropic_organization" "current" {}\n'})
    assert finding_keys(result) == []
    assert result.model.organizations == ()


def test_data_source_reference_suppressed(run: Any) -> None:
    result = run(
        {
            "org.yaml": ZDR_ORG,
            "main.tf": 'data "anthropic_organization" "current" {}\n\n'
            'resource "anthropic_workspace" "evals" {\n'
            '  name            = "evals"\n'
            "  organization_id = data.anthropic_organization.current.id\n"
            "  # baa-lint: ignore[BAA001] carve-out with standard retention, CASE-7\n"
            '  tags            = { models = "claude-fable-5" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == []
    assert [f"{s.finding.rule} {s.finding.location}" for s in result.suppressed] == [
        "BAA001 main.tf:7:32"
    ]


def test_data_source_with_attributes_is_still_the_projects_organization(run: Any) -> None:
    result = run(
        {
            "main.tf": 'data "anthropic_organization" "org" {\n'
            '  name                = "acme"\n'
            "  baa_signed          = true\n"
            "  zero_data_retention = true\n"
            "}\n\n"
            'resource "anthropic_workspace" "w" {\n'
            '  name            = "w"\n'
            "  organization_id = data.anthropic_organization.org.id\n"
            '  models          = ["claude-fable-5"]\n'
            "}\n"
        }
    )
    assert finding_keys(result) == ["BAA001 main.tf:10:22"]


def _plan(resources: list[dict[str, Any]], config: list[dict[str, Any]]) -> str:
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {
                "address": r["address"],
                "change": {"after_unknown": {"id": True}},
            }
            for r in resources
        ],
        "configuration": {"root_module": {"resources": config}},
    }
    return json.dumps(plan, indent=2)


def test_plan_data_source_read_only_type_is_no_schema_error(run: Any) -> None:
    """In plan JSON the provider's read-only `type = "organization"` is not a fact (was BAA901)."""
    plan = _plan(
        [
            {
                "address": "data.anthropic_organization.current",
                "mode": "data",
                "type": "anthropic_organization",
                "name": "current",
                "values": {"id": "org_01ABC", "name": "Northwind", "type": "organization"},
            },
            {
                "address": "anthropic_workspace.evals",
                "mode": "managed",
                "type": "anthropic_workspace",
                "name": "evals",
                "values": {"name": "evals", "tags": {"models": "claude-fable-5"}},
            },
        ],
        [
            {
                "address": "data.anthropic_organization.current",
                "mode": "data",
                "type": "anthropic_organization",
                "name": "current",
                "provider_config_key": "anthropic",
                "expressions": {},
            },
            {
                "address": "anthropic_workspace.evals",
                "mode": "managed",
                "type": "anthropic_workspace",
                "name": "evals",
                "provider_config_key": "anthropic",
                "expressions": {"name": {"constant_value": "evals"}},
            },
        ],
    )
    result = run({"org.yaml": ZDR_ORG, "plan.json": plan})
    assert [k.split(":")[0] for k in finding_keys(result)] == ["BAA001 plan.json"]
    assert [o.name for o in result.model.organizations] == ["research"]


# --- 2. anthropic_agent: its model is an expectation of the org behind its provider ----------

AGENT = """\
resource "anthropic_agent" "reviewer" {{
  provider = anthropic.{alias}
  name     = "literature-review"
  model    = "{model}"
}}
"""


def test_agent_covered_model_behind_a_zdr_org(run: Any) -> None:
    result = run(
        {"orgs.yaml": ORGS, "main.tf": AGENT.format(alias="research", model="claude-fable-5")}
    )
    assert finding_keys(result) == ["BAA001 main.tf:4:14"]
    [message] = messages(result, "BAA001")
    assert message.startswith("agent 'literature-review' of organization 'research' runs with")
    [finding] = result.findings
    assert finding.object == "anthropic_agent.reviewer" and finding.attribute == "model"
    assert "API key" in finding.fix


def test_agent_unknown_model_is_checked_against_the_catalogue(run: Any) -> None:
    result = run(
        {"orgs.yaml": ORGS, "main.tf": AGENT.format(alias="clinical", model="claude-fabel-5")}
    )
    assert finding_keys(result) == ["BAA012 main.tf:4:14"]
    assert messages(result, "BAA012") == [
        "unknown model id 'claude-fabel-5'; did you mean 'claude-fable-5'?"
    ]


def test_agent_clean_neighbours(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORGS,
            "a.tf": AGENT.format(alias="research", model="claude-haiku-4-5"),
            "b.tf": AGENT.format(alias="clinical", model="claude-fable-5").replace(
                "reviewer", "drafter"
            ),
        }
    )
    assert finding_keys(result) == []
    kinds = sorted((c.kind, c.name, c.org.name) for c in result.configurations)
    assert kinds == [
        ("agent", "literature-review", "clinical"),
        ("agent", "literature-review", "research"),
    ]


def test_agent_suppressed(run: Any) -> None:
    text = AGENT.format(alias="research", model="claude-fable-5").replace(
        "  model",
        "  # baa-lint: ignore[BAA001] api_key is from the standard carve-out, CASE-9\n  model",
    )
    result = run({"orgs.yaml": ORGS, "main.tf": text})
    assert finding_keys(result) == []
    assert [f"{s.finding.rule} {s.finding.location}" for s in result.suppressed] == [
        "BAA001 main.tf:5:14"
    ]


def test_agent_without_an_organization_does_not_fail_ci(run: Any) -> None:
    result = run({"main.tf": AGENT.format(alias="research", model="claude-fable-5")})
    assert [(f.rule, f.severity.value) for f in result.findings] == [("BAA018", "info")]


def test_agent_in_show(run: Any) -> None:
    run({"orgs.yaml": ORGS, "main.tf": AGENT.format(alias="research", model="claude-fable-5")})
    output = CliRunner().invoke(cli, ["show", ".", "--no-cache"]).output
    assert "literature-review (agent)" in output
    data = json.loads(CliRunner().invoke(cli, ["show", ".", "--format", "json"]).output)
    agents = [c for c in data["configurations"] if c["kind"] == "agent"]
    assert [(a["name"], a["organization"], a["retention"]) for a in agents] == [
        ("literature-review", "research", "zdr")
    ]


# --- 3. Terraform organizations: workspaces and products lists, typos -------------------------


def test_org_workspaces_list_in_hcl_is_read(run: Any) -> None:
    result = run(
        {
            "main.tf": 'resource "anthropic_organization" "org" {\n'
            '  name                = "acme"\n'
            "  baa_signed          = true\n"
            "  zero_data_retention = true\n"
            "  workspaces = [\n"
            '    { name = "evals", models = ["claude-fable-5"] },\n'
            '    { name = "claims", phi = true, models = ["claude-haiku-4-5"] },\n'
            "  ]\n"
            "}\n"
        }
    )
    assert finding_keys(result) == ["BAA001 main.tf:6:33"]
    assert sorted(w.name for w in result.model.workspaces) == ["claims", "evals"]


def test_org_products_list_in_hcl_is_read(run: Any) -> None:
    result = run(
        {
            "main.tf": 'resource "anthropic_organization" "ent" {\n'
            '  name        = "acme-enterprise"\n'
            '  type        = "enterprise"\n'
            "  baa_signed  = true\n"
            "  hipaa_ready = true\n"
            "  products = [\n"
            '    { product = "chat", phi = true, models = ["claude-fable-5"] },\n'
            '    { product = "cowork", phi = true },\n'
            "  ]\n"
            "}\n"
        }
    )
    assert finding_keys(result) == ["BAA016 main.tf:7:47", "BAA002 main.tf:8:33"]


def test_typo_in_a_terraform_org_attribute_is_a_schema_error(run: Any) -> None:
    result = run(
        {
            "main.tf": 'resource "anthropic_organization" "org" {\n'
            '  name                = "acme"\n'
            "  zero_data_retension = true\n"
            "}\n"
        }
    )
    assert finding_keys(result) == ["BAA901 main.tf:3:3"]
    assert messages(result, "BAA901") == [
        "unknown key 'zero_data_retension'; did you mean 'zero_data_retention'?"
    ]


def test_meta_arguments_and_read_only_attributes_are_not_facts(run: Any) -> None:
    result = run(
        {
            "main.tf": 'resource "anthropic_organization" "org" {\n'
            "  count      = 1\n"
            "  provider   = anthropic.clinical\n"
            "  depends_on = []\n"
            '  name       = "acme"\n'
            "  baa_signed = true\n"
            "  lifecycle {\n"
            "    prevent_destroy = true\n"
            "  }\n"
            "}\n"
        }
    )
    assert finding_keys(result) == []


def test_terraform_org_lists_suppressed(run: Any) -> None:
    result = run(
        {
            "main.tf": 'resource "anthropic_organization" "org" {\n'
            '  name                = "acme"\n'
            "  baa_signed          = true\n"
            "  zero_data_retention = true\n"
            "  workspaces = [\n"
            "    # baa-lint: ignore[BAA001] decommissioned next sprint, OPS-12\n"
            '    { name = "evals", models = ["claude-fable-5"] },\n'
            "  ]\n"
            "}\n"
        }
    )
    assert finding_keys(result) == []
    assert len(result.suppressed) == 1


# --- 5. linking ---------------------------------------------------------------------------------


def _ws(extra: str) -> str:
    return (
        'resource "anthropic_workspace" "evals" {\n'
        '  name = "evals"\n'
        f"{extra}"
        '  tags = { models = "claude-fable-5" }\n'
        "}\n"
    )


def test_literal_organization_id_falls_through_to_the_only_org(run: Any) -> None:
    result = run({"org.yaml": ZDR_ORG, "main.tf": _ws('  organization_id = "org_01HXAMPLE000"\n')})
    assert finding_keys(result) == ["BAA001 main.tf:4:21"]
    assert result.model.workspaces[0].link == "the only organization in the run"


def test_literal_organization_id_clean_neighbours(run: Any) -> None:
    """With two organizations it cannot fall through: BAA015 says why. A literal close to a
    declared name is a typo of that name."""
    result = run(
        {
            "orgs.yaml": ZDR_ORG + "---\n" + HIPAA_ORG,
            "a.tf": _ws('  organization_id = "org_01HXAMPLE000"\n'),
            "b.tf": _ws('  organization_id = "reserch"\n').replace('"evals"', '"b"'),
        }
    )
    assert finding_keys(result) == ["BAA015 a.tf:3:21", "BAA015 b.tf:3:21"]
    assert messages(result, "BAA015") == [
        "workspace 'evals' cannot be linked to a declared organization (organization_id "
        "'org_01HXAMPLE000' is not the name of a declared organization, and several "
        "organizations are declared), so its coverage is not checked",
        "workspace 'b' cannot be linked to a declared organization (no organization named "
        "'reserch' is declared; did you mean 'research'?), so its coverage is not checked",
    ]


def test_literal_organization_id_suppressed(run: Any) -> None:
    text = _ws('  organization_id = "org_01HXAMPLE000"\n').replace(
        "  tags", "  # baa-lint: ignore[BAA001] moving to a carve-out, CASE-3\n  tags"
    )
    result = run({"org.yaml": ZDR_ORG, "main.tf": text})
    assert finding_keys(result) == []
    assert len(result.suppressed) == 1


STANDALONE = """\
apiVersion: baa-lint/v1
kind: Workspace
name: evals
{link}
models: [claude-fable-5]
"""


def test_standalone_yaml_workspace_with_a_misspelt_organization_key(run: Any) -> None:
    """One BAA901 (with its did-you-mean), no second one for the missing key, no BAA015 saying
    "several organizations": with one organization declared the workspace is checked."""
    result = run({"org.yaml": ZDR_ORG, "ws.yaml": STANDALONE.format(link="organisation: research")})
    assert finding_keys(result) == ["BAA901 ws.yaml:4:1", "BAA001 ws.yaml:5:10"]
    assert messages(result, "BAA901") == [
        "unknown key 'organisation'; did you mean 'organization'?"
    ]


def test_standalone_yaml_workspace_without_organization_and_several_orgs(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ZDR_ORG + "---\n" + HIPAA_ORG,
            "ws.yaml": STANDALONE.format(link="phi: true"),
        }
    )
    # The missing key is reported once, by the schema; the workspace is not checked.
    assert finding_keys(result) == ["BAA901 ws.yaml:1:1"]


def test_standalone_yaml_workspace_clean_neighbour(run: Any) -> None:
    result = run(
        {
            "org.yaml": HIPAA_ORG,
            "ws.yaml": STANDALONE.format(link="organization: clinical"),
        }
    )
    assert finding_keys(result) == []


def test_standalone_yaml_workspace_suppressed(run: Any) -> None:
    text = STANDALONE.format(link="organisation: research").replace(
        "models", "# baa-lint: ignore[BAA001] being moved, CASE-5\nmodels"
    )
    result = run({"org.yaml": ZDR_ORG, "ws.yaml": text})
    assert finding_keys(result) == ["BAA901 ws.yaml:4:1"]
    assert len(result.suppressed) == 1


def _yaml_ws(facts: str) -> str:
    return ZDR_ORG + "workspaces:\n  - name: evals\n" + facts


def test_yaml_and_terraform_workspace_of_one_name_are_one_object(run: Any) -> None:
    result = run(
        {
            "org.yaml": _yaml_ws("    models: [claude-fable-5]\n"),
            "main.tf": 'resource "anthropic_workspace" "evals" {\n  name = "evals"\n}\n',
        }
    )
    assert finding_keys(result) == ["BAA001 org.yaml:8:14"]
    [ws] = result.model.workspaces
    assert ws.address == "anthropic_workspace.evals"
    assert [c.address for c in result.configurations] == ["anthropic_workspace.evals"]


def test_yaml_and_terraform_facts_merge(run: Any) -> None:
    """PHI from the tag, the Covered Model from YAML: one object, so BAA001 and no BAA018."""
    result = run(
        {
            "org.yaml": _yaml_ws("    models: [claude-fable-5]\n"),
            "main.tf": 'resource "anthropic_workspace" "evals" {\n'
            '  name = "evals"\n'
            '  tags = { phi = "true" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == ["BAA001 org.yaml:8:14"]
    [ws] = result.model.workspaces
    assert ws.phi.v is True


def test_yaml_and_terraform_contradiction_is_a_conflict(run: Any) -> None:
    result = run(
        {
            "org.yaml": _yaml_ws("    models: [claude-haiku-4-5]\n"),
            "main.tf": 'resource "anthropic_workspace" "evals" {\n'
            '  name = "evals"\n'
            '  tags = { models = "claude-fable-5" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == ["BAA001 main.tf:3:21", "BAA014 org.yaml:7:5"]
    assert messages(result, "BAA014") == [
        "workspace 'evals' is declared twice with different values: models is "
        "[claude-fable-5] vs [claude-haiku-4-5]"
    ]


def test_yaml_and_terraform_contradiction_suppressed(run: Any) -> None:
    result = run(
        {
            "org.yaml": _yaml_ws("    models: [claude-haiku-4-5]\n").replace(
                "  - name: evals",
                "  # baa-lint: ignore[BAA014] Terraform moves to haiku in PR 12\n  - name: evals",
            ),
            "main.tf": 'resource "anthropic_workspace" "evals" {\n'
            '  name = "evals"\n'
            '  tags = { models = "claude-sonnet-4-5" }\n'
            "}\n",
        }
    )
    assert finding_keys(result) == []
    assert [f"{s.finding.rule} {s.finding.location}" for s in result.suppressed] == [
        "BAA014 org.yaml:8:5"
    ]


# --- 6. identity ----------------------------------------------------------------------------

COUNTED = """\
resource "anthropic_workspace" "shard" {
  count = 2
  name  = "shard"
  tags  = { models = count.index == 0 ? "claude-fable-5" : "claude-mythos-preview" }
}
"""


def test_count_instances_sharing_a_name_are_two_objects(run: Any) -> None:
    result = run({"org.yaml": ZDR_ORG, "main.tf": COUNTED})
    # Two instances, two findings about each one's model; no false BAA014 between them.
    assert [(f.rule, f.object) for f in result.findings] == [
        ("BAA001", "anthropic_workspace.shard[0]"),
        ("BAA001", "anthropic_workspace.shard[1]"),
        ("BAA011", "anthropic_workspace.shard[1]"),
    ]


def test_count_instances_clean_neighbour(run: Any) -> None:
    result = run({"org.yaml": HIPAA_ORG, "main.tf": COUNTED.replace("claude-mythos-preview", "x")})
    assert [(f.rule, f.object) for f in result.findings] == [
        ("BAA012", "anthropic_workspace.shard[1]")
    ]
    assert len(result.model.workspaces) == 2


def test_count_instances_suppressed(run: Any) -> None:
    text = "# baa-lint: ignore[BAA001,BAA011] migration, CASE-1\n" + COUNTED
    result = run({"org.yaml": ZDR_ORG, "main.tf": text})
    assert finding_keys(result) == []
    assert len(result.suppressed) == 3


ROOT_ORG = """\
resource "anthropic_organization" "org" {{
  name       = "acme"
  baa_signed = true
  {fact}     = true
}}

resource "anthropic_workspace" "w" {{
  name            = "w"
  organization_id = anthropic_organization.org.id
  tags            = {{ phi = "true", models = "{model}" }}
}}
"""


def test_one_org_in_two_roots_with_different_facts(run: Any) -> None:
    """Root a: HIPAA-ready, PHI and a Covered Model (fine). Root b: ZDR, PHI and a plain model
    (fine). A merged chimera would be HIPAA-ready with ZDR (BAA003) and would block a's Covered
    Model (BAA001)."""
    result = run(
        {
            "a/main.tf": ROOT_ORG.format(fact="hipaa_ready", model="claude-fable-5"),
            "b/main.tf": ROOT_ORG.format(fact="zero_data_retention", model="claude-haiku-4-5"),
        }
    )
    assert finding_keys(result) == ["BAA014 b/main.tf:1:1"]
    assert messages(result, "BAA014") == [
        "organization 'acme' is declared twice with different values: hipaa_ready is true vs "
        "false; zero_data_retention is false vs true"
    ]
    by_root = {o.location.path: o for o in result.model.organizations}
    assert by_root["a/main.tf"].hipaa_ready.v and not by_root["a/main.tf"].zero_data_retention.v
    assert by_root["b/main.tf"].zero_data_retention.v and not by_root["b/main.tf"].hipaa_ready.v


def test_one_org_in_two_roots_that_agree_is_one_org(run: Any) -> None:
    result = run(
        {
            "a/main.tf": ROOT_ORG.format(fact="hipaa_ready", model="claude-fable-5"),
            "b/main.tf": ROOT_ORG.format(fact="hipaa_ready", model="claude-haiku-4-5"),
        }
    )
    assert finding_keys(result) == []
    assert len(result.model.organizations) == 1


def test_one_org_in_two_roots_suppressed(run: Any) -> None:
    b = "# baa-lint: ignore[BAA014] split into two orgs in Q3, ORG-4\n" + ROOT_ORG.format(
        fact="zero_data_retention", model="claude-haiku-4-5"
    )
    result = run(
        {"a/main.tf": ROOT_ORG.format(fact="hipaa_ready", model="claude-fable-5"), "b/main.tf": b}
    )
    assert finding_keys(result) == []
    assert [f"{s.finding.rule} {s.finding.location}" for s in result.suppressed] == [
        "BAA014 b/main.tf:2:1"
    ]


ATTRIBUTE_AND_TAG = """\
resource "anthropic_workspace" "w" {{
  name   = "w"
  models = ["{attribute}"]
  tags   = {{ models = "{tag}" }}
}}
"""


def test_models_attribute_and_tag_that_disagree_are_a_conflict(run: Any) -> None:
    result = run(
        {
            "org.yaml": ZDR_ORG,
            "main.tf": ATTRIBUTE_AND_TAG.format(attribute="claude-haiku-4-5", tag="claude-fable-5"),
        }
    )
    # Neither silently wins: the contradiction, and what the tag's value implies.
    assert finding_keys(result) == ["BAA014 main.tf:1:1", "BAA001 main.tf:4:23"]
    assert messages(result, "BAA014") == [
        "workspace 'w' is declared twice with different values: models is [claude-haiku-4-5] "
        "vs [claude-fable-5]"
    ]


def test_models_attribute_and_tag_that_agree(run: Any) -> None:
    result = run(
        {
            "org.yaml": ZDR_ORG,
            "main.tf": ATTRIBUTE_AND_TAG.format(
                attribute="claude-haiku-4-5", tag="claude-haiku-4-5"
            ),
        }
    )
    assert finding_keys(result) == []
    assert len(result.model.workspaces) == 1


def test_models_attribute_and_tag_suppressed(run: Any) -> None:
    text = "# baa-lint: ignore[BAA014,BAA001] tag is stale, fixed in PR 30\n" + (
        ATTRIBUTE_AND_TAG.format(attribute="claude-haiku-4-5", tag="claude-fable-5")
    )
    result = run({"org.yaml": ZDR_ORG, "main.tf": text})
    assert finding_keys(result) == []
    assert len(result.suppressed) == 2
