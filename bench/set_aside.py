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
        """Delete what an interrupted benchmark left, then wait until the freed inodes are reusable."""
        if self.folder.exists() and any(self.folder.iterdir()):
            print(f"deleting old outputs in {self.folder}, then waiting {RECENT_SECONDS} s", file=sys.stderr)
            shutil.rmtree(self.folder)
            time.sleep(RECENT_SECONDS)
        self.folder.mkdir(parents=True, exist_ok=True)

    def put(self, path: Path) -> None:
        """Move ``path`` (if it exists) into the trash: no file is deleted now."""
        if path.exists():
            path.rename(self.folder / f"{path.name}-{uuid.uuid4().hex[:8]}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
