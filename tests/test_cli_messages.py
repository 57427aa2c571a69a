"""Messages on stderr are never wrapped: logs are read with grep and commands are copied from them.

Without a terminal the console would break lines at 80 columns, splitting `pip install 'cleaner[parquet]'`
or a path in two. Each test's message is far longer than any default width.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

PROSE = "Der Stadtrat hat am Montag neue Pläne für den Hafen vorgestellt, die viele Fragen offen lassen."


def one_line_with(text: str, output: str) -> str:
    (line,) = [line for line in output.splitlines() if text in line]
    return line


@pytest.fixture
def no_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if pyarrow were not installed: importing it fails."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)


def test_a_usage_error_is_one_line(tmp_path: Path, no_pyarrow: None) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(f"Ein Titel\n\n{PROSE}\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--format", "parquet"])

    assert result.exit_code == 2, result.output
    line = one_line_with("needs pyarrow", result.stderr)
    assert line.startswith("error: output.format = parquet needs pyarrow, which is not installed: ")
    assert "pip install 'cleaner[parquet]'" in line and line.endswith("or use --format jsonl")
    assert len(result.stderr.splitlines()) == 1


def test_a_skipped_input_its_hint_and_the_closing_line_are_one_line_each(tmp_path: Path, no_pyarrow: None) -> None:
    raw = tmp_path / "raw"
    (raw / "a-folder-with-a-rather-long-name-as-scrapers-make-them").mkdir(parents=True)
    feed = raw / "a-folder-with-a-rather-long-name-as-scrapers-make-them" / "records-of-the-day.parquet"
    feed.write_bytes(b"PAR1")
    (raw / "a.txt").write_text(f"Ein Titel\n\n{PROSE}\n", encoding="utf-8")
    out = tmp_path / "an-output-folder-whose-name-is-long-too"

    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out), "--workers", "1"])

    assert result.exit_code == 1, result.output
    line = one_line_with("needs pyarrow", result.stderr)
    assert line == (
        "skipped a-folder-with-a-rather-long-name-as-scrapers-make-them/records-of-the-day.parquet: "
        "reading Parquet needs pyarrow, which is not installed (pip install 'cleaner[parquet]')"
    )
    assert result.stderr.splitlines()[-1] == (
        f"1 input(s) could not be read or cleaned and were skipped; see {out}/manifest.json"
    )


def test_usage_errors_of_the_stream_are_one_line() -> None:
    result = CliRunner().invoke(app, ["run", "-", "--out", "somewhere"], input="")

    assert result.exit_code == 2
    line = one_line_with("--out does not apply", result.stderr)
    assert line.startswith("error: --out does not apply to `cleaner run -`: records are read from stdin")
    assert line.endswith("save the records to a .jsonl file and run on it")
