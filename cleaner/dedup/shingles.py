"""Token hashes → sets of 64-bit shingle hashes, for a batch of texts at once in numpy.

No n-gram string is ever built: the hash of the n-gram starting at token ``i`` is the polynomial
``t[i]·M^(n-1) + … + t[i+n-1]`` (mod 2^64) over the token hashes, computed for every position of
the batch at once from shifted arrays and then avalanched with ``fmix64``. It is a function of the
n tokens alone, so anyone holding the tokens can recompute it (the datasketch differential test
does). Word texts use ``ngram`` words, character texts ``char_ngram`` characters; a text with fewer
tokens than that gets one shingle of all its tokens.

The lowest bit of a shingle hash says whether any of its tokens holds a digit. Verification uses it
to tell template stories (that differ only in figures) from edited copies; MinHash takes the top 32
bits (:func:`hash32`), which the flag does not touch.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.dedup.normalize import TokenBatch, fmix64, token_batch
from cleaner.dedup.settings import DedupSettings

M = np.uint64(0xD6E8FEB86659FD93)
_ONE = np.uint64(1)
# Texts are tokenised this many characters at a time: big enough to amortise numpy's per-call cost,
# small enough that the temporary arrays stay in cache.
_CHUNK_CHARS = 1 << 16


@dataclass(frozen=True, slots=True)
class ShingleBatch:
    """The shingle sets of a batch of texts, without the texts.

    ``hashes[offsets[k]:offsets[k + 1]]`` is text ``k``'s set, uint64, each shingle once, in the
    order of its first occurrence: verification needs the order to find shared passages.
    ``sequences[k]`` is text ``k``'s token-hash sequence when the text is short (fewer than
    ``short_shingles`` shingles), which rapidfuzz compares instead of the few shingles, and
    ``None`` otherwise, so that memory stays bounded by the shingle sets. ``chars`` is each text's
    length in characters.
    """

    hashes: np.ndarray
    offsets: np.ndarray
    sequences: list[np.ndarray | None]
    chars: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def get(self, k: int) -> np.ndarray:
        """Text ``k``'s shingle hashes, each once, in text order."""
        return self.hashes[self.offsets[k] : self.offsets[k + 1]]

    def sequence(self, k: int) -> np.ndarray | None:
        """Text ``k``'s token hashes when it is short, else ``None``."""
        return self.sequences[k]


def shingle_batch(texts: Sequence[str], settings: DedupSettings) -> ShingleBatch:
    """Tokenise, shingle, hash and deduplicate a batch of texts."""
    sets: list[np.ndarray] = []
    sequences: list[np.ndarray | None] = []
    first = 0
    while first < len(texts):
        last, size = first, 0
        while last < len(texts) and (last == first or size + len(texts[last]) <= _CHUNK_CHARS):
            size += len(texts[last])
            last += 1
        tokens = token_batch(texts[first:last], settings)
        for k, shingles in enumerate(_chunk_shingles(tokens, settings)):
            sets.append(shingles)
            sequences.append(tokens.get(k) if len(shingles) < settings.short_shingles else None)
        first = last
    offsets = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(s) for s in sets], out=offsets[1:])
    return ShingleBatch(
        hashes=np.concatenate(sets) if sets else np.empty(0, np.uint64),
        offsets=offsets,
        sequences=sequences,
        chars=np.fromiter((len(t) for t in texts), np.int64, len(texts)),
    )


def _ngrams(tokens: np.ndarray, offsets: np.ndarray, n: int) -> list[np.ndarray]:
    """Per sequence (``tokens[offsets[k]:offsets[k + 1]]``), the hashes of its n-grams in order.

    All n-grams of all sequences are combined at once; windows that run into the next sequence are
    dropped. A sequence shorter than ``n`` (only very short character texts) gets one n-gram of
    all its tokens; an empty one gets none.
    """
    positions = max(len(tokens) - n + 1, 0)
    combined = tokens[:positions].copy()
    digits = combined & _ONE
    for k in range(1, n):
        combined *= M
        combined += tokens[k : k + positions]
        digits |= tokens[k : k + positions] & _ONE
    shingles = (fmix64(combined) & ~_ONE) | digits
    out = []
    for begin, end in itertools.pairwise(offsets):
        if end - begin >= n:
            out.append(shingles[begin : end - n + 1])
        elif end > begin:
            out.extend(_ngrams(tokens[begin:end], np.array([0, end - begin]), end - begin))
        else:
            out.append(np.empty(0, np.uint64))
    return out


def hash32(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit shingle hashes MinHash consumes: the top half of the 64-bit hashes."""
    return (hashes >> np.uint64(32)).astype(np.uint32)


def _chunk_shingles(tokens: TokenBatch, settings: DedupSettings) -> list[np.ndarray]:
    """Each text's shingle hashes, each once, in text order; word and character texts use their own n."""
    out: list[np.ndarray] = [np.empty(0, np.uint64)] * len(tokens.chars)
    for chars, n in ((False, settings.ngram), (True, settings.char_ngram)):
        members = np.flatnonzero(tokens.chars == chars)
        if not len(members):
            continue
        if len(members) == len(tokens.chars):
            hashes, offsets = tokens.hashes, tokens.offsets
        else:
            parts = [tokens.get(k) for k in members]
            hashes = np.concatenate(parts)
            offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts])])
        for k, shingles in zip(members, _ngrams(hashes, offsets, n), strict=True):
            out[k] = _unique(shingles)
    return out


def _unique(values: np.ndarray) -> np.ndarray:
    """``values`` without repeats, in the order of first occurrence.

    One plain sort finds the repeated values; only their (few) positions get the stable sort that
    tells first occurrences from later ones.
    """
    ordered = np.sort(values)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return values
    repeated = np.unique(repeated)
    positions = np.flatnonzero(repeated[np.minimum(np.searchsorted(repeated, values), len(repeated) - 1)] == values)
    order = positions[np.argsort(values[positions], kind="stable")]
    later = np.zeros(len(order), bool)
    later[1:] = values[order[1:]] == values[order[:-1]]
    keep = np.ones(len(values), bool)
    keep[order[later]] = False
    return values[keep]
