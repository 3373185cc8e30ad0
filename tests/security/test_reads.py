"""Attacks that make baa-lint read files outside the repository (issue 11, items 3 and 10).

Every file that comes through the repository (tfvars, auto.tfvars, module files, plan files,
config `var-files`) must resolve inside the repository root, symlinks included; a file outside
is a BAA900 "outside the repository, not read" and is truly not read: its content never
reaches any output. A `--var-file` typed on the command line is the user's choice and may be
anywhere. A file that cannot be read is a finding, never skipped in silence.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import FORMATS, Machine, Run, write, zdr_tf

SECRET = "hunter2Sup3rS3cret9f8e7d"  # one word: valid HCL as a bare name in a .env file


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """The runner's credentials, outside the repository."""
    directory = tmp_path / "runner-secrets"
    directory.mkdir()
    (directory / ".env").write_text(f"db_password={SECRET}\n", encoding="utf-8")
    (directory / "credentials.json").write_text(
        json.dumps({"db_password": SECRET}), encoding="utf-8"
    )
    (directory / "prod.tfvars").write_text(f'db_password = "{SECRET}"\n', encoding="utf-8")
    workspace = (
        'resource "anthropic_workspace" "leak" {\n'
        f'  name   = "{SECRET}"\n'
        '  models = ["claude-fable-5"]\n'
        "}\n"
    )
    (directory / "leak.tf").write_text(workspace, encoding="utf-8")
    return directory


def assert_never_printed(outputs: dict[str, str], secret: str = SECRET) -> None:
    leaked = [name for name in FORMATS if secret in outputs[name]]
    assert not leaked, f"content of a file outside the repository printed in: {leaked}"


def assert_outside_finding(run: Run, path: str | None) -> None:
    """A BAA900 saying the file is outside the repository (at ``path``, when given)."""
    found = [
        f
        for f in run.findings
        if f["rule"] == "BAA900"
        and "outside the repository" in f["message"]
        and (path is None or f["path"] == path)
    ]
    assert found, f"no BAA900 'outside the repository' at {path}: {run.located()}"


# The root module reads var.db_password where its value is printed.
ROOT_READING_PASSWORD = 'variable "db_password" {\n  type = string\n}\n' + zdr_tf().replace(
    "  models ", "  data_retention  = var.db_password\n  models "
)


@pytest.mark.parametrize(
    ("link", "target"),
    [("prod.auto.tfvars", ".env"), ("prod.auto.tfvars.json", "credentials.json")],
)
def test_auto_tfvars_symlinked_to_a_secret(
    tmp_path: Path, repo: Path, secrets: Path, victim: Machine, link: str, target: str
) -> None:
    write(repo, {"infra/main.tf": ROOT_READING_PASSWORD})
    (repo / "infra" / link).symlink_to(secrets / target)

    run, outputs = victim.run_formats(".", cwd=repo, reports=tmp_path / "reports")

    assert_never_printed(outputs)
    assert_outside_finding(run, f"infra/{link}")


def test_module_file_symlinked_from_outside(
    tmp_path: Path, repo: Path, secrets: Path, victim: Machine
) -> None:
    """Linting `infra`, whose module `modules/ws` has a .tf linked to a file elsewhere."""
    root = zdr_tf().split("\n\n")[0] + '\nmodule "ws" {\n  source = "../modules/ws"\n}\n'
    write(repo, {"infra/main.tf": root, "modules/ws/variables.tf": "# the module\n"})
    (repo / "modules" / "ws" / "leak.tf").symlink_to(secrets / "leak.tf")

    run, outputs = victim.run_formats("infra", cwd=repo, reports=tmp_path / "reports")

    assert_never_printed(outputs)
    assert_outside_finding(run, "modules/ws/leak.tf")


def test_module_under_node_modules_symlinked_from_outside(
    tmp_path: Path, repo: Path, secrets: Path, victim: Machine
) -> None:
    """node_modules/ is never walked, so nothing marks its links as leaving the tree."""
    root = zdr_tf().split("\n\n")[0] + '\nmodule "ws" {\n  source = "../node_modules/acme-ws"\n}\n'
    write(repo, {"infra/main.tf": root, "node_modules/acme-ws/variables.tf": "# the module\n"})
    (repo / "node_modules" / "acme-ws" / "main.tf").symlink_to(secrets / "leak.tf")

    run, outputs = victim.run_formats(".", cwd=repo, reports=tmp_path / "reports")

    assert_never_printed(outputs)
    assert_outside_finding(run, "node_modules/acme-ws/main.tf")


ROOT_NAMED_BY_PASSWORD = (
    'variable "db_password" {\n  type    = string\n  default = "placeholder"\n}\n'
    + zdr_tf("var.db_password")
)


@pytest.mark.parametrize("where", ["absolute", "parent"])
def test_config_var_files_outside_the_repository(
    tmp_path: Path, repo: Path, secrets: Path, victim: Machine, where: str
) -> None:
    var_file = (
        str(secrets / "prod.tfvars") if where == "absolute" else "../runner-secrets/prod.tfvars"
    )
    config = f"var-files: [{json.dumps(var_file)}]\n"
    write(repo, {"infra/main.tf": ROOT_NAMED_BY_PASSWORD, ".baa-lint.yaml": config})

    run, outputs = victim.run_formats(".", cwd=repo, reports=tmp_path / "reports")

    assert_never_printed(outputs)
    assert_outside_finding(run, None)


def test_var_file_on_the_command_line_may_be_anywhere(
    tmp_path: Path, repo: Path, victim: Machine
) -> None:
    """Not an attack: the user typed it. It is read (here it makes the model a Covered one)."""
    elsewhere = tmp_path / "operator" / "prod.tfvars"
    elsewhere.parent.mkdir()
    elsewhere.write_text('model = "claude-fable-5"\n', encoding="utf-8")
    root = 'variable "model" {\n  default = "claude-haiku-4-5"\n}\n' + zdr_tf().replace(
        '["claude-fable-5"]', "[var.model]"
    )
    write(repo, {"infra/main.tf": root})

    run = victim.check(".", "--var-file", str(elsewhere), cwd=repo)

    assert "BAA001 infra/main.tf:14:22" in run.located()
    assert not [f for f in run.findings if "outside the repository" in f["message"]]


# --- 10. An unreadable plan file is skipped silently ------------------------------------------


def test_unreadable_plan_file_is_a_finding(repo: Path, victim: Machine) -> None:
    """A plan file that cannot be read (a symlink loop: ELOOP, even for root) is reported."""
    write(repo, {"plans/README.md": "terraform show -json plan.out > plan.json\n"})
    (repo / "plans" / "plan.json").symlink_to("plan.json")

    run = victim.check(".", cwd=repo)

    assert [f["rule"] for f in run.findings if f["path"] == "plans/plan.json"] == ["BAA900"], (
        f"the unreadable plan was skipped silently: {run.located()}"
    )
    assert run.exit_code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_plan_file_without_read_permission_is_a_finding(repo: Path, victim: Machine) -> None:
    plan = {"format_version": "1.2", "planned_values": {"root_module": {}}}
    write(repo, {"plans/plan.json": json.dumps(plan)})
    (repo / "plans" / "plan.json").chmod(0)
    try:
        run = victim.check(".", cwd=repo)
    finally:
        (repo / "plans" / "plan.json").chmod(0o644)
    assert [f["rule"] for f in run.findings if f["path"] == "plans/plan.json"] == ["BAA900"]
    assert run.exit_code == 1
