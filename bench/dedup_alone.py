"""cleaner's dedup stages alone, in one process, on a run's cleaned bodies: the conditions of the
datasketch baseline (bench/baseline_datasketch.py), so the two compare like for like.

    python bench/dedup_alone.py OUT/corpus.jsonl [--truth CORPUS_DIR]

In a whole run, sketching happens in the worker processes while the other worker and the main
process use the same two cores, and its CPU seconds grow with that sharing; the baseline runs
alone afterwards. Here the same `text` fields the baseline reads are sketched in chunks of the
run's size (`[engine] chunk_docs`, shingle sets spilled to a temporary folder as a run spills
them) and clustered with exact verification in this process, by the functions the run calls.

Prints one JSON object: CPU seconds of sketching, of the cluster step and of both
(`dedup_cpu_seconds`, reading the JSONL excluded, as for the baseline), the cluster step's
stage seconds, and whether the clusters equal those of the run's corpus.jsonl (as partitions of
the documents); pairwise P/R/F1 when --truth is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from scoring import load_truth, pairwise_f1

from cleaner.config import load_config
from cleaner.dedup import DedupItem, DedupSettings, cluster_sketches, sketch


def partition(cluster_of: dict[str, str]) -> set[frozenset[str]]:
    """The clusters of more than one document, as sets of ids."""
    groups: dict[str, set[str]] = {}
    for doc, cluster in cluster_of.items():
        groups.setdefault(cluster, set()).add(doc)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="cleaner's OUT/corpus.jsonl")
    ap.add_argument("--truth", type=Path, help="corpus folder with truth.json, for pairwise F1")
    args = ap.parse_args()

    config = load_config()
    settings = DedupSettings.from_config(config.section("dedup"))
    chunk = config.section("engine")["chunk_docs"]
    items, run_clusters = [], {}
    with args.corpus.open(encoding="utf-8") as handle:
        for order, line in enumerate(handle):
            record = json.loads(line)
            items.append(DedupItem(record["id"], record["text"], record["date"], order))
            run_clusters[record["id"]] = record["cluster"]

    with tempfile.TemporaryDirectory(prefix="dedup-alone-") as work:
        clock = time.process_time()
        parts = [
            sketch(items[k : k + chunk], settings, spill=Path(work) / f"shingles-{k}.u64")
            for k in range(0, len(items), chunk)
        ]
        sketch_cpu = time.process_time() - clock
        clock = time.process_time()
        result = cluster_sketches(parts, settings)
        cluster_cpu = time.process_time() - clock

    ours = {item.id: item.id for item in items}
    for cluster in result.clusters:
        for member in cluster.members:
            ours[member.id] = cluster.cluster
    out = {
        "documents": len(items),
        "sketch_cpu_seconds": round(sketch_cpu, 3),
        "cluster_cpu_seconds": round(cluster_cpu, 3),
        "dedup_cpu_seconds": round(sketch_cpu + cluster_cpu, 3),
        "stages": {k: round(v, 3) for k, v in result.stats.items() if k.startswith("seconds_")},
        "same_clusters_as_run": partition(ours) == partition(run_clusters),
    }
    if args.truth:
        out["pairwise"] = pairwise_f1(load_truth(args.truth), ours)
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
