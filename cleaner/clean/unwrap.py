"""Rejoin hard-wrapped text: lines broken at a fixed width become the paragraphs they were.

Wire feeds and older corpora break every line at 60-80 characters and mark paragraphs by an
indented first line or a blank line. The rest of the cleaner reads one paragraph per line, as
scraped pages give it; fed wrapped lines, it would make each line a paragraph and take the first
wrapped line of the lead for a title. So before any rule runs, a text is tested for hard
wrapping and, when wrapped, its lines are joined back into logical lines:

- Detection looks at pairs of adjacent lines within a paragraph. Text wrapped at a width breaks
  a line only where the next word would not fit: the line plus the next line's first word is
  wider than the widest line (a *full* line). A line ending mid-sentence before a lower-case
  word continues too (pairs of equal lines, or of lines without a letter, are not counted). One
  line at least must be full, two pairs and most pairs must show one sign or the other, and at
  most three in four may go on with a capital (verse and lists start each line with one, wrapped
  prose does not), unless a full line indented as a paragraph start goes on in a line less
  indented: that layout is typeset prose, never verse or a list.
- A paragraph starts at a blank line, at a line indented deeper than the text's least indented
  lines, and at a list item (unless the line above is full and ends no sentence: then the break
  fell before "18. September" or a dash); a table row (columns set apart by runs of spaces)
  stands alone. When paragraphs are marked by indentation, every other line continues the one
  above; otherwise a line continues the one above when that one is full or the sentence plainly
  goes on.
- An all-capital first line is the headline of a wrapped text, never joined to what follows;
  another first line is joined to the next only when it is full, as it may be a title too.

Nothing is removed here: :class:`Unwrapped` keeps, for each joined line, the input lines it was
made of and where each starts in it, so that removal records still name input lines
(:func:`place_removals`) and the body accounts for every line (``Document.joined_lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from cleaner.document import Document, Removal

# Hard wrapping happens at 40 columns or more (60-80 mostly); narrower short lines are verse,
# lists or headers, and much wider "lines" are paragraphs that were never wrapped.
_MIN_WIDTH = 40
_MAX_WIDTH = 160
# A line counts as full when the next word would not have fitted in the widest line less this:
# wrapping tools do not all fill lines to the last column.
_SLACK = 2
# Of the pairs of adjacent lines inside paragraphs: one at least must be a full line (a sentence
# going on across short lines is too weak a sign alone: "Avatar" / "nutzer_1 …" in a comment
# section), this many and this share must look wrapped, and at most this share may start with a
# capital (in wrapped prose only sentence starts, names and, in German, nouns do).
_MIN_WRAPPED = 2
_MIN_WRAPPED_SHARE = 0.6
_MAX_CAPITAL_SHARE = 0.75
# Columns of a table are set apart by runs of spaces; prose has single spaces.
_TABLE_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_LIST_ITEM = re.compile(r"(?:[-*•·–—]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
# A line ending so is followed by a new item or sentence, not by the rest of its own.
_CLAUSE_END = re.compile(r"[.!?:;][\"'”’»)\]]*$")
# A word broken at a hyphen ("English-" / "language") is joined without a space, unless the
# hyphen stands for a word left out before a conjunction ("Wirtschafts- und", "pre- and post-war").
_HYPHEN_END = re.compile(r"\w-$")
_SUSPENDED_BEFORE = frozenset({"und", "oder", "bis", "sowie", "bzw.", "beziehungsweise", "and", "or", "nor", "to"})


@dataclass(frozen=True, slots=True)
class Piece:
    """One input line inside a joined line: its number, its text, where the text starts."""

    line: int
    offset: int
    text: str


@dataclass(slots=True)
class Unwrapped:
    """The non-blank lines as cleaning reads them: ``units`` of (first input line, text).

    ``pieces`` holds, for each unit joined from several input lines, those lines (keyed by the
    unit's first line); ``headline`` is the line number of a wrapped text's all-capital first line.
    """

    units: list[tuple[int, str]]
    pieces: dict[int, list[Piece]] = field(default_factory=dict)
    headline: int | None = None


def plain(lines: list[str]) -> Unwrapped:
    """Each non-blank line on its own, stripped: how text that is not hard-wrapped is read."""
    return Unwrapped([(i, line.strip()) for i, line in enumerate(lines, start=1) if line.strip()])


def unwrap(lines: list[str]) -> Unwrapped:
    """The lines of a text (numbered from 1), rejoined into paragraphs when the text is hard-wrapped."""
    text = _Text(lines)
    if not text.wrapped():  # as plain(lines), from the lines already found non-blank
        return Unwrapped([(i, line.lstrip()) for i, line in text.lines])
    units: list[tuple[int, str]] = []
    pieces: dict[int, list[Piece]] = {}
    current: list[Piece] = []
    for k, (number, line) in enumerate(text.lines):
        stripped = line.strip()
        if current and text.joins(k):
            last = current[-1]
            glued = _HYPHEN_END.search(last.text[-2:]) and stripped.split(maxsplit=1)[0] not in _SUSPENDED_BEFORE
            current.append(Piece(number, last.offset + len(last.text) + (0 if glued else 1), stripped))
            continue
        if current:
            _close(units, pieces, current)
        current = [Piece(number, 0, stripped)]
    if current:
        _close(units, pieces, current)
    return Unwrapped(units, pieces, text.headline)


def _close(units: list[tuple[int, str]], pieces: dict[int, list[Piece]], current: list[Piece]) -> None:
    """End a unit: its pieces, each where its offset says, with a space wherever one is left."""
    parts: list[str] = []
    end = 0
    for piece in current:
        parts.append(" " * (piece.offset - end) + piece.text)
        end = piece.offset + len(piece.text)
    units.append((current[0].line, "".join(parts)))
    if len(current) > 1:
        pieces[current[0].line] = current


class _Text:
    """The non-blank lines of one text with what wrapping is judged by."""

    def __init__(self, lines: list[str]) -> None:
        # (line number, line without trailing spaces) for the non-blank lines.
        self.lines = [(i, line.rstrip()) for i, line in enumerate(lines, start=1) if line.strip()]
        first = self.lines[0][1].strip() if self.lines else ""
        self.headline = self.lines[0][0] if first.isupper() and sum(c.isalpha() for c in first) >= 2 else None
        first_body = 0 if self.headline is None else 1
        # The widest line that is not a table row; most texts are told apart by it alone, so table
        # rows are looked for among the widest lines first, and in the others only when needed.
        self.width = 0
        widest = [(len(line), k) for k, (_, line) in enumerate(self.lines) if k >= first_body]
        top = max(widest, default=None)
        if top is not None and not _TABLE_GAP.search(self.lines[top[1]][1].strip()):
            self.width = top[0]
            return
        for length, k in sorted(widest, reverse=True):
            if not _TABLE_GAP.search(self.lines[k][1].strip()):
                self.width = length
                break

    @cached_property
    def tables(self) -> set[int]:
        """The indices of table rows."""
        return {k for k, (_, line) in enumerate(self.lines) if _TABLE_GAP.search(line.strip())}

    @cached_property
    def base(self) -> int:
        """The indentation of lines that go on a paragraph: deeper ones start a paragraph."""
        return min((_indent(line) for _, line in self._body), default=0)

    @cached_property
    def indented(self) -> bool:
        """Whether paragraphs are marked by indentation."""
        return any(_indent(line) > self.base for _, line in self._body)

    @property
    def _body(self) -> list[tuple[int, str]]:
        return self.lines[1:] if self.headline is not None else self.lines

    def wrapped(self) -> bool:
        """Whether most pairs of lines inside paragraphs look broken at a width (see the module doc)."""
        if not _MIN_WIDTH <= self.width <= _MAX_WIDTH:
            return False
        pairs = full = wrapped = capitals = 0
        hanging = False
        for k in range(1, len(self.lines)):
            if not self._inside(k):
                continue
            above, below = self.lines[k - 1][1].strip(), self.lines[k][1].strip()
            if above == below or not _has_letter(above) or not _has_letter(below):
                continue  # a line repeated, or one of signs alone, is no sign of wrapped prose either way
            pairs += 1
            full += self._full(k)
            wrapped += self._full(k) or _goes_on(above, below)
            capitals += below[0].isupper() and not below.isupper()  # a line all in capitals tells nothing
            hanging = hanging or (_indent(self.lines[k - 1][1]) > self.base and self._full(k))
        return (
            full >= 1
            and wrapped >= max(_MIN_WRAPPED, _MIN_WRAPPED_SHARE * pairs)
            and (capitals <= _MAX_CAPITAL_SHARE * pairs or hanging)
        )

    def joins(self, k: int) -> bool:
        """Whether line ``k`` continues line ``k - 1`` in a text found to be wrapped."""
        if not self._inside(k):
            return False
        if k == 1:  # the first line may be a title: only a full one is surely wrapped
            return self._full(k)
        if self.indented:
            return True
        above, below = self.lines[k - 1][1].strip(), self.lines[k][1].strip()
        return self._full(k) or _goes_on(above, below) or bool(_HYPHEN_END.search(above))

    def _inside(self, k: int) -> bool:
        """Whether lines ``k - 1`` and ``k`` could be one paragraph: adjacent, no headline, table
        or indented paragraph start among them, and no list item below, unless the line above is
        full and ends no sentence ("18. September", "– das Opfer" where a line was broken)."""
        (before, above), (number, below) = self.lines[k - 1], self.lines[k]
        if (
            number != before + 1
            or before == self.headline
            or k in self.tables
            or k - 1 in self.tables
            or _indent(below) > self.base
        ):
            return False
        return not _LIST_ITEM.match(below.strip()) or (self._full(k) and not _CLAUSE_END.search(above))

    def _full(self, k: int) -> bool:
        """Whether the next line's first word would not have fitted on line ``k - 1``."""
        above, below = self.lines[k - 1][1], self.lines[k][1]
        return len(above) + 1 + len(below.split(maxsplit=1)[0]) > self.width - _SLACK


def _goes_on(above: str, below: str) -> bool:
    """The sentence plainly continues: no sentence end above, a lower-case word or a number below."""
    return not _SENTENCE_END.search(above) and (below[0].islower() or below[0].isdigit())


def _has_letter(line: str) -> bool:
    return any(c.isalpha() for c in line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def place_removals(doc: Document, unwrapped: Unwrapped) -> None:
    """Account for the input lines of joined units once cleaning is done.

    A unit that is (the start of) a body paragraph lends its further lines to
    ``doc.joined_lines``. A removal from a joined unit is recorded on the input lines its text
    spans, each with its own part of the text, so that removal records keep naming input lines.
    """
    if not unwrapped.pieces:
        return
    body = set(doc.paragraph_lines)
    units = dict(unwrapped.units)
    placed: list[Removal] = []
    for removal in doc.removals:
        pieces = unwrapped.pieces.get(removal.line)
        if pieces is None:
            placed.append(removal)
        else:
            placed.extend(_spread(removal, units[removal.line], pieces))
    doc.removals = placed
    doc.joined_lines = sorted(p.line for first in body & unwrapped.pieces.keys() for p in unwrapped.pieces[first][1:])


def _spread(removal: Removal, unit: str, pieces: list[Piece]) -> list[Removal]:
    """``removal`` (made on a joined unit) on the input lines its text lies on."""
    # A credit cut from a paragraph's end is found from the end; anything else from the start.
    start = unit.rfind(removal.text) if removal.kind == "agency" else unit.find(removal.text)
    if start < 0 or not removal.text:
        return [removal]
    end = start + len(removal.text)
    out = []
    for piece in pieces:
        part = unit[max(start, piece.offset) : min(end, piece.offset + len(piece.text))].strip()
        if part:
            out.append(Removal(piece.line, removal.kind, removal.rule, part))
    return out or [removal]
