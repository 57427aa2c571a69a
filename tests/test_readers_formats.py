"""Input formats (issue 5): .jsonl.gz and Parquet read like JSONL, with the same field options and order."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cleaner import load_config, run
from cleaner.io.readers import InputSpec, RawDoc, ReadError, list_inputs, read_inputs

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TEXT = "Ein Titel\n\nDer erste Absatz erzählt, was in Köln geschah, und er ist lang genug für Fließtext."
RECORDS = [
    {"id": "a1", "text": TEXT + " Eins.", "url": "https://example.org/1", "source": "wire"},
    {"id": "a2", "text": TEXT + " Zwei.", "url": "https://example.org/2", "source": None},
]


def spec(**input_section: object) -> InputSpec:
    return InputSpec.from_config(load_config({"input": input_section} if input_section else None).section("input"))


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def as_tuples(items: list[RawDoc | ReadError]) -> list[tuple]:
    return [(d.id, d.source, d.text, d.meta) if isinstance(d, RawDoc) else d.to_dict() for d in items]


def test_jsonl_gz_reads_like_jsonl(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "packed").mkdir()
    (tmp_path / "plain" / "feed.jsonl").write_bytes(jsonl_bytes(RECORDS))
    (tmp_path / "packed" / "feed.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(RECORDS)))
    plain = list(read_inputs(tmp_path / "plain", spec()))
    packed = list(read_inputs(tmp_path / "packed", spec()))
    assert as_tuples(packed) == as_tuples(plain)
    assert [d.path for d in packed] == ["feed.jsonl.gz"] * 2
    assert [(d.id, d.source, d.meta) for d in packed] == [
        ("a1", "wire", {"url": "https://example.org/1", "source": "wire"}),
        ("a2", None, {"url": "https://example.org/2", "source": None}),
    ]


def test_gzip_is_told_by_content_not_name(tmp_path: Path) -> None:
    """A compressed file saved as .jsonl is still read, not reported as binary."""
    (tmp_path / "feed.jsonl").write_bytes(gzip.compress(jsonl_bytes(RECORDS)))
    assert [d.id for d in read_inputs(tmp_path, spec())] == ["a1", "a2"]


def test_field_options_apply_to_jsonl_gz_and_parquet(tmp_path: Path) -> None:
    rows = [{"uid": 7, "body": TEXT, "lang": "de"}]
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(rows)))
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "b.parquet")
    docs = list(read_inputs(tmp_path, spec(text_field="body", id_field="uid")))
    assert [(d.id, d.path, d.text, d.meta) for d in docs] == [
        ("7", "a.jsonl.gz", TEXT, {"lang": "de"}),
        ("7", "b.parquet", TEXT, {"lang": "de"}),
    ]


def test_parquet_rows_become_docs_with_json_safe_meta(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["p1", "p2", "p3", "p4"],
            "text": [TEXT, None, TEXT + " Drei.", "  "],
            "published": [dt.datetime(2022, 1, 10, 22, 53)] * 4,
            "day": [dt.date(2022, 1, 10)] * 4,
            "score": [0.5, float("nan"), 1.0, 2.0],
            "price": pa.array([Decimal("1.50")] * 4, pa.decimal128(5, 2)),
            "raw": [b"\xff\x00ok"] * 4,
            "tags": [["a", "b"], [], None, ["c"]],
        }
    )
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=2)
    items = list(read_inputs(tmp_path, spec()))
    assert [type(i).__name__ for i in items] == ["RawDoc", "ReadError", "RawDoc", "ReadError"]
    p1, missing, p3, empty = items
    assert (p1.id, p1.path, p1.source, p1.text, p1.encoding) == ("p1", "news.parquet", None, TEXT, "utf-8")
    assert p1.meta == {
        "published": "2022-01-10T22:53:00",
        "day": "2022-01-10",
        "score": 0.5,
        "price": "1.50",
        "raw": "\\xff\x00ok",
        "tags": ["a", "b"],
    }
    json.dumps(p1.meta, allow_nan=False)  # the output must stay valid JSON
    assert p3.meta["tags"] is None
    assert (missing.line, missing.reason) == (2, "field 'text' is missing")
    assert (empty.line, empty.reason) == (4, "field 'text' is empty")


def test_parquet_without_the_text_column_is_one_report(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": ["x"], "body": [TEXT]}), tmp_path / "t.parquet")
    (err,) = read_inputs(tmp_path, spec())
    assert err.path == "t.parquet" and err.line is None
    assert err.reason == "no column 'text' (columns: id, body)"
    assert "text_field" in err.hint


def test_corrupt_and_empty_parquet_are_reported(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), tmp_path / "e.parquet"
    )
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 this is not parquet at all")
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"id": ["g"] * 500, "text": [TEXT] * 500}), good)
    (tmp_path / "cut.parquet").write_bytes(good.read_bytes()[:-40])
    errors = {e.path: e for e in read_inputs(tmp_path, spec()) if isinstance(e, ReadError)}
    assert set(errors) == {"cut.parquet", "e.parquet", "junk.parquet"}
    assert errors["e.parquet"].reason == "empty file: no rows"
    for name in ("cut.parquet", "junk.parquet"):
        assert errors[name].reason.startswith("not a readable Parquet file")
        assert "re-export" in errors[name].hint


def test_missing_pyarrow_names_the_file_and_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pq.write_table(pa.table({"id": ["x"], "text": [TEXT]}), tmp_path / "n.parquet")
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    err, doc = read_inputs(tmp_path, spec())
    assert isinstance(doc, RawDoc) and doc.id == "t"
    assert err == ReadError(
        "n.parquet", "reading Parquet needs pyarrow, which is not installed", "pip install 'cleaner[parquet]'"
    )


def test_mixed_formats_in_one_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "d.txt").write_text(TEXT, encoding="utf-8")
    pq.write_table(pa.table({"id": ["b1", "b0"], "text": [TEXT, TEXT]}), tmp_path / "b.parquet")
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(RECORDS)))
    (tmp_path / "e.JSONL").write_bytes(jsonl_bytes([{"id": "e", "text": TEXT}]))
    (tmp_path / "ignored.gz").write_bytes(gzip.compress(b"not an input"))
    (tmp_path / "ignored.csv").write_text("id,text\n", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in list_inputs(tmp_path, spec())]
    assert names == ["a.jsonl.gz", "b.parquet", "c/d.txt", "e.JSONL"]
    ids = [d.id for d in read_inputs(tmp_path, spec())]
    assert ids == ["a1", "a2", "b1", "b0", "c/d", "e"], "files in path order, records in file order"


def test_run_on_a_single_gz_file_and_a_parquet_file(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl.gz"
    feed.write_bytes(gzip.compress(jsonl_bytes(RECORDS)))
    table = tmp_path / "feed.parquet"
    pq.write_table(pa.Table.from_pylist([{**r, "when": dt.date(2022, 1, 10)} for r in RECORDS]), table)
    for source, name in ((feed, "gz"), (table, "pq")):
        summary = run(source, tmp_path / name)
        assert summary.ok and summary.documents == 2
        lines = (tmp_path / name / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert [(r["id"], r["path"], r["source"]) for r in records] == [
            ("a1", source.name, "wire"),
            ("a2", source.name, None),
        ]
    assert json.loads(lines[0])["meta"]["when"] == "2022-01-10"
