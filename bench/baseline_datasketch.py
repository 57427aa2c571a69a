"""Plain datasketch near-duplicate clustering, as its documentation shows it, on cleaner's bodies.

    python bench/baseline_datasketch.py OUT/corpus.jsonl [--truth CORPUS_DIR] [--clusters FILE]

The yardstick for cleaner's dedup stages: what a user gets from the library in a few lines.
Reads the `text` field of cleaner's corpus.jsonl (the same cleaned bodies cleaner signs), then
per document `MinHash(num_perm=128)` with `update_batch` over its word 5-grams (lower-cased
`\\w+` words joined by a space, utf-8), `MinHashLSH(threshold=0.7, num_perm=128)` insert of all
and query of each, and union-find over the query results. Threshold and shingles are those the
peers were measured with here (../shared/peers). No exact verification, as in the documented
usage. Empty bodies are not inserted: their MinHashes would all collide into one cluster.

Prints one JSON object: seconds per stage, `dedup_seconds` (everything but reading the JSONL
and writing clusters, the part comparable to cleaner's dedup stages), `dedup_cpu_seconds` (the
same stages in CPU seconds of this one-threaded process, which other work on the machine does
not inflate as it does wall time), peak RSS, and pairwise P/R/F1 when --truth is given.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import datasketch
from datasketch import MinHash, MinHashLSH
from scoring import load_truth, pairwise_f1

WORD = re.compile(r"\w+")
DEDUP_STAGES = ("shingle", "minhash", "lsh_insert", "lsh_query", "union_find")


def shingles(text: str, n: int) -> set[str]:
    """Word n-grams of the lower-cased text; a text shorter than n words is one shingle."""
    words = WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving; the smallest index is kept as the root."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def run(corpus: Path, threshold: float, num_perm: int, ngram: int) -> tuple[list[str], list[int], dict]:
    """Cluster the bodies; return ids, the root index of each document and the stage timings."""
    seconds: dict[str, float] = dict.fromkeys(("read", *DEDUP_STAGES), 0.0)
    cpu_start = time.process_time()
    start = time.perf_counter()
    ids, texts = [], []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    seconds["read"] = time.perf_counter() - start
    cpu_dedup = time.process_time()
    cpu_read = cpu_dedup - cpu_start

    minhashes: list[MinHash | None] = []
    for text in texts:
        t0 = time.perf_counter()
        grams = shingles(text, ngram)
        t1 = time.perf_counter()
        if grams:
            m = MinHash(num_perm=num_perm)
            m.update_batch([g.encode("utf-8") for g in grams])
            minhashes.append(m)
        else:
            minhashes.append(None)
        seconds["shingle"] += t1 - t0
        seconds["minhash"] += time.perf_counter() - t1
    del texts

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, m in enumerate(minhashes):
        if m is not None:
            lsh.insert(i, m)
    seconds["lsh_insert"] = time.perf_counter() - start

    start = time.perf_counter()
    uf = UnionFind(len(ids))
    candidates = 0
    for i, m in enumerate(minhashes):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i:
                candidates += 1
                uf.union(i, j)
    seconds["lsh_query"] = time.perf_counter() - start

    start = time.perf_counter()
    roots = [uf.find(i) for i in range(len(ids))]
    seconds["union_find"] = time.perf_counter() - start
    cpu = {"read": cpu_read, "dedup": time.process_time() - cpu_dedup}
    info = {"seconds": seconds, "cpu_seconds": cpu, "candidates": candidates, "bands": lsh.b, "rows": lsh.r}
    return ids, roots, info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="cleaner's OUT/corpus.jsonl")
    ap.add_argument("--truth", type=Path, help="corpus folder with truth.json, for pairwise F1")
    ap.add_argument("--clusters", type=Path, help="write {id, cluster} lines here")
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    args = ap.parse_args()

    start = time.perf_counter()
    ids, roots, info = run(args.corpus, args.threshold, args.num_perm, args.ngram)
    cluster = {doc: ids[root] for doc, root in zip(ids, roots, strict=True)}
    if args.clusters:
        t0 = time.perf_counter()
        with args.clusters.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps({"id": d, "cluster": c}) + "\n" for d, c in cluster.items())
        info["seconds"]["write"] = time.perf_counter() - t0
    info["seconds"] = {k: round(v, 3) for k, v in info["seconds"].items()}
    result = {
        "tool": f"datasketch {datasketch.__version__}",
        "settings": {"threshold": args.threshold, "num_perm": args.num_perm, "ngram": args.ngram},
        "documents": len(ids),
        "clusters": sum(1 for size in Counter(roots).values() if size > 1),
        "duplicates": len(ids) - len(set(roots)),
        **info,
        "dedup_seconds": round(sum(info["seconds"][k] for k in DEDUP_STAGES), 3),
        "dedup_cpu_seconds": round(info.pop("cpu_seconds")["dedup"], 3),
        "seconds_total": round(time.perf_counter() - start, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.truth:
        result["pairwise"] = pairwise_f1(load_truth(args.truth), cluster)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
