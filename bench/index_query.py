"""Query speed of the persistent index at a million documents, its insert rate and its size.

    python bench/index_query.py --index /tmp/index-1m.sqlite --docs 1000000 [--batch 25000] [--queries 400] [--runs 5]
    python bench/index_query.py --index /tmp/index-1m.sqlite --reuse        # measure an index built before
    python bench/index_query.py --layouts 1000000                           # band tables: one or one per band
    ... --json /tmp/index-1m.json --results bench/RESULTS.md               # save figures, write the section

How the index is built. Real articles first: ``../shared/corpus/de_articles.jsonl`` (read at run
time) minus 400 held back, ingested as one batch. Then synthetic documents up to ``--docs``, in
batches of ``--batch`` through the same ingestion as ``cleaner run --index`` (lookup of every new
document, signatures, band rows, clusters): each is a set of random 64-bit shingle hashes (sizes
drawn log-normally around 300 shingles, 30 to 3,000; a tenth of them holding a figure), so its
signature, band keys and stored row are those of a real unique article, and no two of them
match. Cleaning is not part of it: the documents arrive as shingle sets. Once the index holds
``--docs`` documents, three more batches of 10,000 (a day's scrape) are ingested and timed one by
one: the insert rate at that size. Each ingestion changes most pages of the 64 band tables (the
keys are random), so its time grows with the index, and bigger batches fill it faster.

What a query is: ``PersistentIndex.find([text])`` for one cleaned body, everything an ingestion
does to check a new document against the index: shingles, signature, the lookup of 64 band keys
(and of its whole signature), reading the candidates' signatures and verifying them. Half the
queries are copies of indexed articles (re-paragraphed, or a teaser of their first half), half
are the held-back articles, which match nothing. Each run times ``--queries`` queries one at a
time; the figures are the median and 95th percentile per run, and the median over runs, of the
wall time and of the process's CPU time (the machine is shared: others' work stretches the wall
time, not the CPU time).

``--layouts N`` compares the two ways to keep band keys, with plain SQL on N documents' random
keys: one table keyed by (band, key) against one table per band keyed by key, each filled in
batches of ``--batch`` documents sorted by key, then queried for 64 keys at a time (half of them
keys of indexed documents), with the page cache the index's connection has.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from cleaner.dedup import DedupItem, DedupSettings, Sketches, cluster_sketches, sketch
from cleaner.dedup.lsh import optimal_param, sketch_keys
from cleaner.dedup.minhash import minhash
from cleaner.dedup.shingles import ShingleBatch, shingle_batch
from cleaner.dedup.verify import compare
from cleaner.persist import PersistentIndex
from cleaner.persist.store import CACHE_KB

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "de_articles.jsonl"
HELD_BACK = 400
# Documents of the batches timed once the index is built (a day's scrape).
DAILY = 10_000
BEGIN, END = "<!-- bench:index-query:begin -->", "<!-- bench:index-query:end -->"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, help="index file to build (removed first) or, with --reuse, to measure")
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=25_000, help="documents per ingestion while building")
    ap.add_argument("--reuse", action="store_true", help="measure the index as it is")
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--layouts", type=int, default=0, help="compare band-table layouts on this many documents")
    ap.add_argument("--results", type=Path, help="write the section into this RESULTS.md")
    ap.add_argument(
        "--json", type=Path, help="save the figures as JSON; with --reuse, figures in it not measured again stay"
    )
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found: this benchmark needs ../shared beside the checkout", file=sys.stderr)
        return 2
    articles = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    random.Random(0).shuffle(articles)
    indexed, held = articles[HELD_BACK:], articles[:HELD_BACK]
    figures: dict = {}
    if args.reuse and args.json and args.json.exists():
        # Figures saved before (the build's, the layouts') stay unless measured again now.
        figures = json.loads(args.json.read_text(encoding="utf-8"))
    if args.index or args.layouts:
        figures["machine"] = _machine()
    if args.index:
        if not args.reuse:
            figures["build"] = {"load_average_at_start": _load(), **build(args.index, indexed, args.docs, args.batch)}
        figures["queries"] = {
            "load_average_at_start": _load(),
            **query(args.index, indexed, held, args.queries, args.runs),
        }
        figures["size"] = _size(args.index)
    if args.layouts:
        figures["layouts"] = {
            "load_average_at_start": _load(),
            **compare_layouts(args.layouts, args.batch, args.queries, args.runs),
        }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.results:
        write_section(args.results, figures, args)
    return 0


def build(path: Path, articles: list[dict], docs: int, batch: int) -> dict:
    """Ingest the real articles, then synthetic documents up to ``docs``; returns the insert rates."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = DedupSettings()
    items = [DedupItem(f"article/{k:05d}", a["text"], None, k) for k, a in enumerate(articles)]
    timings = [_ingest(path, [sketch(items, settings)], settings)]
    rng = np.random.default_rng(1)
    added = len(items)
    while added < docs:
        n = min(batch, docs - added)
        timings.append(_ingest(path, [_synthetic(rng, added, n, settings)], settings))
        added += n
        if len(timings) % 4 == 0:
            print(f"{added:,} documents, last batch {n / timings[-1]:,.0f} docs/s", file=sys.stderr)
    # A day's batch into the full index, three times: what an ingestion costs at this size.
    daily = []
    for _ in range(3):
        daily.append(_ingest(path, [_synthetic(rng, added, DAILY, settings)], settings))
        added += DAILY
    return {
        "documents": added,
        "batches": len(timings),
        "batch": batch,
        "seconds": round(sum(timings), 1),
        "docs_per_s_overall": round((added - 3 * DAILY) / sum(timings)),
        "daily_batch_seconds": [round(t, 1) for t in daily],
        "daily_docs_per_s": round(DAILY / statistics.median(daily)),
    }


def _ingest(path: Path, parts: list[Sketches], settings: DedupSettings) -> float:
    start = time.perf_counter()
    with PersistentIndex(path, settings, create=True) as index:
        index.ingest(parts, cluster_sketches(parts, settings), input_name="bench")
    return time.perf_counter() - start


def _synthetic(rng: np.random.Generator, first: int, n: int, settings: DedupSettings) -> Sketches:
    """``n`` documents of random shingle hashes (a tenth flagged as holding a figure)."""
    sizes = np.clip(rng.lognormal(np.log(300), 0.6, n), 30, 3000).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    hashes = rng.integers(0, 2**63, int(offsets[-1]), dtype=np.uint64) << np.uint64(1)
    hashes |= (rng.random(len(hashes)) < 0.1).astype(np.uint64)
    batch = ShingleBatch(hashes, offsets, [None] * n, sizes * 6)
    bands, rows = optimal_param(settings.lsh_threshold, settings.num_perm)
    keys, whole = sketch_keys(minhash(batch, settings), bands, rows)
    return Sketches(
        ids=[f"synthetic/{first + k:09d}" for k in range(n)],
        dates=[None] * n,
        orders=np.arange(first, first + n, dtype=np.int64),
        keys=keys,
        whole=whole,
        sizes=sizes,
        chars=batch.chars,
        shingles=batch,
    )


def query(path: Path, indexed: list[dict], held: list[dict], queries: int, runs: int) -> dict:
    """Latency of ``find`` for one document at a time (see the module docstring)."""
    rng = random.Random(2)
    originals = rng.sample(indexed, queries // 2)
    copies = [_copy(a["text"], rng) for a in originals]
    settings = DedupSettings()
    exact = sum(
        compare(shingle_batch([a["text"], c], settings), 0, 1, settings).linked
        for a, c in zip(originals, copies, strict=True)
    )
    fresh = [a["text"] for a in held[: queries - len(copies)]]
    texts = copies + fresh
    per_run = []
    is_copy = set(copies)
    found_copies = found_fresh = 0
    with PersistentIndex(path, settings) as index:
        index.find(texts[:20])  # warm the connection and the code paths
        for _ in range(runs):
            rng.shuffle(texts)
            times, cpu = [], []
            for text in texts:
                start, start_cpu = time.perf_counter(), time.process_time()
                found = index.find([text])
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                if text in is_copy:
                    found_copies += bool(found[0])
                else:
                    found_fresh += bool(found[0])
            per_run.append(
                {
                    "median_ms": round(statistics.median(times), 3),
                    "p95_ms": round(float(np.percentile(times, 95)), 3),
                    "cpu_median_ms": round(statistics.median(cpu), 3),
                    "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 3),
                }
            )
    return {
        "queries_per_run": len(texts),
        "runs": per_run,
        **{key: round(statistics.median(r[key] for r in per_run), 3) for key in per_run[0]},
        "copies_found": f"{found_copies / runs:.0f} of {len(copies)} copies found (exact verification of each "
        f"copy with its original links {exact}); {found_fresh / runs:.0f} of {len(fresh)} held-back articles "
        "matched something",
    }


def _copy(text: str, rng: random.Random) -> str:
    """A new copy of an indexed article: re-paragraphed, or a teaser of its first half."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    if rng.random() < 0.5 and len(sentences) >= 4:
        sentences = sentences[: len(sentences) // 2]
    return "\n\n".join(" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3))


def compare_layouts(docs: int, batch: int, queries: int, runs: int) -> dict:
    """Band keys in one table keyed by (band, key) against one table per band (see the docstring)."""
    bands = optimal_param(DedupSettings().lsh_threshold, DedupSettings().num_perm)[0]
    out: dict = {}
    for layout in ("one table (band, key)", "table per band"):
        path = Path(f"/tmp/bench-layout-{os.getpid()}.sqlite")
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute(f"PRAGMA cache_size = -{CACHE_KB}")  # as the index's own connection
        per_band = layout == "table per band"
        if per_band:
            for b in range(bands):
                con.execute(
                    f"CREATE TABLE band_{b:02d} (key INTEGER, doc INTEGER, PRIMARY KEY (key, doc)) WITHOUT ROWID"
                )
            sql = " UNION ALL ".join(f"SELECT doc FROM band_{b:02d} WHERE key = ?" for b in range(bands))
        else:
            con.execute(
                "CREATE TABLE bands (band INTEGER, key INTEGER, doc INTEGER, PRIMARY KEY (band, key, doc)) "
                "WITHOUT ROWID"
            )
            values = ",".join(["(?, ?)"] * bands)
            sql = f"SELECT b.doc FROM (VALUES {values}) AS q JOIN bands b ON b.band = q.column1 AND b.key = q.column2"
        rng = np.random.default_rng(3)
        start = time.perf_counter()
        sample = None
        for first in range(0, docs, batch):
            n = min(batch, docs - first)
            keys = rng.integers(-(2**63), 2**63 - 1, (n, bands), dtype=np.int64)
            numbers = np.arange(first, first + n)
            sample = keys[:queries] if sample is None else sample
            con.execute("BEGIN")
            if per_band:
                for b in range(bands):
                    order = np.argsort(keys[:, b])
                    con.executemany(
                        f"INSERT INTO band_{b:02d} VALUES (?, ?)",
                        zip(keys[order, b].tolist(), numbers[order].tolist(), strict=True),
                    )
            else:
                band = np.repeat(np.arange(bands)[None, :], n, axis=0).ravel()
                key, doc = keys.ravel(), np.repeat(numbers, bands)
                order = np.lexsort((key, band))
                con.executemany(
                    "INSERT INTO bands VALUES (?, ?, ?)",
                    zip(band[order].tolist(), key[order].tolist(), doc[order].tolist(), strict=True),
                )
            con.execute("COMMIT")
        seconds = time.perf_counter() - start
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        probes = np.concatenate([sample[: queries // 2], rng.integers(-(2**63), 2**63 - 1, (queries // 2, bands))])
        per_run = []
        for _ in range(runs):
            times = []
            for row in probes.tolist():
                params = row if per_band else [x for b, k in enumerate(row) for x in (b, k)]
                t = time.perf_counter()
                con.execute(sql, params).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            per_run.append((statistics.median(times), float(np.percentile(times, 95))))
        con.close()
        out[layout] = {
            "documents": docs,
            "insert_docs_per_s": round(docs / seconds),
            "bytes": path.stat().st_size,
            "lookup_median_ms": round(statistics.median(m for m, _ in per_run), 3),
            "lookup_p95_ms": round(statistics.median(p for _, p in per_run), 3),
        }
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return out


def _size(path: Path) -> dict:
    with PersistentIndex(path) as index:
        stats = index.stats()
    return {
        "bytes": stats["bytes"],
        "documents": stats["documents"],
        "bytes_per_document": stats["bytes"] // stats["documents"],
    }


def _machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


def _load() -> float:
    """The machine's load average (1 minute): it is shared, and the figures depend on it."""
    return round(os.getloadavg()[0], 1)


def write_section(results: Path, figures: dict, args: argparse.Namespace) -> None:
    """Put the section between the markers, replacing an earlier one, or append it."""
    lines = [BEGIN, "", "## Persistent index: query latency at a million documents", ""]
    lines += ["Written by `bench/index_query.py` (how the index is built and what a query is: its docstring).", ""]
    machine = figures["machine"]
    lines += [
        f"Machine: {machine['cpus']} cores shared with other work (its load average is given with each "
        f"measurement), Python {machine['python']}, SQLite {machine['sqlite']}; the index file fits in memory, "
        "so the figures are with a warm page cache.",
        "",
        "```",
        f"python bench/index_query.py --index /tmp/index-1m.sqlite --docs {args.docs} --batch {args.batch} "
        f"--queries {args.queries} --runs {args.runs} --json /tmp/index-1m.json",
        f"python bench/index_query.py --layouts {args.docs} --batch {args.batch} --reuse --json /tmp/index-1m.json "
        "--results bench/RESULTS.md",
        "```",
        "",
    ]
    if figures.get("build"):
        b = figures["build"]
        lines += [
            "| index | value |",
            "|---|---|",
            f"| documents | {b['documents']:,} ({HELD_BACK:,} real articles held back for queries) |",
            f"| build | {b['seconds']:,.0f} s in {b['batches']} ingestions of up to {b['batch']:,} documents "
            f"({b['docs_per_s_overall']:,} docs/s; load average {b['load_average_at_start']}) |",
            f"| insert rate at that size | {b['daily_docs_per_s']:,} docs/s: a batch of {DAILY:,} new documents took "
            f"{', '.join(f'{t:.1f}' for t in b['daily_batch_seconds'])} s (lookups, signatures, rows, band keys, "
            "commit) |",
        ]
    if "size" in figures:
        s = figures["size"]
        lines += [f"| file size | {s['bytes'] / 1e9:.2f} GB ({s['bytes_per_document']:,} bytes per document) |"]
    if "queries" in figures:
        q = figures["queries"]
        runs = ", ".join(f"{r['median_ms']:.2f}/{r['p95_ms']:.2f}" for r in q["runs"])
        lines += [
            f"| query: median / p95 | **{q['median_ms']:.2f} ms / {q['p95_ms']:.2f} ms** (median of "
            f"{len(q['runs'])} runs of {q['queries_per_run']} queries; per run {runs}; load average "
            f"{q['load_average_at_start']}) |",
            f"| query CPU time: median / p95 | {q['cpu_median_ms']:.2f} ms / {q['cpu_p95_ms']:.2f} ms (the process's "
            "own time, which other work on the machine does not stretch) |",
            f"| copies found | {q['copies_found']} |",
            "",
        ]
    if "layouts" in figures:
        layouts = figures["layouts"]
        size = next(f["documents"] for f in layouts.values() if isinstance(f, dict))
        lines += [
            f"Band tables, {size:,} documents of random keys (64 bands), load average "
            f"{layouts['load_average_at_start']}; the index uses a table per band:",
            "",
            "| layout | insert | file size | lookup of 64 keys: median / p95 |",
            "|---|---|---|---|",
        ]
        for name, f in figures["layouts"].items():
            if not isinstance(f, dict):
                continue
            lines.append(
                f"| {name} | {f['insert_docs_per_s']:,} docs/s | {f['bytes'] / 1e9:.2f} GB | "
                f"{f['lookup_median_ms']:.3f} ms / {f['lookup_p95_ms']:.3f} ms |"
            )
        lines.append("")
    lines.append(END)
    section = "\n".join(lines)
    text = results.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
