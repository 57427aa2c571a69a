"""The whole clustering run: sketch batches of documents, then pair, verify and cluster them.

Sketching (:func:`sketch`) is per batch and needs nothing but the batch, so it can run in worker
processes; its result holds band keys and the shingle sets (in memory, or spilled to a file),
never the texts or the signatures. Clustering (:func:`cluster_sketches`) needs every sketch at
once and runs in one process.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cleaner.dedup.cluster import Rank, clusters, pair_indices
from cleaner.dedup.lsh import optimal_param, pairs_from_keys, sketch_keys
from cleaner.dedup.minhash import minhash
from cleaner.dedup.model import Assignment, Cluster, DedupItem, DedupResult, Member
from cleaner.dedup.screen import ScreenData, screen_pairs, screen_values
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import shingle_batch
from cleaner.dedup.store import ShingleCollection, ShingleFile, ShingleSets
from cleaner.dedup.verify import Comparison, ShingleSet, compare, compare_sets

# The histogram of the similarities of compared pairs has this many bins over [0, 1].
HISTOGRAM_BINS = 50


@dataclass(frozen=True)
class Sketches:
    """What clustering needs of a batch of documents, and nothing more: ids, the fields the
    canonical choice looks at, LSH band keys (``(documents, bands)``), one key of the whole
    signature, shingle counts, lengths, and where to find the shingle sets. Picklable, so workers
    can return it; the texts and the signatures stay behind.
    """

    ids: list[str]
    dates: list[str | None]
    orders: np.ndarray
    keys: np.ndarray
    whole: np.ndarray
    sizes: np.ndarray
    chars: np.ndarray
    shingles: ShingleSets
    # For the screen before exact verification (cleaner.dedup.screen): the first MinHash values
    # cut to 16 bits, and whether each text is short (compared by rapidfuzz). None: no screen.
    screen: np.ndarray | None = None
    short: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


def sketch(items: Sequence[DedupItem], settings: DedupSettings, spill: Path | None = None) -> Sketches:
    """Sketch one batch of documents; with ``spill``, the shingle sets go to that file."""
    shingles = shingle_batch([item.text for item in items], settings)
    bands, rows = optimal_param(settings.lsh_threshold, settings.num_perm)
    signatures = minhash(shingles, settings)
    keys, whole = sketch_keys(signatures, bands, rows)
    return Sketches(
        ids=[item.id for item in items],
        dates=[item.date for item in items],
        orders=np.fromiter((item.order for item in items), np.int64, len(items)),
        keys=keys,
        whole=whole,
        sizes=np.diff(shingles.offsets),
        chars=shingles.chars,
        shingles=shingles if spill is None else ShingleFile.write(shingles, spill),
        screen=screen_values(signatures),
        short=np.fromiter((s is not None for s in shingles.sequences), bool, len(items)),
    )


def deduplicate(items: Iterable[DedupItem], settings: DedupSettings | None = None) -> DedupResult:
    """Cluster near-duplicate documents: sketch ``batch_size`` documents at a time, then cluster.

    Raises ``ValueError`` when two items share an id, since the assignment is keyed by id.
    """
    settings = settings or DedupSettings()
    it = iter(items)
    batches = iter(lambda: list(itertools.islice(it, settings.batch_size)), [])
    return cluster_sketches((sketch(batch, settings) for batch in batches), settings)


def cluster_sketches(
    batches: Iterable[Sketches],
    settings: DedupSettings,
    distinct: Iterable[tuple[str, str]] = (),
    merged: Iterable[tuple[str, str]] = (),
    map_blocks: MapBlocks | None = None,
    blocks: int = 1,
) -> DedupResult:
    """Cluster the documents of all ``batches`` (see :mod:`cleaner.dedup.cluster`).

    ``distinct`` and ``merged`` are review decisions as id pairs: a distinct pair never shares a
    cluster, a merged pair always does. Pairs naming an id not in the batches are ignored.
    With ``map_blocks`` (an ordered map, such as a process pool's), the candidate pairs are
    verified in ``blocks`` blocks through it (see :func:`verify_blocks`); the result is the same.
    """
    clock = time.perf_counter()
    parts = list(batches)
    bands, _ = optimal_param(settings.lsh_threshold, settings.num_perm)
    keys = [p.keys for p in parts] if parts else [np.empty((0, bands), np.uint32)]
    whole = np.concatenate([p.whole for p in parts]) if parts else np.empty(0, np.uint64)
    sizes = np.concatenate([p.sizes for p in parts]) if parts else np.empty(0, np.int64)
    timings = {"seconds_merge": time.perf_counter() - clock}

    clock = time.perf_counter()
    candidates = pairs_from_keys(keys, whole, np.flatnonzero(sizes > 0))
    del keys, whole
    timings["seconds_candidates"] = time.perf_counter() - clock

    clock = time.perf_counter()
    candidates, screened = drop_unlinkable(candidates, screen_data(parts), settings)
    timings["seconds_candidates"] += time.perf_counter() - clock

    clock = time.perf_counter()
    with ShingleCollection([p.shingles for p in parts]) as shingles:
        if map_blocks is not None and blocks > 1 and len(candidates) >= MIN_BLOCK_PAIRS * 2:
            verified = verify_blocks(map_blocks, shingles, candidates, settings, blocks)
        else:
            verified = verify_pairs(shingles, candidates, settings)
    verified.add(screened)
    timings["seconds_verify"] = time.perf_counter() - clock
    return cluster_verified(parts, verified, settings, distinct, merged, timings)


@dataclass
class Verified:
    """What verifying candidate pairs found: the comparisons of the linked pairs (kept because the
    guard asks again for most of them), how many pairs were compared and how many split as
    templates, and the histograms of their Jaccard and containment.

    Results for disjoint sets of pairs add up (:meth:`add`), so verification can be split over
    workers and give what one pass gives.
    """

    linked: dict[tuple[int, int], Comparison] = field(default_factory=dict)
    compared: int = 0
    templates: int = 0
    jaccards: np.ndarray = field(default_factory=lambda: np.zeros(HISTOGRAM_BINS, np.int64))
    containments: np.ndarray = field(default_factory=lambda: np.zeros(HISTOGRAM_BINS, np.int64))
    # CPU seconds the comparisons took, summed over the processes that made them: verification
    # runs on the workers, where the main process's clock does not see it.
    cpu_seconds: float = 0.0

    def add(self, other: Verified) -> None:
        self.linked.update(other.linked)
        self.compared += other.compared
        self.templates += other.templates
        self.jaccards += other.jaccards
        self.containments += other.containments
        self.cpu_seconds += other.cpu_seconds


def verify_pairs(shingles: ShingleSets, pairs: np.ndarray, settings: DedupSettings) -> Verified:
    """Compare each pair ``(i, j)``, ``i < j``, of ``pairs`` exactly (see :mod:`cleaner.dedup.verify`)."""
    found = Verified(compared=len(pairs))
    clock = time.process_time()
    # Pairs become Python numbers a block at a time: a list of all of them costs ~100 B a pair.
    last, first = -1, ShingleSet(np.empty(0, np.uint64), None)
    for start in range(0, len(pairs), _PAIRS_PER_BLOCK):
        # Pairs come sorted: a document's pairs with later ones follow each other, and its set is
        # read (and sorted, if need be) once for all of them.
        for i, j in pairs[start : start + _PAIRS_PER_BLOCK].tolist():
            if i != last:
                last, first = i, ShingleSet.of(shingles, i)
            c = compare_sets(first, ShingleSet.of(shingles, j), settings)
            found.templates += c.template
            found.jaccards[_bin(c.jaccard)] += 1
            found.containments[_bin(c.containment)] += 1
            if c.linked:
                found.linked[i, j] = c
    found.cpu_seconds = time.process_time() - clock
    return found


_PAIRS_PER_BLOCK = 65_536


def screen_data(parts: Sequence[Sketches]) -> ScreenData | None:
    """What the screen needs of every document of ``parts``, or ``None`` when some part lacks it."""
    if not parts or any(p.screen is None or p.short is None for p in parts):
        return None
    return ScreenData(
        np.concatenate([p.screen for p in parts]),
        np.concatenate([p.sizes for p in parts]),
        np.concatenate([p.short for p in parts]),
    )


def drop_unlinkable(pairs: np.ndarray, data: ScreenData | None, settings: DedupSettings) -> tuple[np.ndarray, Verified]:
    """The candidate pairs left for exact verification, and what the screen
    (:mod:`cleaner.dedup.screen`) settled: the dropped pairs counted as compared, their
    estimated similarities in the histograms. Without ``data`` every pair is left."""
    dropped = Verified()
    if data is None or not len(pairs):
        return pairs, dropped

    def tally(jaccard: np.ndarray, containment: np.ndarray) -> None:
        dropped.jaccards += np.bincount(_bins(jaccard), minlength=HISTOGRAM_BINS)
        dropped.containments += np.bincount(_bins(containment), minlength=HISTOGRAM_BINS)

    keep = screen_pairs(pairs, data, settings, tally)
    dropped.compared = len(pairs) - int(np.count_nonzero(keep))
    return pairs[keep], dropped


@dataclass(frozen=True)
class VerifyBlock:
    """One block of candidate pairs to verify elsewhere, with where to read the shingle sets."""

    shingles: ShingleCollection
    pairs: np.ndarray
    settings: DedupSettings


def verify_block(block: VerifyBlock) -> Verified:
    """Verify one block (a task function: it runs in a worker process)."""
    with block.shingles:
        return verify_pairs(block.shingles, block.pairs, block.settings)


MapBlocks = Callable[[Callable[[VerifyBlock], Verified], Iterable[VerifyBlock]], Iterable[Verified]]
# Fewer pairs than this per block are verified faster in place than sent to a worker.
MIN_BLOCK_PAIRS = 10_000


def verify_blocks(
    map_blocks: MapBlocks, shingles: ShingleCollection, pairs: np.ndarray, settings: DedupSettings, blocks: int
) -> Verified:
    """Verify ``pairs`` in up to ``blocks`` blocks through ``map_blocks``, e.g. on worker processes.

    Each worker reads the shingle sets from the spilled files itself; only the files' offsets
    travel with a block. Results of disjoint blocks add up to those of one pass
    (:meth:`Verified.add`).
    """
    count = max(1, min(blocks, len(pairs) // MIN_BLOCK_PAIRS))
    found = Verified()
    for part in map_blocks(verify_block, (VerifyBlock(shingles, b, settings) for b in np.array_split(pairs, count))):
        found.add(part)
    return found


def cluster_verified(
    parts: Sequence[Sketches],
    verified: Verified,
    settings: DedupSettings,
    distinct: Iterable[tuple[str, str]] = (),
    merged: Iterable[tuple[str, str]] = (),
    timings: dict[str, float] | None = None,
) -> DedupResult:
    """Cluster the documents of ``parts`` (numbered on across them, in order) from the pairs
    ``verified`` found linked among them; the step :func:`cluster_sketches` ends with.

    The parts' band keys are not read, so an engine that paired the documents elsewhere may pass
    sketches without them. ``timings`` (seconds per earlier stage) go into the statistics.
    """
    clock = time.perf_counter()
    ids = [i for p in parts for i in p.ids]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i, count in Counter(ids).items() if count > 1)
        raise ValueError(f"duplicate document id {duplicate!r}: every item needs its own id")
    sizes = np.concatenate([p.sizes for p in parts]) if parts else np.empty(0, np.int64)
    chars = np.concatenate([p.chars for p in parts]) if parts else np.empty(0, np.int64)
    orders = np.concatenate([p.orders for p in parts]) if parts else np.empty(0, np.int64)
    dates = [d for p in parts for d in p.dates]
    shingles = ShingleCollection([p.shingles for p in parts])
    timings = dict(timings or {})
    timings["seconds_merge"] = timings.get("seconds_merge", 0.0) + time.perf_counter() - clock
    timings["seconds_verify_cpu"] = verified.cpu_seconds

    cache = dict(verified.linked)
    links = np.array(sorted(cache), np.int64).reshape(-1, 2)

    def compared(i: int, j: int) -> Comparison:
        key = (i, j) if i < j else (j, i)
        if key not in cache:
            cache[key] = compare(shingles, key[0], key[1], settings)
        return cache[key]

    clock = time.perf_counter()
    rank = Rank(ids, dates, orders, sizes, chars, settings.canonical)
    apart, joined = pair_indices(distinct, ids), pair_indices(merged, ids)
    with shingles:
        groups, split = clusters(links, rank, compared, distinct=apart, merged=joined)
        result = _result(ids, sizes, groups, compared)
    timings["seconds_cluster"] = time.perf_counter() - clock

    bands, _ = optimal_param(settings.lsh_threshold, settings.num_perm)
    duplicates = sum(len(members) for _, members in groups)
    result.histogram = {
        "bins": [round(k / HISTOGRAM_BINS, 4) for k in range(HISTOGRAM_BINS + 1)],
        "jaccard": verified.jaccards.tolist(),
        "containment": verified.containments.tolist(),
        "threshold": settings.threshold,
        "containment_threshold": settings.containment_threshold,
        "overlap_threshold": settings.overlap_threshold,
    }
    result.stats.update(
        documents=len(ids),
        candidate_pairs=verified.compared,
        verified_pairs=len(links),
        template_pairs=verified.templates,
        split_off=split,
        clusters=len(groups),
        duplicates=duplicates,
        duplicate_rate=duplicates / len(ids) if ids else 0.0,
        bands=bands,
        rows=settings.num_perm // bands if bands else 0,
        **timings,
        seconds_total=sum(timings.values()),
    )
    return result


def _bin(value: float) -> int:
    return min(int(value * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)


def _bins(values: np.ndarray) -> np.ndarray:
    return np.minimum((values * HISTOGRAM_BINS).astype(np.int64), HISTOGRAM_BINS - 1)


def _result(
    ids: list[str], sizes: np.ndarray, groups: list[tuple[int, list[int]]], compared: Callable[[int, int], Comparison]
) -> DedupResult:
    """Clusters sorted by id with members sorted by id, and the members' assignment."""
    assignment = Assignment()
    out: list[Cluster] = []
    for canonical, members in groups:
        cid = ids[canonical]
        listed = [Member(cid, 1.0, 1.0, None)]
        for m in members:
            c = compared(canonical, m)
            relation, similarity = _relation(c, member_smaller=sizes[m] <= sizes[canonical])
            listed.append(Member(ids[m], c.jaccard, c.containment, relation))
            assignment[ids[m]] = (cid, cid, similarity, relation)
        out.append(Cluster(cid, cid, sorted(listed, key=lambda member: member.id)))
    out.sort(key=lambda cluster: cluster.cluster)
    return DedupResult(clusters=out, assignment=assignment, stats={})


def _relation(c: Comparison, member_smaller: bool) -> tuple[str, float]:
    """How a member relates to its canonical document, and the similarity that linked them.

    Containment links are teasers/excerpts (``contained-in``) or extended copies (``contains``);
    Jaccard links are copies, overlap links edited copies and fuzzy links near-identical short
    texts, all ``near-duplicate``.
    """
    if c.by == "containment":
        return ("contained-in" if member_smaller else "contains"), c.containment
    if c.by == "overlap":
        return "near-duplicate", c.containment
    if c.by == "fuzzy" and c.fuzzy is not None:
        return "near-duplicate", c.fuzzy
    return "near-duplicate", c.jaccard
