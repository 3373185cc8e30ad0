"""Terraform end to end: linking routes, evidence chains, unknowns, and realistic trees."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .conftest import finding_keys

FIXTURES = Path(__file__).parent / "fixtures"

ORG_YAML = """\
apiVersion: baa-lint/v1
kind: Organization
name: {name}
baa_signed: true
zero_data_retention: true
provider_alias: {alias}
"""

ZDR_WORKSPACE = """\
resource "anthropic_workspace" "w" {{
{extra}  name = "research"
  tags = {{
    models = "claude-fable-5"
  }}
}}
"""


def links(result: Any) -> dict[str, str]:
    return {ws.address: f"{ws.organization} via {ws.link}" for ws in result.model.workspaces}


# --- linking routes (§3.2) -------------------------------------------------------------------


def test_link_by_organization_reference(run: Any) -> None:
    result = run(
        {
            "main.tf": (
                'resource "anthropic_organization" "a" {\n  name = "org-a"\n}\n'
                'resource "anthropic_organization" "b" {\n  name = "org-b"\n}\n'
                'resource "anthropic_workspace" "w" {\n  name = "w"\n  organization_id = anthropic_organization.b.id\n}\n'
            )
        }
    )
    assert links(result) == {"anthropic_workspace.w": "org-b via organization 'org-b'"}


def test_link_by_organization_name_string(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORG_YAML.format(name="org-a", alias="a")
            + "---\n"
            + ORG_YAML.format(name="org-b", alias="b"),
            "main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n  organization = "org-a"\n}\n',
        }
    )
    assert links(result) == {"anthropic_workspace.w": "org-a via organization 'org-a'"}


def test_link_by_provider_alias_to_a_yaml_organization(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORG_YAML.format(name="org-a", alias="a")
            + "---\n"
            + ORG_YAML.format(name="org-b", alias="b"),
            "main.tf": ZDR_WORKSPACE.format(extra="  provider = anthropic.b\n"),
        }
    )
    assert links(result) == {"anthropic_workspace.w": "org-b via provider anthropic.b"}
    assert finding_keys(result) == ["BAA001 main.tf:5:14"]


def test_link_by_provider_alias_to_a_terraform_organization(run: Any) -> None:
    result = run(
        {
            "main.tf": (
                'provider "anthropic" {\n  alias = "clin"\n}\n'
                'resource "anthropic_organization" "a" {\n  name = "org-a"\n}\n'
                'resource "anthropic_organization" "b" {\n  provider = anthropic.clin\n  name = "org-b"\n}\n'
                'resource "anthropic_workspace" "w" {\n  provider = anthropic.clin\n  name = "w"\n}\n'
            )
        }
    )
    assert links(result) == {"anthropic_workspace.w": "org-b via provider anthropic.clin"}


def test_link_through_module_provider_passing(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORG_YAML.format(name="org-a", alias="a")
            + "---\n"
            + ORG_YAML.format(name="org-b", alias="b"),
            "main.tf": 'module "team" {\n  source = "./team"\n  providers = {\n    anthropic = anthropic.b\n  }\n}\n',
            "team/main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n}\n',
        }
    )
    assert links(result) == {"module.team.anthropic_workspace.w": "org-b via provider anthropic.b"}


def test_link_to_the_only_organization(run: Any) -> None:
    result = run(
        {
            "org.yaml": ORG_YAML.format(name="org-a", alias="a"),
            "main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n}\n',
        }
    )
    assert links(result) == {"anthropic_workspace.w": "org-a via the only organization in the run"}


def test_unlinked_workspace_with_several_organizations(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORG_YAML.format(name="org-a", alias="a")
            + "---\n"
            + ORG_YAML.format(name="org-b", alias="b"),
            # A compliance fact: without one, it would be BAA018 (nothing to check) instead.
            "main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n  phi  = true\n}\n',
        }
    )
    assert links(result) == {}
    assert [f.message for f in result.findings] == [
        "workspace 'w' cannot be linked to a declared organization (several organizations are "
        "declared and nothing says which one it belongs to), so its coverage is not checked"
    ]


def test_unlinked_by_an_unknown_provider_alias(run: Any) -> None:
    result = run(
        {
            "orgs.yaml": ORG_YAML.format(name="org-a", alias="a")
            + "---\n"
            + ORG_YAML.format(name="org-b", alias="b"),
            "main.tf": 'resource "anthropic_workspace" "w" {\n  provider = anthropic.c\n  name = "w"\n}\n',
        }
    )
    assert "no organization declares provider_alias 'c'" in result.findings[0].message


# --- evidence chains -------------------------------------------------------------------------


def test_evidence_chain_from_tfvars_through_a_module_input(run: Any) -> None:
    result = run(
        {
            "org.yaml": ORG_YAML.format(name="org-a", alias="a"),
            "variables.tf": 'variable "models" {\n  type = list(string)\n}\n',
            "terraform.tfvars": 'models = ["claude-fable-5"]\n',
            "main.tf": 'module "team" {\n  source = "./team"\n  models = var.models\n}\n',
            "team/main.tf": (
                'variable "models" {\n  type = list(string)\n}\n'
                'resource "anthropic_workspace" "w" {\n  name = "w"\n  models = var.models\n}\n'
            ),
        }
    )
    (finding,) = result.findings
    assert (finding.rule, str(finding.location)) == ("BAA001", "team/main.tf:6:12")
    assert [(str(e.location), e.fact) for e in finding.evidence] == [
        ("main.tf:3:3", "module.team input models"),
        ("terraform.tfvars:1:1", 'var.models = ["claude-fable-5"] (terraform.tfvars)'),
        (
            "org.yaml:5:22",
            "organization 'org-a' sets zero_data_retention: true (inherited by workspace 'w')",
        ),
    ]


def test_var_on_the_command_line_wins_over_tfvars(run: Any) -> None:
    files = {
        "org.yaml": ORG_YAML.format(name="org-a", alias="a"),
        "main.tf": (
            'variable "model" {\n  type = string\n}\n'
            'resource "anthropic_workspace" "w" {\n  name = "w"\n  models = [var.model]\n}\n'
        ),
        "terraform.tfvars": 'model = "claude-haiku-4-5"\n',
    }
    assert finding_keys(run(files)) == []
    result = run(files, variables={"model": "claude-fable-5"})
    # An element that came from elsewhere is reported at its place in the list.
    assert finding_keys(result) == ["BAA001 main.tf:6:13"]
    assert result.findings[0].evidence[0].location.path == "<command line>"


# --- unknowns --------------------------------------------------------------------------------


def test_unknown_count_makes_findings_undecided(run: Any) -> None:
    result = run(
        {
            "org.yaml": ORG_YAML.format(name="org-a", alias="a"),
            "main.tf": (
                'variable "enabled" {\n  type = bool\n}\n'
                'resource "anthropic_workspace" "w" {\n  count = var.enabled ? 1 : 0\n  name = "w"\n  models = ["claude-fable-5"]\n}\n'
            ),
        }
    )
    assert finding_keys(result) == ["BAA013 main.tf:5:11"]
    assert "BAA001 could fire" in result.findings[0].message


def test_remote_module_output_is_unknown_not_guessed(run: Any) -> None:
    result = run(
        {
            "org.yaml": ORG_YAML.format(name="org-a", alias="a"),
            "main.tf": (
                'module "policy" {\n  source = "app.terraform.io/acme/policy/anthropic"\n}\n'
                'resource "anthropic_workspace" "w" {\n  name = "w"\n  models = module.policy.models\n}\n'
            ),
        }
    )
    # Issue 12: the remote call itself is BAA013 too ("remote module, not read").
    assert finding_keys(result) == ["BAA013 main.tf:2:3", "BAA013 main.tf:6:12"]
    assert "remote module 'app.terraform.io/acme/policy/anthropic', not read" in (
        result.findings[0].message
    )
    assert "output of remote module" in result.findings[1].message


def test_module_source_outside_the_repository_is_refused(run: Any, in_tmp: Path) -> None:
    (in_tmp / ".git").mkdir()
    result = run(
        {
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/main.tf": 'module "x" {\n  source = "../../outside"\n}\n',
        },
        paths=["repo"],
    )
    assert [f.rule for f in result.findings] == ["BAA900"]
    assert "outside the repository" in result.findings[0].message


# --- realistic trees -------------------------------------------------------------------------


def test_cloud_tree_without_anthropic_resources_reports_nothing(in_tmp: Path, run: Any) -> None:
    shutil.copytree(FIXTURES / "cloud-tree", in_tmp / "cloud-tree")
    result = run({}, paths=["cloud-tree"])
    assert finding_keys(result) == []
    assert result.configurations == ()


def _variant_findings(run: Any, files: dict[str, str]) -> list[tuple[str, str, int, int, str]]:
    result = run({"org.yaml": ORG_YAML.format(name="org-a", alias="a"), **files})
    return [
        (f.rule, Path(f.location.path).name, f.location.line, f.location.column, f.message)
        for f in result.findings
    ]


WORKSPACE_BODY = """\
resource "anthropic_workspace" "w" {{
{meta}
  name           = {name}
  phi            = {phi}
  data_retention = {retention}
  tags = {{
    models = {models}
  }}
}}
"""


def test_findings_are_identical_inline_for_each_and_module(run: Any, in_tmp: Path) -> None:
    inline = WORKSPACE_BODY.format(
        meta="  # inline",
        name='"research"',
        phi="true",
        retention='"standard"',
        models='"claude-fable-5"',
    )
    for_each = WORKSPACE_BODY.format(
        meta="  for_each = local.teams",
        name="each.key",
        phi="each.value.phi",
        retention="each.value.retention",
        models="each.value.models",
    )
    teams = (
        'locals {\n  teams = {\n    research = {\n      phi = true\n      retention = "standard"\n'
        '      models = "claude-fable-5"\n    }\n  }\n}\n'
    )
    module = WORKSPACE_BODY.format(
        meta="  # module",
        name="var.name",
        phi="var.phi",
        retention="var.retention",
        models="var.models",
    )
    module_vars = "".join(f'variable "{v}" {{}}\n' for v in ("name", "phi", "retention", "models"))
    caller = (
        'module "team" {\n  source = "./team"\n  name = "research"\n  phi = true\n'
        '  retention = "standard"\n  models = "claude-fable-5"\n}\n'
    )
    a = _variant_findings(run, {"a/main.tf": inline})
    shutil.rmtree(in_tmp / "a")
    b = _variant_findings(run, {"b/main.tf": for_each, "b/locals.tf": teams})
    shutil.rmtree(in_tmp / "b")
    c = _variant_findings(
        run, {"c/main.tf": caller, "c/team/main.tf": module, "c/team/variables.tf": module_vars}
    )
    assert [rule for rule, *_ in a] == ["BAA006"]  # there is something to compare
    assert b == a
    assert c == a
    shutil.rmtree(in_tmp / "c")
    # A model finding (BAA001) on an inheriting workspace, the same three ways.
    inherit = {"retention": '"inherit"', "phi": "false"}
    a = _variant_findings(run, {"a/main.tf": inline.replace('"standard"', inherit["retention"])})
    shutil.rmtree(in_tmp / "a")
    b = _variant_findings(
        run, {"b/main.tf": for_each, "b/locals.tf": teams.replace('"standard"', '"inherit"')}
    )
    shutil.rmtree(in_tmp / "b")
    c = _variant_findings(
        run,
        {
            "c/main.tf": caller.replace('"standard"', '"inherit"'),
            "c/team/main.tf": module,
            "c/team/variables.tf": module_vars,
        },
    )
    assert [rule for rule, *_ in a] == ["BAA001"]
    assert b == a
    assert c == a


def test_outside_git_modules_below_the_working_directory_are_read(in_tmp: Path, run: Any) -> None:
    org = 'resource "anthropic_organization" "o" {\n  name = "acme"\n  zero_data_retention = true\n}\n'
    result = run(
        {
            "envs/prod/main.tf": 'module "ws" {\n  source = "../../modules/ws"\n}\n',
            "modules/ws/main.tf": org + ZDR_WORKSPACE.format(extra=""),
        },
        paths=["envs/prod"],  # no .git: the boundary is the working directory, not envs/prod
    )
    assert finding_keys(result) == ["BAA001 modules/ws/main.tf:8:14"]
