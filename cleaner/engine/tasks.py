"""The work done on one chunk of documents, in a worker process: clean, then finish and sketch.

A run passes over the corpus chunk by chunk, twice (three times with the parts layout), and only
small results come back to the main process; the documents themselves wait in the run's work
folder between the passes:

1. :func:`clean_chunk` cleans the raw texts, writes the documents to ``clean-N.pickle`` and returns
   the boilerplate observations (hashes of short lines).
2. :func:`finish_chunk`, once boilerplate has been learned over the whole corpus, strips it,
   writes the chunk's output records (sorted by id, without the cluster fields, which only the
   cluster step knows) and readable ``docs/`` files, and returns the chunk's dedup sketches with
   the shingle sets spilled to ``shingles-N.u64``.
3. With ``[output] layout = "parts"``, :func:`write_part`, once the clusters are known, completes
   the chunk's records with their cluster fields and writes them as the chunk's part of the corpus
   in the output folder, so that the texts never pass through the main process.

All are plain functions of picklable arguments, so the local process pool and a distributed
engine can run them alike.
"""

from __future__ import annotations

import os
import pickle
import resource
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.clean import boilerplate
from cleaner.clean.article import Cleaner, cleaner_for
from cleaner.clean.timelimit import clean_within_limit
from cleaner.config import Config
from cleaner.dedup import DedupItem, DedupSettings, Sketches, sketch
from cleaner.document import Document
from cleaner.engine.collector import cycle_collection_paused
from cleaner.io import writers
from cleaner.io.corpus import corpus_part_name
from cleaner.io.readers import RawDoc, ReadError

_STATE: dict[str, Config] = {}


def init_worker(config: Config) -> None:
    """Remember the run's config in this process (rules compile once, on first use)."""
    _STATE["config"] = config


def _config() -> Config:
    return _STATE["config"]


@dataclass(frozen=True)
class CleanTask:
    index: int
    work: Path
    docs: list[tuple[int, RawDoc]]


@dataclass(frozen=True)
class Cleaned:
    index: int
    documents: int
    observations: boilerplate.Observations
    errors: list[ReadError]


@cycle_collection_paused()
def clean_chunk(task: CleanTask) -> Cleaned:
    """Clean one chunk; a document whose cleaning fails is reported, never fatal to the run.

    Each document gets ``engine.doc_time_limit`` seconds of CPU (:mod:`cleaner.clean.timelimit`): one
    on which a rule of the config runs too long is cleaned again without that rule and reported.
    """
    cfg = _config()
    cleaner = cleaner_for(cfg)
    limit = cfg.section("engine")["doc_time_limit"]
    done: list[tuple[int, Document]] = []
    errors: list[ReadError] = []
    for order, raw in task.docs:
        doc, problems = clean_raw(cleaner, limit, raw, _FAILED_HINT)
        errors.extend(problems)
        if doc is not None:
            done.append((order, doc))
    with _chunk_file(task.work, "clean", task.index, "pickle").open("wb") as f:
        pickle.dump(done, f, protocol=pickle.HIGHEST_PROTOCOL)
    section = cfg.section("boilerplate")
    learning = [d for _, d in done] if section["enabled"] else []
    return Cleaned(task.index, len(done), boilerplate.observe(learning, section["max_chars"]), errors)


_FAILED_HINT = "please report this with the file; the other documents were cleaned"


def clean_raw(cleaner: Cleaner, limit: float, raw: RawDoc, hint: str) -> tuple[Document | None, list[ReadError]]:
    """Clean one input document within ``limit`` (see :func:`clean_within_limit`): the document, or
    None when cleaning raised (a bug in a rule must not cost the other documents), and the problems
    to report, each naming the input; ``hint`` says what to do about a failure."""
    try:
        doc, overruns = clean_within_limit(
            cleaner,
            limit,
            raw.text,
            doc_id=raw.id,
            path=raw.path,
            source=raw.source,
            encoding=raw.encoding,
            meta=raw.meta,
        )
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"cleaning {raw.id!r} failed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
        return None, [ReadError(raw.path, reason, hint, raw.line)]
    return doc, [ReadError(raw.path, o.reason(), o.hint(), raw.line, kept=True) for o in overruns]


@dataclass(frozen=True)
class FinishTask:
    """Finish chunk ``index``. ``keep`` leaves its cleaned documents in the work folder for an
    engine that may run the task again after it succeeded (a cluster that lost the result with
    its worker); the run removes the work folder at its end either way."""

    index: int
    work: Path
    out: Path
    learned: frozenset[int]
    keep: bool = False


@dataclass(frozen=True)
class Finished:
    """A chunk's sketches (documents sorted by id) and what the summary and the writer need:
    removals by kind, per document the number of removal and comment records written, and the
    CPU seconds the worker spent writing records and docs/ files and sketching."""

    index: int
    sketches: Sketches
    removals: Counter[str]
    n_removed: list[int]
    n_comments: list[int]
    peak_rss_mb: float
    seconds_records: float
    seconds_sketch: float


@cycle_collection_paused()
def finish_chunk(task: FinishTask) -> Finished:
    """Strip learned boilerplate, write the chunk's records and docs, and sketch its bodies."""
    cfg = _config()
    source = _chunk_file(task.work, "clean", task.index, "pickle")
    with source.open("rb") as f:
        done: list[tuple[int, Document]] = pickle.load(f)
    done.sort(key=lambda pair: pair[1].id)
    docs = [d for _, d in done]
    boilerplate.strip_learned(docs, task.learned, cfg.section("boilerplate")["max_chars"])
    # CPU seconds of this thread: workers share cores with each other and the main process, and
    # wall time would count their waits as work.
    clock = time.thread_time()
    _write_parts(task, docs, write_docs=cfg.section("output")["docs"])
    written = time.thread_time() - clock
    settings = DedupSettings.from_config(cfg.section("dedup"))
    items = [DedupItem(d.id, d.text, d.date, order) for order, d in done]
    clock = time.thread_time()
    sketches = sketch(items, settings, spill=_chunk_file(task.work, "shingles", task.index, "u64"))
    # Removed only now: a task that fails before this point (a worker lost on a cluster) can be run again.
    if not task.keep:
        source.unlink()
    return Finished(
        seconds_records=written,
        seconds_sketch=time.thread_time() - clock,
        index=task.index,
        sketches=sketches,
        removals=Counter(r.kind for d in docs for r in d.removals),
        n_removed=[len(d.removals) for d in docs],
        n_comments=[len(d.comments) for d in docs],
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def _write_parts(task: FinishTask, docs: list[Document], write_docs: bool) -> None:
    """The chunk's output lines, in document id order, in one part file: per document its
    corpus.jsonl record (open at the end, for the cluster fields), then its removed.jsonl and
    comments.jsonl records; and the chunk's docs/ files."""
    with part_file(task.work, task.index).open("w", encoding="utf-8", newline="\n") as part:
        for d in docs:
            record = d.to_dict()
            for key in CLUSTER_FIELDS:
                del record[key]
            part.write(writers.dumps(record)[:-1] + "\n")
            for r in d.removals:
                part.write(writers.removal_line(d.id, r) + "\n")
            for n, c in enumerate(d.comments, start=1):
                part.write(writers.dumps({"doc": d.id, "n": n, **c.to_dict()}) + "\n")
    if write_docs:
        writers.write_docs(task.out / "docs", docs)


CLUSTER_FIELDS = ("cluster", "duplicate_of", "similarity", "relation")
# A document's cluster fields, in CLUSTER_FIELDS order (see cleaner.dedup.model.Assignment).
Assigned = tuple[str, str | None, float | None, str | None]


def completed(record: str, assigned: Assigned) -> str:
    """The corpus record of a part file's line (open at the end, with its newline) completed with
    its cluster fields: the one place both layouts build it, so their records are the same bytes."""
    cluster, duplicate_of, similarity, relation = assigned
    fields = {
        "cluster": cluster,
        "duplicate_of": duplicate_of,
        "similarity": round(similarity, 4) if similarity is not None else None,
        "relation": relation,
    }
    return record[:-1] + ", " + writers.dumps(fields)[1:] + "\n"


@dataclass(frozen=True)
class PartTask:
    """Write chunk ``index``'s documents as corpus parts of the output folder ``out`` once the
    clusters are known: ``assigned``, ``removed`` and ``comments`` give per document (in the part
    file's id order) its cluster fields and how many removal and comment lines follow its record."""

    index: int
    work: Path
    out: Path
    assigned: list[Assigned]
    removed: Sequence[int]
    comments: Sequence[int]
    parquet: bool


@dataclass(frozen=True)
class PartWritten:
    """A written part: its documents, the worker's peak memory and the seconds it took."""

    index: int
    documents: int
    peak_rss_mb: float
    seconds: float


@cycle_collection_paused()
def write_part(task: PartTask) -> PartWritten:
    """``corpus/part-N.jsonl`` (every record of the chunk completed with its cluster fields),
    ``corpus.dedup/part-N.jsonl`` (those that are no duplicate) and with ``parquet``
    ``corpus/part-N.parquet``; the chunk's removal and comment lines go to ``rest-N.jsonl`` in the
    work folder, which the main process merges into removed.jsonl and comments.jsonl.

    Each file is written under a name of its own and renamed into place, so an engine that runs the
    task twice at once (a worker thought lost that is still running) never mixes two writes; the
    part file is kept, so the task can run again.
    """
    clock = time.perf_counter()
    name = corpus_part_name(task.index)
    own = f"{task.index:06d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    corpus, dedup, rest = (task.work / f"writing-{kind}-{own}.jsonl" for kind in ("corpus", "dedup", "rest"))
    with (
        part_file(task.work, task.index).open(encoding="utf-8", newline="\n") as lines,
        corpus.open("w", encoding="utf-8", newline="\n") as whole,
        dedup.open("w", encoding="utf-8", newline="\n") as kept,
        rest.open("w", encoding="utf-8", newline="\n") as others,
    ):
        for assigned, n_removed, n_comments in zip(task.assigned, task.removed, task.comments, strict=True):
            record = completed(lines.readline(), assigned)
            whole.write(record)
            if assigned[1] is None:
                kept.write(record)
            others.writelines(lines.readline() for _ in range(n_removed + n_comments))
    targets = [(corpus, task.out / "corpus" / f"{name}.jsonl"), (dedup, task.out / "corpus.dedup" / f"{name}.jsonl")]
    if task.parquet:
        columns = task.work / f"writing-parquet-{own}.parquet"
        writers.write_parquet(corpus, columns)
        targets.append((columns, task.out / "corpus" / f"{name}.parquet"))
    for written, target in [*targets, (rest, rest_file(task.work, task.index))]:
        target.parent.mkdir(exist_ok=True)
        os.replace(written, target)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return PartWritten(task.index, len(task.assigned), peak, time.perf_counter() - clock)


def part_file(work: Path, index: int) -> Path:
    """Where chunk ``index`` keeps its output lines until the writer merges them."""
    return _chunk_file(work, "part", index, "jsonl")


def rest_file(work: Path, index: int) -> Path:
    """Where :func:`write_part` leaves chunk ``index``'s removal and comment lines for the merge."""
    return _chunk_file(work, "rest", index, "jsonl")


def _chunk_file(work: Path, kind: str, index: int, ext: str) -> Path:
    return work / f"{kind}-{index:06d}.{ext}"
