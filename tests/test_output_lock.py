"""output_lock: one run per output folder; a second refuses naming the holder, or waits for it."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from cleaner.errors import CleanerError
from cleaner.io.writers import output_lock

FORK = multiprocessing.get_context("fork")  # the child has cleaner imported already: starts in milliseconds


def _hold(out: Path, ready: Event, release: Event) -> None:
    with output_lock(out):
        ready.set()
        release.wait(30)


class Holder:
    """Another process holding the lock on ``out`` until released or killed."""

    def __init__(self, out: Path) -> None:
        ready, self.release = FORK.Event(), FORK.Event()
        self.proc = FORK.Process(target=_hold, args=(out, ready, self.release))
        self.proc.start()
        assert ready.wait(10)
        self.pid = self.proc.pid


@contextmanager
def holding(out: Path) -> Iterator[Holder]:
    held = Holder(out)
    try:
        yield held
    finally:
        held.release.set()
        held.proc.join(10)


def test_second_process_is_refused_with_folder_and_pid(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    with holding(out) as held, pytest.raises(CleanerError) as info, output_lock(out):
        pass
    message = str(info.value)
    assert message.startswith(f"{out}: another cleaner run (pid {held.pid}) is writing this output folder")
    assert "choose another output folder" in message
    with output_lock(out):  # released when the holder ended
        assert (tmp_path / "clean.lock").read_text() == f"{os.getpid()}\n"
    assert not (tmp_path / "clean.lock").exists(), "the lock file is removed on release"


def _release_later(release: Event, seconds: float) -> None:
    time.sleep(seconds)
    release.set()


def test_waiting_run_gets_the_lock_when_the_holder_ends(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    with holding(out) as held:
        start = time.monotonic()
        FORK.Process(target=_release_later, args=(held.release, 0.4)).start()
        with output_lock(out, wait=10):
            waited = time.monotonic() - start
    assert 0.3 < waited < 5


def test_waiting_gives_up_after_the_given_time(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    with holding(out):
        start = time.monotonic()
        with pytest.raises(CleanerError, match=r"and still is after 0\.3 s"), output_lock(out, wait=0.3):
            pass
        assert 0.25 < time.monotonic() - start < 2


def test_a_killed_holder_never_blocks_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    held = Holder(out)
    held.proc.kill()  # SIGKILL: no cleanup runs
    held.proc.join(10)
    assert (tmp_path / "clean.lock").read_text() == f"{held.pid}\n", "left behind by the killed holder"
    with output_lock(out):
        assert (tmp_path / "clean.lock").read_text() == f"{os.getpid()}\n"


def test_the_same_process_cannot_take_it_twice(tmp_path: Path) -> None:
    """flock conflicts between two opens even in one process: a nested run is refused too."""
    with (
        output_lock(tmp_path / "clean"),
        pytest.raises(CleanerError, match=f"pid {os.getpid()}"),
        output_lock(tmp_path / "clean"),
    ):
        pass
    with output_lock(tmp_path / "clean"):
        pass
