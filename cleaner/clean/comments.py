"""Find where reader comments begin, cut from there, and keep each comment as a record.

A comment section opens with a marker line (``KOMMENTARE``, ``242 Kommentare``, ``Comments (12)``,
``Diskutieren Sie mit``, ``Avatar``…) or, when a site prints no heading, with its first
author-and-time line (``DrBeyer 11.01.2022 • 00:07 Uhr``, ``user · 2h ago``). A bare heading word
such as ``Forum`` or ``Kommentare`` can also be a subheading of the article itself, so a marker
only counts when something comment-like follows it soon, when it carries a count, or when it is
the document's last line. Everything from the start to the end is comments: meta lines
give author and time, noise lines (avatars, buttons) are dropped with a record, the rest is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.clean.dates import DateParser
from cleaner.clean.rules import RuleHit, RuleSet
from cleaner.document import Comment, Removal

# A marker must be followed by a comment-like line within this many lines (or be the last line).
LOOKAHEAD = 6
# A line with at least this many words is running prose: the article has begun.
PROSE_WORDS = 12
_HAS_COUNT = re.compile(r"\d")
# An author name on a line of its own, the time on the next line: a nickname ("leser.eins") or a
# short name ("Dominik W.").
_HANDLE = re.compile(r"^(?=.{2,40}$)[^\s]+(?: [^\s]+){0,2}$")


@dataclass(slots=True)
class CommentSection:
    """Where the section starts (index into the units) and what it held."""

    start: int
    comments: list[Comment]
    removals: list[Removal]


# Rule kinds asked together, in order of precedence (one scan of the rules per line).
_START_OR_META = ("comment_start", "comment_meta")
_ANY_COMMENT_LINE = ("comment_meta", "comment_start", "comment_noise")
_META_OR_NOISE = ("comment_meta", "comment_noise")


def find_start(units: list[tuple[int, str]], rules: RuleSet, dates: DateParser) -> int | None:
    """Index of the first unit of the comment section, or None.

    A section only starts after some body text (a line of running prose): comments follow an
    article, and a date line under a one-word title must not swallow the whole document.
    """
    n = len(units)
    seen_prose = False
    for i in range(n):
        text = units[i][1]
        hit = rules.first_of(_START_OR_META, text) if seen_prose else None
        if hit is not None:
            if hit.kind == "comment_start":
                if _HAS_COUNT.search(text) or i == n - 1 or _comment_like_follows(units, i, rules, dates):
                    return i
            elif not _dated_header(hit, text, dates) and _meta_run(units, i, rules):
                if "author" in hit.groups:
                    return i
                if _HANDLE.match(units[i - 1][1]) and i - 1 > 0:
                    return i - 1
        seen_prose = seen_prose or len(text.split()) >= PROSE_WORDS
    return None


def _dated_header(hit: RuleHit, text: str, dates: DateParser) -> bool:
    """An "author and time" line that is a date line as a whole: ``Aktualisiert 26.10.2021, 22.50
    Uhr``, ``So., 19.07.2020, 09:54 Uhr``. The first word is a date label or a weekday, not a
    commenter, and such a line under the lead is the article's date, not a comment section."""
    return "author" in hit.groups and dates.parse(text) is not None


def _comment_like_follows(units: list[tuple[int, str]], i: int, rules: RuleSet, dates: DateParser) -> bool:
    ahead = units[i + 1 : i + 1 + LOOKAHEAD]
    for k, (_, text) in enumerate(ahead):
        if rules.first_of(_ANY_COMMENT_LINE, text) is not None:
            return True
        if k + 1 < len(ahead) and _HANDLE.match(text) and dates.parse(ahead[k + 1][1]) is not None:
            return True
    return False


def _meta_run(units: list[tuple[int, str]], i: int, rules: RuleSet) -> bool:
    """A headless section: one more meta line follows, or this one is followed only by its text.

    The units after ``i`` are looked at in place: a copy of them for every meta line made a long
    run of meta lines that never open a section quadratic.
    """
    if any(rules.match("comment_meta", units[k][1]) for k in range(i + 1, len(units))):
        return True
    return len(units) - (i + 1) <= 2


def parse_section(units: list[tuple[int, str]], start: int, rules: RuleSet, dates: DateParser) -> CommentSection:
    """Split the units from ``start`` on into comments; every line gets a removal record."""
    comments: list[Comment] = []
    removals: list[Removal] = []
    current: Comment | None = None
    pending_author: tuple[int, str] | None = None
    for idx in range(start, len(units)):
        lineno, text = units[idx]
        nxt = units[idx + 1][1] if idx + 1 < len(units) else None
        # A meta line opens a comment; a section marker counts only where no comment is open.
        hit = rules.first_of(_ANY_COMMENT_LINE if idx == start or current is None else _META_OR_NOISE, text)
        if hit is not None and hit.kind == "comment_meta":
            current = _new_comment(hit, lineno, pending_author, dates)
            pending_author = None
            comments.append(current)
            removals.append(Removal(lineno, "comment_meta", hit.rule, text))
            continue
        if hit is not None:
            removals.append(Removal(lineno, "comment_meta", hit.rule, text))
            continue
        if nxt is not None and _HANDLE.match(text) and _is_bare_time(nxt, rules, dates):
            pending_author = (lineno, text)
            removals.append(Removal(lineno, "comment_meta", "comments.author", text))
            continue
        if pending_author is not None and (stamp := dates.parse(text)) is not None:
            current = Comment(author=pending_author[1], time=stamp.iso, text="", line=lineno)
            pending_author = None
            comments.append(current)
            removals.append(Removal(lineno, "comment_meta", "comments.time", text))
            continue
        if current is None:
            current = Comment(author=None, time=None, text="", line=lineno)
            comments.append(current)
        current.text = f"{current.text}\n{text}" if current.text else text
        removals.append(Removal(lineno, "comment", "comments.text", text))
    return CommentSection(start, [c for c in comments if c.text or c.author], removals)


def _is_bare_time(text: str, rules: RuleSet, dates: DateParser) -> bool:
    hit = rules.match("comment_meta", text)
    if hit is not None:
        return "author" not in hit.groups
    return dates.parse(text) is not None


def _new_comment(meta: RuleHit, lineno: int, pending_author: tuple[int, str] | None, dates: DateParser) -> Comment:
    author = meta.groups.get("author")
    if author is None and pending_author is not None:
        author = pending_author[1]
    raw_time = meta.groups.get("time")
    parsed = dates.search_any(raw_time) if raw_time else None
    return Comment(author=author, time=parsed.iso if parsed else None, text="", line=lineno)
