"""Python's cyclic garbage collector paused while a run works, as it was before afterwards.

A run allocates millions of small objects (documents, their removals, lines, rule answers) and
keeps many of them for a while (a chunk's documents until they are written; the rule caches for
the whole run), so the collector's passes kept traversing them: about a tenth of the CPU of the
workers and of the main process (bench/RESULTS.md, session 5). Cleaning makes no reference
cycles, and a whole run leaves the same few hundred unreachable objects at 5,000 documents as at
20,000, so nothing piles up while the collector rests; reference counting frees the rest as
before, and the collector, enabled again, sees what is left at its next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (or, as a decorator, the call); restore its state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
