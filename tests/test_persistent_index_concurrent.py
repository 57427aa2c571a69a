"""Two ingestion processes adding to one index at the same time lose nothing and corrupt nothing."""

from __future__ import annotations

import multiprocessing
import random
import shutil
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from index_stories import build, partition, read_jsonl

from cleaner import run
from cleaner.dedup import DedupItem, DedupSettings, cluster_sketches, deduplicate, sketch
from cleaner.errors import IndexFileError
from cleaner.persist import PersistentIndex
from cleaner.persist.store import IndexStore

ROOT = Path(__file__).resolve().parent.parent


def ingest_batches(folders: list[Path], out: Path, index: Path) -> tuple[float, float]:
    """Run each folder against ``index``, one after another; returns when this process started and ended."""
    start = time.time()
    for folder in folders:
        run(folder, out / folder.name, workers=1, index=index)
    return start, time.time()


def raw_batches(tmp: Path) -> list[Path]:
    """raw/ spread over six folders (ids are kept: the path below each folder is the raw/ path)."""
    raw = ROOT / "raw"
    rng = random.Random(4)
    folders = [tmp / f"batch{k}" for k in range(6)]
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        target = folders[rng.randrange(6)] / path.relative_to(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return [f for f in folders if f.exists()]


def exported(index: Path) -> tuple[list[dict], dict]:
    with PersistentIndex(index) as opened:
        return list(opened.export()), opened.stats()


def assert_sound(index: Path) -> None:
    with sqlite3.connect(index) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_two_cleaner_runs_at_once_add_every_document_once_and_cluster_as_one_run(tmp_path):
    folders = raw_batches(tmp_path / "in")
    index = tmp_path / "index.sqlite"
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        first = pool.submit(ingest_batches, folders[0::2], tmp_path / "out-a", index)
        second = pool.submit(ingest_batches, folders[1::2], tmp_path / "out-b", index)
        spans = [first.result(), second.result()]
    assert max(start for start, _ in spans) < min(end for _, end in spans), "the two processes ran at the same time"

    records, stats = exported(index)
    committed = read_jsonl(ROOT / "clean" / "corpus.jsonl")
    assert sorted(r["id"] for r in records) == sorted(r["id"] for r in committed), "every document once"
    assert stats["ingests"] == len(folders)
    assert partition(records) == partition(committed)
    assert_sound(index)


def ingest_records(batches: list[list[dict]], index: Path) -> None:
    """Ingest each batch of records (already clean text) in its own transaction, back to back."""
    settings = DedupSettings()
    for records in batches:
        parts = [sketch([DedupItem(r["id"], r["text"], None, k) for k, r in enumerate(records)], settings)]
        with PersistentIndex(index, settings, create=True) as opened:
            opened.ingest(parts, cluster_sketches(parts, settings))


def test_two_processes_ingesting_small_batches_back_to_back_lose_nothing(shared, tmp_path):
    days = build(read_jsonl(shared / "corpus" / "de_articles.jsonl"), stories=60, days=24, seed=5)
    index = tmp_path / "index.sqlite"
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(ingest_records, days[k::2], index) for k in (0, 1)]
        for job in jobs:
            job.result()

    everything = [r for day in days for r in day]
    records, stats = exported(index)
    assert sorted(r["id"] for r in records) == sorted(r["id"] for r in everything), "every document once"
    assert stats["ingests"] == len(days)
    one_run = deduplicate(DedupItem(r["id"], r["text"]) for r in everything)
    expected = partition([{"id": r["id"], "cluster": one_run.assignment[r["id"]][0]} for r in everything])
    assert partition(records) == expected
    assert_sound(index)


def create_at_once(folder: Path, count: int, barrier) -> list[str]:
    """Open (creating) index k of ``count`` when the other process does too; the errors met."""
    errors = []
    for k in range(count):
        barrier.wait()
        try:
            IndexStore.open(folder / f"index{k}.sqlite", DedupSettings(), create=True, timeout=30).close()
        except IndexFileError as exc:
            errors.append(f"index{k}: {exc!r}")
    return errors


def test_two_runs_creating_the_same_new_index_at_the_same_moment_both_open_it(tmp_path):
    # Both switch the new file to WAL mode; SQLite answers "database is locked" at once to one of
    # them there, without its busy timeout (before the fix about one open in seven failed here).
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(2, mp_context=context) as pool:
        barrier = manager.Barrier(2)
        jobs = [pool.submit(create_at_once, tmp_path, 60, barrier) for _ in range(2)]
        errors = [e for job in jobs for e in job.result()]
    assert errors == []
    for k in range(60):
        with PersistentIndex(tmp_path / f"index{k}.sqlite") as opened:
            assert opened.stats()["documents"] == 0
        assert_sound(tmp_path / f"index{k}.sqlite")
