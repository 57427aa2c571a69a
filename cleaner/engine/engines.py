"""The engines a run can use: worker processes on this machine, or a Dask cluster.

A run asks its engine for three things: an ordered map of a task function over chunks (cleaning),
the finishing of every chunk (strip boilerplate, write records, sketch), and the clustering of the
finished chunks' sketches. The local engine does the first two on a :class:`TaskPool` and clusters
in this process; the Dask engine (:mod:`cleaner.engine.dask_engine`, needs ``cleaner[dask]``) runs
the same task functions on a cluster and pairs and verifies the documents there. Both end in
:func:`~cleaner.dedup.index.cluster_verified`, so their results are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from cleaner.config import Config
from cleaner.dedup import DedupResult, DedupSettings, cluster_sketches
from cleaner.engine.pool import TaskPool
from cleaner.engine.tasks import Finished, FinishTask, finish_chunk, init_worker
from cleaner.errors import CleanerError, ConfigError

T = TypeVar("T")
R = TypeVar("R")

ENGINE_KINDS = ("local", "dask")
# What `pip install 'cleaner[dask]'` brings; an import of anything else failing is a bug, not a missing extra.
_DASK_PACKAGES = {"dask", "distributed"}


class Engine(Protocol):
    """What a run needs of an engine (see the module docstring)."""

    workers: int

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]: ...

    def finish(self, tasks: Iterable[FinishTask]) -> Iterator[Finished]: ...

    def cluster(
        self,
        finished: Sequence[Finished],
        settings: DedupSettings,
        distinct: Iterable[tuple[str, str]],
        merged: Iterable[tuple[str, str]],
    ) -> DedupResult: ...


@dataclass(frozen=True)
class EngineChoice:
    """Which engine a run uses and how: ``kind`` (``local`` or ``dask``), the Dask scheduler's
    address (empty: start a local Dask cluster), worker processes (of the pool or of the local
    cluster; a running cluster has its own), and how often Dask runs a failed task again."""

    kind: str
    scheduler: str
    workers: int
    retries: int

    @classmethod
    def from_config(
        cls, section: Mapping[str, Any], workers: int, kind: str | None = None, scheduler: str | None = None
    ) -> EngineChoice:
        """The ``[engine]`` section, with what the caller passed (the command line) taking precedence.

        A scheduler passed without a kind means Dask; the configured scheduler is used by the Dask
        engine only, so ``--engine local`` runs locally whatever the config names.
        """
        if kind is None:
            kind = "dask" if scheduler else section["kind"]
        if kind not in ENGINE_KINDS:
            raise ConfigError("engine.kind", f"must be one of {', '.join(ENGINE_KINDS)}, got {kind!r}")
        if scheduler and kind != "dask":
            raise CleanerError(f"a Dask scheduler ({scheduler}) is given but the engine is {kind!r}; use --engine dask")
        address = (scheduler or section["scheduler"]).strip() if kind == "dask" else ""
        return cls(kind, address, workers, section["retries"])


class LocalEngine:
    """The process pool of this machine; clustering in this process, with verification in blocks on
    the pool when there are many candidate pairs."""

    def __init__(self, pool: TaskPool) -> None:
        self.pool = pool
        self.workers = pool.workers

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        return self.pool.map(fn, tasks)

    def finish(self, tasks: Iterable[FinishTask]) -> Iterator[Finished]:
        return self.pool.map(finish_chunk, tasks)

    def cluster(
        self,
        finished: Sequence[Finished],
        settings: DedupSettings,
        distinct: Iterable[tuple[str, str]],
        merged: Iterable[tuple[str, str]],
    ) -> DedupResult:
        sketches = (f.sketches for f in finished)
        return cluster_sketches(sketches, settings, distinct, merged, map_blocks=self.pool.map, blocks=self.workers)


@contextmanager
def open_engine(
    choice: EngineChoice,
    config: Config,
    progress: Callable[[str, int, int], None],
    notify: Callable[[str], None],
) -> Iterator[Engine]:
    """The chosen engine, shut down (workers stopped, a local cluster closed) on leaving.

    ``progress(stage, done, total)`` reports stages the engine runs itself; ``notify(message)``
    tells the user where to watch (the Dask dashboard's address).
    """
    if choice.kind == "local":
        with TaskPool(choice.workers, init_worker, (config,)) as pool:
            yield LocalEngine(pool)
        return
    try:
        from cleaner.engine.dask_engine import DaskEngine
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in _DASK_PACKAGES:
            raise  # a fault of cleaner's own, not a missing extra
        raise CleanerError(
            f"the Dask engine needs Dask ({exc.name} is not installed): pip install 'cleaner[dask]'"
        ) from None
    with DaskEngine.open(choice, config, progress, notify) as engine:
        yield engine
