"""Write the output folder atomically and byte-identically for the same input and config.

Everything is written into a hidden temporary folder next to the target (``.clean.tmp-<pid>``)
and swapped into place at the end, so a run killed at any point (even with SIGKILL) leaves the
previous output intact, never a half-written mix:

- killed while writing: the target is untouched; the temporary folder, named as such, is left;
- at the swap: on Linux, ``renameat2(RENAME_EXCHANGE)`` exchanges the two folders in one atomic
  step. Elsewhere the target is first renamed to ``.clean.old-<pid>``, and a run killed between
  the two renames leaves no target but the intact previous output under that name;
- the next run on the same target removes what killed runs left (the owner process is gone)
  and, in the second case, puts the previous output back first.

Two runs on one output folder are kept apart by :func:`output_lock`. Records are sorted and
JSON is written with sorted, fixed formatting, so two runs give the same bytes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import itertools
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from cleaner.document import Document, Removal
from cleaner.errors import CleanerError


def dumps(record: Any) -> str:
    """One JSON line: UTF-8 kept readable, key order as given (records are built in contract order)."""
    return _ENCODER.encode(record)


# One encoder for every record: json.dumps with options builds a new one per call, and a run
# encodes some twenty records (the document, its removals and comments) per document.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_STRING = json.encoder.encode_basestring  # a JSON string as _ENCODER writes it (quoted, not ASCII-escaped)


def removal_line(doc_id: str, removal: Removal) -> str:
    """``dumps({"doc": doc_id, **removal.to_dict()})``, the same characters, formatted directly:
    a document has a dozen or more removals, and building a dict for each to encode cost more
    than cleaning some of the lines."""
    return (
        f'{{"doc": {_STRING(doc_id)}, "line": {int(removal.line)}, "kind": {_STRING(removal.kind)}, '
        f'"rule": {_STRING(removal.rule)}, "text": {_STRING(removal.text)}}}'
    )


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` (on error it is removed).

    Refuses to replace a file, or a non-empty folder that is not an earlier output (no
    ``manifest.json``): a mistyped ``--out`` must never delete someone's data.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _check_replaceable(target)
    recover_stale(target)
    tmp = _sibling(target, "tmp", os.getpid())
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap_into_place(tmp, target)


def _sibling(target: Path, state: str, pid: int) -> Path:
    return target.parent / f".{target.name}.{state}-{pid}"


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise CleanerError(f"{target}: exists and is not a folder; choose another output folder")
    if not (target / "manifest.json").is_file() and any(target.iterdir()):
        raise CleanerError(
            f"{target}: the folder is not empty and is not the output of an earlier run (no manifest.json); "
            "refusing to replace it - choose a new or empty output folder, or remove this one first"
        )


def recover_stale(target: Path) -> list[Path]:
    """Clear what killed runs left next to ``target``; return the folders removed or restored.

    A stale ``.old`` folder while the target is missing is the previous output of a run killed
    between its two renames: it is moved back. Folders of a still running process are left alone.
    """
    target = Path(target)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(old|tmp)-(\d+)")
    stale = []
    for path in target.parent.iterdir() if target.parent.is_dir() else []:
        found = pattern.fullmatch(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _alive(int(found[2])):
            stale.append((found[1], path))
    for state, path in sorted(stale):  # "old" before "tmp": restore before anything else
        if state == "old" and not target.exists():
            os.replace(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)
    return [path for _, path in sorted(stale)]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _swap_into_place(tmp: Path, target: Path) -> None:
    if not target.exists():
        os.replace(tmp, target)
    elif _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous output
    else:
        old = _sibling(target, "old", os.getpid())
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no libc symbol (musl before 1.2.4, old glibc)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # file system or kernel without it
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def output_lock(out: Path, wait: float = 0) -> Iterator[None]:
    """Hold an exclusive lock on the output folder ``out`` for the duration of the block.

    The lock is ``flock`` on ``<out>.lock`` beside the folder (not inside: the folder itself is
    replaced by the run). A second run refuses at once with a message naming the folder and the
    holder's pid, or, with ``wait`` > 0, retries for that many seconds first. The kernel drops
    the lock when its holder dies, even by SIGKILL, so a killed run never blocks the next one.
    The file is removed on release.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f"{out.name}.lock"
    deadline = time.monotonic() + max(wait, 0)
    fd = _acquire(path, out, deadline, wait)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)


def _acquire(path: Path, out: Path, deadline: float, wait: float) -> int:
    """A descriptor of ``path`` holding the lock; the file is re-opened when a releasing holder removed it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            if time.monotonic() >= deadline:
                waited = f" and still is after {wait:g} s" if wait > 0 else ""
                raise CleanerError(
                    f"{out}: another cleaner run (pid {holder}) is writing this output folder{waited}; "
                    "wait for it to finish, or choose another output folder"
                ) from None
            time.sleep(min(0.05, max(deadline - time.monotonic(), 0)))
            continue
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the file we locked was removed by the holder we waited for: lock the new one


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(dumps(record) + "\n")
            n += 1
    return n


def write_json(path: Path, record: dict[str, Any]) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def render_doc(doc: Document) -> str:
    """The readable form of ``docs/<id>.txt``: a normalised header block, a blank line, the body."""
    header = [
        ("Title", doc.title),
        ("Kicker", doc.kicker),
        ("Date", doc.date),
        ("Authors", "; ".join(doc.authors) or None),
        ("Agencies", "; ".join(doc.agencies) or None),
        ("Source", doc.source),
        ("Id", doc.id),
    ]
    lines = [f"{key}: {value}" for key, value in header if value]
    return "\n".join(lines) + "\n\n" + doc.text + "\n"


_UNSAFE = re.compile(r"[^\w.\-]+")


def doc_filename(doc_id: str) -> str:
    """A safe relative file name for an id: JSONL ids may hold anything, paths must stay inside docs/."""
    parts = [_UNSAFE.sub("_", part).strip(".") or "_" for part in doc_id.split("/")]
    return "/".join(parts) + ".txt"


def write_docs(folder: Path, docs: Iterable[Document]) -> None:
    # Each subfolder is made once, and files are written from encoded bytes with the system calls
    # alone (open, write, close): a run writes one file per document, and a Python file object
    # adds a stat, a terminal check and a seek to each, besides its own cost.
    made: set[str] = set()
    top = str(folder)
    for doc in docs:
        path = os.path.join(top, doc_filename(doc.id))
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        _write_file(path, render_doc(doc).encode("utf-8"))


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_file(path: str, data: bytes) -> None:
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:  # a write may take less than all of it
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


PARQUET_INSTALL = "pip install 'cleaner[parquet]'"
# Rows per Parquet row group: enough for column compression, few enough to hold in memory.
_PARQUET_ROWS = 10_000


def require_pyarrow() -> None:
    """Fail before a run starts, not after its work, when Parquet output cannot be written."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise CleanerError(
            f"output.format = parquet needs pyarrow, which is not installed: {PARQUET_INSTALL}, or use --format jsonl"
        ) from None


def write_parquet(corpus: Path, target: Path) -> int:
    """Write ``corpus.parquet`` from ``corpus.jsonl``: the same columns in the same order and the
    same rows in the same order, so either file can be read for the other. Lists of strings stay
    lists, counts are integers, ``similarity`` a float, every other field a string; ``meta`` (an
    object whose keys differ between records) is its JSON text. Returns the number of rows.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    writer: pq.ParquetWriter | None = None
    with corpus.open(encoding="utf-8") as lines:
        while batch := [json.loads(line) for line in itertools.islice(lines, _PARQUET_ROWS)]:
            if writer is None:
                schema = _parquet_schema(pa, list(batch[0]))
                writer = pq.ParquetWriter(target, schema, compression="zstd")
            columns = {name: [_parquet_cell(name, record[name]) for record in batch] for name in schema.names}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            rows += len(batch)
    if writer is None:  # an empty corpus: the columns of the data model, no rows
        schema = _parquet_schema(pa, list(Document(id="", path="").to_dict()))
        pq.write_table(schema.empty_table(), target, compression="zstd")
    else:
        writer.close()
    return rows


_PARQUET_LISTS = frozenset({"authors", "agencies", "captions", "credits", "notes", "fixes"})
_PARQUET_INTS = frozenset({"n_removed", "n_comments"})
_PARQUET_FLOATS = frozenset({"similarity"})


def _parquet_schema(pa: Any, names: list[str]) -> Any:
    def kind(name: str) -> Any:
        if name in _PARQUET_LISTS:
            return pa.list_(pa.string())
        if name in _PARQUET_INTS:
            return pa.int64()
        if name in _PARQUET_FLOATS:
            return pa.float64()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in names])


def _parquet_cell(name: str, value: Any) -> Any:
    if value is None or isinstance(value, str) or name in _PARQUET_LISTS | _PARQUET_INTS | _PARQUET_FLOATS:
        return value
    return dumps(value)
