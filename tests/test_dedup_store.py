"""Spilled shingle sets read back exactly, whatever the number of files and where they are read."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from cleaner.dedup import DedupSettings, store
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
