"""The Dask engine writes what the local engine writes, byte for byte, and fails loudly.

Runs on a local Dask cluster of two worker processes. Skips with a message where Dask is not
installed, except under CI (the `test` extra installs it, so there a missing Dask is a failure).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import run
from cleaner.cli import app
from cleaner.config import load_config
from cleaner.engine.engines import EngineChoice, open_engine
from cleaner.engine.tasks import CleanTask
from cleaner.errors import CleanerError, ConfigError
from cleaner.io.readers import RawDoc
from cleaner.review import Decision, append_decision

ROOT = Path(__file__).resolve().parent.parent
# Chunks of 4 documents make the sample corpus eight chunks, so the two workers really share them.
SMALL_CHUNKS = {"engine": {"chunk_docs": 4}}
CONTRACT = ("corpus.jsonl", "corpus.dedup.jsonl", "clusters.jsonl", "removed.jsonl", "comments.jsonl")
BENCH_DOCS = 20_000


pytestmark = pytest.mark.usefixtures("dask_installed")


def _output(folder: Path) -> dict[str, bytes]:
    """The contract files and docs/ of an output folder."""
    files = {name: (folder / name).read_bytes() for name in CONTRACT}
    files.update({p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "docs").rglob("*.txt"))})
    return files


def _dedup_stats(folder: Path) -> dict:
    dedup = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["summary"]["dedup"]
    return {k: v for k, v in dedup.items() if not k.startswith("seconds")}


def test_dask_writes_what_the_local_engine_writes_on_raw(tmp_path: Path) -> None:
    local = run(ROOT / "raw", tmp_path / "local", SMALL_CHUNKS, workers=2)
    stages: set[tuple[str, int, int]] = set()
    messages: list[str] = []
    dask = run(
        ROOT / "raw",
        tmp_path / "dask",
        SMALL_CHUNKS,
        progress=lambda stage, done, total: stages.add((stage, done, total)),
        workers=2,
        engine_kind="dask",
        notify=messages.append,
    )
    assert dask.workers == 2
    assert (local.documents, local.clusters, local.duplicates) == (dask.documents, dask.clusters, dask.duplicates)
    assert dask.clusters >= 2
    assert _output(tmp_path / "local") == _output(tmp_path / "dask")
    assert _dedup_stats(tmp_path / "local") == _dedup_stats(tmp_path / "dask")
    # Progress on the terminal and the dashboard's address to watch the cluster.
    assert ("sign", 8, 8) in stages and ("pairs", 1, 1) in stages
    assert any(stage == "verify" and done == total for stage, done, total in stages)
    assert any("dashboard http" in m for m in messages)


def test_review_decisions_apply_alike(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[engine]\nchunk_docs = 4\n", encoding="utf-8")
    decisions = tmp_path / "review.toml"
    water, guardian, train = (
        "wire/severnside-water-fine-update",
        "guardian/severnside-water-fined",
        "mainbote/zugunglueck-bad-sellheim",
    )
    append_decision(decisions, Decision((guardian, water), "split", "2024-05-02T09:00:00Z"))
    append_decision(decisions, Decision((water, train), "merge", "2024-05-02T09:01:00Z"))
    run(ROOT / "raw", tmp_path / "local", config, workers=2)
    run(ROOT / "raw", tmp_path / "dask", config, workers=2, engine_kind="dask")
    assert _output(tmp_path / "local") == _output(tmp_path / "dask")
    clusters = (tmp_path / "dask" / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    members = [{m["id"] for m in json.loads(line)["members"]} for line in clusters]
    assert any({water, train} <= ids and guardian not in ids for ids in members)


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Path:
    """A generated corpus of 20,000 scraped-style files (bench/make_corpus.py, from ../shared text)."""
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    command = [sys.executable, str(ROOT / "bench" / "make_corpus.py"), "--n", str(BENCH_DOCS), "--out", str(folder)]
    subprocess.run(command, check=True, capture_output=True)
    return folder / "raw"


@pytest.fixture(scope="module")
def shared_corpus() -> Path:
    path = ROOT.parent / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (bench/make_corpus.py reads its text)")
    return path


def test_dask_writes_what_the_local_engine_writes_on_a_generated_corpus(bench_corpus: Path, tmp_path: Path) -> None:
    local = run(bench_corpus, tmp_path / "local", {}, workers=2)
    dask = run(bench_corpus, tmp_path / "dask", {}, workers=2, engine_kind="dask")
    assert local.documents == dask.documents == BENCH_DOCS
    assert local.clusters == dask.clusters > 500
    assert _output(tmp_path / "local") == _output(tmp_path / "dask")
    assert _dedup_stats(tmp_path / "local") == _dedup_stats(tmp_path / "dask")


def flaky(marker: Path) -> str:
    """Fails the first time it runs for a marker, succeeds after (a task that a retry rescues)."""
    if not marker.exists():
        marker.touch()
        raise OSError("disk hiccup")
    return "done"


def failing(task: CleanTask) -> None:
    """Fails every time, counting its attempts in the folder beside the task's input."""
    attempts = Path(task.docs[0][1].meta["attempts"])
    attempts.mkdir(exist_ok=True)
    (attempts / str(len(list(attempts.iterdir())))).touch()
    raise OSError("disk full")


def _engine(retries: int):
    choice = EngineChoice("dask", "", 2, retries)
    return open_engine(choice, load_config({}), lambda stage, done, total: None, lambda message: None)


def test_a_failed_task_is_retried_then_reported_with_its_input(tmp_path: Path) -> None:
    with _engine(retries=1) as engine:
        assert list(engine.map(flaky, [tmp_path / "a", tmp_path / "b"])) == ["done", "done"]
        assert (tmp_path / "a").exists() and (tmp_path / "b").exists()
        tries = {"attempts": str(tmp_path / "tries")}
        doc = RawDoc(id="feed/7", path="shards/feed-3.jsonl", source=None, text="Text.", meta=tries)
        with pytest.raises(CleanerError) as failure:
            list(engine.map(failing, [CleanTask(3, tmp_path, [(0, doc)])]))
    message = str(failure.value)
    assert "chunk 3 (shards/feed-3.jsonl, 1 documents)" in message and "disk full" in message
    assert "after 1 retries" in message
    assert len(list((tmp_path / "tries").iterdir())) == 2  # the first attempt and one retry


def test_cli_runs_on_dask_and_names_an_unreachable_scheduler(tmp_path: Path) -> None:
    import dask

    runner = CliRunner()
    out = tmp_path / "clean"
    command = ["run", str(ROOT / "raw"), "--out", str(out), "--config", str(ROOT / "config.toml")]
    result = runner.invoke(app, [*command, "--engine", "dask", "--workers", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["workers"] == 2
    assert "dashboard http" in " ".join(result.stderr.split())
    # The committed clean/ is the local engine's output of the same command.
    assert {name: (out / name).read_bytes() for name in CONTRACT} == {
        name: (ROOT / "clean" / name).read_bytes() for name in CONTRACT
    }

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(app, [*command[:3], str(tmp_path / "other"), "--scheduler", address])
    assert result.exit_code == 2
    assert f"cannot reach the Dask scheduler at {address}" in " ".join(result.output.split())
    assert not (tmp_path / "other").exists()


def test_missing_dask_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "cleaner.engine.dask_engine", raising=False)
    with pytest.raises(CleanerError, match=r"pip install 'cleaner\[dask\]'"):
        run(ROOT / "raw", tmp_path / "out", {}, engine_kind="dask")


def test_engine_choice_from_config_and_options() -> None:
    section = load_config({}).section("engine")
    assert EngineChoice.from_config(section, 2) == EngineChoice("local", "", 2, section["retries"])
    assert EngineChoice.from_config(section, 2, scheduler="tcp://h:8786").kind == "dask"
    configured = {**section, "kind": "dask", "scheduler": "tcp://h:8786"}
    assert EngineChoice.from_config(configured, 2).scheduler == "tcp://h:8786"
    assert EngineChoice.from_config(configured, 2, kind="local").scheduler == ""
    with pytest.raises(ConfigError, match=r"engine\.kind"):
        EngineChoice.from_config({**section, "kind": "spark"}, 2)
    with pytest.raises(CleanerError, match="--engine dask"):
        EngineChoice.from_config(section, 2, kind="local", scheduler="tcp://h:8786")
