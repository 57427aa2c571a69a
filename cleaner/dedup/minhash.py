"""Shingle-hash sets → MinHash signatures, a whole batch of documents at a time.

The values equal datasketch's ``MinHash(num_perm, seed, hashfunc=...)`` fed the same 32-bit
shingle hashes (a differential test proves it), so signatures can be compared with, or stored
beside, sketches that other tools made with datasketch. The permutation parameters are drawn
exactly as datasketch draws them from ``np.random.RandomState(seed)``:

- ``affine32`` (datasketch's default since 2.0): the hash is pre-mixed with the 32-bit MurmurHash3
  finalizer, then permuted with ``a·h + b mod 2^32`` (``a`` odd). Values are uint32.
- ``legacy`` (datasketch before 2.0, ``scheme="legacy"``): ``(a·h + b) mod (2^61 - 1)`` truncated
  to 32 bits, where ``a·h`` wraps around 2^64 first, as in datasketch. Values are uint64.

Instead of one document at a time, the shingle hashes of many documents are permuted as one
matrix and reduced per document with ``np.minimum.reduceat``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, hash32, shingle_batch

_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH_32 = np.uint64((1 << 32) - 1)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
# Permute about this many shingle hashes at once: the (num_perm × shingles) matrix stays in cache.
_CHUNK_SHINGLES = 4096
# Per thread, the matrix the permutations are written into, reused from chunk to chunk. A fresh
# matrix of a few megabytes for each chunk is mapped from the system and faulted in page by page
# (glibc maps allocations this large), which cost more than the arithmetic itself.
_SCRATCH = threading.local()


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters of the ``num_perm`` permutations, as datasketch draws them."""
    gen = np.random.RandomState(seed)
    if scheme == "legacy":
        pairs = np.array(
            [
                (gen.randint(1, _MERSENNE_PRIME, dtype=np.uint64), gen.randint(0, _MERSENNE_PRIME, dtype=np.uint64))
                for _ in range(num_perm)
            ],
            dtype=np.uint64,
        )
        a, b = pairs[:, 0].copy(), pairs[:, 1].copy()
    else:
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


def signatures(texts: Sequence[str], settings: DedupSettings | None = None) -> np.ndarray:
    """MinHash signatures of a batch of texts: ``(len(texts), num_perm)``, uint32 (uint64 for legacy).

    Self-contained (texts in, array out) so that it can run in a worker process.
    """
    settings = settings or DedupSettings()
    return minhash(shingle_batch(texts, settings), settings)


def minhash(batch: ShingleBatch, settings: DedupSettings) -> np.ndarray:
    """Signatures of the shingle sets in ``batch``; an empty set keeps datasketch's all-max signature.

    Documents are taken a few thousand shingles at a time; their hashes are permuted as one
    ``(num_perm, shingles)`` matrix and each document's columns reduced with ``np.minimum.reduceat``.
    """
    a, b = permutations(settings.num_perm, settings.seed, settings.scheme)
    legacy = settings.scheme == "legacy"
    dtype = np.uint64 if legacy else np.uint32
    out = np.full((len(batch), settings.num_perm), _MAX_HASH_32, dtype)
    values = hash32(batch.hashes)
    sizes = np.diff(batch.offsets)
    offsets = batch.offsets
    first = 0
    while first < len(batch):
        last = int(np.searchsorted(offsets, offsets[first] + _CHUNK_SHINGLES, side="right")) - 1
        last = min(max(last, first + 1), len(batch))
        docs = first + np.flatnonzero(sizes[first:last])
        if len(docs):
            chunk = values[offsets[first] : offsets[last]]
            if legacy:
                permuted = _permute_legacy(chunk, a, b)
            else:
                permuted = _permute_affine32(chunk, a, b, _scratch(len(a), len(chunk)))
            out[docs] = np.minimum.reduceat(permuted, offsets[docs] - offsets[first], axis=1).T
        first = last
    return out


def permute(values: np.ndarray, settings: DedupSettings) -> np.ndarray:
    """The ``(num_perm, len(values))`` permuted values of 32-bit shingle hashes, whose minimum per
    row is the signature. For callers that need more than the minimum, such as which shingle
    gave it (the persistent index records that)."""
    a, b = permutations(settings.num_perm, settings.seed, settings.scheme)
    return _permute_legacy(values, a, b) if settings.scheme == "legacy" else _permute_affine32(values, a, b)


def _scratch(rows: int, columns: int) -> np.ndarray:
    """A ``(rows, columns)`` uint32 view of this thread's reusable matrix, grown when too small."""
    matrix = getattr(_SCRATCH, "matrix", None)
    if matrix is None or matrix.shape[0] != rows or matrix.shape[1] < columns:
        matrix = _SCRATCH.matrix = np.empty((rows, max(columns, 2 * _CHUNK_SHINGLES)), np.uint32)
    return matrix[:, :columns]


def _permute_affine32(values: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX32
    h = values ^ (values >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s1
    permuted = np.multiply(a[:, None], h[None, :], out=out)
    permuted += b[:, None]
    return permuted


def _permute_legacy(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    permuted = a[:, None] * values.astype(np.uint64)[None, :]
    permuted += b[:, None]
    permuted %= _MERSENNE_PRIME
    permuted &= _MAX_HASH_32
    return permuted
