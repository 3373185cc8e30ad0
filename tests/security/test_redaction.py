"""Sensitive values never print, whichever way they travel (issue 11, item 4; SPEC §9).

Values of ``sensitive = true`` variables, and anything read from the environment, print as
``(sensitive)`` in every format, in ``show`` and in ``report`` — while the rules still decide on
the real values. These run baa-lint in-process (click's runner), every output at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.findings import Evidence, Finding, Severity
from linter.core.locations import Location

from ..conftest import working_directory
from .conftest import EVAL_MEMO, ZDR_TF, write, zdr_tf

SENSITIVE = "(sensitive)"
SECRET = "S3cr3t-db-Passw0rd-77"
SENSITIVE_VAR = 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


def invoke(args: list[str], env: Mapping[str, str] | None = None) -> Any:
    runner = CliRunner()
    return runner.invoke(cli, args, env=dict(env or {}), catch_exceptions=False)


def every_output(repo: Path, out: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """check in every format, show (text, JSON) and report (markdown, HTML, JSON)."""
    out.mkdir(parents=True, exist_ok=True)
    options = [a for name in FORMATS for a in ("--format", f"{name}={out / name}")]
    outputs: dict[str, str] = {}
    with working_directory(repo):
        check = invoke(["check", *options, "."], env)
        for name in FORMATS:
            outputs[name] = (out / name).read_text(encoding="utf-8")
        outputs["check (terminal)"] = check.output
        for fmt in ("text", "json"):
            outputs[f"show {fmt}"] = invoke(["show", "--format", fmt, "."], env).output
        for fmt in ("markdown", "html", "json"):
            outputs[f"report {fmt}"] = invoke(["report", "--format", fmt, "."], env).output
    return outputs


def findings(outputs: Mapping[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(outputs["json"])["findings"]
    return found


def assert_not_leaked(outputs: Mapping[str, str], *secrets: str) -> None:
    leaked = sorted({name for name, text in outputs.items() for s in secrets if s in text})
    assert not leaked, f"a sensitive value was printed in: {leaked}"


def baa001(outputs: Mapping[str, str]) -> dict[str, Any]:
    (found,) = [f for f in findings(outputs) if f["rule"] == "BAA001"]
    return found


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs get a home of their own: no user cache is touched or reused."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
    for name in [n for n in os.environ if n.startswith("TF_VAR_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"  # beside the repository, not in it


def test_through_a_local(repo: Path, out: Path) -> None:
    locals_ = 'locals {\n  name = "ws-${var.db_password}"\n}\n'
    write(repo, {"main.tf": SENSITIVE_VAR + locals_ + zdr_tf("local.name")})
    outputs = every_output(repo, out, {"TF_VAR_db_password": SECRET})
    assert_not_leaked(outputs, SECRET)
    assert baa001(outputs)["message"].startswith(f"workspace '{SENSITIVE}' of organization")
    assert SENSITIVE in outputs["show text"]


def test_through_a_module_input(repo: Path, out: Path) -> None:
    module = 'variable "suffix" {}\n' + ZDR_TF.replace("WORKSPACE_NAME", '"ws-${var.suffix}"')
    root = SENSITIVE_VAR + 'module "team" {\n  source = "./team"\n  suffix = var.db_password\n}\n'
    write(repo, {"main.tf": root, "team/main.tf": module})
    outputs = every_output(repo, out, {"TF_VAR_db_password": SECRET})
    assert_not_leaked(outputs, SECRET)
    assert SENSITIVE in baa001(outputs)["message"]


@pytest.mark.parametrize(
    "expression",
    [
        'format("ws-%s", var.db_password)',
        'join("-", ["ws", var.db_password])',
        "upper(var.db_password)",
        'var.db_password != "" ? "ws-${var.db_password}" : "ws"',
        'element(split(",", "a,${var.db_password}"), 1)',
        "nonsensitive(var.db_password)",  # the repository cannot unmask a secret
        '{ a = var.db_password }["a"]',
    ],
)
def test_through_functions_and_expressions(repo: Path, out: Path, expression: str) -> None:
    write(repo, {"main.tf": SENSITIVE_VAR + zdr_tf(expression)})
    outputs = every_output(repo, out, {"TF_VAR_db_password": SECRET})
    assert_not_leaked(outputs, SECRET, SECRET.upper())
    assert SENSITIVE in baa001(outputs)["message"]


def test_sensitive_variable_set_in_terraform_tfvars(repo: Path, out: Path) -> None:
    """Not from the environment: sensitive because the variable says so."""
    write(
        repo,
        {
            "main.tf": SENSITIVE_VAR + zdr_tf('"ws-${var.db_password}"'),
            "terraform.tfvars": f'db_password = "{SECRET}"\n',
        },
    )
    outputs = every_output(repo, out)
    assert_not_leaked(outputs, SECRET)
    found = baa001(outputs)
    assert found["message"].startswith(f"workspace '{SENSITIVE}'")


def test_sensitive_default(repo: Path, out: Path) -> None:
    declaration = SENSITIVE_VAR.replace("sensitive", f'default   = "{SECRET}"\n  sensitive')
    write(repo, {"main.tf": declaration + zdr_tf('"ws-${var.db_password}"')})
    outputs = every_output(repo, out)
    assert_not_leaked(outputs, SECRET)


def test_rules_still_decide_on_the_real_value(repo: Path, out: Path) -> None:
    """A Covered Model named by TF_VAR_ on a ZDR organization is still BAA001."""
    tf = 'variable "model" {}\n' + ZDR_TF.replace('["claude-fable-5"]', "[var.model]")
    tf = tf.replace("WORKSPACE_NAME", '"ws"')
    write(repo, {"main.tf": tf})
    outputs = every_output(repo, out, {"TF_VAR_model": "claude-fable-5"})
    found = baa001(outputs)
    assert (found["path"], found["line"], found["column"]) == ("main.tf", 12, 22)
    assert f"expects Covered Model '{SENSITIVE}'" in found["message"]
    assert "claude-fable-5" not in found["message"]
    notes = [e["fact"] for e in found["evidence"]]
    assert f"var.model = {SENSITIVE} (TF_VAR_model)" in notes
    show = json.loads(outputs["show json"])["configurations"]
    assert [c["models"] for c in show if c["name"] == "ws"] == [[SENSITIVE]]
    assert "claude-fable-5" not in outputs["show text"]


def test_a_sensitive_condition_makes_the_result_sensitive(repo: Path, out: Path) -> None:
    tf = 'variable "fable" {\n  type = bool\n}\n' + ZDR_TF.replace(
        '["claude-fable-5"]', '(var.fable ? ["claude-fable-5"] : ["claude-haiku-4-5"])'
    ).replace("WORKSPACE_NAME", '"ws"')
    write(repo, {"main.tf": tf})
    outputs = every_output(repo, out, {"TF_VAR_fable": "true"})
    assert f"Covered Model '{SENSITIVE}'" in baa001(outputs)["message"]
    assert "claude-fable-5" not in outputs["show text"]


def test_an_invalid_sensitive_value_is_not_quoted(repo: Path, out: Path) -> None:
    """Schema errors, conversion errors and did-you-means do not quote a secret either."""
    tf = zdr_tf('"ws"').replace(
        '  models          = ["claude-fable-5"]\n',
        '  models          = ["claude-fable-5"]\n'
        "  data_retention  = var.db_password\n"
        "  phi             = tonumber(var.db_password) > 1\n",
    )
    write(repo, {"main.tf": SENSITIVE_VAR + tf})
    outputs = every_output(repo, out, {"TF_VAR_db_password": "zdrr-s3cr3t"})
    assert_not_leaked(outputs, "zdrr-s3cr3t", "zdrr")
    rules = {f["rule"] for f in findings(outputs)}
    assert "BAA901" in rules  # the value is still checked against the schema


@pytest.mark.parametrize(
    ("files", "env"),
    [
        pytest.param({"terraform.tfvars": "models = S3cretUnquoted\n"}, {}, id="tfvars"),
        pytest.param({}, {"TF_VAR_models": '["a", S3cretUnquoted]'}, id="environment"),
    ],
)
def test_an_unreadable_sensitive_value_is_not_quoted(
    repo: Path, out: Path, files: dict[str, str], env: dict[str, str]
) -> None:
    """An error evaluating a sensitive value's text does not quote that text."""
    declaration = 'variable "models" {\n  type      = list(string)\n  sensitive = true\n}\n'
    tf = zdr_tf().replace('["claude-fable-5"]', "var.models")
    write(repo, {"main.tf": declaration + tf, **files})
    outputs = every_output(repo, out, env)
    assert_not_leaked(outputs, "S3cretUnquoted")
    assert "BAA013" in {f["rule"] for f in findings(outputs)}  # unresolved, and said so


def test_a_warm_run_still_redacts(repo: Path, tmp_path: Path) -> None:
    """Sensitivity survives the evaluation memo (the cache), wherever the cache lives."""
    write(repo, {"main.tf": SENSITIVE_VAR + zdr_tf('"ws-${var.db_password}"')})
    env = {"TF_VAR_db_password": SECRET}
    args = ["check", "--format", "json", "."]
    with working_directory(repo):
        cold = invoke(args, env).output
        warm = invoke(args, env).output
    memos = [p for root in (repo, tmp_path / "home") for p in root.rglob(EVAL_MEMO)]
    assert memos, "the evaluation memo was not written"
    assert SECRET not in cold and SECRET not in warm
    assert json.loads(cold)["findings"] == json.loads(warm)["findings"]


PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "anthropic_organization.org",
                    "mode": "managed",
                    "type": "anthropic_organization",
                    "name": "org",
                    "values": {"name": "acme", "type": "api", "zero_data_retention": True},
                    "sensitive_values": {},
                },
                {
                    "address": "anthropic_workspace.ws",
                    "mode": "managed",
                    "type": "anthropic_workspace",
                    "name": "ws",
                    "values": {"name": f"ws-{SECRET}", "models": ["claude-fable-5"]},
                    "sensitive_values": {"name": True, "models": [False]},
                },
            ]
        }
    },
}


def test_a_plan_marks_what_is_sensitive(repo: Path, out: Path) -> None:
    write(repo, {"plan.json": json.dumps(PLAN, indent=2)})
    outputs = every_output(repo, out)
    assert_not_leaked(outputs, SECRET)
    found = baa001(outputs)
    assert found["message"].startswith(f"workspace '{SENSITIVE}'")
    assert "'claude-fable-5'" in found["message"]  # not marked: printed


def test_an_address_built_from_an_environment_value(repo: Path, out: Path) -> None:
    """An address is an identity, not a value: the last pass masks the for_each key in it."""
    team = "team-from-env-5be1"
    tf = 'variable "team" {}\n' + zdr_tf("each.key").replace(
        'resource "anthropic_workspace" "ws" {\n',
        'resource "anthropic_workspace" "ws" {\n  for_each = toset([var.team])\n',
    )
    write(repo, {"main.tf": tf})
    outputs = every_output(repo, out, {"TF_VAR_team": team})
    assert_not_leaked(outputs, team)
    found = baa001(outputs)
    assert found["object"] == f'anthropic_workspace.ws["{SENSITIVE}"]'
    addresses = [c["address"] for c in json.loads(outputs["show json"])["configurations"]]
    assert f'anthropic_workspace.ws["{SENSITIVE}"]' in addresses


# --- the parts --------------------------------------------------------------------------------


def test_a_long_chain_keeps_its_sensitive_origin() -> None:
    from linter.core.model import Origin
    from linter.terraform.eval.operations import MAX_CHAIN, cap_chain

    here = Location("main.tf", 1, 1)
    plain = [Origin(Location("main.tf", i, 1), f"step {i}") for i in range(2, 20)]
    secret = Origin(here, "var.x = (value)", redacted="var.x = (sensitive)")
    chain = cap_chain([*plain[:6], secret, *plain[6:]])
    assert len(chain) == MAX_CHAIN
    assert any(o.sensitive for o in chain)


def test_the_last_pass_masks_whole_words_only() -> None:
    from linter.core.redact import Redactor

    redactor = Redactor(["prod", "team-5be1", "abc"], vocabulary=["standard"])
    finding = Finding(
        "BAA001",
        "covered-model-on-zdr",
        Severity.ERROR,
        "workspace 'team-5be1' in prod uses products and a 'prod-x' (abc)",
        Location("main.tf", 1, 1),
        object='anthropic_workspace.ws["team-5be1"]',
        evidence=(Evidence(Location("main.tf", 2, 1), "set in prod"),),
    )
    masked = redactor.finding(finding)
    assert masked.message == (
        "workspace '(sensitive)' in (sensitive) uses products and a '(sensitive)-x' (abc)"
    )
    assert masked.object == 'anthropic_workspace.ws["(sensitive)"]'
    assert masked.evidence[0].fact == "set in (sensitive)"
    assert Redactor(["standard"], vocabulary=["standard"]).text("standard") == "standard"
