"""The streaming Python API (issue 5): cleaner.Pipeline cleans and deduplicates records lazily."""

from __future__ import annotations

import doctest
import gzip
import io
import json
import re
from pathlib import Path

import pytest

import cleaner
from cleaner import ConfigError, InputError, Pipeline
from cleaner.io.readers import InputSpec, RawDoc, read_inputs

ROOT = Path(__file__).resolve().parent.parent

STORY = (
    "The council of Severnside voted on Tuesday to close the old harbour bridge for repairs. Engineers "
    "found cracks in two of its piers during an inspection last month, and the bridge will stay closed "
    "until the end of the year. Ferries will run every twenty minutes in the meantime, and buses will use "
    "the northern crossing. Shop owners near the harbour fear losing customers in the busy summer season."
)
UPDATE = STORY + " The mayor promised help for businesses that lose trade while the work goes on."
OTHER = (
    "Farmers in the valley began the grape harvest two weeks earlier than usual after a hot and dry "
    "summer. Growers expect a small crop of very ripe grapes, and several wineries have hired extra "
    "pickers from neighbouring towns to bring the fruit in before the forecast rain arrives next week."
)
NO_DECISIONS = {"review": {"decisions": "/nonexistent/review.toml"}}


def pipeline(**overrides: object) -> Pipeline:
    return Pipeline({**NO_DECISIONS, **overrides})


def test_results_are_corpus_records_with_cluster_fields_last() -> None:
    with pipeline() as pipe:
        [record] = pipe.process([{"id": "a", "text": STORY, "url": "https://example.org/a"}])
    expected = cleaner.clean_text(STORY, doc_id="a").to_dict()
    assert list(record) == list(expected)
    assert list(record)[-4:] == ["cluster", "duplicate_of", "similarity", "relation"]
    assert record["text"] == expected["text"]
    assert record["meta"] == {"url": "https://example.org/a"}
    assert [record[k] for k in ("cluster", "duplicate_of", "similarity", "relation")] == ["a", None, None, None]


def test_each_result_comes_before_the_next_record_is_read() -> None:
    taken: list[str] = []

    def feed():
        for doc_id, text in (("a", STORY), ("b", STORY), ("c", OTHER)):
            taken.append(doc_id)
            yield {"id": doc_id, "text": text}

    with pipeline() as pipe:
        results = pipe.process(feed())
        assert next(results)["id"] == "a" and taken == ["a"]
        assert next(results)["duplicate_of"] == "a" and taken == ["a", "b"]
        assert next(results)["duplicate_of"] is None and taken == ["a", "b", "c"]


def test_copies_point_at_the_first_copy_seen() -> None:
    teaser = " ".join(STORY.split()[:40])
    texts = {"first": STORY, "copy": STORY, "update": UPDATE, "teaser": teaser, "other": OTHER}
    with pipeline() as pipe:
        out = {r["id"]: r for r in pipe.process({"id": k, "text": v} for k, v in texts.items())}
        summary = pipe.summary()
    placed = {i: (r["cluster"], r["duplicate_of"], r["relation"]) for i, r in out.items()}
    assert placed == {
        "first": ("first", None, None),
        "copy": ("first", "first", "near-duplicate"),
        "update": ("first", "first", "contains"),  # the fuller version came later
        "teaser": ("first", "first", "contained-in"),
        "other": ("other", None, None),
    }
    assert out["copy"]["similarity"] == 1.0
    assert (summary.documents, summary.clusters, summary.duplicates, summary.errors) == (5, 1, 3, [])


def test_the_stream_canonical_is_the_first_copy_where_a_run_takes_the_fullest(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    records = [{"id": "early", "text": STORY}, {"id": "late", "text": UPDATE}]
    (tmp_path / "raw" / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    cleaner.run(tmp_path / "raw", tmp_path / "clean", NO_DECISIONS, workers=1)
    ran = {r["id"]: r for r in map(json.loads, (tmp_path / "clean" / "corpus.jsonl").open(encoding="utf-8"))}
    with pipeline() as pipe:
        streamed = {r["id"]: r for r in pipe.process(records)}
    assert (ran["early"]["duplicate_of"], ran["early"]["relation"]) == ("late", "contained-in")
    assert (streamed["late"]["duplicate_of"], streamed["late"]["relation"]) == ("early", "contains")


def test_later_calls_deduplicate_against_earlier_ones() -> None:
    with pipeline() as pipe:
        day1 = list(pipe.process([STORY, OTHER], name="day1"))
        day2 = list(pipe.process([UPDATE], name="day2"))
    assert [r["id"] for r in day1] == ["day1-1", "day1-2"]
    assert [(r["id"], r["duplicate_of"]) for r in day2] == [("day2-1", "day1-1")]


def test_stream_matches_a_run_with_first_seen_canonicals_on_raw(tmp_path: Path) -> None:
    """Learned boilerplate needs a corpus, so the run compared here has it off."""
    cfg = {**NO_DECISIONS, "boilerplate": {"enabled": False}, "dedup": {"canonical": "first"}}
    spec = InputSpec.from_config(cleaner.load_config(cfg).section("input"))
    raws = [r for r in read_inputs(ROOT / "raw", spec) if isinstance(r, RawDoc)]
    with Pipeline(cfg) as pipe:
        streamed = list(pipe.process({"id": r.id, "text": r.text, "source": r.source} for r in raws))
    cleaner.run(ROOT / "raw", tmp_path / "clean", cfg, workers=1)
    ran = [json.loads(line) for line in (tmp_path / "clean" / "corpus.jsonl").open(encoding="utf-8")]
    fields = ("id", "title", "date", "text", "cluster", "duplicate_of", "similarity", "relation")
    assert sorted(tuple(r[f] for f in fields) for r in streamed) == [tuple(r[f] for f in fields) for r in ran]
    assert any(r["duplicate_of"] for r in streamed)


def test_bad_records_are_collected_with_their_position_and_the_stream_goes_on() -> None:
    heard: list[InputError] = []
    records = [
        {"id": "a", "text": STORY},
        {"id": "b", "body": STORY},
        {"id": "c", "text": 42},
        7,
        "   ",
        {"id": "a", "text": OTHER},
        {"id": "d", "text": OTHER},
    ]
    with Pipeline(NO_DECISIONS, on_error=heard.append) as pipe:
        ids = [r["id"] for r in pipe.process(records, name="feed")]
    assert ids == ["a", "d"]
    assert heard == pipe.errors
    assert [(e.path, e.line) for e in pipe.errors] == [("feed", 2), ("feed", 3), ("feed", 4), ("feed", 5), ("feed", 6)]
    said = [str(e) for e in pipe.errors]
    assert said[0].startswith("feed:2: field 'text' is missing") and "text_field" in said[0]
    assert said[1].startswith("feed:3: field 'text' is a number, not a string")
    assert said[2].startswith("feed:4: a record must be a dict or a string, got int")
    assert said[3].startswith("feed:5: the record is an empty string")
    assert said[4].startswith("feed:6: duplicate id 'a'")
    assert all(isinstance(e, cleaner.CleanerError) for e in pipe.errors)


def test_raising_from_on_error_stops_the_stream() -> None:
    def stop(error: InputError) -> None:
        raise error

    with Pipeline(NO_DECISIONS, on_error=stop) as pipe:
        results = pipe.process([{"id": "a", "text": STORY}, {"id": "b"}, {"id": "c", "text": OTHER}])
        assert next(results)["id"] == "a"
        with pytest.raises(InputError, match="records:2: field 'text' is missing"):
            next(results)


def test_records_without_ids_get_name_and_position() -> None:
    with pipeline() as pipe:
        out = list(pipe.process([{"text": STORY, "id": ""}, OTHER, {"text": UPDATE}], name="scrape"))
    assert [r["id"] for r in out] == ["scrape-1", "scrape-2", "scrape-3"]
    assert [r["path"] for r in out] == ["scrape"] * 3
    assert out[2]["duplicate_of"] == "scrape-1"


def test_field_names_come_from_the_config_or_the_arguments(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[input]\ntext_field = "body"\nid_field = "key"\n[review]\ndecisions = "none.toml"\n')
    with Pipeline(config) as pipe:
        [from_file] = pipe.process([{"key": "k1", "body": STORY, "text": "kept as meta"}])
    assert (from_file["id"], from_file["meta"]) == ("k1", {"text": "kept as meta"})
    with Pipeline(config, text_field="content", id_field="url") as pipe:
        [from_args] = pipe.process([{"url": "https://example.org/x", "content": STORY}])
    assert from_args["id"] == "https://example.org/x"
    assert pipe.config.section("input")["text_field"] == "content"


@pytest.mark.parametrize(
    ("config", "key"),
    [({"input": {"text_fields": "body"}}, "input.text_fields"), ({"dedup": {"threshold": 2}}, "dedup.threshold")],
)
def test_bad_config_raises_config_error_naming_the_key(config: dict, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        Pipeline(config)
    assert info.value.key == key and key in str(info.value)


def test_a_missing_config_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        Pipeline(tmp_path / "missing.toml")


def test_review_decisions_apply_to_the_stream(tmp_path: Path) -> None:
    decisions = tmp_path / "review.toml"
    decisions.write_text(
        '[[decision]]\nids = ["copy", "first"]\ndecision = "distinct"\nat = 2024-05-02T09:14:03Z\n\n'
        '[[decision]]\nids = ["other", "first"]\ndecision = "merge"\nat = 2024-05-02T09:15:03Z\n',
        encoding="utf-8",
    )
    records = [{"id": "first", "text": STORY}, {"id": "copy", "text": STORY}, {"id": "other", "text": OTHER}]
    with Pipeline({"review": {"decisions": str(decisions)}}) as pipe:
        placed = {r["id"]: r["duplicate_of"] for r in pipe.process(records)}
    assert placed == {"first": None, "copy": None, "other": "first"}


def test_jsonl_streams_report_line_numbers() -> None:
    lines = b"".join(
        [
            json.dumps({"id": "a", "body": STORY}).encode() + b"\n",
            b"\n",
            b"not json\n",
            json.dumps({"body": UPDATE}).encode(),
        ]
    )
    with Pipeline(NO_DECISIONS, text_field="body") as pipe:
        out = list(pipe.process_jsonl(io.BytesIO(lines), name="feed"))
    assert [(r["id"], r["duplicate_of"]) for r in out] == [("a", None), ("feed-4", "a")]
    assert [(e.path, e.line) for e in pipe.errors] == [("feed", 3)]


def test_compressed_streams_are_refused_with_what_to_do() -> None:
    with pipeline() as pipe:
        assert list(pipe.process_jsonl(io.BufferedReader(io.BytesIO(gzip.compress(b'{"text": "x"}\n'))))) == []
    assert "gzip" in str(pipe.errors[0]) and "zcat" in str(pipe.errors[0])


def test_readme_python_examples_run() -> None:
    """The README's Python examples marked `<!-- doctest -->` run as written, from the project folder,
    one after another as in one session."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- doctest -->\n```pycon\n(.*?)```", readme, re.S)
    assert blocks, "the README has no doctested examples"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    session: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for k, block in enumerate(blocks):
            test = parser.get_doctest(block, session, f"README block {k + 1}", str(ROOT / "README.md"), 0)
            runner.run(test, clear_globs=False)
            session = test.globs
    assert runner.summarize(verbose=False).failed == 0


def test_module_docstring_examples_run() -> None:
    import cleaner.stream

    results = doctest.testmod(cleaner.stream, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0 and results.failed == 0
