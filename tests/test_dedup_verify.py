"""Verification: exact similarities, symmetry, the linking rules and the template rule."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.dedup import DedupSettings
from cleaner.dedup.shingles import ShingleBatch, shingle_batch
from cleaner.dedup.verify import compare


def batch(sets: list[list[int]]) -> ShingleBatch:
    arrays = [np.array(s, np.uint64) for s in sets]
    return ShingleBatch(
        hashes=np.concatenate(arrays),
        offsets=np.concatenate([[0], np.cumsum([len(a) for a in arrays])]).astype(np.int64),
        sequences=[None] * len(sets),
        chars=np.zeros(len(sets), np.int64),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 60), unique=True, max_size=50), st.lists(st.integers(0, 60), unique=True, max_size=50))
def test_similarities_are_exact_and_symmetric(x: list[int], y: list[int]) -> None:
    values = [v * 2 + 3 for v in x], [v * 2 + 3 for v in y]  # odd: every shingle "holds a digit"
    b = batch(list(values))
    s = DedupSettings(short_shingles=5, min_shared=3, min_passage=2)
    forward, backward = compare(b, 0, 1, s), compare(b, 1, 0, s)
    assert forward == backward
    if x and y:
        shared = len(set(x) & set(y))
        assert forward.jaccard == shared / len(set(x) | set(y))
        assert forward.containment == shared / min(len(x), len(y))
    else:
        assert forward.jaccard == forward.containment == 0.0 and not forward.linked


def test_overlap_counts_only_shared_passages() -> None:
    rng = random.Random(1)
    base = [rng.getrandbits(62) * 2 for _ in range(100)]
    fresh = iter(rng.getrandbits(62) * 2 for _ in range(1000))
    # Same 60 shingles shared either as one passage or as fragments of 5 between new slots.
    passage = base[:60] + [next(fresh) for _ in range(40)]
    fragments = [v if (k // 5) % 2 == 0 else next(fresh) for k, v in enumerate(base[:100])]
    fragments += [base[k] for k in range(100) if (k // 5) % 2 == 1][:10]
    s = DedupSettings()
    assert compare(batch([base, passage]), 0, 1, s).by == "overlap"
    fragmented = compare(batch([base, fragments]), 0, 1, s)
    assert fragmented.containment >= s.overlap_threshold and not fragmented.linked


TEMPLATE = (
    "Exports rose {a} percent in March compared with the same month a year earlier, the statistics "
    "office said on Friday. Economists polled before the release had expected a smaller increase, "
    "citing weak demand from the largest trading partners and the strong currency."
)


def test_figure_only_differences_mark_a_template_and_words_do_not() -> None:
    texts = [TEMPLATE.format(a=a) for a in ("3.1", "2.4", "three")] + [TEMPLATE.format(a="3.1") + " Next release: May."]
    b = shingle_batch(texts, DedupSettings())
    s = DedupSettings()
    figures = compare(b, 0, 1, s)
    assert figures.jaccard >= s.threshold and figures.template and not figures.linked
    assert compare(b, 0, 1, DedupSettings(templates_apart=False)).linked
    assert not compare(b, 0, 2, s).template  # a number word is a word: an edit, not a template
    assert compare(b, 0, 3, s).linked  # the same figures plus a line: an update
