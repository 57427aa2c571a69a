"""Reports of outputs with more clusters than a page shows: the cap, and memory that follows it."""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerError, run
from cleaner.cli import app
from cleaner.report import load, write_reports
from cleaner.report.data import CorpusIds

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


def embedded(folder: Path) -> dict:
    return json.loads(SCRIPT_DATA.search((folder / "report.html").read_text(encoding="utf-8")).group(1))


def member(doc_id: str, similarity: float | None) -> dict:
    if similarity is None:
        return {"id": doc_id, "jaccard": 1.0, "containment": 1.0, "similarity": None, "relation": None}
    relation = "contained-in"
    return {"id": doc_id, "jaccard": similarity, "containment": 1.0, "similarity": similarity, "relation": relation}


def many_clusters(folder: Path, specs: list[tuple[int, float]], singletons: int = 0, text: str = "") -> Path:
    """An output folder with one cluster per ``(size, lowest similarity)`` of ``specs``, named
    ``c00``, ``c01``…, plus unclustered documents ``s…``; written as `cleaner run` writes them."""
    docs: list[dict] = []
    clusters: list[dict] = []
    for k, (size, lowest) in enumerate(specs):
        ids = [f"c{k:02d}-{n}" for n in range(size)]
        members = [member(ids[0], None)] + [member(i, lowest if n == 1 else 0.99) for n, i in enumerate(ids[1:], 1)]
        clusters.append({"cluster": ids[0], "canonical": ids[0], "size": size, "members": members})
        docs += [{"id": i, "source": f"src{k}", "title": f"story {k}", "text": f"story {k} {text}"} for i in ids]
    docs += [{"id": f"s{n:06d}", "source": "solo", "text": f"alone {n} {text}"} for n in range(singletons)]
    folder.mkdir(parents=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in sorted(docs, key=lambda d: d["id"]))
    with (folder / "removed.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(
            json.dumps({"doc": d["id"], "line": 1, "kind": "byline", "rule": "r", "text": f"By {d['id']}"}) + "\n"
            for d in sorted(docs, key=lambda d: d["id"])
        )
    (folder / "clusters.jsonl").write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    duplicates = sum(size - 1 for size, _ in specs)
    summary = {"documents": len(docs), "clusters": len(clusters), "duplicates": duplicates}
    (folder / "manifest.json").write_text(json.dumps({"summary": summary}), encoding="utf-8")
    return folder


# Sizes and lowest similarities of twelve clusters; the cap of four keeps c03 (size 5), then the
# size-4 clusters from the least certain: c07 (0.72), c01 (0.80), c10 (0.91).
SPECS = [(2, 0.9), (4, 0.8), (3, 0.7), (5, 0.95), (2, 0.75), (3, 0.99), (2, 0.71), (4, 0.72), (2, 0.9), (3, 0.85)]
SPECS += [(4, 0.91), (4, 0.93)]


@pytest.fixture()
def output(tmp_path: Path) -> Path:
    return many_clusters(tmp_path / "out", SPECS, singletons=30)


def test_the_reports_show_the_largest_then_least_certain_clusters_up_to_the_cap(output: Path) -> None:
    write_reports(output, max_clusters=4)
    page = embedded(output)
    assert [c["id"] for c in page["clusters"]] == ["c03-0", "c07-0", "c01-0", "c10-0"]
    shown_members = {f"c{k:02d}-{n}" for k in (3, 7, 1, 10) for n in range(SPECS[k][0])}
    assert {d["id"] for d in page["docs"]} == shown_members, "only the shown clusters' documents travel"
    assert page["sources"] == ["src1", "src10", "src3", "src7"]
    html = (output / "report.html").read_text(encoding="utf-8")
    md = (output / "report.md").read_text(encoding="utf-8")
    for report in (html, md):
        assert "showing 4 of 12 clusters; all are in clusters.jsonl" in report
    # The summary and the histogram still describe the whole output.
    assert "<b>12</b><span>clusters</span>" in html and "<b>68</b><span>documents</span>" in html
    assert "cleaner report: 68 documents, 12 clusters" in html
    assert "## Clusters (12)" in md and "| 68 | 12 | 26 |" in md
    assert [line.split(" | ")[-1] for line in md.splitlines() if line.startswith("| ") and "`c" in line] == [
        "`c03-0` |",
        "`c07-0` |",
        "`c01-0` |",
        "`c10-0` |",
    ]
    histogram = load(output, max_clusters=4).histogram
    assert sum(histogram.series["jaccard"]) == sum(size - 1 for size, _ in SPECS), "every member is counted"


def test_zero_shows_every_cluster_and_no_note(output: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(output), "--max-clusters", "0"])
    assert result.exit_code == 0, result.output
    assert len(embedded(output)["clusters"]) == 12
    assert "showing" not in (output / "report.md").read_text(encoding="utf-8")
    assert "shown-note" not in (output / "report.html").read_text(encoding="utf-8").split("</style>")[1]


def test_cli_cap_comes_from_the_option_else_the_config(output: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["report", str(output), "--max-clusters", "2"]).exit_code == 0
    assert [c["id"] for c in embedded(output)["clusters"]] == ["c03-0", "c07-0"]
    config = tmp_path / "config.toml"
    config.write_text("[report]\nmax_clusters = 3\n", encoding="utf-8")
    assert runner.invoke(app, ["report", str(output), "--config", str(config)]).exit_code == 0
    assert len(embedded(output)["clusters"]) == 3
    result = runner.invoke(app, ["report", str(output), "--max-clusters", "-1"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "Invalid value for '--max-clusters'" in result.output


def test_a_run_caps_its_report_as_configured(tmp_path: Path) -> None:
    run(ROOT / "raw", tmp_path / "clean", {"report": {"max_clusters": 1}})
    clean = tmp_path / "clean"
    assert [c["id"] for c in embedded(clean)["clusters"]] == ["mainbote/zugunglueck-bad-sellheim"]
    assert "showing 1 of 2 clusters; all are in clusters.jsonl" in (clean / "report.md").read_text(encoding="utf-8")


def test_clusters_jsonl_carries_the_similarity_that_linked_each_member(tmp_path: Path) -> None:
    """The report orders clusters from clusters.jsonl alone, so it must hold what corpus.jsonl says."""
    run(ROOT / "raw", tmp_path / "clean", {})
    corpus = {
        r["id"]: r["similarity"]
        for r in map(json.loads, (tmp_path / "clean" / "corpus.jsonl").read_text(encoding="utf-8").splitlines())
    }
    lines = (tmp_path / "clean" / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    members = [m for c in map(json.loads, lines) for m in c["members"]]
    assert len(members) == 8
    assert all(m["similarity"] == corpus[m["id"]] for m in members)
    assert sorted(m["similarity"] is None for m in members) == [False] * 6 + [True] * 2, "canonicals have none"


def test_load_holds_only_the_shown_clusters_members(tmp_path: Path) -> None:
    """A corpus of 10 MB, nearly all singletons and clusters beyond the cap: load() keeps the
    shown members and never the other records (it reads them line by line)."""
    folder = many_clusters(tmp_path / "out", SPECS * 4, singletons=10_000, text="x" * 1000)
    corpus_bytes = (folder / "corpus.jsonl").stat().st_size
    assert corpus_bytes > 10_000_000
    tracemalloc.start()
    try:
        data = load(folder, max_clusters=3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data.total_clusters == 48 and len(data.clusters) == 3
    assert len(data.docs) == sum(c.size for c in data.clusters) == 15
    assert not any(doc_id.startswith("s") for doc_id in data.docs)
    assert peak < corpus_bytes / 50, f"load() peaked at {peak} bytes for a {corpus_bytes}-byte corpus"


def test_ids_are_looked_up_in_the_corpus_when_asked(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    records = [
        {"id": "plain", "text": "a"},
        {"id": 'with "quotes" and \\', "text": "b"},
        {"text": "c", "id": "id-not-first"},
    ]
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ids = CorpusIds(folder / "corpus.jsonl")
    assert ids.present(["plain", 'with "quotes" and \\', "id-not-first", "gone"]) == {
        "plain",
        'with "quotes" and \\',
        "id-not-first",
    }
    assert "plain" in ids and "gone" not in ids and 3 not in ids
    (folder / "corpus.jsonl").write_text('{"id": "ok"}\n{"id": broken\n', encoding="utf-8")
    with pytest.raises(CleanerError, match=r"corpus\.jsonl:2: not valid JSON"):
        ids.present(["missing"])


def test_removed_lines_are_read_for_the_shown_members_only(tmp_path: Path) -> None:
    """Records are matched by their whole id: "a" is not "a1", and ids written with escapes or not
    first in their record are found too."""
    odd = 'a "quoted" id'
    folder = many_clusters(tmp_path / "out", [(2, 0.8)])
    folder.joinpath("clusters.jsonl").write_text(
        json.dumps({"cluster": "a", "canonical": "a", "size": 2, "members": [member("a", None), member(odd, 0.8)]})
        + "\n",
        encoding="utf-8",
    )
    docs = [{"id": i, "title": i, "text": f"text of {i}"} for i in ("a", odd, "a1")]
    folder.joinpath("corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    removed = [
        {"doc": "a", "line": 1, "kind": "title", "text": "a title"},
        {"doc": "a", "line": 2, "kind": "byline", "text": "a byline"},
        {"doc": "a1", "line": 1, "kind": "title", "text": "not a's"},
        {"line": 3, "kind": "footer", "text": "a footer", "doc": "a"},
        {"doc": odd, "line": 1, "kind": "title", "text": "odd title"},
    ]
    folder.joinpath("removed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in removed), encoding="utf-8")
    data = load(folder)
    assert set(data.docs) == {"a", odd}
    a = data.docs["a"]
    assert [r.text for r in (*a.above, *a.below)] == ["a title", "a byline", "a footer"]
    assert [r.text for r in data.docs[odd].above] == ["odd title"]
