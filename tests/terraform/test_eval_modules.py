"""Instances, addresses, modules, providers and resource references across a module tree."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.eval.values import EvalResult, ResourceInstance, Val
from tests.terraform.loaders import DirectoryLoader


def run(
    root: Path, files: Mapping[str, str], directories: tuple[str, ...] = (".",), **options: object
) -> EvalResult:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    options.setdefault("repo_root", root)
    opts = EvalOptions(**options)  # type: ignore[arg-type]
    return evaluate_tree([root / d for d in directories], DirectoryLoader(root), opts)


def addresses(result: EvalResult) -> list[str]:
    return [i.address for i in result.instances]


def instance(result: EvalResult, address: str) -> ResourceInstance:
    matches = [i for i in result.instances if i.address == address]
    assert matches, addresses(result)
    return matches[0]


def plain(val: Val) -> object:
    if isinstance(val.v, tuple):
        return [plain(item) for item in val.v]
    if isinstance(val.v, dict):
        return {key: plain(item) for key, item in val.v.items()}
    return val.v


# --- count and for_each ------------------------------------------------------------------------


def test_count_instances(tmp_path: Path) -> None:
    files = {
        "main.tf": """
resource "anthropic_workspace" "ws" {
  count = 11
  name  = "w${count.index}"
}
resource "anthropic_workspace" "none" {
  count = 0
  name  = "never"
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == [f"anthropic_workspace.ws[{i}]" for i in range(11)]
    ws = instance(result, "anthropic_workspace.ws[10]")
    assert ws.attributes["name"].v == "w10"
    assert ws.exists is None
    assert Origin(Location("main.tf", 3, 3), "count.index") in ws.attributes["name"].chain


def test_for_each_over_a_map_and_a_set(tmp_path: Path) -> None:
    files = {
        "main.tf": """
locals {
  teams = { research = "zdr", clinical = "standard" }
}
resource "anthropic_workspace" "ws" {
  for_each       = local.teams
  name           = each.key
  data_retention = each.value
}
resource "anthropic_workspace" "set" {
  for_each = toset(["b", "a\\"q"])
  name     = each.value
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == [
        'anthropic_workspace.ws["clinical"]',
        'anthropic_workspace.ws["research"]',
        'anthropic_workspace.set["a\\"q"]',
        'anthropic_workspace.set["b"]',
    ]
    research = instance(result, 'anthropic_workspace.ws["research"]')
    retention = research.attributes["data_retention"]
    assert (retention.v, retention.loc) == ("zdr", Location("main.tf", 3, 24))
    assert [o.note for o in retention.chain] == ["each.value of for_each", "local.teams"]
    assert research.attributes["name"].v == "research"
    assert research.attributes["name"].chain[0].note == "each.key of for_each"


def test_for_each_over_a_list_is_an_unresolved_instance(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n  for_each = ["a"]\n'
        "  name = each.key\n}\n"
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["anthropic_workspace.ws[*]"]
    exists = result.instances[0].exists
    assert exists is not None and isinstance(exists.v, Unknown)
    assert "map or a set of strings" in exists.v.reason


def test_unknown_count_gives_one_instance_that_may_not_exist(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "enabled" {}
resource "anthropic_workspace" "ws" {
  count = var.enabled ? 1 : 0
  name  = "w-${count.index}"
  kind  = "fixed"
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["anthropic_workspace.ws[*]"]
    ws = result.instances[0]
    assert ws.exists == Val(
        Unknown("var.enabled", "variable has no value"), Location("main.tf", 3, 11)
    )
    assert not ws.attributes["name"].known
    assert ws.attributes["kind"].v == "fixed"


def test_unknown_for_each_and_unknown_values(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "nv" {}
resource "anthropic_workspace" "unknown_keys" {
  for_each = var.nv
  name     = each.key
}
resource "anthropic_workspace" "unknown_values" {
  for_each = { a = var.nv }
  name     = each.key
  value    = each.value
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == [
        "anthropic_workspace.unknown_keys[*]",
        'anthropic_workspace.unknown_values["a"]',
    ]
    keys = instance(result, "anthropic_workspace.unknown_keys[*]")
    assert isinstance(keys.attributes["name"].v, Unknown)
    values = instance(result, 'anthropic_workspace.unknown_values["a"]')
    assert values.exists is None
    assert values.attributes["name"].v == "a"
    assert values.attributes["value"].v == Unknown("var.nv", "variable has no value")


def test_for_each_over_ten_thousand_is_expanded(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n'
        '  for_each = toset([for i in range(10000) : "w${i}"])\n  name = each.key\n}\n'
    }
    result = run(tmp_path, files)
    assert len(result.instances) == 10_000
    assert instance(result, 'anthropic_workspace.ws["w9999"]').attributes["name"].v == "w9999"


def test_huge_for_each_is_not_expanded(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "anthropic_workspace" "ws" {\n'
        '  for_each = toset([for i in range(10001) : "w${i}"])\n  name = each.key\n}\n'
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["anthropic_workspace.ws[*]"]
    exists = result.instances[0].exists
    assert exists is not None and isinstance(exists.v, Unknown)
    assert "too large" in exists.v.reason


# --- attributes ---------------------------------------------------------------------------------


def test_attributes_exclude_meta_arguments_and_keep_item_locations(tmp_path: Path) -> None:
    files = {
        "main.tf": """resource "anthropic_workspace" "ws" {
  count      = 1
  provider   = anthropic
  depends_on = [anthropic_organization.org]
  name       = "research"
  tags = {
    phi    = "true"
    models = "claude-fable-5"
  }
  lifecycle {
    prevent_destroy = true
  }
}
resource "anthropic_organization" "org" {
  name = "acme"
}
"""
    }
    ws = instance(run(tmp_path, files), "anthropic_workspace.ws[0]")
    assert list(ws.attributes) == ["name", "tags"]
    assert ws.attribute_locs == {
        "name": Location("main.tf", 5, 3),
        "tags": Location("main.tf", 6, 3),
    }
    tags = ws.attributes["tags"].v
    assert isinstance(tags, dict)
    assert tags["phi"].loc == Location("main.tf", 7, 14)
    assert tags["models"].loc == Location("main.tf", 8, 14)
    assert (ws.path, ws.loc, ws.span.start_line, ws.span.end_line) == (
        "main.tf",
        Location("main.tf", 1, 1),
        1,
        13,
    )


def test_data_sources_and_types(tmp_path: Path) -> None:
    files = {
        "main.tf": """data "anthropic_organization" "main" {
  name = "acme"
}
data "anthropic_workspace" "ignored" {
  name = "x"
}
resource "aws_s3_bucket" "ignored" {
  bucket = "x"
}
resource "anthropic_workspace" "ws" {
  organization_id = data.anthropic_organization.main.id
  organization    = data.anthropic_organization.main.name
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["data.anthropic_organization.main", "anthropic_workspace.ws"]
    assert result.instances[0].mode == "data"
    ws = instance(result, "anthropic_workspace.ws")
    org_id = ws.attributes["organization_id"]
    assert org_id.v == Unknown(
        "data.anthropic_organization.main.id", "data source attribute, known only after apply"
    )
    assert org_id.ref == "data.anthropic_organization.main"
    assert (ws.attributes["organization"].v, ws.attributes["organization"].ref) == (
        "acme",
        "data.anthropic_organization.main",
    )


# --- references ---------------------------------------------------------------------------------


def test_resource_reference_through_variable_local_and_module_input(tmp_path: Path) -> None:
    files = {
        "main.tf": """resource "anthropic_organization" "main" {
  name = "acme"
}
resource "anthropic_organization" "many" {
  for_each = toset(["x"])
  name     = each.key
}
locals {
  org = anthropic_organization.main.id
}
resource "anthropic_workspace" "direct" {
  organization_id = local.org
  keyed           = anthropic_organization.many["x"].id
  name_ref        = anthropic_organization.main.name
  whole           = anthropic_organization.main
  splat           = anthropic_organization.many["x"][*].id
}
module "team" {
  source = "./team"
  org_id = local.org
}
""",
        "team/main.tf": """variable "org_id" {}
resource "anthropic_workspace" "ws" {
  organization_id = var.org_id
}
""",
    }
    result = run(tmp_path, files)
    direct = instance(result, "anthropic_workspace.direct").attributes
    assert direct["organization_id"].ref == "anthropic_organization.main"
    assert direct["organization_id"].v == Unknown(
        "anthropic_organization.main.id",
        "attribute of anthropic_organization.main, known only after apply",
    )
    assert direct["keyed"].ref == 'anthropic_organization.many["x"]'
    assert (direct["name_ref"].v, direct["name_ref"].ref) == ("acme", "anthropic_organization.main")
    assert direct["whole"].ref == "anthropic_organization.main"
    splat = direct["splat"].v
    assert isinstance(splat, tuple)
    assert splat[0].ref == 'anthropic_organization.many["x"]'
    team = instance(result, "module.team.anthropic_workspace.ws").attributes
    assert team["organization_id"].ref == "anthropic_organization.main"
    assert [o.note for o in team["organization_id"].chain] == [
        "module.team input org_id",
        "local.org",
    ]


def test_reference_to_an_organization_inside_a_module(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "org" {
  source = "./org"
}
resource "anthropic_workspace" "ws" {
  organization_id = module.org.id
  organization    = module.org.name
}
""",
        "org/main.tf": """resource "anthropic_organization" "main" {
  count = 1
  name  = "acme"
}
output "id" {
  value = anthropic_organization.main[0].id
}
output "name" {
  value = anthropic_organization.main[0].name
}
""",
    }
    result = run(tmp_path, files)
    assert addresses(result) == [
        "anthropic_workspace.ws",
        "module.org.anthropic_organization.main[0]",
    ]
    ws = instance(result, "anthropic_workspace.ws").attributes
    assert ws["organization_id"].ref == "module.org.anthropic_organization.main[0]"
    assert ws["organization"].v == "acme"
    assert ws["organization_id"].chain[0] == Origin(
        Location("org/main.tf", 6, 3), "module.org output id"
    )


def test_reference_to_a_resource_with_unknown_count(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "n" {}
resource "anthropic_organization" "main" {
  count = var.n
  name  = "acme"
}
resource "anthropic_workspace" "ws" {
  organization_id = anthropic_organization.main[0].id
  organization    = anthropic_organization.main[0].name
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["anthropic_organization.main[*]", "anthropic_workspace.ws"]
    ws = instance(result, "anthropic_workspace.ws").attributes
    assert ws["organization_id"].ref == "anthropic_organization.main[*]"
    assert (ws["organization"].v, ws["organization"].ref) == (
        "acme",
        "anthropic_organization.main[*]",
    )


def test_cycle_between_resources_terminates(tmp_path: Path) -> None:
    files = {
        "main.tf": """resource "anthropic_workspace" "a" {
  name = anthropic_workspace.b.name
}
resource "anthropic_workspace" "b" {
  name = anthropic_workspace.a.name
}
"""
    }
    result = run(tmp_path, files)
    assert all(not i.attributes["name"].known for i in result.instances)
    assert [d.message for d in result.diagnostics] == [
        "cycle in references: anthropic_workspace.a.name → anthropic_workspace.b.name"
        " → anthropic_workspace.a.name"
    ]


# --- modules ------------------------------------------------------------------------------------

TEAM_MODULE = """variable "retention" {
  type = string
}
variable "team" {}
resource "anthropic_workspace" "this" {
  count          = 1
  name           = var.team
  data_retention = var.retention
}
output "name" {
  value = anthropic_workspace.this[0].name
}
"""


def test_module_for_each_and_nested_addresses(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "team" {
  source    = "./modules/team"
  for_each  = { a = "zdr", b = "standard" }
  retention = each.value
  team      = "team-${each.key}"
}
module "platform" {
  source = "./modules/platform"
}
""",
        "modules/team/main.tf": TEAM_MODULE,
        "modules/platform/main.tf": """module "inner" {
  source    = "../team"
  retention = "zdr"
  team      = "inner"
}
""",
    }
    result = run(tmp_path, files, directories=(".", "modules/team", "modules/platform"))
    assert addresses(result) == [
        "module.platform.module.inner.anthropic_workspace.this[0]",
        'module.team["a"].anthropic_workspace.this[0]',
        'module.team["b"].anthropic_workspace.this[0]',
    ]
    team_a = instance(result, 'module.team["a"].anthropic_workspace.this[0]').attributes
    assert (team_a["name"].v, team_a["data_retention"].v) == ("team-a", "zdr")
    assert [o.note for o in team_a["data_retention"].chain] == [
        'module.team["a"] input retention',
        "each.value of for_each",
    ]


def test_unknown_module_for_each(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "teams" {}
module "team" {
  source    = "./team"
  for_each  = var.teams
  retention = "zdr"
  team      = each.key
}
""",
        "team/main.tf": TEAM_MODULE,
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["module.team[*].anthropic_workspace.this[0]"]
    ws = result.instances[0]
    assert ws.exists is not None and not ws.exists.known
    assert ws.attributes["data_retention"].v == "zdr"
    assert not ws.attributes["name"].known


def test_module_outputs_feed_root_resources(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "naming" {
  source = "./naming"
  prefix = "acme"
}
resource "anthropic_workspace" "ws" {
  name = module.naming.name
}
""",
        "naming/main.tf": """variable "prefix" {}
locals {
  upper = upper(var.prefix)
}
output "name" {
  value = "${local.upper}-research"
}
""",
    }
    result = run(tmp_path, files)
    name = instance(result, "anthropic_workspace.ws").attributes["name"]
    assert name.v == "ACME-research"
    assert name.loc == Location("naming/main.tf", 6, 11)
    assert [o.note for o in name.chain] == [
        "module.naming output name",
        "local.upper",
        "module.naming input prefix",
    ]


def test_candidate_called_as_local_module_is_not_a_root(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "team" {\n  source = "./team"\n  retention = "zdr"\n  team = "t"\n}\n',
        "team/main.tf": TEAM_MODULE,
    }
    result = run(tmp_path, files, directories=("team", "."))
    assert addresses(result) == ["module.team.anthropic_workspace.this[0]"]
    # Alone, the module directory is a root with unset variables.
    alone = run(tmp_path, {}, directories=("team",))
    assert addresses(alone) == ["anthropic_workspace.this[0]"]
    assert not alone.instances[0].attributes["name"].known


def test_module_source_outside_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    files = {
        "repo/main.tf": """module "shared" {
  source = "../../shared"
}
resource "anthropic_workspace" "ws" {
  name = module.shared.name
}
""",
        "shared/main.tf": TEAM_MODULE,
    }
    result = run(tmp_path, files, directories=("repo",), repo_root=repo)
    assert addresses(result) == ["anthropic_workspace.ws"]
    assert [(d.message, d.location) for d in result.diagnostics] == [
        (
            "module source '../../shared' is outside the repository; not read",
            Location("repo/main.tf", 2, 3),
        )
    ]
    name = result.instances[0].attributes["name"].v
    assert isinstance(name, Unknown)
    assert name.reason == "module source outside the repository"


def test_remote_module_outputs_are_unknown(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "consul" {
  source = "hashicorp/consul/aws"
}
module "git" {
  source = "git::https://example.com/org.git"
  count  = 2
}
resource "anthropic_workspace" "ws" {
  name  = module.consul.name
  other = module.git[0].name
}
"""
    }
    result = run(tmp_path, files)
    attributes = result.instances[0].attributes
    assert attributes["name"].v == Unknown("module.consul.name", "output of remote module")
    assert attributes["other"].v == Unknown("module.git[0].name", "output of remote module")
    assert result.diagnostics == ()


def test_module_cycle_is_reported_and_stops(tmp_path: Path) -> None:
    files = {
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n'
        'resource "anthropic_workspace" "in_a" {\n  name = "a"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n'
        'resource "anthropic_workspace" "in_b" {\n  name = "b"\n}\n',
    }
    result = run(tmp_path, files, directories=("a", "b"))
    assert addresses(result) == ["anthropic_workspace.in_a", "module.b.anthropic_workspace.in_b"]
    assert [(d.message, d.location) for d in result.diagnostics] == [
        ("module cycle: a → b → a", Location("b/main.tf", 2, 3))
    ]


def test_module_nesting_deeper_than_the_limit(tmp_path: Path) -> None:
    files = {}
    for depth in range(6):
        files[f"m{depth}/main.tf"] = (
            f'module "next" {{\n  source = "../m{depth + 1}"\n}}\n'
            f'resource "anthropic_workspace" "w" {{\n  name = "{depth}"\n}}\n'
        )
    result = run(tmp_path, files, directories=("m0",), max_module_depth=3)
    assert len(result.instances) == 4
    assert [d.message for d in result.diagnostics] == ["modules nested more than 3 deep; not read"]


def test_missing_module_directory(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "gone" {\n  source = "./gone"\n}\n'
        'resource "anthropic_workspace" "ws" {\n  name = module.gone.x\n}\n'
    }
    result = run(tmp_path, files)
    assert [d.message for d in result.diagnostics] == ["module source './gone' cannot be read"]
    assert not result.instances[0].attributes["name"].known


# --- providers ----------------------------------------------------------------------------------


def test_provider_alias_through_module_providers(tmp_path: Path) -> None:
    files = {
        "main.tf": """provider "anthropic" {}
provider "anthropic" {
  alias = "clinical"
}
resource "anthropic_workspace" "root_default" {
  name = "a"
}
resource "anthropic_workspace" "root_alias" {
  provider = anthropic.clinical
}
module "passed" {
  source    = "./child"
  providers = { anthropic = anthropic.clinical, anthropic.extra = anthropic.clinical }
}
module "inherited" {
  source = "./child"
}
""",
        "child/main.tf": """resource "anthropic_workspace" "default" {
  name = "d"
}
resource "anthropic_workspace" "extra" {
  provider = anthropic.extra
}
module "grandchild" {
  source = "../grandchild"
}
""",
        "grandchild/main.tf": 'resource "anthropic_workspace" "deep" {\n  name = "g"\n}\n',
    }
    result = run(tmp_path, files)
    aliases = {i.address: i.provider_alias for i in result.instances}
    assert aliases == {
        "anthropic_workspace.root_default": None,
        "anthropic_workspace.root_alias": "clinical",
        "module.passed.anthropic_workspace.default": "clinical",
        "module.passed.anthropic_workspace.extra": "clinical",
        "module.passed.module.grandchild.anthropic_workspace.deep": "clinical",
        "module.inherited.anthropic_workspace.default": None,
        "module.inherited.anthropic_workspace.extra": "extra",
        "module.inherited.module.grandchild.anthropic_workspace.deep": None,
    }


# --- provenance end to end ----------------------------------------------------------------------


def test_chain_from_tfvars_through_variable_and_module_input(tmp_path: Path) -> None:
    files = {
        "main.tf": """variable "retention" {
  type = string
}
module "team" {
  source    = "./team"
  retention = var.retention
  team      = "research"
}
""",
        "terraform.tfvars": 'retention = "zdr"\n',
        "team/main.tf": TEAM_MODULE,
    }
    result = run(tmp_path, files)
    value = instance(result, "module.team.anthropic_workspace.this[0]").attributes["data_retention"]
    assert value.v == "zdr"
    assert value.loc == Location("terraform.tfvars", 1, 13)
    assert value.chain == (
        Origin(Location("main.tf", 6, 3), "module.team input retention"),
        Origin(Location("terraform.tfvars", 1, 1), 'var.retention = "zdr" (terraform.tfvars)'),
    )


# --- laziness and order -------------------------------------------------------------------------


def test_unrelated_resources_are_not_evaluated(tmp_path: Path) -> None:
    files = {
        "main.tf": """resource "aws_instance" "x" {
  ami   = var.undeclared
  count = local.undeclared
}
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = local.also_undeclared
}
resource "anthropic_workspace" "ws" {
  name = "only me"
}
"""
    }
    result = run(tmp_path, files)
    assert addresses(result) == ["anthropic_workspace.ws"]
    assert result.diagnostics == ()


def test_irrelevant_module_trees_are_not_loaded(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "net" {\n  source = "./net"\n}\n',
        "net/main.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n',
        "other/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = var.nope\n}\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    loader = DirectoryLoader(tmp_path)
    result = evaluate_tree([tmp_path, tmp_path / "other"], loader, EvalOptions(repo_root=tmp_path))
    assert result.instances == () and result.diagnostics == ()
    # The root and its callee are read to learn that nothing can lead to a resource.
    assert sorted(p.name for p in loader.loaded) == sorted([tmp_path.name, "net", "other"])


def test_module_count_and_count_index_in_inputs(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "team" {
  source    = "./team"
  count     = 2
  retention = "zdr"
  team      = "team-${count.index}"
}
""",
        "team/main.tf": TEAM_MODULE,
    }
    result = run(tmp_path, files)
    assert addresses(result) == [
        "module.team[0].anthropic_workspace.this[0]",
        "module.team[1].anthropic_workspace.this[0]",
    ]
    name = result.instances[1].attributes["name"]
    assert name.v == "team-1"
    assert [o.note for o in name.chain] == ["module.team[1] input team", "count.index"]


def test_for_each_over_organizations_links_each_workspace(tmp_path: Path) -> None:
    files = {
        "main.tf": """resource "anthropic_organization" "orgs" {
  for_each = toset(["clinical", "research"])
  name     = each.key
}
resource "anthropic_workspace" "default" {
  for_each        = anthropic_organization.orgs
  name            = "${each.key}-default"
  organization_id = each.value.id
  organization    = each.value.name
}
"""
    }
    result = run(tmp_path, files)
    ws = instance(result, 'anthropic_workspace.default["research"]').attributes
    assert ws["name"].v == "research-default"
    assert ws["organization_id"].ref == 'anthropic_organization.orgs["research"]'
    assert (ws["organization"].v, ws["organization"].ref) == (
        "research",
        'anthropic_organization.orgs["research"]',
    )


def test_path_values_are_relative_to_the_root_module(tmp_path: Path) -> None:
    """As Terraform shows them when run in the root module, never the runner's directory."""
    names = '"${path.module}|${path.root}|${path.cwd}"'
    files = {
        "infra/main.tf": 'module "ws" {\n  source = "../modules/ws"\n}\n'
        f'resource "anthropic_workspace" "root" {{\n  name = {names}\n}}\n',
        "modules/ws/main.tf": f'resource "anthropic_workspace" "child" {{\n  name = {names}\n}}\n',
    }
    result = run(tmp_path, files, directories=("infra",))
    names_of = {i.address: plain(i.attributes["name"]) for i in result.instances}
    assert names_of == {
        "anthropic_workspace.root": ".|.|.",
        "module.ws.anthropic_workspace.child": "../modules/ws|.|.",
    }


def test_one_module_reached_at_two_depths_from_two_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """r1 calls d directly, r2 through e: the instances' sort keys have module chains of two
    lengths. This crashed the whole evaluation (int compared with str)."""
    from linter.lint import lint
    from linter.settings.config import Config
    from tests.conftest import write_tree

    workspace = (
        'resource "anthropic_workspace" "w" {\n  name = "w"\n'
        '  tags = { phi = "true", models = "claude-fable-5" }\n}\n'
    )
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "r1/main.tf": 'module "m" {\n  source = "../d"\n}\n',
            "r2/main.tf": 'module "m" {\n  source = "../e"\n}\n',
            "e/main.tf": 'module "x" {\n  source = "../d"\n}\n',
            "d/main.tf": workspace,
        },
    )
    monkeypatch.chdir(tmp_path)
    result = lint(["."], Config(cache=False))
    assert not [f for f in result.findings if f.rule == "BAA900"], result.findings
    objects = sorted(f.object for f in result.findings if f.rule == "BAA015")  # no org
    assert objects == [
        "r1:module.m.anthropic_workspace.w",
        "r2:module.m.module.x.anthropic_workspace.w",
    ]
