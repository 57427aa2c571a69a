"""Where a whole run's CPU goes, against the whole-run target of 15 MB/s on 2 cores.

    python bench/budget.py --n 20000 --runs 3 --workers 2

For the cached corpus of N documents (built by make_corpus.py, as run_bench.py does), alternately:

- cleaning alone: this process decodes every raw file once, then times ``Cleaner.clean`` over all
  of them in CPU seconds of this thread: no reading, writing, dedup, process start or pool;
- cleaning side by side: W processes, started together, each cleaning every W-th text; their
  wall seconds are what W cores deliver at once, which on this machine is well short of W times
  one core (two processes take about 1.4 times the CPU of one for the same work);
- file creation: as many files as documents, of the mean document's size, created in a folder
  beside the run's output, as ``docs/`` is (CPU seconds of this process, the kernel's included),
  since on some disks creating a file costs more than cleaning the document;
- the whole run: ``cleaner run CORPUS/raw --workers W`` measured as run_bench.py measures it (wall
  seconds, CPU seconds of the process tree), with the report's seconds (from the manifest) taken
  out of both, as the target leaves the report out.

Old outputs and file folders are set aside and deleted after the last round (set_aside.py):
deleting them between rounds made the next round's file creation ten times dearer on this disk.

It prints the medians: the CPU seconds the target allows (raw MB / target MB/s x W cores), what
cleaning alone and file creation take, what the run takes, and the ceilings on the run's MB/s that
cleaning sets if everything else were free: alone scaled perfectly to W cores, and as measured side
by side. The medians go to bench/results/budget_n<N>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from run_bench import BENCH, cleaner_command, code_id, corpus_for, machine, measure
from set_aside import Trash

from cleaner.clean.article import cleaner_for
from cleaner.config import load_config
from cleaner.io.decode import decode_bytes

TARGET_MB_S = 15.0


def clean_alone(texts: list[str]) -> float:
    """CPU seconds of this thread to clean every text once."""
    cleaner = cleaner_for(load_config())
    start = time.thread_time()
    for i, text in enumerate(texts):
        cleaner.clean(text, doc_id=str(i))
    return time.thread_time() - start


def clean_side_by_side(texts: list[str], workers: int) -> tuple[float, float]:
    """Wall seconds for ``workers`` processes, started together, to clean a share of the texts each
    (every ``workers``-th text), and their CPU seconds summed: what the cores deliver at once,
    which on this machine is less than ``workers`` times one core (see RESULTS.md)."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers + 1)
    spent = ctx.Queue()
    procs = [ctx.Process(target=_clean_share, args=(texts[k::workers], barrier, spent)) for k in range(workers)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    cpu = sum(spent.get() for _ in procs)
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    return wall, cpu


def _clean_share(texts: list[str], barrier: Any, spent: Any) -> None:
    barrier.wait()
    spent.put(clean_alone(texts))


def create_files(folder: Path, count: int, size: int, trash: Trash) -> float:
    """CPU seconds (user and kernel) of this process to create ``count`` files of ``size`` bytes
    (the folder then goes to ``trash``: see set_aside.py)."""
    folder.mkdir(parents=True)
    data = b"x" * size
    before = os.times()
    for i in range(count):
        fd = os.open(folder / f"{i:07d}.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.write(fd, data)
        os.close(fd)
    after = os.times()
    trash.put(folder)
    return (after.user - before.user) + (after.system - before.system)


def whole_run(cleaner: list[str], raw: Path, out: Path, workers: int, trash: Trash) -> dict[str, float]:
    """Wall and CPU seconds of one run without its report, and the report's seconds."""
    trash.put(out)
    measured = measure([*cleaner, "run", str(raw), "--out", str(out), "--workers", str(workers)], out.parent / "budget")
    if measured.status != 0:
        raise SystemExit(f"cleaner run exited {measured.status}; see {out.parent / 'budget.err'}")
    timings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]["timings"]
    report = timings.get("report", 0.0)
    # The report runs in the main process alone: its wall seconds are its CPU seconds, near enough.
    return {"wall": measured.wall - report, "cpu": measured.cpu - report, "report": report}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000, help="corpus size")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-bench"), help="corpora and run outputs")
    ap.add_argument("--cleaner", help="command to run instead of the installed `cleaner`, shell-quoted")
    ap.add_argument("--results", type=Path, default=BENCH / "results", help="where budget_n<N>.json goes")
    ap.add_argument("--tag", default="", help="results go to budget_n<N>_<TAG>.json (e.g. tmpfs)")
    args = ap.parse_args()
    corpus = corpus_for(args.n, args.seed, args.cache)
    raw = corpus / "raw"
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    raw_mb = sum(p.stat().st_size for p in files) / 1e6
    texts = [decode_bytes(p.read_bytes(), str(p)).text for p in files]
    cleaner = cleaner_command(args.cleaner)
    work = args.cache / f"budget-n{args.n}"
    work.mkdir(parents=True, exist_ok=True)
    alone: list[float] = []
    together: list[tuple[float, float]] = []
    files_cpu: list[float] = []
    runs: list[dict[str, float]] = []
    mean_size = round(raw_mb * 1e6 / len(files))
    trash = Trash(args.cache / "trash")
    trash.start()
    trash.put(work / "files")
    try:
        for k in range(args.runs):
            alone.append(clean_alone(texts))
            together.append(clean_side_by_side(texts, args.workers))
            files_cpu.append(create_files(work / "files", len(files), mean_size, trash))
            runs.append(whole_run(cleaner, raw, work / "out", args.workers, trash))
            print(
                f"round {k + 1}: cleaning alone {alone[-1]:.2f} CPU s, on {args.workers} processes at once "
                f"{together[-1][0]:.2f} s wall {together[-1][1]:.2f} CPU s, "
                f"files {files_cpu[-1]:.2f} CPU s, run {runs[-1]}",
                file=sys.stderr,
            )
    finally:
        trash.empty()
    med = statistics.median
    allowed = raw_mb / TARGET_MB_S * args.workers
    cleaning = med(alone)
    run_cpu, run_wall = med([r["cpu"] for r in runs]), med([r["wall"] for r in runs])
    side_wall, side_cpu = med([t[0] for t in together]), med([t[1] for t in together])
    result = {
        "n": args.n,
        "documents": len(texts),
        "raw_mb": round(raw_mb, 2),
        "workers": args.workers,
        "runs": args.runs,
        "code": code_id(),
        "machine": machine(),
        "target_mb_s": TARGET_MB_S,
        "allowed_cpu_seconds": round(allowed, 2),
        "clean_alone_cpu_seconds": round(cleaning, 2),
        "clean_alone_us_per_doc": round(cleaning / len(texts) * 1e6, 1),
        "ceiling_from_cleaning_mb_s": round(raw_mb / cleaning * args.workers, 2),
        "clean_side_by_side_wall_seconds": round(side_wall, 2),
        "clean_side_by_side_cpu_seconds": round(side_cpu, 2),
        "ceiling_from_cleaning_side_by_side_mb_s": round(raw_mb / side_wall, 2),
        "file_creation_cpu_seconds": round(med(files_cpu), 2),
        "run_cpu_seconds": round(run_cpu, 2),
        "run_wall_seconds": round(run_wall, 2),
        "run_mb_s": round(raw_mb / run_wall, 2),
        "report_seconds": round(med([r["report"] for r in runs]), 2),
        "samples": {
            "clean_alone": [round(a, 3) for a in alone],
            "clean_side_by_side": [[round(w, 3), round(c, 3)] for w, c in together],
            "file_creation": files_cpu,
            "runs": runs,
        },
    }
    args.results.mkdir(parents=True, exist_ok=True)
    name = f"budget_n{args.n}_{args.tag}.json" if args.tag else f"budget_n{args.n}.json"
    (args.results / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"| N | raw MB | CPU s the target allows ({args.workers} cores) | cleaning alone, CPU s (µs/doc) "
        f"| ceiling from cleaning alone | cleaning on {args.workers} processes at once, wall s (CPU s) "
        f"| ceiling from that | creating N files, CPU s | whole run, CPU s | whole run, wall s "
        f"| whole run MB/s |\n"
        f"|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {args.n:,} | {raw_mb:.1f} | {allowed:.1f} | {cleaning:.1f} ({result['clean_alone_us_per_doc']:.0f}) "
        f"| {result['ceiling_from_cleaning_mb_s']:.1f} MB/s | {side_wall:.1f} ({side_cpu:.1f}) "
        f"| {result['ceiling_from_cleaning_side_by_side_mb_s']:.1f} MB/s | {result['file_creation_cpu_seconds']:.1f} "
        f"| {run_cpu:.1f} | {run_wall:.1f} | {result['run_mb_s']:.1f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
