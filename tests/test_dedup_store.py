"""Spilled shingle sets read back exactly, whatever the number of files and where they are read."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from cleaner.dedup import DedupSettings, index, store
from cleaner.dedup.shingles import shingle_batch
from cleaner.dedup.store import ShingleCollection, ShingleFile

TEXTS = [
    "Der Bundestag hat am Donnerstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen.",
    "The central bank left its key interest rate unchanged on Wednesday, as markets had expected.",
    "",
    "Kurz.",
]


def _files(folder: Path, n: int) -> tuple[list[ShingleFile], list[np.ndarray], list[np.ndarray | None]]:
    settings = DedupSettings()
    files, hashes, sequences = [], [], []
    for k in range(n):
        batch = shingle_batch([f"{t} Nummer {k}." if t else t for t in TEXTS], settings)
        files.append(ShingleFile.write(batch, folder / f"shingles-{k}.u64"))
        hashes += [batch.get(d).copy() for d in range(len(TEXTS))]
        sequences += [batch.sequence(d) for d in range(len(TEXTS))]
    return files, hashes, sequences


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to count open files")
def test_collection_reads_every_set_and_keeps_few_files_open(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store, "OPEN_FILES", 3)
    files, hashes, sequences = _files(tmp_path, 7)
    before = _open_descriptors()
    with ShingleCollection(files) as collection:
        assert len(collection) == len(hashes)
        for _ in range(2):  # twice, so files closed to respect the limit are opened again
            for k in reversed(range(len(hashes))):
                assert np.array_equal(collection.get(k), hashes[k])
                seq = collection.sequence(k)
                assert (seq is None) == (sequences[k] is None)
        assert _open_descriptors() <= before + 3
    assert _open_descriptors() == before


def test_pickled_collection_opens_its_own_files(tmp_path: Path) -> None:
    files, hashes, _ = _files(tmp_path, 2)
    with ShingleCollection(files) as collection:
        collection.get(0)
        copy = pickle.loads(pickle.dumps(collection))
    with copy:
        assert all(np.array_equal(copy.get(k), hashes[k]) for k in range(len(hashes)))


def _story(k: int) -> str:
    words = [f"wort{(k * 7 + n) % 97}" for n in range(60)]
    return " ".join(words) + "."


def test_verification_in_blocks_on_worker_processes_equals_one_pass(tmp_path: Path, monkeypatch) -> None:
    from cleaner.config import load_config
    from cleaner.dedup import DedupItem, sketch
    from cleaner.dedup.index import verify_blocks, verify_pairs
    from cleaner.dedup.lsh import pairs_from_keys
    from cleaner.engine.pool import TaskPool
    from cleaner.engine.tasks import init_worker

    monkeypatch.setattr(index, "MIN_BLOCK_PAIRS", 1)
    settings = DedupSettings()
    texts = [_story(k % 12) + (" Nachtrag." if k % 3 else "") for k in range(48)]
    items = [DedupItem(f"d{k:03d}", t, None, k) for k, t in enumerate(texts)]
    parts = [sketch(items[k : k + 10], settings, spill=tmp_path / f"s{k}.u64") for k in range(0, len(items), 10)]
    pairs = pairs_from_keys([p.keys for p in parts], np.concatenate([p.whole for p in parts]))
    assert len(pairs) > 20
    with ShingleCollection([p.shingles for p in parts]) as shingles:
        one = verify_pairs(shingles, pairs, settings)
        with TaskPool(2, init_worker, (load_config(None),)) as pool:
            blocked = verify_blocks(pool.map, shingles, pairs, settings, blocks=4)
    assert blocked.compared == one.compared == len(pairs)
    assert blocked.linked == one.linked and one.linked
    assert np.array_equal(blocked.jaccards, one.jaccards)
    assert np.array_equal(blocked.containments, one.containments)
