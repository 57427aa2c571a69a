"""Documents cross process boundaries pickled: every field must come back as it was."""

from __future__ import annotations

import pickle
from pathlib import Path

from cleaner import clean_text

RAW = Path(__file__).resolve().parent.parent / "raw"


def test_cleaned_documents_survive_pickling_unchanged() -> None:
    files = sorted(RAW.rglob("*.txt"))
    assert files, "raw/ holds the sample input"
    for path in files:
        doc = clean_text(path.read_text(encoding="utf-8", errors="replace"), doc_id=path.stem, source="s")
        doc.meta = {"feed": {"n": 1}}
        doc.similarity, doc.relation = 0.9, "near-duplicate"
        copy = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == doc
        assert copy.to_dict() == doc.to_dict()
        assert [type(r).__name__ for r in copy.removals] == ["Removal"] * len(doc.removals)
