"""Worker processes (linter.core.workers): what they hand back crosses as pickles (every value
comes back equal; each registered class pickles as a constructor call), and the work shared
between them and the main process comes back in order, each item done once."""

from __future__ import annotations

import copyreg
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
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


def _slow_squares(values: list[int]) -> list[int]:
    time.sleep(0.02 * len(values))  # (a worker slower than this process: the two meet late)
    return [value * value for value in values]


def _negated(values: list[int]) -> list[int]:
    return [-value for value in values]


def _slowly_negated(values: list[int]) -> list[int]:
    time.sleep(0.01 * len(values))
    return _negated(values)


@pytest.mark.parametrize(("count", "processes", "smallest"), [(1, 1, 1), (24, 1, 1), (97, 2, 3)])
def test_items_shared_with_workers_come_back_in_order_each_once(
    count: int, processes: int, smallest: int
) -> None:
    items = list(range(count))
    with workers_pool(processes) as pool:
        shared = workers.shared_with_workers(
            pool, processes, items, _slow_squares, _negated, smallest=smallest
        )
        runs = list(shared)
    values = [v for here, there in runs for v in (here if there is None else there)]
    done_here = [there is None for here, there in runs for _ in (here or there)]
    assert values == [-i if mine else i * i for i, mine in zip(items, done_here, strict=True)]
    # The workers took runs from the front, this process the rest, from the back.
    first_here = done_here.index(True) if True in done_here else len(items)
    assert not any(done_here[:first_here]) and all(done_here[first_here:])
    # Every run holds at least ``smallest`` items, but the two where the sides met.
    short = [i for i, (here, there) in enumerate(runs) if len(here or there) < smallest]
    assert len(short) <= 2


def test_runs_shrink_as_the_two_ends_meet() -> None:
    """The runs where the workers' side meets this process's are small beside the first:
    neither waits long at the end for the other's last run."""
    items = list(range(300))
    with workers_pool(1) as pool:
        shared = workers.shared_with_workers(pool, 1, items, _slow_squares, _slowly_negated)
        runs = list(shared)
    sizes = [len(here or there) for here, there in runs]
    meeting = next(i for i, (_, there) in enumerate(runs) if there is None)
    assert max(sizes[meeting - 1], sizes[meeting]) * 4 <= sizes[0]


def workers_pool(count: int) -> ProcessPoolExecutor:
    return workers.process_pool(count, int, ())


_MARKS: list[Path] = []  # where a worker notes what it did (a forked worker inherits it)


def _noted_squares(values: list[int]) -> list[int]:
    (_MARKS[0] / f"{values[0]}-{len(values)}").write_text("")
    return [value * value for value in values]


def test_a_worker_is_fed_while_this_process_is_on_a_long_run(tmp_path: Path) -> None:
    """This process's first run takes long (a huge root): the worker gets run after run
    meanwhile, rather than wait with its two until this process is back for more."""
    _MARKS[:] = [tmp_path]
    items = list(range(200))
    waited: list[bool] = []

    def long_first_run(values: list[int]) -> list[int]:
        if not waited:  # wait until the worker has done every item before this run, or 20 s
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                done = sum(int(mark.name.split("-")[1]) for mark in tmp_path.iterdir())
                if done >= len(items) - len(values):
                    break
                time.sleep(0.01)
            waited.append(time.monotonic() < deadline)
        return _negated(values)

    with workers_pool(1) as pool:
        runs = list(workers.shared_with_workers(pool, 1, items, _noted_squares, long_first_run))
    assert waited == [True]  # the worker did all the rest during the long run
    done_here = [there is None for here, there in runs for _ in (here or there)]
    values = [v for here, there in runs for v in (here if there is None else there)]
    assert values == [-i if mine else i * i for i, mine in zip(items, done_here, strict=True)]
    assert [there is None for _, there in runs] == [False] * (len(runs) - 1) + [True]
