"""Signatures equal datasketch's MinHash for the same shingles, seed and num_perm.

The shingles and their hashes are recomputed here in plain Python from the rules documented in
``cleaner.dedup.normalize`` and ``cleaner.dedup.shingles`` (no numpy), so this file is also an
executable statement of those rules: the vectorised code must agree with it token for token.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.dedup import DedupSettings, signatures
from cleaner.dedup.normalize import _UNSPACED_RANGES, CHAR_SALT, NUMBER_WORDS, K, R
from cleaner.dedup.shingles import M, shingle_batch

MASK = (1 << 64) - 1
INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
UNSPACED = _UNSPACED_RANGES  # which scripts count as unspaced is a setting, not the rule under test


def fmix64(x: int) -> int:
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & MASK
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & MASK
    return x ^ (x >> 33)


def is_word_char(ch: str, s: DedupSettings) -> bool:
    if ord(ch) > 0xFFFF:
        return True
    if s.strip_punctuation:
        return ch.isalnum() or unicodedata.category(ch).startswith("M")
    return not ch.isspace()


def normal_char(ch: str, s: DedupSettings) -> str:
    if ord(ch) > 0xFFFF:
        return ch
    if s.mask_digits and ch.isdecimal():
        return "0"
    lowered = ch.lower() if s.lowercase else ch
    return lowered if len(lowered) == 1 else ch


def is_digit(ch: str) -> bool:
    return ord(ch) <= 0xFFFF and ch.isdecimal()


def reference_tokens(text: str, s: DedupSettings) -> tuple[list[str], bool]:
    words, current = [], ""
    for ch in text:
        if ch in INVISIBLE:
            continue
        if is_word_char(ch, s):
            current += normal_char(ch, s)
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    letters = "".join(words)
    unspaced = sum(any(lo <= ord(c) <= hi for lo, hi in UNSPACED) for c in letters)
    if letters and (len(words) < s.ngram or unspaced >= 0.3 * len(letters)):
        return list(" ".join(words)), True
    return words, False


def holds_figure(token: str, chars: bool) -> bool:
    """A digit, or a number written as a word (only word tokens can be one)."""
    return any(is_digit(c) for c in token) or (not chars and token in NUMBER_WORDS)


def token_hash(token: str, chars: bool) -> int:
    digit = holds_figure(token, chars)
    if chars:
        value = fmix64((ord(token) + int(CHAR_SALT)) & MASK)
    else:
        total = sum(fmix64((ord(c) + int(K)) & MASK) * pow(int(R), i, 1 << 64) for i, c in enumerate(token))
        value = fmix64((total + len(token)) & MASK)
    return (value & ~1) | digit


def shingle_hash(shingle: tuple[str, ...], chars: bool) -> int:
    value = 0
    for token in shingle:
        value = (value * int(M) + token_hash(token, chars)) & MASK
    digit = any(holds_figure(token, chars) for token in shingle)
    return (fmix64(value) & ~1) | digit


def reference_shingles(text: str, s: DedupSettings) -> tuple[list[tuple[str, ...]], bool]:
    tokens, chars = reference_tokens(text, s)
    n = min(s.char_ngram if chars else s.ngram, len(tokens))
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)] if tokens else [], chars


TEXTS = [
    "The harbour authority handled 2.4 million containers last year, up 3 percent, its chairwoman said.",
    "Die Bundesregierung hat am Mittwoch in Berlin ein neues Gesetz beschlossen, sagte ein Sprecher (dpa).",
    "ÄRGER über „Straßen­bau“ – Bürger protestieren​ gegen die STADT Wien um 10:30 Uhr.",
    "Short text",
    "",
    "!!! ... ???",
    "東京都は今日、新しい条例を発表しました。市民は歓迎しています。",
    "Ελληνικά ΚΕΊΜΕΝΟ με τελικό ΣΊΓΜΑ και αριθμούς ٣ and 𝟘 and emoji 🙂 here too",
]


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 42), (16, 7), (1, 0)])
def test_signatures_equal_datasketch(scheme: str, num_perm: int, seed: int) -> None:
    s = DedupSettings(num_perm=num_perm, seed=seed, scheme=scheme)
    ours = signatures(TEXTS, s)
    assert ours.shape == (len(TEXTS), num_perm)
    for text, row in zip(TEXTS, ours, strict=True):
        shingles, chars = reference_shingles(text, s)
        theirs = MinHash(
            num_perm=num_perm, seed=seed, scheme=scheme, hashfunc=lambda sh, c=chars: shingle_hash(sh, c) >> 32
        )
        theirs.update_batch(shingles)
        assert row.dtype == theirs.hashvalues.dtype
        assert np.array_equal(row, theirs.hashvalues)


# Letters with and without case, digits of several scripts, marks, invisible characters,
# unspaced scripts, characters above the BMP, punctuation and spaces.
ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("aAäÄßẞİıΣςσ0123456789٣𝟘\u0301\u00ad\u200b東京タイ🙂.,-–„“ \n\t")),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet=ALPHABET, max_size=80), min_size=1, max_size=6),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_shingle_sets_follow_the_documented_rules(texts: list[str], lower: bool, punct: bool, digits: bool) -> None:
    s = DedupSettings(lowercase=lower, strip_punctuation=punct, mask_digits=digits, ngram=3, char_ngram=4)
    batch = shingle_batch(texts, s)
    for k, text in enumerate(texts):
        shingles, chars = reference_shingles(text, s)
        assert batch.get(k).tolist() == list(dict.fromkeys(shingle_hash(sh, chars) for sh in shingles))


def test_default_signature_matches_datasketch_default_constructor() -> None:
    text = TEXTS[1]
    shingles, chars = reference_shingles(text, DedupSettings())
    theirs = MinHash(hashfunc=lambda sh: shingle_hash(sh, chars) >> 32)
    theirs.update_batch(shingles)
    assert np.array_equal(signatures([text])[0], theirs.hashvalues)


def test_a_batch_gives_each_text_the_signature_it_has_alone() -> None:
    long_text = " ".join(f"wort{k % 977} zahl {k}" for k in range(30000))  # beyond one tokenising chunk
    texts = [*TEXTS, long_text, TEXTS[0]]
    together = signatures(texts)
    for text, row in zip(texts, together, strict=True):
        assert np.array_equal(signatures([text])[0], row)


def test_short_texts_keep_distinct_signatures() -> None:
    texts = ["Polizei sucht Zeugen", "Zeugen gesucht", "Brand in Halle", "Hi", "OK", ""]
    rows = {tuple(row) for row in signatures(texts)}
    assert len(rows) == len(texts)


def test_unspaced_scripts_are_shingled_by_characters() -> None:
    s = DedupSettings()
    tokens, chars = reference_tokens(TEXTS[6], s)
    assert chars and len(tokens) > 20
    assert len(shingle_batch([TEXTS[6]], s).get(0)) == len(
        {shingle_hash(sh, True) for sh in reference_shingles(TEXTS[6], s)[0]}
    )


def test_figures_written_as_words_keep_template_items_apart() -> None:
    from cleaner.dedup import DedupItem, deduplicate

    item = (
        "The central bank entered the market to arrange two billion dlrs of customer repurchase "
        "agreements, a spokesman said. Dealers said funds were trading at six pct when the bank began "
        "its temporary and indirect supply of reserves to the banking system."
    )
    other = item.replace("two billion", "1.5 billion")
    result = deduplicate([DedupItem("a", item), DedupItem("b", other)], DedupSettings())
    assert result.clusters == []
