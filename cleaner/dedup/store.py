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
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from cleaner.dedup.shingles import ShingleBatch

_ITEM = np.dtype(np.uint64).itemsize
# Shingle files a collection keeps open at once (well below the usual limit of 1,024 descriptors).
OPEN_FILES = 64


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
        fd = os.open(self.path, os.O_RDONLY)
        try:
            return self.read(fd, k)
        finally:
            os.close(fd)

    def read(self, fd: int, k: int) -> np.ndarray:
        """Document ``k``'s hashes from this file, already open as ``fd``."""
        start, end = int(self.offsets[k]), int(self.offsets[k + 1])
        if end == start:
            return np.empty(0, np.uint64)
        return np.frombuffer(os.pread(fd, (end - start) * _ITEM, start * _ITEM), np.uint64)

    def sequence(self, k: int) -> np.ndarray | None:
        return self.sequences.get(k)


class ShingleCollection:
    """The shingle sets of several batches, numbered on across them in the order given.

    Verification reads two sets per candidate pair. The files it reads are kept open (the last
    :data:`OPEN_FILES` of them), so a read costs one ``pread``, not an open and a close as well;
    :meth:`close` closes them, and a pickled collection (sent to a worker) opens its own.
    """

    def __init__(self, parts: Sequence[ShingleSets]) -> None:
        self._parts = list(parts)
        self._starts = np.concatenate([[0], np.cumsum([len(p) for p in self._parts])]).astype(np.int64).tolist()
        self._fds: OrderedDict[int, int] = OrderedDict()

    def __len__(self) -> int:
        return self._starts[-1]

    def __getstate__(self) -> dict[str, object]:
        return {"_parts": self._parts, "_starts": self._starts}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._fds = OrderedDict()

    def __enter__(self) -> ShingleCollection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the files kept open; reading again opens them again."""
        while self._fds:
            os.close(self._fds.popitem()[1])

    def _locate(self, k: int) -> tuple[int, int]:
        part = bisect.bisect_right(self._starts, k) - 1
        return part, k - self._starts[part]

    def get(self, k: int) -> np.ndarray:
        index, local = self._locate(k)
        part = self._parts[index]
        if not isinstance(part, ShingleFile):
            return part.get(local)
        fd = self._fds.get(index)
        if fd is None:
            if len(self._fds) >= OPEN_FILES:
                os.close(self._fds.popitem(last=False)[1])
            fd = self._fds[index] = os.open(part.path, os.O_RDONLY)
        else:
            self._fds.move_to_end(index)
        return part.read(fd, local)

    def sequence(self, k: int) -> np.ndarray | None:
        index, local = self._locate(k)
        return self._parts[index].sequence(local)
