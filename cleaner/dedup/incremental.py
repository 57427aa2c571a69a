"""Deduplicate documents one at a time, each against every document added before it.

:func:`~cleaner.dedup.index.cluster_sketches` sees the whole corpus before it decides anything,
so it can choose the most complete copy of a story as its canonical document. A stream cannot
wait for the end: each document's assignment is needed as soon as it arrives, and it is final.
So this module keeps the same steps (shingles, MinHash, LSH bands, exact verification with
:func:`~cleaner.dedup.verify.compare`) but decides greedily:

- a new document joins the cluster of the earliest-added canonical document it verifies
  against; the clusters to try are those of the documents it shares an LSH band with (an exact
  copy, with the same whole signature, tries its original's cluster first);
- otherwise it starts a cluster of its own and is its canonical document. The canonical of a
  story is therefore its first copy seen (``dedup.canonical`` does not apply), and a later,
  fuller version is a member whose relation is ``contains``;
- an earlier assignment never changes. As in the whole-corpus run, every member verifies
  against its canonical (there are no chains), so a document that links only to another member
  starts a cluster of its own.

Review decisions apply as in a run: a document never joins a cluster holding a document it is
marked ``distinct`` (or ``split``) from, and a document marked ``merged`` with an earlier one
joins that one's cluster without verification.

Memory is bounded by sketches, never texts: per document its id, a few numbers and its band
keys (65 keys of 32 bits, each with the document's number, in sorted numpy arrays: 520 bytes
with the default 64 bands); the shingle sets of canonical documents, which verification reads
back, go to a temporary file. An exact copy that joins its original's cluster is not banded
again, so a thousand copies of one text cost a thousand lookups, not a million comparisons.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import xxhash

from cleaner.dedup.index import _relation
from cleaner.dedup.lsh import band_keys, optimal_param
from cleaner.dedup.minhash import minhash
from cleaner.dedup.model import DedupItem
from cleaner.dedup.normalize import fmix64
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, shingle_batch
from cleaner.dedup.verify import Comparison, compare

# (cluster, duplicate_of, similarity, relation), as in DedupResult.assignment.
Placement = tuple[str, str | None, float | None, str | None]

_SALT_STEP = np.uint64(0x9E3779B97F4A7C15)


class IncrementalDedup:
    """Assign each added document to a cluster at once (see the module docstring).

    ``distinct`` and ``merged`` are review decisions as id pairs; ``spill`` is the folder of the
    temporary shingle file (the system's temporary folder by default). Close it (or use it as a
    context manager) to remove that file.
    """

    def __init__(
        self,
        settings: DedupSettings | None = None,
        distinct: Iterable[tuple[str, str]] = (),
        merged: Iterable[tuple[str, str]] = (),
        spill: Path | None = None,
    ) -> None:
        self.settings = settings or DedupSettings()
        self._bands, self._rows = optimal_param(self.settings.lsh_threshold, self.settings.num_perm)
        # One salt per band and one for the whole signature: the keys of all bands share one index.
        self._salts = fmix64(np.arange(1, self._bands + 2, dtype=np.uint64) * _SALT_STEP)
        self._keys = _KeyIndex()
        self._shingles = _CanonicalShingles(spill)
        self._position: dict[str, int] = {}
        self._ids: list[str] = []
        self._canonical = array("q")
        self._sizes = array("q")
        self._avoid = _neighbours(distinct)
        self._partners = _neighbours(merged)
        self.stats: Counter[str] = Counter(documents=0, clusters=0, duplicates=0, compared=0)
        self._members = Counter[int]()

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._position

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, item: DedupItem) -> Placement:
        """Place one document; raises ``ValueError`` for an id added before."""
        return self.add_many([item])[0]

    def add_many(self, items: Sequence[DedupItem]) -> list[Placement]:
        """Place documents in order, each against every one before it (earlier ones of ``items``
        too), exactly as one :meth:`add` after another; sketching them together is faster."""
        fresh: set[str] = set()
        for item in items:
            if item.id in self._position or item.id in fresh:
                raise ValueError(f"duplicate document id {item.id!r}: every item needs its own id")
            fresh.add(item.id)
        batch = shingle_batch([item.text for item in items], self.settings)
        keys = self._salted(batch)
        return [self._place(item.id, batch.get(k), batch.sequence(k), keys[k]) for k, item in enumerate(items)]

    def _place(self, doc_id: str, hashes: np.ndarray, sequence: np.ndarray | None, keys: np.ndarray) -> Placement:
        k = len(self._ids)
        blocked = self._clusters_of(self._avoid.get(doc_id, ()))
        placed = self._join(hashes, sequence, sorted(self._clusters_of(self._partners.get(doc_id, ())) - blocked))
        copy = False
        if len(hashes) and placed is None:
            # An exact copy (same whole signature) is compared with its original's canonical only;
            # when that fails (a rare 32-bit collision, a decision), the bands are searched as well.
            tried = self._canonicals(self._keys.lookup(keys[-1:]), blocked)
            placed = self._join(hashes, sequence, tried, verified=True)
            copy = placed is not None
            if placed is None:
                banded = self._canonicals(self._keys.lookup(keys[:-1]), blocked | set(tried))
                placed = self._join(hashes, sequence, banded, verified=True)
        self._position[doc_id] = k
        self._ids.append(doc_id)
        self._sizes.append(len(hashes))
        self.stats["documents"] += 1
        if placed is None:
            self._canonical.append(k)
            self._shingles.append(hashes, sequence)
            if len(hashes):
                self._keys.add(k, keys)
            return (doc_id, None, None, None)
        canonical, comparison = placed
        self._canonical.append(canonical)
        self._shingles.append(None, None)
        if len(hashes) and not copy:
            self._keys.add(k, keys)
        self._members[canonical] += 1
        self.stats["clusters"] += int(self._members[canonical] == 1)
        self.stats["duplicates"] += 1
        relation, similarity = _relation(comparison, member_smaller=len(hashes) <= self._sizes[canonical])
        cid = self._ids[canonical]
        return (cid, cid, similarity, relation)

    def _salted(self, batch: ShingleBatch) -> np.ndarray:
        """Per document its band keys and, last, the key of its whole signature, each salted with
        its position so that one index holds them all: ``(documents, bands + 1)``."""
        signatures = minhash(batch, self.settings)
        whole = np.fromiter((xxhash.xxh3_64_intdigest(s.tobytes()) for s in signatures), np.uint64, len(signatures))
        salted = np.column_stack([band_keys(signatures, self._bands, self._rows), whole]) ^ self._salts
        return (salted >> np.uint64(32)).astype(np.uint32)

    def _canonicals(self, docs: np.ndarray, leave_out: set[int]) -> list[int]:
        """The canonical documents of ``docs``' clusters, earliest first."""
        return sorted({self._canonical[d] for d in docs.tolist()} - leave_out)

    def _clusters_of(self, ids: Iterable[str]) -> set[int]:
        return {self._canonical[self._position[i]] for i in ids if i in self._position}

    def _join(
        self, hashes: np.ndarray, sequence: np.ndarray | None, canonicals: list[int], verified: bool = False
    ) -> tuple[int, Comparison] | None:
        """The first of ``canonicals`` (earliest first) the new document verifies against, with the
        comparison; without ``verified`` the first one, whatever the comparison says (merges)."""
        for canonical in canonicals:
            pair = _Pair(hashes, sequence, *self._shingles.get(canonical))
            comparison = compare(pair, 0, 1, self.settings)
            self.stats["compared"] += 1
            if comparison.linked or not verified:
                return canonical, comparison
        return None

    def close(self) -> None:
        """Remove the temporary shingle file."""
        self._shingles.close()

    def __enter__(self) -> IncrementalDedup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _neighbours(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        if a != b:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


class _Pair:
    """Two documents as :func:`compare` reads them: 0 is the new one, 1 the canonical."""

    def __init__(self, a: np.ndarray, seq_a: np.ndarray | None, b: np.ndarray, seq_b: np.ndarray | None) -> None:
        self._sets, self._sequences = (a, b), (seq_a, seq_b)

    def __len__(self) -> int:
        return 2

    def get(self, k: int) -> np.ndarray:
        return self._sets[k]

    def sequence(self, k: int) -> np.ndarray | None:
        return self._sequences[k]


class _CanonicalShingles:
    """Per document in order, the shingle set of a canonical one (members are never compared
    again), appended to an anonymous temporary file and read back with one ``pread``; short
    documents' token sequences stay in memory."""

    def __init__(self, folder: Path | None) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - lives as long as the object; close() ends it
        self._starts = array("q")
        self._sizes = array("q")
        self._sequences: dict[int, np.ndarray] = {}
        self._end = 0

    def append(self, hashes: np.ndarray | None, sequence: np.ndarray | None) -> None:
        data = b"" if hashes is None else hashes.astype(np.uint64, copy=False).tobytes()
        if sequence is not None:
            self._sequences[len(self._starts)] = sequence
        os.pwrite(self._file.fileno(), data, self._end)
        self._starts.append(self._end)
        self._sizes.append(len(data))
        self._end += len(data)

    def get(self, k: int) -> tuple[np.ndarray, np.ndarray | None]:
        size = self._sizes[k]
        data = os.pread(self._file.fileno(), size, self._starts[k]) if size else b""
        return np.frombuffer(data, np.uint64), self._sequences.get(k)

    def close(self) -> None:
        self._file.close()


class _KeyIndex:
    """32-bit keys → the documents that hold them, while documents keep arriving.

    The latest documents' keys wait in a small dict; when it holds ``_PENDING`` keys it becomes a
    sorted segment (keys and documents, 8 bytes a key), and segments of similar size are merged,
    as in a binary counter, so there are O(log n) segments, each key is merged O(log n) times and
    a lookup is a binary search in each. Merging is a stable sort of two sorted runs, which numpy's
    timsort does in linear time. Keys are 32 bits: a chance collision only adds a candidate, which
    verification then rejects.
    """

    _PENDING = 1 << 16

    def __init__(self) -> None:
        self._segments: list[tuple[np.ndarray, np.ndarray]] = []
        self._recent: dict[int, list[int]] = {}
        self._pending = 0

    def add(self, doc: int, keys: np.ndarray) -> None:
        for key in keys.tolist():
            self._recent.setdefault(key, []).append(doc)
        self._pending += len(keys)
        if self._pending >= self._PENDING:
            self._flush()

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The documents holding any of ``keys``, each once, in the order they were added."""
        found = [np.array([d for key in keys.tolist() for d in self._recent.get(key, ())], np.int64)]
        for sorted_keys, docs in self._segments:
            lo = np.searchsorted(sorted_keys, keys, side="left")
            counts = np.searchsorted(sorted_keys, keys, side="right") - lo
            if counts.any():
                starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
                found.append(docs[starts + np.arange(int(counts.sum()))].astype(np.int64))
        return np.unique(np.concatenate(found))

    def _flush(self) -> None:
        keys = np.fromiter((k for k, docs in self._recent.items() for _ in docs), np.uint32, self._pending)
        docs = np.fromiter((d for ds in self._recent.values() for d in ds), np.uint32, self._pending)
        order = np.argsort(keys, kind="stable")
        self._segments.append((keys[order], docs[order]))
        self._recent, self._pending = {}, 0
        while len(self._segments) > 1 and 2 * len(self._segments[-1][0]) > len(self._segments[-2][0]):
            (k2, d2), (k1, d1) = self._segments.pop(), self._segments.pop()
            keys, docs = np.concatenate([k1, k2]), np.concatenate([d1, d2])
            order = np.argsort(keys, kind="stable")
            self._segments.append((keys[order], docs[order]))
