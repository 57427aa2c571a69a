"""Reports people review a deduplicated corpus with: ``report.html`` and ``report.md``.

Both are rebuilt from an existing output folder (:mod:`cleaner.report.data`), so
``cleaner run`` writes them at the end and ``cleaner report`` redoes them for any output. They
show at most ``[report] max_clusters`` clusters, so that the page stays quick to open and the
report of a million documents costs the memory of those clusters only; the summary and the
histogram always describe the whole output.
"""

from __future__ import annotations

import os
from pathlib import Path

from cleaner.config import load_config
from cleaner.report.data import ReportData, load
from cleaner.report.html import render_html
from cleaner.report.markdown import render_markdown

__all__ = ["ReportData", "load", "write_reports"]


def write_reports(out_dir: Path, max_clusters: int | None = None) -> None:
    """Write ``report.html`` and ``report.md`` into the output folder ``out_dir``.

    They show the first ``max_clusters`` clusters, largest and least certain first (0: all;
    ``None``: the built-in ``[report] max_clusters``). Each file is written beside its target
    and renamed into place, so a reader never sees half a report. Raises
    :class:`cleaner.errors.CleanerError` when a file of the output is missing or broken.
    """
    out_dir = Path(out_dir)
    if max_clusters is None:
        max_clusters = int(load_config().section("report")["max_clusters"])
    data = load(out_dir, max_clusters)
    for name, text in (("report.html", render_html(data)), ("report.md", render_markdown(data))):
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out_dir / name)
