"""Pairwise clustering quality against a corpus's truth.json, shared by the baseline and the harness.

Pairwise precision, recall and F1 count pairs of documents: a pair is predicted when both are in
one predicted cluster and true when both come from one story. Counting pairs (not clusters)
weighs a wrong merge of two big clusters as heavily as it hurts a reader of the corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def load_truth(corpus_dir: Path) -> dict[str, str]:
    """Document id -> story id, as written by make_corpus.py."""
    return json.loads((corpus_dir / "truth.json").read_text(encoding="utf-8"))["cluster"]


def read_clusters(corpus_jsonl: Path) -> dict[str, str]:
    """Document id -> cluster, from cleaner's corpus.jsonl."""
    out = {}
    with corpus_jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            out[record["id"]] = record["cluster"]
    return out


def _pairs(sizes: Counter) -> int:
    return sum(k * (k - 1) // 2 for k in sizes.values())


def pairwise_f1(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float | int]:
    """Pairwise P/R/F1; a document the prediction lacks counts as a singleton (a missed pair)."""
    unknown = set(predicted) - set(truth)
    if unknown:
        raise ValueError(f"{len(unknown)} predicted ids are not in the truth, e.g. {sorted(unknown)[:3]}")
    pred = {doc: predicted.get(doc, ("missing", doc)) for doc in truth}
    true_pairs = _pairs(Counter(truth.values()))
    pred_pairs = _pairs(Counter(pred.values()))
    hits = _pairs(Counter((pred[doc], story) for doc, story in truth.items()))
    precision = hits / pred_pairs if pred_pairs else 1.0
    recall = hits / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "missing_docs": len(truth) - len(set(truth) & set(predicted)),
    }
