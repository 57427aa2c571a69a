"""The parallel engine gives the output of a one-process run, byte for byte, in any file order."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from cleaner import run

ROOT = Path(__file__).resolve().parent.parent
# Chunks of 4 documents make the sample corpus eight chunks, so two workers really share them.
SMALL_CHUNKS = {"engine": {"chunk_docs": 4}}


def _files(folder: Path) -> dict[str, bytes]:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    manifest = json.loads(files.pop("manifest.json"))
    for machine_dependent in ("timings", "peak_rss_mb", "workers", "out", "input"):
        manifest["summary"].pop(machine_dependent)
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    one = run(ROOT / "raw", tmp_path / "one", SMALL_CHUNKS, workers=1)
    two = run(ROOT / "raw", tmp_path / "two", SMALL_CHUNKS, workers=2)
    assert one.documents == two.documents == 32
    assert two.workers == 2
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def _as_jsonl(path: Path, order: random.Random) -> None:
    """The sample corpus's text files as one JSONL feed, records in a shuffled order."""
    files = sorted(p for p in (ROOT / "raw").rglob("*.txt"))
    order.shuffle(files)
    with path.open("w", encoding="utf-8") as f:
        for p in files:
            text = p.read_bytes().decode("utf-8", "replace")
            f.write(json.dumps({"id": p.relative_to(ROOT / "raw").with_suffix("").as_posix(), "text": text}) + "\n")


def test_record_order_and_workers_do_not_change_the_output(tmp_path: Path) -> None:
    for name, seed in (("a", 1), ("b", 2)):
        (tmp_path / name).mkdir()
        _as_jsonl(tmp_path / name / "feed.jsonl", random.Random(seed))
    first = run(tmp_path / "a" / "feed.jsonl", tmp_path / "a-out", SMALL_CHUNKS, workers=1)
    second = run(tmp_path / "b" / "feed.jsonl", tmp_path / "b-out", SMALL_CHUNKS, workers=2)
    assert first.clusters == second.clusters >= 2
    for name in ("corpus.jsonl", "clusters.jsonl", "removed.jsonl", "comments.jsonl", "corpus.dedup.jsonl"):
        assert (tmp_path / "a-out" / name).read_bytes() == (tmp_path / "b-out" / name).read_bytes(), name


def test_manifest_tells_which_stage_set_the_main_process_peak(tmp_path: Path) -> None:
    run(ROOT / "raw", tmp_path / "out", SMALL_CHUNKS, workers=2)
    peaks = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["summary"]["peak_rss_mb"]
    by_stage = peaks["main_by_stage"]
    stages = ["clean", "signature", "dedup", "write"]
    assert sorted(by_stage) == sorted(stages)
    # Each is the peak so far, so they never fall, and the last is the run's peak.
    values = [by_stage[stage] for stage in stages]
    assert all(0 < a <= b for a, b in itertools.pairwise(values))
    assert by_stage["write"] == peaks["main"]


def test_manifest_times_the_report(tmp_path: Path) -> None:
    """The whole-run benchmark leaves the report out of the run's time, so the manifest must say
    how long the report took: it is written after the report as well as before."""
    summary = run(ROOT / "raw", tmp_path / "out", SMALL_CHUNKS, workers=1)
    timings = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["summary"]["timings"]
    assert timings["report"] == round(summary.timings["report"], 3)
    assert timings["report"] > 0
    assert (tmp_path / "out" / "report.html").is_file()
