"""`cleaner run -` (issue 5): JSONL records from stdin, results on stdout as they are done, the rest on stderr."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from cleaner.cli import app; app()", "run"]

STORY = (
    "The council of Severnside voted on Tuesday to close the old harbour bridge for repairs. Engineers "
    "found cracks in two of its piers during an inspection last month, and the bridge will stay closed "
    "until the end of the year. Ferries will run every twenty minutes in the meantime, and buses will use "
    "the northern crossing. Shop owners near the harbour fear losing customers in the busy summer season."
)
OTHER = (
    "Farmers in the valley began the grape harvest two weeks earlier than usual after a hot and dry "
    "summer. Growers expect a small crop of very ripe grapes, and several wineries have hired extra "
    "pickers from neighbouring towns to bring the fruit in before the forecast rain arrives next week."
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working folder without config.toml or review.toml: the built-in defaults apply."""
    return tmp_path


def lines(*records: object) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


def cleaner_run(stdin: bytes, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, "-", *args], input=stdin, capture_output=True, cwd=cwd, timeout=120, check=False)


def records(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_records_in_results_out(workdir: Path) -> None:
    done = cleaner_run(
        lines({"id": "a", "text": STORY, "url": "u1"}, {"id": "b", "text": STORY}, {"text": OTHER}), cwd=workdir
    )
    assert done.returncode == 0, done.stderr
    out = records(done.stdout)
    assert [(r["id"], r["cluster"], r["duplicate_of"]) for r in out] == [
        ("a", "a", None),
        ("b", "a", "a"),
        ("stdin-3", "stdin-3", None),
    ]
    assert list(out[0])[-4:] == ["cluster", "duplicate_of", "similarity", "relation"]
    assert out[0]["meta"] == {"url": "u1"} and out[1]["relation"] == "near-duplicate"
    said = done.stderr.decode()
    assert "3 documents -> stdout" in said and "clusters 1, duplicates 1" in said


def test_bad_lines_are_named_on_stderr_skipped_and_exit_1(workdir: Path) -> None:
    stdin = lines({"id": "a", "text": STORY}, b"not json", {"id": "c", "body": OTHER}, {"id": "a", "text": OTHER})
    done = cleaner_run(stdin + lines({"id": "e", "text": OTHER}), cwd=workdir)
    assert done.returncode == 1
    assert [r["id"] for r in records(done.stdout)] == ["a", "e"]
    said = done.stderr.decode()
    assert "stdin:2: not a JSON record" in said
    assert "stdin:3: field 'text' is missing" in said and "--text-field" in said
    assert "stdin:4: duplicate id 'a'" in said
    assert "3 record(s) skipped" in said
    assert b"skipped" not in done.stdout


def test_field_options_name_the_fields(workdir: Path) -> None:
    stdin = lines({"url": "https://example.org/1", "body": STORY, "text": "not the article"})
    done = cleaner_run(stdin, "--text-field", "body", "--id-field", "url", cwd=workdir)
    assert done.returncode == 0, done.stderr
    [out] = records(done.stdout)
    assert out["id"] == "https://example.org/1"
    assert out["text"].startswith("The council of Severnside") and out["meta"] == {"text": "not the article"}


def test_a_result_comes_out_before_stdin_is_closed(workdir: Path) -> None:
    proc = subprocess.Popen(
        [*CLI, "-"], cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(lines({"id": "first", "text": STORY}))
        proc.stdin.flush()
        first = json.loads(read_line(proc, timeout=60))
        assert (first["id"], first["duplicate_of"]) == ("first", None)
        proc.stdin.write(lines({"id": "second", "text": STORY}))
        proc.stdin.flush()
        second = json.loads(read_line(proc, timeout=60))
        assert (second["id"], second["duplicate_of"]) == ("second", "first")
        assert proc.poll() is None, "the process is still waiting for input"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stdout.read() == b""
    finally:
        proc.kill()
        proc.wait()


def read_line(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
    """One line of the process's stdout, failing after ``timeout`` seconds instead of hanging."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            if not selector.select(timeout):
                pytest.fail(f"no result within {timeout} s while stdin is open (got {line!r})")
            chunk = os.read(fd, 1)
            if not chunk:
                pytest.fail(f"stdout ended early: {line!r}")
            line += chunk
    return line


def test_empty_stdin_is_no_error(workdir: Path) -> None:
    done = cleaner_run(b"", cwd=workdir)
    assert (done.returncode, done.stdout) == (0, b"")
    assert "0 documents -> stdout" in done.stderr.decode()


def test_json_summary_goes_to_stderr(workdir: Path) -> None:
    done = cleaner_run(lines({"id": "a", "text": STORY}, {"id": "b", "text": STORY}), "--json", cwd=workdir)
    assert [r["id"] for r in records(done.stdout)] == ["a", "b"]
    summary = json.loads(done.stderr)
    assert (summary["documents"], summary["duplicates"], summary["out"]) == (2, 1, "-")


@pytest.mark.parametrize(
    "option",
    [["--out", "somewhere"], ["--workers", "2"], ["--format", "parquet"], ["--engine", "dask"], ["--index", "i.db"]],
)
def test_folder_options_are_refused_with_stdin(workdir: Path, option: list[str]) -> None:
    done = cleaner_run(lines({"id": "a", "text": STORY}), *option, cwd=workdir)
    assert done.returncode == 2 and done.stdout == b""
    assert f"{option[0]} does not apply to `cleaner run -`" in " ".join(done.stderr.decode().split())
    assert not (workdir / "somewhere").exists()


def test_compressed_stdin_is_refused_with_what_to_do(workdir: Path) -> None:
    import gzip

    done = cleaner_run(gzip.compress(lines({"id": "a", "text": STORY})), cwd=workdir)
    assert done.returncode == 1 and done.stdout == b""
    assert "gzip" in done.stderr.decode() and "zcat" in done.stderr.decode()


def test_a_bad_config_stops_with_exit_2_naming_the_key(workdir: Path) -> None:
    (workdir / "my.toml").write_text("[input]\ntext_fields = 'body'\n", encoding="utf-8")
    done = cleaner_run(lines({"id": "a", "text": STORY}), "--config", "my.toml", cwd=workdir)
    assert done.returncode == 2 and done.stdout == b""
    assert "input.text_fields" in done.stderr.decode()


def test_field_options_apply_to_folder_runs(workdir: Path) -> None:
    (workdir / "raw").mkdir()
    feed = lines({"key": "k1", "body": STORY}, {"key": "k2", "body": STORY})
    (workdir / "raw" / "feed.jsonl").write_bytes(feed)
    done = subprocess.run(
        [*CLI, "raw", "--out", "clean", "--text-field", "body", "--id-field", "key"],
        cwd=workdir,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    corpus = [
        json.loads(line) for line in (workdir / "clean" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(r["id"], r["duplicate_of"]) for r in corpus] == [("k1", None), ("k2", "k1")]


def test_a_configured_index_is_named_not_used(workdir: Path) -> None:
    (workdir / "my.toml").write_text('[index]\npath = "news.sqlite"\n', encoding="utf-8")
    done = cleaner_run(lines({"id": "a", "text": STORY}), "--config", "my.toml", cwd=workdir)
    assert done.returncode == 0 and [r["id"] for r in records(done.stdout)] == ["a"]
    assert "not deduplicated against the index" in " ".join(done.stderr.decode().split())
    assert not (workdir / "news.sqlite").exists()
