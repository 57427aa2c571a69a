"""Texts → hash-normalised tokens, as 64-bit token hashes, for a batch of texts at once in numpy.

Copies of one story differ in case, quote style, dashes and spacing when outlets re-type them, so
by default tokens are the runs of word characters (letters, digits, combining marks), lower-cased
character by character, and everything else separates them. Soft hyphens and zero-width characters
are deleted, not treated as separators: one outlet's hyphenation must not split a word another
outlet keeps whole. Digits are kept by default: template stories (market reports, "Fed adds
reserves" items) differ *only* in their figures, and masking digits would make them identical.

Scripts written without spaces (Chinese, Japanese, Thai…) have no words to split on, and a text
with fewer words than the word n-gram has no word n-gram at all; both are tokenised by characters
instead (the normalised words joined by single spaces), so that short texts keep distinct
signatures instead of all collapsing into an empty one.

Python's ``re`` and per-token dictionaries cost more than all the hashing after them, so the batch
is turned into one array of code points and classified, lower-cased and hashed through lookup
tables; no token string is ever built. The rules per character (lookup tables cover the Basic
Multilingual Plane; characters above it are word characters, kept as they are):

- word character: ``str.isalnum()`` or a combining mark (with ``strip_punctuation``), else any
  non-space character;
- lower-casing: ``ch.lower()`` where that is one character, else ``ch`` unchanged;
- digit: ``str.isdecimal()``; ``mask_digits`` maps every digit to ``0``.

A word's hash is ``fmix64(Σᵢ fmix64(cᵢ + (i+1)·K) + len)`` over its code points ``cᵢ``; a character
token's hash is ``fmix64(c + CHAR_SALT)``. In both, the lowest bit is replaced by "holds a digit".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleaner.dedup.settings import DedupSettings

K = np.uint64(0x9E3779B97F4A7C15)
CHAR_SALT = np.uint64(0x2545F4914F6CDD1D)
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_ONE = np.uint64(1)
_SPACE = 32
_INVISIBLE = (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
# Han, Hiragana, Katakana, Thai, Lao, Myanmar, Khmer: scripts that do not separate words by spaces.
_UNSPACED_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF), (0x3400, 0x4DBF),
                    (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# A text is tokenised by characters when at least this share of its word characters is unspaced.
_UNSPACED_SHARE = 0.3
# Character classes in the lookup table (bit flags).
_WORDCHAR, _DELETE, _DIGIT, _UNSPACED = 1, 2, 4, 8


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The token hashes of a batch of texts: text ``k`` owns ``hashes[offsets[k]:offsets[k + 1]]``.

    ``chars[k]`` is true when text ``k`` was tokenised by characters rather than words.
    """

    hashes: np.ndarray
    offsets: np.ndarray
    chars: np.ndarray

    def get(self, k: int) -> np.ndarray:
        return self.hashes[self.offsets[k] : self.offsets[k + 1]]


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, a bijection that spreads every input bit over the output."""
    shift, m1, m2 = _FMIX64
    x = x ^ (x >> shift)
    x *= m1
    x ^= x >> shift
    x *= m2
    x ^= x >> shift
    return x


def token_batch(texts: Sequence[str], settings: DedupSettings) -> TokenBatch:
    """Tokenise and hash ``texts`` (see the module docstring for the exact rules)."""
    classes, mapping = _tables(settings.lowercase, settings.strip_punctuation, settings.mask_digits)
    lengths = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
    code = np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    bmp = code < 0x10000
    low = np.where(bmp, code, 0)
    cls = np.where(bmp, classes[low], _WORDCHAR)
    code = np.where(bmp, mapping[low], code)
    text_start = np.zeros(len(texts) + 1, np.int64)
    np.cumsum(lengths, out=text_start[1:])
    keep = (cls & _DELETE) == 0
    if not keep.all():
        before = np.concatenate([[0], np.cumsum(keep)])
        text_start = before[np.minimum(text_start, len(code))]
        code, cls = code[keep], cls[keep]
    word = (cls & _WORDCHAR).astype(np.int8)
    edges = np.diff(word, prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    sizes = ends - starts
    word_mask = word.astype(bool)
    letters = code[word_mask].astype(np.uint64)
    letter_cls = cls[word_mask]
    first = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=first[1:])
    position = np.arange(1, len(letters) + 1, dtype=np.uint64) - np.repeat(first[:-1], sizes).astype(np.uint64)
    hashes = np.empty(0, np.uint64)
    digits = np.zeros(0, bool)
    if len(sizes):
        summed = np.add.reduceat(fmix64(letters + position * K), first[:-1])
        hashes = fmix64(summed + sizes.astype(np.uint64))
        digits = np.add.reduceat((letter_cls & _DIGIT).astype(np.int64), first[:-1]) > 0
    hashes = (hashes & ~_ONE) | digits.astype(np.uint64)
    owner = np.searchsorted(text_start, starts, side="right") - 1
    counts = np.bincount(owner, minlength=len(texts))
    unspaced = np.bincount(np.repeat(owner, sizes), weights=(letter_cls & _UNSPACED) > 0, minlength=len(texts))
    total = np.bincount(owner, weights=sizes, minlength=len(texts))
    by_chars = (counts < settings.ngram) | (unspaced >= _UNSPACED_SHARE * np.maximum(total, 1))
    by_chars &= total > 0
    token_start = np.zeros(len(texts) + 1, np.int64)
    np.cumsum(counts, out=token_start[1:])
    if not by_chars.any():
        return TokenBatch(hashes, token_start, by_chars)
    per_text = [hashes[token_start[k] : token_start[k + 1]] for k in range(len(texts))]
    for k in np.flatnonzero(by_chars):
        spans = range(token_start[k], token_start[k + 1])
        pieces: list[np.ndarray] = []
        for t in spans:
            if pieces:
                pieces.append(np.array([_SPACE], np.uint32))
            pieces.append(code[starts[t] : ends[t]])
        chars = np.concatenate(pieces)
        is_digit = (classes[np.minimum(chars, 0xFFFF)] & _DIGIT) > 0
        is_digit &= chars < 0x10000
        per_text[k] = (fmix64(chars.astype(np.uint64) + CHAR_SALT) & ~_ONE) | is_digit.astype(np.uint64)
    np.cumsum([len(p) for p in per_text], out=token_start[1:])
    return TokenBatch(np.concatenate(per_text), token_start, by_chars)


@lru_cache(maxsize=8)
def _tables(lowercase: bool, strip_punctuation: bool, mask_digits: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: its class bits and the code point it normalises to."""
    classes = np.zeros(0x10000, np.uint8)
    mapping = np.arange(0x10000, dtype=np.uint32)
    for c in range(0x10000):
        ch = chr(c)
        if strip_punctuation:
            is_word = ch.isalnum() or unicodedata.category(ch).startswith("M")
        else:
            is_word = not ch.isspace()
        digit = ch.isdecimal()
        classes[c] = _WORDCHAR * is_word | _DIGIT * digit
        if lowercase:
            lowered = ch.lower()
            if len(lowered) == 1:
                mapping[c] = ord(lowered)
        if mask_digits and digit:
            mapping[c] = ord("0")
    classes[list(_INVISIBLE)] = _DELETE
    for lo, hi in _UNSPACED_RANGES:
        classes[lo : hi + 1] |= _UNSPACED
    classes.flags.writeable = False
    mapping.flags.writeable = False
    return classes, mapping
