"""Texts → sets of 64-bit shingle hashes, computed a batch at a time in numpy.

Building n-gram strings costs more than hashing them, so no shingle string is ever built: every
distinct token of a batch is hashed once (xxh64), and the hash of the n-gram starting at token
``i`` is the polynomial ``t[i]·M^(n-1) + … + t[i+n-1]`` (mod 2^64), computed for all positions at
once from shifted token-hash arrays and then avalanched with the MurmurHash3 64-bit finalizer. The
hash is a function of the n tokens alone, so :func:`shingle_hash` recomputes it from the tokens
(the datasketch differential test relies on that).

The lowest bit of every shingle hash says whether the shingle holds a digit. Verification uses it
to tell template stories (that differ only in figures) from edited copies; MinHash uses the top
32 bits (:func:`hash32`), which the flag does not touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from cleaner.dedup.normalize import tokens
from cleaner.dedup.settings import DedupSettings

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_MASK64 = (1 << 64) - 1
# Different xxh64 seeds keep a character shingle from ever equalling a word shingle.
_SEED_WORDS = 0
_SEED_CHARS = 1


@dataclass(frozen=True, slots=True)
class ShingleBatch:
    """The shingle sets of a batch of texts, without the texts.

    ``hashes[offsets[k]:offsets[k + 1]]`` is text ``k``'s set: sorted, unique, uint64. ``sequences``
    keeps the token-hash sequence of short texts only (fewer than ``short_shingles`` shingles),
    for the rapidfuzz second opinion; ``None`` for the others, so memory stays bounded by the
    shingle sets. ``chars`` is each text's length in characters (the "longest" canonical rule).
    """

    hashes: np.ndarray
    offsets: np.ndarray
    sequences: list[np.ndarray | None]
    chars: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def get(self, k: int) -> np.ndarray:
        """Text ``k``'s sorted shingle-hash set."""
        return self.hashes[self.offsets[k] : self.offsets[k + 1]]


def shingle_batch(texts: Sequence[str], settings: DedupSettings) -> ShingleBatch:
    """Shingle, hash and deduplicate a batch of texts (see the module docstring for the hash)."""
    tokenised = [tokens(text, settings) for text in texts]
    per_text: list[np.ndarray] = [np.empty(0, np.uint64)] * len(texts)
    token_hashes: list[np.ndarray] = [np.empty(0, np.uint64)] * len(texts)
    for chars, n, seed in ((False, settings.ngram, _SEED_WORDS), (True, settings.char_ngram, _SEED_CHARS)):
        group = [k for k, (_, is_chars) in enumerate(tokenised) if is_chars == chars]
        if not group:
            continue
        hashed, flags = _hash_tokens([tokenised[k][0] for k in group], seed)
        for k, seq, shingles in zip(group, hashed, _ngrams(hashed, flags, n), strict=True):
            per_text[k] = shingles
            token_hashes[k] = seq
    sets = [np.unique(s) for s in per_text]
    offsets = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(s) for s in sets], out=offsets[1:])
    return ShingleBatch(
        hashes=np.concatenate(sets) if sets else np.empty(0, np.uint64),
        offsets=offsets,
        sequences=[
            seq if len(s) < settings.short_shingles else None for seq, s in zip(token_hashes, sets, strict=True)
        ],
        chars=np.array([len(t) for t in texts], np.int64),
    )


def hash32(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit shingle hashes MinHash consumes: the top half of the 64-bit hashes."""
    return (hashes >> np.uint64(32)).astype(np.uint32)


def shingle_hash(shingle: Sequence[str], chars: bool = False) -> int:
    """The 64-bit hash of one shingle (its tokens, in order), computed in plain Python.

    The reference the vectorised path must match; ``shingle_hash(s) >> 32`` is what a datasketch
    ``hashfunc`` returns for the same shingle.
    """
    seed = _SEED_CHARS if chars else _SEED_WORDS
    value = 0
    for token in shingle:
        value = (value * int(_MULTIPLIER) + xxhash.xxh64_intdigest(token.encode("utf-8"), seed)) & _MASK64
    shift, m1, m2 = (int(c) for c in _FMIX)
    value ^= value >> shift
    value = (value * m1) & _MASK64
    value ^= value >> shift
    value = (value * m2) & _MASK64
    value ^= value >> shift
    digit = any(ch.isdigit() for token in shingle for ch in token)
    return (value & ~1) | digit


def _hash_tokens(texts: list[list[str]], seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per text, its token hashes and has-a-digit flags; each distinct token is hashed once."""
    vocabulary = dict.fromkeys(token for text in texts for token in text)
    table = np.fromiter(
        (xxhash.xxh64_intdigest(token.encode("utf-8"), seed) for token in vocabulary),
        np.uint64,
        len(vocabulary),
    )
    digits = np.fromiter((any(ch.isdigit() for ch in token) for token in vocabulary), bool, len(vocabulary))
    index = {token: k for k, token in enumerate(vocabulary)}
    flat = np.fromiter((index[token] for text in texts for token in text), np.int64)
    bounds = np.cumsum([0] + [len(text) for text in texts])
    ids = [flat[bounds[k] : bounds[k + 1]] for k in range(len(texts))]
    return [table[i] for i in ids], [digits[i] for i in ids]


def _ngrams(hashed: list[np.ndarray], flags: list[np.ndarray], n: int) -> list[np.ndarray]:
    """Per text, the (unsorted, possibly repeated) hashes of its n-grams.

    All texts are concatenated and every n-gram position is combined at once; positions whose
    window crosses into the next text are dropped. A text shorter than ``n`` tokens (only empty
    or very short character texts) gets one shingle of all its tokens.
    """
    lengths = np.array([len(h) for h in hashed], np.int64)
    flat = np.concatenate(hashed) if hashed else np.empty(0, np.uint64)
    flat_flags = np.concatenate(flags) if flags else np.empty(0, bool)
    starts = np.zeros(len(hashed) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    out: list[np.ndarray] = []
    positions = max(len(flat) - n + 1, 0)
    combined = np.zeros(positions, np.uint64)
    for k in range(n):
        combined *= _MULTIPLIER
        combined += flat[k : k + positions]
    digit_count = np.concatenate([[0], np.cumsum(flat_flags, dtype=np.int64)])
    has_digit = (digit_count[n : n + positions] - digit_count[:positions]) > 0
    shingles = _finalise(combined, has_digit)
    for k, length in enumerate(lengths):
        begin = starts[k]
        if length >= n:
            out.append(shingles[begin : begin + length - n + 1])
        elif length:
            value = np.zeros(1, np.uint64)
            for token_hash in hashed[k]:
                value = value * _MULTIPLIER + token_hash
            out.append(_finalise(value, np.array([flags[k].any()])))
        else:
            out.append(np.empty(0, np.uint64))
    return out


def _finalise(combined: np.ndarray, has_digit: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, then the has-a-digit flag in the lowest bit."""
    shift, m1, m2 = _FMIX
    x = combined ^ (combined >> shift)
    x *= m1
    x ^= x >> shift
    x *= m2
    x ^= x >> shift
    return (x & ~np.uint64(1)) | has_digit.astype(np.uint64)
