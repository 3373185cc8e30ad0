"""Worker processes (linter.core.workers): what they hand back crosses as pickles (every value
comes back equal; each registered class pickles as a constructor call), and the work shared
between them and the main process comes back in order, each chunk done once."""

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


def _slow_square(value: int) -> int:
    import time

    time.sleep(0.05)  # (a worker slower than this process: the two meet late)
    return value * value


def test_chunks_shared_with_workers_come_back_in_order_each_once() -> None:
    chunks = list(range(24))
    with workers.process_pool(1, int, ()) as pool:
        results = list(workers.shared_with_workers(pool, chunks, _slow_square, lambda v: -v))
    assert len(results) == len(chunks)
    values = [here if there is None else there for here, there in results]
    done_here = [there is None for _, there in results]
    assert values == [-c if mine else c * c for c, mine in zip(chunks, done_here, strict=True)]
    # The workers took a run from the first, this process the rest, from the last.
    first_here = done_here.index(True)
    assert not any(done_here[:first_here]) and all(done_here[first_here:])
