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
_PUNCT_IN_WORD = re.compile(r"(?<=\w)[^\w \t\n\r\f\v]+|[^\w \t\n\r\f\v]+(?=\w)")
_TOKENS = re.compile(r"([ \t\n\r\f\v]+)")


def words(text: str) -> list[str]:
    """The words of ``text`` in order (runs of non-whitespace)."""
    return _WORD.findall(text)


def keys(words: list[str]) -> list[str]:
    """What words are compared by (see :func:`text_keys`), for a list of words."""
    return text_keys(" ".join(words))


def text_keys(text: str) -> list[str]:
    """The compared form of each word of ``text``: lower case, punctuation touching a letter or
    digit removed. A word of punctuation only (a dash) stays as it is, so there is exactly one
    key per word of :func:`words`. One pass over the whole text, not one per word: reports
    align hundreds of thousands of words."""
    return _WORD.findall(_PUNCT_IN_WORD.sub("", text.lower()))


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs of equal words as ``(start in a, start in b, length)``, in order, without empty runs."""
    return align(keys(a), keys(b))


def align(a_keys: list[str], b_keys: list[str]) -> list[tuple[int, int, int]]:
    """:func:`matching_blocks` over precomputed :func:`keys` (a canonical is compared with many members).

    The alignment is rapidfuzz's Indel (longest common subsequence).
    """
    return [(m.a, m.b, m.size) for m in Indel.opcodes(a_keys, b_keys).as_matching_blocks() if m.size]


def delta(base: str, text: str, min_run: int = 4) -> list[str | list[int]]:
    """``text`` as pieces: literal strings and ``[start, count]`` runs of ``base``'s tokens.

    Tokens are words and the whitespace between them (``re.split`` with the separator kept, as
    the report's script splits), compared exactly, so joining the pieces gives ``text`` back.
    A member of a cluster mostly repeats its canonical, so the report ships it this way at a
    fraction of its size; runs shorter than ``min_run`` tokens are cheaper written out.
    """
    a, b = _TOKENS.split(base), _TOKENS.split(text)
    pieces: list[str | list[int]] = []
    done = 0
    for m in Indel.opcodes(a, b).as_matching_blocks():
        literal = "".join(b[done : m.b] if m.size >= min_run else b[done : m.b + m.size])
        if literal:
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += literal
            else:
                pieces.append(literal)
        if m.size >= min_run:
            pieces.append([m.a, m.size])
        done = m.b + m.size
    return pieces


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
