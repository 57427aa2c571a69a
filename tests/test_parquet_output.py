"""`--format parquet` (issue 5): corpus.parquet holds the columns and rows of corpus.jsonl, in order."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerError, ConfigError, load_config, run
from cleaner.cli import app

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parent.parent
PARQUET = {"output": {"format": "parquet"}, "review": {"decisions": "/nonexistent/review.toml"}}


def corpus_records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]


def test_parquet_has_the_columns_and_rows_of_corpus_jsonl(tmp_path: Path) -> None:
    run(ROOT / "raw", tmp_path / "clean", PARQUET, workers=1)
    records = corpus_records(tmp_path / "clean")
    table = pq.read_table(tmp_path / "clean" / "corpus.parquet")
    assert table.column_names == list(records[0])
    rows = table.to_pylist()
    for row in rows:
        row["meta"] = json.loads(row["meta"])
    assert rows == records
    assert any(r["duplicate_of"] for r in rows) and any(r["authors"] for r in rows)
    assert pa.types.is_list(table.schema.field("authors").type)
    assert table.schema.field("authors").type.value_type == pa.string()
    assert table.schema.field("n_removed").type == pa.int64()
    assert table.schema.field("similarity").type == pa.float64()


def test_meta_of_any_shape_is_kept_as_json_text(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    text = "Ein Titel\n\nDer erste Absatz erzählt, was in Köln geschah, und er ist lang genug für Fließtext."
    feed = [
        {"id": "a", "text": text + " Eins.", "tags": ["x", "y"], "score": 1.5},
        {"id": "b", "text": text + " Zwei.", "nested": {"k": [1, None]}},
    ]
    (tmp_path / "raw" / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in feed), encoding="utf-8")
    run(tmp_path / "raw", tmp_path / "clean", PARQUET, workers=1)
    metas = pq.read_table(tmp_path / "clean" / "corpus.parquet").column("meta").to_pylist()
    assert [json.loads(m) for m in metas] == [{"tags": ["x", "y"], "score": 1.5}, {"nested": {"k": [1, None]}}]


def test_parquet_is_byte_identical_whatever_the_workers(tmp_path: Path) -> None:
    run(ROOT / "raw", tmp_path / "one", PARQUET, workers=1)
    run(ROOT / "raw", tmp_path / "two", PARQUET, workers=2)
    assert (tmp_path / "one" / "corpus.parquet").read_bytes() == (tmp_path / "two" / "corpus.parquet").read_bytes()


def test_an_empty_corpus_gives_the_columns_and_no_rows(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "feed.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    summary = run(tmp_path / "raw", tmp_path / "clean", PARQUET, workers=1)
    assert summary.documents == 0 and summary.errors
    table = pq.read_table(tmp_path / "clean" / "corpus.parquet")
    assert table.num_rows == 0 and table.column_names[:2] == ["id", "path"] and "duplicate_of" in table.column_names


def test_cli_format_option_writes_parquet_only_when_asked(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[review]\ndecisions = "none.toml"\n', encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, ["run", str(ROOT / "raw"), "--out", str(tmp_path / "plain"), "-c", str(config)])
    assert plain.exit_code == 0, plain.output
    assert not (tmp_path / "plain" / "corpus.parquet").exists()
    both = runner.invoke(
        app, ["run", str(ROOT / "raw"), "--out", str(tmp_path / "both"), "-c", str(config), "--format", "parquet"]
    )
    assert both.exit_code == 0, both.output
    assert pq.read_table(tmp_path / "both" / "corpus.parquet").num_rows == len(corpus_records(tmp_path / "both"))
    wrong = runner.invoke(app, ["run", str(ROOT / "raw"), "--out", str(tmp_path / "x"), "--format", "csv"])
    assert wrong.exit_code == 2


def test_missing_pyarrow_stops_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # importing it now raises ImportError
    with pytest.raises(CleanerError, match=r"needs pyarrow.*pip install 'cleaner\[parquet\]'"):
        run(ROOT / "raw", tmp_path / "clean", PARQUET, workers=1)
    assert not (tmp_path / "clean").exists()


def test_cli_says_what_to_install_when_pyarrow_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    result = CliRunner().invoke(
        app, ["run", str(ROOT / "raw"), "--out", str(tmp_path / "clean"), "--format", "parquet"]
    )
    assert result.exit_code == 2 and "pip install 'cleaner[parquet]'" in " ".join(result.output.split())
    assert not (tmp_path / "clean").exists()


def test_an_unknown_format_in_the_config_names_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        load_config({"output": {"format": "csv"}})
    assert info.value.key == "output.format" and "jsonl, parquet" in str(info.value)
