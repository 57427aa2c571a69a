"""Decisions round-trip: decide in review.toml, rerun, and the clusters change as decided.

Needs `cleaner run` to load the decisions ([review] decisions, next to the config) and pass them
to clustering, and to record in the manifest which clusters they touched.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from cleaner import run
from cleaner.report import load, write_reports
from cleaner.review import Decision, append_decision
from cleaner.review.session import Review

ROOT = Path(__file__).resolve().parent.parent
WATER = "wire/severnside-water-fine-update"
GUARDIAN = "guardian/severnside-water-fined"
TRAIN = "mainbote/zugunglueck-bad-sellheim"


def clusters_of(out: Path) -> dict[str, list[str]]:
    lines = (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    return {c["cluster"]: sorted(m["id"] for m in c["members"]) for c in map(json.loads, lines)}


def record(out: Path, doc_id: str) -> dict:
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return next(r for r in map(json.loads, lines) if r["id"] == doc_id)


def test_decisions_change_the_next_run(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    decisions = tmp_path / "review.toml"
    out = tmp_path / "clean"
    run(ROOT / "raw", out, config)
    before = clusters_of(out)
    assert GUARDIAN in before[WATER]

    # A review session splits the Guardian's edited copy off the water-fine cluster.
    answers = iter(["s 1", "q"])
    Review(load(out), decisions, console=Console(file=io.StringIO()), ask=lambda _: next(answers)).run()
    run(ROOT / "raw", out, config)
    after = clusters_of(out)
    assert GUARDIAN not in after[WATER] and len(after[WATER]) == 2
    assert record(out, GUARDIAN)["cluster"] == GUARDIAN and record(out, GUARDIAN)["duplicate_of"] is None
    assert after[TRAIN] == before[TRAIN]

    # Merging the two stories' canonicals brings both clusters together.
    append_decision(decisions, Decision((WATER, TRAIN), "merge", "2024-05-02T09:00:00Z"))
    run(ROOT / "raw", out, config)
    merged = clusters_of(out)
    assert len(merged) == 1
    [(cluster, members)] = merged.items()
    assert set(members) == set(before[TRAIN]) | set(after[WATER])

    # The manifest and the report say which cluster the decisions touched.
    review = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]["review"]
    assert review["file"] == "review.toml" and review["decisions"] == 2 and review["unknown_ids"] == []
    assert {d["decision"] for d in review["touched"][cluster]} == {"split", "merge"}
    write_reports(out)
    assert "✎" in (out / "report.md").read_text(encoding="utf-8")
