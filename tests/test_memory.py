"""What a run keeps alive, and how compactly: the values that live until a stage ends are
shared or slotted where a large repository makes hundreds of thousands of them. Equality,
ordering and output never change with that (the byte-identical benchmark outputs say so for
whole runs); these tests pin the pieces."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from linter.core.files import RepositoryReader
from linter.core.parsed import ParsedFile
from linter.inputs.discover import InputFile, display_path
from linter.terraform.loader import FileLoader, _plain_shared
from linter.terraform.memo.store import plain_key
from linter.terraform.options import TerraformOptions


def _shape(value: object) -> object:
    """A value's types all the way down, to compare shapes, not only equality."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_shape(item) for item in value])
    return type(value).__name__


KEYS = [
    (1, "envs/a/main.tf", 3, 5, (("team", (1, 0, "k")), ("", (0, 2, ""))), "module.team", "/r"),
    (0, "main.tf", 1, 1, (("", (2, 0, "")),), "anthropic_organization.org", "/r"),
    (1, "x.tf", 2, 1, (), "a.b", ""),
]


def test_a_shared_sort_key_is_the_plain_key_in_value_and_shape() -> None:
    shared: dict[tuple[object, ...], list[object]] = {}
    for key in KEYS:
        compact = _plain_shared(key, shared)
        assert compact == plain_key(key)
        assert _shape(compact) == _shape(plain_key(key))
        assert json.dumps(compact) == json.dumps(plain_key(key))


def test_equal_parts_of_sort_keys_are_one_object() -> None:
    shared: dict[tuple[object, ...], list[object]] = {}
    order = (("", (2, 0, "")),)
    first = _plain_shared((1, "a.tf", 1, 1, order, "x.a", "/r"), shared)
    equal = tuple(part for part in order)  # an equal key part, another object
    assert equal is not order
    second = _plain_shared((1, "b.tf", 9, 1, equal, "x.b", "/r"), shared)
    assert first[4] is second[4]
    path = "envs/prod/main.tf"
    assert _plain_shared((1, path, 1, 1, order, "x.a", "/r"), shared)[1] is path


def test_keys_with_other_values_read_as_their_json_round_trip() -> None:
    # True == 1 and 1.0 == 1: a part made of them must not be shared with an integer's.
    shared: dict[tuple[object, ...], list[object]] = {}
    assert json.dumps(_plain_shared((0, (1,)), shared)) == "[0, [1]]"
    for key in [(0, (True,)), (0, (1.0,)), (0, True), (0, None, ("a", (None,)))]:
        compact = _plain_shared(key, shared)
        assert json.dumps(compact) == json.dumps(plain_key(key))
        assert _shape(compact) == _shape(plain_key(key))


def test_a_parsed_file_is_slotted_and_reads_its_text_once() -> None:
    reads: list[str] = []

    def source() -> str:
        reads.append("read")
        return "text"

    parsed = ParsedFile("a.tf", source)
    assert not hasattr(parsed, "__dict__")
    assert reads == []  # nothing read until asked
    assert parsed.text == "text"
    assert parsed.text == "text"
    assert reads == ["read"]
    assert parsed == ParsedFile("a.tf", source)  # what was read is no part of its identity
    assert replace(parsed, directive_free=True).text == "text"
    assert ParsedFile("b.tf", "inline").text == "inline"


def _fresh(text: str) -> str:
    """An equal string that is another object (not a constant of this module)."""
    return "".join(list(text))


def test_input_files_are_slotted_and_share_equal_paths(tmp_path: Path) -> None:
    first = InputFile(_fresh("envs/a/main.tf"), _fresh("/r/envs/a/main.tf"), "terraform")
    second = InputFile(_fresh("envs/a/main.tf"), _fresh("/r/envs/a/main.tf"), "terraform")
    assert not hasattr(first, "__dict__")
    assert first == second
    assert first.display is second.display
    assert first.file is second.file
    shown = display_path(tmp_path / "envs" / "a" / "main.tf", tmp_path)
    assert shown == "envs/a/main.tf"
    assert shown is first.display


def test_a_terraform_file_keeps_a_slotted_reader_of_its_text(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "x" {}\n')
    loader = FileLoader(TerraformOptions(), tmp_path, reader=RepositoryReader(tmp_path))
    assert loader.module_files(tmp_path)
    parsed = loader.parsed_file(tmp_path / "main.tf")
    assert parsed is not None
    assert not isinstance(parsed.source, str)
    assert not hasattr(parsed.source, "__dict__")
    assert parsed.text == 'variable "x" {}\n'
