"""The persistent index: signatures, estimated verification, ingestion semantics, CLI and errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import run
from cleaner.cli import app
from cleaner.dedup import DedupItem, DedupSettings, cluster_sketches, sketch
from cleaner.dedup.minhash import minhash
from cleaner.dedup.shingles import shingle_batch
from cleaner.dedup.verify import compare
from cleaner.errors import IndexFileError
from cleaner.persist import PersistentIndex
from cleaner.persist.estimate import estimate
from cleaner.persist.signature import Signatures, signatures

SETTINGS = DedupSettings()
PARAGRAPHS = [
    "Der Stadtrat von Kellbach hat am Dienstagabend nach langer Debatte beschlossen, das alte Fernwärmenetz "
    "bis zum Jahr 2030 vollständig zu erneuern und dabei auf erneuerbare Quellen umzustellen.",
    "Die Kosten von rund 48 Millionen Euro sollen zu einem Drittel aus Fördermitteln des Landes kommen, "
    "der Rest wird über einen Kredit der Stadtwerke finanziert, wie der Kämmerer erläuterte.",
    "Kritik kam von der Opposition, die eine Bürgerbeteiligung vermisst und vor steigenden Preisen für "
    "die rund zwölftausend angeschlossenen Haushalte warnte, die schon jetzt hohe Abschläge zahlen.",
    "Der Oberbürgermeister verteidigte den Zeitplan: Wer jetzt zögere, verliere die Zuschüsse, und die "
    "alten Leitungen seien an vielen Stellen so marode, dass Ausfälle im Winter drohten.",
    "Die ersten Bauabschnitte beginnen im Frühjahr in der Nordstadt, wo die Leitungen am ältesten sind; "
    "Anwohner werden in den kommenden Wochen per Brief über Sperrungen informiert.",
]
STORY = "\n\n".join(PARAGRAPHS)
TEASER = "\n\n".join(PARAGRAPHS[:2])
OTHER = (
    "Ein ganz anderer Bericht über das Wetter an der Küste, wo Sturmböen am Wochenende Bäume entwurzelten "
    "und mehrere Fähren ihren Betrieb einstellen mussten, bis der Wind am Sonntagabend nachließ."
)


def template(figure: str) -> str:
    return (
        f"The Federal Reserve entered the government securities market to supply {figure} billion dlrs of "
        "temporary reserves via customer repurchase agreements, a Fed spokesman said. Dealers said federal "
        "funds were trading at 6-1/8 pct when the Fed began its temporary and indirect supply of reserves."
    )


def sketches(texts: dict[str, str]) -> list:
    items = [DedupItem(doc_id, text, None, k) for k, (doc_id, text) in enumerate(texts.items())]
    return [sketch(items, SETTINGS)]


def ingest(path: Path, texts: dict[str, str]):
    parts = sketches(texts)
    with PersistentIndex(path, SETTINGS, create=True) as index:
        return index.ingest(parts, cluster_sketches(parts, SETTINGS))


def test_signature_minima_are_the_minhash_values_and_marks_flag_figures():
    batch = shingle_batch([STORY, template("1.5"), "", "kurz"], SETTINGS)
    got = signatures(batch, SETTINGS)
    assert (got.minima == minhash(batch, SETTINGS)).all()
    assert (got.marks[2] == 0).all(), "an empty text has no shingle to mark"
    # Figures: the story has one figure-bearing passage, the template item several.
    assert (got.marks[0] & 1).mean() < (got.marks[1] & 1).mean()
    back = Signatures.from_blobs([got.blob(k) for k in range(2)], [5, 6], SETTINGS.num_perm)
    assert (back.minima == got.minima[:2]).all() and (back.marks == got.marks[:2]).all()


def pair_estimate(a: str, b: str):
    batch = shingle_batch([a, b], SETTINGS)
    sig = signatures(batch, SETTINGS)
    return estimate(sig.take(np.array([0])), sig.take(np.array([1])), SETTINGS)[0], compare(batch, 0, 1, SETTINGS)


def test_estimates_decide_copies_teasers_templates_and_strangers_as_exact_verification_does():
    copy = STORY.replace("\n\n", " ")
    for a, b, by in [
        (STORY, copy, "jaccard"),
        (STORY, TEASER, "containment"),
        (template("1.5"), template("2.75"), None),
        (STORY, OTHER, None),
    ]:
        estimated, exact = pair_estimate(a, b)
        assert estimated.by == exact.by == by
    teaser, _ = pair_estimate(STORY, TEASER)
    assert teaser.containment == 1.0, "a text inside another is recognised exactly, not estimated"
    template_pair, _ = pair_estimate(template("1.5"), template("2.75"))
    assert template_pair.template


def test_estimate_does_not_depend_on_the_order_of_the_pair():
    batch = shingle_batch([STORY, TEASER, OTHER], SETTINGS)
    sig = signatures(batch, SETTINGS)
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    forward = estimate(sig.take(left), sig.take(right), SETTINGS)
    backward = estimate(sig.take(right), sig.take(left), SETTINGS)
    assert forward == backward


def test_a_later_fuller_copy_joins_the_old_cluster_and_points_at_the_old_canonical(tmp_path):
    path = tmp_path / "index.sqlite"
    first, report = ingest(path, {"teaser": TEASER, "other": OTHER})
    assert (report.added, report.matched) == (2, 0)
    assert first.assignment["teaser"] == ("teaser", None, None, None)

    later, report = ingest(path, {"full": STORY})

    cluster, duplicate_of, similarity, relation = later.assignment["full"]
    assert (cluster, duplicate_of, relation, similarity) == ("teaser", "teaser", "contains", 1.0)
    assert (report.added, report.matched, report.documents, report.clusters) == (1, 1, 3, 1)
    assert later.clusters == [], "the canonical is not in this run, so the run lists no cluster of its own"


def test_find_names_what_a_text_would_join_and_changes_nothing(tmp_path):
    path = tmp_path / "index.sqlite"
    ingest(path, {"teaser": TEASER, "other": OTHER})
    with PersistentIndex(path, SETTINGS) as index:
        found = index.find([STORY, "Ein neuer Bericht über Bienen, Honig und Imker in der Innenstadt von Kellbach."])
        assert index.stats()["documents"] == 2
    assert [(m.id, m.cluster, m.comparison.by) for m in found[0]] == [("teaser", "teaser", "containment")]
    assert found[1] == []


def test_changes_in_one_session_commit_together_or_not_at_all(tmp_path):
    path = tmp_path / "index.sqlite"
    with PersistentIndex(path, SETTINGS, create=True) as index:
        for texts in ({"teaser": TEASER}, {"full": STORY}):
            parts = sketches(texts)
            index.ingest(parts, cluster_sketches(parts, SETTINGS))
    with pytest.raises(RuntimeError), PersistentIndex(path, SETTINGS) as index:
        parts = sketches({"other": OTHER})
        index.ingest(parts, cluster_sketches(parts, SETTINGS))
        raise RuntimeError("the caller failed before the end of the block")
    with PersistentIndex(path) as index:
        assert [(r["id"], r["cluster"]) for r in index.export()] == [("full", "teaser"), ("teaser", "teaser")]


def test_removing_a_canonical_hands_its_cluster_over(tmp_path):
    path = tmp_path / "index.sqlite"
    ingest(path, {"teaser": TEASER})
    ingest(path, {"full": STORY, "copy": STORY.replace("\n\n", " ")})
    with PersistentIndex(path, SETTINGS) as index:
        clusters = {r["id"]: r["cluster"] for r in index.export()}
        assert clusters == {"copy": "teaser", "full": "teaser", "teaser": "teaser"}
        missing, changed = index.remove(["teaser", "nobody"])
    assert (missing, changed) == (["nobody"], 2)
    with PersistentIndex(path) as index:
        records = {r["id"]: r for r in index.export()}
    # "copy" and "full" have the same shingles; the one with more characters ranks first, as in a run.
    assert {i: r["cluster"] for i, r in records.items()} == {"copy": "full", "full": "full"}
    assert records["copy"]["duplicate_of"] == "full" and records["full"]["duplicate_of"] is None


def test_an_exact_copy_of_a_removed_document_is_still_found(tmp_path):
    path = tmp_path / "index.sqlite"
    ingest(path, {"a": STORY})
    ingest(path, {"b": STORY})
    with PersistentIndex(path, SETTINGS) as index:
        index.remove(["a"])
    result, report = ingest(path, {"c": STORY})
    assert result.assignment["c"][:2] == ("b", "b") and report.matched == 1


def write_batch(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    lines = (json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in texts.items())
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_cli_run_with_index_then_stats_export_and_remove(tmp_path):
    runner = CliRunner()
    index = tmp_path / "news.index.sqlite"
    day1 = write_batch(tmp_path / "day1", {"teaser": TEASER, "other": OTHER})
    day2 = write_batch(tmp_path / "day2", {"full": STORY})
    for day in (day1, day2):
        out = tmp_path / f"out-{day.name}"
        result = runner.invoke(app, ["run", str(day), "--out", str(out), "--index", str(index)])
        assert result.exit_code == 0, result.output
    assert "1 matched documents indexed before, 1 added" in " ".join(result.output.split())
    manifest = json.loads((tmp_path / "out-day2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summary"]["index"]["matched"] == 1 and manifest["summary"]["duplicates"] == 1

    stats = runner.invoke(app, ["index", "stats", "--index", str(index), "--json"])
    figures = json.loads(stats.stdout)
    assert (figures["documents"], figures["clusters"], figures["ingests"], figures["schema_version"]) == (3, 1, 2, 1)
    assert figures["bytes"] > 0 and figures["created"] <= figures["updated"]

    export = runner.invoke(app, ["index", "export", "--index", str(index)])
    records = [json.loads(line) for line in export.stdout.splitlines()]
    assert [r["id"] for r in records] == ["full", "other", "teaser"]
    assert records[0]["cluster"] == "teaser" and records[0]["relation"] == "contains"
    assert not any("text" in r for r in records)

    removed = runner.invoke(app, ["index", "remove", "teaser", "missing-id", "--index", str(index)])
    assert removed.exit_code == 1
    assert "not in the index: missing-id" in removed.output
    export = runner.invoke(app, ["index", "export", "-i", str(index)])
    records = [json.loads(line) for line in export.stdout.splitlines()]
    assert [(r["id"], r["cluster"]) for r in records] == [("full", "full"), ("other", "other")]


def test_the_index_holds_no_text(tmp_path):
    index = tmp_path / "index.sqlite"
    run(write_batch(tmp_path / "in", {"story": STORY, "other": OTHER}), tmp_path / "out", workers=1, index=index)
    data = b"".join(p.read_bytes() for p in tmp_path.glob("index.sqlite*"))
    for word in ("Fernwärmenetz", "Stadtrat", "Sturmböen"):
        assert word.encode("utf-8") not in data


def test_config_names_the_index_next_to_the_config_file(tmp_path):
    (tmp_path / "conf").mkdir()
    config = tmp_path / "conf" / "my.toml"
    config.write_text('[index]\npath = "store/news.sqlite"\n', encoding="utf-8")
    summary = run(write_batch(tmp_path / "in", {"a": STORY}), tmp_path / "out", config, workers=1)
    assert summary.index["added"] == 1
    assert (tmp_path / "conf" / "store" / "news.sqlite").is_file()


def test_a_review_decision_reaches_indexed_documents_at_the_next_run(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[index]\npath = "index.sqlite"\n', encoding="utf-8")
    day1 = write_batch(tmp_path / "day1", {"full": STORY, "copy": STORY.replace("\n\n", " ")})
    run(day1, tmp_path / "o1", config, workers=1)
    (tmp_path / "review.toml").write_text(
        '[[decision]]\nids = ["copy", "full"]\ndecision = "distinct"\nat = 2024-05-02T09:14:03Z\n', encoding="utf-8"
    )
    with PersistentIndex(tmp_path / "index.sqlite") as index:
        assert {r["id"]: r["cluster"] for r in index.export()} == {"copy": "full", "full": "full"}

    run(write_batch(tmp_path / "day2", {"other": OTHER}), tmp_path / "o2", config, workers=1)

    with PersistentIndex(tmp_path / "index.sqlite") as index:
        assert {r["id"]: r["cluster"] for r in index.export()} == {"copy": "copy", "full": "full", "other": "other"}


def test_an_index_inside_the_output_folder_is_refused(tmp_path):
    batch = write_batch(tmp_path / "in", {"a": STORY})
    with pytest.raises(IndexFileError, match="inside the output folder"):
        run(batch, tmp_path / "clean", workers=1, index=tmp_path / "clean" / "index.sqlite")


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda p: None, "no index here; `cleaner run INPUT --index"),
        (lambda p: p.write_bytes(b"this is not a database, just bytes" * 100), "not a usable index"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "not a cleaner index"),
        (lambda p: _newer(p), "written by a newer cleaner"),
    ],
    ids=["missing", "garbage", "foreign-sqlite", "newer-schema"],
)
def test_a_bad_index_file_is_named_with_what_to_do(tmp_path, prepare, message):
    path = tmp_path / "index.sqlite"
    prepare(path)
    result = CliRunner().invoke(app, ["index", "stats", "--index", str(path)])
    assert result.exit_code == 2
    assert str(path) in "".join(result.output.split()), "the message names the file"
    assert message in " ".join(result.output.split())


def _newer(path: Path) -> None:
    ingest(path, {"a": STORY})
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def test_an_index_built_with_other_dedup_settings_is_refused(tmp_path):
    path = tmp_path / "index.sqlite"
    ingest(path, {"a": STORY})
    with pytest.raises(IndexFileError, match=r"dedup\.num_perm = 128 \(config: 64\)"):
        PersistentIndex(path, DedupSettings(num_perm=64))


def test_a_failed_run_adds_nothing_to_the_index(tmp_path, monkeypatch):
    index = tmp_path / "index.sqlite"
    batch = write_batch(tmp_path / "in", {"a": STORY})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing reports")

    monkeypatch.setattr("cleaner.pipeline.write_reports", broken)
    with pytest.raises(RuntimeError):
        run(batch, tmp_path / "out", workers=1, index=index)
    with PersistentIndex(index) as opened:
        assert opened.stats()["documents"] == 0
