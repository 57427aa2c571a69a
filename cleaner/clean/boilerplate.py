"""Learn boilerplate no rule names: short lines that recur across many documents of one source.

Every outlet has lines of its own (a newsletter plug, a paywall teaser, a regional footer) that no
default rule can know. Such a line recurs, after lower-casing and masking digits, in many
documents of its source. Copies of one wire story also repeat lines, but they repeat their
neighbours too; real boilerplate stands next to different text each time. So a line is learned
when it is short, occurs in at least ``min_docs`` documents and ``min_fraction`` of its
source, and between at least ``min_contexts`` different neighbour pairs. Only hashes are kept,
so memory grows with the number of distinct short lines, not with the corpus text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import xxhash

from cleaner.document import Document, Removal

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def normalise(line: str) -> str:
    """The form lines are compared in: lower case, digits masked, whitespace folded."""
    return _SPACES.sub(" ", _DIGITS.sub("0", line.lower())).strip()


def _key(line: str) -> int:
    return xxhash.xxh3_64_intdigest(normalise(line).encode("utf-8"))


@dataclass
class _Seen:
    docs: int = 0
    contexts: set[int] = field(default_factory=set)


@dataclass
class BoilerplateLearner:
    """Counts short body lines per source over a corpus, then names the ones that are boilerplate."""

    min_docs: int
    min_fraction: float
    min_contexts: int
    max_chars: int
    _seen: dict[tuple[str, int], _Seen] = field(default_factory=dict)
    _docs_per_source: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_config(cls, section: dict) -> BoilerplateLearner:
        return cls(section["min_docs"], section["min_fraction"], section["min_contexts"], section["max_chars"])

    def observe(self, doc: Document) -> None:
        source = doc.source or ""
        self._docs_per_source[source] += 1
        paras = doc.paragraphs
        keys = [_key(p) if len(p) <= self.max_chars else None for p in paras]
        counted: set[int] = set()
        for i, key in enumerate(keys):
            if key is None:
                continue
            seen = self._seen.setdefault((source, key), _Seen())
            if key not in counted:
                counted.add(key)
                seen.docs += 1
            if len(seen.contexts) < self.min_contexts:
                before = _key(paras[i - 1]) if i > 0 else 0
                after = _key(paras[i + 1]) if i + 1 < len(paras) else 0
                seen.contexts.add(hash((before, after)))

    def learned(self) -> set[tuple[str, int]]:
        """The (source, line hash) pairs that are boilerplate."""
        found = set()
        for (source, key), seen in self._seen.items():
            need = max(self.min_docs, self.min_fraction * self._docs_per_source[source])
            if seen.docs >= need and len(seen.contexts) >= self.min_contexts:
                found.add((source, key))
        return found


def strip_learned(docs: Iterable[Document], learned: set[tuple[str, int]], max_chars: int) -> None:
    """Move learned boilerplate lines from each body into its removal records."""
    if not learned:
        return
    for doc in docs:
        source = doc.source or ""
        keep_p: list[str] = []
        keep_l: list[int] = []
        for text, lineno in zip(doc.paragraphs, doc.paragraph_lines, strict=True):
            if len(text) <= max_chars and (source, _key(text)) in learned:
                doc.removals.append(Removal(lineno, "boilerplate", "boilerplate.learned", text))
            else:
                keep_p.append(text)
                keep_l.append(lineno)
        if len(keep_p) != len(doc.paragraphs):
            doc.paragraphs, doc.paragraph_lines = keep_p, keep_l
            doc.removals.sort(key=lambda r: r.line)


def learn(docs: list[Document], section: dict) -> set[tuple[str, int]]:
    """Learn boilerplate over a corpus of cleaned documents (empty when disabled)."""
    if not section["enabled"]:
        return set()
    learner = BoilerplateLearner.from_config(section)
    for doc in docs:
        learner.observe(doc)
    return learner.learned()


__all__ = ["BoilerplateLearner", "learn", "normalise", "strip_learned"]
