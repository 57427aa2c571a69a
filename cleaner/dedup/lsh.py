"""MinHash signatures → candidate pairs, by LSH banding.

The signature is cut into ``bands`` bands of ``rows`` values; two documents become a candidate pair
when all values of at least one band agree, which happens with probability ``1 - (1 - J^rows)^bands``
for Jaccard similarity ``J``. Bands and rows come from :func:`optimal_param`, the same search
datasketch's ``MinHashLSH`` runs. Grouping is done per band with one numpy sort of the band keys,
not with a dict per document, so that a million documents cost a few sorts.

Documents with identical signatures (exact copies, above all) are banded once: the others are
paired with the first of them only. A thousand copies of one text then make 999 pairs, not half a
million per band.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner.dedup.normalize import fmix64

_BAND_MULTIPLIER = np.uint64(0xD1B54A32D192ED03)


@lru_cache(maxsize=64)
def optimal_param(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """``(bands, rows)`` minimising the weighted area of false positives below ``threshold`` and
    false negatives above it, over every ``bands·rows ≤ num_perm`` (datasketch's ``_optimal_param``).

    The areas are integrals of polynomials of degree ``bands·rows ≤ num_perm``, which Gauss-Legendre
    quadrature with ``num_perm // 2 + 1`` nodes computes exactly, for every choice at once in
    numpy; SciPy's adaptive ``quad`` (datasketch's way) would cost every worker process the
    import of ``scipy.integrate`` and some 1,400 calls.
    """
    choices = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in choices], np.float64)[:, None]
    rows = np.array([r for _, r in choices], np.float64)[:, None]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def area(low: float, high: float, positive: bool) -> np.ndarray:
        s = (high - low) / 2 * nodes + (high + low) / 2
        missed = (1 - s**rows) ** bands  # the chance that no band agrees
        return (high - low) / 2 * ((1 - missed) if positive else missed) @ weights

    error = area(0.0, threshold, True) * false_positive_weight + area(threshold, 1.0, False) * false_negative_weight
    return choices[int(np.argmin(error))]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per document and band: ``(documents, bands)``, uint64."""
    n = len(signatures)
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    keys = np.zeros((n, bands), np.uint64)
    for r in range(rows):
        keys *= _BAND_MULTIPLIER
        keys += values[:, :, r]
    return fmix64(keys)


def sketch_keys(signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """What banding needs of a batch of signatures: the band keys ``(documents, bands)`` and one key
    of the whole signature per document. Computed where the signatures are made (in the workers),
    so the cluster step holds keys, never signatures.

    Band keys are cut to 32 bits: the cluster step holds one per document and band (256 bytes a
    document instead of 512), and a chance agreement of two keys only adds a candidate pair that
    verification rejects (about n²/2³³ per band: some 100 pairs per band among a million
    documents). The whole-signature key stays 64 bits, since equal ones make pairs directly.
    """
    return _narrow(band_keys(signatures, bands, rows)), band_keys(signatures, 1, signatures.shape[1])[:, 0]


def _narrow(keys: np.ndarray) -> np.ndarray:
    """The high 32 bits of mixed 64-bit keys."""
    return (keys >> np.uint64(32)).astype(np.uint32)


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Candidate pairs of rows of ``signatures`` (see :func:`pairs_from_keys`)."""
    return pairs_from_keys(*sketch_keys(signatures, bands, rows))


def pairs_from_keys(
    keys: np.ndarray | Sequence[np.ndarray], whole: np.ndarray, docs: np.ndarray | None = None
) -> np.ndarray:
    """Candidate pairs: ``(pairs, 2)`` (int32 while document numbers fit), ``i < j``, sorted, unique.

    Every pair of ``docs`` (all documents when ``None``) that agrees on a whole band, except that of
    documents with identical signatures only the pairs with the first of them are listed (see the
    module docstring). ``keys`` is ``(documents, bands)``, or a list of such blocks for consecutive
    batches of documents. One band is taken out of them at a time, so that memory stays at the
    keys themselves plus one band: the blocks are never joined into a second copy.
    """
    blocks = [keys] if isinstance(keys, np.ndarray) else list(keys)
    leaders, copies = exact_copies(whole, docs)
    found = PairSet(len(whole))
    found.add(copies)
    for band in range(blocks[0].shape[1] if blocks else 0):
        column = np.concatenate([block[:, band] for block in blocks])
        found.add(leaders[pairs_in_band(column[leaders])])
    return found.pairs()


class PairSet:
    """Unique pairs of document numbers gathered band by band, held as one int64 code per pair.

    Most pairs turn up in several bands; folding the new ones into the unique set every few
    bands keeps memory near 8 bytes per distinct pair rather than 16 per pair and band. Folding
    sorts in place and decoding goes block by block, so the peak stays near twice the codes.
    """

    _FOLD_EVERY = 8
    _DECODE_BLOCK = 1 << 20

    def __init__(self, documents: int) -> None:
        self.size = max(documents, 1)
        self._unique = np.empty(0, np.int64)
        self._new: list[np.ndarray] = []

    def add(self, pairs: np.ndarray) -> None:
        """Add ``(pairs, 2)`` document numbers, in either order within a pair."""
        if len(pairs):
            pairs = pairs.reshape(-1, 2).astype(np.int64, copy=False)
            low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
            self._new.append(low * self.size + high)
        if len(self._new) >= self._FOLD_EVERY:
            self._fold()

    def _fold(self) -> None:
        if not self._new:
            return
        merged = np.concatenate([self._unique, *self._new])
        self._unique, self._new = np.empty(0, np.int64), []
        merged.sort()
        keep = np.empty(len(merged), bool)
        keep[:1] = True
        np.not_equal(merged[1:], merged[:-1], out=keep[1:])
        self._unique = merged[keep]

    def pairs(self) -> np.ndarray:
        """The distinct pairs, ``(pairs, 2)``, ``i < j``, sorted; int32 while document numbers fit
        (half the memory of int64), else int64."""
        self._fold()
        codes, self._unique = self._unique, np.empty(0, np.int64)
        out = np.empty((len(codes), 2), np.int32 if self.size <= np.iinfo(np.int32).max else np.int64)
        for start in range(0, len(codes), self._DECODE_BLOCK):
            block = codes[start : start + self._DECODE_BLOCK]
            out[start : start + len(block), 0], out[start : start + len(block), 1] = np.divmod(block, self.size)
        return out


def exact_copies(whole: np.ndarray, docs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(leaders, pairs)``: of each set of ``docs`` with identical signatures (equal ``whole`` keys)
    the first, which alone is banded, and the pairs of every other member with its first.

    Split from banding so that an engine that groups band keys elsewhere (on a cluster) pairs the
    same documents.
    """
    docs = np.arange(len(whole)) if docs is None else np.asarray(docs, np.int64)
    _, first, group = np.unique(whole[docs], return_index=True, return_inverse=True)
    copies = np.flatnonzero(first[group] != np.arange(len(docs)))
    return docs[first], np.stack([docs[first[group][copies]], docs[copies]], axis=1)


def unique_pairs(codes: list[np.ndarray], documents: int) -> np.ndarray:
    """Pairs of document numbers below ``documents`` from several arrays, each ``i < j``, sorted and
    unique: ``(pairs, 2)`` int64."""
    found = PairSet(documents)
    for pairs in codes:
        found.add(pairs)
    return found.pairs()


def pairs_in_band(key: np.ndarray) -> np.ndarray:
    """Pairs ``(p, q)`` of positions with equal keys in one band, ``(pairs, 2)``."""
    n = len(key)
    order, ordered = _stable_order(key)
    same_as_next = ordered[1:] == ordered[:-1]
    if not same_as_next.any():
        return np.empty((0, 2), np.int64)
    # For every position p, how many later positions share its key: the rest of its run.
    run_id = np.concatenate([[0], np.cumsum(~same_as_next)])
    run_end = np.flatnonzero(np.concatenate([~same_as_next, [True]]))
    later = run_end[run_id] - np.arange(n)
    left = np.repeat(np.arange(n), later)
    step = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later) + 1
    return np.stack([order[left], order[left + step]], axis=1)


_LOW32 = np.uint64(0xFFFFFFFF)


def _stable_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable sorting order of ``key`` and the keys in that order.

    Unsigned keys of 32 bits (the local engine's band keys) are packed above their position into
    one 64-bit value and sorted plainly, a fifth of the time of a stable argsort; wider keys (the
    Dask engine's, which carry their band) take the argsort.
    """
    if key.dtype.kind == "u" and key.dtype.itemsize <= 4 and len(key) <= 1 << 32:
        packed = key.astype(np.uint64) << np.uint64(32)
        packed |= np.arange(len(key), dtype=np.uint64)
        packed.sort()
        return (packed & _LOW32).astype(np.int64), packed >> np.uint64(32)
    order = np.argsort(key, kind="stable")
    return order, key[order]
