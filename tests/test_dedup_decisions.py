"""Review decisions in clustering: distinct pairs never share a cluster, merged pairs stay together.

The graph and the verifier are given directly, so each case states exactly which pairs verify:
document 0 ranks best (canonical = "first"), then 1, 2, …
"""

from __future__ import annotations

import numpy as np

from cleaner.dedup.cluster import Rank, clusters, pair_indices
from cleaner.dedup.verify import Comparison

LINKED = Comparison(0.9, 1.0, None, False, "jaccard")
APART = Comparison(0.1, 0.2, None, False, None)


def run(n: int, verified: set[tuple[int, int]], distinct=None, merged=None):
    """Cluster ``n`` documents whose verified pairs (in either order) are ``verified``; links are the same pairs."""
    pairs = {(min(i, j), max(i, j)) for i, j in verified}
    rank = Rank([f"d{k}" for k in range(n)], [None] * n, np.arange(n), np.ones(n), np.ones(n), "first")

    def compare(i: int, j: int) -> Comparison:
        return LINKED if (min(i, j), max(i, j)) in pairs else APART

    links = np.array(sorted(pairs), np.int64).reshape(-1, 2)
    groups, split = clusters(links, rank, compare, distinct=_array(distinct), merged=_array(merged))
    return sorted((c, sorted(m)) for c, m in groups), split


def _array(pairs: list[tuple[int, int]] | None) -> np.ndarray | None:
    return None if pairs is None else np.array(pairs, np.int64).reshape(-1, 2)


def test_no_decisions_is_the_guarded_star() -> None:
    # 0-1 and 1-2 verify, 0-2 does not: the guard splits 2 off.
    assert run(3, {(0, 1), (1, 2)}) == ([(0, [1])], 1)
    assert run(3, {(0, 1), (1, 2)}, distinct=[], merged=[]) == run(3, {(0, 1), (1, 2)})


def test_distinct_pair_drops_its_link() -> None:
    # A pair of two: the link is the only thing holding it together.
    assert run(2, {(0, 1)}, distinct=[(1, 0)]) == ([], 0)


def test_distinct_pair_in_one_star_splits_the_lower_ranked_member() -> None:
    # 1 and 2 both verify against canonical 0, so dropping their own link is not enough.
    verified = {(0, 1), (0, 2), (1, 2), (0, 3)}
    groups, split = run(4, verified, distinct=[(2, 1)])
    assert groups == [(0, [1, 3])]
    assert split == 1
    # Distinct from the canonical itself: the member goes, the rest stays.
    assert run(4, verified, distinct=[(0, 2)])[0] == [(0, [1, 3])]


def test_split_off_member_can_form_its_own_cluster() -> None:
    # 2 is distinct from 0 but is a copy of 4: they cluster by themselves.
    verified = {(0, 1), (0, 2), (2, 4), (0, 3)}
    groups, _ = run(5, verified, distinct=[(0, 2)])
    assert groups == [(0, [1, 3]), (2, [4])]


def test_merged_pair_is_joined_without_any_link() -> None:
    assert run(3, set(), merged=[(0, 2)]) == ([(0, [2])], 0)


def test_merged_pair_is_kept_where_the_guard_would_split_it() -> None:
    # Chain 0-1-2: without decisions 2 is split off; merging 0 and 2 keeps it.
    assert run(3, {(0, 1), (1, 2)}, merged=[(0, 2)]) == ([(0, [1, 2])], 0)


def test_merging_two_canonicals_brings_both_clusters() -> None:
    # Two stars {0: 1, 2} and {3: 4, 5}; a person merges their canonicals 0 and 3. Members 4 and
    # 5 verify against 3 only, yet join: 3 is an anchor of the merged cluster.
    verified = {(0, 1), (0, 2), (3, 4), (3, 5)}
    assert run(6, verified) == ([(0, [1, 2]), (3, [4, 5])], 0)
    assert run(6, verified, merged=[(3, 0)]) == ([(0, [1, 2, 3, 4, 5])], 0)


def test_merge_with_a_member_of_another_cluster() -> None:
    # 4 is merged with member 1 of cluster 0: 4 and its own copy 5 come along.
    verified = {(0, 1), (4, 5)}
    assert run(6, verified, merged=[(1, 4)]) == ([(0, [1, 4, 5])], 0)


def test_distinct_wins_over_a_chain_of_merges() -> None:
    groups, split = run(3, set(), merged=[(0, 1), (1, 2)], distinct=[(0, 2)])
    assert groups == [(0, [1])] and split == 1
    # The same pair both merged and distinct: distinct.
    assert run(2, {(0, 1)}, merged=[(0, 1)], distinct=[(0, 1)]) == ([], 0)


def test_self_pairs_are_ignored() -> None:
    assert run(2, {(0, 1)}, distinct=[(1, 1)], merged=[(0, 0)]) == ([(0, [1])], 0)


def test_pair_indices_leave_out_unknown_ids() -> None:
    ids = ["a", "b", "c"]
    assert pair_indices([("c", "a"), ("a", "gone")], ids).tolist() == [[2, 0]]
    assert pair_indices([], ids).shape == (0, 2)
