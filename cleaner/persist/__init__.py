"""Incremental dedup against a persistent index: one SQLite file of signatures, never texts.

``cleaner run --index PATH`` (or ``[index] path``) deduplicates a run's documents against
everything indexed before and adds the new ones, so daily batches cluster as one run over all of
them would. Modules, in data-flow order:

    signature (what is kept per document) → estimate (verification from signatures)
    → store (the SQLite file) → ingest (a run against the index; removal)

From Python::

    summary = cleaner.run("batch-2024-05-02", "out/2024-05-02", index="news.index.sqlite")
    summary.index["matched"], summary.index["added"]

    with PersistentIndex("news.index.sqlite", DedupSettings(), create=False) as index:
        index.stats(), list(index.export())
"""

from pathlib import Path

from cleaner.config import Config
from cleaner.persist.ingest import IngestReport, Match, PersistentIndex, ingesting

__all__ = ["IngestReport", "Match", "PersistentIndex", "index_path", "ingesting"]


def index_path(cfg: Config) -> Path | None:
    """Where ``[index] path`` points (``None`` when empty): next to the config file, like the review
    file, or in the working folder for the built-in defaults and dict configs."""
    name = cfg.section("index")["path"]
    if not name:
        return None
    if cfg.source and cfg.source != "<dict>":
        return Path(cfg.source).parent / name
    return Path(name)
