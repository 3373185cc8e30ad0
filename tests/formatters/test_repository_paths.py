"""CI reports name files relative to the repository root, whatever the working directory.

GitHub code scanning, GitHub annotations and GitLab's widget resolve paths against the
repository and match alerts between runs by path and fingerprint: a run from a subdirectory
must give the same SARIF and GitLab documents as a run from the root. Text output keeps the
paths the user typed (relative to the working directory), as ruff does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.locations import SourceRoot
from tests.conftest import working_directory, write_tree

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: summaries
    # baa-lint: ignore[BAA012] tracked in MIG-8
    models: [claude-fable-5, claude-fabel-5]
"""
FILE = "examples/quickstart/org.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "other").mkdir()
    write_tree(root, {FILE: ZDR_ORG})
    return root


def reports(cwd: Path, target: str) -> dict[str, str]:
    """Each CI format's document for ``target``, linted from ``cwd``."""
    out = cwd.parent / f"out-{cwd.name}"
    out.mkdir(exist_ok=True)
    names = ("sarif", "gitlab", "json", "github")
    args = ["check", target, "--no-cache", *(f"--format={n}={out / n}" for n in names)]
    with working_directory(cwd):
        result = CliRunner().invoke(cli, [*args, "--format", "text"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    documents = {name: (out / name).read_text(encoding="utf-8") for name in names}
    documents["text"] = result.output
    return documents


def sarif_uris(document: str) -> set[str]:
    def walk(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["uri"]] if "uri" in node and "uriBaseId" in node else []
            return own + [u for value in node.values() for u in walk(value)]
        if isinstance(node, list):
            return [u for value in node for u in walk(value)]
        return []

    return set(walk(json.loads(document)))


def test_sarif_and_gitlab_are_the_same_from_any_directory(repo: Path) -> None:
    from_root = reports(repo, "examples/quickstart")
    from_examples = reports(repo / "examples", "quickstart")
    from_sibling = reports(repo / "other", "../examples/quickstart")
    for name in ("sarif", "gitlab"):
        assert from_examples[name] == from_root[name], name
        assert from_sibling[name] == from_root[name], name
    assert sarif_uris(from_examples["sarif"]) == {FILE}
    assert {issue["location"]["path"] for issue in json.loads(from_examples["gitlab"])} == {FILE}


def test_sarif_names_no_absolute_path_of_the_runner(repo: Path) -> None:
    document = reports(repo / "examples", "quickstart")["sarif"]
    assert str(repo) not in document
    assert repo.as_uri() not in document
    (run,) = json.loads(document)["runs"]
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base and base["description"]["text"]


def test_fingerprints_do_not_follow_the_working_directory(repo: Path) -> None:
    from_root = json.loads(reports(repo, "examples/quickstart")["json"])
    from_examples = json.loads(reports(repo / "examples", "quickstart")["json"])
    assert [f["fingerprint"] for f in from_examples["findings"]] == [
        f["fingerprint"] for f in from_root["findings"]
    ]
    # JSON paths stay relative to the working directory, like the text output's.
    assert from_examples["findings"][0]["path"] == "quickstart/org.yaml"


def test_github_annotations_name_the_repository_path(repo: Path) -> None:
    github = reports(repo / "examples", "quickstart")["github"]
    commands = [line for line in github.splitlines() if line.startswith("::")]
    assert commands
    assert all(line.split(" ", 1)[1].startswith(f"file={FILE},") for line in commands)


def test_text_keeps_paths_relative_to_the_working_directory(repo: Path) -> None:
    text = reports(repo / "examples", "quickstart")["text"]
    assert text.startswith("quickstart/org.yaml:")
    sibling = reports(repo / "other", "../examples/quickstart")["text"]
    assert sibling.startswith(f"{repo.as_posix()}/{FILE}:")  # outside the working directory


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("quickstart/org.yaml", "examples/quickstart/org.yaml"),
        ("/r/modules/x.tf", "modules/x.tf"),
        ("/elsewhere/x.tf", "/elsewhere/x.tf"),  # outside the repository: as it is
        ("<command line>", "<command line>"),
        ("<environment>", "<environment>"),
    ],
)
def test_source_root_relative(path: str, expected: str) -> None:
    assert SourceRoot("/r/examples", "/r").relative(path) == expected


def test_a_source_root_without_a_repository_keeps_paths() -> None:
    assert SourceRoot().relative("a/b.yaml") == "a/b.yaml"
