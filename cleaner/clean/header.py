"""Find title and kicker in the header zone, whatever the outlet's layout.

Outlets put different things on top: ``" date 2022-01 Title"``, ``"Kicker Title Stand: … Uhr"``,
a caption | credit line before the title, a kicker line, a byline or date line after the lead.
Rules have already named the caption, byline and date lines; what is left at the top is either
title material (short, not ending like a sentence) or prose. The title is the last title-like
line before the first prose line (the one before it, if any, is the kicker), unless that last
line is as long as a standfirst or the first too long for a kicker: then the first is the title
and the second, a standfirst, stays in the body. When the very
first line is prose, the file shows no title: the line is the lead and stays in the body
(seed 002's shape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence end, possibly followed by closing quotes or brackets: the mark of prose, not of a title.
_SENTENCE_END = re.compile(r"[.:;…](?:[\"'“”„«»‘’)\]]*)$")
# Two sentences in one line: a lead paragraph, even when it ends in a question mark.
_INNER_SENTENCE = re.compile(r"(?<!\d)[.!?][\"“”»«']?\s+[A-ZÄÖÜ\"„»«]")
_INNER_MIN_WORDS = 12
# Section, kicker, title and standfirst: more title-like lines than this are not all header.
_MAX_HEADER_LINES = 4
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]|\b[IVXLC]+|\b(?:Co|Inc|Ltd|Jr|Sr|St|Nr|Dr|Prof|bzw|etc|usw|Mio|Mrd|Jh))\.$")


@dataclass(frozen=True, slots=True)
class HeaderLimits:
    """The ``[header]`` settings."""

    zone_lines: int
    title_max_chars: int
    title_max_words: int
    standfirst_min_words: int
    kicker_max_words: int


def is_prose(text: str, limits: HeaderLimits) -> bool:
    """True for a line that reads as body text rather than a headline."""
    words = len(text.split())
    if len(text) > limits.title_max_chars or words > limits.title_max_words:
        return True
    if words >= _INNER_MIN_WORDS and _INNER_SENTENCE.search(text):
        return True
    return bool(_SENTENCE_END.search(text)) and not _ABBREVIATION_END.search(text)


def pick_title(
    candidates: list[tuple[int, str, bool]], limits: HeaderLimits
) -> tuple[int | None, int | None, list[int]]:
    """From the header zone's unclassified lines in order: title, kicker, and the lines above them.

    Each candidate is (index, text, closes_header): ``closes_header`` is true when the line
    carried a date or is followed by a date or byline line, which is where headers end, so no
    title comes after it. ``candidates`` must already be stripped of header dates.

    When a date or byline closes the header, the title is at its end and title-like lines above
    the kicker (a section name, a breadcrumb) are returned as the third value. Without such a
    close, only the first two title-like lines are looked at, as the rest may be body.
    """
    pending: list[int] = []
    closed = False
    for idx, text, closes_header in candidates:
        if is_prose(text, limits) or len(pending) == _MAX_HEADER_LINES:
            break
        pending.append(idx)
        if closes_header:
            closed = True
            break
    if not closed:
        pending = pending[:2]
    if not pending:
        return None, None, []
    if len(pending) == 1:
        return pending[0], None, []
    text = {i: t for i, t, _ in candidates}
    *above, first, second = pending
    if len(text[first].split()) > limits.kicker_max_words or len(text[second].split()) >= limits.standfirst_min_words:
        # The second line is a standfirst and stays in the body: the title is the line before it.
        return first, (above[-1] if above else None), above[:-1]
    return second, first, above
