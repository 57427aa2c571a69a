"""Crash safety (issue 7): a run killed with SIGKILL at any point never leaves a half-written output.

The output folder must be, after the kill, exactly the previous output or exactly the complete
new one, and the rerun must clean up after the killed run and give the same bytes as an
uninterrupted run. First the swap itself, killed at each of its steps; then `cleaner run` as a
subprocess on a generated corpus, killed at fixed times and at the moments its work folder and
its output files appear (a point the run passes too quickly to hit ends in the new output,
which is checked as well).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from cleaner import run
from cleaner.io import writers

FORK = multiprocessing.get_context("fork")


def snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


# --- the swap, killed at each step -------------------------------------------------------------


def _write_and_die(target: Path, die_at: str, exchange: bool) -> None:
    """In a child: write a new output through atomic_dir and SIGKILL itself at ``die_at``."""

    def die(point: str) -> None:
        if point == die_at:
            os.kill(os.getpid(), signal.SIGKILL)

    if not exchange:
        writers._exchange = lambda a, b: False  # the portable two-rename path
    replace, rmtree = os.replace, writers.shutil.rmtree

    def dying_replace(src: Any, dst: Any) -> None:
        die(f"before replace {Path(src).name.split('-')[0]}")
        replace(src, dst)

    def dying_rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        die("during cleanup")
        rmtree(path, *args, **kwargs)

    writers.os.replace = dying_replace  # type: ignore[assignment]
    writers.shutil.rmtree = dying_rmtree  # type: ignore[assignment]
    with writers.atomic_dir(target) as tmp:
        (tmp / "manifest.json").write_text("new\n")
        die("mid-write")
        (tmp / "corpus.jsonl").write_text("new\n" * 1000)
        die("before swap")
    die("after swap")


SWAP_POINTS = {
    True: ["mid-write", "before swap", "during cleanup", "after swap"],
    False: ["mid-write", "before swap", "before replace .clean.tmp", "during cleanup", "after swap"],
}


@pytest.mark.parametrize(
    ("exchange", "die_at"), [(exchange, point) for exchange, points in SWAP_POINTS.items() for point in points]
)
def test_swap_killed_at_each_step(tmp_path: Path, exchange: bool, die_at: str) -> None:
    target = tmp_path / "clean"
    target.mkdir()
    (target / "manifest.json").write_text("old\n")
    (target / "corpus.jsonl").write_text("old\n")
    old = snapshot(target)
    child = FORK.Process(target=_write_and_die, args=(target, die_at, exchange))
    child.start()
    child.join(10)
    assert child.exitcode == -signal.SIGKILL

    after = snapshot(target)
    new = {"manifest.json": hashlib.sha256(b"new\n").hexdigest(), "corpus.jsonl": snapshot_of("new\n" * 1000)}
    if die_at == "before replace .clean.tmp":
        # Between the two renames: no output, and the previous one whole under its marked name.
        assert after == {} and leftovers(target) == [f".clean.old-{child.pid}", f".clean.tmp-{child.pid}"]
        assert snapshot(tmp_path / f".clean.old-{child.pid}") == old
    else:
        assert after in (old, new), "the previous output or the complete new one, never a mix"
        assert (after == new) == (die_at in ("during cleanup", "after swap"))

    writers.recover_stale(target)
    assert leftovers(target) == [], "the next run clears what the killed one left"
    assert snapshot(target) in (old, new)
    if die_at == "before replace .clean.tmp":
        assert snapshot(target) == old, "the previous output is put back"


def snapshot_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_folders_of_a_running_process_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "clean"
    mine = tmp_path / f".clean.tmp-{os.getpid()}"
    mine.mkdir()
    writers.recover_stale(target)
    assert mine.is_dir()


def test_atomic_dir_refuses_to_replace_a_folder_that_is_no_output(tmp_path: Path) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    with pytest.raises(writers.CleanerError, match="not the output of an earlier run"), writers.atomic_dir(precious):
        pass
    (tmp_path / "file").write_text("x")
    with pytest.raises(writers.CleanerError, match="is not a folder"), writers.atomic_dir(tmp_path / "file"):
        pass
    assert (precious / "chapter1.tex").read_text() == "years of work"


# --- `cleaner run`, killed ---------------------------------------------------------------------

CLI = [sys.executable, "-c", "from cleaner.cli import app; app()", "run"]


def make_corpus(raw: Path, n: int, edition: str) -> None:
    """``n`` small distinct articles in a few outlets, plus some wire copies that cluster."""
    for i in range(n):
        words = " ".join(f"w{i}x{k}" for k in range(60))
        outlet = raw / f"outlet{i % 4}"
        outlet.mkdir(parents=True, exist_ok=True)
        (outlet / f"story{i:04d}.txt").write_text(
            f"Meldung {i} ({edition})\n\nStand: 10.01.2022 22:53 Uhr\n\n"
            f"Der Absatz erzählt, was geschah, mit genug Wörtern für Fließtext. {words}.\n",
            encoding="utf-8",
        )


def comparable(out: Path) -> dict[str, Any]:
    """The output's bytes, with the manifest's timings, memory and versions taken out (they vary)."""
    files: dict[str, Any] = snapshot(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("versions")
    for key in [k for k in manifest["summary"] if k == "timings" or "rss" in k]:
        manifest["summary"].pop(key)
    files["manifest.json"] = manifest
    return files


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while not condition() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)


def test_cli_run_killed_at_several_points_then_rerun(tmp_path: Path) -> None:
    old_raw, new_raw, out = tmp_path / "raw-old", tmp_path / "raw-new", tmp_path / "clean"
    make_corpus(old_raw, 300, "alt")
    make_corpus(new_raw, 330, "neu")

    run(new_raw, out)
    uninterrupted = comparable(out)
    run(old_raw, out)
    previous = snapshot(out)
    assert without_manifest(previous) != without_manifest(uninterrupted), "the two editions differ"

    def tmp_dirs() -> list[Path]:
        return [p for p in tmp_path.iterdir() if p.name.startswith(".clean.tmp-")]

    points: dict[str, Callable[[], bool]] = {
        "0.2 s": lambda: False,
        "work folder appears": lambda: bool(tmp_dirs()),
        "first output file appears": lambda: any((d / "corpus.jsonl").exists() for d in tmp_dirs()),
        "manifest appears": lambda: any((d / "manifest.json").exists() for d in tmp_dirs()),
    }
    outcomes = {}
    for name, condition in points.items():
        proc = subprocess.Popen([*CLI, str(new_raw), "--out", str(out)], start_new_session=True)
        limit = float(name.split()[0]) if name.endswith(" s") else 20.0
        wait_for(condition, proc, limit)
        with suppress(ProcessLookupError):  # the run may have finished first
            os.killpg(proc.pid, signal.SIGKILL)  # the run and any workers it started
        proc.wait()
        now = snapshot(out)
        if now == previous:
            outcomes[name] = "previous output intact"
        else:
            assert comparable(out) == uninterrupted, f"killed at {name}: a mixed output"
            outcomes[name] = "new output complete"
            run(old_raw, out)  # back to the previous output for the next kill
            previous = snapshot(out)
    assert "previous output intact" in outcomes.values(), outcomes

    done = subprocess.run([*CLI, str(new_raw), "--out", str(out)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert comparable(out) == uninterrupted, "the rerun gives the bytes of an uninterrupted run"
    assert leftovers(out) == [], "no temp folder of a killed run is left"


def without_manifest(files: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in files.items() if k != "manifest.json"}
