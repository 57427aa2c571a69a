"""A member beside its canonical in the terminal, with the same marks as the HTML report.

Shared words are green, words found only in the canonical are white on red, words found only in
the member black on yellow; lines cleaning removed are dimmed with their line number and kind.
"""

from __future__ import annotations

import re

from rich import box
from rich.table import Table
from rich.text import Text

from cleaner.report.data import DocView, RemovedLine
from cleaner.report.diff import segments, words

SAME = "green"
ONLY = ("bold white on red3", "bold black on yellow3")
REMOVED = "dim"
_SPLIT = re.compile(r"([ \t\n\r\f\v]+)")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


def side_by_side(canonical: DocView, member: DocView, member_label: str) -> Table:
    """A two-column table: the canonical on the left, ``member`` on the right, differences marked."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column(f"canonical  {canonical.id}", ratio=1, overflow="fold")
    table.add_column(f"{member_label}  {member.id}", ratio=1, overflow="fold")
    table.add_row(*marked_texts(canonical, member))
    return table


def marked_texts(canonical: DocView, member: DocView) -> tuple[Text, Text]:
    """Both documents as styled text: shared words :data:`SAME`, the others :data:`ONLY` (per side)."""
    a, b = words(canonical.text), words(member.text)
    same_a, same_b = [False] * len(a), [False] * len(b)
    for seg in segments(a, b):
        if seg.tag == "equal":
            same_a[seg.a_start : seg.a_end] = [True] * (seg.a_end - seg.a_start)
            same_b[seg.b_start : seg.b_end] = [True] * (seg.b_end - seg.b_start)
    return _side(canonical, same_a, ONLY[0]), _side(member, same_b, ONLY[1])


def _side(doc: DocView, same: list[bool], only: str) -> Text:
    out = Text()
    if doc.title:
        out.append(doc.title + "\n", style="bold")
    out.append(" · ".join(v for v in (doc.source, doc.date) if v) + "\n", style="italic")
    _removed(out, doc.above)
    parts = _SPLIT.split(doc.text)
    w = 0
    for k, part in enumerate(parts):
        if k % 2:
            out.append("\n\n" if _PARAGRAPH.search(part) else " ")
        elif part:
            out.append(part, style=SAME if same[w] else only)
            w += 1
    out.append("\n")
    _removed(out, doc.below)
    if doc.comment_lines:
        out.append(f"{doc.comment_lines} reader-comment lines (in comments.jsonl)\n", style=REMOVED)
    return out


def _removed(out: Text, lines: tuple[RemovedLine, ...]) -> None:
    for r in lines:
        out.append(f"{r.line:>4} {r.kind:<12} {r.text}\n", style=REMOVED)
