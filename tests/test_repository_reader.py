"""The one read path for files that come through the repository (linter.core.files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.core.files import (
    OUTSIDE_REPOSITORY,
    OutsideRepositoryError,
    RepositoryReader,
    SourceError,
    is_below,
)
from linter.lint import lint
from linter.settings.config import Config
from tests.conftest import write_tree


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A repository and, beside it, a secret."""
    repo = tmp_path / "repo"
    write_tree(repo, {"inside.tf": "# inside\n"})
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2\n", encoding="utf-8")
    return repo, secret


def test_a_symlink_out_of_the_repository_is_never_opened(
    layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, secret = layout
    (repo / "link.tf").symlink_to(secret)
    opened: list[str] = []
    real_open = os.open

    def spy(path: str, *args: int, **kwargs: int) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    reader = RepositoryReader(repo)
    with pytest.raises(OutsideRepositoryError) as caught:
        reader.read_text(repo / "link.tf", "link.tf")
    assert (caught.value.message, str(caught.value.location)) == (OUTSIDE_REPOSITORY, "link.tf:1:1")
    for path in (secret, repo / ".." / "secret.txt"):
        with pytest.raises(OutsideRepositoryError):
            reader.read_bytes(path, "x", head=True)
    assert opened == []


def test_inside_the_repository_symlinks_included(layout: tuple[Path, Path]) -> None:
    repo, _ = layout
    (repo / "sub").mkdir()
    (repo / "sub" / "alias.tf").symlink_to("../inside.tf")
    (repo / "loop.tf").symlink_to("loop.tf")
    reader = RepositoryReader(repo)
    assert reader.read_text(repo / "sub" / "alias.tf", "sub/alias.tf") == "# inside\n"
    with pytest.raises(SourceError) as caught:
        reader.read_text(repo / "loop.tf", "loop.tf")
    assert not isinstance(caught.value, OutsideRepositoryError)
    assert caught.value.message == "cannot read file: Too many levels of symbolic links"


def test_a_file_the_user_named_may_be_anywhere(layout: tuple[Path, Path]) -> None:
    repo, secret = layout
    reader = RepositoryReader(repo, allowed=[secret])
    assert reader.read_text(secret, "secret.txt") == "hunter2\n"


def test_a_tfvars_symlink_inside_the_repository_is_read(in_tmp: Path) -> None:
    """Outside the linted directory but inside the repository: read, as Terraform does, and
    not reported as "not read"."""
    write_tree(
        in_tmp,
        {
            ".git/HEAD": "",
            "shared/common.auto.tfvars": 'name = "from-shared"\n',
            "infra/main.tf": 'variable "name" {}\n'
            'resource "anthropic_workspace" "w" {\n  name = var.name\n}\n',
        },
    )
    (in_tmp / "infra" / "common.auto.tfvars").symlink_to("../shared/common.auto.tfvars")
    result = lint(["infra"], Config(cache=False))
    # The name came from the linked tfvars file; the workspace declares no fact (BAA018).
    assert [f.rule for f in result.findings] == ["BAA018"]
    assert "workspace 'from-shared'" in result.findings[0].message


_PARTS = st.lists(st.sampled_from(["a", "b", "ab", ".", "..", ""]), max_size=5)


@settings(max_examples=1000)
@given(st.sampled_from(["", "/", "//"]), _PARTS, st.sampled_from(["", "/", "//"]), _PARTS, _PARTS)
def test_is_below_answers_as_commonpath_does(
    lead: str, root_parts: list[str], other_lead: str, shared: list[str], rest: list[str]
) -> None:
    """The quick prefix test of is_below gives the answer of os.path.commonpath, for roots
    in any spelling and paths below them, beside them or elsewhere."""
    root = lead + "/".join(root_parts)
    for path in (
        root + "/" + "/".join(rest),
        root + "/".join(rest),
        other_lead + "/".join(shared + rest),
        root,
    ):
        try:
            expected = os.path.commonpath([path, root]) == root
        except ValueError:
            expected = False
        assert is_below(path, root) == expected, (path, root)


@pytest.mark.parametrize(
    ("stated", "limit", "expected"),
    [
        (3_000_000, 3_000_001, 3_000_000),  # as fstat said: one read
        (0, 3_000_001, 3_000_000),  # a size of 0 that is not (as /proc files say)
        (10, 3_000_001, 3_000_000),  # longer than fstat said (written since): to its end
        (0, 5, 5),  # never past the limit
        (3_000_000, 1_000, 1_000),
    ],
)
def test_a_file_is_read_to_its_end_or_its_limit_whatever_fstat_said(
    tmp_path: Path, stated: int, limit: int, expected: int
) -> None:
    from linter.core.files import _read_up_to

    data = bytes(range(256)) * (3_000_000 // 256) + b"x" * (3_000_000 % 256)
    (tmp_path / "f").write_bytes(data)
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        assert _read_up_to(fd, limit, stated) == data[:expected]
    finally:
        os.close(fd)
