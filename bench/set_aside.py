"""Old outputs are set aside between runs and deleted only when the benchmark ends.

Why: on ext4 without a journal (this machine's disk: ``/sys/fs/ext4/vda/journal_task`` is
``<none>``), the kernel does not hand out an inode freed in the last 30 seconds, and creating a file
scans past every such inode (``find_inode_bit`` → ``recently_deleted`` in ``perf``). Measured here:
two processes creating 10,000 files each took 0.3 s of CPU apiece, and 3.5 s apiece right after
20,000 files had been deleted. A benchmark that deleted the previous run's output (one file per
document in ``docs/``) just before the next run measured that instead of cleaner. Renaming a folder
frees no inode, so outputs are moved into a trash folder and deleted after the last run.
"""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from pathlib import Path

# How long ext4 without a journal keeps a freed inode from reuse, with its margin (fs/ext4/ialloc.c).
RECENT_SECONDS = 35


class Trash:
    """A folder that old outputs are moved into; :meth:`empty` deletes them all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def start(self) -> None:
        """Delete what an interrupted benchmark left; then, if outputs were deleted in the last
        RECENT_SECONDS (by this or by an earlier benchmark), wait until their inodes are reusable."""
        if self.folder.exists() and any(self.folder.iterdir()):
            print(f"deleting old outputs in {self.folder}", file=sys.stderr)
            self.empty()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._emptied.exists():
            wait = self._emptied.stat().st_mtime + RECENT_SECONDS - time.time()
            if wait > 0:
                print(f"waiting {wait:.0f} s for the inodes of deleted outputs to be reusable", file=sys.stderr)
                time.sleep(wait)

    def put(self, path: Path) -> None:
        """Move ``path`` (if it exists) into the trash: no file is deleted now."""
        if path.exists():
            path.rename(self.folder / f"{path.name}-{uuid.uuid4().hex[:8]}")

    def empty(self) -> None:
        """Delete every output set aside, and note when (for the next benchmark's :meth:`start`)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._emptied.parent.mkdir(parents=True, exist_ok=True)
        self._emptied.touch()

    @property
    def _emptied(self) -> Path:
        return self.folder.with_name(self.folder.name + ".emptied")
