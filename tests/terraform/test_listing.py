"""One listing per directory (linter.terraform.listing), shared by the pruning scan, the loader
and the evaluation memo: what each of them would have seen on its own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from linter.inputs.discover import SeenEntries, discover
from linter.settings.config import Config, PathPattern
from linter.terraform.listing import Listings


def test_regular_files_symlinks_and_others(tmp_path: Path) -> None:
    (tmp_path / "b.tf").write_text("# b\n", encoding="utf-8")
    (tmp_path / "A.TF.JSON").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    (tmp_path / "dir.tf").mkdir()
    (tmp_path / "link.tf").symlink_to(tmp_path / "b.tf")
    (tmp_path / "dangling.tf").symlink_to(tmp_path / "missing.tf")
    os.mkfifo(tmp_path / "fifo.tf")

    listed = Listings().files(str(tmp_path))
    assert listed is not None
    by_name = {Path(item.path).name: item for item in listed}
    # Regular files and symlinks to one; not directories, FIFOs or dangling links.
    assert sorted(by_name) == ["A.TF.JSON", "b.tf", "link.tf"]
    info = os.lstat(tmp_path / "b.tf")
    assert by_name["b.tf"].signature == (
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    )
    assert by_name["b.tf"].regular and not by_name["link.tf"].regular
    assert [item.path for item in listed] == sorted(item.path for item in listed)


def test_only_a_regular_file_has_an_lstat_signature(tmp_path: Path) -> None:
    (tmp_path / "b.tf").write_text("# b\n", encoding="utf-8")
    (tmp_path / "link.tf").symlink_to(tmp_path / "b.tf")
    listings = Listings()
    assert listings.lstat_signature(str(tmp_path / "b.tf")) is None, "not listed yet"
    listings.files(str(tmp_path))
    info = os.lstat(tmp_path / "b.tf")
    assert listings.lstat_signature(str(tmp_path / "b.tf")) == (
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    )
    # A link's own signature says nothing of its target: the memo must read it.
    assert listings.lstat_signature(str(tmp_path / "link.tf")) is None


def test_a_directory_that_cannot_be_listed(tmp_path: Path) -> None:
    assert Listings().files(str(tmp_path / "missing")) is None


def test_each_directory_is_listed_once(tmp_path: Path) -> None:
    listings = Listings()
    first = listings.files(str(tmp_path))
    (tmp_path / "late.tf").write_text("", encoding="utf-8")
    assert listings.files(str(tmp_path)) == first == ()


def _odd_directory(tmp_path: Path) -> Path:
    """A directory with every kind of entry a listing tells apart, one of them excluded."""
    directory = tmp_path / "mod"
    directory.mkdir()
    (directory / "b.tf").write_text("# b\n", encoding="utf-8")
    (directory / "A.TF.JSON").write_text("{}", encoding="utf-8")
    (directory / "skipped.tf").write_text("# excluded from linting, still in the module\n")
    (directory / "notes.txt").write_text("", encoding="utf-8")
    (directory / "dir.tf").mkdir()
    (directory / "link.tf").symlink_to(directory / "b.tf")
    (directory / "dangling.tf").symlink_to(directory / "missing.tf")
    os.mkfifo(directory / "fifo.tf")
    return directory


def test_a_listing_from_discovery_is_the_listing_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _odd_directory(tmp_path)
    monkeypatch.chdir(tmp_path)  # where the exclude's path is relative to
    seen: SeenEntries = {}
    excluded = Config(exclude=(PathPattern("mod/skipped.tf", str(tmp_path)),))
    files = discover([str(tmp_path)], excluded, cwd=tmp_path, entries=seen)
    assert "mod/skipped.tf" not in [f.display for f in files]
    assert str(directory) in seen
    assert Listings(seen).files(str(directory)) == Listings().files(str(directory))


def test_a_directory_discovery_walked_is_not_listed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _odd_directory(tmp_path)
    seen: SeenEntries = {}
    discover([str(tmp_path)], Config(), cwd=tmp_path, entries=seen)
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path: str) -> Any:
        listed.append(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listings = Listings(seen)
    assert listings.files(str(directory))
    assert listings.files(str(tmp_path / "elsewhere")) is None  # not walked: listed here
    assert listed == [str(tmp_path / "elsewhere")]
