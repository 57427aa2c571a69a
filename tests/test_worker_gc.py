"""A run pauses Python's cycle collector while it works; that is safe only because cleaning
leaves no reference cycles behind and a run leaves no more unreachable objects for more
documents, which this checks."""

from __future__ import annotations

import gc
from pathlib import Path

from cleaner.clean.article import cleaner_for
from cleaner.config import load_config
from cleaner.engine.collector import cycle_collection_paused
from cleaner.io.readers import InputSpec, RawDoc, read_inputs

ROOT = Path(__file__).resolve().parent.parent


def test_cleaning_leaves_no_cyclic_garbage() -> None:
    config = load_config()
    raws = [
        r for r in read_inputs(ROOT / "raw", InputSpec.from_config(config.section("input"))) if isinstance(r, RawDoc)
    ]
    cleaner = cleaner_for(config)
    cleaner.clean(raws[0].text, doc_id="warm")  # rules compile on first use
    gc.collect()
    with cycle_collection_paused():
        docs = [cleaner.clean(r.text, doc_id=r.id, path=r.path) for r in raws]
        assert sum(len(d.paragraphs) for d in docs) > len(raws)
        del docs
        assert gc.collect() == 0


def test_the_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_run_leaves_no_more_cyclic_garbage_for_more_documents(tmp_path: Path) -> None:
    """What a whole run leaves unreachable comes from setting it up (the pool, the report), not
    from its documents: the collector may rest while the documents go through."""
    from cleaner import run

    corpus = tmp_path / "raw"
    corpus.mkdir()
    texts = sorted((ROOT / "raw").rglob("*.txt"))

    def unreachable_after(copies: int) -> int:
        for n in range(copies):
            for k, path in enumerate(texts):
                (corpus / f"{n}-{k}.txt").write_bytes(path.read_bytes())
        gc.collect()
        with cycle_collection_paused():
            run(corpus, tmp_path / f"out-{copies}", {"engine": {"chunk_docs": 8}}, workers=1)
            return gc.collect()

    few, many = unreachable_after(1), unreachable_after(4)
    assert many <= few + 50
