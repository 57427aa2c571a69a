"""Candidate pair → exact similarity on the shingle sets, and the decision whether it is one story.

MinHash only estimates; a pair is linked on exact numbers computed from the shingle-hash sets.
With A the smaller text's set and B the larger's:

- Jaccard ``|A∩B| / |A∪B|`` ≥ ``threshold``: copies, re-split paragraphs, light edits;
- containment ``|A∩B| / |A|`` ≥ ``containment_threshold``: teasers (the first paragraphs of a
  story), updates (one more paragraph) and extended copies (a local intro and outro around the
  whole story) have a low Jaccard but nearly all of the smaller text inside the larger;
- overlap: edited copies (a paragraph dropped or added, words changed, the first sentence
  rewritten) keep only part of the smaller text, but in long passages. At least
  ``overlap_threshold`` of A and at least ``min_shared`` shingles must lie in runs of at least
  ``min_passage`` consecutive shared shingles (in A's text order). Template items share
  fragments between their variable slots, and two stories that quote the same sentence share one
  passage of 20 to 40 shingles, so neither qualifies.

Short texts (fewer than ``short_shingles`` shingles) are too small for these numbers: one changed
word removes n of their few shingles, and a sentence found inside an article is a quote, not a
teaser. Two short texts are compared by rapidfuzz's normalised Indel similarity of their token
sequences instead (``fuzzy_threshold``); a short text is never linked by containment.

Template items (daily market reports, "Fed adds reserves" notes) are the same text with other
figures. With ``templates_apart`` a linked pair is split again when the shingles of A missing
from B are mostly (``template_share``) shingles that hold a digit and make up a noticeable part
of A (``template_changed``): one changed figure matters in a three-line item, not in a long story
updated with a new toll. Copies differ otherwise: a teaser or an update lacks nothing, an edited
copy's changes are mostly words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.store import ShingleSets

_ONE = np.uint64(1)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Exact similarity of two documents and whether, and by which rule, they are linked.

    ``fuzzy`` is ``None`` unless both texts are short; ``template`` says the pair was split as
    template items; ``by`` is the rule that links them (``"jaccard"``, ``"containment"``,
    ``"overlap"`` or ``"fuzzy"``), ``None`` when none does or the pair is a template.
    """

    jaccard: float
    containment: float
    fuzzy: float | None
    template: bool
    by: str | None

    @property
    def linked(self) -> bool:
        return self.by is not None


class ShingleSet:
    """One document's shingle hashes (in text order) and token sequence when short, with their
    sorted copy made once: verification meets the same document in several pairs in a row."""

    __slots__ = ("_sorted", "hashes", "sequence")

    def __init__(self, hashes: np.ndarray, sequence: np.ndarray | None) -> None:
        self.hashes = hashes
        self.sequence = sequence
        self._sorted: np.ndarray | None = None

    @classmethod
    def of(cls, shingles: ShingleSets, k: int) -> ShingleSet:
        return cls(shingles.get(k), shingles.sequence(k))

    def sorted(self) -> np.ndarray:
        if self._sorted is None:
            self._sorted = self.hashes.copy()
            self._sorted.sort()
        return self._sorted


def compare(shingles: ShingleSets, i: int, j: int, settings: DedupSettings) -> Comparison:
    """Compare documents ``i`` and ``j`` of ``shingles`` and decide whether they are one story."""
    return compare_sets(ShingleSet.of(shingles, i), ShingleSet.of(shingles, j), settings)


def compare_sets(a: ShingleSet, b: ShingleSet, settings: DedupSettings) -> Comparison:
    """Compare two documents' sets (see :func:`compare`)."""
    first, second = (a, b) if _smaller_first(a, b) else (b, a)
    small = first.sorted()
    if not len(small):
        return Comparison(0.0, 0.0, None, False, None)
    large = second.sorted()
    # Sorted keys: numpy's binary search starts from the last key's place, twice the speed of text order.
    found = _found_in(large, small)
    shared = int(np.count_nonzero(found))
    jaccard = shared / (len(a.hashes) + len(b.hashes) - shared)
    containment = shared / len(small)
    if a.sequence is not None and b.sequence is not None:
        fuzzy = Indel.normalized_similarity(a.sequence.tolist(), b.sequence.tolist())
        by = "fuzzy" if fuzzy >= settings.fuzzy_threshold else None
    else:
        fuzzy = None
        by = shingle_rule(
            jaccard, containment, len(small), settings, lambda: _in_passages(first.hashes, large, settings)
        )
    template = False
    if by and settings.templates_apart:
        missing = small[~found]
        figures = int(np.count_nonzero(missing & _ONE))
        template = figures > 0 and figures >= settings.template_share * len(missing)
        template &= figures >= settings.template_changed * len(small)
        by = None if template else by
    return Comparison(jaccard, containment, fuzzy, template, by)


def shingle_rule(
    jaccard: float, containment: float, small: int, settings: DedupSettings, in_passages: Callable[[], float]
) -> str | None:
    """The rule that links two texts that are not both short, if any.

    ``in_passages()`` tells how many of the smaller text's shingles are shared in long passages;
    it is asked only when the overlap rule is reached (counting them exactly reads the sets in
    text order; the persistent index estimates them instead).

    A pair that is contained and also similar by Jaccard is a containment when one side clearly
    has more (a Jaccard below the containment threshold: a teaser, an update, an extended copy)
    and a near-duplicate when the two are about the same text.
    """
    contained = containment >= settings.containment_threshold and small >= settings.short_shingles
    if contained and jaccard < settings.containment_threshold:
        return "containment"
    if jaccard >= settings.threshold:
        return "jaccard"
    if contained:
        return "containment"
    enough = max(settings.overlap_threshold * small, settings.min_shared)
    if containment >= settings.overlap_threshold and in_passages() >= enough:
        return "overlap"
    return None


def _smaller_first(a: ShingleSet, b: ShingleSet) -> bool:
    """Whether ``a`` plays the smaller text; texts of equal size are ordered by content, not by
    position, so that the decision does not depend on input order."""
    if len(a.hashes) != len(b.hashes):
        return len(a.hashes) < len(b.hashes)
    sa, sb = a.sorted(), b.sorted()
    differ = np.flatnonzero(sa != sb)
    return not len(differ) or bool(sa[differ[0]] < sb[differ[0]])


def _in_passages(small: np.ndarray, large: np.ndarray, settings: DedupSettings) -> int:
    """How many shingles of the smaller text (``small``, in text order) are shared with the sorted
    ``large`` within runs of at least ``min_passage`` consecutive shared shingles."""
    found = _found_in(large, small)
    edges = np.flatnonzero(np.diff(found.astype(np.int8), prepend=0, append=0))
    runs = edges[1::2] - edges[0::2]
    return int(runs[runs >= settings.min_passage].sum())


def _found_in(large: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """For each of ``keys``, whether the sorted, non-empty ``large`` holds it. Array methods rather
    than numpy's functions: verification calls this a hundred thousand times."""
    at = large.searchsorted(keys)
    np.minimum(at, len(large) - 1, out=at)
    return large.take(at) == keys
