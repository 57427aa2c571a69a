"""Workers pause Python's cycle collector while they work on a chunk; that is safe only because
cleaning leaves no reference cycles behind, which this checks on the sample corpus."""

from __future__ import annotations

import gc
from pathlib import Path

from cleaner.clean.article import cleaner_for
from cleaner.config import load_config
from cleaner.engine.tasks import _no_cycle_collection
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
    with _no_cycle_collection():
        docs = [cleaner.clean(r.text, doc_id=r.id, path=r.path) for r in raws]
        assert sum(len(d.paragraphs) for d in docs) > len(raws)
        del docs
        assert gc.collect() == 0


def test_the_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    with _no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
