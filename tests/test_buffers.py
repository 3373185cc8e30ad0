"""Linting texts that stand for files (an editor's unsaved buffers, stdin): lint(sources=...).

A buffer's findings are those of its text, never of the file on disk, whatever the caches hold;
and a run with a buffer leaves the caches giving the disk's findings to the next run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.core.files import RepositoryReader
from linter.lint import lint
from linter.result import Result
from linter.settings.config import Config, PathPattern
from linter.terraform import listing
from tests.conftest import COVERED_ON_ZDR, TODAY, finding_keys, write_tree

ZDR_ORG = """\
apiVersion: baa-lint/v1
kind: Organization
name: acme-clinical
baa_signed: true
zero_data_retention: true
provider_alias: clinical
"""


HAIKU_ON_ZDR = COVERED_ON_ZDR.replace("claude-fable-5", "claude-haiku-4-5")

WORKSPACE = """\
resource "anthropic_workspace" "notes" {
  provider = anthropic.clinical
  name     = "notes"
  tags = {
    models = "claude-fable-5"
  }
}
"""

NOT_ANTHROPIC = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'


def _lint(paths: list[str], cache: Path | None, sources: dict[Path, str] | None = None) -> Result:
    config = Config(today=TODAY, cache=cache is not None, cache_dir=str(cache) if cache else None)
    return lint(paths, config, sources=sources)


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    (in_tmp / ".git").mkdir()
    return in_tmp


@pytest.mark.parametrize("warm", [False, True])
def test_a_yaml_buffer_is_linted_instead_of_the_file(repo: Path, warm: bool) -> None:
    write_tree(repo, {"orgs.yaml": HAIKU_ON_ZDR})
    cache = repo / "cache"
    if warm:
        assert finding_keys(_lint(["."], cache)) == []
    buffer = {repo / "orgs.yaml": COVERED_ON_ZDR}
    assert finding_keys(_lint(["."], cache, buffer)) == ["BAA001 orgs.yaml:8:14"]
    assert finding_keys(_lint(["."], cache)) == []  # the disk is as it was


@pytest.mark.parametrize("warm", [False, True])
def test_a_terraform_buffer_beats_the_pruning_scan_and_the_memo(repo: Path, warm: bool) -> None:
    # On disk main.tf names no Anthropic type: the scan rules the directory out, and remembers
    # that by the file's stat data. The buffer declares a workspace: it must be evaluated.
    write_tree(repo, {"orgs.yaml": ZDR_ORG, "infra/main.tf": NOT_ANTHROPIC})
    cache = repo / "cache"
    if warm:
        assert finding_keys(_lint(["."], cache)) == []
    buffer = {repo / "infra" / "main.tf": WORKSPACE}
    assert finding_keys(_lint(["."], cache, buffer)) == ["BAA001 infra/main.tf:5:14"]
    # Neither the scan nor the memo took the buffer's answers for the file's.
    assert finding_keys(_lint(["."], cache)) == []


@pytest.mark.parametrize("signed", [False, True])
def test_a_buffer_that_fixes_a_finding_with_a_warm_memo(
    repo: Path, signed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """signed: the memo trusts stat signatures at once (files are not "racily" new), so it
    would vouch for main.tf by its disk signature if it did not know the buffer is not disk."""
    if signed:
        monkeypatch.setattr(listing, "RACY_NS", 0)
    write_tree(repo, {"orgs.yaml": ZDR_ORG, "infra/main.tf": WORKSPACE})
    cache = repo / "cache"
    assert finding_keys(_lint(["."], cache)) == ["BAA001 infra/main.tf:5:14"]
    assert finding_keys(_lint(["."], cache)) == ["BAA001 infra/main.tf:5:14"]  # from the memo
    fixed = WORKSPACE.replace("claude-fable-5", "claude-haiku-4-5")
    assert finding_keys(_lint(["."], cache, {repo / "infra" / "main.tf": fixed})) == []
    assert finding_keys(_lint(["."], cache)) == ["BAA001 infra/main.tf:5:14"]


def test_a_buffer_not_saved_yet_is_linted(repo: Path) -> None:
    write_tree(repo, {"orgs.yaml": ZDR_ORG, "infra/other.tf": NOT_ANTHROPIC})
    cache = repo / "cache"
    new = {repo / "infra" / "new.tf": WORKSPACE}
    assert finding_keys(_lint(["."], cache, new)) == ["BAA001 infra/new.tf:5:14"]
    assert finding_keys(_lint(["infra/new.tf", "orgs.yaml"], cache, new)) == [
        "BAA001 infra/new.tf:5:14"
    ]
    new_dir = {repo / "fresh" / "orgs.yaml": COVERED_ON_ZDR}
    assert finding_keys(_lint(["."], None, new_dir)) == ["BAA001 fresh/orgs.yaml:8:14"]
    assert finding_keys(_lint(["."], cache)) == []


def test_an_unsaved_buffer_in_an_excluded_directory_is_not_linted(repo: Path) -> None:
    write_tree(repo, {"orgs.yaml": ZDR_ORG})
    buffers = {
        repo / ".terraform" / "modules" / "x.yaml": COVERED_ON_ZDR,
        repo / "legacy" / "y.yaml": COVERED_ON_ZDR,
    }
    config = Config(today=TODAY, cache=False, exclude=(PathPattern("legacy", str(repo)),))
    assert finding_keys(lint(["."], config, sources=buffers)) == []


def test_a_buffer_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {"inside.yaml": HAIKU_ON_ZDR})
    outside = tmp_path / "outside.yaml"
    outside.write_text(HAIKU_ON_ZDR, encoding="utf-8")
    (repo / "link.yaml").symlink_to(outside)
    reader = RepositoryReader(repo, buffers={outside: "secret", repo / "inside.yaml": "buffer"})
    assert reader.read_text(repo / "inside.yaml", "inside.yaml") == "buffer"
    with pytest.raises(Exception, match="outside the repository"):
        reader.read_text(repo / "link.yaml", "link.yaml")
    assert not reader.is_buffer(repo / "other.yaml")
    assert reader.buffers_in(tmp_path) == []  # the buffer's directory is outside the root


def test_a_buffer_reads_like_a_file(tmp_path: Path) -> None:
    """The same newline handling, size limit and binary check as a file on disk."""
    reader = RepositoryReader(tmp_path, buffers={tmp_path / "a.tf": "x\r\ny\rz\n"})
    assert reader.read_text(tmp_path / "a.tf", "a.tf") == "x\ny\nz\n"
    with pytest.raises(Exception, match="file too large"):
        reader.read_text(tmp_path / "a.tf", "a.tf", max_size=4)
    assert reader.read_bytes(tmp_path / "a.tf", "a.tf", 2, head=True) == b"x\r"
    binary = RepositoryReader(tmp_path, buffers={tmp_path / "b.tf": "a\x00b"})
    with pytest.raises(Exception, match="NUL bytes"):
        binary.read_text(tmp_path / "b.tf", "b.tf")
