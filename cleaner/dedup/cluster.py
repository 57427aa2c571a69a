"""Linked pairs → clusters with one canonical document each, guarded against chaining.

Links are transitive in a union-find but similarity is not: a teaser links to the story, the
story to its extended copy, the extended copy to a story that shares its local intro. So after the
connected components, every member is compared with its component's canonical document directly
and kept only if that comparison links too; the members split off form components of their own
(by the links among themselves) and go through the same check, until every cluster is a star
around its canonical document.

The canonical document is the best by the configured rule, ties broken by id, so the result does
not depend on input order:

- ``complete``: the most shingles, then the most characters (the fullest body of the story);
- ``longest``: the most characters, then the most shingles;
- ``earliest``: the earliest date (documents without one come last), then as ``complete``;
- ``first``: the smallest first-seen ``order``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from cleaner.dedup.verify import Comparison

RankKey = tuple[object, ...]


class Rank:
    """Per document, a key whose smallest value in a cluster marks the canonical document.

    Keys are made on demand: only documents in a cluster are ever ranked, so a corpus of a million
    singletons costs no million tuples.
    """

    def __init__(
        self,
        ids: Sequence[str],
        dates: Sequence[str | None],
        orders: np.ndarray,
        sizes: np.ndarray,
        chars: np.ndarray,
        mode: str,
    ) -> None:
        self._ids, self._dates, self._orders = ids, dates, orders
        self._sizes, self._chars, self._mode = sizes, chars, mode

    def __getitem__(self, k: int) -> RankKey:
        doc_id, size, chars = self._ids[k], int(self._sizes[k]), int(self._chars[k])
        if self._mode == "complete":
            return (-size, -chars, doc_id)
        if self._mode == "longest":
            return (-chars, -size, doc_id)
        if self._mode == "earliest":
            date = self._dates[k]
            return (date is None, date or "", -size, -chars, doc_id)
        return (int(self._orders[k]), doc_id)


def clusters(
    links: np.ndarray,
    rank: Rank,
    compare: Callable[[int, int], Comparison],
    *,
    distinct: np.ndarray | None = None,
    merged: np.ndarray | None = None,
) -> tuple[list[tuple[int, list[int]]], int]:
    """``([(canonical, members without it), …], documents split off by the guard)``.

    ``links`` holds the linked pairs as rows ``(i, j)``; only groups of two or more are returned.
    ``compare(canonical, member)`` decides whether a member stays.

    ``distinct`` and ``merged`` are review decisions as document index pairs ``(k, 2)``; a person
    looked at those documents, so they overrule the measures. A distinct pair never ends in one
    cluster: its link is dropped, and when both still verify against one canonical, the lower
    ranked of the two is split off. A merged pair is linked and kept together even where the guard
    would split it: both its documents become anchors of their cluster, and a member stays when it
    verifies against the canonical or any anchor (so merging two canonicals brings their clusters
    along). Where merges chain into a distinct pair, distinct wins.
    """
    apart = _pairs(distinct)
    joined = _pairs(merged) - apart
    if apart or joined:
        rows = ({(min(i, j), max(i, j)) for i, j in links.tolist()} - apart) | joined
        links = np.array(sorted(rows), np.int64).reshape(-1, 2)
    partners = _neighbours(joined)
    avoid = _neighbours(apart)
    out: list[tuple[int, list[int]]] = []
    split: set[int] = set()
    pending = _components(links)
    while pending:
        group, group_links = pending.pop()
        canonical = min(group, key=rank.__getitem__)
        kept = _star(group, canonical, compare, partners, avoid, rank)
        if kept:
            out.append((canonical, kept))
        rest = np.setdiff1d(group, [canonical, *kept])
        split.update(rest.tolist())
        inside = np.isin(group_links, rest).all(axis=1)
        pending.extend(_components(group_links[inside]))
    return out, len(split)


def pair_indices(pairs: Iterable[tuple[str, str]], ids: Sequence[str]) -> np.ndarray:
    """Id pairs (review decisions) as document index pairs ``(k, 2)`` for :func:`clusters`.

    A pair naming an id that is not in ``ids`` is left out: decisions outlive the documents they
    name, and a stale one must not stop a run.
    """
    pairs = list(pairs)
    if not pairs:
        return np.zeros((0, 2), np.int64)
    named = {i for pair in pairs for i in pair}
    where = {doc_id: k for k, doc_id in enumerate(ids) if doc_id in named}
    found = [(where[a], where[b]) for a, b in pairs if a in where and b in where]
    return np.array(found, np.int64).reshape(-1, 2)


def _pairs(decided: np.ndarray | None) -> set[tuple[int, int]]:
    """Decided pairs with the smaller index first, pairs of a document with itself left out."""
    if decided is None:
        return set()
    return {(min(i, j), max(i, j)) for i, j in np.asarray(decided, np.int64).reshape(-1, 2).tolist() if i != j}


def _neighbours(pairs: set[tuple[int, int]]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for i, j in pairs:
        out.setdefault(i, set()).add(j)
        out.setdefault(j, set()).add(i)
    return out


def _star(
    group: list[int],
    canonical: int,
    compare: Callable[[int, int], Comparison],
    partners: dict[int, set[int]],
    avoid: dict[int, set[int]],
    rank: Rank,
) -> list[int]:
    """The members of ``group`` that stay with ``canonical``, in group order.

    Without decisions these are the members that verify against the canonical. Documents of merged
    pairs (``partners``) are anchors too; then distinct pairs (``avoid``) found inside are broken
    by leaving out their lower-ranked document, and the star is formed again without it.
    """
    blocked: set[int] = set()
    while True:
        anchors, inside = [canonical], {canonical}
        for anchor in anchors:  # grows while iterating: merged partners become anchors
            for m in group:
                if m in inside or m in blocked:
                    continue
                if m in partners.get(anchor, ()) or compare(anchor, m).linked:
                    inside.add(m)
                    if m in partners:
                        anchors.append(m)
        clash = sorted((d, other) for d in inside for other in avoid.get(d, ()) if other in inside and d < other)
        if not clash:
            return [m for m in group if m in inside and m != canonical]
        blocked.add(max(clash[0], key=rank.__getitem__))


def _components(links: np.ndarray) -> list[tuple[list[int], np.ndarray]]:
    """The connected components of the graph of ``links``, each with its own links."""
    if not len(links):
        return []
    nodes, local = np.unique(links, return_inverse=True)
    local = local.reshape(links.shape)
    labels = _component_labels(local, len(nodes))
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    link_label = labels[local[:, 0]]
    link_order = np.argsort(link_label, kind="stable")
    link_bounds = np.searchsorted(link_label[link_order], np.arange(labels.max() + 2))
    return [
        (nodes[part].tolist(), links[link_order[link_bounds[label] : link_bounds[label + 1]]])
        for label, part in enumerate(np.split(order, bounds))
    ]


def _component_labels(links: np.ndarray, nodes: int) -> np.ndarray:
    """Per node ``0..nodes-1``, the number of its connected component in ``links``, components
    numbered in the order of their smallest node.

    A union-find whose roots are always the smallest node of their tree; linked pairs are a few
    per cent of the documents, so a loop over them costs less than importing SciPy's graph module.
    """
    parent = list(range(nodes))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links.tolist():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.fromiter((root(x) for x in range(nodes)), np.int64, nodes)
    return np.unique(roots, return_inverse=True)[1].reshape(-1)
