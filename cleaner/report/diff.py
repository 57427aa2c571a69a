"""Word-level alignment of a cluster member against its canonical document.

Both the HTML report and ``cleaner review`` show a member beside its canonical with the shared
passages and the differing words marked. Words are compared the way clustering compares them
(lower case, punctuation ignored), so a copy that only re-typed quotes or dashes shows no
differences; the original words are what is displayed.

Words are maximal runs of characters other than ASCII whitespace. The report's JavaScript splits
the same way (``/[^ \\t\\n\\r\\f\\v]+/g``), so word indices computed here address the same words
in the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

_WORD = re.compile(r"[^ \t\n\r\f\v]+")
_NOT_WORD_CHAR = re.compile(r"[\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text`` in order (runs of non-whitespace)."""
    return _WORD.findall(text)


def _key(word: str) -> str:
    """What two words are compared by: lower case without punctuation (the word itself if that is empty)."""
    return _NOT_WORD_CHAR.sub("", word.lower()) or word


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs of equal words as ``(start in a, start in b, length)``, in order, without empty runs.

    The alignment is rapidfuzz's Indel (longest common subsequence) over the words' keys.
    """
    blocks = Indel.opcodes([_key(w) for w in a], [_key(w) for w in b]).as_matching_blocks()
    return [(m.a, m.b, m.size) for m in blocks if m.size]


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of the alignment: ``equal`` words on both sides, or words found on one side only
    (``a_only``/``b_only``; a replacement has both ranges non-empty and tag ``changed``)."""

    tag: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def segments(a: list[str], b: list[str]) -> list[Segment]:
    """The whole alignment of ``a`` and ``b`` as consecutive segments covering both word lists."""
    out: list[Segment] = []
    i = j = 0
    for ai, bj, n in [*matching_blocks(a, b), (len(a), len(b), 0)]:
        if i < ai or j < bj:
            tag = "changed" if i < ai and j < bj else ("a_only" if i < ai else "b_only")
            out.append(Segment(tag, i, ai, j, bj))
        if n:
            out.append(Segment("equal", ai, ai + n, bj, bj + n))
        i, j = ai + n, bj + n
    return out
