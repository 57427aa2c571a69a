"""What goes into clustering and what comes out: plain, picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class DedupItem:
    """One document to cluster: its cleaned body and what the canonical choice may look at.

    ``date`` is an ISO 8601 string (compared as text, so precisions mix sensibly: ``2022-01``
    sorts before ``2022-01-10``); ``order`` is the first-seen position, used by
    ``canonical = "first"``. Neither changes which documents are linked.
    """

    id: str
    text: str
    date: str | None = None
    order: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """One document of a cluster, measured against the cluster's canonical document.

    ``containment`` is the share of the smaller document's shingles found in the larger one;
    ``relation`` is ``None`` for the canonical itself, else ``near-duplicate`` (a copy or an edited
    copy), ``contained-in`` (the member is almost all inside the canonical, e.g. a teaser or the
    version before an update) or ``contains`` (the member holds the canonical, e.g. an extended
    copy when the canonical is the earliest).
    """

    id: str
    jaccard: float
    containment: float
    relation: str | None


@dataclass(frozen=True)
class Cluster:
    """A story published more than once: its id is the canonical document's id."""

    cluster: str
    canonical: str
    members: list[Member]


class Assignment(dict[str, tuple[str, str | None, float | None, str | None]]):
    """Document id → ``(cluster, duplicate_of, similarity, relation)``. Only cluster members are
    stored; any other id is a singleton, ``(its own id, None, None, None)``, so a corpus of a
    million mostly unique documents does not cost a million entries."""

    def __missing__(self, doc_id: str) -> tuple[str, str | None, float | None, str | None]:
        return (doc_id, None, None, None)


@dataclass
class DedupResult:
    """Clusters of two or more documents, every document's assignment and run statistics.

    ``assignment[id]`` is ``(cluster, duplicate_of, similarity, relation)``, the values the
    ``Document`` fields of the same names take; a singleton or canonical document has
    ``(its own id, None, None, None)``. ``similarity`` is the measure that linked the
    member to its canonical: Jaccard for a copy, containment for ``contained-in``/``contains`` and
    for an edited copy linked by the passages it shares (both ``near-duplicate``), rapidfuzz's
    ratio for a short text. ``histogram`` counts the Jaccard and containment of every compared
    candidate pair in bins over [0, 1], with the thresholds, so a report can show whether the
    thresholds sit in a valley.
    """

    clusters: list[Cluster]
    assignment: Assignment
    stats: dict[str, int | float]
    histogram: dict[str, Any] = field(default_factory=dict)
