"""What worker processes hand back crosses as pickles (linter.core.workers.pickle_by_fields):
every value must come back equal, and each registered class pickles as a constructor call."""

from __future__ import annotations

import copyreg
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from linter.core import workers
from linter.core.locations import Location
from linter.inputs.discover import discover
from linter.lint import load
from linter.settings.config import Config

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_declarations_come_back_equal() -> None:
    config = Config(cache=False, jobs=1)
    parsed = load(discover([str(EXAMPLES)], config), config)
    declarations = [d for p in parsed for d in p.declarations]
    assert len(declarations) > 20
    back = pickle.loads(pickle.dumps(declarations, protocol=pickle.HIGHEST_PROTOCOL))
    # The tree nodes compare by identity (eq=False): compare what they print as.
    assert [repr(d) for d in back] == [repr(d) for d in declarations]


def test_a_registered_class_pickles_as_a_constructor_call() -> None:
    location = Location("main.tf", 3, 7)
    reduced = copyreg.dispatch_table[Location](location)
    assert reduced == (Location, ("main.tf", 3, 7))
    assert pickle.loads(pickle.dumps(location)) == location


def test_a_class_with_a_field_the_constructor_does_not_take_is_refused() -> None:
    @dataclass(frozen=True)
    class Derived:
        value: int
        twice: int = field(init=False, default=0)

    @dataclass(frozen=True, kw_only=True)
    class KeywordOnly:
        value: int

    for cls in (Derived, KeywordOnly):
        with pytest.raises(TypeError, match="positional"):
            workers.pickle_by_fields(cls)
        assert cls not in copyreg.dispatch_table
