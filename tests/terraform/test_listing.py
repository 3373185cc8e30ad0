"""One listing per directory (linter.terraform.listing), shared by the pruning scan, the loader
and the evaluation memo: what each of them would have seen on its own."""

from __future__ import annotations

import os
from pathlib import Path

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
