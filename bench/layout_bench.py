"""The two output layouts side by side: the client's wall time and peak memory with `--layout single`
(the client merges every record into corpus.jsonl) and `--layout parts` (the workers write the corpus,
one part per chunk; the client merges only removed.jsonl and comments.jsonl).

    python bench/layout_bench.py --corpus /tmp/cleaner-bench/corpus-n100000-s1-28e1152587/raw --runs 3

Per run, the layouts take turns: `cleaner run CORPUS --out ... --workers W --engine E --layout L`
as a subprocess, its process tree polled every 50 ms (bench/dask_bench.py's `measure`); the
manifest gives the client's own peak RSS (`peak_rss_mb.main`: for a local Dask cluster it
includes the scheduler, which runs in the client) and the seconds of the write stage. Every parts
output is checked against the single output of the same run: the parts' records sorted by id
must be corpus.jsonl's, byte for byte, and the other files the same. Medians go to
bench/results/layout_<engine>_n<N>.json and a markdown table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from dask_bench import measure
from run_bench import cleaner_command, code_id, machine

BENCH = Path(__file__).resolve().parent
LAYOUTS = ("single", "parts")
SAME = ("clusters.jsonl", "removed.jsonl", "comments.jsonl")


def one_run(cleaner: list[str], corpus: Path, layout: str, engine: str, workers: int, work: Path) -> dict:
    out = work / f"out-{layout}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*cleaner, "run", str(corpus), "--out", str(out), "--workers", str(workers), "--engine", engine]
    load = os.getloadavg()[0]
    measured = measure([*cmd, "--layout", layout], work / layout)
    if measured["status"] != 0:
        raise SystemExit(f"{layout} run exited {measured['status']}: see {work / layout}.err")
    summary = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]
    return {
        "layout": layout,
        "load_before": round(load, 2),
        **measured,
        "manifest_main_rss_mb": summary["peak_rss_mb"]["main"],
        "documents": summary["documents"],
        "parts": summary.get("parts", 0),
        "timings": summary["timings"],
    }


def parts_are_the_corpus(single: str | Path, parts: str | Path) -> bool:
    """The parts' records sorted by id are corpus.jsonl's (and likewise for corpus.dedup), the rest the same."""
    single, parts = Path(single), Path(parts)
    for folder in ("corpus", "corpus.dedup"):
        keyed = []
        for path in sorted((parts / folder).glob("part-*.jsonl")):
            with path.open("rb") as lines:
                keyed.extend((json.loads(line)["id"], line) for line in lines)
        keyed.sort(key=lambda pair: pair[0])
        with (single / f"{folder}.jsonl").open("rb") as whole:
            if [line for _, line in keyed] != whole.readlines():
                return False
    return all((single / name).read_bytes() == (parts / name).read_bytes() for name in SAME)


def compared(single: Path, parts: Path) -> bool:
    """:func:`parts_are_the_corpus` in a process of its own. Comparing holds both corpora in memory,
    and a process forked from this one would start with that memory as its peak RSS: Linux keeps
    the peak across exec, so every later run's manifest would report this process's size."""
    code = "import sys, layout_bench as b; sys.exit(not b.parts_are_the_corpus(*sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, str(single), str(parts)], cwd=BENCH).returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="the input folder (e.g. a bench corpus's raw/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="dask", choices=["local", "dask"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/cleaner-bench/layout"), help="run outputs")
    ap.add_argument("--results", type=Path, default=BENCH / "results")
    ap.add_argument("--cleaner", help="command to run instead of the installed `cleaner`, shell-quoted")
    ap.add_argument("--code", help="what --cleaner runs (e.g. a commit); default: this repo's commit and changes")
    args = ap.parse_args()
    cleaner = cleaner_command(args.cleaner)
    args.work.mkdir(parents=True, exist_ok=True)
    runs = []
    for k in range(args.runs):
        order = LAYOUTS if k % 2 == 0 else LAYOUTS[::-1]
        done = {layout: one_run(cleaner, args.corpus, layout, args.engine, args.workers, args.work) for layout in order}
        done["parts"]["identical"] = compared(args.work / "out-single", args.work / "out-parts")
        runs += done.values()
        shown = {layout: {key: r[key] for key in ("wall_seconds", "main_rss_mb")} for layout, r in done.items()}
        print(json.dumps(shown), flush=True)
    n = runs[0]["documents"]

    def med(layout: str, pick) -> float:
        return round(statistics.median(pick(r) for r in runs if r["layout"] == layout), 1)

    medians = {
        layout: {
            "wall_seconds": med(layout, lambda r: r["wall_seconds"]),
            "main_rss_mb": med(layout, lambda r: r["main_rss_mb"]),
            "manifest_main_rss_mb": med(layout, lambda r: r["manifest_main_rss_mb"]),
            "write_seconds": med(layout, lambda r: r["timings"]["write"]),
            "parts_seconds": med(layout, lambda r: r["timings"].get("write_parts", 0.0)),
            "worker_parts_seconds": med(layout, lambda r: r["timings"].get("worker_parts", 0.0)),
            "worker_rss_mb": med(layout, lambda r: max(r["worker_rss_mb"], default=0.0)),
        }
        for layout in LAYOUTS
    }
    result = {
        "n": n,
        "engine": args.engine,
        "workers": args.workers,
        "code": args.code or code_id(),
        "machine": machine(),
        "identical": all(r.get("identical", True) for r in runs),
        "medians": medians,
        "per_run": runs,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"layout_{args.engine}_n{n}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        "\n| layout | runs | wall s | client peak RSS MB (polled) | client peak RSS MB (manifest) | write s "
        "| of it writing the parts | write_part tasks, summed s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for layout, m in medians.items():
        print(
            f"| {layout} | {args.runs} | {m['wall_seconds']} | {m['main_rss_mb']} | {m['manifest_main_rss_mb']} "
            f"| {m['write_seconds']} | {m['parts_seconds']} | {m['worker_parts_seconds']} |"
        )
    print(f"\nparts sorted by id == corpus.jsonl in every run: {result['identical']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
