"""The pre-commit hook: changed files in, the findings they can affect out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli

from .conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent

ORGS = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-prod
baa_signed: true
zero_data_retention: true
provider_alias: prod
---
apiVersion: baa-lint/v1
kind: Organization
name: acme-dev
baa_signed: true
zero_data_retention: true
provider_alias: dev
"""
MODULE = """\
variable "models" {
  type = list(string)
}

resource "anthropic_workspace" "w" {
  name   = "summaries"
  models = var.models
}
"""


def env_root(alias: str) -> str:
    return (
        f'module "ws" {{\n  source = "../../modules/ws"\n  models = var.models\n'
        f"  providers = {{\n    anthropic = anthropic.{alias}\n  }}\n}}\n"
        f'provider "anthropic" {{\n  alias = "{alias}"\n}}\n'
        'variable "models" {\n  type = list(string)\n}\n'
    )


REPO = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "orgs/orgs.yaml": ORGS,
    "modules/ws/main.tf": MODULE,
    "infra/prod/main.tf": env_root("prod"),
    "infra/prod/terraform.tfvars": 'models = ["claude-fable-5"]\n',
    "infra/dev/main.tf": env_root("dev"),
    "infra/dev/terraform.tfvars": 'models = ["claude-haiku-4-5"]\n',
    "unrelated/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
}


def hook(*files: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", "--pre-commit", "-q", *files])
    return result.exit_code, [
        line.split(": ")[1].split()[0] + " " + line.split(":")[0]
        for line in result.output.splitlines()
    ]


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    write_tree(in_tmp, REPO)
    return in_tmp


def test_a_changed_tfvars_shows_the_finding_it_causes_in_a_shared_module(repo: Path) -> None:
    assert hook("infra/prod/terraform.tfvars") == (1, ["BAA001 modules/ws/main.tf"])


def test_a_change_elsewhere_reports_nothing(repo: Path) -> None:
    assert hook("infra/dev/terraform.tfvars") == (0, [])
    assert hook("unrelated/main.tf") == (0, [])


def test_a_changed_module_reports_every_finding_in_its_directory(repo: Path) -> None:
    assert hook("modules/ws/main.tf") == (1, ["BAA001 modules/ws/main.tf"])


def test_a_changed_organization_reports_what_it_decides(repo: Path) -> None:
    assert hook("orgs/orgs.yaml") == (1, ["BAA001 modules/ws/main.tf"])


def test_a_changed_config_puts_everything_in_scope(repo: Path) -> None:
    write_tree(repo, {".baa-lint.yaml": "fail-on: error\n"})
    assert hook(".baa-lint.yaml") == (1, ["BAA001 modules/ws/main.tf"])


def test_no_files_exits_zero_quietly(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--pre-commit"])
    assert (result.exit_code, result.output) == (0, "")


def test_runs_from_a_subdirectory(repo: Path) -> None:
    os.chdir(repo / "infra")
    code, lines = hook("prod/terraform.tfvars")
    assert code == 1 and lines == ["BAA001 ../modules/ws/main.tf".replace("../", str(repo) + "/")]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_end_to_end(tmp_path: Path) -> None:
    """The real pre-commit installs the hook from this repository and runs it."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install '.[dev]')")
    project = tmp_path / "project"
    write_tree(project, {k: v for k, v in REPO.items() if not k.startswith(".git/")})
    write_tree(project, {"infra/prod/.terraform/modules/x/main.tf": "not { valid"})
    _git("init", "-q", cwd=project)
    _git("add", ".", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(ROOT), "baa-lint", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    failing = try_repo("infra/prod/terraform.tfvars", "infra/prod/.terraform/modules/x/main.tf")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "modules/ws/main.tf:7:12: BAA001 [error]" in failing.stdout
    passing = try_repo("infra/dev/terraform.tfvars")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
    nothing = try_repo("README.md")
    assert nothing.returncode == 0 and "no files to check" in nothing.stdout.lower()


def test_scope_of_changed_files_by_directory_file_and_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a changed file puts in scope: its whole directory for Terraform, itself for the
    rest, everything for a configuration file; paths relative to the working directory and
    absolute ones alike, and a finding counts when its evidence is in scope."""
    from dataclasses import replace

    from linter.core.findings import Evidence, parse_error
    from linter.core.locations import Location
    from linter.filters.changed import focus, scope_of

    monkeypatch.chdir(tmp_path)
    scope = scope_of(["envs/prod/main.tf", str(tmp_path / "orgs.yaml")])
    assert not scope.everything
    assert scope.covers("envs/prod/other.tf")
    assert scope.covers(str(tmp_path / "envs" / "prod" / "x.tfvars"))
    assert scope.covers("./envs//prod/../prod/y.tf")
    assert not scope.covers("envs/prod/sub/main.tf")  # a module directory is not inside
    assert not scope.covers("envs/main.tf")
    assert scope.covers("orgs.yaml")
    assert not scope.covers("other.yaml")
    assert scope_of(["sub/.baa-lint.yaml"]).everything

    inside = parse_error("m", Location("envs/prod/main.tf", 1, 1))
    outside = parse_error("m", Location("modules/w/main.tf", 3, 1))
    through = replace(outside, evidence=(Evidence(Location("envs/prod/a.tfvars", 1, 1), "f"),))
    kept, _ = focus([inside, outside, through, outside], [], ["envs/prod/main.tf"])
    assert kept == (inside, through)
