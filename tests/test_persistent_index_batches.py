"""Daily batches ingested one after another into one index cluster like one run over all of them."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from index_stories import build, partition, read_jsonl, write_days

from cleaner import run
from cleaner.persist import PersistentIndex

ROOT = Path(__file__).resolve().parent.parent


def ingest_days(folders: list[Path], tmp: Path) -> tuple[Path, list[list[dict]]]:
    """Run each day's folder against one index; returns the index and each day's corpus records."""
    index = tmp / "news.index.sqlite"
    outputs = []
    for folder in folders:
        out = tmp / f"out-{folder.name}"
        summary = run(folder, out, workers=1, index=index)
        assert summary.index["added"] == summary.documents
        outputs.append(read_jsonl(out / "corpus.jsonl"))
    return index, outputs


def exported(index: Path) -> list[dict]:
    with PersistentIndex(index) as opened:
        return list(opened.export())


def test_three_daily_batches_of_real_stories_cluster_like_one_run(shared, tmp_path):
    articles = read_jsonl(shared / "corpus" / "de_articles.jsonl")
    days = build(articles, stories=60, days=3, seed=7)
    *day_folders, everything = write_days(tmp_path / "in", days)

    index, outputs = ingest_days(day_folders, tmp_path)
    run(everything, tmp_path / "out-all", workers=1)
    one_run = read_jsonl(tmp_path / "out-all" / "corpus.jsonl")
    records = exported(index)

    assert sorted(r["id"] for r in records) == sorted(r["id"] for r in one_run)
    assert partition(records) == partition(one_run)
    stories = {frozenset(g) for g in partition(records) if len(g) > 1}
    day_of = {r["id"]: d for d, day in enumerate(days) for r in day}
    assert len(stories) >= 50, "the copies are found"
    assert sum(len({day_of[i] for i in g}) > 1 for g in stories) >= 30, "many stories span days"

    # A copy arriving on a later day points at the canonical published earlier, and takes its cluster.
    published = {r["id"]: r for r in outputs[0]}
    for day in outputs[1:]:
        for r in day:
            group = next((g for g in stories if r["id"] in g), frozenset())
            if group & published.keys():
                assert r["cluster"] in published, r
                assert r["duplicate_of"] == r["cluster"]
                assert published[r["cluster"]]["duplicate_of"] is None
        published.update((r["id"], r) for r in day)


def test_three_batches_of_raw_cluster_like_the_committed_output(tmp_path):
    raw = ROOT / "raw"
    rng = random.Random(1)
    folders = [tmp_path / f"day{d}" for d in (1, 2, 3)]
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        target = folders[rng.randrange(3)] / path.relative_to(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)

    index, _ = ingest_days(folders, tmp_path)

    committed = read_jsonl(ROOT / "clean" / "corpus.jsonl")
    assert partition(exported(index)) == partition(committed)


def test_running_the_same_batch_again_adds_nothing_and_changes_nothing(shared, tmp_path):
    days = build(read_jsonl(shared / "corpus" / "de_articles.jsonl"), stories=20, days=2, seed=3)
    first, second, _ = write_days(tmp_path / "in", days)
    index = tmp_path / "index.sqlite"
    run(first, tmp_path / "a", workers=1, index=index)
    run(second, tmp_path / "b", workers=1, index=index)
    before = exported(index)

    again = run(second, tmp_path / "b2", workers=1, index=index)

    assert (again.index["added"], again.index["known"], again.index["reassigned"]) == (0, again.documents, 0)
    assert exported(index) == before
    for name in ("corpus.jsonl", "clusters.jsonl"):
        assert (tmp_path / "b2" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    manifest = json.loads((tmp_path / "b2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summary"]["index"]["added"] == 0


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1)])
def test_the_order_of_the_batches_does_not_change_the_partition(shared, tmp_path, order):
    days = build(read_jsonl(shared / "corpus" / "de_articles.jsonl"), stories=25, days=3, seed=11)
    folders = write_days(tmp_path / "in", days)[:3]
    index, _ = ingest_days([folders[k] for k in order], tmp_path)
    run(folders[0].parent / "all", tmp_path / "out-all", workers=1)
    assert partition(exported(index)) == partition(read_jsonl(tmp_path / "out-all" / "corpus.jsonl"))
