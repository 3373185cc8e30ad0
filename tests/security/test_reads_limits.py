"""Attacks on baa-lint's limits that concern reads (issue 11, item 12, taken from test_limits.py).

Huge config numbers and deep baselines are clear errors, a deep module chain is not a "cycle",
and `path.module` does not show the runner's directory.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import ZDR_YAML, Machine, write, zdr_tf

ORGANIZATION = zdr_tf().split("\n\n")[0] + "\n"  # the ZDR organization block alone


def assert_clean_failure(run_exit: int, stderr: str, mentions: str) -> None:
    """Either accepted, or a one-line usage error that names the problem: no internal error."""
    assert "Traceback" not in stderr
    assert "internal error" not in stderr, stderr.strip()
    if run_exit == 2:
        assert stderr.count("\n") == 1 and mentions in stderr, stderr


def test_huge_max_file_size_in_the_config(repo: Path, victim: Machine) -> None:
    config = "max-file-size: 99999999999999999999999\n"
    write(repo, {"orgs.yaml": ZDR_YAML, ".baa-lint.yaml": config})
    run = victim.check(".", cwd=repo)
    assert_clean_failure(run.exit_code, run.stderr, "max-file-size")
    if run.exit_code != 2:
        assert "BAA001 orgs.yaml:8:14" in run.located()


def test_deeply_nested_baseline(repo: Path, victim: Machine) -> None:
    write(repo, {"orgs.yaml": ZDR_YAML, "baseline.json": "[" * 100_000 + "]" * 100_000})
    run = victim.check(".", "--baseline", "baseline.json", cwd=repo)
    assert_clean_failure(run.exit_code, run.stderr, "baseline.json")


def test_deep_module_chain_is_not_a_cycle(repo: Path, victim: Machine) -> None:
    depth = 34  # over the limit of 32 nested modules; no module calls itself
    files = {"infra/main.tf": ORGANIZATION + 'module "m0" {\n  source = "../mods/m0"\n}\n'}
    for i in range(depth):
        files[f"mods/m{i}/main.tf"] = (
            f'module "m{i + 1}" {{\n  source = "../m{i + 1}"\n}}\n'
            if i < depth - 1
            else 'resource "anthropic_workspace" "deep" {\n  name = "deep"\n}\n'
        )
    write(repo, files)

    run = victim.check("infra", cwd=repo)

    cycles = [f"{f['path']}: {f['message']}" for f in run.findings if "cycle" in f["message"]]
    assert not cycles, f"a chain without a cycle was called one: {cycles}"
    assert run.findings, "the depth limit was hit without a finding"


def test_path_module_does_not_show_the_runners_directory(repo: Path, victim: Machine) -> None:
    write(repo, {"infra/main.tf": zdr_tf('"${path.module}/x"')})
    run = victim.run("check", ".", cwd=repo)
    assert "BAA001" in run.stdout
    shown = [line for line in run.stdout.splitlines() if str(repo) in line]
    assert not shown, f"path.module printed as an absolute path: {shown[0][:200]}"
