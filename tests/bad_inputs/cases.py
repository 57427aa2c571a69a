"""The bad inputs of issue 7, one builder each, with what a run must report or clean.

Every case writes its files into a fresh input folder that already holds one good article
(``GOOD_ID``), so each test also shows that the rest of the run goes on. A case returns its
:class:`Expect`: the reports (path, line, words of the reason and of the hint) and the documents
that must be cleaned from it.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cleaner.io import readers

GOOD_ID = "good/article"
LEAD = "Der erste Absatz erzählt, was in Köln geschah, und er ist lang genug, um als Fließtext zu gelten."
GERMAN = f"Grüße aus Köln\n\n{LEAD}\n\nEin zweiter Absatz mit „Zitat“, Straße und 5 € für Ärger.\n"
ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class Report:
    """One expected ReadError: where, and words that must appear in its reason and hint."""

    path: str
    reason: str
    hint: str
    line: int | None = None


@dataclass(frozen=True)
class Expect:
    reports: tuple[Report, ...] = ()
    cleaned: dict[str, str | None] = field(default_factory=dict)  # doc id -> encoding (None: not checked)
    config: dict[str, Any] | None = None


Builder = Callable[[Path, pytest.MonkeyPatch], Expect]
CASES: dict[str, Builder] = {}
# Seconds of cleaning and hashing each: checked through run() only, to keep the suite fast.
SLOW_CASES = {"line_of_10_mb_without_newline"}


def case(builder: Builder) -> Builder:
    CASES[builder.__name__] = builder
    return builder


def article(n: int) -> str:
    """A distinct small article, so that no two documents cluster."""
    words = " ".join(f"wort{n}x{i}" for i in range(40))
    return f"Titel Nummer {n}\n\n{LEAD} {words}.\n"


def make_input(root: Path) -> Path:
    raw = root / "raw"
    (raw / "good").mkdir(parents=True)
    (raw / "good" / "article.txt").write_text(GERMAN, encoding="utf-8")
    return raw


def _deny_open(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Root reads every file whatever its mode: make the reader's open() fail as it would for a user."""

    def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", guarded, raising=False)


@case
def empty_file(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "empty.txt").write_bytes(b"")
    return Expect((Report("empty.txt", "empty file", "remove it"),))


@case
def whitespace_only(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "blank.txt").write_bytes(b" \n\t\r\n \xc2\xa0 \n")
    return Expect((Report("blank.txt", "empty file", "remove it"),))


@case
def binary_named_txt(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    (raw / "photo.txt").write_bytes(png)
    return Expect((Report("photo.txt", "binary content", "not a text file"),))


@case
def nul_bytes(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "nul.txt").write_bytes(GERMAN.encode() + b"\x00\x00weiter\n")
    return Expect((Report("nul.txt", "NUL byte at offset", "convert it to UTF-8"),))


@case
def control_bytes(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "controls.txt").write_bytes(b"abc" + bytes(range(1, 9)) * 20)
    return Expect((Report("controls.txt", "control bytes", "not a text file"),))


@case
def invalid_utf8(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    """UTF-8 with one broken byte is read through the fallback, and the text fixer repairs the rest."""
    (raw / "broken-utf8.txt").write_bytes(GERMAN.encode() + b"Ende \xc3\x28.\n")
    return Expect(cleaned={"broken-utf8": "cp1252"})


@case
def cp1252(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "windows.txt").write_bytes(GERMAN.encode("cp1252"))
    return Expect(cleaned={"windows": "cp1252"})


@case
def latin1(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "latin.txt").write_bytes("Grüße aus Köln\n\nÄrger in der Straße, sagt man.\n".encode("latin-1") + b"\x81\n")
    return Expect(cleaned={"latin": "latin-1"})


@case
def utf16_with_bom(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"))
    return Expect(cleaned={"wide": "utf-16"})


@case
def file_of_200_mb(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    """Sparse, so it costs no disk; refused from its size, before a byte is read."""
    with (raw / "dump.txt").open("wb") as f:
        f.truncate(200 * 2**20)
    return Expect((Report("dump.txt", "file too large (200.0 MB, more than input.max_file_mb = 32)", "max_file_mb"),))


@case
def file_over_configured_limit(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "long.txt").write_text(article(1) + "Satz. " * 400_000, encoding="utf-8")
    return Expect(
        (Report("long.txt", "more than input.max_file_mb = 1", "split it into one article per file"),),
        config={"input": {"max_file_mb": 1}},
    )


@case
def line_of_10_mb_without_newline(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "one-line.txt").write_bytes(b"Wort " * (2 * 2**20))
    return Expect(cleaned={"one-line": "utf-8"})


@case
def unreadable_file(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    locked = raw / "locked.txt"
    locked.write_text(article(2), encoding="utf-8")
    locked.chmod(0)
    if ROOT:
        _deny_open(mp, "locked.txt")
    return Expect((Report("locked.txt", "cannot read the file: permission denied", "read access"),))


@case
def unreadable_folder(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    locked = raw / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(article(3), encoding="utf-8")
    locked.chmod(0)
    if ROOT:
        scandir = os.scandir

        def guarded(path: Any = ".") -> Any:
            if not isinstance(path, int) and os.path.basename(os.fsdecode(path)) == "locked":
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return scandir(path)

        mp.setattr(os, "scandir", guarded)
    return Expect((Report("locked/", "cannot list the folder: permission denied", "read access"),))


@case
def broken_symlink(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "gone.txt").symlink_to("nowhere.txt")
    return Expect((Report("gone.txt", "broken symbolic link: its target nowhere.txt", "fix or remove the link"),))


@case
def symlink_loop(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "loop-a.txt").symlink_to("loop-b.txt")
    (raw / "loop-b.txt").symlink_to("loop-a.txt")
    return Expect(
        (
            Report("loop-a.txt", "symbolic link loop", "remove the link"),
            Report("loop-b.txt", "symbolic link loop", "remove the link"),
        )
    )


@case
def folder_link_loop(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "good" / "back").symlink_to("..")
    return Expect((Report("good/back/", "symbolic link loop", "remove the link"),))


@case
def linked_folder(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    """A folder of articles linked in from elsewhere is read like any other."""
    elsewhere = raw.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "story.txt").write_text(article(4), encoding="utf-8")
    (raw / "linked").symlink_to(elsewhere, target_is_directory=True)
    return Expect(cleaned={"linked/story": "utf-8"})


@case
def file_name_not_utf8(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text(article(5), encoding="utf-8")
    return Expect((Report("caf\\xe9.txt", "the file name is not valid UTF-8", "rename the file"),))


@case
def folder_named_like_a_file(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "folder.txt").mkdir()
    (raw / "folder.txt" / "inner.txt").write_text(article(6), encoding="utf-8")
    return Expect(cleaned={"folder.txt/inner": "utf-8"})


@case
def named_pipe(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    """A FIFO named like an article would block a reader forever."""
    os.mkfifo(raw / "pipe.txt")
    return Expect((Report("pipe.txt", "not a regular file", "move it out of the input folder"),))


@case
def jsonl_bad_records(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    lines = [
        json.dumps({"id": "r1", "text": article(7), "url": "https://example.org/1"}).encode(),
        b"{not json",
        json.dumps({"id": "r2", "body": "the text is elsewhere"}).encode(),
        json.dumps({"id": "r3", "text": 42}).encode(),
        json.dumps({"id": "r4", "text": ["a", "b"]}).encode(),
        b"[1, 2]",
        json.dumps({"text": article(8)}).encode(),
        b'{"id": "r5", "text": "caf\xe9"}',
        b"",
        json.dumps({"id": "r6", "text": "   "}).encode(),
        json.dumps({"id": "r7", "text": article(9)}).encode(),
    ]
    (raw / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return Expect(
        (
            Report("feed.jsonl", "not a JSON record", "fix or remove the line", 2),
            Report("feed.jsonl", "field 'text' is missing", "set [input] text_field", 3),
            Report("feed.jsonl", "field 'text' is a number, not a string", "text_field", 4),
            Report("feed.jsonl", "field 'text' is a list, not a string", "text_field", 5),
            Report("feed.jsonl", "JSON but not an object", "one {...} record", 6),
            Report("feed.jsonl", "field 'id' is missing or empty", "set [input] id_field", 7),
            Report("feed.jsonl", "not UTF-8 (byte 0xe9 at column 26)", "re-export the file as UTF-8", 8),
            Report("feed.jsonl", "field 'text' is empty", "fill in its text", 10),
        ),
        cleaned={"r1": "utf-8", "r7": "utf-8"},
    )


@case
def jsonl_line_over_limit(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    big = json.dumps({"id": "big", "text": "Satz. " * 300_000})
    rows = [json.dumps({"id": "s1", "text": article(10)}), big, json.dumps({"id": "s2", "text": article(11)})]
    (raw / "stream.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Expect(
        (Report("stream.jsonl", "line too large (more than input.max_file_mb = 1)", "max_file_mb", 2),),
        cleaned={"s1": "utf-8", "s2": "utf-8"},
        config={"input": {"max_file_mb": 1}},
    )


@case
def jsonl_in_utf16(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "wide.jsonl").write_bytes(json.dumps({"id": "w", "text": article(12)}).encode("utf-16"))
    return Expect((Report("wide.jsonl", "UTF-16/UTF-32 byte-order mark", "convert the file to UTF-8"),))


@case
def jsonl_empty(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    (raw / "nothing.jsonl").write_bytes(b"\n\n")
    return Expect((Report("nothing.jsonl", "empty file: no JSON records", "remove it"),))


@case
def jsonl_gz_truncated(raw: Path, mp: pytest.MonkeyPatch) -> Expect:
    """A download cut short: the records before the break are read, the break is reported with its line."""
    rows = "".join(json.dumps({"id": f"z{n}", "text": article(20 + n)}) + "\n" for n in range(50))
    data = gzip.compress(rows.encode(), mtime=0)
    cut = data[: len(data) * 2 // 3]
    (raw / "cut.jsonl.gz").write_bytes(cut)
    whole_lines = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(cut).count(b"\n")
    assert 0 < whole_lines < 50
    return Expect(
        (
            Report(
                "cut.jsonl.gz",
                f"the compressed data is broken after line {whole_lines}",
                "re-download",
                whole_lines + 1,
            ),
        ),
        cleaned={f"z{n}": "utf-8" for n in range(whole_lines)},
    )
