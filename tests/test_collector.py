"""kept_without_collection: data a run keeps is built with the collector paused, then frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from linter.core.collector import kept_without_collection


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_frozen_and_resumed_after() -> None:
    gc.enable()
    with kept_without_collection():
        assert not gc.isenabled()
        kept = [[i] for i in range(1_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_count()[0] < len(kept)  # what was built is not waiting for a collection


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    with kept_without_collection():
        pass
    assert not gc.isenabled()


def test_resumed_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(ValueError), kept_without_collection():
        raise ValueError("x")
    assert gc.isenabled()


def test_garbage_without_cycles_is_still_freed() -> None:
    import weakref

    class Thing:
        pass

    with kept_without_collection():
        thing = Thing()
        ref = weakref.ref(thing)
        del thing
    assert ref() is None
