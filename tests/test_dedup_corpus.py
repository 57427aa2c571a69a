"""Clustering on the real texts in /work/shared (read at test time, never copied; skipped without it)."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from cleaner.dedup import DedupItem, DedupSettings, deduplicate, signatures

SHARED = Path("/work/shared")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared evaluation data lives outside the repository)")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def reuters_body(record: dict) -> str:
    """The body a cleaner keeps of a Reuters-21578 record: no headline line, no "Reuter" sign-off."""
    return "\n".join(record["text"].split("\n")[1:]).strip().removesuffix("Reuter").strip()


def test_devbench_truth_bodies_cluster_into_their_stories() -> None:
    truth = read_jsonl(SHARED / "devbench" / "truth.jsonl")
    hard = read_jsonl(SHARED / "devbench" / "truth_hard_negatives.jsonl")
    result = deduplicate([DedupItem(t["id"], "\n\n".join(t["body"]), t.get("date")) for t in truth])
    story = {t["id"]: t["story"] for t in truth}
    cluster = {i: result.assignment[i][0] for i in story}
    pairs = Counter((story[i], cluster[i]) for i in story)
    same = sum(n * (n - 1) // 2 for n in pairs.values())
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(story.values()).values())
    predicted = sum(n * (n - 1) // 2 for n in Counter(cluster.values()).values())
    precision, recall = same / predicted, same / true_pairs
    assert 2 * precision * recall / (precision + recall) >= 0.95
    members = defaultdict(list)
    for i, s in story.items():
        members[s].append(i)
    for negative in hard:
        a, b = negative["stories"]
        assert not any(cluster[x] == cluster[y] for x in members[a] for y in members[b]), negative


def test_reuters_reissues_cluster_and_fed_template_items_do_not() -> None:
    records = read_jsonl(SHARED / "corpus" / "reuters21578.jsonl")
    fed = [r for r in records if r["text"].startswith("FED ADDS RESERVES")]
    chosen = {r["id"]: r for r in [*records[:400], *fed]}
    chosen.update({r["id"]: r for r in records if r["id"] in ("12709", "12720")})
    result = deduplicate([DedupItem(i, reuters_body(r)) for i, r in chosen.items()])
    assert result.assignment["12709"][0] == result.assignment["12720"][0]
    assert len(fed) >= 10
    for x, y in itertools.combinations(fed, 2):
        bx, by = reuters_body(x), reuters_body(y)
        if bx != by and re.sub(r"\d", "0", bx) == re.sub(r"\d", "0", by):
            assert result.assignment[x["id"]][0] != result.assignment[y["id"]][0], (x["id"], y["id"])


def test_signatures_of_german_articles_equal_datasketch() -> None:
    from test_dedup_signatures import reference_shingles, shingle_hash

    texts = [r["text"] for r in read_jsonl(SHARED / "corpus" / "de_articles.jsonl")[:25]]
    s = DedupSettings()
    ours = signatures(texts, s)
    for text, row in zip(texts, ours, strict=True):
        shingles, chars = reference_shingles(text, s)
        theirs = MinHash(num_perm=s.num_perm, seed=s.seed, hashfunc=lambda sh, c=chars: shingle_hash(sh, c) >> 32)
        theirs.update_batch(shingles)
        assert np.array_equal(row, theirs.hashvalues)
