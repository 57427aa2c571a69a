"""The run on a Dask cluster: the same chunk tasks, with pairing and verification on the workers.

``cleaner run --engine dask`` starts a ``LocalCluster`` (``--scheduler ADDRESS``: connects to a
running one). What runs where:

- The client (the ``cleaner run`` process) reads the inputs and cuts them into chunks, as the
  local engine does: numbering documents in input order and refusing duplicate ids needs one pass
  over the inputs.
- Cleaning and finishing are :func:`~cleaner.engine.tasks.clean_chunk` and
  :func:`~cleaner.engine.tasks.finish_chunk`, submitted one task per chunk with a bounded number
  in flight; a task that raises is run again up to ``engine.retries`` times (Dask's ``retries``),
  and one that still fails stops the run with its chunk's inputs named, never dropped.
- Each finished chunk's band keys stay on its worker. The band step is a group-by in Dask
  (``dask.bag.groupby``, shuffled as tasks): every chunk sends its documents' ``(band, key)``
  rows to a bucket chosen by the key, and each bucket pairs the documents whose keys agree in a
  band. The pairs are grouped once more, by pair, so that each pair is verified exactly once, by
  :func:`~cleaner.dedup.index.verify_pairs` on a worker, reading the shingle sets from the spilled
  files. Only the linked pairs and the similarity histograms come back.
- Exact copies (equal whole-signature keys) are found on the client from one key per document,
  with the local engine's own :func:`~cleaner.dedup.lsh.exact_copies`, so both engines band the
  same documents and list the same candidate pairs.
- Clustering (components, canonical choice, guard against chaining, review decisions) runs on the
  client over the linked pairs with :func:`~cleaner.dedup.index.cluster_verified`, the function the
  local engine ends with; the results are identical by construction.

Workers write their chunks' part files, ``docs/`` files and shingle files into the run's work
folder beside ``--out``, and the client reads them back to merge the output, so on a cluster of
several machines that folder must be on storage all of them see, at the same path. With
``[output] layout = "parts"`` the workers also write the corpus itself, one part per chunk
(:func:`~cleaner.engine.tasks.write_part`, submitted like the chunk tasks), and the client merges
only the removal and comment records.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import os
import pickle
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import dask
import dask.bag as db
import numpy as np
from distributed import Client, Future, LocalCluster, as_completed, futures_of, wait

from cleaner.config import Config
from cleaner.dedup import DedupResult, DedupSettings
from cleaner.dedup.index import Verified, cluster_verified, drop_unlinkable, screen_data, verify_pairs
from cleaner.dedup.lsh import exact_copies, optimal_param, pairs_in_band, unique_pairs
from cleaner.dedup.normalize import fmix64
from cleaner.dedup.screen import ScreenData
from cleaner.dedup.store import ShingleCollection
from cleaner.engine.engines import EngineChoice
from cleaner.engine.tasks import CleanTask, Finished, FinishTask, PartTask, finish_chunk, init_worker
from cleaner.errors import CleanerError

T = TypeVar("T")
R = TypeVar("R")

# Chunk tasks in flight per worker thread: enough to keep every worker busy while the client
# collects results in order, few enough that pending chunks do not fill the scheduler's memory.
_IN_FLIGHT_PER_THREAD = 2
# Band rows (16 bytes each) per partition entering the band group-by: a task-based shuffle costs
# tasks per partition, so consecutive chunks share one partition of about this many rows; there
# are at least two partitions per worker thread, so that the work spreads.
_ROWS_PER_PARTITION = 1_000_000
# Buckets per partition: keys are grouped into buckets (all rows of one band key in one bucket,
# vectorised within it), and several buckets per partition even out what each partition receives.
_BUCKETS_PER_PARTITION = 4
# Dask's nanny starts workers with this glibc setting, which also fixes the threshold above which
# malloc maps memory afresh: every large numpy temporary then costs page faults, and sketching
# runs about three times slower. The local cluster starts its workers without it.
_TRIM = "MALLOC_TRIM_THRESHOLD_"


class DaskEngine:
    """A run's tasks on a Dask cluster, through one client (see the module docstring)."""

    def __init__(
        self, client: Client, choice: EngineChoice, config: Config, progress: Callable[[str, int, int], None]
    ) -> None:
        self.client, self.retries, self.config = client, choice.retries, config
        self.progress = progress
        self._run = uuid.uuid4().hex[:8]
        self._nthreads: dict[str, int] = {}
        self._nthreads_at = -math.inf
        self.workers = len(self._worker_threads())
        self._inputs: dict[int, str] = {}
        self._serial = itertools.count()  # numbers tasks that are not chunks, for their keys
        self._work = Path()  # the run's work folder, known from its first chunk task
        self._spilled: dict[str, _Spilled] = {}  # what every task of a kind reads, in the work folder
        self._chunks: dict[int, _Spilled] = {}  # chunks in the work folder whose cleaning is under way
        self._band_keys: list[Future] = []  # per finished chunk, its band keys, kept on a worker

    @classmethod
    @contextmanager
    def open(
        cls,
        choice: EngineChoice,
        config: Config,
        progress: Callable[[str, int, int], None],
        notify: Callable[[str], None],
    ) -> Iterator[DaskEngine]:
        """Connect to ``choice.scheduler``, or start a local cluster of ``choice.workers`` processes
        with one thread each (cleaning is Python code that holds the interpreter lock)."""
        cluster = None
        if choice.scheduler:
            try:
                client = Client(choice.scheduler, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise CleanerError(
                    f"cannot reach the Dask scheduler at {choice.scheduler}: {exc}; start one with "
                    f"`dask scheduler` and workers with `dask worker {choice.scheduler}`, or check the address"
                ) from None
        else:
            with dask.config.set({f"distributed.nanny.pre-spawn-environ.{_TRIM}": None}):
                cluster = LocalCluster(n_workers=choice.workers, threads_per_worker=1, processes=True)
            client = Client(cluster, set_as_default=False)
        try:
            if not client.nthreads():
                notify(f"Dask: waiting for a worker to join the scheduler at {client.scheduler.address}")
                client.wait_for_workers(1)
            engine = cls(client, choice, config, progress)
            notify(f"Dask: {engine.workers} workers; dashboard {client.dashboard_link}")
            found = client.run(os.environ.get, _TRIM, on_error="ignore").values()
            trimmed = sorted({value for value in found if value is not None})
            if trimmed:
                notify(
                    f"Dask: the workers run with {_TRIM}={', '.join(trimmed)}, which makes sketching about three "
                    "times slower; start them without it (see the README's Dask section)"
                )
            # This run's client serves Dask's helpers (wait, as_completed) without becoming the
            # process-wide default of a caller that has Dask clients of its own.
            with client.as_current():
                yield engine
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``fn(task)`` for every task on the cluster, results in task order (a failed task raises
        :class:`CleanerError` naming its chunk's inputs)."""
        pending: deque[tuple[int, Future]] = deque()
        for task in tasks:
            index = task.index if isinstance(task, CleanTask | FinishTask | PartTask) else next(self._serial)
            if isinstance(task, CleanTask):
                self._inputs[index] = _describe(task)
            while len(pending) >= self._in_flight():
                yield self._result(*pending.popleft())
            pending.append((index, self._submit(fn, task, index)))
        while pending:
            yield self._result(*pending.popleft())

    def finish(self, tasks: Iterable[FinishTask]) -> Iterator[Finished]:
        """Finish every chunk, in order. Each chunk's band keys stay on a worker for :meth:`cluster`;
        the rest of its result comes back. The full result is let go at once: should the keys be
        lost with their worker, Dask finishes the chunk again (its input is kept until the end)."""
        light: deque[tuple[int, Future]] = deque()
        self._band_keys = []
        for task in tasks:
            full = self._submit(finish_chunk, replace(task, keep=True), task.index)
            name = f"{self._run}-{task.index:06d}"
            self._band_keys.append(self.client.submit(_band_keys, full, key=f"band-keys-{name}"))
            light.append((task.index, self.client.submit(_without_keys, full, key=f"sketches-{name}")))
        while light:
            yield self._result(*light.popleft())

    def cluster(
        self,
        finished: Sequence[Finished],
        settings: DedupSettings,
        distinct: Iterable[tuple[str, str]],
        merged: Iterable[tuple[str, str]],
    ) -> DedupResult:
        """Pair and verify on the cluster, cluster the linked pairs here (see the module docstring)."""
        if len(finished) != len(self._band_keys):
            raise ValueError("cluster() takes the chunks finish() returned, all of them and in order")
        clock = time.perf_counter()
        parts = [f.sketches for f in finished]
        starts = np.cumsum([0, *(len(p) for p in parts)])
        documents = int(starts[-1])
        whole = np.concatenate([p.whole for p in parts]) if parts else np.empty(0, np.uint64)
        sizes = np.concatenate([p.sizes for p in parts]) if parts else np.empty(0, np.int64)
        leaders, copies = exact_copies(whole, np.flatnonzero(sizes > 0))
        banded = np.zeros(documents, bool)
        banded[leaders] = True
        bands, _ = optimal_param(settings.lsh_threshold, settings.num_perm)
        partitions = max(2 * self._threads(), math.ceil(len(leaders) * bands / _ROWS_PER_PARTITION))
        partitions = min(partitions, len(parts))
        timings = {"seconds_merge": time.perf_counter() - clock}
        verified = Verified()
        if parts:
            clock = time.perf_counter()
            self.progress("pairs", 0, 1)
            candidates = self._candidates(starts, banded, copies, partitions)
            self.progress("pairs", 1, 1)
            timings["seconds_candidates"] = time.perf_counter() - clock
            clock = time.perf_counter()
            shingles = ShingleCollection([p.shingles for p in parts])
            verified = self._verified(candidates, shingles, screen_data(parts), settings)
            timings["seconds_verify"] = time.perf_counter() - clock
        return cluster_verified(parts, verified, settings, distinct, merged, timings)

    def _candidates(self, starts: np.ndarray, banded: np.ndarray, copies: np.ndarray, partitions: int) -> db.Bag:
        """The candidate pairs, persisted on the workers: a bag of ``(bucket, pairs)``, each pair once."""
        buckets = partitions * _BUCKETS_PER_PARTITION
        groups = np.array_split(np.arange(len(self._band_keys)), partitions)
        rows = db.from_delayed(
            [
                dask.delayed(_band_rows)(
                    [self._band_keys[k] for k in group],
                    int(starts[group[0]]),
                    banded[starts[group[0]] : starts[group[-1] + 1]],
                    buckets,
                    dask_key_name=f"band-rows-{self._run}-{n:06d}",
                )
                for n, group in enumerate(groups)
            ]
        )
        documents = int(starts[-1])
        in_bands = rows.groupby(_bucket, shuffle="tasks").map(_band_pairs, documents, buckets)
        copied = db.from_delayed([dask.delayed(_copies)(self._spill_once("copies", copies), documents, buckets)])
        pairs = db.concat([in_bands.flatten(), copied])
        unique = pairs.groupby(_bucket, shuffle="tasks").map(_unique, documents)
        persisted = self.client.persist(unique, retries=self.retries)
        futures = futures_of(persisted)
        wait(futures)
        for future in futures:
            if future.status == "error":
                self._gathered("the band group-by", future)
        self._band_keys = []  # no longer needed: the workers may free them
        return persisted

    def _verified(
        self, candidates: db.Bag, shingles: ShingleCollection, screen: ScreenData | None, settings: DedupSettings
    ) -> Verified:
        """Screen and verify each partition of candidate pairs on a worker; the linked pairs come back.
        Where the shingle sets are and the screen's data reach the workers through the work folder,
        so a worker that joins or replaces another reads them too; the screen's arrays (256 bytes
        a document) are mapped from their files, so the workers of a machine share one copy."""
        where = self._spill_once("shingles", shingles)
        screen_at = None
        if screen is not None:
            screen_at = _Mapped.write(
                self._work, f"dask-screen-{self._run}", (screen.values, screen.sizes, screen.short)
            )
        tasks = [
            dask.delayed(_verify)(part, where, screen_at, settings, dask_key_name=f"verify-{self._run}-{k:06d}")
            for k, part in enumerate(candidates.to_delayed())
        ]
        verified = Verified()
        futures = self.client.compute(tasks, retries=self.retries)
        for done, future in enumerate(as_completed(futures), start=1):
            verified.add(self._gathered("verifying candidate pairs", future))
            self.progress("verify", done, len(futures))
        return verified

    def _submit(self, fn: Callable[[T], Any], task: T, index: int) -> Future:
        """Submit ``fn(task)``. What is large travels through the run's work folder, not in the
        message: the scheduler keeps its recent messages to each worker (up to a thousand, of up to
        1 MB each), so a chunk's texts sent inline would stay in its memory long after the task."""
        key = f"{getattr(fn, '__name__', 'task')}-{self._run}-{index:06d}"
        work = getattr(task, "work", None)
        if work is not None:
            self._work = work
        config: Config | _Spilled = self.config if work is None else self._spill_once("config", self.config)
        learned = None
        if isinstance(task, FinishTask):
            learned = self._spill_once("learned", task.learned)
            task = replace(task, learned=frozenset())
        elif isinstance(task, CleanTask | PartTask):  # a chunk's texts; a part's cluster fields
            kind = "chunk" if isinstance(task, CleanTask) else "part"
            task = self._chunks[index] = _Spilled.write(task.work / f"dask-{kind}-{self._run}-{index:06d}.pickle", task)
        return self.client.submit(_call, config, fn, task, learned, key=key, retries=self.retries, pure=False)

    def _spill_once(self, name: str, value: object) -> _Spilled:
        """``value`` in a file of the work folder, written the first time it is asked for."""
        if name not in self._spilled:
            self._spilled[name] = _Spilled.write(self._work / f"dask-{name}-{self._run}.pickle", value)
        return self._spilled[name]

    def _result(self, index: int, future: Future) -> Any:
        result = self._gathered(f"chunk {index} ({self._inputs.get(index, 'inputs unknown')})", future)
        chunk = self._chunks.pop(index, None)
        if chunk is not None:
            Path(chunk.path).unlink(missing_ok=True)
        return result

    def _gathered(self, what: str, future: Future) -> Any:
        try:
            return future.result()
        except Exception as exc:
            raise self._error(what, exc) from exc

    def _error(self, what: str, exc: BaseException) -> CleanerError:
        return CleanerError(
            f"{what} failed on the Dask cluster after {self.retries} retries: {type(exc).__name__}: {exc}; "
            f"nothing was written (the workers' logs are on the dashboard, {self.client.dashboard_link})"
        )

    def _worker_threads(self) -> dict[str, int]:
        """Threads per worker, asked of the scheduler at most once a second (workers may come and go)."""
        if time.monotonic() - self._nthreads_at > 1.0:
            self._nthreads, self._nthreads_at = self.client.nthreads(), time.monotonic()
        return self._nthreads

    def _threads(self) -> int:
        return max(sum(self._worker_threads().values()), 1)

    def _in_flight(self) -> int:
        return _IN_FLIGHT_PER_THREAD * self._threads()


def _describe(task: CleanTask) -> str:
    """A chunk's inputs for an error message: its files (first and last) and documents."""
    paths = list(dict.fromkeys(raw.path for _, raw in task.docs))
    files = paths[0] if len(paths) == 1 else f"{paths[0]} … {paths[-1]}, {len(paths)} files"
    return f"{files}, {len(task.docs)} documents"


@dataclass(frozen=True)
class _Spilled:
    """A value pickled to a file in the run's work folder, which every worker sees."""

    path: str

    @classmethod
    def write(cls, path: Path, value: object) -> _Spilled:
        with path.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(str(path))

    def load(self) -> Any:
        with open(self.path, "rb") as f:
            return pickle.load(f)


@dataclass(frozen=True)
class _Mapped:
    """Arrays saved as ``.npy`` files in the run's work folder, mapped into memory where they are read."""

    paths: tuple[str, ...]

    @classmethod
    def write(cls, folder: Path, name: str, arrays: tuple[np.ndarray, ...]) -> _Mapped:
        paths = tuple(str(folder / f"{name}-{k}.npy") for k in range(len(arrays)))
        for path, array in zip(paths, arrays, strict=True):
            np.save(path, array)
        return cls(paths)

    def load(self) -> tuple[np.ndarray, ...]:
        return tuple(np.load(path, mmap_mode="r") for path in self.paths)


@functools.lru_cache(maxsize=8)
def _loaded(spilled: _Spilled | _Mapped) -> Any:
    """A value every task of a run reads (config, learned boilerplate), read once per worker process."""
    return spilled.load()


def _call(config: Config | _Spilled, fn: Callable[[T], R], task: T | _Spilled, learned: _Spilled | None) -> R:
    """Run a chunk task on a worker with the run's config (the tasks read it from their process),
    reading what was sent through the work folder: the config, the chunk, the learned boilerplate."""
    init_worker(_loaded(config) if isinstance(config, _Spilled) else config)
    if isinstance(task, _Spilled):
        task = task.load()
    if learned is not None:
        task = replace(task, learned=_loaded(learned))
    return fn(task)


def _band_keys(done: Finished) -> np.ndarray:
    return done.sketches.keys


def _without_keys(done: Finished) -> Finished:
    sketches = done.sketches
    return replace(done, sketches=replace(sketches, keys=np.empty((len(sketches), 0), np.uint64)))


def _band_rows(chunks: list[np.ndarray], start: int, banded: np.ndarray, buckets: int) -> list[tuple[int, np.ndarray]]:
    """Consecutive chunks' band keys as rows ``(band << 32 | key, document)`` (uint64; documents
    numbered across the run from ``start``; ``banded``: which of their documents are banded) in
    buckets, ``(bucket, rows)``, the bucket chosen by the first column. Band keys are 32 bits, so
    two rows agree on the first column exactly when they agree on band and key."""
    keys = np.concatenate(chunks)
    if keys.dtype != np.uint32:
        raise TypeError(f"band keys must be 32-bit to be packed with their band, got {keys.dtype}")
    local = np.flatnonzero(banded)
    bands = keys.shape[1]
    rows = np.empty((len(local) * bands, 2), np.uint64)
    rows[:, 0] = (np.arange(bands, dtype=np.uint64) << np.uint64(32) | keys[local].astype(np.uint64)).reshape(-1)
    rows[:, 1] = np.repeat(local + start, bands).astype(np.uint64)
    return _split(rows, rows[:, 0] % np.uint64(buckets))


def _band_pairs(group: tuple[int, list[tuple[int, np.ndarray]]], documents: int, buckets: int) -> list:
    """The pairs of one bucket's documents that agree on a whole band, routed by pair."""
    rows = np.concatenate([r for _, r in group[1]])
    pairs = rows[:, 1].astype(np.int64)[pairs_in_band(rows[:, 0])]
    return _route(unique_pairs([pairs], documents), documents, buckets)


def _route(pairs: np.ndarray, documents: int, buckets: int) -> list[tuple[int, np.ndarray]]:
    """Pairs as ``(bucket, pairs)``, the bucket chosen by a hash of the pair."""
    if not len(pairs):
        return []
    code = pairs[:, 0].astype(np.uint64) * np.uint64(max(documents, 1)) + pairs[:, 1].astype(np.uint64)
    return _split(pairs, fmix64(code) % np.uint64(buckets))


def _split(rows: np.ndarray, bucket: np.ndarray) -> list[tuple[int, np.ndarray]]:
    order = np.argsort(bucket, kind="stable")
    bucket, rows = bucket[order], rows[order]
    bounds = np.flatnonzero(np.diff(bucket)) + 1
    return [(int(b[0]), r) for b, r in zip(np.split(bucket, bounds), np.split(rows, bounds), strict=True) if len(r)]


def _bucket(item: tuple[int, np.ndarray]) -> int:
    return item[0]


def _unique(group: tuple[int, list[tuple[int, np.ndarray]]], documents: int) -> tuple[int, np.ndarray]:
    """One bucket's candidate pairs, each once (a pair agreeing on several bands came several times)."""
    return group[0], unique_pairs([p for _, p in group[1]], documents)


def _copies(spilled: _Spilled, documents: int, buckets: int) -> list[tuple[int, np.ndarray]]:
    """The pairs of exact copies with their first, found on the client, routed like band pairs."""
    return _route(spilled.load(), documents, buckets)


def _verify(
    groups: list[tuple[int, np.ndarray]],
    where: _Spilled,
    screen_at: _Mapped | None,
    settings: DedupSettings,
) -> Verified:
    """Screen and verify the candidate pairs of one partition (its buckets hold different pairs),
    as the local engine does (:func:`~cleaner.dedup.index.drop_unlinkable`).

    The collection of shingle files (``where``) is read once per worker process and shared by its
    tasks; each task reads through a copy of its own, which keeps its own files open and closes
    them at the end.
    """
    pairs = [p for _, p in groups]
    screen = ScreenData(*_loaded(screen_at)) if screen_at is not None else None
    left, verified = drop_unlinkable(np.concatenate(pairs) if pairs else np.empty((0, 2), np.int64), screen, settings)
    with copy.copy(_loaded(where)) as own:
        verified.add(verify_pairs(own, left, settings))
    return verified
