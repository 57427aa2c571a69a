"""`cleaner review`: the walk driven by a list of answers, and the command around it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cleaner import run
from cleaner.cli import app
from cleaner.report import load
from cleaner.report.data import DocView
from cleaner.review import Decision, append_decision, load_decisions
from cleaner.review.session import Review
from cleaner.review.terminal import ONLY, SAME, marked_texts

ROOT = Path(__file__).resolve().parent.parent
WATER = "wire/severnside-water-fine-update"  # canonical of the least certain cluster (0.82)
GUARDIAN = "guardian/severnside-water-fined"  # its edited copy, member 1
TRAIN = "mainbote/zugunglueck-bad-sellheim"  # canonical of the other cluster


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("review")
    run(ROOT / "raw", base / "clean", {})
    return base / "clean"


def answers(*given: str):
    """An ``ask`` that returns the answers in turn, then ends input like Ctrl-D."""
    queue: Iterator[str] = iter(given)

    def ask(prompt: str) -> str:
        try:
            return next(queue)
        except StopIteration:
            raise EOFError from None

    return ask


def walk(out: Path, path: Path, *given: str) -> tuple[list[Decision], str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, color_system=None)
    made = Review(load(out), path, console, answers(*given), clock=lambda: "2024-05-02T09:00:00Z").run()
    return made, buffer.getvalue()


def test_walk_starts_least_certain_and_records_decisions(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    made, shown = walk(out, path, "?", "v 2", "s 1", "n", "d 1 2", "q")
    assert shown.index(f"cluster 1 of 2: {WATER}") < shown.index(f"cluster 2 of 2: {TRAIN}")
    assert "split member N off the cluster" in shown, "? shows the help"
    assert f"member 1, near-duplicate 0.82  {GUARDIAN}" in shown, "the least similar member is shown first"
    assert "member 2, contained-in 1.00  wire/severnside-water-fine" in shown, "v 2 shows member 2"
    assert "By Jane Doe | Reuters" in shown, "removed header lines are shown"
    assert [(d.ids, d.decision) for d in made] == [
        ((GUARDIAN, WATER), "split"),
        (("dpa-20220312-0758-gueterzug", "spiegel/gueterzug-unterfranken-teaser"), "distinct"),
    ]
    saved = load_decisions(path)
    assert saved.distinct == {
        (GUARDIAN, WATER),
        ("dpa-20220312-0758-gueterzug", "spiegel/gueterzug-unterfranken-teaser"),
    }
    assert {r.at for r in saved.records} == {"2024-05-02T09:00:00+00:00"}


def test_kept_clusters_are_not_asked_again(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    made, _ = walk(out, path, "k")
    assert sorted(d.ids for d in made) == [(WATER, GUARDIAN), (WATER, "wire/severnside-water-fine")]
    assert all(d.decision == "keep" for d in made)
    assert load_decisions(path).distinct == set(), "keep changes no cluster"
    _, shown = walk(out, path, "k")
    assert f"cluster 1 of 1: {TRAIN}" in shown
    partial = tmp_path / "partial.toml"
    append_decision(partial, Decision((GUARDIAN, WATER), "split", "2024-05-03T00:00:00Z"))
    _, shown = walk(out, partial, "q")
    assert f"cluster 1 of 2: {WATER}" in shown, "a cluster with an undecided member is asked about"
    assert re.search(rf"{GUARDIAN} .* split", shown), "the table shows what was decided"
    _, shown = walk(out, path)
    assert "Every cluster has a decision" in shown


def test_merge_takes_a_cluster_or_document_id(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    made, shown = walk(out, path, "m no/such-doc", f"m {GUARDIAN}", "m zeit/gueterzug-entgleist-bad-sellheim")
    assert "no document or cluster 'no/such-doc'" in shown
    assert "already in this cluster" in shown
    assert [(d.ids, d.decision) for d in made] == [((WATER, TRAIN), "merge")], "a member names its cluster"
    made, _ = walk(out, tmp_path / "other.toml", "m bbc/coastal-flood-defences")
    assert [d.ids for d in made] == [(WATER, "bbc/coastal-flood-defences")], "a singleton can be merged in"


def test_bad_answers_save_nothing(out: Path, tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    made, shown = walk(out, path, "s 9", "s 0", "d 1 1", "d one two", "x", "q")
    assert made == [] and not path.exists()
    assert "members are numbered 0 to 2" in shown and shown.count("keep: the cluster is right") == 5


def test_side_by_side_marks_the_changed_words() -> None:
    canonical = DocView("c", "wire", None, "T", "Managers did not act.\n\nLater on Monday, more.")
    member = DocView("m", "paper", None, "T", "Managers failed to act.")
    left, right = marked_texts(canonical, member)

    def styled(text, style) -> str:
        return " ".join(text.plain[s.start : s.end] for s in text.spans if s.style == style)

    assert styled(left, ONLY[0]) == "did not Later on Monday, more."
    assert styled(right, ONLY[1]) == "failed to"
    assert styled(right, SAME) == "Managers act."
    assert "did not act.\n\nLater" in left.plain, "paragraphs are kept"


def test_cli_review_with_piped_answers_and_list(out: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["review", str(out), "--config", str(config)], input="s 1\nq\n")
    assert result.exit_code == 0, result.output
    assert load_decisions(tmp_path / "review.toml").distinct == {(GUARDIAN, WATER)}
    append_decision(
        tmp_path / "review.toml", Decision(("old/removed-story", TRAIN), "distinct", "2024-01-01T00:00:00Z")
    )
    result = runner.invoke(app, ["review", str(out), "--config", str(config), "--list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "split" in result.output and GUARDIAN in result.output
    assert "ids no longer in the corpus (1): old/removed-story" in result.output


def test_cli_review_reports_a_broken_decisions_file(out: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    (tmp_path / "review.toml").write_text('[[decision]]\nids = ["a"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(out), "--config", str(config), "--list"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "decision[0].ids" in result.output
