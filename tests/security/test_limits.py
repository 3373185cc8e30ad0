"""Attacks on baa-lint's limits (issue 11, items 5, 6 and 7).

Any input that exhausts a limit gives a finding at that place, never a silent drop, a crash or
minutes of work, and one root module's cost never changes another root's verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ZDR_YAML, Machine, write, zdr_tf

BAA001 = "BAA001 infra/main.tf:11:22"


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
