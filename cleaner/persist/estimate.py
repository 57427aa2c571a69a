"""Whether two documents are one story, decided from their index signatures alone.

A run verifies a candidate pair on the exact shingle sets (:mod:`cleaner.dedup.verify`). The
persistent index keeps no shingle sets, so a pair with an indexed document is decided by the
same rules with the same thresholds, on estimates from the signatures
(:mod:`cleaner.persist.signature`) and the shingle counts, which are exact:

- **Shared shingles** ``I``. Per permutation, the smaller minimum of two documents A and B is the
  minimum of their union; it lies in A only (A's minimum is lower), in both (the minima are
  equal) or in B only, with probabilities ``(|A|-I)/U``, ``I/U`` and ``(|B|-I)/U`` where
  ``U = |A|+|B|-I``. ``I`` is the maximum-likelihood value of these three counts. When one text
  holds the other (a teaser, an update), the smaller one's minimum is never the lower, and the
  estimate is exact: containment 1.0, not the ±0.1 that Jaccard-based estimation gives a teaser a
  third of its story's length. Jaccard ``I/U`` and containment ``I/min(|A|,|B|)`` follow.
- **Accuracy.** With ``k = num_perm`` permutations the Jaccard estimate's standard error is
  ``sqrt(J(1-J)/k)``: 0.04 at J = 0.5 and 0.04 at the 0.7 threshold with the default 128. A pair
  within about 0.05 of a threshold may be decided the other way than exact verification would;
  copies far above it (Jaccard 0.9 and more) and teasers and updates (containment 1.0) are not.
- **Short texts** (both under ``short_shingles``) are compared by token similarity in a run. Here
  the edit distance is estimated from the differing shingles (each changed word changes
  ``ngram`` of them) and the difference in length, the larger of the two.
- **Template items.** Where A's minimum is the lower, the shingle that gave it is one of A's
  shingles missing from B, drawn at random; its mark says whether it holds a figure, so the
  share of figures among A's missing shingles is estimated and compared with ``template_share``.
- **Edited copies** (the overlap rule) need shared shingles in long passages. Where A and B share
  a minimum with equal fingerprints, the shared shingle starts a shared passage of
  ``min_passage`` shingles. A shared run of ``r`` shingles has ``r - min_passage + 1`` such
  starts, so the shingles in passages are about :data:`PASSAGE_FACTOR` times the starts.

Measured against exact verification on every candidate pair of the cleaned bodies of
Reuters-21578 (17,032 pairs, 788 of them linked) and of the development benchmark (267 pairs, 266
linked): the decisions differ for 59 Reuters pairs (0.35%: 36 linked here and not exactly, 23 the
other way round; template-like market items and short items near a threshold) and for none of
the development benchmark's.
"""

from __future__ import annotations

import numpy as np

from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.verify import Comparison, shingle_rule
from cleaner.persist.signature import Signatures

# Shingles in shared passages per passage start: r / (r - min_passage + 1) for the shared runs of
# about 20 shingles that edited copies show; 1.4 to 1.6 agree best with exact verification on
# Reuters-21578 and the development benchmark.
PASSAGE_FACTOR = 1.5
# Candidate values of the shared shingles, as fractions of the smaller set, for the likelihood.
_GRID = np.linspace(0.0, 1.0, 513)


def estimate(a: Signatures, b: Signatures, settings: DedupSettings) -> list[Comparison]:
    """Compare document ``k`` of ``a`` with document ``k`` of ``b``, for every ``k``.

    Which of the two plays the smaller text is decided by size, then by the signatures, never by
    the order given, so that ``estimate(a, b)`` and ``estimate(b, a)`` agree.
    """
    if not len(a):
        return []
    swap = (a.sizes > b.sizes) | ((a.sizes == b.sizes) & _lower(b.minima, a.minima))
    small = Signatures(
        np.where(swap[:, None], b.minima, a.minima),
        np.where(swap[:, None], b.marks, a.marks),
        np.where(swap, b.sizes, a.sizes),
    )
    large = Signatures(
        np.where(swap[:, None], a.minima, b.minima),
        np.where(swap[:, None], a.marks, b.marks),
        np.where(swap, a.sizes, b.sizes),
    )
    below = small.minima < large.minima
    equal = small.minima == large.minima
    shared = _shared(equal.sum(axis=1), below.sum(axis=1), (~below & ~equal).sum(axis=1), small.sizes, large.sizes)
    na, nb = small.sizes.astype(np.float64), large.sizes.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(na > 0, shared / (na + nb - shared), 0.0)
        containment = np.where(na > 0, shared / na, 0.0)
        figure_share = np.where(below.any(axis=1), (below & (small.marks & 1 == 1)).sum(axis=1) / below.sum(axis=1), 0)
        passage_starts = (equal & (small.marks >> 1 == large.marks >> 1) & (small.marks >> 1 > 0)).sum(axis=1)
        started = np.where(equal.any(axis=1), passage_starts / equal.sum(axis=1), 0.0)
    out = []
    for k in range(len(a)):
        out.append(
            _decide(
                float(jaccard[k]),
                float(containment[k]),
                float(shared[k]),
                int(na[k]),
                int(nb[k]),
                float(figure_share[k]),
                float(started[k]),
                settings,
            )
        )
    return out


def _lower(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per row, whether ``x`` sorts before ``y`` (first differing column); False where equal."""
    differ = x != y
    first = differ.argmax(axis=1)
    rows = np.arange(len(x))
    return differ[rows, first] & (x[rows, first] < y[rows, first])


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x·log(y)``, 0 where ``x`` is 0 (as the limit is): SciPy's ``xlogy``, written out so that
    loading cleaner does not import ``scipy.special``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def _shared(equal: np.ndarray, below: np.ndarray, above: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """Maximum-likelihood number of shared shingles per pair (``na <= nb``), see the module docstring."""
    small = na.astype(np.float64)[:, None]
    shared = _GRID[None, :] * small
    likelihood = (
        _xlogy(equal[:, None], shared)
        + _xlogy(below[:, None], small - shared)
        + _xlogy(above[:, None], nb.astype(np.float64)[:, None] - shared)
        - _xlogy((equal + below + above)[:, None], small + nb[:, None] - shared)
    )
    best = _GRID[likelihood.argmax(axis=1)] * na
    return np.where(na > 0, best, 0.0)


def _decide(
    jaccard: float,
    containment: float,
    shared: float,
    na: int,
    nb: int,
    figure_share: float,
    started: float,
    settings: DedupSettings,
) -> Comparison:
    """The rules of :func:`cleaner.dedup.verify.compare` on estimates (``na <= nb``)."""
    if not na:
        return Comparison(0.0, 0.0, None, False, None)
    fuzzy = None
    if na < settings.short_shingles and nb < settings.short_shingles:
        la, lb = na + settings.ngram - 1, nb + settings.ngram - 1
        edits = max(lb - la, (na + nb - 2 * shared) / settings.ngram)
        fuzzy = 1.0 - edits / (la + lb)
        by = "fuzzy" if fuzzy >= settings.fuzzy_threshold else None
    else:
        by = shingle_rule(jaccard, containment, na, settings, lambda: shared * started * PASSAGE_FACTOR)
    template = False
    if by and settings.templates_apart:
        missing = na - shared
        figures = figure_share * missing
        template = figures > 0 and figures >= settings.template_share * missing
        template &= figures >= settings.template_changed * na
        by = None if template else by
    return Comparison(jaccard, containment, fuzzy, template, by)
