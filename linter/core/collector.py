"""How a lint run uses Python's cyclic garbage collector.

A run builds millions of small objects that live until it ends (syntax trees, values,
declarations) and makes little cyclic garbage. With the default thresholds (700, 10, 10) the
collector runs thousands of young collections and repeated full ones over that growing heap:
20-30% of a cold run on a dense repository, and the part that grew faster than the input
(bench/README.md has the measurements). During a run the collector therefore waits for many more
allocations before a young collection, and what the run keeps is frozen (exempt from every later
collection) once it is built. Both settings are put back when the run ends, so a program that
calls :func:`linter.lint.lint` (the editor server) keeps its own.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young collections every 50,000 net allocations instead of 700; a full collection needs 1,000
# middle-generation ones. Cyclic garbage is still collected, only in larger batches.
RUN_THRESHOLDS = (50_000, 50, 1_000)

# Runs under way in this process (tuned_collector nests: the editor server's lint calls).
_runs = 0


@contextmanager
def tuned_collector() -> Iterator[None]:
    """Raise the collector's thresholds for the duration of a run; unfreeze at its end."""
    global _runs  # noqa: PLW0603 - one count per process, as the collector is one
    saved = gc.get_threshold()
    gc.set_threshold(*RUN_THRESHOLDS)
    _runs += 1
    try:
        yield
    finally:
        _runs -= 1
        gc.set_threshold(*saved)
        gc.unfreeze()


def in_run() -> bool:
    """Whether a run (tuned_collector) is under way: only then may a stage freeze what it
    built, since only a run's end unfreezes it."""
    return _runs > 0


def keep_what_exists() -> None:
    """Exempt every object alive now from later collections (the run keeps them to its end).

    Called after a stage that built long-lived data (parsing, evaluation), so the collections
    that later stages cause do not traverse it again."""
    gc.collect(0)  # the young generation's garbage first: freezing it would keep it alive
    gc.freeze()


@contextmanager
def kept_without_collection() -> Iterator[None]:
    """Build data the run keeps to its end without the collector traversing it: paused while
    the block runs, and everything alive at its end frozen (as keep_what_exists, but with no
    young collection first, which would traverse what was just built).

    For blocks that make no cyclic garbage (loading a cache document, decoding remembered
    declarations): a warm run builds most of what it holds there, and young collections over
    it cost ~10% of the run. Garbage without cycles is still freed by reference counting;
    tuned_collector unfreezes at the run's end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
