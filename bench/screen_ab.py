"""The screen before exact verification, A/B on one corpus: same clusters, fewer pairs verified.

    python bench/screen_ab.py CORPUS_JSONL [--limit N]

CORPUS_JSONL is a `corpus.jsonl` written by `cleaner run` (its cleaned bodies are sketched in
batches of 250, spilled as a run spills them). The clusters are computed twice from the same
sketches, with the screen and with it switched off, in this process; prints the candidate pairs,
how many the screen dropped, the CPU seconds of each and whether clusters and members agree.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from cleaner.dedup import DedupItem, DedupSettings, cluster_sketches, sketch
from cleaner.dedup.index import drop_unlinkable, screen_data
from cleaner.dedup.lsh import pairs_from_keys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="first N records only (0: all)")
    args = ap.parse_args()
    items = []
    with args.corpus.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if args.limit and n >= args.limit:
                break
            record = json.loads(line)
            items.append(DedupItem(record["id"], record["text"], record["date"], n))
    settings = DedupSettings()
    with tempfile.TemporaryDirectory() as work:
        parts = [
            sketch(items[k : k + 250], settings, spill=Path(work) / f"s{k}.u64") for k in range(0, len(items), 250)
        ]
        sizes = np.concatenate([p.sizes for p in parts])
        whole = np.concatenate([p.whole for p in parts])
        pairs = pairs_from_keys([p.keys for p in parts], whole, np.flatnonzero(sizes > 0))
        left, _ = drop_unlinkable(pairs, screen_data(parts), settings)
        results = {}
        for name, batch in (("screen", parts), ("exact", [dataclasses.replace(p, screen=None) for p in parts])):
            clock = time.process_time()
            result = cluster_sketches(batch, settings)
            results[name] = (time.process_time() - clock, result)
    listed = {name: [(c.canonical, [m.id for m in c.members]) for c in r.clusters] for name, (_, r) in results.items()}
    print(f"{len(items)} documents, {len(pairs)} candidate pairs, {len(pairs) - len(left)} dropped by the screen")
    print(f"CPU seconds of clustering: screen {results['screen'][0]:.2f}, exact {results['exact'][0]:.2f}")
    print(f"clusters {len(listed['screen'])}, same clusters and members: {listed['screen'] == listed['exact']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
