"""`[output] layout = "parts"`: the corpus written per chunk by the workers, the same records as corpus.jsonl.

Every part is sorted by id, and all parts together sorted by id are corpus.jsonl (and the
corpus.dedup parts corpus.dedup.jsonl), byte for byte, for the local engine with one and two
workers and for the Dask engine on a local cluster of two; the other output files do not change,
and the report and `cleaner review` read either layout.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerError, ConfigError, run
from cleaner.cli import app
from cleaner.io.corpus import corpus_files, read_corpus
from cleaner.report import load
from cleaner.review import Decision, append_decision

ROOT = Path(__file__).resolve().parent.parent
NO_DECISIONS = {"review": {"decisions": "/nonexistent/review.toml"}}
# Chunks of 4 documents make raw/ eight chunks, so eight parts shared among the workers.
SMALL_CHUNKS = {**NO_DECISIONS, "engine": {"chunk_docs": 4}}
PARTS = {**SMALL_CHUNKS, "output": {"layout": "parts"}}
RAW_PARTS = 8
BENCH_DOCS = 5_000
UNCHANGED = ("clusters.jsonl", "removed.jsonl", "comments.jsonl")


def by_id(line: str) -> str:
    return json.loads(line)["id"]


def part_lines(out: Path, folder: str = "corpus") -> list[list[str]]:
    """The lines of each part in ``out/folder``, in part order."""
    files = sorted((out / folder).glob("part-*.jsonl"))
    return [f.read_text(encoding="utf-8").splitlines(keepends=True) for f in files]


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def folder_bytes(out: Path, skip: tuple[str, ...] = ("manifest.json",)) -> dict[str, bytes]:
    """Every file of an output folder but those named in ``skip`` (timings and such differ)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} | {
        name: b"" for name in skip
    }


def assert_parts_are_the_corpus(parts: Path, single: Path, count: int) -> None:
    """Each part sorted by id, and the parts together sorted by id equal to the single layout's files."""
    for folder, whole in (("corpus", "corpus.jsonl"), ("corpus.dedup", "corpus.dedup.jsonl")):
        each = part_lines(parts, folder)
        assert [p.name for p in sorted((parts / folder).glob("*.jsonl"))] == [
            f"part-{k:05d}.jsonl" for k in range(count)
        ]
        for part in each:
            assert [by_id(line) for line in part] == sorted(by_id(line) for line in part)
        assert sorted((line for part in each for line in part), key=by_id) == lines(single / whole)
    for name in UNCHANGED:
        assert (parts / name).read_bytes() == (single / name).read_bytes(), name
    assert not (parts / "corpus.jsonl").exists() and not (parts / "corpus.dedup.jsonl").exists()


@pytest.fixture(scope="module")
def raw_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """raw/ in the single layout, and in parts with one and with two workers."""
    base = tmp_path_factory.mktemp("parts")
    run(ROOT / "raw", base / "single", SMALL_CHUNKS, workers=2)
    run(ROOT / "raw", base / "parts-1", PARTS, workers=1)
    run(ROOT / "raw", base / "parts-2", PARTS, workers=2)
    return {name: base / name for name in ("single", "parts-1", "parts-2")}


@pytest.mark.parametrize("name", ["parts-1", "parts-2"])
def test_parts_sorted_by_id_are_corpus_jsonl_on_raw(raw_runs: dict[str, Path], name: str) -> None:
    assert_parts_are_the_corpus(raw_runs[name], raw_runs["single"], RAW_PARTS)
    records = [json.loads(line) for part in part_lines(raw_runs[name]) for line in part]
    assert any(r["duplicate_of"] for r in records), "the cluster fields are filled in"


def test_parts_are_byte_identical_for_one_and_two_workers(raw_runs: dict[str, Path]) -> None:
    assert folder_bytes(raw_runs["parts-1"]) == folder_bytes(raw_runs["parts-2"])
    docs = folder_bytes(raw_runs["single"])
    assert {k: v for k, v in folder_bytes(raw_runs["parts-2"]).items() if k.startswith("docs/")} == {
        k: v for k, v in docs.items() if k.startswith("docs/")
    }


def test_the_manifest_names_the_layout(raw_runs: dict[str, Path]) -> None:
    def summary(name: str) -> dict:
        return json.loads((raw_runs[name] / "manifest.json").read_text(encoding="utf-8"))["summary"]

    assert summary("single")["layout"] == "single" and "parts" not in summary("single")
    assert (summary("parts-2")["layout"], summary("parts-2")["parts"]) == ("parts", RAW_PARTS)


def test_read_corpus_and_corpus_files_take_either_layout(raw_runs: dict[str, Path]) -> None:
    single, parts = raw_runs["single"], raw_runs["parts-2"]
    assert corpus_files(single) == [single / "corpus.jsonl"]
    assert corpus_files(parts) == [parts / "corpus" / f"part-{k:05d}.jsonl" for k in range(RAW_PARTS)]
    assert sorted(read_corpus(parts), key=lambda r: r["id"]) == list(read_corpus(single))


def test_report_and_review_read_the_parts(raw_runs: dict[str, Path], tmp_path: Path) -> None:
    single, parts = raw_runs["single"], raw_runs["parts-2"]
    assert (parts / "report.md").read_bytes() == (single / "report.md").read_bytes()
    assert load(parts).docs == load(single).docs
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(parts)])
    assert result.exit_code == 0, result.output
    assert (parts / "report.md").read_bytes() == (single / "report.md").read_bytes()

    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    members = [json.loads(line)["members"] for line in lines(parts / "clusters.jsonl")]
    kept = members[0][0]["id"]
    append_decision(tmp_path / "review.toml", Decision((kept, "old/removed-story"), "distinct", "2024-01-01T00:00:00Z"))
    result = runner.invoke(app, ["review", str(parts), "--config", str(config), "--list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "ids no longer in the corpus (1): old/removed-story" in result.output
    result = runner.invoke(app, ["review", str(parts), "--config", str(config)], input="q\n")
    assert result.exit_code == 0, result.output
    assert f"cluster 1 of {len(members)}" in result.output


def test_a_missing_part_is_named(raw_runs: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name, data in folder_bytes(raw_runs["parts-2"], skip=()).items():
        (broken / name).parent.mkdir(parents=True, exist_ok=True)
        (broken / name).write_bytes(data)
    (broken / "corpus" / "part-00003.jsonl").unlink()
    result = CliRunner().invoke(app, ["report", str(broken)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "part-00003.jsonl: missing, but the manifest counts 8 corpus parts" in message
    with pytest.raises(CleanerError, match=r"part-00003\.jsonl: missing"):
        list(read_corpus(broken))


def make_feed(path: Path, stories: int, seed: int) -> None:
    """A JSONL feed of made-up stories, a third of them with edited copies, under random ids in
    random order: its chunks are not in id order across each other."""
    rng = random.Random(seed)
    words = ["".join(rng.choices("abcdefghijklmnoprstuvwz", k=rng.randint(3, 9))) for _ in range(3000)]
    records = []
    for s in range(stories):
        paragraphs = [" ".join(rng.choices(words, k=45)).capitalize() + "." for _ in range(3)]
        text = f"Story {s} {rng.choice(words)}\n\n" + "\n\n".join(paragraphs)
        records.append(text)
        if s % 3 == 0:
            for _ in range(rng.randint(1, 3)):
                copy = text.split(" ")
                for k in rng.sample(range(len(copy)), 4):
                    copy[k] = rng.choice(words)
                records.append(" ".join(copy))
    rng.shuffle(records)
    with path.open("w", encoding="utf-8") as feed:
        for text in records:
            feed.write(json.dumps({"id": f"{rng.getrandbits(40):010x}", "text": text}) + "\n")


def test_parts_of_a_feed_in_random_id_order(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    make_feed(tmp_path / "raw" / "feed.jsonl", stories=450, seed=6)
    config = {**NO_DECISIONS, "engine": {"chunk_docs": 50}}
    single = run(tmp_path / "raw", tmp_path / "single", config, workers=2)
    parts = run(tmp_path / "raw", tmp_path / "parts", {**config, "output": {"layout": "parts"}}, workers=2)
    assert single.duplicates > 100 and parts.parts == -(-single.documents // 50)
    assert_parts_are_the_corpus(tmp_path / "parts", tmp_path / "single", parts.parts)
    ids = [by_id(line) for part in part_lines(tmp_path / "parts") for line in part]
    assert ids != sorted(ids), "the parts follow the input order, not the id order"


def test_parquet_parts_hold_the_rows_of_their_jsonl_parts(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "parts"
    run(ROOT / "raw", out, {**PARTS, "output": {"layout": "parts", "format": "parquet"}}, workers=2)
    assert not (out / "corpus.parquet").exists()
    for k in range(RAW_PARTS):
        rows = pq.read_table(out / "corpus" / f"part-{k:05d}.parquet").to_pylist()
        for row in rows:
            row["meta"] = json.loads(row["meta"])
        assert rows == [json.loads(line) for line in lines(out / "corpus" / f"part-{k:05d}.jsonl")]


def test_cli_layout_option_and_a_bad_layout(tmp_path: Path) -> None:
    runner = CliRunner()
    command = ["run", str(ROOT / "raw"), "--out", str(tmp_path / "clean"), "--config", str(ROOT / "config.toml")]
    result = runner.invoke(app, [*command, "--layout", "parts", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["layout"] == "parts" and summary["parts"] == 1
    # The committed clean/ is the single layout of the same command.
    (part,) = part_lines(tmp_path / "clean")
    assert part == lines(ROOT / "clean" / "corpus.jsonl")
    result = runner.invoke(app, ["run", "-", "--layout", "parts"], input="")
    assert result.exit_code == 2 and "--layout does not apply" in result.output
    with pytest.raises(ConfigError, match=r"output\.layout: must be one of single, parts, got 'shards'"):
        run(ROOT / "raw", tmp_path / "other", {"output": {"layout": "shards"}})


def test_dask_writes_the_parts_the_local_engine_writes_on_raw(
    dask_installed: None, raw_runs: dict[str, Path], tmp_path: Path
) -> None:
    run(ROOT / "raw", tmp_path / "dask", PARTS, workers=2, engine_kind="dask")
    assert folder_bytes(tmp_path / "dask") == folder_bytes(raw_runs["parts-2"])


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus of scraped-style files (bench/make_corpus.py, from ../shared text): twenty
    chunks, each a part, spread over the workers. (tests/test_dask_engine.py compares the engines on
    20,000 documents; the parts are written by the same task whatever the corpus size.)"""
    if not (ROOT.parent / "shared" / "corpus").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (bench/make_corpus.py reads its text)")
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    command = [sys.executable, str(ROOT / "bench" / "make_corpus.py"), "--n", str(BENCH_DOCS), "--out", str(folder)]
    subprocess.run(command, check=True, capture_output=True)
    return folder / "raw"


def test_dask_parts_sorted_by_id_are_the_local_corpus_on_a_generated_corpus(
    dask_installed: None, bench_corpus: Path, tmp_path: Path
) -> None:
    single = run(bench_corpus, tmp_path / "single", NO_DECISIONS, workers=2)
    parts = run(
        bench_corpus, tmp_path / "dask", {**NO_DECISIONS, "output": {"layout": "parts"}}, workers=2, engine_kind="dask"
    )
    assert single.documents == parts.documents == BENCH_DOCS and parts.parts == BENCH_DOCS // 250
    assert_parts_are_the_corpus(tmp_path / "dask", tmp_path / "single", parts.parts)
