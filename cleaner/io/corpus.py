"""Find and read the corpus of an output folder, whichever layout the run wrote it in.

``[output] layout = "single"`` writes the corpus as one file, ``corpus.jsonl``, sorted by id;
``"parts"`` writes one file per chunk of input, ``corpus/part-00000.jsonl`` on, each sorted by id,
and the manifest records the layout and the number of parts. What reads an output's corpus (the
report, ``cleaner review``, a user's script) asks this module for the files, so it works on both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError

LAYOUTS = ("single", "parts")


def corpus_part_name(index: int) -> str:
    """The name (without extension) of chunk ``index``'s part of the corpus: ``part-00000`` on, in
    input order (more digits past 99,999 parts)."""
    return f"part-{index:05d}"


def corpus_files(out_dir: Path) -> list[Path]:
    """The corpus files of the output folder ``out_dir`` in order: ``corpus.jsonl``, or its parts.

    The layout is the one ``manifest.json`` names; an output without a manifest, or written before
    layouts existed, is ``single``. Raises :class:`CleanerError` naming a part the manifest counts
    but the folder lacks, or a manifest that cannot be read.
    """
    out_dir = Path(out_dir)
    layout, parts = _layout(out_dir / "manifest.json")
    if layout == "single":
        return [out_dir / "corpus.jsonl"]
    files = [out_dir / "corpus" / f"{corpus_part_name(k)}.jsonl" for k in range(parts)]
    for path in files:
        if not path.is_file():
            raise CleanerError(
                f"{path}: missing, but the manifest counts {parts} corpus parts; the output is incomplete, "
                "run `cleaner run` again to rewrite it"
            )
    return files


def read_corpus(out_dir: str | Path) -> Iterator[dict[str, Any]]:
    """Every corpus record of the output folder ``out_dir``, in either layout, file by file.

    In the ``single`` layout that is ``corpus.jsonl``'s order, by id; in the ``parts`` layout each
    part is in id order and the parts follow the input order, so ``sorted(read_corpus(out),
    key=lambda r: r["id"])`` is ``corpus.jsonl``'s order in both. Raises :class:`CleanerError`
    naming the file and line of a record that is not a JSON object.
    """
    for path in corpus_files(Path(out_dir)):
        try:
            with path.open(encoding="utf-8") as lines:
                for lineno, line in enumerate(lines, start=1):
                    yield parse_record(path, lineno, line)
        except FileNotFoundError:
            raise CleanerError(f"{path}: not found; is this the output folder of `cleaner run`?") from None


def parse_record(path: Path, lineno: int, line: str | bytes) -> dict[str, Any]:
    """One JSON Lines record of an output file, or an error naming the file and line."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise CleanerError(f"{path}:{lineno}: not valid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise CleanerError(f"{path}:{lineno}: expected a JSON object")
    return record


def _layout(manifest: Path) -> tuple[str, int]:
    """The layout the manifest names and its number of parts."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "single", 0
    except (OSError, ValueError) as exc:
        raise CleanerError(f"{manifest}: cannot read it: {exc}") from None
    summary = data.get("summary") if isinstance(data, dict) else None
    layout = summary.get("layout", "single") if isinstance(summary, dict) else "single"
    if layout not in LAYOUTS:
        raise CleanerError(f"{manifest}: unknown corpus layout {layout!r}; this cleaner reads {', '.join(LAYOUTS)}")
    parts = summary.get("parts") if isinstance(summary, dict) else None
    if layout == "parts" and not (isinstance(parts, int) and parts >= 0):
        raise CleanerError(f"{manifest}: the layout is 'parts' but the number of parts is {parts!r}")
    return layout, parts or 0
