"""Worker processes, for the stages that fan out over a repository's files (the pruning scan's
reading, the Terraform work): one way to start them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

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
