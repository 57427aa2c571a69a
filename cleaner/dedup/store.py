"""Where verification finds each document's shingle set: in memory, or in files on disk.

Exact verification needs the shingle sets of the candidate pairs only, but any document may be in
one. A small corpus keeps its sets in memory (:class:`~cleaner.dedup.shingles.ShingleBatch`); a
large run has each worker write its batch's hashes to a flat file (:class:`ShingleFile`) and the
cluster step reads a document's set back with one ``pread`` when a pair needs it, so the main
process holds offsets and the few short texts' token sequences, never all the sets.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from cleaner.dedup.shingles import ShingleBatch

_ITEM = np.dtype(np.uint64).itemsize


class ShingleSets(Protocol):
    """Per document ``k``: its shingle hashes in text order, and its token sequence if short."""

    def __len__(self) -> int: ...

    def get(self, k: int) -> np.ndarray: ...

    def sequence(self, k: int) -> np.ndarray | None: ...


@dataclass(frozen=True)
class ShingleFile:
    """One batch's shingle sets on disk: the hashes in one flat uint64 file, offsets in memory."""

    path: str
    offsets: np.ndarray
    sequences: dict[int, np.ndarray]

    @classmethod
    def write(cls, batch: ShingleBatch, path: Path) -> ShingleFile:
        batch.hashes.astype(np.uint64, copy=False).tofile(path)
        short = {k: s for k, s in enumerate(batch.sequences) if s is not None}
        return cls(str(path), batch.offsets.copy(), short)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def get(self, k: int) -> np.ndarray:
        start, end = int(self.offsets[k]), int(self.offsets[k + 1])
        if end == start:
            return np.empty(0, np.uint64)
        fd = os.open(self.path, os.O_RDONLY)
        try:
            data = os.pread(fd, (end - start) * _ITEM, start * _ITEM)
        finally:
            os.close(fd)
        return np.frombuffer(data, np.uint64)

    def sequence(self, k: int) -> np.ndarray | None:
        return self.sequences.get(k)


class ShingleCollection:
    """The shingle sets of several batches, numbered on across them in the order given."""

    def __init__(self, parts: Sequence[ShingleSets]) -> None:
        self._parts = list(parts)
        self._starts = np.concatenate([[0], np.cumsum([len(p) for p in self._parts])]).astype(np.int64).tolist()

    def __len__(self) -> int:
        return self._starts[-1]

    def _locate(self, k: int) -> tuple[ShingleSets, int]:
        part = bisect.bisect_right(self._starts, k) - 1
        return self._parts[part], k - self._starts[part]

    def get(self, k: int) -> np.ndarray:
        part, local = self._locate(k)
        return part.get(local)

    def sequence(self, k: int) -> np.ndarray | None:
        part, local = self._locate(k)
        return part.sequence(local)
