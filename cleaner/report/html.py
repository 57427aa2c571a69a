"""``report.html``: one self-contained page (inline CSS, a little inline JavaScript, no network).

The summary and the histogram are plain HTML and SVG. The clusters travel as JSON in a
``<script type="application/json">`` and are rendered by the script a page at a time, a cluster's
members and the side-by-side view only when it is opened, so thousands of clusters stay fast.
The word alignment of each member against its canonical is computed here, once, with rapidfuzz
(:mod:`cleaner.report.diff`), and shipped as matching blocks (three integers per shared run), so
the browser only paints. A member's text is shipped as the runs it shares with its canonical plus
what differs, which keeps a report of thousands of near-copies a fraction of their size.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

from cleaner.report.data import DocView, RemovedLine, ReportData
from cleaner.report.diff import align, delta, text_keys
from cleaner.report.svg import histogram_svg


def render_html(data: ReportData) -> str:
    """The whole page as one string."""
    assets = resources.files("cleaner.report").joinpath("assets")
    css = assets.joinpath("report.css").read_text(encoding="utf-8")
    script = assets.joinpath("report.js").read_text(encoding="utf-8")
    s = data.summary
    title = f"cleaner report: {s.get('documents', 0)} documents, {s.get('clusters', data.total_clusters)} clusters"
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n",
            f"<header><h1>{escape(title)}</h1></header>\n<main>\n",
            _summary_html(data),
            _clusters_html(data),
            "</main>\n",
            '<script type="application/json" id="report-data">',
            _json_for_script(payload(data)),
            "</script>\n",
            f"<script>\n{script}</script>\n</body>\n</html>\n",
        ]
    )


def payload(data: ReportData) -> dict[str, Any]:
    """The JSON the page's script renders: documents once each, clusters referring to them by index.

    A member is ``[doc, jaccard, containment, similarity, relation, blocks]`` where ``blocks`` is
    the flat list ``[canonical word, member word, length, …]`` of shared runs of words. A
    canonical document carries its ``text``; a member carries ``base`` (its canonical's index)
    and ``delta`` (:func:`~cleaner.report.diff.delta`), which the script expands on demand.
    """
    index = {doc_id: k for k, doc_id in enumerate(sorted(data.docs))}
    base_of: dict[str, str] = {}
    clusters = []
    for c in data.clusters:
        members = []
        canonical_keys = text_keys(data.docs[c.canonical].text)
        for m in c.members:
            blocks: list[tuple[int, int, int]] = []
            if m.id != c.canonical:
                blocks = align(canonical_keys, text_keys(data.docs[m.id].text))
                base_of[m.id] = c.canonical
            members.append(
                [index[m.id], m.jaccard, m.containment, m.similarity, m.relation, [v for b in blocks for v in b]]
            )
        clusters.append(
            {
                "id": c.cluster,
                "lo": c.min_similarity,
                "d0": c.first_date,
                "d1": c.last_date,
                "src": list(c.sources),
                "m": members,
                "dec": list(c.decisions),
            }
        )
    docs = []
    for doc_id in index:
        doc = data.docs[doc_id]
        base = base_of.get(doc_id)
        text: dict[str, Any] = (
            {"text": doc.text}
            if base is None
            else {"base": index[base], "delta": delta(data.docs[base].text, doc.text)}
        )
        docs.append(_doc(doc) | text)
    return {"docs": docs, "clusters": clusters, "sources": data.sources}


def _doc(doc: DocView) -> dict[str, Any]:
    def lines(removed: tuple[RemovedLine, ...]) -> list[list[Any]]:
        return [[r.line, r.kind, r.text] for r in removed]

    return {
        "id": doc.id,
        "source": doc.source,
        "date": doc.date,
        "title": doc.title,
        "above": lines(doc.above),
        "below": lines(doc.below),
        "comments": doc.comment_lines,
    }


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its ``<script>`` element early: every ``<`` is written as ``\\u003c``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _summary_html(data: ReportData) -> str:
    s = data.summary
    figures = [
        ("documents", f"{s.get('documents', 0):,}"),
        ("clusters", f"{s.get('clusters', data.total_clusters):,}"),
        ("duplicates", f"{s.get('duplicates', 0):,}"),
        ("duplicate rate", f"{float(s.get('duplicate_rate', 0.0)):.1%}"),
        ("comments", f"{s.get('comments', 0):,}"),
        ("input errors", f"{len(s.get('errors', [])):,}"),
    ]
    cards = "".join(f'<div class="figure"><b>{value}</b><span>{escape(name)}</span></div>' for name, value in figures)
    removals = sorted((s.get("removals") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    most = max((n for _, n in removals), default=1) or 1
    rows = "".join(
        f'<tr><th scope="row">{escape(kind)}</th><td class="num">{n:,}</td>'
        f'<td><span class="bar" style="width:{100 * n / most:.1f}%"></span></td></tr>'
        for kind, n in removals
    )
    h = data.histogram
    caption = (
        "Similarities of all candidate pairs compared in verification"
        if h.verified
        else "Similarities of cluster members to their canonical (this output records no histogram of verified pairs)"
    )
    review = _review_html(data.review)
    config = f'<p class="meta">config hash <code>{escape(str(data.config_hash))}</code></p>' if data.config_hash else ""
    return (
        f'<section id="summary"><div class="figures">{cards}</div>\n'
        f'<div class="panels"><div class="panel"><h2>Removed lines by kind</h2>'
        f'<table class="removals">{rows or "<tr><td>nothing removed</td></tr>"}</table></div>\n'
        f'<div class="panel"><h2>Similarity histogram</h2><p class="meta">{escape(caption)}; '
        f"bar height is the square root of the count.</p>{histogram_svg(h)}</div></div>\n"
        f"{review}{config}</section>\n"
    )


def _review_html(review: dict[str, Any]) -> str:
    if not (review.get("decisions") or review.get("unknown_ids")):
        return ""
    touched = review.get("touched") or {}
    unknown = review.get("unknown_ids") or []
    text = f"{review.get('decisions', 0)} review decisions applied from {review.get('file', 'review.toml')}"
    text += f"; they touched {len(touched)} clusters (marked ✎ below)"
    if unknown:
        text += f"; ids no longer in the corpus: {', '.join(unknown[:20])}" + (" …" if len(unknown) > 20 else "")
    return f'<p class="review-note">{escape(text)}</p>\n'


def _clusters_html(data: ReportData) -> str:
    options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in data.sources)
    note = data.shown_note
    shown = (
        f'<p class="shown-note">{escape(note)} (the largest, then the least certain; '
        "<code>cleaner report --max-clusters 0</code> shows every one).</p>\n"
        if note
        else ""
    )
    return (
        f'<section id="clusters-section"><h2>Clusters</h2>\n{shown}'
        '<div class="controls" role="search">'
        '<label>Text <input id="q" type="search" placeholder="title, id, words of the text"></label>'
        f'<label>Source <select id="source"><option value="">all</option>{options}</select></label>'
        '<label>Lowest similarity from <input id="lo" type="number" min="0" max="1" step="0.01" value="0"></label>'
        '<label>to <input id="hi" type="number" min="0" max="1" step="0.01" value="1"></label>'
        '<label>Order <select id="order"><option value="size">largest first</option>'
        '<option value="certainty">least certain first</option></select></label>'
        '<span id="count" aria-live="polite"></span></div>\n'
        '<table id="clusters"><thead><tr><th>#</th><th>canonical title</th><th>size</th><th>dates</th>'
        "<th>sources</th><th>lowest similarity</th></tr></thead>"
        '<tbody id="cluster-rows"><tr><td colspan="6">Clusters are shown by the page\'s script; '
        "the same list is in report.md.</td></tr></tbody></table>\n"
        '<button id="more" type="button" hidden>show more clusters</button></section>\n'
    )
