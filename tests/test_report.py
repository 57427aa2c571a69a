"""The reports: what they show of an output folder, that they are self-contained and stable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import CleanerError, run
from cleaner.cli import app
from cleaner.report import load, write_reports
from cleaner.report.data import RemovedLine, split_removed
from cleaner.report.diff import Segment, delta, matching_blocks, segments, words
from cleaner.report.html import payload

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of raw/ with the reports written; the config sits in its own folder (no review file)."""
    base = tmp_path_factory.mktemp("report")
    (base / "config.toml").write_text("", encoding="utf-8")
    run(ROOT / "raw", base / "clean", base / "config.toml")
    write_reports(base / "clean")
    return base / "clean"


def embedded(html: str) -> dict:
    return json.loads(SCRIPT_DATA.search(html).group(1))


def text_of(docs: list[dict], doc: dict) -> str:
    """A document's text from the page's data, expanded as the page's script does."""
    if "text" in doc:
        return doc["text"]
    tokens = re.split(r"([ \t\n\r\f\v]+)", docs[doc["base"]]["text"])
    return "".join(p if isinstance(p, str) else "".join(tokens[p[0] : p[0] + p[1]]) for p in doc["delta"])


def write_output(folder: Path, docs: list[dict], clusters: list[dict], summary: dict | None = None) -> Path:
    """A minimal output folder by hand: corpus, clusters and manifest (no removed.jsonl)."""
    folder.mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    (folder / "clusters.jsonl").write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    manifest = {"summary": {"documents": len(docs), "clusters": len(clusters), "duplicates": 1, **(summary or {})}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def pair_output(folder: Path, text_a: str, text_b: str, summary: dict | None = None) -> Path:
    docs = [
        {"id": "a", "source": "x", "title": "A", "date": "2022-01-02", "text": text_a, "similarity": None},
        {"id": "b", "source": "y", "title": "B", "date": "2022-01-01", "text": text_b, "similarity": 0.75},
        {"id": "c", "source": "z", "title": "C", "date": None, "text": "alone", "similarity": None},
    ]
    members = [
        {"id": "a", "jaccard": 1.0, "containment": 1.0, "relation": None},
        {"id": "b", "jaccard": 0.75, "containment": 0.8, "relation": "near-duplicate"},
    ]
    return write_output(folder, docs, [{"cluster": "a", "canonical": "a", "size": 2, "members": members}], summary)


def test_html_report_of_raw_holds_the_summary_and_every_cluster(out: Path) -> None:
    html = (out / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    summary = manifest["summary"]
    assert f"<b>{summary['documents']}</b><span>documents</span>" in html
    assert f"<b>{summary['duplicate_rate']:.1%}</b><span>duplicate rate</span>" in html
    for kind, n in summary["removals"].items():
        assert f'<th scope="row">{kind}</th><td class="num">{n}</td>' in html
    assert html.count('class="threshold"') == 2, "Jaccard and containment thresholds are marked"
    data = embedded(html)
    clusters = [json.loads(line) for line in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(c["id"] for c in data["clusters"]) == sorted(c["cluster"] for c in clusters)
    # Largest first: the five copies of the train accident, then the three water-fine stories.
    assert [(c["id"], len(c["m"])) for c in data["clusters"]] == [
        ("mainbote/zugunglueck-bad-sellheim", 5),
        ("wire/severnside-water-fine-update", 3),
    ]
    water = data["clusters"][1]
    assert data["docs"][water["m"][0][0]]["id"] == "wire/severnside-water-fine-update", "canonical first"
    assert water["lo"] == pytest.approx(0.8175) and water["src"] == ["guardian", "wire"]
    assert (water["d0"], water["d1"]) == ("2022-01-10T16:12", "2022-01-11T07:30")
    # Removed header and footer lines travel with the documents, comments only as a count.
    canonical = data["docs"][water["m"][0][0]]
    assert [r[1] for r in canonical["above"]] == ["title", "byline", "date"]
    assert [r[1] for r in canonical["below"]] == ["boilerplate"] and canonical["comments"] > 0


def test_matching_blocks_in_the_page_address_equal_words(out: Path) -> None:
    data = embedded((out / "report.html").read_text(encoding="utf-8"))
    corpus = {r["id"]: r for r in map(json.loads, (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines())}
    docs = data["docs"]
    for cluster in data["clusters"]:
        canonical = words(docs[cluster["m"][0][0]]["text"])
        for doc, *_, blocks in cluster["m"][1:]:
            assert "text" not in docs[doc], "members ship as a delta against their canonical"
            assert text_of(docs, docs[doc]) == corpus[docs[doc]["id"]]["text"]
            member = words(text_of(docs, docs[doc]))
            assert blocks, "every member shares words with its canonical"
            for i, j, n in zip(blocks[::3], blocks[1::3], blocks[2::3], strict=True):
                assert [w.lower().strip(".,\"'") for w in canonical[i : i + n]] == [
                    w.lower().strip(".,\"'") for w in member[j : j + n]
                ]


def test_html_is_self_contained(out: Path) -> None:
    html = (out / "report.html").read_text(encoding="utf-8")
    markup = SCRIPT_DATA.sub("", html)  # article texts may mention URLs; the page itself loads none
    assert not re.search(r"<(?:link|img|iframe)\b|\bsrc=|@import|url\(|https?://", markup)
    assert html.count("<script") == 2 and "<style>" in html


def test_reports_are_byte_stable(out: Path) -> None:
    first = (out / "report.html").read_bytes(), (out / "report.md").read_bytes()
    write_reports(out)
    assert ((out / "report.html").read_bytes(), (out / "report.md").read_bytes()) == first


def test_markdown_lists_the_summary_and_the_clusters_in_order(out: Path) -> None:
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| 32 | 2 | 6 | 18.8% |" in md
    rows = [line for line in md.splitlines() if line.startswith("| 1 |") or line.startswith("| 2 |")]
    assert "`mainbote/zugunglueck-bad-sellheim`" in rows[0] and "| 5 |" in rows[0]
    assert "`wire/severnside-water-fine-update`" in rows[1] and "| 0.82 |" in rows[1]
    assert "guardian, wire" in rows[1]
    assert "← jaccard threshold 0.7" in md


def test_text_cannot_break_out_of_the_data_script(tmp_path: Path) -> None:
    evil = "Before </script><script>alert(1)</script> and <!-- a comment"
    folder = pair_output(tmp_path / "out", evil, evil + " more words")
    write_reports(folder)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count("</script>") == 2
    assert embedded(html)["docs"][0]["text"] == evil


def test_without_a_histogram_in_the_manifest_the_members_similarities_are_shown(tmp_path: Path) -> None:
    folder = pair_output(tmp_path / "out", "one two three four", "one two three five")
    data = load(folder)
    assert not data.histogram.verified and data.histogram.thresholds == {}
    assert data.histogram.series["jaccard"][15] == 1  # 0.75 in the bin 0.75-0.80
    assert data.histogram.series["containment"][16] == 1
    assert set(data.docs) == {"a", "b"}, "singletons are not loaded"
    assert "c" in data.ids and "gone" not in data.ids, "yet every id of the corpus can be asked about"
    write_reports(folder)
    assert "Similarities of cluster members to their canonical" in (folder / "report.html").read_text(encoding="utf-8")


def test_clusters_a_review_decision_touched_are_marked(tmp_path: Path) -> None:
    review = {
        "file": "review.toml",
        "decisions": 1,
        "touched": {"a": [{"decision": "merge", "ids": ["a", "b"]}]},
        "unknown_ids": ["gone"],
    }
    folder = pair_output(tmp_path / "out", "one two three", "one two four", {"review": review})
    write_reports(folder)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert embedded(html)["clusters"][0]["dec"] == [{"decision": "merge", "ids": ["a", "b"]}]
    assert "ids no longer in the corpus: gone" in html
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert "| A ✎ merge |" in md and "`gone`" in md


def test_a_run_without_decisions_shows_no_review_note(tmp_path: Path) -> None:
    review = {"file": "review.toml", "decisions": 0, "touched": {}, "unknown_ids": []}
    folder = pair_output(tmp_path / "out", "one two three", "one two four", {"review": review})
    write_reports(folder)
    assert '<p class="review-note">' not in (folder / "report.html").read_text(encoding="utf-8")
    assert "Review decisions" not in (folder / "report.md").read_text(encoding="utf-8")


def test_missing_output_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CleanerError, match=r"manifest\.json: not found"):
        write_reports(tmp_path)
    result = CliRunner().invoke(app, ["report", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such output folder" in result.output.replace("\n", " ")


def test_cli_report_rewrites_both_files(out: Path) -> None:
    (out / "report.md").unlink()
    result = CliRunner().invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.md").exists() and (out / "report.html").exists()


def test_payload_lists_each_document_once(out: Path) -> None:
    data = load(out)
    docs = payload(data)["docs"]
    assert len(docs) == len({d["id"] for d in docs}) == sum(c.size for c in data.clusters)


@pytest.mark.parametrize(
    ("lines", "paragraphs", "above", "below"),
    [
        # Header only: the body follows the last removal.
        ([(1, "title"), (3, "date"), (5, "byline")], 4, [1, 3, 5], []),
        # Header and footer around a body of five paragraphs.
        ([(1, "title"), (3, "date"), (15, "agency"), (17, "broadcast")], 5, [1, 3], [15, 17]),
        # Only a footer: the body is before it.
        ([(20, "footer")], 6, [], [20]),
        # A caption between two short paragraphs, then a footer: headers stay above.
        ([(1, "title"), (3, "caption"), (5, "date"), (12, "footer")], 3, [1, 3, 5], [12]),
    ],
)
def test_removed_lines_go_above_or_below_the_body(lines, paragraphs, above, below) -> None:
    removed = [RemovedLine(n, kind, f"line {n}") for n, kind in lines]
    got_above, got_below, comments = split_removed([*removed, RemovedLine(30, "comment", "x")], paragraphs)
    assert ([r.line for r in got_above], [r.line for r in got_below], comments) == (above, below, 1)


def test_word_alignment_ignores_case_and_punctuation_and_marks_changes() -> None:
    a = words("The regulator said managers did not act. Later on Monday, more.")
    b = words("the Regulator said managers failed to act.")
    segs = segments(a, b)
    assert [s.tag for s in segs] == ["equal", "changed", "equal", "a_only"]
    changed = segs[1]
    assert a[changed.a_start : changed.a_end] == ["did", "not"]
    assert b[changed.b_start : changed.b_end] == ["failed", "to"]
    assert segs[-1].a_end == len(a) and segs[-1].b_end == len(b)
    assert matching_blocks(a, b)[0] == (0, 0, 4)
    assert segments([], []) == []
    assert segments(["x"], []) == [Segment("a_only", 0, 1, 0, 0)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e,", "F", "\n\n", " ", "  ", "\n"]), max_size=60),
    st.lists(st.sampled_from(["a", "b", "c", "x", "e,", "\n\n", " ", "\t"]), max_size=60),
)
def test_delta_gives_the_text_back(base_parts: list[str], text_parts: list[str]) -> None:
    base, text = " ".join(base_parts), " ".join(text_parts)
    docs = [{"text": base}, {"base": 0, "delta": delta(base, text, min_run=2)}]
    assert text_of(docs, docs[1]) == text


def test_delta_of_a_near_copy_is_small() -> None:
    base = " ".join(f"word{k}" for k in range(400)) + "\n\nlast paragraph here."
    copy = base.replace("word200", "changed")
    pieces = delta(base, copy)
    assert len(json.dumps(pieces)) < len(copy) / 20
    assert "changed" in [p.strip() for p in pieces if isinstance(p, str)]
