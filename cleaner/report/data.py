"""Read an output folder into what the reports show.

The reports are rebuilt from the files ``cleaner run`` wrote (``manifest.json``,
``clusters.jsonl``, ``corpus.jsonl``, ``removed.jsonl``), never from the run's memory, so
``cleaner report`` can redo them for any existing output. Only cluster members are kept with
their texts: singletons are not shown, and a 20,000-document corpus then costs the memory of its
clusters only.

Nothing machine-specific (timings, versions, input and output paths) is read, so the same
output gives byte-identical reports on any machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError

# Removal kinds that are reader comments: exported to comments.jsonl and counted, not shown line by line.
COMMENT_KINDS = frozenset({"comment", "comment_meta", "comment_noise"})
# Removal kinds that belong to an article's header: the body is placed after them.
HEADER_KINDS = frozenset({"title", "kicker", "date", "byline"})
# Bins of the fallback histogram when the manifest has none.
FALLBACK_BINS = 20


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """One input line cleaning took away: its 1-based line number, kind and text."""

    line: int
    kind: str
    text: str


@dataclass(frozen=True)
class DocView:
    """What the reports show of one cluster member; ``above``/``below`` are removed lines before
    and after the body (see :func:`split_removed`), ``comment_lines`` the reader-comment lines."""

    id: str
    source: str | None
    date: str | None
    title: str | None
    text: str
    above: tuple[RemovedLine, ...] = ()
    below: tuple[RemovedLine, ...] = ()
    comment_lines: int = 0


@dataclass(frozen=True, slots=True)
class MemberView:
    """A member measured against its canonical; ``similarity`` is the measure that linked it
    (``None`` for the canonical)."""

    id: str
    jaccard: float
    containment: float
    similarity: float | None
    relation: str | None


@dataclass(frozen=True)
class ClusterView:
    """A cluster as listed: members with the canonical first, then least similar first."""

    cluster: str
    canonical: str
    members: tuple[MemberView, ...]
    min_similarity: float
    first_date: str | None
    last_date: str | None
    sources: tuple[str, ...]
    decisions: tuple[dict[str, Any], ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Histogram:
    """Counts per similarity bin for one or more measures, with the thresholds to mark.

    ``verified`` says the counts are of all verified pairs (from the manifest); otherwise they
    are the members' similarities to their canonical, which is all the output files hold.
    """

    bins: tuple[float, ...]
    series: dict[str, tuple[int, ...]]
    thresholds: dict[str, float]
    verified: bool


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, read from one output folder; ``ids`` are all the corpus's ids."""

    summary: dict[str, Any]
    config_hash: str | None
    clusters: list[ClusterView]
    docs: dict[str, DocView]
    histogram: Histogram
    review: dict[str, Any] = field(default_factory=dict)
    ids: frozenset[str] = frozenset()

    @property
    def sources(self) -> list[str]:
        """Every source among the clusters' members, sorted."""
        return sorted({s for c in self.clusters for s in c.sources})


def load(out_dir: Path) -> ReportData:
    """Read the output folder ``out_dir``; raises :class:`CleanerError` naming a missing or broken file."""
    if not out_dir.is_dir():
        raise CleanerError(f"{out_dir}: no such output folder; run `cleaner run` first or name the folder")
    manifest = _read_json(out_dir / "manifest.json")
    summary = dict(manifest.get("summary", {}))
    raw_clusters = list(_read_jsonl(out_dir / "clusters.jsonl"))
    member_ids = {m["id"] for c in raw_clusters for m in c["members"]}
    all_ids: set[str] = set()
    records: dict[str, dict[str, Any]] = {}
    for r in _read_jsonl(out_dir / "corpus.jsonl"):
        all_ids.add(r["id"])
        if r["id"] in member_ids:
            records[r["id"]] = r
    missing = member_ids - records.keys()
    if missing:
        raise CleanerError(f"{out_dir / 'corpus.jsonl'}: cluster member {min(missing)!r} is not in the corpus")
    removed: dict[str, list[RemovedLine]] = {}
    removed_path = out_dir / "removed.jsonl"
    if removed_path.exists():
        for r in _read_jsonl(removed_path):
            if r["doc"] in member_ids:
                removed.setdefault(r["doc"], []).append(RemovedLine(int(r["line"]), r["kind"], r["text"]))
    docs = {doc_id: _doc_view(rec, removed.get(doc_id, [])) for doc_id, rec in records.items()}
    review = dict(summary.get("review") or {})
    touched: dict[str, list[dict[str, Any]]] = review.get("touched") or {}
    clusters = [_cluster_view(c, records, touched.get(c["cluster"], [])) for c in raw_clusters]
    clusters.sort(key=lambda c: (-c.size, c.min_similarity, c.cluster))
    return ReportData(
        summary=summary,
        config_hash=manifest.get("config_hash"),
        clusters=clusters,
        docs=docs,
        histogram=_histogram(summary, clusters),
        review=review,
        ids=frozenset(all_ids),
    )


def split_removed(
    lines: list[RemovedLine], paragraphs: int
) -> tuple[tuple[RemovedLine, ...], tuple[RemovedLine, ...], int]:
    """Removed lines shown above the body, below it, and the number of reader-comment lines.

    The output keeps no line numbers for the body, so the body is placed in a gap between removed
    lines that can hold its ``paragraphs`` (or after the last one), choosing the gap that leaves
    the fewest header lines (title, kicker, date, byline) below it, then the widest. A caption in
    the middle of an article lands on one side, still greyed and labelled with its line number.
    """
    comments = sum(1 for r in lines if r.kind in COMMENT_KINDS)
    shown = sorted((r for r in lines if r.kind not in COMMENT_KINDS), key=lambda r: r.line)
    numbers = [0, *(r.line for r in shown)]

    def room(k: int) -> int:
        """Input lines free for the body before ``shown[k]``; after the last one, unknown, so just enough."""
        return numbers[k + 1] - numbers[k] - 1 if k < len(shown) else paragraphs

    def score(k: int) -> tuple[int, int, int]:
        return sum(1 for r in shown[k:] if r.kind in HEADER_KINDS), -room(k), k

    cut = min((k for k in range(len(shown) + 1) if room(k) >= paragraphs), key=score)
    return tuple(shown[:cut]), tuple(shown[cut:]), comments


def _doc_view(rec: dict[str, Any], removed: list[RemovedLine]) -> DocView:
    text = rec.get("text") or ""
    above, below, comments = split_removed(removed, text.count("\n\n") + 1 if text else 0)
    return DocView(
        id=rec["id"],
        source=rec.get("source"),
        date=rec.get("date"),
        title=rec.get("title"),
        text=text,
        above=above,
        below=below,
        comment_lines=comments,
    )


def _cluster_view(
    raw: dict[str, Any], records: dict[str, dict[str, Any]], touched: list[dict[str, Any]]
) -> ClusterView:
    canonical = raw["canonical"]
    members = [
        MemberView(
            id=m["id"],
            jaccard=float(m["jaccard"]),
            containment=float(m["containment"]),
            similarity=None if m["id"] == canonical else _similarity(m, records[m["id"]]),
            relation=m.get("relation"),
        )
        for m in raw["members"]
    ]
    members.sort(key=lambda m: (m.id != canonical, m.similarity or 0.0, m.id))
    dates = sorted(d for m in members if (d := records[m.id].get("date")))
    sources = sorted({s for m in members if (s := records[m.id].get("source"))})
    return ClusterView(
        cluster=raw["cluster"],
        canonical=canonical,
        members=tuple(members),
        min_similarity=min((m.similarity for m in members if m.similarity is not None), default=1.0),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        sources=tuple(sources),
        decisions=tuple(touched),
    )


def _similarity(member: dict[str, Any], record: dict[str, Any]) -> float:
    """The corpus record's linking similarity; outputs without it fall back to the larger measure."""
    value = record.get("similarity")
    return float(value) if value is not None else max(float(member["jaccard"]), float(member["containment"]))


def _histogram(summary: dict[str, Any], clusters: list[ClusterView]) -> Histogram:
    """The manifest's histogram of verified pairs when the run recorded one, else the members' similarities."""
    given = (summary.get("dedup") or {}).get("similarity_histogram")
    if given:
        thresholds = {
            name: float(given[key])
            for name, key in (("jaccard", "threshold"), ("containment", "containment_threshold"))
            if given.get(key) is not None
        }
        series = {name: tuple(int(v) for v in given[name]) for name in ("jaccard", "containment") if name in given}
        return Histogram(tuple(float(e) for e in given["bins"]), series, thresholds, verified=True)
    edges = tuple(round(k / FALLBACK_BINS, 4) for k in range(FALLBACK_BINS + 1))
    counts = {"jaccard": [0] * FALLBACK_BINS, "containment": [0] * FALLBACK_BINS}
    for c in clusters:
        for m in c.members:
            if m.id == c.canonical:
                continue
            for name, value in (("jaccard", m.jaccard), ("containment", m.containment)):
                counts[name][min(int(value * FALLBACK_BINS), FALLBACK_BINS - 1)] += 1
    return Histogram(edges, {k: tuple(v) for k, v in counts.items()}, {}, verified=False)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CleanerError(f"{path}: not found; is this the output folder of `cleaner run`?") from None
    except (OSError, ValueError) as exc:
        raise CleanerError(f"{path}: cannot read it: {exc}") from None
    if not isinstance(data, dict):
        raise CleanerError(f"{path}: expected a JSON object")
    return data


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise CleanerError(f"{path}:{lineno}: not valid JSON: {exc}") from None
    except FileNotFoundError:
        raise CleanerError(f"{path}: not found; is this the output folder of `cleaner run`?") from None
