"""LSH banding: datasketch's parameter choice and every colliding pair, nothing else."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch.lsh import _optimal_param
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.dedup.lsh import PairSet, candidate_pairs, optimal_param, pairs_in_band


@pytest.mark.parametrize(
    ("threshold", "num_perm", "weights"),
    [
        (0.1, 128, (0.5, 0.5)),
        (0.3, 128, (0.5, 0.5)),
        (0.5, 64, (0.5, 0.5)),
        (0.8, 32, (0.5, 0.5)),
        (0.9, 256, (0.5, 0.5)),
        (0.55, 100, (0.5, 0.5)),
        (0.3, 128, (0.2, 0.8)),
        (0.7, 128, (0.9, 0.1)),
    ],
)
def test_optimal_param_matches_datasketch(threshold: float, num_perm: int, weights: tuple[float, float]) -> None:
    """The choice made by exact Gauss-Legendre areas is the one datasketch makes with SciPy's quad."""
    assert optimal_param(threshold, num_perm, *weights) == _optimal_param(threshold, num_perm, *weights)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), min_size=6, max_size=6), max_size=25),
    st.sampled_from([(3, 2), (2, 3), (6, 1)]),
)
def test_candidates_are_the_pairs_that_share_a_band(rows: list[list[int]], shape: tuple[int, int]) -> None:
    bands, r = shape
    signatures = np.array(rows, np.uint32).reshape(-1, 6)
    first = {tuple(row): rows.index(row) for row in rows}
    firsts = [i for i, row in enumerate(rows) if first[tuple(row)] == i]
    # Distinct signatures: every pair that agrees on a band; copies: a star around the first.
    expected = {
        (i, j)
        for i, j in itertools.combinations(firsts, 2)
        if any(rows[i][b * r : (b + 1) * r] == rows[j][b * r : (b + 1) * r] for b in range(bands))
    }
    expected |= {(first[tuple(row)], k) for k, row in enumerate(rows) if first[tuple(row)] != k}
    found = candidate_pairs(signatures, bands, r)
    assert found.dtype in (np.int32, np.int64) and found.shape[1] == 2
    assert [tuple(p) for p in found.tolist()] == sorted(expected)


def test_a_thousand_copies_make_a_star_not_a_clique() -> None:
    signatures = np.tile(np.arange(8, dtype=np.uint32), (1000, 1))
    pairs = candidate_pairs(signatures, 4, 2)
    assert pairs.tolist() == [[0, j] for j in range(1, 1000)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=30), max_size=20))
def test_pair_set_keeps_each_distinct_pair_once_in_order(batches: list[list[tuple[int, int]]]) -> None:
    """Folded every few bands or not, the distinct pairs come out once each, i < j, sorted."""
    found = PairSet(41)
    for batch in batches:
        found.add(np.array([p for p in batch if p[0] != p[1]], np.int64).reshape(-1, 2))
    expected = sorted({(min(p), max(p)) for batch in batches for p in batch if p[0] != p[1]})
    assert found.pairs().tolist() == [list(p) for p in expected]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40))
def test_band_pairs_are_the_same_for_32_and_64_bit_keys(keys: list[int]) -> None:
    """32-bit keys are sorted packed with their position, wider ones by argsort: same pairs."""
    narrow = pairs_in_band(np.array(keys, np.uint32))
    wide = pairs_in_band(np.array(keys, np.uint64))
    assert narrow.tolist() == wide.tolist()
    expected = sorted((p, q) for p, q in itertools.combinations(range(len(keys)), 2) if keys[p] == keys[q])
    assert sorted(map(tuple, narrow.tolist())) == expected
