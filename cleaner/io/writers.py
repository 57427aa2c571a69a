"""Write the output folder atomically and byte-identically for the same input and config.

Everything is written into a hidden temporary folder next to the target and moved into place
at the end, so a crash leaves the previous output intact, never a half-written mix. Records
are sorted and JSON is written with sorted, fixed formatting, so two runs give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cleaner.document import Document


def dumps(record: Any) -> str:
    """One JSON line: UTF-8 kept readable, key order as given (records are built in contract order)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` (on error it is removed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


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
    for doc in docs:
        path = folder / doc_filename(doc.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_doc(doc), encoding="utf-8", newline="\n")
