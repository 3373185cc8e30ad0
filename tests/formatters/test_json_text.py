"""The JSON output's text is json.dumps(indent=2, ensure_ascii=False) of its document, written
by the format's own writer (json.dumps with an indent is its slow pure-Python encoder): the
same text for any plain data, and json.dumps itself for anything else."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.output.formats.json_format import indented_json, indented_pieces

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def expected(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_plain_data_is_written_as_json_dumps_writes_it(data: Any) -> None:
    assert indented_json(data) == expected(data)


def test_text_that_json_escapes_and_odd_numbers() -> None:
    data = {
        'quote"back\\slash': ["\n\t\x00\x1f", "é名\u2028\ud800", "", {}, []],
        "numbers": [0, -1, 10**30, 0.1, -0.0, 1e300, math.inf, -math.inf, math.nan],
        "nested": {"a": [{"b": [[]]}], "c": {}},
    }
    assert indented_json(data) == expected(data)


def test_what_is_not_plain_goes_to_json_dumps() -> None:
    class Text(str):
        pass

    for data in ({1: "int key"}, ("a", "tuple"), {"k": Text("sub")}, [True, 1, {"x": (1,)}]):
        assert indented_json(data) == expected(data)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), _PLAIN | st.lists(_PLAIN, max_size=4), max_size=4))
def test_members_given_as_iterators_are_written_as_arrays(data: dict[str, Any]) -> None:
    # The report's findings are made as they are written: an iterator member stands for the
    # array it yields, and the text is json.dumps's of that array.
    streamed = {k: iter(v) if isinstance(v, list) else v for k, v in data.items()}
    assert "".join(indented_pieces(streamed)) == expected(data)


def test_a_piece_that_is_not_plain_is_indented_where_it_stands() -> None:
    data = {"k": [1, {"x": (1, 2)}], "m": {"n": (3,)}, "t": ("a",)}
    assert indented_json(data) == expected(data)
    streamed = {"k": iter([1, {"x": (1, 2)}]), "m": {"n": (3,)}, "t": ("a",)}
    assert "".join(indented_pieces(streamed)) == expected(data)


def test_each_finding_of_a_report_is_a_piece_of_its_own() -> None:
    pieces = list(indented_pieces({"version": "1", "findings": iter([{"a": 1}, {"b": 2}])}))
    assert len(pieces) >= 4  # the member, each item, the end
    assert "".join(pieces) == expected({"version": "1", "findings": [{"a": 1}, {"b": 2}]})
