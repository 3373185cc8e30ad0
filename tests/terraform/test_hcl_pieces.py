"""A large .tf file is parsed a piece at a time (hcl._in_pieces): the result must be exactly
that of one parse of the whole file, syntax errors included, wherever the pieces are cut."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from linter.core.locations import Location
from linter.terraform.syntax import hcl
from linter.terraform.syntax.ast import File

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for base in (REPO / "tests", REPO / "examples")
    for p in base.rglob("*.tf")
    if p.is_file() and p.stat().st_size < 200_000
)

HEREDOC = """resource "a" "b" {
  text = <<EOT
}
resource "inside" "the heredoc" {
  x = 1
}
EOT
}

resource "c" "d" {
  y = 2
}
"""

COMMENTED = """resource "a" "b" {
}
/*
}
resource "in" "a comment" {
}
*/
resource "c" "d" {
}
"""

TWICE = """x = 1

resource "a" "b" {
}

x = 2
"""

ERRORS_IN_ORDER = """resource "a" "b" {
  dup = 1
  dup = 2
}

resource "c" "d" {
  broken = [1, 2
}
"""


def parse(text: str) -> File | tuple[str, Location]:
    try:
        return hcl.parse_hcl(text, "main.tf")
    except hcl.HclSyntaxError as exc:
        return exc.message, exc.location


@pytest.fixture
def every_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces for every file, cut at every place a top-level item may start."""
    monkeypatch.setattr(hcl, "_PIECEWISE", 0)
    monkeypatch.setattr(hcl, "_PIECE", 0)


def whole(text: str, monkeypatch: pytest.MonkeyPatch) -> File | tuple[str, Location]:
    with monkeypatch.context() as patch:
        patch.setattr(hcl, "_PIECEWISE", 1 << 62)
        return parse(text)


@pytest.mark.parametrize("text", [HEREDOC, COMMENTED, TWICE, ERRORS_IN_ORDER])
def test_cuts_where_no_item_starts_change_nothing(
    text: str, every_cut: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(list(hcl._pieces(text.encode()))) > 1, "the text has places to cut"
    assert parse(text) == whole(text, monkeypatch)


def test_the_first_error_in_the_file_is_the_one_reported(
    every_cut: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = parse(ERRORS_IN_ORDER)
    assert isinstance(found, tuple)
    assert found == whole(ERRORS_IN_ORDER, monkeypatch)


def test_pieces_are_runs_of_whole_lines_that_cover_the_file(every_cut: None) -> None:
    source = ("\n".join(f'resource "a" "r{i}" {{\n  x = {i}\n}}\n' for i in range(500))).encode()
    pieces = list(hcl._pieces(source))
    assert len(pieces) > 1
    assert pieces[0][0] == 0 and pieces[-1][1] == len(source)
    for (_, end, _, (row, column)), (start, _, first_row, _) in itertools.pairwise(pieces):
        assert end == start and column == 0 and row == first_row
        assert source[end - 1 : end] == b"\n"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_fixture_parses_the_same_in_pieces(
    path: Path, every_cut: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    assert parse(text) == whole(text, monkeypatch)


def test_a_piece_whose_blanked_text_is_not_text_in_its_tree_is_not_used(
    every_cut: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Were the lexer to take a line of code in the third block for text, blanking it would
    # still parse (a blank line) with an attribute gone: the piece's check sees it.
    text = "".join(
        f'resource "a" "r{i}" {{\n  note = "some text worth blanking"\n  count = {i}\n}}\n\n'
        for i in range(5)
    )
    expected = whole(text, monkeypatch)
    line = text.index("  count = 2\n")
    real_ranges = hcl._text_ranges

    def with_code(
        source: bytes, first: int = 0, last: int | None = None
    ) -> Iterator[tuple[int, int]]:
        ranges = list(real_ranges(source, first, last))
        return iter(sorted([*ranges, (line, line + len("  count = 2"))]))

    monkeypatch.setattr(hcl, "_text_ranges", with_code)
    assert parse(text) == expected
