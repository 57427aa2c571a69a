"""Reports people review a deduplicated corpus with: ``report.html`` and ``report.md``.

Both are rebuilt from an existing output folder (:mod:`cleaner.report.data`), so
``cleaner run`` writes them at the end and ``cleaner report`` redoes them for any output.
"""

from __future__ import annotations

import os
from pathlib import Path

from cleaner.report.data import ReportData, load
from cleaner.report.html import render_html
from cleaner.report.markdown import render_markdown

__all__ = ["ReportData", "load", "write_reports"]


def write_reports(out_dir: Path) -> None:
    """Write ``report.html`` and ``report.md`` into the output folder ``out_dir``.

    Each file is written beside its target and renamed into place, so a reader never sees half
    a report. Raises :class:`cleaner.errors.CleanerError` when a file of the output is missing
    or broken.
    """
    out_dir = Path(out_dir)
    data = load(out_dir)
    for name, text in (("report.html", render_html(data)), ("report.md", render_markdown(data))):
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out_dir / name)
