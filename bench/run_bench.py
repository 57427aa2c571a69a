"""Whole-run benchmark: `cleaner run` per stage against plain datasketch on the same bodies.

    python bench/run_bench.py --n 20000 100000 --runs 3 --workers 2

For each N: builds (or reuses, cached under --cache) a raw corpus with make_corpus.py, then per
run times `cleaner run CORPUS/raw --out ... --workers W` as a subprocess (the option is left out
when this cleaner lacks it), polling the RSS of the whole process tree every 50 ms; reads the
per-stage seconds from OUT/manifest.json (whatever stage keys it has); runs
baseline_datasketch.py on OUT/corpus.jsonl; and scores both against the truth with pairwise F1.
Medians of the runs go to bench/results/whole_run_n<N>.json, and bench/report.py turns those
files into the Markdown table printed here and into the "Whole run and dedup vs datasketch"
section of bench/RESULTS.md, with the extrapolation to 1,000,000 documents.

One heavy benchmark at a time on this machine: the runs are sequential, never in parallel.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import report
from scoring import load_truth, pairwise_f1, read_clusters
from set_aside import Trash

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
POLL_SECONDS = 0.05
# Stage keys of cleaner's manifest that make up its dedup, compared with datasketch's total.
DEDUP_KEYS = ("signature", "candidates", "verify", "cluster")
DEDUP_FALLBACK = ("dedup",)  # manifests before the stages were split
# Seconds the workers spent sketching, summed over them: with the main process's dedup stages it is
# the CPU cost of dedup alone, without the record and docs/ writing the signature stage also holds.
SKETCH_KEY = "worker_sketch"
# A stage the whole-run target leaves out (writing the human-readable report), when present.
REPORT_KEY = "report"


@dataclass(frozen=True)
class Measured:
    """One measured process: wall and CPU seconds, peak RSS of its tree, exit status."""

    wall: float
    cpu: float
    rss_mb: float
    status: int


class TreeSampler:
    """Polls a process tree: peak summed RSS, and the last CPU time seen of every member.

    Workers started by a fork server are not waited for by the process measured, so wait4 does
    not count their CPU; the sampled CPU of each process ever seen in the tree does (less its last
    poll interval).
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}

    def poll(self) -> None:
        try:
            parent = psutil.Process(self.pid)
            tree = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = 0
        for p in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                with p.oneshot():
                    rss += p.memory_info().rss
                    times = p.cpu_times()
                self.cpu[p.pid] = times.user + times.system
        self.peak_rss = max(self.peak_rss, rss)


def measure(cmd: list[str], log: Path) -> Measured:
    """Run cmd with stdout and stderr to log.out and log.err, and measure it.

    RSS is summed over the whole tree because a pool of workers has no single peak: their sum is
    what the machine must hold. CPU seconds are reported beside wall time because on a shared
    machine they move far less with other people's load: the larger of wait4's figure (the
    process and the children it waited for) and the sampled sum over the tree. Output goes to
    files so a full pipe never stalls the run.
    """
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            sampler.poll()
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = max(usage.ru_utime + usage.ru_stime, sum(sampler.cpu.values()))
    return Measured(wall, cpu, sampler.peak_rss / 2**20, proc.returncode)


def generator_hash() -> str:
    """Corpora are cached per generator version: a changed generator builds new ones."""
    digest = hashlib.sha1()
    for path in (BENCH / "make_corpus.py", BENCH / "stress" / "gen.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def corpus_for(n: int, seed: int, cache: Path) -> Path:
    """The cached corpus of n documents, built first when missing (atomically, via a temp folder)."""
    target = cache / f"corpus-n{n}-s{seed}-{generator_hash()}"
    if (target / "truth.json").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".build-n{n}-", dir=cache))
    start = time.perf_counter()
    args = ["--n", str(n), "--out", str(tmp / "c"), "--seed", str(seed)]
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), *args], check=True)
    (tmp / "c").rename(target)
    tmp.rmdir()
    print(f"built {target} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return target


def cleaner_command(spec: str | None) -> list[str]:
    """The cleaner to benchmark: --cleaner as a shell-quoted command, else the one beside this Python."""
    if spec:
        return shlex.split(spec)
    beside = Path(sys.executable).parent / "cleaner"
    found = str(beside) if beside.exists() else shutil.which("cleaner")
    if not found:
        raise SystemExit("no `cleaner` command: install the package or pass --cleaner")
    return [found]


def has_workers_option(cleaner: list[str]) -> bool:
    """Whether this cleaner's `run` takes --workers (older builds are single-process)."""
    env = {**os.environ, "COLUMNS": "200"}
    out = subprocess.run([*cleaner, "run", "--help"], capture_output=True, text=True, env=env, check=True)
    return "--workers" in out.stdout


def code_id() -> str:
    """Commit of the repo plus a hash of uncommitted changes to cleaner/, so results say what they measured."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout

    commit = git("rev-parse", "--short=10", "HEAD").strip()
    diff = git("diff", "HEAD", "--", "cleaner") + git("ls-files", "--others", "--exclude-standard", "cleaner")
    return f"{commit}+{hashlib.sha1(diff.encode()).hexdigest()[:8]}" if diff else commit


def machine() -> dict:
    """What the numbers were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def one_run(
    cleaner: list[str],
    python: list[str],
    corpus: Path,
    workers: int | None,
    work: Path,
    truth: dict[str, str],
    trash: Trash,
) -> dict:
    """One cleaner run, then on its output the baseline and our dedup alone (run by ``python``);
    raises when any fails. The previous run's output goes to ``trash`` (see set_aside.py)."""
    out = work / "out"
    trash.put(out)
    cmd = [*cleaner, "run", str(corpus / "raw"), "--out", str(out)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    load = os.getloadavg()[0]
    ours = measure(cmd, work / "cleaner")
    if ours.status != 0:
        err = (work / "cleaner.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"cleaner exited {ours.status}: {shlex.join(cmd)}\n{err}")
    summary = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]
    cleaner_f1 = pairwise_f1(truth, read_clusters(out / "corpus.jsonl"))

    base_cmd = [sys.executable, str(BENCH / "baseline_datasketch.py"), str(out / "corpus.jsonl")]
    base = measure([*base_cmd, "--truth", str(corpus)], work / "baseline")
    if base.status != 0:
        err = (work / "baseline.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"baseline exited {base.status}\n{err}")
    baseline = json.loads((work / "baseline.out").read_text(encoding="utf-8"))

    alone_cmd = [*python, str(BENCH / "dedup_alone.py"), str(out / "corpus.jsonl")]
    alone = measure(alone_cmd, work / "alone")
    if alone.status != 0:
        err = (work / "alone.err").read_text(errors="replace")[-2000:]
        raise SystemExit(f"dedup_alone exited {alone.status}\n{err}")
    alone_result = json.loads((work / "alone.out").read_text(encoding="utf-8"))
    return {
        "load_before": round(load, 2),
        "cleaner": {
            "wall_seconds": round(ours.wall, 3),
            "cpu_seconds": round(ours.cpu, 3),
            "peak_rss_mb": round(ours.rss_mb, 1),
            "timings": summary.get("timings", {}),
            "workers": summary.get("workers", 1),
            "documents": summary.get("documents"),
            "clusters": summary.get("clusters"),
            "duplicates": summary.get("duplicates"),
            # Counts such as candidate_pairs and verified_pairs: they explain how verify scales.
            "dedup_counts": {k: v for k, v in summary.get("dedup", {}).items() if isinstance(v, int | float)},
            "pairwise": cleaner_f1,
        },
        "alone": alone_result,
        "baseline": {
            "wall_seconds": round(base.wall, 3),
            "cpu_seconds": round(base.cpu, 3),
            "peak_rss_mb": round(base.rss_mb, 1),
            "timings": baseline["seconds"],
            "dedup_seconds": baseline["dedup_seconds"],
            "dedup_cpu_seconds": baseline["dedup_cpu_seconds"],
            "clusters": baseline["clusters"],
            "candidates": baseline["candidates"],
            "pairwise": baseline["pairwise"],
            "tool": baseline["tool"],
            "settings": {**baseline["settings"], "bands": baseline["bands"], "rows": baseline["rows"]},
        },
    }


def dedup_seconds(timings: dict[str, float]) -> tuple[float, list[str]]:
    """Seconds of cleaner's dedup stages and which manifest keys made them up."""
    keys = [k for k in DEDUP_KEYS if k in timings] or [k for k in DEDUP_FALLBACK if k in timings]
    return sum(timings[k] for k in keys), keys


def dedup_cpu_seconds(timings: dict[str, float], workers: int) -> float | None:
    """CPU seconds of dedup alone, if reported: the workers' sketching (summed over workers), the
    main process's candidate and cluster stages (wall: the workers are idle then), and
    verification's CPU summed over the processes that ran it (``verify_cpu``; from builds that
    lack it, its wall time times ``workers``, an upper bound)."""
    if SKETCH_KEY not in timings:
        return None
    main = sum(timings.get(k, 0.0) for k in DEDUP_KEYS if k not in ("signature", "verify"))
    verify = timings["verify_cpu"] if "verify_cpu" in timings else timings.get("verify", 0.0) * max(1, workers)
    return timings[SKETCH_KEY] + main + verify


def summarise(n: int, corpus: Path, runs: list[dict]) -> dict:
    """Medians over the runs; ratios are taken per run (both sides saw the same machine load), then the median."""
    stats = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["stats"]
    raw_mb = stats["raw_bytes"] / 1e6

    def med(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    stage_keys = list(dict.fromkeys(k for r in runs for k in r["cleaner"]["timings"]))
    stages = {}
    for key in stage_keys:
        secs = med([r["cleaner"]["timings"].get(key, 0.0) for r in runs])
        stages[key] = {"seconds": secs, **report.rates(n, raw_mb, secs)}
    ours = [dedup_seconds(r["cleaner"]["timings"]) for r in runs]
    base_keys = list(dict.fromkeys(k for r in runs for k in r["baseline"]["timings"]))
    wall = med([r["cleaner"]["wall_seconds"] for r in runs])
    run = med([r["cleaner"]["wall_seconds"] - r["cleaner"]["timings"].get(REPORT_KEY, 0.0) for r in runs])
    base_dedup = med([r["baseline"]["dedup_seconds"] for r in runs])
    return {
        "n": n,
        "raw_mb": round(raw_mb, 1),
        "corpus": {k: stats[k] for k in ("mean_doc_bytes", "clusters", "docs_in_clusters", "true_pairs", "variants")},
        "runs": len(runs),
        "cleaner": {
            "wall_seconds": wall,
            "wall_seconds_min": min(r["cleaner"]["wall_seconds"] for r in runs),
            "run_seconds": run,
            "cpu_seconds": med([r["cleaner"]["cpu_seconds"] for r in runs]),
            **report.rates(n, raw_mb, run),
            "peak_rss_mb": med([r["cleaner"]["peak_rss_mb"] for r in runs]),
            "stages": stages,
            "dedup_keys": ours[0][1],
            "dedup_seconds": med([s for s, _ in ours]),
            "pairwise": runs[0]["cleaner"]["pairwise"],
            "clusters": runs[0]["cleaner"]["clusters"],
            "dedup_counts": runs[0]["cleaner"]["dedup_counts"],
        },
        "baseline": {
            "tool": runs[0]["baseline"]["tool"],
            "settings": runs[0]["baseline"]["settings"],
            "wall_seconds": med([r["baseline"]["wall_seconds"] for r in runs]),
            "cpu_seconds": med([r["baseline"]["cpu_seconds"] for r in runs]),
            "peak_rss_mb": med([r["baseline"]["peak_rss_mb"] for r in runs]),
            "stages": {k: med([r["baseline"]["timings"].get(k, 0.0) for r in runs]) for k in base_keys},
            "dedup_seconds": base_dedup,
            **report.rates(n, raw_mb, base_dedup),
            "pairwise": runs[0]["baseline"]["pairwise"],
            "clusters": runs[0]["baseline"]["clusters"],
        },
        "speedup_dedup": med(
            [r["baseline"]["dedup_seconds"] / max(s, 1e-9) for r, (s, _) in zip(runs, ours, strict=True)]
        ),
        "speedup_dedup_cpu": _speedup_cpu(runs),
        "alone": _alone(runs),
        "per_run": runs,
    }


def _speedup_cpu(runs: list[dict]) -> float | None:
    """datasketch's dedup CPU seconds over ours, median over runs. Both sides count CPU (ours:
    the workers' sketching and the main process's later dedup stages), which other work on
    the shared machine inflates far less than wall time."""
    ratios = []
    for r in runs:
        ours = dedup_cpu_seconds(r["cleaner"]["timings"], r["cleaner"].get("workers", 1))
        if ours:
            ratios.append(r["baseline"]["dedup_cpu_seconds"] / ours)
    return round(statistics.median(ratios), 3) if ratios else None


def _alone(runs: list[dict]) -> dict | None:
    """Our dedup alone in one process (bench/dedup_alone.py): its CPU seconds, datasketch's over
    them (per run, then the median), and whether every run gave the run's own clusters."""
    alone = [r["alone"] for r in runs if "alone" in r]
    if not alone:
        return None
    return {
        "dedup_cpu_seconds": round(statistics.median(a["dedup_cpu_seconds"] for a in alone), 3),
        "sketch_cpu_seconds": round(statistics.median(a["sketch_cpu_seconds"] for a in alone), 3),
        "cluster_cpu_seconds": round(statistics.median(a["cluster_cpu_seconds"] for a in alone), 3),
        "speedup_cpu": round(
            statistics.median(r["baseline"]["dedup_cpu_seconds"] / r["alone"]["dedup_cpu_seconds"] for r in runs), 3
        ),
        "same_clusters_as_run": all(a["same_clusters_as_run"] for a in alone),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[20000, 100000], help="corpus sizes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count(), help="passed as --workers when cleaner has it")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-bench"), help="corpora and run outputs")
    ap.add_argument("--cleaner", help="command to run instead of the installed `cleaner`, shell-quoted")
    ap.add_argument("--code", help="what --cleaner runs (e.g. a commit); default: this repo's commit and changes")
    ap.add_argument(
        "--python",
        help="shell-quoted command of the Python that runs bench/dedup_alone.py with the benchmarked cleaner "
        "importable (give it with --cleaner); default: this Python",
    )
    ap.add_argument("--results", type=Path, default=BENCH / "results", help="where whole_run_n<N>.json go")
    ap.add_argument("--no-update", action="store_true", help="leave bench/RESULTS.md alone")
    args = ap.parse_args()

    cleaner = cleaner_command(args.cleaner)
    python = shlex.split(args.python) if args.python else [sys.executable]
    workers = args.workers if has_workers_option(cleaner) else None
    if workers is None:
        print("this cleaner has no --workers option: running it without", file=sys.stderr)
    args.results.mkdir(parents=True, exist_ok=True)
    info = {
        "machine": machine(),
        "code": args.code or code_id(),
        "cleaner_command": shlex.join(cleaner),
        "workers": workers,
    }
    trash = Trash(args.cache / "trash")
    trash.start()
    try:
        measure_sizes(args, cleaner, python, workers, info, trash)
    finally:
        trash.empty()
    section = report.render(report.load(args.results))
    print(section)
    if not args.no_update:
        report.update_results_md(BENCH / "RESULTS.md", section)
    return 0


def measure_sizes(
    args: argparse.Namespace, cleaner: list[str], python: list[str], workers: int | None, info: dict, trash: Trash
) -> None:
    """The runs of every corpus size, each size's medians written to its results file."""
    for n in args.n:
        corpus = corpus_for(n, args.seed, args.cache)
        truth = load_truth(corpus)
        work = args.cache / f"run-n{n}"
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        runs = []
        for i in range(args.runs):
            runs.append(one_run(cleaner, python, corpus, workers, work, truth, trash))
            c = runs[-1]["cleaner"]
            print(
                f"n={n} run {i + 1}/{args.runs}: cleaner {c['wall_seconds']:.1f} s {c['peak_rss_mb']:.0f} MB, "
                f"datasketch dedup {runs[-1]['baseline']['dedup_seconds']:.1f} s",
                file=sys.stderr,
            )
        result = {**info, **summarise(n, corpus, runs), "bench_seconds": round(time.perf_counter() - started)}
        result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        path = args.results / f"whole_run_n{n}.json"
        path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
