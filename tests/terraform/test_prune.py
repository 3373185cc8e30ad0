"""Pruning: which directories are parsed, and proof that it never changes a finding."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.lint import lint
from linter.settings.config import Config
from linter.terraform import listing
from linter.terraform.eval.modules import norm_key
from linter.terraform.prune import LOCAL_SOURCE, RECOGNISED, file_facts, scan
from tests.conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]


def relevant(tmp_path: Path, files: dict[str, str], dirs: list[str]) -> set[str]:
    write_tree(tmp_path, files)
    result = scan([tmp_path / d for d in dirs], tmp_path)
    return {Path(k).relative_to(norm_key(tmp_path)).as_posix() for k in result.relevant}


def test_directories_mentioning_a_recognised_type_and_their_callers(tmp_path: Path) -> None:
    found = relevant(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "platform" {\n  source = "../../modules/platform"\n}\nmodule "vpc" {\n  source = "../../modules/vpc"\n}\n',
            "modules/platform/main.tf": 'module "ws" {\n  source = "./workspaces"\n}\n',
            "modules/platform/workspaces/main.tf": 'resource "anthropic_workspace" "w" {}\n',
            "modules/vpc/main.tf": 'resource "aws_vpc" "v" {}\n',
            "envs/dev/main.tf": 'module "vpc" {\n  source = "../../modules/vpc"\n}\n',
        },
        ["envs/prod", "envs/dev"],
    )
    assert found == {"envs/prod", "modules/platform", "modules/platform/workspaces"}


def test_json_syntax_sources_and_types_are_seen(tmp_path: Path) -> None:
    found = relevant(
        tmp_path,
        {
            "root/main.tf.json": '{"module": {"m": {"source": "./child"}}}',
            "root/child/main.tf.json": '{"resource": {"anthropic_organization": {"o": {"name": "x"}}}}',
        },
        ["root"],
    )
    assert found == {"root", "root/child"}


def test_json_sources_with_escaped_slashes_are_seen(tmp_path: Path) -> None:
    """JSON may write "../x" as "..\\/x"; missed, the caller was pruned and its module taken
    for a root of its own (other addresses, other findings)."""
    found = relevant(
        tmp_path,
        {
            "root/main.tf.json": '{"module": {"m": {"source": "..\\/mods\\/child"}}}',
            "mods/child/main.tf": 'resource "anthropic_workspace" "w" {}\n',
        },
        ["root", "mods/child"],
    )
    assert found == {"root", "mods/child"}
    write_tree(tmp_path, {"mods/child/main.tf": 'resource "anthropic_workspace" "w" {\n}\n'})
    with_pruning = lint([str(tmp_path)], Config(cache=False))
    without = lint([str(tmp_path)], Config(cache=False, prune=False))
    assert [f.object for f in with_pruning.findings] == [f.object for f in without.findings]
    assert any("module.m" in f.object for f in without.findings)


def test_a_module_outside_the_repository_keeps_its_caller(tmp_path: Path) -> None:
    found = relevant(
        tmp_path / "repo",
        {"main.tf": 'module "x" {\n  source = "../../elsewhere"\n}\n'},
        ["."],
    )
    assert found == {"."}


def test_mentions_in_comments_only_cost_a_parse(tmp_path: Path) -> None:
    # Over-inclusion is safe: the directory is parsed and yields nothing.
    found = relevant(tmp_path, {"a/main.tf": "# see anthropic_workspace docs\n"}, ["a"])
    assert found == {"a"}


@pytest.mark.parametrize("target", ["examples", "tests/fixtures/cloud-tree"])
def test_pruning_never_changes_a_finding(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)

    def run(prune: bool) -> Any:
        result = lint([target], Config(prune=prune))
        return [
            (f.rule, str(f.location), f.object, f.message, f.evidence) for f in result.findings
        ], [c.address for c in result.configurations]

    assert run(True) == run(False)


def test_reading_ahead_in_worker_processes_finds_what_the_scan_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.terraform import prune
    from linter.terraform.prune import ScanCache

    files = {
        "envs/prod/main.tf": 'module "p" {\n  source = "../../modules/platform"\n}\n',
        "modules/platform/main.tf": 'resource "anthropic_workspace" "w" {}\n',
        "modules/vpc/main.tf": 'resource "aws_vpc" "v" {}\n',
        "json/main.tf.json": '{"module": {"m": {"source": "..\\\\/modules\\\\/vpc"}}}',
    }
    write_tree(tmp_path, files)
    dirs = [tmp_path / d for d in ("envs/prod", "modules/platform", "modules/vpc", "json")]
    serial_cache, ahead_cache = ScanCache(), ScanCache()
    serial = scan(dirs, tmp_path, serial_cache)
    monkeypatch.setattr(prune, "PARALLEL_MIN_BYTES", 0)  # workers even for a tiny tree
    ahead = scan(dirs, tmp_path, ahead_cache, jobs=2)
    assert (ahead.relevant, ahead.calls, ahead.mentions) == (
        serial.relevant,
        serial.calls,
        serial.mentions,
    )
    assert ahead_cache.entries == serial_cache.entries


_SOURCE_PIECES = st.sampled_from(
    [
        'source = "',
        'source="',
        '"source": "',
        "source_arn = ",
        "./",
        "../",
        "..\\/",
        ".\\/",
        "modules/x",
        '"',
        "\n",
        " ",
        "data_source",
        "=",
        ":",
        "anthropic_workspace",
        ".",
    ]
)


@given(st.lists(_SOURCE_PIECES, max_size=30).map("".join))
def test_the_quick_tests_of_a_file_say_what_the_patterns_say(text: str) -> None:
    """file_facts skips the patterns when plain substring tests show they cannot match: it
    must say exactly what the patterns alone say."""
    spelled = text.replace("\\/", "/")
    expected = (
        RECOGNISED.search(text) is not None,
        tuple(LOCAL_SOURCE.findall(spelled)),
    )
    assert file_facts(text) == expected


@pytest.mark.parametrize("link", ["modules/ws", "modules"])
def test_a_module_directory_that_is_a_symlink_out_keeps_its_caller(
    tmp_path: Path, link: str
) -> None:
    """A local source whose directory (or a parent of it) is a symlink leaving the repository
    is outside it, however its path reads: its caller is kept, as for ../../elsewhere."""
    outside = tmp_path / "outside"
    (outside / "ws").mkdir(parents=True)
    (outside / "ws" / "main.tf").write_text('resource "aws_vpc" "v" {}\n')
    repo = tmp_path / "repo"
    write_tree(repo, {"main.tf": 'module "x" {\n  source = "./modules/ws"\n}\n'})
    (repo / link).parent.mkdir(parents=True, exist_ok=True)
    (repo / link).symlink_to(outside / "ws" if link == "modules/ws" else outside)
    result = scan([repo], repo)
    assert norm_key(repo) in result.escapes
    assert norm_key(repo) in result.relevant


_BEFORE = 'resource "aws_vpc" "v" {}\n'
_AFTER = 'resource "anthropic_workspace" "w" {\n  name = "w"\n  phi  = true\n}\n'


def test_what_a_file_said_a_moment_after_it_changed_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit within the timestamp tick of the scan's read keeps the file's signature (size,
    inode, mtime and ctime alike: a coarse clock, an edit during the run). What the file said
    then must not keep its directory pruned in a later run."""
    tree = tmp_path / "repo"
    padding = "#" * (len(_AFTER) - len(_BEFORE) - 1) + "\n"
    write_tree(tree, {".git/HEAD": "ref: refs/heads/main\n", "main.tf": _BEFORE + padding})
    changed_ns = time.time_ns()  # every signature says: changed a moment before the run
    listed = listing._listed

    def same_signature(entry: os.DirEntry[str]) -> listing.ListedFile | None:
        item = listed(entry)
        if item is None or item.signature is None:
            return item
        inode, size, _, _ = item.signature
        return replace(item, signature=(inode, size, changed_ns, changed_ns))

    monkeypatch.setattr(listing, "_listed", same_signature)
    cached = Config(cache_dir=str(tmp_path / "cache"), jobs=1)
    assert lint([str(tree)], cached).findings == ()
    (tree / "main.tf").write_text(_AFTER)
    assert (tree / "main.tf").stat().st_size == len(_BEFORE + padding)
    found = lint([str(tree)], cached).findings
    assert found and found == lint([str(tree)], Config(cache=False, jobs=1)).findings
