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

With ``G(c) = fmix64(c + K)`` over normalised code points ``c``, a word ``c₀…c₍L₋₁₎`` hashes to
``fmix64(Σᵢ G(cᵢ)·Rⁱ + L)`` (all mod 2^64) and a character token to ``fmix64(c + CHAR_SALT)``; in
both the lowest bit is then replaced by "holds a digit".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleaner.dedup.settings import DedupSettings

K = np.uint64(0x9E3779B97F4A7C15)
R = np.uint64(0xBF58476D1CE4E5B9)
_R_INVERSE = np.uint64(pow(int(R), -1, 1 << 64))
CHAR_SALT = np.uint64(0x2545F4914F6CDD1D)
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_ONE = np.uint64(1)
_TOP16 = np.uint64(48)
_SPACE = 32
_INVISIBLE = (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
# Han, Hiragana, Katakana, Thai, Lao, Myanmar, Khmer: scripts that do not separate words by spaces.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
)
# A text is tokenised by characters when at least this share of its word characters is unspaced.
_UNSPACED_SHARE = 0.3
# Power tables cover this many characters; the shingling step hands over ~64K characters at a time.
_POWER_TABLE = 1 << 17
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
        """Text ``k``'s token hashes, in order."""
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


# Figures written as words ("two billion dlrs", "zwei Millionen"): template items that differ only in
# them must count as differing in figures, so these words carry the "holds a digit" bit too.
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "half",
    "quarter",
    "dozen",
    "null",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "zwanzig",
    "dreißig",
    "vierzig",
    "fünfzig",
    "sechzig",
    "siebzig",
    "achtzig",
    "neunzig",
    "hundert",
    "tausend",
    "millionen",
    "milliarde",
    "milliarden",
    "billionen",
    "halb",
    "viertel",
]


def _digit_flags(cls: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """1 (uint64) for each token starting at ``starts`` that holds a digit.

    A token's segment reaches to the next token's start; the separators in between hold no
    digit, since digits are word characters.
    """
    if not len(starts):
        return np.zeros(0, np.uint64)
    return (np.bitwise_or.reduceat(cls & _DIGIT, starts) // _DIGIT).astype(np.uint64)


def _flag_number_words(hashes: np.ndarray, settings: DedupSettings) -> None:
    """Set the "holds a digit" bit of the tokens in :data:`NUMBER_WORDS`, in place.

    A bitmap of the words' top 16 bits lets through about one token in a hundred; only those are
    looked up exactly, since a binary search for every token cost more than all of its hashing.
    """
    table, marks = _number_word_hashes(settings)
    maybe = np.flatnonzero(marks[hashes >> _TOP16])
    if len(maybe):
        values = hashes[maybe] & ~_ONE
        found = table[np.minimum(np.searchsorted(table, values), len(table) - 1)] == values
        hashes[maybe[found]] |= _ONE


@lru_cache(maxsize=8)
def _number_word_hashes(settings: DedupSettings) -> tuple[np.ndarray, np.ndarray]:
    """The number words' hashes (sorted, digit bit clear) and the bitmap of their top 16 bits."""
    # One text of all the words, so that they are tokenised as words, not characters.
    table = np.unique(token_batch([" ".join(NUMBER_WORDS)], settings, number_words=False).hashes & ~_ONE)
    marks = np.zeros(1 << 16, bool)
    marks[table >> _TOP16] = True
    return table, marks


def token_batch(texts: Sequence[str], settings: DedupSettings, number_words: bool = True) -> TokenBatch:
    """Tokenise and hash ``texts`` (see the module docstring for the exact rules).

    With ``number_words``, tokens in :data:`NUMBER_WORDS` are flagged as holding a digit.

    A word's polynomial is summed for all words at once: ``G(c)·R^i`` at every global position
    ``i``, a running sum, the difference at the word's ends, times ``R^-start``.
    """
    classes, mapping, hashed = _tables(settings.lowercase, settings.strip_punctuation, settings.mask_digits)
    code = np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    if len(code) and code.max() > 0xFFFF:
        bmp = np.minimum(code, 0xFFFF)
        cls, letters = np.take(classes, bmp), np.take(hashed, bmp)
        above = np.flatnonzero(code > 0xFFFF)
        cls[above] = _WORDCHAR
        letters[above] = fmix64(code[above].astype(np.uint64) + K)
    else:
        cls, letters = np.take(classes, code), np.take(hashed, code)  # take: 4x the speed of indexing
    text_start = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(t) + 1 for t in texts], out=text_start[1:])
    keep = (cls & _DELETE) == 0
    if not keep.all():
        text_start = np.concatenate([[0], np.cumsum(keep)])[np.minimum(text_start, len(code))]
        code, cls, letters = code[keep], cls[keep], letters[keep]
    padded = np.zeros(len(code) + 2, bool)  # a non-word on either side: every word has both ends
    np.greater(cls & _WORDCHAR, 0, out=padded[1:-1])
    bounds = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = bounds[0::2], bounds[1::2]
    power, inverse = _powers(len(code) + 1)
    letters *= power[: len(code)]
    running = np.zeros(len(code) + 1, np.uint64)
    np.cumsum(letters, out=running[1:])
    sizes = ends - starts
    hashes = fmix64(
        (np.take(running, ends) - np.take(running, starts)) * np.take(inverse, starts) + sizes.astype(np.uint64)
    )
    hashes = (hashes & ~_ONE) | _digit_flags(cls, starts)
    if number_words:
        _flag_number_words(hashes, settings)
    owner = np.searchsorted(text_start, starts, side="right") - 1
    counts = np.bincount(owner, minlength=len(texts))
    by_chars = counts < settings.ngram
    if (cls & _UNSPACED).any():
        unspaced_count = np.zeros(len(code) + 1, np.int64)
        np.cumsum((cls & _UNSPACED) > 0, out=unspaced_count[1:])
        unspaced = np.bincount(owner, weights=unspaced_count[ends] - unspaced_count[starts], minlength=len(texts))
        by_chars |= unspaced >= _UNSPACED_SHARE * np.bincount(owner, weights=sizes, minlength=len(texts))
    by_chars &= counts > 0
    token_start = np.zeros(len(texts) + 1, np.int64)
    np.cumsum(counts, out=token_start[1:])
    if not by_chars.any():
        return TokenBatch(hashes, token_start, by_chars)
    per_text = [hashes[token_start[k] : token_start[k + 1]] for k in range(len(texts))]
    for k in np.flatnonzero(by_chars):
        span = slice(token_start[k], token_start[k + 1])
        per_text[k] = _char_tokens(code, classes, mapping, starts[span], ends[span])
    np.cumsum([len(p) for p in per_text], out=token_start[1:])
    return TokenBatch(np.concatenate(per_text), token_start, by_chars)


def _char_tokens(
    code: np.ndarray, classes: np.ndarray, mapping: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Character-token hashes of one text: its normalised words joined by single spaces."""
    pieces: list[np.ndarray] = []
    for start, end in zip(starts, ends, strict=True):
        if pieces:
            pieces.append(np.array([_SPACE], np.uint32))
        pieces.append(code[start:end])
    chars = np.concatenate(pieces)
    bmp = chars <= 0xFFFF
    digit = ((classes[np.minimum(chars, 0xFFFF)] & _DIGIT) > 0) & bmp
    normal = np.where(bmp, mapping[np.minimum(chars, 0xFFFF)], chars)
    return (fmix64(normal.astype(np.uint64) + CHAR_SALT) & ~_ONE) | digit


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``R^i`` and ``R^-i`` mod 2^64 for ``i < size``: a cached table for batches of the usual size,
    a transient one for a single text longer than that."""
    return _power_table(_POWER_TABLE) if size <= _POWER_TABLE else _power_table.__wrapped__(size)


@lru_cache(maxsize=1)
def _power_table(size: int) -> tuple[np.ndarray, np.ndarray]:
    powers = np.full(size, R, np.uint64)
    powers[0] = 1
    inverses = np.full(size, _R_INVERSE, np.uint64)
    inverses[0] = 1
    return np.cumprod(powers), np.cumprod(inverses)


@lru_cache(maxsize=8)
def _tables(lowercase: bool, strip_punctuation: bool, mask_digits: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point: its class bits, the code point it normalises to and ``G`` of that, 0 for
    a character that is not a word character (it adds nothing to any word's sum)."""
    classes = np.zeros(0x10000, np.uint8)
    mapping = np.arange(0x10000, dtype=np.uint64)
    for c in range(0x10000):
        ch = chr(c)
        is_word = (ch.isalnum() or unicodedata.category(ch).startswith("M")) if strip_punctuation else not ch.isspace()
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
    hashed = np.where(classes & _WORDCHAR, fmix64(mapping + K), np.uint64(0))
    for table in (classes, mapping, hashed):
        table.flags.writeable = False
    return classes, mapping, hashed
