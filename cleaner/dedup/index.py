"""The whole clustering run: sketch batches of documents, then pair, verify and cluster them.

Sketching (:func:`sketch`) is per batch and needs nothing but the batch, so it can run in worker
processes; its result holds signatures and shingle-hash arrays, never the texts. Clustering
(:func:`cluster_sketches`) needs every sketch at once and runs in one process.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.dedup.cluster import clusters, rank_keys
from cleaner.dedup.lsh import candidate_pairs, optimal_param
from cleaner.dedup.minhash import minhash
from cleaner.dedup.model import Cluster, DedupItem, DedupResult, Member
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, shingle_batch
from cleaner.dedup.verify import Comparison, compare


@dataclass(frozen=True)
class Sketches:
    """What clustering needs of a batch of documents: ids, canonical-choice fields, signatures
    (``(documents, num_perm)``) and shingle sets. Picklable, so workers can return it.
    """

    ids: list[str]
    dates: list[str | None]
    orders: list[int]
    signatures: np.ndarray
    shingles: ShingleBatch


def sketch(items: Sequence[DedupItem], settings: DedupSettings) -> Sketches:
    """Sketch one batch of documents."""
    shingles = shingle_batch([item.text for item in items], settings)
    return Sketches(
        ids=[item.id for item in items],
        dates=[item.date for item in items],
        orders=[item.order for item in items],
        signatures=minhash(shingles, settings),
        shingles=shingles,
    )


def deduplicate(items: Iterable[DedupItem], settings: DedupSettings | None = None) -> DedupResult:
    """Cluster near-duplicate documents: sketch ``batch_size`` documents at a time, then cluster.

    Raises ``ValueError`` when two items share an id, since the assignment is keyed by id.
    """
    settings = settings or DedupSettings()
    it = iter(items)
    batches = iter(lambda: list(itertools.islice(it, settings.batch_size)), [])
    return cluster_sketches((sketch(batch, settings) for batch in batches), settings)


def cluster_sketches(batches: Iterable[Sketches], settings: DedupSettings) -> DedupResult:
    """Cluster the documents of all ``batches`` (see :mod:`cleaner.dedup.cluster`)."""
    clock = time.perf_counter()
    merged = _merge(list(batches) or [sketch([], settings)])
    timings = {"seconds_sketch": time.perf_counter() - clock}
    ids = merged.ids
    if len(set(ids)) != len(ids):
        duplicate = next(i for i, count in Counter(ids).items() if count > 1)
        raise ValueError(f"duplicate document id {duplicate!r}: every item needs its own id")
    shingles = merged.shingles
    sizes = np.diff(shingles.offsets)

    clock = time.perf_counter()
    bands, rows = optimal_param(settings.lsh_threshold, settings.num_perm)
    nonempty = np.flatnonzero(sizes > 0)
    candidates = nonempty[candidate_pairs(merged.signatures[nonempty], bands, rows)]
    timings["seconds_candidates"] = time.perf_counter() - clock

    clock = time.perf_counter()
    # Linked pairs are kept: the guard asks again for most of them (canonical and member).
    cache: dict[tuple[int, int], Comparison] = {}
    templates = 0
    for i, j in candidates.tolist():
        c = compare(shingles, i, j, settings)
        templates += c.template
        if c.linked:
            cache[i, j] = c
    links = np.array(sorted(cache), np.int64).reshape(-1, 2)
    timings["seconds_verify"] = time.perf_counter() - clock

    def compared(i: int, j: int) -> Comparison:
        key = (i, j) if i < j else (j, i)
        if key not in cache:
            cache[key] = compare(shingles, key[0], key[1], settings)
        return cache[key]

    clock = time.perf_counter()
    rank = rank_keys(ids, merged.dates, merged.orders, sizes, shingles.chars, settings.canonical)
    groups, split = clusters(links, rank, compared)
    result = _result(ids, sizes, groups, compared)
    timings["seconds_cluster"] = time.perf_counter() - clock

    duplicates = sum(len(members) for _, members in groups)
    result.stats.update(
        documents=len(ids),
        candidate_pairs=len(candidates),
        verified_pairs=len(links),
        template_pairs=templates,
        split_off=split,
        clusters=len(groups),
        duplicates=duplicates,
        duplicate_rate=duplicates / len(ids) if ids else 0.0,
        bands=bands,
        rows=rows,
        **timings,
        seconds_total=sum(timings.values()),
    )
    return result


def _result(
    ids: list[str], sizes: np.ndarray, groups: list[tuple[int, list[int]]], compared: Callable[[int, int], Comparison]
) -> DedupResult:
    """Clusters sorted by id with members sorted by id, and every document's assignment."""
    assignment: dict[str, tuple[str, str | None, float | None, str | None]] = {
        doc_id: (doc_id, None, None, None) for doc_id in ids
    }
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


def _merge(batches: list[Sketches]) -> Sketches:
    """One :class:`Sketches` of all batches (at least one), in the order given."""
    offsets = [np.zeros(1, np.int64)]
    base = 0
    for b in batches:
        offsets.append(b.shingles.offsets[1:] + base)
        base += int(b.shingles.offsets[-1])
    return Sketches(
        ids=[i for b in batches for i in b.ids],
        dates=[d for b in batches for d in b.dates],
        orders=[o for b in batches for o in b.orders],
        signatures=np.concatenate([b.signatures for b in batches]),
        shingles=ShingleBatch(
            hashes=np.concatenate([b.shingles.hashes for b in batches]),
            offsets=np.concatenate(offsets),
            sequences=[s for b in batches for s in b.shingles.sequences],
            chars=np.concatenate([b.shingles.chars for b in batches]),
        ),
    )
