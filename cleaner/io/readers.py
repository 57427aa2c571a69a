"""Read a folder tree (or one file) of raw articles into decoded records, in a stable order.

``.txt`` files are one article each; their id is the path relative to the input root without
extension, ``/``-separated, and the folder they sit in is their source. ``.jsonl`` files hold one
record per line with an id and a text field; their other fields pass through as metadata.
A file or line that cannot be read becomes a :class:`ReadError` and the walk goes on: one bad
file never stops a run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import InputError
from cleaner.io.decode import decode_bytes


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One article as read: decoded text plus where it came from."""

    id: str
    path: str
    source: str | None
    text: str
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input that could not be read, with what to do about it."""

    path: str
    reason: str
    hint: str = ""
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "reason": self.reason, "hint": self.hint}

    @classmethod
    def of(cls, exc: InputError) -> ReadError:
        return cls(exc.path, exc.reason, exc.hint, exc.line)


@dataclass(frozen=True)
class InputSpec:
    """The ``[input]`` settings."""

    text_extensions: tuple[str, ...]
    jsonl_extensions: tuple[str, ...]
    text_field: str
    id_field: str
    fallback_encodings: tuple[str, ...]

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> InputSpec:
        return cls(
            tuple(e.lower().lstrip(".") for e in section["text_extensions"]),
            tuple(e.lower().lstrip(".") for e in section["jsonl_extensions"]),
            section["text_field"],
            section["id_field"],
            tuple(section["fallback_encodings"]),
        )


def list_inputs(root: Path, spec: InputSpec) -> list[Path]:
    """The readable input files under ``root`` (or ``root`` itself), sorted for a stable order."""
    if root.is_file():
        return [root]
    wanted = set(spec.text_extensions) | set(spec.jsonl_extensions)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and _extension(name) in wanted:
                found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_inputs(root: Path, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    """Every article under ``root``, or an error record for what could not be read."""
    base = root if root.is_dir() else root.parent
    for path in list_inputs(root, spec):
        rel = path.relative_to(base).as_posix()
        if _extension(path.name) in spec.jsonl_extensions:
            yield from _read_jsonl(path, rel, spec)
        else:
            yield _read_text(path, rel, spec)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _source_of(rel: str) -> str | None:
    parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
    return parent or None


def _read_text(path: Path, rel: str, spec: InputSpec) -> RawDoc | ReadError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadError(rel, f"cannot read the file: {exc.strerror or exc}", "check that it exists and is readable")
    try:
        decoded = decode_bytes(data, rel, spec.fallback_encodings)
    except InputError as exc:
        return ReadError.of(exc)
    doc_id = rel.rsplit(".", 1)[0]
    return RawDoc(doc_id, rel, _source_of(rel), decoded.text, decoded.encoding)


def _read_jsonl(path: Path, rel: str, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield ReadError(rel, f"cannot read the file: {exc.strerror or exc}", "check that it exists and is readable")
        return
    source = _source_of(rel)
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = _parse_record(raw, rel, lineno, spec)
            if isinstance(record, ReadError):
                yield record
                continue
            doc_id, text, meta = record
            yield RawDoc(doc_id, rel, str(meta.get("source") or source or "") or None, text, "utf-8", meta)


def _parse_record(raw: bytes, rel: str, lineno: int, spec: InputSpec) -> tuple[str, str, dict[str, Any]] | ReadError:
    try:
        record = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ReadError(rel, f"not a JSON record: {exc}", "fix or remove the line", lineno)
    if not isinstance(record, dict):
        return ReadError(rel, "the line is JSON but not an object", "each line must be one {...} record", lineno)
    text = record.get(spec.text_field)
    if not isinstance(text, str):
        what = "missing" if text is None else f"a {type(text).__name__}, not a string"
        return ReadError(
            rel,
            f"field {spec.text_field!r} is {what}",
            "set [input] text_field to the field holding the article",
            lineno,
        )
    raw_id = record.get(spec.id_field)
    if raw_id is None or isinstance(raw_id, dict | list) or str(raw_id).strip() == "":
        return ReadError(
            rel, f"field {spec.id_field!r} is missing or empty", "set [input] id_field to the record's id field", lineno
        )
    meta = {k: v for k, v in record.items() if k not in (spec.text_field, spec.id_field)}
    return str(raw_id), text, meta
