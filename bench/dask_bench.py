"""The Dask engine beside the local one: `cleaner run` on the same corpus, wall time and memory.

    python bench/dask_bench.py --n 20000 --runs 3 --workers 2
    python bench/dask_bench.py --n 5000 100000 --runs 1 --workers 2 --engines dask

For each N: the cached corpus of bench/run_bench.py (built when missing), then per run and engine
`cleaner run CORPUS/raw --out ... --workers W [--engine dask]` as a subprocess, engines taking
turns so that both see the same machine load. The process tree is polled every 50 ms for the peak
RSS of each process: the main process (for Dask it also holds the local cluster's scheduler and
nannies) and each worker process (a Dask worker, or a worker of the local pool). Stage seconds
come from the manifest; the load average before each run is recorded, since this machine is
shared. The output of every run is compared with the first local run's, byte for byte.

Medians go to bench/results/dask_n<N>.json (an engine not run keeps its earlier entry there), and
the table of all saved sizes to the "Dask engine beside the local engine" section of
bench/RESULTS.md, between its markers; `--runs 0` only rewrites that section.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from run_bench import cleaner_command, code_id, corpus_for, machine

BENCH = Path(__file__).resolve().parent
POLL_SECONDS = 0.05
CONTRACT = ("corpus.jsonl", "corpus.dedup.jsonl", "clusters.jsonl", "removed.jsonl", "comments.jsonl")
BEGIN = "<!-- bench:dask:begin (written by bench/dask_bench.py from bench/results/dask_n*.json) -->"
END = "<!-- bench:dask:end -->"
HEADING = "## Dask engine beside the local engine"


def is_worker(proc: psutil.Process, main: int) -> bool:
    """A worker process: Dask's are spawned by the nannies in the main process; the local pool's are
    forked by its fork server (which is a child of the main process and has the same command line)."""
    with contextlib.suppress(psutil.Error):
        cmd = " ".join(proc.cmdline())
        if "resource_tracker" in cmd:
            return False
        if "forkserver" in cmd:
            return proc.ppid() != main
        return "spawn_main" in cmd
    return False


def measure(cmd: list[str], log: Path) -> dict:
    """Run cmd, polling its tree: wall seconds, exit status, peak RSS of the main process and of
    each worker process (MB)."""
    peaks: dict[int, float] = {}
    workers: set[int] = set()
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        main = psutil.Process(proc.pid)
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                for p in [main, *main.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        peaks[p.pid] = max(peaks.get(p.pid, 0.0), p.memory_info().rss / 2**20)
                        if p.pid not in workers and is_worker(p, proc.pid):
                            workers.add(p.pid)
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - start
    worker_peaks = sorted((peaks[w] for w in workers), reverse=True)
    return {
        "status": proc.returncode,
        "wall_seconds": round(wall, 2),
        "main_rss_mb": round(peaks.get(proc.pid, 0.0), 1),
        "worker_rss_mb": [round(w, 1) for w in worker_peaks],
    }


def one_run(cleaner: list[str], corpus: Path, engine: str, workers: int, work: Path) -> dict:
    out = work / f"out-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*cleaner, "run", str(corpus / "raw"), "--out", str(out), "--workers", str(workers)]
    if engine == "dask":
        cmd += ["--engine", "dask"]
    load = os.getloadavg()[0]
    measured = measure(cmd, work / engine)
    if measured["status"] != 0:
        tail = (work / f"{engine}.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"{engine} run exited {measured['status']}\n{tail}")
    summary = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]
    return {"engine": engine, "load_before": round(load, 2), **measured, "timings": summary["timings"], "out": out}


def same_output(a: Path, b: Path) -> bool:
    files = [*CONTRACT, *(p.relative_to(a).as_posix() for p in (a / "docs").rglob("*.txt"))]
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files) and len(
        list((b / "docs").rglob("*.txt"))
    ) == len(list((a / "docs").rglob("*.txt")))


def summarise(n: int, corpus: Path, runs: list[dict], workers: int, code: str) -> dict:
    """Medians per engine; an engine's entry says which code ran and whether every output matched."""

    def med(values: list[float]) -> float:
        return round(statistics.median(values), 2)

    engines = {}
    for engine in dict.fromkeys(r["engine"] for r in runs):
        mine = [r for r in runs if r["engine"] == engine]
        stages = list(dict.fromkeys(k for r in mine for k in r["timings"]))
        engines[engine] = {
            "runs": len(mine),
            "wall_seconds": med([r["wall_seconds"] for r in mine]),
            "wall_seconds_min": min(r["wall_seconds"] for r in mine),
            "main_rss_mb": med([r["main_rss_mb"] for r in mine]),
            "worker_rss_mb": med([max(r["worker_rss_mb"], default=0.0) for r in mine]),
            "stages": {k: med([r["timings"].get(k, 0.0) for r in mine]) for k in stages},
            "load_before": [r["load_before"] for r in mine],
            "code": code,
            "identical_output": all(r.get("identical", True) for r in mine),
            "per_run": mine,
        }
    stats = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["stats"]
    return {
        "n": n,
        "raw_mb": round(stats["raw_bytes"] / 1e6, 1),
        "workers": workers,
        "machine": machine(),
        "engines": engines,
    }


def section(results: list[dict]) -> str:
    """The RESULTS.md section body: one row per size and engine."""
    identical = all(e["identical_output"] for r in results for e in r["engines"].values())
    lines = [
        "",
        "`python bench/dask_bench.py --n 5000 20000 100000 --runs N --workers 2`: `cleaner run` with the",
        "local engine and with `--engine dask` (a local Dask cluster of 2 worker processes, one thread",
        "each) on the same generated corpus, engines taking turns; medians of the runs counted. RSS is",
        "the peak of each process, polled every 50 ms; for Dask the main process also holds the",
        "cluster's scheduler and nannies. Stages from the manifest: pairs = candidates.",
        "Output files of every run were compared with the local engine's of that size, byte for byte:",
        f"{'identical in all runs' if identical else 'SOME DIFFERED'}.",
        "",
        "| docs | engine | runs | wall s (median) | clean s | sign s | pairs s | verify s | main RSS MB "
        "| worker RSS MB | load before | code |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(results, key=lambda r: r["n"]):
        for engine, e in r["engines"].items():
            s = e["stages"]
            lines.append(
                f"| {r['n']:,} | {engine} | {e['runs']} | {e['wall_seconds']} | {s.get('clean', 0)} | "
                f"{s.get('signature', 0)} | {s.get('candidates', 0)} | {s.get('verify', 0)} | {e['main_rss_mb']} | "
                f"{e['worker_rss_mb']} | {', '.join(str(x) for x in e['load_before'])} | {e['code']} |"
            )
    lines += ["", f"Machine: {results[0]['machine']['cpus']} cores, shared with other work (see the load).", ""]
    return "\n".join(lines)


def update_results_md(path: Path, body: str) -> None:
    """Replace the text between the markers; add heading and markers at the end the first time."""
    text = path.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = f"{head}{BEGIN}\n{body}\n{END}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{HEADING}\n\n{BEGIN}\n{body}\n{END}\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[20000], help="corpus sizes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engines", nargs="+", default=["local", "dask"], choices=["local", "dask"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-bench"), help="corpora and run outputs")
    ap.add_argument("--cleaner", help="command to run instead of the installed `cleaner`, shell-quoted")
    ap.add_argument("--code", help="what --cleaner runs (e.g. a commit); default: this repo's commit and changes")
    ap.add_argument("--results", type=Path, default=BENCH / "results")
    ap.add_argument("--no-update", action="store_true", help="leave bench/RESULTS.md alone")
    args = ap.parse_args()
    cleaner = cleaner_command(args.cleaner)
    for n in args.n if args.runs else []:
        corpus = corpus_for(n, args.seed, args.cache)
        work = args.cache / f"dask-n{n}"
        work.mkdir(parents=True, exist_ok=True)
        runs: list[dict] = []
        # Outputs are compared with the first local run's; a run of the Dask engine alone compares
        # with the local output kept from an earlier invocation on the same corpus.
        reference = work / "reference"
        fresh = "local" in args.engines or not reference.is_dir()
        for k in range(args.runs):
            for engine in args.engines:
                run = one_run(cleaner, corpus, engine, args.workers, work)
                if fresh:
                    shutil.rmtree(reference, ignore_errors=True)
                    shutil.copytree(run["out"], reference)
                    fresh = False
                else:
                    run["identical"] = same_output(reference, run["out"])
                del run["out"]
                runs.append(run)
                print(f"n={n} run {k + 1} {engine}: {json.dumps(run)}", file=sys.stderr)
        result = summarise(n, corpus, runs, args.workers, args.code or code_id())
        path = args.results / f"dask_n{n}.json"
        if path.exists():  # engines not run this time keep their earlier entries
            earlier = json.loads(path.read_text(encoding="utf-8"))["engines"]
            result["engines"] = {
                **{e: v for e, v in earlier.items() if e not in result["engines"]},
                **result["engines"],
            }
        args.results.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(args.results.glob("dask_n*.json"))]
    body = section(results)
    print(body)
    if not args.no_update:
        update_results_md(BENCH / "RESULTS.md", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
