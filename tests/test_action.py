"""The GitHub Action (action.yml): its shell steps run here, with a stand-in runner.

Each ``run:`` script is taken from action.yml and run with bash in a temporary directory, with
the environment the runner would give it and stubs for what it calls (the venv's python and
baa-lint), so the tests see exactly the argv baa-lint would receive.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"

pytestmark = pytest.mark.slow  # every test runs bash


def steps() -> list[dict[str, Any]]:
    document = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    assert document["runs"]["using"] == "composite"
    found: list[dict[str, Any]] = document["runs"]["steps"]
    return found


def step(name: str) -> dict[str, Any]:
    (found,) = [s for s in steps() if s.get("name") == name]
    return found


def stub(path: Path, body: str) -> Path:
    """An executable Python script at ``path`` (a stand-in for a program the step calls)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


RECORD_ARGV = (
    "import json, os, sys\n"
    "with open(os.environ['ARGV_LOG'], 'a', encoding='utf-8') as log:\n"
    "    log.write(json.dumps(sys.argv) + '\\n')\n"
)


def run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = step(name)["run"]
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def logged(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def venv_bin(tmp_path: Path) -> Path:
    """What the install step leaves: a bin directory with python and baa-lint (a recorder)."""
    bin_dir = tmp_path / "runner-temp" / "baa-lint-venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    stub(bin_dir / "baa-lint", RECORD_ARGV)
    return bin_dir


def run_baa_lint(
    venv_bin: Path, tmp_path: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    log = tmp_path / "argv.log"
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    env = {
        "ARGV_LOG": str(log),
        "BAA_LINT_BIN": str(venv_bin),
        "BAA_LINT_PATHS": inputs.get("paths", "."),
        "BAA_LINT_FAIL_ON": inputs.get("fail_on", "warning"),
        "BAA_LINT_SARIF": inputs.get("sarif", "baa-lint.sarif"),
        "BAA_LINT_ARGS": inputs.get("args", ""),
    }
    return run_step("Run baa-lint", env, work), logged(log)


def test_no_step_uses_setup_python_or_another_action() -> None:
    """actions/setup-python would change the Python of the job's later steps."""
    assert all("uses" not in s for s in steps())
    assert all(s.get("shell") == "bash" and "run" in s for s in steps())
    assert "setup-python" not in ACTION.read_text(encoding="utf-8")


def test_inputs_never_enter_a_script_text() -> None:
    """``${{ inputs.x }}`` inside a script is shell injection; inputs come through env."""
    for each in steps():
        assert "${{" not in each["run"], each["name"]


def test_quoted_args_reach_baa_lint_as_words(venv_bin: Path, tmp_path: Path) -> None:
    done, calls = run_baa_lint(
        venv_bin,
        tmp_path,
        paths='infra "my modules"',
        args="--var-file \"envs/prod.tfvars\" --var 'region=eu west' --baseline base.json",
        sarif="out/results.sarif",
        fail_on="error",
    )
    assert done.returncode == 0, done.stderr
    assert calls == [
        [
            str(venv_bin / "baa-lint"),
            "check",
            "infra",
            "my modules",
            "--format",
            "github",
            "--format",
            "sarif=out/results.sarif",
            "--fail-on",
            "error",
            "--var-file",
            "envs/prod.tfvars",
            "--var",
            "region=eu west",
            "--baseline",
            "base.json",
        ]
    ]


def test_inputs_cannot_run_commands(venv_bin: Path, tmp_path: Path) -> None:
    hostile = "$(touch subst) `touch tick` ; touch semi && touch and | touch pipe > redirect *"
    done, calls = run_baa_lint(venv_bin, tmp_path, paths=hostile, args=hostile)
    assert done.returncode == 0, done.stderr
    words = ["$(touch", "subst)", "`touch", "tick`", ";", "touch", "semi", "&&", "touch", "and"]
    words += ["|", "touch", "pipe", ">", "redirect", "*"]
    (argv,) = calls
    assert argv[2 : 2 + len(words)] == words  # the paths: words as typed, nothing expanded
    assert argv[-len(words) :] == words
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == []  # nothing was created


def test_an_unclosed_quote_is_one_error_line(venv_bin: Path, tmp_path: Path) -> None:
    done, calls = run_baa_lint(venv_bin, tmp_path, args='--var-file "envs/prod.tfvars')
    assert done.returncode != 0
    assert calls == []
    assert done.stderr.strip().splitlines() == [
        "::error::baa-lint action: input args: No closing quotation"
    ]


def test_default_inputs(venv_bin: Path, tmp_path: Path) -> None:
    done, calls = run_baa_lint(venv_bin, tmp_path)
    assert done.returncode == 0, done.stderr
    program = str(venv_bin / "baa-lint")
    formats = ["--format", "github", "--format", "sarif=baa-lint.sarif"]
    assert calls == [[program, "check", ".", *formats, "--fail-on", "warning"]]


PIP_OPTIONS = ("--disable-pip-version-check", "--quiet")


def test_install_makes_its_own_venv_under_runner_temp(tmp_path: Path) -> None:
    """The runner's python3 makes the venv; pip installs the action's checkout into it; the
    job's environment (PATH, GITHUB_ENV, GITHUB_PATH) is not touched."""
    log = tmp_path / "argv.log"
    venv_python = f"#!{sys.executable}\n{RECORD_ARGV}"  # records how pip is run
    fake_python3 = (
        f"{RECORD_ARGV}if sys.argv[1:3] == ['-m', 'venv']:\n"
        "    bin_dir = os.path.join(sys.argv[3], 'bin')\n"
        "    os.makedirs(bin_dir)\n"
        "    with open(os.path.join(bin_dir, 'python'), 'w') as script:\n"
        f"        script.write({venv_python!r})\n"
        "    os.chmod(os.path.join(bin_dir, 'python'), 0o755)\n"
    )
    tools = tmp_path / "tools"
    stub(tools / "python3", fake_python3)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    files = {name: tmp_path / name for name in ("output", "env", "path")}
    env = {
        "ARGV_LOG": str(log),
        "PATH": f"{tools}:/usr/bin:/bin",
        "RUNNER_TEMP": str(runner_temp),
        "ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_ENV": str(files["env"]),
        "GITHUB_PATH": str(files["path"]),
    }
    done = run_step("Install baa-lint", env, work)
    assert done.returncode == 0, done.stderr
    venv = runner_temp / "baa-lint-venv"
    assert logged(log) == [
        [str(tools / "python3"), "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", *PIP_OPTIONS, str(ROOT)],
    ]
    assert files["output"].read_text(encoding="utf-8") == f"bin={venv / 'bin'}\n"
    assert not files["env"].exists()
    assert not files["path"].exists()
