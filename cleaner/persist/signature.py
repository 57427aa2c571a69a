"""What the persistent index keeps of a document instead of its text: a signature of 5 bytes per
MinHash permutation.

Verification within a run compares exact shingle sets. The index keeps no shingle sets: they are
about as large as the text, and with them anyone could test guesses at a text. Per permutation of
the document's MinHash it keeps:

- the minimum, the ordinary MinHash value (4 bytes). The minima estimate the shared shingles and
  from them Jaccard similarity and containment (:mod:`cleaner.persist.estimate`);
- one mark byte about the shingle that gave the minimum. Bit 0 says whether it holds a figure:
  where one document's minimum lies below the other's, that shingle is one of the first
  document's shingles missing from the second, drawn at random, so the marks estimate the share
  of figures among the missing shingles, which tells template items (the same text with other
  figures) from edited copies. Bits 1-7 are a fingerprint (1-127) of the shingle
  ``min_passage - 1`` places after it in the text, 0 when the text ends sooner: where two
  documents share a minimum and its fingerprint, the shared shingle starts a shared passage of
  ``min_passage`` shingles, which edited copies have and stories sharing scattered phrases do not.

The minima equal :func:`cleaner.dedup.minhash.minhash` (so a document's band keys are the run's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleaner.dedup.minhash import permute
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, hash32

# Shingles permuted at once: the (num_perm × shingles) matrices stay in cache, as in minhash.
_CHUNK_SHINGLES = 4096
_EMPTY = np.uint32(0xFFFFFFFF)
_ONE = np.uint64(1)
_HALF = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)
# The fingerprint takes the top bits of the following shingle's hash, folded into 1..127.
_FINGERPRINT_SHIFT = np.uint64(57)


@dataclass(frozen=True)
class Signatures:
    """Index signatures of a batch: ``minima`` (documents, num_perm) uint32, ``marks`` of the same
    shape, uint8, and ``sizes``, the number of shingles of each document."""

    minima: np.ndarray
    marks: np.ndarray
    sizes: np.ndarray

    def __len__(self) -> int:
        return len(self.sizes)

    def blob(self, k: int) -> bytes:
        """Document ``k``'s signature as stored: the minima as little-endian uint32, then the marks."""
        return self.minima[k].astype("<u4").tobytes() + self.marks[k].tobytes()

    @classmethod
    def from_blobs(cls, blobs: list[bytes], sizes: list[int], num_perm: int) -> Signatures:
        """The inverse of :meth:`blob` for several documents."""
        raw = np.frombuffer(b"".join(blobs), np.uint8).reshape(len(blobs), 5 * num_perm)
        minima = raw[:, : 4 * num_perm].copy().view("<u4").astype(np.uint32)
        return cls(minima, raw[:, 4 * num_perm :].copy(), np.asarray(sizes, np.int64))

    def take(self, rows: np.ndarray) -> Signatures:
        return Signatures(self.minima[rows], self.marks[rows], self.sizes[rows])


def signatures(batch: ShingleBatch, settings: DedupSettings) -> Signatures:
    """Index signatures of every document of ``batch`` (an empty document keeps the all-max minima
    and zero marks, like an empty MinHash)."""
    n, num_perm = len(batch), settings.num_perm
    minima = np.full((n, num_perm), _EMPTY, np.uint32)
    marks = np.zeros((n, num_perm), np.uint8)
    sizes = np.diff(batch.offsets)
    offsets, hashes = batch.offsets, batch.hashes
    values = hash32(hashes)
    follow = settings.min_passage - 1
    first = 0
    while first < n:
        last = int(np.searchsorted(offsets, offsets[first] + _CHUNK_SHINGLES, side="right")) - 1
        last = min(max(last, first + 1), n)
        docs = first + np.flatnonzero(sizes[first:last])
        lo, hi = int(offsets[first]), int(offsets[last])
        first = last
        if not len(docs):
            continue
        # Value and column in one uint64, so that one minimum finds both the minimum and the first
        # shingle (in text order) that holds it.
        keyed = permute(values[lo:hi], settings).astype(np.uint64)
        keyed <<= _HALF
        keyed |= np.arange(hi - lo, dtype=np.uint64)
        lows = np.minimum.reduceat(keyed, offsets[docs] - lo, axis=1)
        perm, local = np.indices(lows.shape).reshape(2, -1)
        low = lows.ravel()
        position = (low & _LOW).astype(np.int64) + lo
        doc = docs[local]
        minima[doc, perm] = (low >> _HALF).astype(np.uint32)
        after = position + follow
        inside = after < offsets[doc + 1]
        fingerprint = np.zeros(len(position), np.uint8)
        fingerprint[inside] = 1 + (hashes[after[inside]] >> _FINGERPRINT_SHIFT) % np.uint64(127)
        marks[doc, perm] = (hashes[position] & _ONE).astype(np.uint8) | (fingerprint << np.uint8(1))
    return Signatures(minima, marks, sizes.astype(np.int64))
