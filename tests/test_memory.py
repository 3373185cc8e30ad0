"""What a run keeps alive, and how compactly: the values that live until a stage ends are
shared or slotted where a large repository makes hundreds of thousands of them. Equality,
ordering and output never change with that (the byte-identical benchmark outputs say so for
whole runs); these tests pin the pieces."""

from __future__ import annotations

import json

from linter.terraform.loader import _plain_shared
from linter.terraform.memo.store import plain_key


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
