"""Claude Platform on AWS in Terraform: awscc_awsexternalanthropic_workspace, in HCL and plans.

Its tags are a set of ``{ key, value }`` objects; a tags value that cannot be resolved may carry
any fact. It links to the one organization of platform aws-claude-platform, else stands alone
on that platform with standard retention.
"""

from __future__ import annotations

import json
from typing import Any

from .conftest import finding_keys

AWS_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: {name}
platform: aws-claude-platform
baa_signed: true
"""


def workspace(tags: str, name: str = "intake", extra: str = "") -> str:
    return (
        f'resource "awscc_awsexternalanthropic_workspace" "{name}" {{\n'
        f'  name = "{name}"\n{extra}  tags = {tags}\n}}\n'
    )


def test_tags_through_locals_and_a_for_expression(run: Any) -> None:
    main = 'locals {\n  facts = { phi = "true", models = "claude-haiku-4-5" }\n}\n' + workspace(
        "[for k, v in local.facts : { key = k, value = v }]"
    )
    result = run({"main.tf": main})
    (finding,) = result.findings
    assert finding.rule == "BAA009"
    assert finding.object == "awscc_awsexternalanthropic_workspace.intake"
    assert "Claude Platform on AWS workspace 'intake'" in finding.message
    assert [e.location.line for e in finding.evidence] == [2, 4]  # the local, then the block


def test_an_unknown_element_may_carry_any_tag_a_known_key_only_its_own(run: Any) -> None:
    variables = 'variable "extra" {}\nvariable "phi" {}\n'
    element = workspace('[var.extra, { key = "models", value = "claude-haiku-4-5" }]')
    result = run({"main.tf": variables + element})
    (finding,) = result.findings
    assert (finding.rule, finding.attribute) == ("BAA013", "tags")
    assert "BAA009" in finding.message
    value = workspace('[{ key = "phi", value = var.phi }]')
    result = run({"main.tf": variables + value})
    (finding,) = result.findings
    assert (finding.rule, finding.attribute) == ("BAA013", "tags.phi")


def test_aws_tag_lists_take_spaces_and_the_fact_attributes_are_not_read(run: Any) -> None:
    main = workspace(
        '[{ key = "models", value = "claude-haiku-4-5 claude-fable-5" },'
        ' { key = "data_retention", value = "zdr" }]',
        extra="  phi = true\n",  # not an attribute of this resource: nothing to read
    )
    result = run({"main.tf": main})
    assert [f.rule for f in result.findings] == ["BAA001"]
    assert result.findings[0].message.count("claude-fable-5") == 1
    (cfg,) = result.configurations
    assert not cfg.phi.v


def test_the_only_organization_of_the_platform_takes_it(run: Any) -> None:
    main = workspace('[{ key = "phi", value = "true" }]')
    result = run({"main.tf": main, "org.yaml": AWS_ORG.format(name="marketplace")})
    (cfg,) = [c for c in result.configurations if c.kind == "workspace"]
    assert (cfg.org.name, cfg.link) == ("marketplace", "the only aws-claude-platform organization")
    assert finding_keys(result) == ["BAA009 main.tf:3:34"]
    assert "organization 'marketplace'" in result.findings[0].message


def test_with_several_organizations_of_the_platform_it_stands_alone(run: Any) -> None:
    orgs = AWS_ORG.format(name="east") + "---\n" + AWS_ORG.format(name="west")
    result = run({"main.tf": workspace('[{ key = "phi", value = "true" }]'), "org.yaml": orgs})
    (cfg,) = [c for c in result.configurations if c.kind == "workspace"]
    assert cfg.org.implicit and cfg.org.name == "aws-claude-platform:main.tf"
    assert [f.rule for f in result.findings] == ["BAA009"]


def test_an_anthropic_organization_never_takes_it(run: Any) -> None:
    org = 'resource "anthropic_organization" "main" {\n  name = "acme"\n  baa_signed = true\n}\n'
    result = run({"main.tf": org + workspace('[{ key = "phi", value = "true" }]')})
    (cfg,) = [c for c in result.configurations if c.kind == "workspace"]
    assert cfg.org.implicit
    assert [f.rule for f in result.findings] == ["BAA009"]  # not BAA006/BAA007


def test_count_instances_and_a_local_module(run: Any) -> None:
    module = 'variable "phi" {}\n' + workspace(
        '[{ key = "phi", value = var.phi }]', extra="  count = 2\n"
    ).replace('name = "intake"', 'name = "intake-${count.index}"')
    main = 'module "team" {\n  source = "./modules/team"\n  phi = "true"\n}\n'
    result = run({"main.tf": main, "modules/team/main.tf": module})
    assert sorted(f.object for f in result.findings) == [
        "module.team.awscc_awsexternalanthropic_workspace.intake[0]",
        "module.team.awscc_awsexternalanthropic_workspace.intake[1]",
    ]


# --- plan JSON -------------------------------------------------------------------------------


def _plan(
    values: dict[str, Any], after_unknown: dict[str, Any], expressions: dict[str, Any]
) -> str:
    address = "awscc_awsexternalanthropic_workspace.intake"
    resource = {
        "address": address,
        "mode": "managed",
        "type": "awscc_awsexternalanthropic_workspace",
        "name": "intake",
        "provider_name": "registry.terraform.io/hashicorp/awscc",
        "values": values,
    }
    data = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [resource]}},
        "resource_changes": [{"address": address, "change": {"after_unknown": after_unknown}}],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": address,
                        "mode": "managed",
                        "type": "awscc_awsexternalanthropic_workspace",
                        "name": "intake",
                        "provider_config_key": "awscc",
                        "expressions": expressions,
                    }
                ]
            }
        },
    }
    return json.dumps(data, indent=2)


def test_a_planned_workspace_with_tags(run: Any) -> None:
    tags = [{"key": "models", "value": "claude-fable-5"}, {"key": "phi", "value": "true"}]
    text = _plan({"name": "intake", "tags": tags}, {"id": True}, {"name": {}, "tags": {}})
    result = run({"plan.json": text})
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"value": "true"' in row)
    assert [(f.rule, f.location.line) for f in result.findings] == [("BAA009", line)]


def test_computed_tags_are_no_fact_configured_unknown_tags_are(run: Any) -> None:
    computed = _plan({"name": "intake", "tags": None}, {"tags": True}, {"name": {}})
    # Provider-computed tags are no fact: the workspace declares none (BAA018), nothing unknown.
    assert [f.rule for f in run({"plan.json": computed}).findings] == ["BAA018"]
    configured = _plan(
        {"name": "intake", "tags": None}, {"tags": True}, {"tags": {"references": ["var.tags"]}}
    )
    assert [f.rule for f in run({"plan.json": configured}).findings] == ["BAA013"]


def test_a_nested_unknown_tag_value_in_a_plan(run: Any) -> None:
    tags = [{"key": "phi"}]
    text = _plan({"name": "intake", "tags": tags}, {"tags": [{"value": True}]}, {"tags": {}})
    (finding,) = run({"plan.json": text}).findings
    assert (finding.rule, finding.attribute) == ("BAA013", "tags.phi")
