"""An ordered, bounded map of a function over tasks, on a process pool or in this process.

Cleaning and sketching are per chunk of documents and need nothing from other chunks, so they run
on a ``concurrent.futures`` process pool. Results come back in task order (so everything built
from them is deterministic whatever the worker count), and at most a few tasks per worker are in
flight at once, so a reader that produces tasks faster than the workers consume them does not fill
the memory with pending chunks.

The workers start only when a second task arrives: a run over a handful of files never pays for
starting worker processes, and its results are the same either way. The fork server they are
forked from starts when the pool opens, so its imports run beside the reading of the first tasks.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import forkserver
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Tasks in flight per worker: enough to keep every worker busy while results are collected.
_IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """The cores this process may use (its CPU affinity), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(os.cpu_count() or 1, 1)


class TaskPool:
    """Runs ``fn(task)`` for every task, in order, on ``workers`` processes (1: in this process).

    ``initializer(*initargs)`` prepares each worker (and this process, when it runs tasks itself),
    e.g. compiles the config's rules once. Use as a context manager so the workers are shut down.
    """

    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> None:
        self.workers = max(workers, 1)
        self._initializer, self._initargs = initializer, initargs
        self._executor: ProcessPoolExecutor | None = None
        self._local_ready = False

    def __enter__(self) -> TaskPool:
        if self.workers > 1:
            # The fork server starts now and imports the task module on another core while this
            # process lists and reads the first inputs; started on the second task, the run waited
            # for those imports. A run of one chunk leaves it idle, but never waits for it.
            self._context()
            forkserver.ensure_running()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for each task in order; an exception in a task is raised here."""
        it = iter(tasks)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        if self.workers == 1 or second is None:
            yield from self._run_here(fn, first, second, it)
            return
        executor = self._start()
        pending: deque[Future[R]] = deque([executor.submit(fn, first), executor.submit(fn, second)])
        limit = self.workers * _IN_FLIGHT_PER_WORKER
        for task in it:
            if len(pending) >= limit:
                yield pending.popleft().result()
            pending.append(executor.submit(fn, task))
        while pending:
            yield pending.popleft().result()

    def _run_here(self, fn: Callable[[T], R], first: T, second: T | None, rest: Iterator[T]) -> Iterator[R]:
        if not self._local_ready:
            self._initializer(*self._initargs)
            self._local_ready = True
        yield fn(first)
        if second is not None:
            yield fn(second)
        for task in rest:
            yield fn(task)

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # forkserver: workers do not inherit this process's threads (a progress bar) or locks;
            # the server imports the task module once, so each worker starts without importing.
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=self._context(), initializer=self._initializer, initargs=self._initargs
            )
        return self._executor

    def _context(self) -> Any:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([getattr(self._initializer, "__module__", "__main__")])
        return context
