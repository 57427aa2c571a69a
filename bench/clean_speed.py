"""Cleaning throughput of one process on the development benchmark's raw files.

    python bench/clean_speed.py [--repeat 5] [--rounds 5]

Decodes the 403 files of ../shared/devbench/raw once, then times `Cleaner.clean` over them
(`--repeat` copies per round) and prints the median of `--rounds` rounds in documents and MB per
second. Reading, clustering and writing are not included: this is the per-document step alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from cleaner.clean.article import cleaner_for
from cleaner.config import load_config
from cleaner.io.decode import decode_bytes

RAW = Path(__file__).resolve().parent.parent.parent / "shared" / "devbench" / "raw"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not RAW.is_dir():
        print(f"{RAW} not found: this benchmark needs ../shared beside the checkout", file=sys.stderr)
        return 2
    texts = [decode_bytes(p.read_bytes(), str(p)).text for p in sorted(RAW.glob("*.txt"))] * args.repeat
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    cleaner = cleaner_for(load_config())
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for i, text in enumerate(texts):
            cleaner.clean(text, doc_id=str(i))
        rates.append(time.perf_counter() - start)
    median = statistics.median(rates)
    print(
        f"{len(texts)} docs ({megabytes:.1f} MB, {megabytes * 1e6 / len(texts):.0f} B/doc): "
        f"median {len(texts) / median:,.0f} docs/s, {megabytes / median:.1f} MB/s over {args.rounds} rounds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
