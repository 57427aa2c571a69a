"""Incremental dedup: a run's documents against everything indexed before, then added to the index.

The aim is that ingesting batches one after another gives the same clusters as one run over all
of them, whatever the order of the batches. A run clusters by (:mod:`cleaner.dedup.cluster`):
links from verified candidate pairs, connected components, then a star around each component's
best-ranked document (every member must verify against it), the rest split off and clustered
again. That result depends only on the links and on the comparisons the star makes, so the index
keeps the links, and an ingestion:

1. takes the run's documents that are not indexed yet (an id already indexed is *known*: it is
   neither compared nor added again, and its output fields are the index's);
2. links them among themselves by exact verification, as the run does, and to indexed
   documents that share an LSH band by verification estimated from signatures
   (:mod:`cleaner.persist.estimate`);
3. gathers every indexed document connected to them (by stored links or a shared cluster) and
   clusters the new and gathered documents together from all their links, with the run's own
   procedure and ranking. Clusters no new link touches are left as they are: their clustering
   was already computed from all their links.

So the partition equals the one-run partition wherever estimated verification decides a pair
as exact verification does (see :mod:`cleaner.persist.estimate` for how often it does not).

Canonical documents are stable instead of re-ranked. A cluster holding documents that were
canonical before (of a cluster, or singletons) keeps the one indexed first: a new copy of an old
story gets the old cluster id and points ``duplicate_of`` at the old canonical even when it is
more complete. A cluster without one (only new documents, or members a re-formed cluster left
behind) takes its best-ranked document, as a run does. A document's measures (Jaccard,
containment, relation) are against that canonical. Documents output by earlier runs are not
rewritten when a later batch changes their cluster; the index (``cleaner index export``) has
their current cluster.

Review decisions apply as in a run to the documents they name, indexed ones too: a decision made
after documents were indexed takes effect at the next ingestion.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.dedup.cluster import Rank, clusters, pair_indices
from cleaner.dedup.index import Sketches, _relation
from cleaner.dedup.lsh import band_keys, optimal_param, pairs_from_keys, sketch_keys
from cleaner.dedup.model import Assignment, Cluster, DedupResult, Member
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, shingle_batch
from cleaner.dedup.store import ShingleCollection, ShingleSets
from cleaner.dedup.verify import Comparison, compare
from cleaner.errors import IndexFileError
from cleaner.persist.estimate import estimate
from cleaner.persist.signature import Signatures, signatures
from cleaner.persist.store import IndexedDoc, IndexStore, Link, Measures, translated

# Documents whose signatures are computed at once (their shingle sets are read back together).
_SIGN_BATCH = 1000
# Documents looked up in the index at once (65 keys each go into one temporary table).
_LOOKUP_BATCH = 5000
_NONE: Measures = (None, None, None, None)
Pair = tuple[str, str]
Pairs = Iterable[Pair]


@dataclass(frozen=True)
class RunDocs:
    """The run's documents as clustering sees them: the concatenated sketches of its chunks."""

    ids: list[str]
    dates: list[str | None]
    orders: np.ndarray
    keys: np.ndarray
    whole: np.ndarray
    sizes: np.ndarray
    chars: np.ndarray
    shingles: ShingleSets

    @classmethod
    def from_sketches(cls, parts: Iterable[Sketches], settings: DedupSettings) -> RunDocs:
        parts = list(parts)
        bands, _ = optimal_param(settings.lsh_threshold, settings.num_perm)

        def joined(name: str, empty: np.ndarray) -> np.ndarray:
            return np.concatenate([getattr(p, name) for p in parts]) if parts else empty

        return cls(
            ids=[i for p in parts for i in p.ids],
            dates=[d for p in parts for d in p.dates],
            orders=joined("orders", np.empty(0, np.int64)),
            keys=joined("keys", np.empty((0, bands), np.uint64)),
            whole=joined("whole", np.empty(0, np.uint64)),
            sizes=joined("sizes", np.empty(0, np.int64)),
            chars=joined("chars", np.empty(0, np.int64)),
            shingles=ShingleCollection([p.shingles for p in parts]),
        )


@dataclass
class IngestReport:
    """What an ingestion did, for the run's summary (``summary.index`` in ``manifest.json``).

    ``matched``: new documents whose cluster holds documents indexed before; ``known``: the
    run's documents indexed before (not added again); ``reassigned``: indexed documents whose
    cluster changed; ``documents``/``clusters``: the index's totals afterwards.
    """

    index: str
    added: int = 0
    known: int = 0
    matched: int = 0
    reassigned: int = 0
    links: int = 0
    documents: int = 0
    clusters: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class _Graph:
    """Documents to cluster together: the first ``fresh`` are new (exact shingles available), the
    rest indexed. ``previous`` is an indexed document's canonical ``n`` (``-1`` for new ones)."""

    ids: list[str]
    numbers: list[int]
    previous: list[int]
    dates: list[str | None]
    sizes: np.ndarray
    chars: np.ndarray
    sig: Signatures
    fresh: int
    exact: Callable[[int, int], Comparison]
    settings: DedupSettings
    cache: dict[tuple[int, int], Comparison] = field(default_factory=dict)

    def compared(self, i: int, j: int) -> Comparison:
        """Exact for two new documents, a stored link's comparison, else estimated."""
        key = (i, j) if i < j else (j, i)
        found = self.cache.get(key)
        if found is None:
            if key[1] < self.fresh:
                found = self.exact(*key)
            else:
                found = estimate(self.sig.take(np.array([key[0]])), self.sig.take(np.array([key[1]])), self.settings)[0]
            self.cache[key] = found
        return found

    def cluster(self, links: list[tuple[int, int]], distinct: Pairs, merged: Pairs) -> list[tuple[int, Measures]]:
        """Per document its published canonical (a node) and its measures against it."""
        rank = Rank(
            self.ids, self.dates, np.array(self.numbers, np.int64), self.sizes, self.chars, self.settings.canonical
        )
        rows = np.array(sorted(set(links)), np.int64).reshape(-1, 2)
        groups, _ = clusters(
            rows,
            rank,
            self.compared,
            distinct=pair_indices(distinct, self.ids),
            merged=pair_indices(merged, self.ids),
        )
        out: list[tuple[int, Measures]] = [(v, _NONE) for v in range(len(self.ids))]
        for best, members in groups:
            group = [best, *members]
            earlier = [v for v in group if v >= self.fresh and self.previous[v] == self.numbers[v]]
            canonical = min(earlier, key=self.numbers.__getitem__) if earlier else best
            for v in group:
                if v != canonical:
                    c = self.compared(canonical, v)
                    relation, similarity = _relation(c, member_smaller=bool(self.sizes[v] <= self.sizes[canonical]))
                    out[v] = (canonical, (c.jaccard, c.containment, similarity, relation))
        return out


@dataclass(frozen=True)
class Match:
    """An indexed document a text would be linked to: its id, its cluster (the canonical's id)
    and the estimated comparison."""

    id: str
    cluster: str
    comparison: Comparison


@dataclass(frozen=True)
class _Fresh:
    """The new documents of an ingestion as :class:`_Graph` takes them."""

    ids: list[str]
    numbers: list[int]
    dates: list[str | None]
    sizes: list[int]
    chars: list[int]
    sig: Signatures
    exact: Callable[[int, int], Comparison]

    @classmethod
    def nothing(cls, num_perm: int) -> _Fresh:
        empty = Signatures(np.empty((0, num_perm), np.uint32), np.empty((0, num_perm), np.uint8), np.empty(0, np.int64))
        return cls([], [], [], [], [], empty, _no_exact)


class PersistentIndex:
    """An index file opened to ingest runs into or to maintain (see the module docstring).

    Changes are made in one write transaction, taken by :meth:`ingest` or :meth:`remove` and
    ended by :meth:`commit` (or :meth:`rollback`), so another process never sees half of them.
    """

    def __init__(
        self,
        path: str | Path,
        settings: DedupSettings | None = None,
        *,
        create: bool = False,
        timeout: float = 600.0,
    ) -> None:
        """Open the index at ``path`` (with ``create``, make it when missing). ``settings`` are the
        run's dedup settings: an index built with other sketch settings is refused, and ingesting
        or removing needs them; inspecting does not."""
        self._settings = settings
        self.store = IndexStore.open(path, settings, create=create, timeout=timeout)
        self.path = self.store.path

    @property
    def settings(self) -> DedupSettings:
        if self._settings is None:
            raise ValueError("changing the index needs the dedup settings: PersistentIndex(path, settings)")
        return self._settings

    def commit(self) -> None:
        if self.store.con.in_transaction:
            self.store.commit()

    def rollback(self) -> None:
        self.store.rollback()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> PersistentIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        """Commit what was changed in the block, or roll it back after an error; then close."""
        try:
            if kind is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()

    def stats(self) -> dict[str, Any]:
        """Documents, clusters (of two or more), ingestions, size on disk (with the WAL files),
        schema version, when created and last changed, and the settings it was built with."""
        with translated(self.path):
            counts = self.store.counts()
        meta = self.store.meta
        size = sum(p.stat().st_size for p in (self.path, *_wal_files(self.path)) if p.exists())
        return {
            "path": str(self.path),
            **counts,
            "bytes": size,
            "schema_version": int(meta["schema_version"]),
            "created": meta["created"],
            "updated": self.store.updated(),
            "cleaner_version": meta["cleaner_version"],
            "settings": json.loads(meta["sketch"]),
        }

    def export(self) -> Iterator[dict[str, Any]]:
        """One record per indexed document, in id order: ``id``, ``cluster`` (its canonical's id),
        ``duplicate_of`` (null for a canonical or singleton), ``date``, ``shingles``, ``chars``,
        its measures against the canonical, and ``ingest`` (which ingestion added it). No text."""
        with translated(self.path):
            for (
                doc_id,
                cluster,
                date,
                size,
                chars,
                jaccard,
                containment,
                similarity,
                relation,
                ingest,
            ) in self.store.export_rows():
                yield {
                    "id": doc_id,
                    "cluster": cluster,
                    "duplicate_of": None if cluster == doc_id else cluster,
                    "date": date,
                    "shingles": size,
                    "chars": chars,
                    "jaccard": jaccard,
                    "containment": containment,
                    "similarity": similarity,
                    "relation": relation,
                    "ingest": ingest,
                }

    def find(self, texts: Sequence[str]) -> list[list[Match]]:
        """Per text (a cleaned body), the indexed documents an ingestion would link it to, verified
        from signatures, most similar first. The index is not changed::

            with PersistentIndex("news.index.sqlite", DedupSettings()) as index:
                [match.cluster for match in index.find([body])[0]]  # ['wire/fed-rates']
        """
        batch = shingle_batch(list(texts), self.settings)
        sig = signatures(batch, self.settings)
        keys, whole = sketch_keys(sig.minima, self.store.bands, int(self.store.meta["rows"]))
        with translated(self.path):
            across, _ = self._across(sig, keys, whole)
            docs = self.store.docs(n for _, n, _ in across)
            canonicals = self.store.docs(d.canonical for d in docs.values())
        found: list[list[Match]] = [[] for _ in texts]
        for r, n, c in across:
            found[r].append(Match(docs[n].id, canonicals[docs[n].canonical].id, c))
        for matches in found:
            matches.sort(key=lambda m: (-max(m.comparison.jaccard, m.comparison.containment), m.id))
        return found

    def ingest(
        self,
        sketches: Iterable[Sketches],
        result: DedupResult,
        distinct: Pairs = (),
        merged: Pairs = (),
        input_name: str = "",
    ) -> tuple[DedupResult, IngestReport]:
        """Deduplicate a run's documents against the index and add the new ones.

        ``result`` is the run's own clustering; the returned one has the same statistics with the
        run's documents assigned to their clusters in the index and only the clusters whose
        canonical is one of the run's documents (as ``clusters.jsonl`` lists them).
        """
        run = RunDocs.from_sketches(sketches, self.settings)
        with translated(self.path):
            self.store.begin()
            return self._ingest(run, result, list(distinct), list(merged), input_name)

    def remove(self, ids: Sequence[str], distinct: Pairs = (), merged: Pairs = ()) -> tuple[list[str], int]:
        """Remove documents; their clusters are formed again from the links left. A removed
        canonical hands its cluster to the remaining document indexed first that was canonical
        before, else to the best-ranked one. Returns the ids not in the index and the number of
        remaining documents whose cluster changed."""
        with translated(self.path):
            self.store.begin()
            found = self.store.numbers(ids)
            gone = set(found.values())
            docs, links = self._gather(gone)
            for n in sorted(gone):
                self._unband(docs[n])
                self.store.delete(n)
            rest = {n: d for n, d in docs.items() if n not in gone}
            kept = [link for link in links if link.a not in gone and link.b not in gone]
            graph, where = self._graph(rest)
            for link in kept:
                graph.cache[min(where[link.a], where[link.b]), max(where[link.a], where[link.b])] = link.comparison
            placed = graph.cluster([(where[link.a], where[link.b]) for link in kept], distinct, merged)
            changed = self._update(graph, placed)
        return [i for i in ids if i not in found], changed

    # --- ingestion steps ----------------------------------------------------------------------

    def _ingest(
        self,
        run: RunDocs,
        result: DedupResult,
        distinct: list[Pair],
        merged: list[Pair],
        name: str,
    ) -> tuple[DedupResult, IngestReport]:
        store = self.store
        known = store.numbers(run.ids)
        new = np.array(
            sorted((k for k, i in enumerate(run.ids) if i not in known), key=lambda k: run.orders[k]), np.int64
        )
        sig = self._signatures(run, new)
        first = store.last_number() + 1
        numbers = np.arange(first, first + len(new), dtype=np.int64)

        across, copies = self._across(sig, run.keys[new], run.whole[new])
        among = self._exact_links(run, new)

        named = store.numbers({i for pair in [*distinct, *merged] for i in pair}).values()
        docs, stored = self._gather({n for _, n, _ in across} | set(named))
        fresh = _Fresh(
            ids=[run.ids[k] for k in new],
            numbers=numbers.tolist(),
            dates=[run.dates[k] for k in new],
            sizes=run.sizes[new].tolist(),
            chars=run.chars[new].tolist(),
            sig=sig,
            exact=lambda i, j: compare(run.shingles, int(new[i]), int(new[j]), self.settings),
        )
        graph, where = self._graph(docs, fresh)
        for r, n, c in across:
            graph.cache[min(r, where[n]), max(r, where[n])] = c
        for i, j, c in among:
            graph.cache[i, j] = c
        for link in stored:
            graph.cache[min(where[link.a], where[link.b]), max(where[link.a], where[link.b])] = link.comparison
        links = [(i, j) for i, j, _ in among] + [(r, where[n]) for r, n, _ in across]
        links += [(where[link.a], where[link.b]) for link in stored]
        placed = graph.cluster(links, distinct, merged)

        ingest = store.record_ingest(name)
        self._insert(run, new, sig, graph, placed, copies, ingest)
        store.add_links(
            [Link(int(min(numbers[i], numbers[j])), int(max(numbers[i], numbers[j])), c) for i, j, c in among]
            + [Link(min(int(numbers[r]), n), max(int(numbers[r]), n), c) for r, n, c in across]
        )
        report = IngestReport(str(self.path), added=len(new), known=len(known), links=len(among) + len(across))
        report.reassigned = self._update(graph, placed)
        report.matched = _matched(placed, len(new))
        store.finish_ingest(ingest, vars(report))
        totals = store.counts()
        report.documents, report.clusters = totals["documents"], totals["clusters"]
        return self._result(run, result), report

    def _insert(
        self,
        run: RunDocs,
        new: np.ndarray,
        sig: Signatures,
        graph: _Graph,
        placed: list[tuple[int, Measures]],
        copies: set[int],
        ingest: int,
    ) -> None:
        """Add the new documents (rows of ``new``) with their clusters; band those that are neither
        an exact copy of an indexed document nor of an earlier one of this run."""
        rows, banded, seen = [], [], set()
        for r, k in enumerate(new.tolist()):
            size, whole = int(run.sizes[k]), int(run.whole[k])
            canonical, measures = placed[r]
            n, cluster = graph.numbers[r], graph.numbers[canonical]
            doc = IndexedDoc(n, run.ids[k], cluster, size, int(run.chars[k]), run.dates[k], *measures, sig.blob(r))
            rows.append((doc, whole, ingest))
            if size and r not in copies and whole not in seen:
                banded.append((doc.n, run.keys[k]))
            seen.add(whole)
        self.store.add_docs(rows, banded)

    def _signatures(self, run: RunDocs, rows: np.ndarray) -> Signatures:
        """Index signatures of the run's documents ``rows``, from their shingle sets."""
        parts = []
        for start in range(0, len(rows), _SIGN_BATCH):
            sets = [run.shingles.get(int(k)) for k in rows[start : start + _SIGN_BATCH]]
            offsets = np.concatenate([[0], np.cumsum([len(s) for s in sets])]).astype(np.int64)
            hashes = np.concatenate(sets) if sets else np.empty(0, np.uint64)
            batch = ShingleBatch(hashes.astype(np.uint64), offsets, [None] * len(sets), np.zeros(len(sets), np.int64))
            parts.append(signatures(batch, self.settings))
        if not parts:
            n = self.settings.num_perm
            return Signatures(np.empty((0, n), np.uint32), np.empty((0, n), np.uint8), np.empty(0, np.int64))
        return Signatures(
            np.concatenate([p.minima for p in parts]),
            np.concatenate([p.marks for p in parts]),
            np.concatenate([p.sizes for p in parts]),
        )

    def _across(
        self, sig: Signatures, keys: np.ndarray, whole: np.ndarray
    ) -> tuple[list[tuple[int, int, Comparison]], set[int]]:
        """Links ``(row, indexed n, comparison)`` of documents with signatures ``sig``, band keys
        ``keys`` and whole-signature keys ``whole`` to indexed documents sharing a band with them,
        verified from signatures; and the rows that are exact copies of an indexed document."""
        links: list[tuple[int, int, Comparison]] = []
        copies: set[int] = set()
        nonempty = np.flatnonzero(sig.sizes > 0)
        for start in range(0, len(nonempty), _LOOKUP_BATCH):
            rows = nonempty[start : start + _LOOKUP_BATCH]
            found, copied = self.store.candidates(keys[rows], whole[rows])
            pairs = [(int(rows[row]), n) for row, n in found]
            copies.update(int(rows[row]) for row in copied)
            indexed = self.store.docs(n for _, n in pairs)
            decided = estimate(
                sig.take(np.array([r for r, _ in pairs], np.int64)),
                self.store.signatures([indexed[n] for _, n in pairs]),
                self.settings,
            )
            links.extend((r, n, c) for (r, n), c in zip(pairs, decided, strict=True) if c.linked)
        return links, copies

    def _exact_links(self, run: RunDocs, new: np.ndarray) -> list[tuple[int, int, Comparison]]:
        """Verified pairs among the new documents (rows of ``new``), exactly as a run finds them."""
        if not len(new):
            return []
        candidates = pairs_from_keys(run.keys[new], run.whole[new], np.flatnonzero(run.sizes[new] > 0))
        out = []
        for i, j in candidates.tolist():
            c = compare(run.shingles, int(new[i]), int(new[j]), self.settings)
            if c.linked:
                out.append((i, j, c))
        return out

    def _gather(self, seeds: set[int]) -> tuple[dict[int, IndexedDoc], list[Link]]:
        """Indexed documents connected to ``seeds`` by stored links or a shared cluster, and their links."""
        docs: dict[int, IndexedDoc] = {}
        links: dict[tuple[int, int], Link] = {}
        frontier = set(seeds)
        while frontier:
            found = self.store.docs(frontier)
            docs.update(found)
            reached: set[int] = set()
            for link in self.store.links(frontier):
                links[link.a, link.b] = link
                reached.update((link.a, link.b))
            canonicals = {d.canonical for d in found.values()}
            reached |= canonicals | self.store.members(canonicals)
            frontier = reached - docs.keys()
        return docs, list(links.values())

    def _graph(self, docs: dict[int, IndexedDoc], fresh: _Fresh | None = None) -> tuple[_Graph, dict[int, int]]:
        """The ``fresh`` documents first, then the indexed ``docs``; also where each indexed ``n`` is."""
        fresh = fresh or _Fresh.nothing(self.settings.num_perm)
        old = [docs[n] for n in sorted(docs)]
        where = {d.n: len(fresh.ids) + v for v, d in enumerate(old)}
        stored = self.store.signatures(old)
        graph = _Graph(
            ids=fresh.ids + [d.id for d in old],
            numbers=fresh.numbers + [d.n for d in old],
            previous=[-1] * len(fresh.ids) + [d.canonical for d in old],
            dates=fresh.dates + [d.date for d in old],
            sizes=np.array(fresh.sizes + [d.size for d in old], np.int64),
            chars=np.array(fresh.chars + [d.chars for d in old], np.int64),
            sig=Signatures(
                np.concatenate([fresh.sig.minima, stored.minima]),
                np.concatenate([fresh.sig.marks, stored.marks]),
                np.concatenate([fresh.sig.sizes, stored.sizes]),
            ),
            fresh=len(fresh.ids),
            exact=fresh.exact,
            settings=self.settings,
        )
        return graph, where

    def _update(self, graph: _Graph, placed: list[tuple[int, Measures]]) -> int:
        """Store the new cluster of each indexed document of ``graph`` that changed; return how many
        changed cluster."""
        changed = 0
        for v in range(graph.fresh, len(graph.ids)):
            canonical, measures = placed[v]
            n = graph.numbers[v]
            target = graph.numbers[canonical]
            self.store.assign(n, target, measures)
            changed += target != graph.previous[v]
        return changed

    def _unband(self, doc: IndexedDoc) -> None:
        """Take a document out of the band tables; an exact copy of it takes its place there."""
        if not doc.size:
            return
        whole = self.store.whole_of(doc.n)
        copies = self.store.copies(whole)
        if copies[0] != doc.n:
            return
        bands, rows = self.store.bands, int(self.store.meta["rows"])
        keys = band_keys(self.store.signatures([doc]).minima, bands, rows)[0]
        self.store.unband(doc.n, keys)
        if len(copies) > 1:
            successor = self.store.docs([copies[1]])[copies[1]]
            following = band_keys(self.store.signatures([successor]).minima, bands, rows)
            self.store.add_docs([], [(successor.n, following[0])])

    def _result(self, run: RunDocs, result: DedupResult) -> DedupResult:
        """The run's documents as the index now clusters them (see :meth:`ingest`)."""
        numbers = self.store.numbers(run.ids)
        docs = self.store.docs(numbers.values())
        canonical_ids = {d.n: d.id for d in self.store.docs({d.canonical for d in docs.values()}).values()}
        assignment = Assignment()
        members: dict[str, list[Member]] = {}
        in_run = set(run.ids)
        for doc_id in run.ids:
            d = docs[numbers[doc_id]]
            if d.canonical == d.n:
                continue
            cid = canonical_ids[d.canonical]
            assignment[doc_id] = (cid, cid, d.similarity, d.relation)
            if cid in in_run:
                members.setdefault(cid, []).append(Member(doc_id, d.jaccard or 0.0, d.containment or 0.0, d.relation))
        visible = [
            Cluster(cid, cid, sorted([Member(cid, 1.0, 1.0, None), *listed], key=lambda m: m.id))
            for cid, listed in sorted(members.items())
        ]
        duplicates = len(assignment)
        stats = dict(result.stats)
        stats.update(
            clusters=len(visible),
            duplicates=duplicates,
            duplicate_rate=duplicates / len(run.ids) if run.ids else 0.0,
        )
        return DedupResult(clusters=visible, assignment=assignment, stats=stats, histogram=result.histogram)


def _matched(placed: list[tuple[int, Measures]], fresh: int) -> int:
    """New documents (the first ``fresh`` nodes) whose cluster holds an indexed document."""
    groups: dict[int, list[int]] = {}
    for v, (canonical, _) in enumerate(placed):
        groups.setdefault(canonical, []).append(v)
    return sum(sum(1 for v in group if v < fresh) for group in groups.values() if any(v >= fresh for v in group))


def _wal_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _no_exact(i: int, j: int) -> Comparison:
    raise AssertionError("indexed documents have no shingles to compare exactly")


@contextmanager
def ingesting(
    path: str | Path | None, settings: DedupSettings, timeout: float, out: str | Path | None = None
) -> Iterator[PersistentIndex | None]:
    """Open the index at ``path`` (``None``: no index) for a run writing to ``out``; commit what the
    run ingested when the block ends without an error, roll it back otherwise.

    Opened before the run's work starts, so a missing folder, a damaged or newer index or other
    dedup settings stop the run at once; the write lock is taken only when the run ingests.

    There is no default path (``[index] path = ""``): a run without an index stays what it was.
    An index inside the output folder is refused rather than carried over: every run builds a
    new folder and swaps it for the old one (:func:`cleaner.io.writers.atomic_dir`), so the file
    would move under other processes ingesting into it, and a failed swap could lose it. The
    index lives beside the outputs, named in the config (next to it, like the review file) or
    with ``--index``.
    """
    if path is None:
        yield None
        return
    path = Path(path)
    if out is not None and Path(out).resolve() in path.resolve().parents:
        raise IndexFileError(
            str(path),
            f"is inside the output folder {out}, which every run replaces; keep the index outside it, e.g. "
            f"--index {Path(out).name}.index.sqlite beside the folder",
        )
    index = PersistentIndex(path, settings, create=True, timeout=timeout)
    try:
        yield index
        index.commit()
    except BaseException:
        index.rollback()
        raise
    finally:
        index.close()
