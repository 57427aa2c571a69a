"""The screen before exact verification drops only pairs no link rule could join."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import beta

from cleaner.dedup import DedupItem, DedupSettings, cluster_sketches, sketch
from cleaner.dedup.index import drop_unlinkable, screen_data
from cleaner.dedup.lsh import pairs_from_keys
from cleaner.dedup.screen import SCREEN_ERROR, jaccard_bound, least_jaccard


def _articles(shared: Path, n: int) -> list[str]:
    texts = []
    with (shared / "corpus" / "de_articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            if len(text.split()) > 150:
                texts.append(text)
            if len(texts) == n:
                break
    return texts


def _corpus(shared: Path) -> list[DedupItem]:
    """Real articles with copies that must link (teasers, extended and edited copies) and pairs
    that must not (articles that share one sentence)."""
    rng = random.Random(7)
    texts = _articles(shared, 160)
    docs = list(texts[:100])
    for text in texts[:40]:
        words = text.split()
        docs.append(" ".join(words[: len(words) // 5]))  # teaser
        docs.append("Ein Vorspann der Lokalredaktion. " + text + " Ein Nachsatz.")  # extended
        cut = rng.randrange(len(words) // 3, 2 * len(words) // 3)
        docs.append(" ".join(words[:cut] + words[cut + 25 :]))  # edited: a passage dropped
    for k, text in enumerate(texts[100:160]):
        quote = texts[k % 40].split(". ")[1]
        docs.append(text + " " + quote + ".")  # shares one sentence with an article above
    return [DedupItem(f"d{k:04d}", t, None, k) for k, t in enumerate(docs)]


def test_screen_changes_no_cluster_and_drops_only_unlinkable_pairs(shared, tmp_path: Path) -> None:
    settings = DedupSettings()
    items = _corpus(shared)
    parts = [sketch(items[k : k + 50], settings, spill=tmp_path / f"s{k}.u64") for k in range(0, len(items), 50)]
    pairs = pairs_from_keys([p.keys for p in parts], np.concatenate([p.whole for p in parts]))
    left, dropped = drop_unlinkable(pairs, screen_data(parts), settings)
    assert dropped.compared == len(pairs) - len(left) > 0

    with_screen = cluster_sketches(parts, settings)
    without = cluster_sketches([dataclasses.replace(p, screen=None, short=None) for p in parts], settings)
    assert [(c.canonical, [m.id for m in c.members]) for c in with_screen.clusters] == [
        (c.canonical, [m.id for m in c.members]) for c in without.clusters
    ]
    assert with_screen.stats["candidate_pairs"] == without.stats["candidate_pairs"] == len(pairs)
    # The families (article, teaser, extended, edited copy) are clustered; no dropped pair is in one.
    assert len(with_screen.clusters) >= 40
    ids = [item.id for item in items]
    dropped_pairs = {tuple(p) for p in pairs.tolist()} - {tuple(p) for p in left.tolist()}
    together = {frozenset((m.id, c.canonical)) for c in with_screen.clusters for m in c.members}
    assert not any(frozenset((ids[a], ids[b])) in together for a, b in dropped_pairs)


def test_bound_and_needs() -> None:
    bound = jaccard_bound(128)
    assert np.all(np.diff(bound) > 0) and bound[-1] == 1.0
    # Seeing none of 128 values agree, a Jaccard above about 0.1 is implausible.
    assert 0.05 < bound[0] < 0.15
    settings = DedupSettings()
    small, large = np.array([300.0, 60.0, 20.0]), np.array([320.0, 400.0, 25.0])
    need = least_jaccard(small, large, settings)
    # Two full articles must share 40 % of the smaller to link by overlap: a Jaccard of 0.24;
    # a teaser a seventh as long needs far less; two short texts only the Jaccard threshold.
    assert abs(need[0] - 120 / 500) < 1e-9
    assert need[1] < 0.12
    assert need[2] == settings.threshold


@pytest.mark.parametrize("values", [1, 16, 128, 256])
def test_bound_is_the_clopper_pearson_bound(values: int) -> None:
    """The bound computed in numpy is SciPy's beta quantile, to far below any size that matters."""
    agree = np.arange(values + 1)
    expected = beta.ppf(1 - SCREEN_ERROR, agree + 1, np.maximum(values - agree, 1))
    expected[-1] = 1.0
    np.testing.assert_allclose(jaccard_bound(values), expected, rtol=1e-9, atol=0)
