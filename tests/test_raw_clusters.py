"""The sample corpus in raw/: its story families cluster, its hard negatives stay apart."""

from __future__ import annotations

import json
from pathlib import Path

CLEAN = Path(__file__).resolve().parent.parent / "clean"


def _records() -> dict[str, dict]:
    lines = (CLEAN / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_story_families_are_clusters_with_every_relation():
    records = _records()
    derailment = {
        "zeit/gueterzug-entgleist-bad-sellheim",
        "tagesschau/zugunglueck-unterfranken",
        "spiegel/gueterzug-unterfranken-teaser",
        "mainbote/zugunglueck-bad-sellheim",
        "dpa-20220312-0758-gueterzug",
    }
    fine = {"wire/severnside-water-fine", "wire/severnside-water-fine-update", "guardian/severnside-water-fined"}
    for family in (derailment, fine):
        assert len({records[i]["cluster"] for i in family}) == 1
        canonical = records[next(iter(family))]["cluster"]
        assert {i for i, r in records.items() if r["cluster"] == canonical} == family
        assert all(records[i]["duplicate_of"] == (None if i == canonical else canonical) for i in family)
    assert records["spiegel/gueterzug-unterfranken-teaser"]["relation"] == "contained-in"
    assert records["guardian/severnside-water-fined"]["relation"] == "near-duplicate"
    clusters = [json.loads(line) for line in (CLEAN / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(len(c["members"]) for c in clusters) == [3, 5]
    dedup = (CLEAN / "corpus.dedup.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(dedup) == len(records) - 6


def test_hard_negatives_stay_apart():
    records = _records()
    pairs = [
        ("tagesschau/windkraft-abstandsregel-landtag", "tagesschau/windpark-klage-hoher-kamm"),
        ("tagesschau/inflation-februar", "zeit/bauzinsen-steigen"),
        ("bbc/coastal-flood-defences", "guardian/seabrook-pier-closure"),
    ]
    for a, b in pairs:
        assert records[a]["cluster"] != records[b]["cluster"]
