"""Read a folder tree (or one file) of raw articles into decoded records, in a stable order.

``.txt`` files are one article each; their id is the path relative to the input root without
extension, ``/``-separated, and the folder they sit in is their source. ``.jsonl`` (also
gzip-compressed, ``.jsonl.gz``) and ``.parquet`` files hold one record per line or row with an
id and a text field; their other fields pass through as metadata.

A file, line or row that cannot be read becomes a :class:`ReadError` naming it, saying why and
what to do, and the walk goes on: one bad file never stops a run, and nothing is skipped
silently. Scraped folders hold every kind of debris, so the walk guards against each:

- Sizes are checked before reading. A ``.txt`` file or a JSONL/Parquet record larger than
  ``input.max_file_mb`` is reported, not loaded: no news article is that large, and a stray
  dump or gzip bomb must not exhaust memory. JSONL and Parquet files themselves may be any size;
  they are streamed record by record.
- Only regular files are opened: a FIFO named ``x.txt`` would block the run forever.
- Symbolic links are followed (a folder of outlets linked from elsewhere is read), except where
  they are broken or loop back, which is reported.
- File names that are not valid UTF-8 are reported (their id could not be written as JSON);
  the path in the report shows the bad bytes as ``\\xNN``.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import json
import math
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from io import BufferedReader
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.errors import ConfigError, InputError
from cleaner.io.decode import decode_bytes


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One article as read: decoded text plus where it came from.

    ``line`` is the 1-based line (JSONL, a stream) or row (Parquet) of a record, ``None`` for a file.
    """

    id: str
    path: str
    source: str | None
    text: str
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input that could not be read, with what to do about it; or, with ``kept``, a document that
    had a problem but is in the output all the same (cleaned again without a rule that ran out of
    time). Both end a run with exit status 1, but only the first is missing from the corpus, and
    users must be told which is which.

    ``line`` is the 1-based line of a JSONL file, or the 1-based row of a Parquet file.
    """

    path: str
    reason: str
    hint: str = ""
    line: int | None = None
    kept: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "reason": self.reason, "hint": self.hint, "kept": self.kept}

    @classmethod
    def of(cls, exc: InputError) -> ReadError:
        return cls(exc.path, exc.reason, exc.hint, exc.line, exc.kept)


DEFAULT_MAX_FILE_MB = 32.0


@dataclass(frozen=True)
class InputSpec:
    """The ``[input]`` settings."""

    text_extensions: tuple[str, ...]
    jsonl_extensions: tuple[str, ...]
    text_field: str
    id_field: str
    fallback_encodings: tuple[str, ...]
    parquet_extensions: tuple[str, ...] = ("parquet",)
    # Largest .txt file or single record read, in bytes; None reads any size.
    max_bytes: int | None = int(DEFAULT_MAX_FILE_MB * 2**20)

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> InputSpec:
        max_mb = section.get("max_file_mb", DEFAULT_MAX_FILE_MB)
        if max_mb < 0:
            raise ConfigError("input.max_file_mb", f"must not be negative (0 means no limit), got {max_mb}")
        return cls(
            _extensions(section["text_extensions"]),
            _extensions(section["jsonl_extensions"]),
            section["text_field"],
            section["id_field"],
            tuple(section["fallback_encodings"]),
            _extensions(section.get("parquet_extensions", ["parquet"])),
            int(max_mb * 2**20) if max_mb > 0 else None,
        )

    def kind(self, name: str) -> tuple[str, str] | None:
        """``(kind, extension)`` of a file name, kind being text, jsonl or parquet; the longest ending wins."""
        lower = name.lower()
        kinds = (("text", self.text_extensions), ("jsonl", self.jsonl_extensions), ("parquet", self.parquet_extensions))
        matches = [(len(ext), kind, ext) for kind, exts in kinds for ext in exts if lower.endswith("." + ext)]
        return max(matches)[1:] if matches else None


def _extensions(values: list[str]) -> tuple[str, ...]:
    return tuple(e.lower().lstrip(".") for e in values)


_UNREADABLE_HINT = "check that it exists and is readable"


def list_inputs(root: Path, spec: InputSpec) -> list[Path]:
    """The input files under ``root`` (or ``root`` itself), sorted by relative path for a stable order.

    Folders that cannot be listed are left out here and reported by :func:`read_inputs`.
    """
    return scan_inputs(root, spec).files


def read_inputs(root: Path, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    """Every article under ``root``, or an error record for what could not be read, in sorted path order.

    Records of one JSONL or Parquet file come in file order, right after each other.
    """
    return scan_inputs(root, spec).read()


@dataclass(frozen=True)
class InputScan:
    """The inputs under a root, listed once: a run counts the files (for its progress) and then
    reads them from the same listing, where a second walk of a large folder cost as much again."""

    entries: list[tuple[str, _Found | ReadError]]
    spec: InputSpec

    @property
    def files(self) -> list[Path]:
        """As :func:`list_inputs`."""
        return [Path(entry.path) for _, entry in self.entries if isinstance(entry, _Found)]

    def read(self) -> Iterator[RawDoc | ReadError]:
        """As :func:`read_inputs`."""
        return _read_entries(self.entries, self.spec)


def scan_inputs(root: Path, spec: InputSpec) -> InputScan:
    """List the inputs under ``root`` once, for both :attr:`InputScan.files` and :meth:`InputScan.read`."""
    return InputScan(_scan(Path(root), spec), spec)


def _read_entries(entries: list[tuple[str, _Found | ReadError]], spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    for rel, entry in entries:
        if isinstance(entry, ReadError):
            yield entry
            continue
        if not rel.isascii() and (shown := _shown(rel)) != rel:
            yield ReadError(
                shown,
                "the file name is not valid UTF-8",
                "rename the file or folder to a UTF-8 name (e.g. with convmv -f latin1 -t utf8)",
            )
            continue
        if entry.kind == "jsonl":
            yield from _read_jsonl(entry.path, rel, spec)
        elif entry.kind == "parquet":
            yield from _read_parquet(entry.path, rel, spec)
        else:
            yield _read_text(entry.path, rel, entry.ext, spec)


@dataclass(frozen=True, slots=True)
class _Found:
    """An input file found by :func:`_scan`: its path and what :meth:`InputSpec.kind` says of its name."""

    path: str
    kind: str
    ext: str


def _found(path: str, name: str, spec: InputSpec) -> _Found | None:
    kind = spec.kind(name)
    if kind is not None:
        return _Found(path, *kind)
    return None


def _scan(root: Path, spec: InputSpec) -> list[tuple[str, _Found | ReadError]]:
    """Input files and unlistable folders with their paths relative to ``root`` (for a file, its
    name), sorted by that path.

    Folder links are followed, but a link back to a folder on the current path is a loop: it is
    reported and not entered (``os.walk`` would otherwise descend forever). Paths are joined as
    strings: pathlib's parsing cost more than reading a small file.
    """
    if not root.is_dir():
        return [(root.name, _found(str(root), root.name, spec) or _Found(str(root), "text", root.suffix[1:]))]
    found: list[tuple[str, _Found | ReadError]] = []
    top = str(root)
    chains: dict[str, frozenset[str]] = {str(root): frozenset({os.path.realpath(root)})}

    def unlistable(exc: OSError) -> None:
        rel = _shown(Path(exc.filename).relative_to(root).as_posix())
        found.append((rel, ReadError(rel + "/", f"cannot list the folder: {_why(exc)}", _hint(exc))))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable, followlinks=True):
        chain = chains[dirpath]
        keep = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            sub = os.path.join(dirpath, name)
            real = os.path.realpath(sub)
            if real in chain:
                rel = _shown(Path(sub).relative_to(root).as_posix())
                found.append(
                    (
                        rel,
                        ReadError(
                            rel + "/",
                            "symbolic link loop: the link points back to a folder that contains it",
                            "remove the link or point it at a folder outside the input",
                        ),
                    )
                )
                continue
            chains[sub] = chain | {real}
            keep.append(name)
        dirnames[:] = keep
        folder = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in filenames:
            if not name.startswith(".") and (entry := _found(os.path.join(dirpath, name), name, spec)) is not None:
                found.append((prefix + name, entry))
    found.sort(key=lambda item: item[0])
    return found


def _shown(rel: str) -> str:
    """The path as it can be printed and written to JSON: undecodable name bytes become ``\\xNN``."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _why(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link points, directly or through others, back to itself)"
    return exc.strerror or str(exc)


def _hint(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "give the user running cleaner read access (chmod a+r), or move it out of the input"
    if exc.errno == errno.ELOOP:
        return "remove the link or point it at a real file"
    return _UNREADABLE_HINT


def _open_regular(path: Path, rel: str) -> tuple[BufferedReader, int] | ReadError:
    """Open a regular file for reading, or say why not: broken link, loop, permissions, not a file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.fsencode(os.readlink(path)).decode("utf-8", "backslashreplace")
            return ReadError(rel, f"broken symbolic link: its target {target} does not exist", "fix or remove the link")
        return ReadError(rel, "the file disappeared while the run was reading the folder", _UNREADABLE_HINT)
    except OSError as exc:
        return ReadError(
            rel, _why(exc) if exc.errno == errno.ELOOP else f"cannot read the file: {_why(exc)}", _hint(exc)
        )
    if not stat.S_ISREG(info.st_mode):
        return ReadError(
            rel, "not a regular file (a pipe, socket or device)", "move it out of the input folder; only files are read"
        )
    try:
        return open(path, "rb"), info.st_size  # the caller closes it
    except OSError as exc:
        return ReadError(rel, f"cannot read the file: {_why(exc)}", _hint(exc))


def _too_large(size: int, spec: InputSpec) -> str:
    assert spec.max_bytes is not None
    return f"{size / 2**20:.1f} MB, more than input.max_file_mb = {spec.max_bytes / 2**20:g}"


_SPLIT_HINT = (
    "split it into one article per file (or per JSONL record), or raise [input] max_file_mb if it really is one article"
)


def _source_of(rel: str) -> str | None:
    parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
    return parent or None


def _read_text(path: Path, rel: str, ext: str, spec: InputSpec) -> RawDoc | ReadError:
    opened = _open_regular(path, rel)
    if isinstance(opened, ReadError):
        return opened
    handle, size = opened
    with handle:
        if spec.max_bytes is not None and size > spec.max_bytes:
            return ReadError(rel, f"file too large ({_too_large(size, spec)})", _SPLIT_HINT)
        try:
            data = handle.read() if spec.max_bytes is None else _read_limited(handle, size, spec.max_bytes)
        except OSError as exc:
            return ReadError(rel, f"cannot read the file: {_why(exc)}", _hint(exc))
    if spec.max_bytes is not None and len(data) > spec.max_bytes:
        return ReadError(rel, f"file too large ({_too_large(len(data), spec)})", _SPLIT_HINT)
    try:
        decoded = decode_bytes(data, rel, spec.fallback_encodings)
    except InputError as exc:
        return ReadError.of(exc)
    doc_id = rel[: -len(ext) - 1] if ext else rel
    return RawDoc(doc_id, rel, _source_of(rel), decoded.text, decoded.encoding)


def _read_limited(handle: BufferedReader, size: int, limit: int) -> bytes:
    """The file's bytes, at most one past ``limit``, so that a file that grew past the limit
    since ``stat`` said ``size`` is caught too.

    Asking for the file's own size (plus one) first, not the limit: a read of ``n`` bytes
    allocates ``n`` up front, and 32 MB for a 2 KB article cost more than the rest of reading it.
    """
    want = min(size, limit) + 1
    data = handle.read(want)
    if len(data) == want and want <= limit:  # it grew since stat: read on, to one byte past the limit
        data += handle.read(limit + 1 - want)
    return data


_GZIP_MAGIC = b"\x1f\x8b"
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 20


def _read_jsonl(path: Path, rel: str, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    """Stream one JSON Lines file, gzip-compressed or not (told by its first bytes, not its name)."""
    opened = _open_regular(path, rel)
    if isinstance(opened, ReadError):
        yield opened
        return
    raw_handle, _ = opened
    lineno = records = 0
    with raw_handle:
        handle: BufferedReader | gzip.GzipFile = raw_handle
        try:
            if raw_handle.peek(2)[:2] == _GZIP_MAGIC:
                handle = gzip.GzipFile(fileobj=raw_handle, mode="rb")
            problem = _sniff_jsonl(handle.peek(4096))
            if problem is not None:
                yield ReadError(rel, problem, "JSON Lines must be UTF-8 text; convert the file to UTF-8")
                return
            for lineno, raw in _lines(handle, spec.max_bytes):
                if raw is None:
                    records += 1
                    yield ReadError(rel, f"line too large ({_too_large_line(spec)})", _SPLIT_HINT, lineno)
                elif raw.strip():
                    records += 1
                    yield _parse_line(raw, rel, lineno, spec)
        except (OSError, EOFError, zlib.error) as exc:
            compressed = isinstance(handle, gzip.GzipFile)
            yield ReadError(
                rel,
                f"{'the compressed data is broken' if compressed else 'reading failed'} after line {lineno}: {exc}",
                "re-download or re-compress the file; the lines before were read",
                lineno + 1,
            )
            return
    if records == 0:
        yield ReadError(rel, "empty file: no JSON records", "remove it or re-export the records")


def read_jsonl_stream(handle: BinaryIO, name: str, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    """JSON Lines from an open binary stream such as stdin, each record as soon as its line is complete.

    A stream is read line by line and never ahead, so that a record can be cleaned and passed on
    while the writer upstream is still producing the next one: that is why compressed data is
    refused here (a decompressor reads ahead in blocks; decompress it upstream with ``zcat``).
    Errors name the stream as ``name`` with the line number; a record without an id gets
    ``<name>-<line>``, which stays the same when the same input is piped again. An empty stream is
    no error: an ingestion run may have nothing new.
    """
    peek = getattr(handle, "peek", None)
    head = peek(4096) if peek is not None else b""
    if head[:2] == _GZIP_MAGIC:
        yield ReadError(
            name, "compressed (gzip) data, not JSON Lines", "decompress it first: zcat FILE | cleaner run -"
        )
        return
    problem = _sniff_jsonl(head)
    if problem is not None:
        yield ReadError(name, problem, "JSON Lines must be UTF-8 text; convert it to UTF-8")
        return
    lineno = 0
    try:
        for lineno, raw in _lines(handle, spec.max_bytes):
            if raw is None:
                yield ReadError(name, f"line too large ({_too_large_line(spec)})", _SPLIT_HINT, lineno)
            elif raw.strip():
                yield _parse_line(raw, name, lineno, spec, default_id=f"{name}-{lineno}")
    except OSError as exc:
        yield ReadError(name, f"reading failed after line {lineno}: {exc}", "the lines before were read", lineno + 1)


def _too_large_line(spec: InputSpec) -> str:
    assert spec.max_bytes is not None
    return f"more than input.max_file_mb = {spec.max_bytes / 2**20:g}"


def _sniff_jsonl(head: bytes) -> str | None:
    """A file-level reason why this is not UTF-8 JSON Lines, instead of one error per line."""
    for bom in _WIDE_BOMS:
        if head.startswith(bom):
            return "not UTF-8: the file starts with a UTF-16/UTF-32 byte-order mark"
    if b"\x00" in head:
        return "binary content (NUL bytes), not JSON Lines"
    return None


def _lines(handle: BinaryIO | gzip.GzipFile, limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; a line longer than ``limit`` comes as ``None`` and is skipped without being held."""
    lineno = 0
    while True:
        raw = handle.readline() if limit is None else handle.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if limit is not None and len(raw) > limit:
            while not raw.endswith(b"\n"):
                raw = handle.readline(_CHUNK)
                if not raw:
                    break
            yield lineno, None
            continue
        yield lineno, raw


_LONE_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse_line(
    raw: bytes, rel: str, lineno: int, spec: InputSpec, default_id: str | None = None
) -> RawDoc | ReadError:
    try:
        text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return ReadError(
            rel,
            f"the line is not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
            "JSON Lines must be UTF-8; re-export the file as UTF-8",
            lineno,
        )
    try:
        # NaN and Infinity, which Python writes but JSON lacks, become null: the output stays valid JSON.
        record = json.loads(text, parse_constant=lambda _: None)
    except (ValueError, RecursionError) as exc:
        return ReadError(rel, f"not a JSON record: {exc}", "fix or remove the line", lineno)
    if _LONE_SURROGATE_ESCAPE.search(raw):
        # JSON may escape half an emoji ("\ud83d"); such a string cannot be written as UTF-8.
        record = _without_surrogates(record)
    return record_doc(record, rel, lineno, spec, "line", default_id)


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


_TYPE_NAMES = {
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "an object",
    bytes: "bytes",
}


def record_doc(
    record: Any, rel: str, number: int, spec: InputSpec, unit: str, default_id: str | None = None
) -> RawDoc | ReadError:
    """A JSONL or Parquet record -> RawDoc, or the reason it is not one (``unit``: line, row or record).

    A record without an id takes ``default_id`` when one is given (a stream's records need not
    carry ids); otherwise the missing id is an error.
    """
    if not isinstance(record, dict):
        return ReadError(rel, f"the {unit} is JSON but not an object", "each line must be one {...} record", number)
    text = record.get(spec.text_field)
    if not isinstance(text, str):
        what = "missing" if text is None else f"{_TYPE_NAMES.get(type(text), type(text).__name__)}, not a string"
        return ReadError(
            rel,
            f"field {spec.text_field!r} is {what}",
            "set [input] text_field (or --text-field) to the field holding the article",
            number,
        )
    if spec.max_bytes is not None and len(text) > spec.max_bytes:
        return ReadError(rel, f"field {spec.text_field!r} too large ({_too_large_line(spec)})", _SPLIT_HINT, number)
    if not text.strip():
        return ReadError(rel, f"field {spec.text_field!r} is empty", "remove the record or fill in its text", number)
    raw_id = record.get(spec.id_field)
    if default_id is not None and (raw_id is None or str(raw_id).strip() == ""):
        raw_id = default_id
    if raw_id is None or isinstance(raw_id, dict | list) or str(raw_id).strip() == "":
        return ReadError(
            rel,
            f"field {spec.id_field!r} is missing or empty",
            "set [input] id_field (or --id-field) to the record's id field",
            number,
        )
    meta = {k: v for k, v in record.items() if k not in (spec.text_field, spec.id_field)}
    source = meta.get("source") or _source_of(rel)
    return RawDoc(str(raw_id), rel, str(source) if source else None, text, "utf-8", meta, number)


_PARQUET_BATCH_ROWS = 256


def _read_parquet(path: Path, rel: str, spec: InputSpec) -> Iterator[RawDoc | ReadError]:
    """Stream a Parquet file in small batches of rows; pyarrow is imported only when one is read."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield ReadError(rel, "reading Parquet needs pyarrow, which is not installed", "pip install 'cleaner[parquet]'")
        return
    opened = _open_regular(path, rel)
    if isinstance(opened, ReadError):
        yield opened
        return
    handle, _ = opened
    row = 0
    with handle:
        try:
            parquet = pq.ParquetFile(handle)
            columns = parquet.schema_arrow.names
            for wanted, key in ((spec.text_field, "text_field"), (spec.id_field, "id_field")):
                if wanted not in columns:
                    yield ReadError(
                        rel,
                        f"no column {wanted!r} (columns: {', '.join(columns)})",
                        f"set [input] {key} to the column holding the article's {key.split('_')[0]}",
                    )
                    return
            if parquet.metadata.num_rows == 0:
                yield ReadError(rel, "empty file: no rows", "remove it or re-export the records")
                return
            for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
                for record in batch.to_pylist():
                    row += 1
                    text = record.get(spec.text_field)
                    meta_safe = {k: (v if k == spec.text_field else _jsonable(v)) for k, v in record.items()}
                    if isinstance(text, str):
                        meta_safe[spec.text_field] = _SURROGATE.sub("\ufffd", text)
                    yield record_doc(meta_safe, rel, row, spec, "row")
        except (OSError, pa.ArrowException) as exc:
            where = f"after row {row}" if row else "before the first row"
            yield ReadError(
                rel,
                f"not a readable Parquet file ({where}): {exc}",
                "check that the file is complete and really Parquet; re-export it",
                row + 1 if row else None,
            )


def _jsonable(value: Any) -> Any:
    """A Parquet value as JSON can hold it: dates as ISO 8601, decimals as text, NaN as null."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)
