"""Candidate pair → exact similarity on the shingle sets, and the decision whether it is one story.

MinHash only estimates; a pair is linked on exact numbers computed from the sorted shingle-hash
sets:

- Jaccard ``|A∩B| / |A∪B|``: copies, re-split paragraphs, light edits (``near-duplicate``);
- containment ``|A∩B| / min(|A|, |B|)``, the share of the smaller document found in the larger:
  teasers (the first paragraphs of a story) and extended copies (a local intro and outro around
  the whole story) have a low Jaccard but a high containment. A short text is too small for
  containment to mean anything (a sentence found inside an article is a quote, not a teaser), so
  containment counts only when the smaller text has ``short_shingles`` shingles or more;
- rapidfuzz's normalised Indel similarity on the token sequences, when both texts are short: one
  changed word removes up to n of a short text's few shingles, but only one of its tokens.

Template stories (daily market reports, "Fed adds reserves" items) are the same text with other
figures: the shingles each side lacks are, on *both* sides, mostly shingles that hold a digit.
Copies differ the other way: a teaser, an update or an extended copy lacks nothing on one side,
and an edited copy's changed words are mostly not figures. With ``templates_apart`` such pairs are
not linked, whatever their similarity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.shingles import ShingleBatch

_ONE = np.uint64(1)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Exact similarity of two documents and whether, and by which rule, they are linked.

    ``fuzzy`` is ``None`` unless both texts are short; ``template`` says the two differ only in
    figures (on both sides); ``by`` is the first rule that links them (``"jaccard"``,
    ``"containment"`` or ``"fuzzy"``), ``None`` when none does or the pair is a template.
    """

    jaccard: float
    containment: float
    fuzzy: float | None
    template: bool
    by: str | None

    @property
    def linked(self) -> bool:
        return self.by is not None


def compare(shingles: ShingleBatch, i: int, j: int, settings: DedupSettings) -> Comparison:
    """Compare documents ``i`` and ``j`` of ``shingles`` and decide whether they are one story."""
    a, b = shingles.get(i), shingles.get(j)
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return Comparison(0.0, 0.0, None, False, None)
    where = np.minimum(np.searchsorted(large, small), len(large) - 1)
    found = large[where] == small
    shared = int(found.sum())
    jaccard = shared / (len(a) + len(b) - shared)
    containment = shared / len(small)
    fuzzy = None
    seq_a, seq_b = shingles.sequences[i], shingles.sequences[j]
    if seq_a is not None and seq_b is not None:
        fuzzy = Indel.normalized_similarity(seq_a.tolist(), seq_b.tolist())
    by = None
    if jaccard >= settings.threshold:
        by = "jaccard"
    elif containment >= settings.containment_threshold and len(small) >= settings.short_shingles:
        by = "containment"
    elif fuzzy is not None and fuzzy >= settings.fuzzy_threshold:
        by = "fuzzy"
    template = False
    if by and settings.templates_apart:
        missing = small[~found]
        figures = int(np.count_nonzero(missing & _ONE))
        template = 0 < figures and figures >= settings.template_share * len(missing)
        template &= figures >= settings.template_changed * len(small)
        by = None if template else by
    return Comparison(jaccard, containment, fuzzy, template, by)


def _digit_share(missing: np.ndarray) -> float:
    """Share of the shingles one side lacks that hold a digit (the hash's lowest bit)."""
    return float(np.count_nonzero(missing & _ONE)) / len(missing) if len(missing) else 0.0
