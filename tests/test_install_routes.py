"""The README's install routes name what exists: a branch of this repository, no tag, no PyPI.

The pre-commit snippet is run as written, with real pre-commit, against a clone of this
repository (a file:// URL in place of the GitHub one, the same ``rev``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GITHUB_URL = "https://github.com/baa-lint/baa-lint"

BAD = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: summaries
    models: [claude-fable-5]
"""
GOOD = "apiVersion: baa-lint/v1\nkind: Organization\nname: fine\nbaa_signed: true\n"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def yaml_block(title: str) -> str:
    match = re.search(r"```yaml\n(.*?)```", section(title), flags=re.S)
    assert match, f"no yaml block under '## {title}'"
    return match[1]


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def test_install_routes_name_refs_that_exist() -> None:
    """No tag and no PyPI release exist: every route names the main branch of the repository."""
    routes = "".join(section(t) for t in ("pre-commit", "GitHub Actions", "GitLab CI"))
    assert re.findall(r"\brev: (\S+)", routes) == ["main"]
    assert re.findall(r"baa-lint/baa-lint@([\w.-]+)", routes) == ["main", "main", "main"]
    assert not re.search(r"pip install (\"|')?baa-lint\b", routes)  # nothing on PyPI
    assert "v0.1.0" not in README.read_text(encoding="utf-8")


def test_gitlab_image_has_git_for_a_git_url() -> None:
    block = yaml_block("GitLab CI")
    image = re.search(r"image: (\S+)", block)
    assert image
    if "git+" in block:
        # The -slim and -alpine Python images have no git; pip cannot fetch a git+ URL there.
        installs_git = re.search(r"(apt-get|apk) .*\bgit\b", block)
        assert installs_git or not re.search(r"-(slim|alpine)", image[1]), image[1]


def _clone_with_the_working_tree(target: Path) -> None:
    """A clone of this repository whose ``main`` holds the working tree as it is now (what the
    README's ``rev: main`` would install once this is pushed)."""
    git("clone", "-q", "--no-hardlinks", str(ROOT), str(target), cwd=ROOT)
    tracked = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, tracked.split("\0")):
        source, copy = ROOT / name, target / name
        if source.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
        elif not source.exists() and copy.exists():
            copy.unlink()  # deleted in the working tree
    git("add", "-A", cwd=target)
    identity = ("-c", "user.name=test", "-c", "user.email=test@example.invalid")
    if git("status", "--porcelain", cwd=target):
        git(*identity, "commit", "-q", "-m", "working tree", cwd=target)
    git("update-ref", "refs/heads/main", "HEAD", cwd=target)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_readme_pre_commit_config_runs_as_written(tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install '.[dev]')")
    clone = tmp_path / "baa-lint"
    _clone_with_the_working_tree(clone)
    config = yaml_block("pre-commit")
    assert GITHUB_URL in config
    project = tmp_path / "project"
    write_tree(
        project,
        {
            ".pre-commit-config.yaml": config.replace(GITHUB_URL, clone.as_uri()),
            "bad/org.yaml": BAD,
            "good/org.yaml": GOOD,
        },
    )
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "run", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    failing = run("bad/org.yaml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "bad/org.yaml:7:14: BAA001 [error]" in failing.stdout
    passing = run("good/org.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
