"""Learn boilerplate no rule names: short lines that recur across many documents of one source.

Every outlet has lines of its own (a newsletter plug, a paywall teaser, a regional footer) that no
default rule can know. Such a line recurs, after lower-casing and masking digits, in many
documents of its source. Copies of one wire story also repeat lines, but they repeat their
neighbours too; real boilerplate stands next to different text each time. So a line is learned
when it is short, occurs in at least ``min_docs`` documents and ``min_fraction`` of its
source, and between at least ``min_contexts`` different neighbour pairs. A paragraph rejoined
from several lines of a hard-wrapped text (:mod:`cleaner.clean.unwrap`) is wrapped prose, not
such a line, and is neither counted nor removed.

Learning is split so that it streams and runs in parallel: :func:`observe` turns a chunk of
documents into arrays of 64-bit hashes (in a worker), :class:`BoilerplateLearner` merges the
arrays of all chunks (in the main process) and names the learned lines, and :func:`strip_learned`
moves them out of each body (in a worker again). Only hashes travel and are kept, so memory grows
with the number of distinct short lines, never with the corpus text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import xxhash

from cleaner.dedup.normalize import fmix64
from cleaner.document import Document, Removal

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
# Merge the pending arrays into the running tables once this many rows are waiting.
_COMPACT_ROWS = 1 << 21


def normalise(line: str) -> str:
    """The form lines are compared in: lower case, digits masked, whitespace folded."""
    return _SPACES.sub(" ", _DIGITS.sub("0", line.lower())).strip()


def source_key(source: str | None) -> int:
    """The hash that stands for a source; documents without one share the corpus-wide source."""
    return xxhash.xxh3_64_intdigest((source or "").encode("utf-8"))


def _line_key(norm: str, source: int) -> int:
    """The hash of a normalised line within its source: what is counted, learned and matched."""
    return xxhash.xxh3_64_intdigest(norm.encode("utf-8"), seed=source)


@dataclass
class Observations:
    """The short lines of a chunk of documents, as hashes.

    ``doc_lines``/``doc_sources``: one row per document and distinct short line (with its source),
    for counting documents; ``context_lines``/``contexts``: one row per occurrence, with a hash
    of the line's neighbours, for counting distinct contexts; ``docs_per_source``: documents per
    source hash.
    """

    doc_lines: np.ndarray
    doc_sources: np.ndarray
    context_lines: np.ndarray
    contexts: np.ndarray
    docs_per_source: Counter[int]


def observe(docs: Iterable[Document], max_chars: int) -> Observations:
    """Hash the short body lines of ``docs``, with the neighbours each occurrence stands between."""
    doc_lines: list[int] = []
    doc_sources: list[int] = []
    context_lines: list[int] = []
    contexts: list[int] = []
    per_source: Counter[int] = Counter()
    for doc in docs:
        source = source_key(doc.source)
        per_source[source] += 1
        # Neighbours are told apart by their raw text: normalising every long paragraph would
        # cost more than all the rest, and only the short lines' own keys need it.
        plain = [xxhash.xxh3_64_intdigest(p.encode("utf-8")) for p in doc.paragraphs]
        counted: set[int] = set()
        joined = _first_lines_of_joined(doc)
        for i, para in enumerate(doc.paragraphs):
            if len(para) > max_chars or (joined and doc.paragraph_lines[i] in joined):
                continue
            key = _line_key(normalise(para), source)
            if key not in counted:
                counted.add(key)
                doc_lines.append(key)
                doc_sources.append(source)
            before = plain[i - 1] if i > 0 else 0
            after = plain[i + 1] if i + 1 < len(plain) else 0
            context_lines.append(key)
            contexts.append(xxhash.xxh3_64_intdigest(before.to_bytes(8, "little"), seed=after))
    return Observations(
        np.array(doc_lines, np.uint64),
        np.array(doc_sources, np.uint64),
        np.array(context_lines, np.uint64),
        np.array(contexts, np.uint64),
        per_source,
    )


@dataclass
class BoilerplateLearner:
    """Merges the :class:`Observations` of all chunks, then names the lines that are boilerplate.

    Two tables are kept, both sorted and free of repeats: documents per line (with the line's
    source), and the distinct (line, context) pairs as one hash each with their line.
    """

    min_docs: int
    min_fraction: float
    min_contexts: int
    max_chars: int
    _lines: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    _sources: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    _docs: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    _pair_lines: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    _pairs: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    _pending: list[Observations] = field(default_factory=list)
    _pending_rows: int = 0
    _docs_per_source: Counter[int] = field(default_factory=Counter)

    @classmethod
    def from_config(cls, section: dict) -> BoilerplateLearner:
        return cls(section["min_docs"], section["min_fraction"], section["min_contexts"], section["max_chars"])

    def add(self, obs: Observations) -> None:
        """Take one chunk's observations; the tables are merged in large steps, not per chunk."""
        self._docs_per_source.update(obs.docs_per_source)
        self._pending.append(obs)
        self._pending_rows += len(obs.context_lines)
        if self._pending_rows >= _COMPACT_ROWS:
            self._compact()

    def _compact(self) -> None:
        if not self._pending:
            return
        lines = np.concatenate([self._lines, *(o.doc_lines for o in self._pending)])
        sources = np.concatenate([self._sources, *(o.doc_sources for o in self._pending)])
        docs = np.concatenate([self._docs, *(np.ones(len(o.doc_lines), np.int64) for o in self._pending)])
        order = np.argsort(lines, kind="stable")
        lines, sources, docs = lines[order], sources[order], docs[order]
        starts = np.flatnonzero(np.concatenate([[True], lines[1:] != lines[:-1]])) if len(lines) else order[:0]
        self._lines, self._sources = lines[starts], sources[starts]
        self._docs = np.add.reduceat(docs, starts) if len(starts) else docs
        pair_lines = np.concatenate([self._pair_lines, *(o.context_lines for o in self._pending)])
        fresh = [fmix64(o.context_lines * _MIX + o.contexts) for o in self._pending]
        self._pairs, first = np.unique(np.concatenate([self._pairs, *fresh]), return_index=True)
        self._pair_lines = pair_lines[first]
        self._pending, self._pending_rows = [], 0

    def learned(self) -> frozenset[int]:
        """The line hashes (see :func:`strip_learned`) that are boilerplate."""
        self._compact()
        if not len(self._lines):
            return frozenset()
        distinct_lines, contexts = np.unique(self._pair_lines, return_counts=True)
        where = np.minimum(np.searchsorted(distinct_lines, self._lines), len(distinct_lines) - 1)
        found = distinct_lines[where] == self._lines
        per_line = np.where(found, contexts[where], 0)
        per_source = np.array([self._docs_per_source[int(s)] for s in self._sources.tolist()], np.float64)
        need = np.maximum(self.min_docs, self.min_fraction * per_source)
        chosen = (self._docs >= need) & (per_line >= self.min_contexts)
        return frozenset(self._lines[chosen].tolist())


def strip_learned(docs: Iterable[Document], learned: frozenset[int], max_chars: int) -> None:
    """Move learned boilerplate lines from each body into its removal records."""
    if not learned:
        return
    for doc in docs:
        source = source_key(doc.source)
        keep_p: list[str] = []
        keep_l: list[int] = []
        joined = _first_lines_of_joined(doc)
        for text, lineno in zip(doc.paragraphs, doc.paragraph_lines, strict=True):
            if len(text) <= max_chars and lineno not in joined and _line_key(normalise(text), source) in learned:
                doc.removals.append(Removal(lineno, "boilerplate", "boilerplate.learned", text))
            else:
                keep_p.append(text)
                keep_l.append(lineno)
        if len(keep_p) != len(doc.paragraphs):
            doc.paragraphs, doc.paragraph_lines = keep_p, keep_l
            doc.removals.sort(key=lambda r: r.line)


def _first_lines_of_joined(doc: Document) -> set[int]:
    """The first lines of the paragraphs joined from several input lines."""
    if not doc.joined_lines:
        return set()
    joined = set(doc.joined_lines)
    return {line for line in doc.paragraph_lines if line + 1 in joined}


__all__ = ["BoilerplateLearner", "Observations", "normalise", "observe", "source_key", "strip_learned"]
