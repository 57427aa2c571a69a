"""Throughput and latency of `cleaner run -` (JSONL on stdin, results on stdout).

    python bench/stream_speed.py [--input ../shared/corpus/reuters21578.jsonl] [--rounds 3] [--probes 50]
                                 [--memory-docs 100000]

Throughput: the whole file is piped through `cleaner run -` (one process, as in production),
`--rounds` times; the median wall time of the whole process (start-up included) gives records
and MB per second, and its CPU time (user + system) records per CPU second, which a busy
machine disturbs less. Latency: a fresh `cleaner run -` gets the file's records one at a time, each
written only after the previous result came back, so each measures one record's way through the
pipeline with nothing queued: the first (start-up, config and rule compilation included) and the
median and 95th percentile of the next `--probes`. Memory: `--memory-docs` distinct synthetic
documents of 150 words go through the incremental deduplication in this process, which then
reports its memory growth per document, both as resident size and after returning freed memory
to the system (``malloc_trim``), i.e. what the sketches really hold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl"
CONFIG = ROOT / "config.toml"


def cleaner_command() -> list[str]:
    found = shutil.which("cleaner", path=str(Path(sys.executable).parent)) or shutil.which("cleaner")
    if found is None:
        raise SystemExit("the cleaner command is not installed in this environment")
    return [found, "run", "-", "--config", str(CONFIG)]


def throughput(path: Path, rounds: int) -> None:
    data = path.read_bytes()
    records = sum(1 for line in data.splitlines() if line.strip())
    times, cpus = [], []
    for _ in range(rounds):
        start, used = time.perf_counter(), _children_cpu()
        done = subprocess.run(cleaner_command(), input=data, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - used)
        out = done.stdout.count(b"\n")
        if out == 0:
            raise SystemExit(done.stderr.decode())
    median, cpu = statistics.median(times), statistics.median(cpus)
    summary = done.stderr.decode().strip().splitlines()[-2]
    print(
        f"throughput: {records:,} records ({len(data) / 1e6:.1f} MB) -> {out:,} results; median of {rounds}: "
        f"{median:.1f} s wall, {records / median:,.0f} records/s, {len(data) / 1e6 / median:.2f} MB/s; "
        f"{cpu:.1f} CPU s, {records / cpu:,.0f} records per CPU second  [{summary}]"
    )


def memory(n: int) -> None:
    import ctypes
    import gc

    import numpy as np

    from cleaner.dedup import DedupItem
    from cleaner.dedup.incremental import IncrementalDedup

    def rss_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    rng = np.random.default_rng(0)
    words = np.array([f"w{k}" for k in range(50_000)])
    dedup = IncrementalDedup()
    gc.collect()
    base, spent = rss_mb(), 0.0
    for first in range(0, n, 10_000):
        rows = rng.integers(0, len(words), size=(min(10_000, n - first), 150))
        items = [DedupItem(f"doc-{first + k:07d}", " ".join(words[row])) for k, row in enumerate(rows)]
        start = time.perf_counter()
        for k in range(0, len(items), 100):
            dedup.add_many(items[k : k + 100])
        spent += time.perf_counter() - start
    del items, rows
    gc.collect()
    resident = rss_mb() - base
    ctypes.CDLL(None).malloc_trim(0)
    live = rss_mb() - base
    dedup.close()
    print(
        f"memory: {n:,} distinct documents placed at {n / spent:,.0f} documents/s; growth "
        f"{resident:.0f} MB resident ({resident * 1e6 / n:,.0f} B a document), {live:.0f} MB after malloc_trim "
        f"({live * 1e6 / n:,.0f} B a document)"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def latency(path: Path, probes: int) -> None:
    # Only records that give a result (a record without text is reported on stderr instead).
    lines = [line for line in path.read_bytes().splitlines(keepends=True) if _has_text(line)][: probes + 1]
    proc = subprocess.Popen(cleaner_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    waits = []
    for line in lines:
        sent = time.perf_counter()
        proc.stdin.write(line)
        proc.stdin.flush()
        if not proc.stdout.readline():
            raise SystemExit("cleaner run - ended early")
        waits.append(time.perf_counter() - sent)
    proc.stdin.close()
    proc.wait()
    first, rest = waits[0], sorted(waits[1:])
    print(
        f"latency: first result {first * 1000:.0f} ms after the process started; next {len(rest)}: "
        f"median {statistics.median(rest) * 1000:.1f} ms, p95 {rest[int(0.95 * (len(rest) - 1))] * 1000:.1f} ms"
    )


def _has_text(line: bytes) -> bool:
    try:
        text = json.loads(line).get("text")
    except ValueError:
        return False
    return isinstance(text, str) and bool(text.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=CORPUS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--probes", type=int, default=50)
    ap.add_argument("--memory-docs", type=int, default=100_000)
    args = ap.parse_args()
    if not args.input.is_file():
        print(f"{args.input} not found: this benchmark needs ../shared beside the checkout", file=sys.stderr)
        return 2
    latency(args.input, args.probes)
    throughput(args.input, args.rounds)
    memory(args.memory_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
