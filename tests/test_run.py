"""End to end: `run` and the CLI on a small tree built on the fly, with good and bad inputs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerError, run
from cleaner.cli import app

LEAD = "Der erste Absatz erzählt, was geschah, und er ist lang genug, um als Fließtext zu gelten."
BODY = "Ein zweiter Absatz mit weiteren Einzelheiten, Zitaten und Zahlen aus der Stadt."


def make_tree(root: Path) -> Path:
    raw = root / "raw"
    (raw / "outlet").mkdir(parents=True)
    (raw / "outlet" / "a.txt").write_text(
        f"Ein Titel\n\nStand: 10.01.2022 22:53 Uhr\n\n{LEAD}\n\n{BODY}\n\n"
        "KOMMENTARE\n\nleser 11.01.2022 • 00:07 Uhr\n\nGut.\n",
        encoding="utf-8",
    )
    (raw / "outlet" / "b.txt").write_bytes(f"Zweiter Titel\n\n{LEAD} Grüße – „Zitat“.\n".encode("cp1252"))
    (raw / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR\x00\x00")
    (raw / "empty.txt").write_text("  \n", encoding="utf-8")
    (raw / "feed.jsonl").write_text(
        json.dumps({"id": "rec-1", "text": f"Titel drei\n\n{LEAD}", "url": "https://example.org/1"}) + "\n"
        "{not json\n" + json.dumps({"id": "rec-2", "body": "no text field"}) + "\n",
        encoding="utf-8",
    )
    return raw


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_run_writes_the_contract(tmp_path):
    raw = make_tree(tmp_path)
    before = checksums(raw)
    summary = run(raw, tmp_path / "clean")
    assert checksums(raw) == before, "the input is never modified"
    out = tmp_path / "clean"
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["outlet/a", "outlet/b", "rec-1"]
    a, b, rec = records
    assert (a["title"], a["date"], a["text"], a["source"]) == (
        "Ein Titel",
        "2022-01-10T22:53",
        f"{LEAD}\n\n{BODY}",
        "outlet",
    )
    assert a["cluster"] == "outlet/a" and a["duplicate_of"] is None
    assert b["encoding"] == "cp1252" and b["text"].endswith("Grüße – „Zitat“.")
    assert rec["meta"] == {"url": "https://example.org/1"} and rec["path"] == "feed.jsonl"
    assert (out / "docs" / "outlet" / "a.txt").read_text(encoding="utf-8").startswith("Title: Ein Titel\n")
    comments = [json.loads(line) for line in (out / "comments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert comments == [
        {"doc": "outlet/a", "n": 1, "author": "leser", "time": "2022-01-11T00:07", "text": "Gut.", "line": 11}
    ]
    removed = [json.loads(line) for line in (out / "removed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {
        "doc": "outlet/a",
        "line": 3,
        "kind": "date",
        "rule": "dates.line",
        "text": "Stand: 10.01.2022 22:53 Uhr",
    } in removed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    errors = {(e["path"], e["line"]): e["reason"] for e in manifest["summary"]["errors"]}
    assert set(errors) == {("broken.txt", None), ("empty.txt", None), ("feed.jsonl", 2), ("feed.jsonl", 3)}
    assert "binary" in errors[("broken.txt", None)] and "empty" in errors[("empty.txt", None)]
    assert summary.documents == 3 and not summary.ok


def test_output_is_byte_identical_across_runs(tmp_path):
    raw = make_tree(tmp_path)
    run(raw, tmp_path / "one")
    run(raw, tmp_path / "two")
    one, two = checksums(tmp_path / "one"), checksums(tmp_path / "two")
    one.pop("manifest.json"), two.pop("manifest.json")
    assert one == two


def test_output_inside_input_is_refused(tmp_path):
    raw = make_tree(tmp_path)
    with pytest.raises(CleanerError, match="inside the input"):
        run(raw, raw / "clean")
    with pytest.raises(CleanerError, match="not found"):
        run(tmp_path / "missing", tmp_path / "clean")


def test_cli_exit_codes_and_json_summary(tmp_path):
    raw = make_tree(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(raw), "--out", str(tmp_path / "clean"), "--json"])
    assert result.exit_code == 1, "some inputs failed, the rest was written"
    summary = json.loads(result.stdout)
    assert summary["documents"] == 3 and len(summary["errors"]) == 4
    (raw / "broken.txt").unlink()
    (raw / "empty.txt").unlink()
    (raw / "feed.jsonl").unlink()
    assert runner.invoke(app, ["run", str(raw), "--out", str(tmp_path / "clean")]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("[header]\nzone_lines = 'x'\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(raw), "--out", str(tmp_path / "c2"), "--config", str(bad)])
    assert result.exit_code == 2 and "header.zone_lines" in result.output


def test_cli_explain(tmp_path):
    raw = make_tree(tmp_path)
    result = CliRunner().invoke(app, ["explain", str(raw / "outlet" / "a.txt")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any("title (header.title)" in line and "Ein Titel" in line for line in lines)
    assert any("date (dates.line)" in line for line in lines)
    assert any(line.split()[1] == "body" for line in lines if LEAD[:20] in line)
    assert any("comment_meta" in line and "KOMMENTARE" in line for line in lines)
