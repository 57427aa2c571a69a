"""A screen between banding and exact verification: candidate pairs that cannot link, found from
a few MinHash values without reading their shingle sets.

Banding is tuned to miss no teaser (two rows per band), so most candidate pairs of a large corpus
are stories that share a sentence or two and collide in one band; in a corpus where every source
sentence recurs in many stories they grow faster than the documents. Exact verification costs
tens of microseconds a pair (two reads and a set intersection); the screen costs well under one,
vectorised over blocks of pairs.

Each MinHash value of two sets agrees with probability equal to their Jaccard, so the number of
agreeing values among ``SCREEN_VALUES`` bounds the Jaccard from above: a one-sided
Clopper-Pearson bound at ``SCREEN_ERROR``. From the two exact set sizes each link rule of
:mod:`cleaner.dedup.verify` needs a least Jaccard: ``threshold`` itself, or the shared shingles
that containment and overlap need (sharing ``s`` shingles is a Jaccard of
``s / (small + large - s)``). A pair whose least needed Jaccard lies above the bound cannot link
by any rule, except with probability below ``SCREEN_ERROR``, and is dropped. A teaser of a much
longer story needs so low a Jaccard that it always goes on to exact verification, and so do pairs
of two short texts, which rapidfuzz compares. The values are cut to 16 bits (a chance agreement of
1 in 65,536 a value, far below any Jaccard that matters): 256 bytes a document in the cluster step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cleaner.dedup.settings import DedupSettings

# MinHash values kept per document for the screen, and the chance of dropping a pair that links.
SCREEN_VALUES = 128
SCREEN_ERROR = 1e-6
# Pairs screened at once: their gathered MinHash rows take 512 bytes a pair.
_BLOCK = 1 << 16


def screen_values(signatures: np.ndarray) -> np.ndarray:
    """What the screen keeps of a batch's signatures: ``(documents, SCREEN_VALUES)`` uint16."""
    return (signatures[:, :SCREEN_VALUES] & 0xFFFF).astype(np.uint16)


@dataclass(frozen=True)
class ScreenData:
    """What the screen needs per document: its :func:`screen_values`, its shingle count and
    whether it is short (compared by rapidfuzz)."""

    values: np.ndarray
    sizes: np.ndarray
    short: np.ndarray


def screen_pairs(
    pairs: np.ndarray, data: ScreenData, settings: DedupSettings, dropped: Callable[[np.ndarray, np.ndarray], None]
) -> np.ndarray:
    """Which ``pairs`` go on to exact verification (a bool mask). For the dropped ones, block by
    block, ``dropped(jaccard, containment)`` receives their estimated similarities (for the
    histogram of compared pairs), so that they are never all held at once: at a million
    documents they are tens of millions."""
    values, sizes, short = data.values, data.sizes, data.short
    keep = np.ones(len(pairs), bool)
    if not len(pairs):
        return keep
    bound = jaccard_bound(values.shape[1])
    for start in range(0, len(pairs), _BLOCK):
        i, j = pairs[start : start + _BLOCK, 0], pairs[start : start + _BLOCK, 1]
        # np.take gathers rows at a quarter of the time of indexing with an array.
        agree = np.count_nonzero(np.take(values, i, axis=0) == np.take(values, j, axis=0), axis=1)
        size_i, size_j = np.take(sizes, i), np.take(sizes, j)
        small = np.minimum(size_i, size_j).astype(np.float64)
        large = np.maximum(size_i, size_j).astype(np.float64)
        both_short = np.take(short, i) & np.take(short, j)
        drop = (least_jaccard(small, large, settings) > np.take(bound, agree)) & (small > 0) & ~both_short
        keep[start : start + len(i)] = ~drop
        jaccard = agree[drop] / values.shape[1]
        lo, hi = small[drop], large[drop]
        dropped(jaccard, np.minimum(1.0, jaccard * (lo + hi) / ((1 + jaccard) * lo)))
    return keep


def least_jaccard(small: np.ndarray, large: np.ndarray, settings: DedupSettings) -> np.ndarray:
    """Per pair of set sizes, the least Jaccard at which some link rule could hold."""
    contained = np.where(
        small >= settings.short_shingles, _jaccard_of(settings.containment_threshold * small, small, large), 1.0
    )
    overlap = _jaccard_of(np.maximum(settings.overlap_threshold * small, settings.min_shared), small, large)
    return np.minimum(np.minimum(contained, overlap), settings.threshold)


def _jaccard_of(shared: np.ndarray, small: np.ndarray, large: np.ndarray) -> np.ndarray:
    """The Jaccard of two sets of these sizes sharing ``shared`` shingles (1 where they cannot)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(shared > small, 1.0, shared / (small + large - shared))


@lru_cache(maxsize=8)
def jaccard_bound(values: int) -> np.ndarray:
    """For each count of agreeing values, the Jaccard above which so few agree with probability
    below :data:`SCREEN_ERROR`: the one-sided Clopper-Pearson bound, the ``p`` at which a
    binomial count of ``values`` trials is at most the count seen with probability
    :data:`SCREEN_ERROR` (SciPy's ``beta.ppf(1 - error, agree + 1, values - agree)``).

    Found by bisection on the binomial distribution function in numpy, for every count at once:
    64 halvings reach the float's precision, and importing ``scipy.stats`` for this would cost
    every run more than a second of CPU.
    """
    agree = np.arange(values)  # all values agreeing bounds nothing: the bound is 1
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    log_choose = lgamma(values + 1.0) - lgamma(agree + 1.0) - lgamma(values - agree + 1.0)
    counted = agree[None, :] <= agree[:, None]  # row k sums the probabilities of counts 0..k
    low, high = np.zeros(values), np.ones(values)
    for _ in range(64):
        p = (low + high)[:, None] / 2
        log_pmf = log_choose + agree * np.log(p) + (values - agree) * np.log1p(-p)
        likely = np.where(counted, np.exp(log_pmf), 0.0).sum(axis=1) > SCREEN_ERROR
        middle = p[:, 0]
        low, high = np.where(likely, middle, low), np.where(likely, high, middle)
    bound = np.ones(values + 1)
    bound[:-1] = (low + high) / 2
    return bound
