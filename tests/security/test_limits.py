"""Attacks on baa-lint's limits (issue 11, items 5, 6 and 7).

Any input that exhausts a limit gives a finding at that place, never a silent drop, a crash or
minutes of work, and one root module's cost never changes another root's verdict.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import ZDR_YAML, Machine, write, zdr_tf

BAA001 = "BAA001 infra/main.tf:11:22"
ORGANIZATION = zdr_tf().split("\n\n")[0] + "\n"  # the ZDR organization block alone


# --- 5. A deep syntax tree drops a module silently --------------------------------------------


def deep_tf(blocks: int = 99, terms: int = 199) -> str:
    """A workspace whose attribute sits in ``blocks`` nested blocks around a long sum."""
    text = 'resource "anthropic_workspace" "deep" {\n  name = "deep"\n'
    text += "".join(f"  b{i} {{\n" for i in range(blocks))
    text += "  v = " + " + ".join(["1"] * terms) + "\n"
    text += "  }\n" * blocks
    return text + "}\n"


@pytest.mark.parametrize(
    ("jobs", "extra"),
    [
        pytest.param([], {}, id="sequential"),
        # Over the loader's threshold for worker processes (512 KiB to parse).
        pytest.param(["--jobs", "2"], {"infra/padding.tf": "# padding\n" * 60_000}, id="jobs-2"),
    ],
)
def test_deep_syntax_tree_beside_a_violation(
    repo: Path, victim: Machine, jobs: list[str], extra: dict[str, str]
) -> None:
    write(repo, {"infra/main.tf": zdr_tf(), "infra/deep.tf": deep_tf(), **extra})

    run = victim.check(".", *jobs, cwd=repo)

    assert run.exit_code != 2, f"exit 2: {run.stderr.strip()[:200]}"
    assert BAA001 in run.located(), f"the module beside the deep file was dropped: {run.located()}"
    assert run.exit_code == 1
    assert "BAA900" in [f["rule"] for f in run.findings if f["path"] == "infra/deep.tf"]


def test_deeply_nested_plan_json(repo: Path, victim: Machine) -> None:
    nested = "[" * 1_000 + "]" * 1_000
    plan = '{"format_version": "1.2", "planned_values": {"root_module": {}}, "x": ' + nested + "}"
    write(repo, {"orgs.yaml": ZDR_YAML, "plans/plan.json": plan})

    run = victim.check(".", cwd=repo)

    assert run.exit_code == 1, f"exit {run.exit_code}: {run.stderr.strip()[:200]}"
    assert "BAA001 orgs.yaml:8:14" in run.located()
    assert "BAA900" in [f["rule"] for f in run.findings if f["path"] == "plans/plan.json"]


# --- 6. One root starves another --------------------------------------------------------------

# Root "a-heavy" spends the evaluation budget: each concat() of 100,000 items costs 100,000.
HEAVY_ROOT = (
    'resource "anthropic_organization" "heavy" {\n'
    '  name       = "heavy-org"\n'
    '  type       = "api"\n'
    "  baa_signed = true\n"
    "}\n"
    "locals {\n"
    "  l    = range(10000)\n"
    "  burn = [for i in range(25) : length(concat(" + ", ".join(["local.l"] * 10) + "))]\n"
    "}\n"
    'resource "anthropic_workspace" "heavy" {\n'
    '  name            = "heavy"\n'
    "  organization_id = anthropic_organization.heavy.id\n"
    '  data_retention  = "standard"\n'
    "  models          = [sum(local.burn)]\n"
    "}\n"
)


def test_one_root_spending_the_budget_does_not_blind_another(repo: Path, victim: Machine) -> None:
    write(repo, {"a-heavy/main.tf": HEAVY_ROOT, "b-prod/main.tf": zdr_tf()})

    run = victim.check(".", "--fail-on", "error", cwd=repo)

    theirs = [(f["rule"], f["severity"]) for f in run.findings if f["path"] == "b-prod/main.tf"]
    assert ("BAA001", "error") in theirs, f"root b-prod lost its BAA001 to a-heavy: {theirs}"
    assert run.exit_code == 1


# --- 7. Minutes and gigabytes from 300 bytes --------------------------------------------------

HANG_GUARD = 60  # seconds before a run counts as hung and is killed: a failure, not a benchmark


def test_module_for_each_over_resource_count(repo: Path, victim: Machine) -> None:
    root = (
        ORGANIZATION + 'module "team" {\n'
        '  for_each = toset([for i in range(1000) : "t${i}"])\n'
        '  source   = "../ws"\n'
        "}\n"
    )
    workspaces = (
        'resource "anthropic_workspace" "w" {\n  count = 1000\n  name  = "w${count.index}"\n}\n'
    )
    write(repo, {"infra/main.tf": root, "ws/main.tf": workspaces})
    assert len(root) + len(workspaces) < 400

    try:
        run = victim.run("check", "--format", "json", ".", cwd=repo, timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"1,000 module instances x count 1,000 ran past {HANG_GUARD} s (killed)")
    at_the_call = [
        f for f in run.findings if f["rule"] == "BAA013" and f["path"] == "infra/main.tf"
    ]
    assert at_the_call, f"no BAA013 at the module call over the instance cap: {run.located()[:5]}"
