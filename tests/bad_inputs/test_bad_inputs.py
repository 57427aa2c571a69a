"""Each bad input of issue 7 through `run` and through the CLI: reported, the rest cleaned, input untouched.

A report names the file (and line), says why and what to do, in the manifest and on stderr; the
run goes on and the CLI exits with 1. Inputs that can be read (other encodings, long lines,
folders named like files) are cleaned instead, and the CLI exits with 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleaner import run
from cleaner.cli import app

from .cases import CASES, GOOD_ID, SLOW_CASES, Expect, make_input


def snapshot(folder: Path) -> dict[bytes, str]:
    """What each entry is, without following links: file checksums, link targets, other types."""
    found: dict[bytes, str] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(folder)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                found[path] = "link:" + os.fsdecode(os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as f:  # open() of this module: not the one a case may deny
                    found[path] = hashlib.file_digest(f, "sha256").hexdigest()
            else:
                found[path] = f"mode:{stat.S_IFMT(info.st_mode)}"
    return found


def build(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Expect, Path | None]:
    raw = make_input(tmp_path)
    expect = CASES[name](raw, monkeypatch)
    config = None
    if expect.config is not None:
        config = tmp_path / "config.toml"
        config.write_text(
            "".join(
                f"[{section}]\n" + "".join(f"{k} = {v!r}\n" for k, v in keys.items())
                for section, keys in expect.config.items()
            ),
            encoding="utf-8",
        )
    return raw, expect, config


def assert_reported(errors: list[dict[str, Any]], expect: Expect) -> None:
    assert len(errors) == len(expect.reports), errors
    for want in expect.reports:
        match = [e for e in errors if e["path"] == want.path and (want.line is None or e["line"] == want.line)]
        assert match, f"no report for {want.path}:{want.line} in {errors}"
        (got,) = match
        assert want.reason in got["reason"] and want.hint in got["hint"], got


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_reports_or_cleans(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, expect, config = build(name, tmp_path, monkeypatch)
    before = snapshot(raw)
    summary = run(raw, tmp_path / "out", config)
    assert snapshot(raw) == before, "the input folder is never modified"

    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert_reported(manifest["summary"]["errors"], expect)
    assert summary.ok == (not expect.reports)
    records = {
        r["id"]: r
        for r in map(json.loads, (tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8").splitlines())
    }
    assert set(records) == {GOOD_ID, *expect.cleaned}, "exactly the readable documents are written"
    assert "Köln" in records[GOOD_ID]["text"]
    for doc_id, encoding in expect.cleaned.items():
        assert records[doc_id]["encoding"] == encoding
        assert records[doc_id]["text"].strip()
    if name in ("cp1252", "utf16_with_bom", "invalid_utf8"):
        assert "„Zitat“, Straße und 5 € für Ärger" in next(r["text"] for i, r in records.items() if i != GOOD_ID)


@pytest.mark.parametrize("name", sorted(set(CASES) - SLOW_CASES))
def test_cli_names_file_reason_and_hint(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, expect, config = build(name, tmp_path, monkeypatch)
    before = snapshot(raw)
    args = ["run", str(raw), "--out", str(tmp_path / "out")] + (["--config", str(config)] if config else [])
    result = CliRunner().invoke(app, args)
    assert snapshot(raw) == before
    assert result.exit_code == (1 if expect.reports else 0), result.output
    said = " ".join(result.stderr.split())  # the console wraps long lines
    for want in expect.reports:
        where = want.path if want.line is None else f"{want.path}:{want.line}"
        assert f"skipped {where}: " in said
        assert " ".join(want.reason.split()) in said and want.hint in said
    if expect.reports:
        assert f"{len(expect.reports)} input(s) could not be read" in said


def test_a_folder_of_every_hostile_file_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All cases side by side (but those that need a config of their own): one run reports all of them."""
    raw = make_input(tmp_path)
    reports, cleaned = [], {}
    for name in sorted(set(CASES) - SLOW_CASES):
        if CASES[name](make_input(tmp_path / "probe" / name), monkeypatch).config is None:
            expect = CASES[name](raw, monkeypatch)
            reports += expect.reports
            cleaned |= expect.cleaned
    before = snapshot(raw)
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 1
    assert snapshot(raw) == before
    summary = json.loads(result.stdout)
    assert_reported(summary["errors"], Expect(tuple(reports)))
    assert summary["documents"] == 1 + len(cleaned)
