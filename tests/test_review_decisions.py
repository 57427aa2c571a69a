"""review.toml: written by hand or by `cleaner review`, read back exactly, errors named by key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cleaner.config import load_config
from cleaner.dedup.model import Cluster, Member
from cleaner.errors import ConfigError
from cleaner.review import (
    Decision,
    Decisions,
    append_decision,
    decisions_path,
    load_decisions,
    review_summary,
    save_decisions,
)


def test_missing_file_means_no_decisions(tmp_path: Path) -> None:
    assert load_decisions(tmp_path / "review.toml") == Decisions()


def test_appended_decisions_read_back_with_their_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    made = [
        Decision(("wire/a", "blog/b"), "distinct", "2024-05-02T09:14:03Z"),
        Decision(("x", "canon"), "split", "2024-05-02T09:15:00Z", note='a "quoted" note – ünïcode'),
        Decision(("c1", "c2"), "merge", "2024-05-02T09:16:00Z"),
        Decision(("canon", "y"), "keep", "2024-05-02T09:17:00Z"),
    ]
    for d in made:
        append_decision(path, d)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Review decisions") and text.count("\n[[decision]]\n") == 4
    assert tomllib.loads(text)["decision"][0]["at"].isoformat() == "2024-05-02T09:14:03+00:00"
    got = load_decisions(path)
    assert [(r.ids, r.decision, r.note) for r in got.records] == [(d.ids, d.decision, d.note) for d in made]
    assert got.records[0].at == "2024-05-02T09:14:03+00:00"
    assert got.distinct == {("blog/b", "wire/a"), ("canon", "x")}, "split applies as distinct; pairs sorted"
    assert got.merged == {("c1", "c2")} and got.kept == {("canon", "y")}


def test_latest_decision_about_a_pair_wins(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    save_decisions(
        path,
        [
            Decision(("a", "b"), "distinct", "2024-01-01T00:00:00Z"),
            Decision(("b", "a"), "merge", "2024-01-02T00:00:00Z"),
            Decision(("c", "d"), "merge", "2024-01-03T00:00:00Z"),
            Decision(("d", "c"), "split", "2024-01-04T00:00:00Z"),
        ],
    )
    got = load_decisions(path)
    assert got.merged == {("a", "b")} and got.distinct == {("c", "d")}
    assert [r.at for r in got.in_effect] == ["2024-01-02T00:00:00+00:00", "2024-01-04T00:00:00+00:00"]
    assert len(got.records) == 4


def test_hand_written_entries_need_no_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    path.write_text(
        '[[decision]]\nids = ["a", "b"]\ndecision = "distinct"\n\n'
        '[[decision]]\nids = ["c", "d"]\ndecision = "merge"\nat = "yesterday"\n',
        encoding="utf-8",
    )
    got = load_decisions(path)
    assert got.distinct == {("a", "b")} and got.merged == {("c", "d")}
    assert [r.at for r in got.records] == ["", "yesterday"]
    append_decision(path, Decision(("e", "f"), "keep", "2024-01-01T00:00:00Z"))
    assert len(load_decisions(path).records) == 3, "appending keeps the hand-written entries"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[decision]]\nids = ["a"]\ndecision = "distinct"\n', "decision[0].ids"),
        ('[[decision]]\nids = ["a", "a"]\ndecision = "distinct"\n', "decision[0].ids"),
        (
            '[[decision]]\nids = ["a", "b"]\ndecision = "distinct"\n'
            '[[decision]]\nids = ["a", "b"]\ndecision = "maybe"\n',
            "decision[1].decision",
        ),
        ('[[decision]]\nids = ["a", "b"]\ndecision = "merge"\nwhen = 1\n', "decision[0].when"),
        ('[[decision]]\nids = ["a", "b"]\ndecision = "merge"\nat = 5\n', "decision[0].at"),
        ("decisions = []\n", "decisions"),
        ("decision = 3\n", "decision"),
        ("[[decision]\n", "review"),
    ],
)
def test_a_bad_file_names_the_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "review.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_decisions(path)
    assert info.value.key == key and str(path) in str(info.value)


def test_decisions_live_next_to_the_config(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "my.toml"
    config.parent.mkdir()
    config.write_text("", encoding="utf-8")
    assert decisions_path(load_config(config)) == tmp_path / "conf" / "review.toml"
    assert decisions_path(load_config(None)) == Path("review.toml"), "built-in defaults: the working folder"
    elsewhere = load_config({"review": {"decisions": str(tmp_path / "shared.toml")}})
    assert decisions_path(elsewhere) == tmp_path / "shared.toml"
    # A symlinked config keeps its decisions beside the link, not beside its target.
    link = tmp_path / "config.toml"
    link.symlink_to(config)
    assert decisions_path(load_config(link)) == tmp_path / "review.toml"


def test_review_summary_names_touched_clusters_and_unknown_ids() -> None:
    decisions = Decisions.from_records(
        [
            Decision(("m1", "c1"), "split", "t1"),
            Decision(("c1", "c2"), "merge", "t2"),
            Decision(("gone", "c2"), "distinct", "t3"),
        ]
    )
    clusters = [
        Cluster("c1", "c1", [Member("c1", 1.0, 1.0, None), Member("c2", 0.2, 0.3, "near-duplicate")]),
    ]
    summary = review_summary(decisions, Path("/somewhere/review.toml"), clusters, {"m1", "c1", "c2"})
    assert summary == {
        "file": "review.toml",
        "decisions": 3,
        "touched": {
            "c1": [
                {"decision": "split", "ids": ["m1", "c1"]},
                {"decision": "merge", "ids": ["c1", "c2"]},
                {"decision": "distinct", "ids": ["gone", "c2"]},
            ]
        },
        "unknown_ids": ["gone"],
    }
