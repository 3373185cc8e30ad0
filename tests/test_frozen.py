"""linter.core.frozen.quick_init: the same construction as the dataclass's own __init__."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from linter.core.frozen import quick_init
from linter.core.locations import Location
from linter.core.tree import MapEntry, MapNode, ScalarNode, UnknownNode


@quick_init
@dataclass(frozen=True, slots=True)
class _Base:
    first: int
    second: str = "two"


@quick_init
@dataclass(frozen=True, slots=True)
class _Point(_Base):
    items: list[int] = field(default_factory=list)
    cached: object = field(default=None, init=False, compare=False)


def test_parameters_defaults_and_factories_are_the_dataclass_ones() -> None:
    point = _Point(1)
    assert (point.first, point.second, point.items, point.cached) == (1, "two", [], None)
    assert _Point(1).items is not point.items  # a new list each time, as a factory makes
    assert _Point(1, "deux", [3]) == _Point(first=1, second="deux", items=[3])
    assert repr(_Point(1)) == "_Point(first=1, second='two', items=[], cached=None)"
    with pytest.raises(TypeError):
        _Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Point(1, cached=2)  # type: ignore[call-arg]


def test_instances_stay_frozen_and_copyable() -> None:
    point = _Point(1, "x", [2])
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.first = 2  # type: ignore[misc]
    assert dataclasses.replace(point, first=5) == _Point(5, "x", [2])
    assert pickle.loads(pickle.dumps(point)) == point


def test_a_class_without_slots_is_refused() -> None:
    @dataclass(frozen=True)
    class Plain:
        value: int

    with pytest.raises(TypeError, match="slots=True"):
        quick_init(Plain)


def test_declaration_nodes_build_as_before() -> None:
    where = Location("main.tf", 3, 5)
    scalar = ScalarNode(where, attr="phi", value=True, text="true")
    assert (scalar.location, scalar.attr, scalar.chain, scalar.value) == (where, "phi", (), True)
    assert UnknownNode(where).unknown.reason == "unknown"
    root = MapNode(where, entries=(MapEntry("phi", where, scalar),))
    assert root.get("phi") is scalar
    assert not hasattr(root, "__dict__")  # slotted: a run keeps every node to its end
