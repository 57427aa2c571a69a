"""Read an output folder into what the reports show.

The reports are rebuilt from the files ``cleaner run`` wrote (``manifest.json``,
``clusters.jsonl``, ``corpus.jsonl`` or the parts of ``corpus/``, ``removed.jsonl``), never from the run's memory, so
``cleaner report`` can redo them for any existing output.

A large corpus has more clusters than a page can show, so :func:`load` reads in two steps: it
streams ``clusters.jsonl`` once to count every cluster and to choose the ones shown (the largest,
then the least certain, decided from that file alone), then streams ``corpus.jsonl`` and
``removed.jsonl`` keeping only the records of the chosen clusters' members. Memory follows the
clusters shown, not the corpus: a million documents cost what a few thousand clusters cost.

Nothing machine-specific (timings, versions, input and output paths) is read, so the same
output gives byte-identical reports on any machine.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError
from cleaner.io.corpus import corpus_files, parse_record

# Removal kinds that are reader comments: exported to comments.jsonl and counted, not shown line by line.
COMMENT_KINDS = frozenset({"comment", "comment_meta", "comment_noise"})
# Removal kinds that belong to an article's header: the body is placed after them.
HEADER_KINDS = frozenset({"title", "kicker", "date", "byline"})
# Bins of the fallback histogram when the manifest has none.
FALLBACK_BINS = 20
# Fields of a member's corpus record the reports show; the others are not kept in memory.
SHOWN_FIELDS = ("id", "source", "date", "title", "text")


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


class CorpusIds:
    """The ids of the corpus files (``corpus.jsonl``, or the parts of the ``parts`` layout: see
    :func:`~cleaner.io.corpus.corpus_files`), looked up in the files when asked rather than held
    in memory.

    The questions asked (do the ids of a few review decisions still exist?) name a handful of ids,
    while holding a million ids would cost some hundred megabytes.
    """

    def __init__(self, *files: Path) -> None:
        self.files = files

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self.present([doc_id]))

    def present(self, ids: Iterable[str]) -> frozenset[str]:
        """Those of ``ids`` that are in the corpus, in one pass over the files (stopping once all are found)."""
        wanted = set(ids)
        found: set[str] = set()
        for path in self.files:
            if len(found) == len(wanted):
                break
            for doc_id, _, _ in _lines_of(path, "id", wanted):
                found.add(doc_id)
                if len(found) == len(wanted):
                    break
        return frozenset(found)


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, read from one output folder.

    ``clusters`` are the clusters shown, in report order, and ``docs`` their members;
    ``total_clusters`` counts every cluster of the output. ``ids`` answers whether an id is in the
    corpus (:class:`CorpusIds`).
    """

    summary: dict[str, Any]
    config_hash: str | None
    clusters: list[ClusterView]
    docs: dict[str, DocView]
    histogram: Histogram
    review: dict[str, Any] = field(default_factory=dict)
    ids: Container[str] = frozenset()
    total_clusters: int = 0

    @property
    def sources(self) -> list[str]:
        """Every source among the shown clusters' members, sorted."""
        return sorted({s for c in self.clusters for s in c.sources})

    @property
    def shown_note(self) -> str | None:
        """The sentence both reports carry when they show fewer clusters than the output has."""
        if len(self.clusters) >= self.total_clusters:
            return None
        return f"showing {len(self.clusters):,} of {self.total_clusters:,} clusters; all are in clusters.jsonl"


def load(out_dir: Path, max_clusters: int = 0) -> ReportData:
    """Read the output folder ``out_dir`` with at most ``max_clusters`` clusters (0: all).

    The clusters kept are the first in report order: the largest, then the least certain (lowest
    member similarity), then by id. Raises :class:`CleanerError` naming a missing or broken file.
    """
    if not out_dir.is_dir():
        raise CleanerError(f"{out_dir}: no such output folder; run `cleaner run` first or name the folder")
    if max_clusters < 0:
        raise CleanerError(f"max_clusters must be 0 (all) or more, got {max_clusters}")
    manifest = _read_json(out_dir / "manifest.json")
    summary = dict(manifest.get("summary", {}))
    counts = _MemberCounts()
    chosen = _choose(counts.read(_read_jsonl(out_dir / "clusters.jsonl")), max_clusters)
    member_ids = {m["id"] for c in chosen for m in c["members"]}
    files = corpus_files(out_dir)
    records = _member_records(files, member_ids)
    missing = member_ids - records.keys()
    if missing:
        where = files[0] if len(files) == 1 else out_dir / "corpus"
        raise CleanerError(f"{where}: cluster member {min(missing)!r} is not in the corpus")
    removed = _member_removals(out_dir / "removed.jsonl", member_ids)
    docs = {doc_id: _doc_view(rec, removed.pop(doc_id, [])) for doc_id, rec in records.items()}
    review = dict(summary.get("review") or {})
    touched: dict[str, list[dict[str, Any]]] = review.get("touched") or {}
    clusters = [_cluster_view(c, records, touched.get(c["cluster"], [])) for c in chosen]
    return ReportData(
        summary=summary,
        config_hash=manifest.get("config_hash"),
        clusters=clusters,
        docs=docs,
        histogram=_histogram(summary, counts),
        review=review,
        ids=CorpusIds(*files),
        total_clusters=counts.clusters,
    )


def order_key(raw: dict[str, Any]) -> tuple[int, float, str]:
    """Report order of a ``clusters.jsonl`` record: largest first, then lowest member similarity, then id."""
    canonical = raw["canonical"]
    lowest = min((_similarity(m) for m in raw["members"] if m["id"] != canonical), default=1.0)
    return -len(raw["members"]), lowest, raw["cluster"]


def _choose(raws: Iterator[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` clusters in report order (all for 0), holding no more than that many at a time."""
    return heapq.nsmallest(limit, raws, key=order_key) if limit else sorted(raws, key=order_key)


class _MemberCounts:
    """Counts over every cluster while :func:`_choose` streams them: the clusters, and the members'
    Jaccard and containment in bins for the histogram of outputs whose manifest records none."""

    def __init__(self) -> None:
        self.clusters = 0
        self.bins = {"jaccard": [0] * FALLBACK_BINS, "containment": [0] * FALLBACK_BINS}

    def read(self, raws: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for raw in raws:
            self.clusters += 1
            for m in raw["members"]:
                if m["id"] == raw["canonical"]:
                    continue
                for name, counts in self.bins.items():
                    counts[min(int(float(m[name]) * FALLBACK_BINS), FALLBACK_BINS - 1)] += 1
            yield raw


def _member_records(files: list[Path], member_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The shown fields of the records of ``member_ids`` in the corpus ``files``; other records are
    skipped unparsed."""
    records: dict[str, dict[str, Any]] = {}
    for path in files:
        for doc_id, line, lineno in _lines_of(path, "id", member_ids):
            record = parse_record(path, lineno, line)
            records[doc_id] = {name: record.get(name) for name in SHOWN_FIELDS}
    return records


def _member_removals(path: Path, member_ids: set[str]) -> dict[str, list[RemovedLine]]:
    """The removed lines of ``member_ids`` (none when the output has no ``removed.jsonl``)."""
    removed: dict[str, list[RemovedLine]] = {}
    if path.exists():
        for doc_id, line, lineno in _lines_of(path, "doc", member_ids):
            r = parse_record(path, lineno, line)
            removed.setdefault(doc_id, []).append(RemovedLine(int(r["line"]), r["kind"], r["text"]))
    return removed


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
            similarity=None if m["id"] == canonical else _similarity(m),
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


def _similarity(member: dict[str, Any]) -> float:
    """The member's linking similarity from ``clusters.jsonl``; outputs written before it was
    recorded there fall back to the larger of Jaccard and containment."""
    value = member.get("similarity")
    return float(value) if value is not None else max(float(member["jaccard"]), float(member["containment"]))


def _histogram(summary: dict[str, Any], counts: _MemberCounts) -> Histogram:
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
    return Histogram(edges, {k: tuple(v) for k, v in counts.bins.items()}, {}, verified=False)


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
                if line.strip():
                    yield parse_record(path, lineno, line)
    except FileNotFoundError:
        raise CleanerError(f"{path}: not found; is this the output folder of `cleaner run`?") from None


def _lines_of(path: Path, key: str, wanted: set[str]) -> Iterator[tuple[str, bytes, int]]:
    """``(value of key, line, line number)`` for the records of a JSONL file whose ``key`` is in ``wanted``.

    A report of a million documents passes over gigabytes of records it does not show, so lines
    are looked at as bytes and not parsed: ``cleaner run`` writes ``key`` first
    (``{"id": "…", …}``), so its value is read off the start of the line, and the lines that
    follow with the same start (a document's removed lines) are known by that start alone. Only a
    line that does not start so, or whose value holds an escape, is parsed to find its ``key``.
    """
    prefix = f'{{"{key}": "'.encode()
    start = len(prefix)
    encoded = {value.encode("utf-8", "surrogatepass") for value in wanted}
    same, taken = b"\0", None  # the last line's start up to its value's closing quote; its value if wanted
    try:
        with path.open("rb") as fh:
            for lineno, line in enumerate(fh, start=1):
                if line.startswith(same):
                    if taken is not None:
                        yield taken, line, lineno
                    continue
                if line.startswith(prefix):
                    end = line.find(b'"', start)
                    if end > 0 and line.find(b"\\", start, end) < 0:
                        same, value = line[: end + 1], line[start:end]
                        taken = value.decode("utf-8") if value in encoded else None
                        if taken is not None:
                            yield taken, line, lineno
                        continue
                if line.strip():
                    found = parse_record(path, lineno, line).get(key)
                    if not isinstance(found, str):
                        raise CleanerError(f"{path}:{lineno}: the record has no {key!r}")
                    if found in wanted:
                        yield found, line, lineno
    except FileNotFoundError:
        raise CleanerError(f"{path}: not found; is this the output folder of `cleaner run`?") from None
