"""Text → the tokens that shingles are made of.

Copies of one story differ in case, quote style, dashes and spacing when outlets re-type them, so
hashing sees lower-cased word characters only. Digits are kept by default: template stories
(market reports, "Fed adds reserves" items) differ *only* in their figures, and masking digits
would make them identical.

Scripts written without spaces (Chinese, Japanese, Thai…) have no words to split on, and a text
shorter than the word n-gram has no word n-gram at all; both are shingled by characters instead,
so that short texts keep distinct signatures instead of all collapsing into an empty one.
"""

from __future__ import annotations

import re

from cleaner.dedup.settings import DedupSettings

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# Han, Hiragana, Katakana, Thai, Lao, Myanmar, Khmer: scripts that do not separate words by spaces.
_NO_SPACE = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A text counts as unspaced when at least this share of its word characters is in such a script.
_NO_SPACE_SHARE = 0.3


def words(text: str, settings: DedupSettings) -> list[str]:
    """The hash-normalised words of ``text``: case-folded, punctuation dropped, digits optionally masked.

    Soft hyphens and zero-width characters are removed first: one outlet's hyphenation must not
    split a word that another outlet's copy keeps whole.
    """
    text = _INVISIBLE.sub("", text)
    if settings.lowercase:
        text = text.casefold()
    if settings.mask_digits:
        text = _DIGIT.sub("0", text)
    return _WORD.findall(text) if settings.strip_punctuation else text.split()


def tokens(text: str, settings: DedupSettings) -> tuple[list[str], bool]:
    """The tokens to shingle and whether they are characters (``True``) rather than words.

    Characters are used for unspaced scripts and for texts with fewer words than ``ngram``; the
    characters are those of the normalised words joined by single spaces.
    """
    found = words(text, settings)
    if len(found) >= settings.ngram and (_NO_SPACE.search(text) is None or not _unspaced(found)):
        return found, False
    return list(" ".join(found)), True


def _unspaced(found: list[str]) -> bool:
    joined = "".join(found)
    return len(_NO_SPACE.findall(joined)) >= _NO_SPACE_SHARE * len(joined)
