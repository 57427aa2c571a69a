"""``report.md``: the report's summary and cluster list as Markdown, for terminals and diffs.

One line per cluster in the HTML report's order (largest, then least certain first), so a rerun
shows up in ``git diff`` as the clusters that changed.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.report.data import ClusterView, ReportData

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def render_markdown(data: ReportData) -> str:
    """The whole Markdown document as one string."""
    s = data.summary
    lines = [
        "# cleaner report",
        "",
        "| documents | clusters | duplicates | duplicate rate | comments | input errors |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {s.get('documents', 0)} | {s.get('clusters', data.total_clusters)} | {s.get('duplicates', 0)} "
        f"| {float(s.get('duplicate_rate', 0.0)):.1%} | {s.get('comments', 0)} | {len(s.get('errors', []))} |",
        "",
        "## Removed lines by kind",
        "",
        "| kind | lines |",
        "|---|---:|",
        *(
            f"| {_md(kind)} | {n} |"
            for kind, n in sorted((s.get("removals") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "",
        *_histogram_lines(data),
        *_review_lines(data.review),
        f"## Clusters ({data.total_clusters})",
        "",
        *_shown_lines(data),
        "Largest first, then least certain. `lowest` is the lowest similarity of a member to its canonical.",
        "",
        "| # | canonical title | size | dates | sources | lowest | cluster |",
        "|---:|---|---:|---|---|---:|---|",
        *(_cluster_line(rank, c, data) for rank, c in enumerate(data.clusters, start=1)),
    ]
    return "\n".join(lines) + "\n"


def _shown_lines(data: ReportData) -> list[str]:
    note = data.shown_note
    return [f"**{note}** (`cleaner report --max-clusters 0` lists every one).", ""] if note else []


def _cluster_line(rank: int, c: ClusterView, data: ReportData) -> str:
    doc = data.docs[c.canonical]
    dates = c.first_date or "" if c.first_date == c.last_date else f"{c.first_date} – {c.last_date}"
    touched = " ✎ " + ", ".join(sorted({d["decision"] for d in c.decisions})) if c.decisions else ""
    return (
        f"| {rank} | {_md(doc.title or doc.id)}{touched} | {c.size} | {dates} | {_md(', '.join(c.sources))} "
        f"| {c.min_similarity:.2f} | `{c.cluster}` |"
    )


def _histogram_lines(data: ReportData) -> list[str]:
    """The histogram as a table with text bars; empty bins are left out unless a threshold falls in them."""
    h = data.histogram
    names = list(h.series)
    top = max((max(v, default=0) for v in h.series.values()), default=0) or 1
    what = "pairs compared in verification" if h.verified else "members against their canonical"
    lines = [
        f"## Similarity histogram ({what})",
        "",
        "| bin | " + " | ".join(names) + " | |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    last = len(h.bins) - 2
    for b in range(last + 1):
        lo, hi = h.bins[b], h.bins[b + 1]
        marks = [
            f"← {name} threshold {v:g}"
            for name, v in sorted(h.thresholds.items())
            if lo <= v < hi or (b == last and v == hi)
        ]
        counts = [h.series[n][b] for n in names]
        if not any(counts) and not marks:
            continue
        bar = "█" * round(20 * (max(counts, default=0) / top) ** 0.5)
        lines.append(f"| {lo:.2f}–{hi:.2f} | " + " | ".join(str(c) for c in counts) + f" | {bar} {' '.join(marks)} |")
    return [*lines, "Empty bins are left out; bar length is the square root of the larger count.", ""]


def _review_lines(review: dict[str, Any]) -> list[str]:
    if not (review.get("decisions") or review.get("unknown_ids")):
        return []
    lines = [
        "## Review decisions",
        "",
        f"{review.get('decisions', 0)} decisions applied from `{review.get('file', 'review.toml')}`; "
        f"clusters they touched are marked ✎.",
    ]
    unknown = review.get("unknown_ids") or []
    if unknown:
        lines.append(f"Ids no longer in the corpus: {', '.join(f'`{i}`' for i in unknown)}.")
    return [*lines, ""]


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, table and emphasis characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
