"""Incremental deduplication (issue 5): each document placed at once against every earlier one."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.dedup import DedupItem, DedupSettings, deduplicate, incremental
from cleaner.dedup.incremental import IncrementalDedup, _KeyIndex

STORY = (
    "The council of Severnside voted on Tuesday to close the old harbour bridge for repairs. Engineers "
    "found cracks in two of its piers during an inspection last month, and the bridge will stay closed "
    "until the end of the year. Ferries will run every twenty minutes in the meantime, and buses will use "
    "the northern crossing. Shop owners near the harbour fear losing customers in the busy summer season."
)


def test_exact_copies_are_compared_with_their_canonical_only() -> None:
    with IncrementalDedup() as dedup:
        placed = [dedup.add(DedupItem(f"c{k}", STORY)) for k in range(200)]
        assert placed[0] == ("c0", None, None, None)
        assert {p[:2] for p in placed[1:]} == {("c0", "c0")}
        assert dedup.stats["compared"] == 199


def test_incremental_dedup_agrees_with_the_batch_on_story_families() -> None:
    rng = np.random.default_rng(5)
    words = [f"w{k}" for k in range(3000)]
    items = []
    for story in range(40):
        text = " ".join(rng.choice(words, 120))
        items.append(DedupItem(f"s{story}-0", text, order=len(items)))
        for copy in range(1, 1 + story % 4):
            edited = text.split()
            edited[rng.integers(10, 110)] = "changed"
            items.append(DedupItem(f"s{story}-{copy}", " ".join(edited), order=len(items)))
    batch = deduplicate(items, DedupSettings(canonical="first"))
    with IncrementalDedup() as dedup:
        streamed = {item.id: dedup.add(item)[:2] for item in items}
    assert streamed == {item.id: batch.assignment[item.id][:2] for item in items}
    assert dedup.stats["clusters"] == len(batch.clusters) == 30


def test_key_index_finds_the_same_documents_before_and_after_merging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_KeyIndex, "_PENDING", 8)
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 50, size=(301, 3)).astype(np.uint32)
    index = _KeyIndex()
    for doc, row in enumerate(keys):
        index.add(doc, row)
    sizes = [len(k) for k, _ in index._segments]
    assert len(sizes) > 1 and index._recent, "several sorted segments and the recent dict are in use"
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) + index._pending == keys.size
    for query in ([0, 7], [49], [1000]):
        expected = sorted({d for d, row in enumerate(keys) for k in query if k in row.tolist()})
        assert index.lookup(np.array(query, np.uint32)).tolist() == expected


def test_placing_a_batch_equals_placing_one_after_another() -> None:
    texts = [STORY, STORY + " One more sentence about the ferries and the buses.", "", STORY, "Short other note."]
    items = [DedupItem(f"d{k}", text) for k, text in enumerate(texts)]
    with IncrementalDedup() as one, IncrementalDedup() as many:
        assert one.add_many(items) == [many.add(item) for item in items]
        assert one.stats == many.stats
        assert one.stats["duplicates"] == 2


def test_a_repeated_id_is_refused_before_anything_is_placed() -> None:
    with IncrementalDedup() as dedup:
        dedup.add(DedupItem("a", STORY))
        with pytest.raises(ValueError, match="duplicate document id 'a'"):
            dedup.add(DedupItem("a", STORY))
        with pytest.raises(ValueError, match="duplicate document id 'b'"):
            dedup.add_many([DedupItem("b", STORY), DedupItem("b", STORY)])
        assert len(dedup) == 1 and "b" not in dedup


def test_colliding_whole_signature_keys_change_no_placement(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exact copy is found by its whole-signature key; when that key collides with another
    story's and does not verify, the bands are searched as for any other document."""
    rng = np.random.default_rng(9)
    words = [f"w{k}" for k in range(2000)]
    stories = [" ".join(rng.choice(words, 80)) for _ in range(6)]
    items = [DedupItem(f"d{k}", stories[k % 6] + (" extra words at the end" if k >= 6 else "")) for k in range(18)]
    with IncrementalDedup() as plain:
        expected = [plain.add(item) for item in items]
    assert [p[1] for p in expected] == [None] * 6 + [f"d{k % 6}" for k in range(6, 18)]
    real, calls = incremental.xxhash.xxh3_64_intdigest, iter(range(len(items)))
    # d1 and d6 (a copy of d0) get the same key: d6 first tries d1's cluster, then finds d0 by its bands.
    monkeypatch.setattr(
        incremental.xxhash, "xxh3_64_intdigest", lambda data: 7 if next(calls) in (1, 6) else real(data)
    )
    with IncrementalDedup() as colliding:
        assert [colliding.add(item) for item in items] == expected
