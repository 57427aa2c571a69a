"""Merge the chunks' part files into the output, in document id order, without holding the corpus.

Each chunk's part file lists its documents in id order: a document's corpus record, then its
removal records, then its comment records (when the workers wrote the corpus in parts, the files
merged are what they left, without corpus records: see :func:`cleaner.engine.tasks.write_part`).
The main process knows every chunk's ids and record counts (they came back with the sketches), so
a k-way merge over the chunks' ids tells which file the next document's lines come from and how
many lines they are; no line is parsed. When there are more chunks than files may be open at
once, groups of chunks are first merged into larger parts.
"""

from __future__ import annotations

import heapq
import resource
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

# File descriptors left for everything else the process has open.
_RESERVED_FILES = 64


@dataclass(frozen=True)
class Part:
    """One part file: its documents' ids (sorted) and per document the number of removal and
    comment lines that follow its corpus line; ``corpus`` false: a file without corpus lines."""

    path: Path
    ids: Sequence[str]
    removed: Sequence[int]
    comments: Sequence[int]
    corpus: bool = True


@dataclass(frozen=True, slots=True)
class DocLines:
    """One document's lines, each with its newline; ``corpus`` is the record without its
    closing brace (empty when the parts hold no corpus lines)."""

    id: str
    corpus: str
    removed: list[str]
    comments: list[str]


def merged(parts: Sequence[Part], work: Path) -> Iterator[DocLines]:
    """Every document of ``parts`` in id order (ids are unique across parts)."""
    limit = _open_file_limit()
    level = 0
    while len(parts) > limit:
        parts = [
            _merge_group(parts[k : k + limit], work / f"merged-{level}-{k // limit:06d}.jsonl")
            for k in range(0, len(parts), limit)
        ]
        level += 1
    yield from _stream(parts)


def _stream(parts: Sequence[Part]) -> Iterator[DocLines]:
    with ExitStack() as stack:
        files: list[TextIO] = [stack.enter_context(p.path.open(encoding="utf-8", newline="\n")) for p in parts]
        order = heapq.merge(*(_keyed(p.ids, c) for c, p in enumerate(parts)))
        for doc_id, c, k in order:
            f, part = files[c], parts[c]
            yield DocLines(
                doc_id,
                f.readline() if part.corpus else "",
                [f.readline() for _ in range(part.removed[k])],
                [f.readline() for _ in range(part.comments[k])],
            )


def _keyed(ids: Sequence[str], part: int) -> Iterator[tuple[str, int, int]]:
    """``(id, part, position)`` for each id of one part: what the k-way merge orders by."""
    for position, doc_id in enumerate(ids):
        yield doc_id, part, position


def _merge_group(parts: Sequence[Part], path: Path) -> Part:
    ids: list[str] = []
    removed: list[int] = []
    comments: list[int] = []
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for doc in _stream(parts):
            out.write(doc.corpus)
            out.writelines(doc.removed)
            out.writelines(doc.comments)
            ids.append(doc.id)
            removed.append(len(doc.removed))
            comments.append(len(doc.comments))
    for p in parts:
        p.path.unlink()
    return Part(path, ids, removed, comments, parts[0].corpus)


def _open_file_limit() -> int:
    """How many part files may be open at once under this process's soft limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 1 << 16
    return max(soft - _RESERVED_FILES, 2)
