"""Worker processes, for the stages that fan out over a repository's files (the pruning scan's
reading, the Terraform work): one way to start them."""

from __future__ import annotations

import copyreg
import dataclasses
import operator
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from linter.core.locations import Location, Span
from linter.core.model import Fact
from linter.core.tree import Declaration, MapEntry, MapNode, OrgLink, ScalarNode, SeqNode

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

ItemT = TypeVar("ItemT")
HereT = TypeVar("HereT")
ThereT = TypeVar("ThereT")

# fork starts a worker in milliseconds with the run's modules loaded; elsewhere, spawn.
START_METHOD = "fork" if sys.platform == "linux" else "spawn"


def process_pool(
    workers: int, initializer: Callable[..., object], initargs: tuple[object, ...]
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, each set up by ``initializer(*initargs)``."""
    # Imported here: most runs (every warm one) start no worker, and these cost ~10 ms.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(START_METHOD)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs
    )


def shared_with_workers(
    pool: ProcessPoolExecutor,
    workers: int,
    items: Sequence[ItemT],
    in_worker: Callable[[list[ItemT]], ThereT],
    here: Callable[[list[ItemT]], HereT],
    *,
    smallest: int = 1,
) -> Iterator[tuple[HereT | None, ThereT | None]]:
    """``items`` worked on in runs, by the pool's ``workers`` and by this process, each run's
    result as (done here, None) or (None, done by a worker), in the items' order.

    The workers take runs from the front, this process from the back, until they meet; a run
    is a share of what is left (never fewer than ``smallest`` items), so runs shrink as the two
    ends close in and neither waits long for the other's last one. Each worker has at most
    two runs handed to it at a time (one at work, one queued): a run handed to a worker cannot
    be taken back, so more would leave this process waiting for them at the end. A thread
    hands the next run to a worker as soon as one of its runs is done, however long this
    process's own run takes. What this process does itself is never pickled."""
    shares = _Shares(pool, workers, items, in_worker, smallest)
    shares.hand_out()  # the workers fork now, before the thread that feeds them starts
    feeder = threading.Thread(target=shares.feed, name="baa-lint-feeder", daemon=True)
    feeder.start()
    kept: dict[int, tuple[int, HereT]] = {}
    try:
        while (taken := shares.take_back()) is not None:
            start, run = taken
            kept[start] = (start + len(run), here(run))
    finally:
        shares.stop()
        feeder.join()
    index = 0
    while index < len(items):
        if index in kept:
            index, mine = kept.pop(index)
            yield mine, None
        else:
            index, future = shares.sent.pop(index)
            yield None, future.result()


class _Shares(Generic[ItemT, ThereT]):
    """The runs of shared_with_workers: handed to the workers from the front (by the caller
    first, then by a feeding thread), taken by the caller from the back."""

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        workers: int,
        items: Sequence[ItemT],
        in_worker: Callable[[list[ItemT]], ThereT],
        smallest: int,
    ) -> None:
        self._pool = pool
        self._workers = workers
        self._items = items
        self._in_worker = in_worker
        self._smallest = smallest
        self._lock = threading.Lock()
        self._front = 0
        self._back = len(items)
        self._stopped = False
        self.sent: dict[int, tuple[int, Future[ThereT]]] = {}  # by first item: (end, result)

    def _run_size(self) -> int:
        return max(self._smallest, (self._back - self._front) // (RUN_SHARES * (self._workers + 1)))

    def _busy(self) -> list[Future[ThereT]]:
        return [future for _, future in self.sent.values() if not future.done()]

    def hand_out(self) -> list[Future[ThereT]]:
        """Runs to the workers until each has two; the runs at work (empty: nothing is left)."""
        with self._lock:
            busy = self._busy()
            while len(busy) < 2 * self._workers and self._front < self._back and not self._stopped:
                end = min(self._back, self._front + self._run_size())
                try:
                    future = self._pool.submit(
                        self._in_worker, list(self._items[self._front : end])
                    )
                except RuntimeError:  # a broken or shut-down pool: this process does the rest
                    self._stopped = True
                    break
                self.sent[self._front] = (end, future)
                self._front = end
                busy.append(future)
            return [] if self._front >= self._back or self._stopped else busy

    def feed(self) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait  # a pool imported it already

        while busy := self.hand_out():
            wait(busy, return_when=FIRST_COMPLETED)

    def take_back(self) -> tuple[int, list[ItemT]] | None:
        with self._lock:
            if self._front >= self._back:
                return None
            start = max(self._front, self._back - self._run_size())
            run = list(self._items[start : self._back])
            self._back = start
            return start, run

    def stop(self) -> None:
        with self._lock:
            self._stopped = True


# How finely work is shared: a run is 1/RUN_SHARES of what each process has left to do.
RUN_SHARES = 4


def pickle_by_fields(*classes: type[Any]) -> None:
    """Pickle each of these frozen dataclasses as a call of its constructor with its fields.

    What workers hand back is mostly declarations: tens of thousands of small slotted
    dataclasses, which pickle by default through dataclasses' own __getstate__/__setstate__
    (a fields() call and a loop per object). As a constructor call they pickle 2.6x and
    unpickle 3.2x faster (dense corpus: 10,783 declarations, 1.30 s -> 0.50 s and 0.70 s ->
    0.22 s), and the unpickling is the main process's, while it has work of its own."""
    for cls in classes:
        fields = dataclasses.fields(cls)
        if any(not item.init or item.kw_only for item in fields):
            raise TypeError(f"{cls.__name__}: every field must be a positional parameter")
        copyreg.pickle(cls, _by_fields(cls, [item.name for item in fields]))


def _by_fields(cls: type[Any], names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda item: (cls, (values(item),))
    return lambda item: (cls, values(item))


# Registered when this module is imported: before any pool starts (fork copies the table; a
# spawned worker imports this module too, through the stage that starts it).
pickle_by_fields(Location, Span, ScalarNode, MapEntry, MapNode, SeqNode, Declaration, Fact, OrgLink)
