"""Reading a text file against `[input] max_file_mb`: the whole file within the limit, an error
past it, also for a file that grew between the folder scan's `stat` and the read."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

from cleaner import load_config
from cleaner.io import readers
from cleaner.io.readers import InputSpec, RawDoc, ReadError, read_inputs

LIMIT_MB = 0.001  # 1,048 bytes
TEXT = "Ein Titel\n\nDer erste Absatz erzählt, was in Köln geschah.\n"


def _spec() -> InputSpec:
    return InputSpec.from_config(load_config({"input": {"max_file_mb": LIMIT_MB}}).section("input"))


def _stat_says(monkeypatch: pytest.MonkeyPatch, target: Path, size: int) -> None:
    """Make the reader's stat report ``size`` bytes for ``target``, as if it grew since."""
    real = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> object:
        found = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)) == target:
            return types.SimpleNamespace(st_mode=found.st_mode, st_size=size)
        return found

    monkeypatch.setattr(readers.os, "stat", stat)


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    [doc] = list(read_inputs(tmp_path, _spec()))
    assert isinstance(doc, RawDoc) and doc.text == TEXT


def test_a_file_that_grew_since_stat_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT * 3, encoding="utf-8")
    _stat_says(monkeypatch, path, len(TEXT))
    [doc] = list(read_inputs(tmp_path, _spec()))
    assert isinstance(doc, RawDoc) and doc.text == TEXT * 3


def test_a_file_that_grew_past_the_limit_since_stat_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT * 40, encoding="utf-8")  # past 1,048 bytes
    _stat_says(monkeypatch, path, len(TEXT))
    [error] = list(read_inputs(tmp_path, _spec()))
    assert isinstance(error, ReadError) and error.path == "a.txt"
    assert "file too large" in error.reason and "max_file_mb" in error.reason
