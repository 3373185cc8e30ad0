"""Terraform evaluation items of issue 12: terraform.workspace, remote modules, suppressions
above module calls (SPEC §3.2, §5, §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..conftest import finding_keys

ZDR_ORG = """\
resource "anthropic_organization" "org" {
  name                = "acme"
  baa_signed          = true
  zero_data_retention = true
}
"""

BY_WORKSPACE = (
    ZDR_ORG
    + 'resource "anthropic_workspace" "ws" {\n  name            = "ws"\n'
    + "  organization_id = anthropic_organization.org.id\n"
    + '  models          = terraform.workspace == "prod" ? ["claude-fable-5"] : []\n'
    + "}\n"
)


def codes(result: Any) -> list[str]:
    return sorted({key.split()[0] for key in finding_keys(result)})


# --- 1. terraform.workspace ------------------------------------------------------------------


def test_tf_workspace_from_the_environment_fires(run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    result = run({"main.tf": BY_WORKSPACE})
    assert codes(result) == ["BAA001"], finding_keys(result)


def test_default_workspace_is_clean(run: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    assert finding_keys(run({"main.tf": BY_WORKSPACE})) == []


def test_another_workspace_is_clean(run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("TF_WORKSPACE", "staging")
    assert finding_keys(run({"main.tf": BY_WORKSPACE})) == []


def test_dot_terraform_environment_fires(run: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    result = run({"main.tf": BY_WORKSPACE, ".terraform/environment": "prod\n"})
    assert codes(result) == ["BAA001"], finding_keys(result)


def test_tf_workspace_wins_over_dot_terraform_environment(run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("TF_WORKSPACE", "dev")
    result = run({"main.tf": BY_WORKSPACE, ".terraform/environment": "prod\n"})
    assert finding_keys(result) == []


def test_an_unreadable_environment_file_is_default(run: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    result = run({"main.tf": BY_WORKSPACE, ".terraform/environment/x": "prod"})  # a directory
    assert finding_keys(result) == []


def test_workspace_finding_can_be_suppressed(run: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    body = BY_WORKSPACE.replace(
        "  models ", "  # baa-lint: ignore[BAA001] moving prod off ZDR (CHG-7)\n  models ", 1
    )
    result = run({"main.tf": body})
    assert finding_keys(result) == []
    assert [s.finding.rule for s in result.suppressed] == ["BAA001"]


def test_warm_runs_see_a_changed_workspace(
    run: Any, monkeypatch: Any, tmp_path: Path, in_tmp: Path
) -> None:
    cache = str(tmp_path / "cache")
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    assert finding_keys(run({"main.tf": BY_WORKSPACE}, cache_dir=cache)) == []
    monkeypatch.setenv("TF_WORKSPACE", "prod")
    assert codes(run({"main.tf": BY_WORKSPACE}, cache_dir=cache)) == ["BAA001"]
    monkeypatch.delenv("TF_WORKSPACE")
    assert finding_keys(run({"main.tf": BY_WORKSPACE}, cache_dir=cache)) == []
    files = {"main.tf": BY_WORKSPACE, ".terraform/environment": "prod"}
    assert codes(run(files, cache_dir=cache)) == ["BAA001"]
    (in_tmp / ".terraform" / "environment").write_text("dev", encoding="utf-8")
    assert finding_keys(run({"main.tf": BY_WORKSPACE}, cache_dir=cache)) == []


@pytest.mark.parametrize("where", ["env", "file"])
def test_workspace_in_a_child_module_is_the_roots(run: Any, monkeypatch: Any, where: str) -> None:
    files = {
        "main.tf": ZDR_ORG + 'module "w" {\n  source = "./modules/w"\n}\n',
        "modules/w/main.tf": BY_WORKSPACE.replace(ZDR_ORG, "").replace(
            "anthropic_organization.org.id", '"acme"'
        ),
    }
    monkeypatch.delenv("TF_WORKSPACE", raising=False)
    if where == "env":
        monkeypatch.setenv("TF_WORKSPACE", "prod")
    else:
        files[".terraform/environment"] = "prod"
    assert "BAA001" in codes(run(files)), finding_keys(run(files))


# --- 2. remote modules -----------------------------------------------------------------------

REMOTE = (
    ZDR_ORG
    + 'module "team" {\n'
    + '  source = "app.terraform.io/acme/anthropic-workspaces/anthropic"\n'
    + "  count  = 3\n"
    + "}\n"
)


def test_a_remote_module_call_is_baa013_once(run: Any) -> None:
    result = run({"main.tf": REMOTE})
    assert finding_keys(result) == ["BAA013 main.tf:7:3"], finding_keys(result)
    (finding,) = result.findings
    assert "remote module 'app.terraform.io/acme/anthropic-workspaces/anthropic'" in (
        finding.message
    )
    assert "not read" in finding.message


def test_a_local_module_call_is_clean(run: Any) -> None:
    files = {
        "main.tf": ZDR_ORG + 'module "team" {\n  source = "./modules/team"\n}\n',
        "modules/team/main.tf": (
            'resource "anthropic_workspace" "w" {\n  name = "w"\n  tags = { phi = "false" }\n}\n'
        ),
    }
    assert finding_keys(run(files)) == []


def test_a_remote_module_url_hides_credentials(run: Any) -> None:
    text = REMOTE.replace(
        "app.terraform.io/acme/anthropic-workspaces/anthropic",
        "git::https://user:s3cret@example.com/acme/anthropic-ws.git?ref=v1",
    )
    (finding,) = run({"main.tf": text}).findings
    assert "s3cret" not in finding.message
    assert "example.com/acme/anthropic-ws.git" in finding.message


def test_a_remote_module_that_cannot_hold_anthropic_resources_is_not_reported(run: Any) -> None:
    """A VPC module beside a workspace says nothing about BAA coverage: no BAA013 noise."""
    text = REMOTE.replace(
        "app.terraform.io/acme/anthropic-workspaces/anthropic", "terraform-aws-modules/vpc/aws"
    )
    assert [k for k in finding_keys(run({"main.tf": text})) if "BAA013" in k] == []


def test_a_remote_module_call_can_be_suppressed(run: Any) -> None:
    text = REMOTE.replace(
        'module "team" {',
        '# baa-lint: ignore[BAA013] reviewed in the module\'s repo\nmodule "team" {',
    )
    result = run({"main.tf": text})
    assert finding_keys(result) == []
    assert [s.finding.rule for s in result.suppressed] == ["BAA013"]


# --- 3. a suppression above a module call ----------------------------------------------------

CHILD = (
    'variable "org" {\n  type = string\n}\n'
    'resource "anthropic_workspace" "w" {\n  name = "w"\n  organization_id = var.org\n'
    '  tags = { models = "claude-fable-5" }\n}\n'
)


def module_tree(header_comment: str = "", count: str = "") -> dict[str, str]:
    call = (
        f'{header_comment}module "x" {{\n  source = "./modules/x"\n{count}'
        "  org    = anthropic_organization.org.id\n}\n"
    )
    return {"main.tf": ZDR_ORG + call, "modules/x/main.tf": CHILD}


def test_a_finding_inside_a_module_instance_fires(run: Any) -> None:
    result = run(module_tree())
    assert codes(result) == ["BAA001"], finding_keys(result)
    assert result.findings[0].object == "module.x.anthropic_workspace.w"


def test_a_suppression_above_another_block_does_not_cover_the_module(run: Any) -> None:
    tree = module_tree()
    tree["main.tf"] = "# baa-lint: ignore[BAA001] not this one\n" + tree["main.tf"]
    result = run(tree)
    assert codes(result) == ["BAA001", "BAA902"], finding_keys(result)


def test_a_suppression_above_a_module_call_covers_its_instances(run: Any) -> None:
    tree = module_tree("# baa-lint: ignore[BAA001] moving this team off ZDR (CHG-9)\n", "")
    result = run(tree)
    assert finding_keys(result) == []
    assert [s.finding.rule for s in result.suppressed] == ["BAA001"]


def test_a_suppression_on_a_counted_module_call_covers_every_instance(run: Any) -> None:
    tree = module_tree("", "  count  = 2\n")
    tree["main.tf"] = tree["main.tf"].replace(
        'module "x" {', 'module "x" { # baa-lint: ignore[BAA001] moving off ZDR (CHG-9)'
    )
    result = run(tree)
    assert finding_keys(result) == []
    assert sorted(s.finding.object for s in result.suppressed) == [
        "module.x[0].anthropic_workspace.w",
        "module.x[1].anthropic_workspace.w",
    ]


def test_a_suppression_above_a_module_call_in_a_nested_root(run: Any) -> None:
    tree = {
        f"envs/prod/{k}": v.replace("./modules/x", "../../modules/x")
        for k, v in module_tree("# baa-lint: ignore[BAA001] moving off ZDR (CHG-9)\n").items()
        if k == "main.tf"
    }
    tree["modules/x/main.tf"] = CHILD
    result = run(tree)
    assert finding_keys(result) == []
    assert [s.finding.object for s in result.suppressed] == [
        "envs/prod:module.x.anthropic_workspace.w"
    ]


def test_a_suppression_of_a_module_call_is_used_on_a_warm_run(run: Any, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    tree = module_tree("# baa-lint: ignore[BAA001] moving off ZDR (CHG-9)\n")
    for _ in range(2):
        result = run(tree, cache_dir=cache)
        assert finding_keys(result) == []
        assert [s.finding.rule for s in result.suppressed] == ["BAA001"]


def test_a_remote_module_handed_an_anthropic_provider_is_reported(run: Any) -> None:
    text = REMOTE.replace(
        "app.terraform.io/acme/anthropic-workspaces/anthropic", "app.terraform.io/acme/teams/x"
    ).replace("  count  = 3\n", "  count  = 3\n  providers = { anthropic = anthropic }\n")
    assert [k.split()[0] for k in finding_keys(run({"main.tf": text}))] == ["BAA013"]
