"""The public entry points: clean one text, explain one file, run a whole folder.

The CLI is a thin shell over these functions; an ingestion script imports the same ones.
``run`` reads the inputs and hands them in chunks to worker processes that clean them
(:mod:`cleaner.engine.tasks`), learns boilerplate over the whole corpus from the hashes they
return, has the workers strip it, write their records and sketch the bodies, clusters the
sketches in this process, and merges the records into the output folder, written atomically.
The texts never gather in one process: memory is bounded by the sketches.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from cleaner.clean import boilerplate
from cleaner.clean.article import cleaner_for
from cleaner.clean.timelimit import clean_within_limit
from cleaner.config import Config, load_config
from cleaner.dedup import DedupResult, DedupSettings
from cleaner.dedup.model import Assignment
from cleaner.document import Document
from cleaner.engine.collector import cycle_collection_paused
from cleaner.engine.engines import Engine, EngineChoice, open_engine
from cleaner.engine.merge import DocLines, Part, merged
from cleaner.engine.pool import default_workers
from cleaner.engine.tasks import (
    CleanTask,
    Finished,
    FinishTask,
    PartTask,
    clean_chunk,
    completed,
    part_file,
    rest_file,
    write_part,
)
from cleaner.errors import CleanerError, CleaningWarning, InputError
from cleaner.io import writers
from cleaner.io.decode import decode_bytes
from cleaner.io.readers import InputSpec, RawDoc, ReadError, scan_inputs
from cleaner.persist import index_path, ingesting
from cleaner.report import write_reports
from cleaner.review.decisions import decisions_path, load_decisions, review_summary

ConfigLike = str | Path | Mapping[str, Any] | Config | None
# progress(stage, done, total): stage is "clean" (files), "sign" (chunks) or "write" (documents).
Progress = Callable[[str, int, int], None]


def clean_text(
    text: str,
    *,
    source: str | None = None,
    config: ConfigLike = None,
    doc_id: str = "text",
    on_error: Callable[[InputError], None] | None = None,
) -> Document:
    """Clean one article's text and return its :class:`~cleaner.document.Document`.

    Learned boilerplate needs a corpus and is not applied here; every rule in the config is.
    Cleaning gets ``engine.doc_time_limit`` seconds of CPU, as in a run: a document on which a
    pattern of the config runs too long is cleaned again without it and returned all the same,
    and ``on_error`` hears of it (an :class:`~cleaner.errors.InputError` with ``kept`` true);
    without ``on_error``, a :class:`~cleaner.errors.CleaningWarning` says so.

    >>> doc = clean_text("Ein Titel\\n\\nStand: 10.01.2022 22:53 Uhr\\n\\nDer erste Absatz des Artikels.")
    >>> doc.title, doc.date, doc.text
    ('Ein Titel', '2022-01-10T22:53', 'Der erste Absatz des Artikels.')
    """
    return _clean_reporting(load_config(config), text, doc_id, doc_id, source, on_error)


def _clean_reporting(
    cfg: Config, text: str, doc_id: str, path: str, source: str | None, on_error: Callable[[InputError], None] | None
) -> Document:
    """One document cleaned within the time limit; each overrun goes to ``on_error``, else is warned."""
    limit = cfg.section("engine")["doc_time_limit"]
    doc, overruns = clean_within_limit(cleaner_for(cfg), limit, text, doc_id=doc_id, path=path, source=source)
    for overrun in overruns:
        error = InputError(path, overrun.reason(), overrun.hint(), kept=True)
        if on_error is not None:
            on_error(error)
        else:  # the caller of clean_text or explain is the one to hear it
            warnings.warn(CleaningWarning(error), stacklevel=3)
    return doc


@dataclass(frozen=True, slots=True)
class LineFate:
    """What happened to one input line: ``body``, ``blank``, or a removal kind with its rule.

    A body line of a hard-wrapped text that continues the paragraph of the line above has the
    rule ``unwrap.joined``; the others have none.
    """

    line: int
    text: str
    fate: str
    rule: str | None


def explain(
    path: str | Path, config: ConfigLike = None, *, on_error: Callable[[InputError], None] | None = None
) -> list[LineFate]:
    """Each line of one raw file with its fate and the rule that decided it.

    Learned boilerplate is a corpus-level rule and shows up only in ``run``'s removal records.
    The file is cleaned within the time limit as in :func:`clean_text` (``on_error`` likewise):
    the fates are those of the document a run would keep.
    """
    cfg = load_config(config)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}", "check the path") from None
    decoded = decode_bytes(data, str(path), cfg.section("input")["fallback_encodings"])
    doc = _clean_reporting(cfg, decoded.text, path.stem, str(path), None, on_error)
    removed: dict[int, list[tuple[str, str]]] = {}
    for r in doc.removals:
        removed.setdefault(r.line, []).append((r.kind, r.rule))
    body_lines = set(doc.paragraph_lines)
    joined = set(doc.joined_lines)
    fates = []
    for lineno, line in enumerate(decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not line.strip():
            fates.append(LineFate(lineno, line, "blank", None))
            continue
        for kind, rule in removed.get(lineno, []):
            fates.append(LineFate(lineno, line, kind, rule))
        if lineno in body_lines:
            fates.append(LineFate(lineno, line, "body", None))
        elif lineno in joined:
            fates.append(LineFate(lineno, line, "body", "unwrap.joined"))
    return fates


@dataclass
class RunSummary:
    """What a run did: the numbers the CLI prints and ``manifest.json`` records."""

    input: str
    out: str
    documents: int = 0
    errors: list[ReadError] = field(default_factory=list)
    clusters: int = 0
    duplicates: int = 0
    comments: int = 0
    removals: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    workers: int = 1
    dedup: dict[str, Any] = field(default_factory=dict)
    peak_rss_main_mb: float = 0.0
    peak_rss_workers_mb: float = 0.0
    # The main process's peak by the end of each stage: the stage where it jumps sets it.
    peak_rss_main_by_stage: dict[str, float] = field(default_factory=dict)
    review: dict[str, Any] = field(default_factory=dict)
    index: dict[str, Any] = field(default_factory=dict)
    layout: str = "single"
    parts: int = 0

    @property
    def duplicate_rate(self) -> float:
        return round(self.duplicates / self.documents, 4) if self.documents else 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "out": self.out,
            "layout": self.layout,
            **({"parts": self.parts} if self.layout == "parts" else {}),
            "documents": self.documents,
            "errors": [e.to_dict() for e in self.errors],
            "clusters": self.clusters,
            "duplicates": self.duplicates,
            "duplicate_rate": self.duplicate_rate,
            "comments": self.comments,
            "removals": dict(sorted(self.removals.items())),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "workers": self.workers,
            "peak_rss_mb": {
                "main": self.peak_rss_main_mb,
                "worker": self.peak_rss_workers_mb,
                "main_by_stage": self.peak_rss_main_by_stage,
            },
            "dedup": self.dedup,
            "review": self.review,
            **({"index": self.index} if self.index else {}),
        }


def check_paths(input_path: Path, out: Path) -> None:
    """Refuse runs that would write into their own input or read nothing."""
    if not input_path.exists():
        raise CleanerError(f"{input_path}: input not found; pass a folder or a .jsonl file")
    inp, dst = input_path.resolve(), out.resolve()
    if dst == inp or inp in dst.parents:
        raise CleanerError(f"{out}: the output folder is inside the input {input_path}; choose another --out")
    if dst in inp.parents:
        raise CleanerError(f"{out}: the output folder contains the input {input_path}; choose another --out")


def run(
    input: str | Path = "raw",
    out: str | Path = "clean",
    config: ConfigLike = None,
    progress: Progress | None = None,
    workers: int | None = None,
    engine_kind: str | None = None,
    scheduler: str | None = None,
    notify: Callable[[str], None] | None = None,
    index: str | Path | None = None,
) -> RunSummary:
    """Clean every article under ``input`` and write the corpus to ``out`` (see the README's contract).

    Cleaning and sketching run on ``workers`` processes (default: ``engine.workers`` from the
    config, 0 meaning every core); the output is byte-identical whatever their number. Inputs that
    cannot be read are listed in the summary and the manifest; the rest is written.
    ``progress(stage, done, total)`` is called as the run goes on.

    ``engine_kind`` (default ``engine.kind``) ``"dask"`` runs the chunks, the band step and
    verification on a Dask cluster: the one at ``scheduler`` (default ``engine.scheduler``), else a
    local cluster of ``workers`` processes; the output is the same. ``notify(message)`` receives
    where to watch it (the dashboard's address).

    ``index`` (default ``[index] path``) is a persistent index file (:mod:`cleaner.persist`): the
    documents are deduplicated against everything indexed before and the new ones added, and
    ``summary.index`` says how many matched and were added.
    """
    cfg = load_config(config)
    input_path, out_path = Path(input), Path(out)
    check_paths(input_path, out_path)
    spec = InputSpec.from_config(cfg.section("input"))
    settings = DedupSettings.from_config(cfg.section("dedup"))
    engine = cfg.section("engine")
    parquet = cfg.section("output")["format"] == "parquet"
    layout = cfg.section("output")["layout"]
    if parquet:
        writers.require_pyarrow()
    workers = workers if workers is not None else engine["workers"] or default_workers()
    if workers < 1:
        raise CleanerError(f"workers must be at least 1, got {workers}")
    summary = RunSummary(input=_printable(input_path), out=_printable(out_path), workers=workers, layout=layout)
    report = progress or (lambda stage, done, total: None)
    decisions_file = decisions_path(cfg)
    decisions = load_decisions(decisions_file)
    choice = EngineChoice.from_config(engine, workers, engine_kind, scheduler)
    index_file = Path(index) if index is not None else index_path(cfg)
    with (
        writers.output_lock(out_path),
        ingesting(index_file, settings, cfg.section("index")["timeout"], out_path) as persistent,
        writers.atomic_dir(out_path) as tmp,
        open_engine(choice, cfg, report, notify or (lambda message: None)) as pool,
        cycle_collection_paused(),
    ):
        tmp = tmp.absolute()  # workers of a cluster resolve paths from their own working folder
        summary.workers = pool.workers
        work = tmp / ".work"
        work.mkdir()
        clock = time.perf_counter()
        reader = _Reader(input_path, spec, work, engine, report)
        section = cfg.section("boilerplate")
        learner = boilerplate.BoilerplateLearner.from_config(section)
        chunks = 0
        for cleaned in pool.map(clean_chunk, reader.tasks()):
            learner.add(cleaned.observations)
            summary.errors.extend(cleaned.errors)
            summary.documents += cleaned.documents
            chunks += 1
        summary.errors.extend(reader.errors)
        summary.errors.sort(key=lambda e: (e.path, e.line or 0, e.reason))
        summary.timings["read"] = reader.seconds
        summary.timings["clean"] = time.perf_counter() - clock
        summary.peak_rss_main_by_stage["clean"] = peak_rss_mb()

        clock = time.perf_counter()
        learned = learner.learned() if section["enabled"] else frozenset()
        del learner
        summary.timings["boilerplate"] = time.perf_counter() - clock

        clock = time.perf_counter()
        finished: list[Finished] = []
        for done in pool.finish(FinishTask(k, work, tmp, learned) for k in range(chunks)):
            finished.append(done)
            summary.removals.update(done.removals)
            summary.comments += sum(done.n_comments)
            summary.peak_rss_workers_mb = max(summary.peak_rss_workers_mb, done.peak_rss_mb)
            summary.timings["worker_records"] = summary.timings.get("worker_records", 0.0) + done.seconds_records
            summary.timings["worker_sketch"] = summary.timings.get("worker_sketch", 0.0) + done.seconds_sketch
            report("sign", len(finished), chunks)
        summary.timings["signature"] = time.perf_counter() - clock
        summary.peak_rss_main_by_stage["signature"] = peak_rss_mb()

        result = pool.cluster(finished, settings, decisions.distinct, decisions.merged)
        if persistent is not None:
            clock = time.perf_counter()
            sketches = (f.sketches for f in finished)
            result, ingested = persistent.ingest(sketches, result, decisions.distinct, decisions.merged, summary.input)
            summary.index = ingested.to_dict()
            summary.timings["index"] = time.perf_counter() - clock
        named = decisions.ids()
        present = {i for f in finished for i in f.sketches.ids if i in named} if named else set()
        summary.review = review_summary(decisions, decisions_file, result.clusters, present)
        for stage in ("candidates", "verify", "cluster"):
            summary.timings[stage] = float(result.stats[f"seconds_{stage}"])
        summary.timings["cluster"] += float(result.stats["seconds_merge"])
        summary.timings["verify_cpu"] = float(result.stats.get("seconds_verify_cpu", 0.0))
        summary.clusters = len(result.clusters)
        summary.duplicates = int(result.stats["duplicates"])
        summary.dedup = {k: v for k, v in result.stats.items() if not k.startswith("seconds_")}
        summary.dedup["similarity_histogram"] = result.histogram
        summary.peak_rss_main_by_stage["dedup"] = peak_rss_mb()

        clock = time.perf_counter()
        parts = [Part(part_file(work, f.index), f.sketches.ids, f.n_removed, f.n_comments) for f in finished]
        del finished
        if layout == "parts":
            parts = _write_corpus_parts(pool, parts, tmp, result, parquet, summary, report)
            summary.timings["write_parts"] = time.perf_counter() - clock
        _write(tmp, merged(parts, work), result, summary, report, corpus=layout == "single")
        if parquet and layout == "single":
            writers.write_parquet(tmp / "corpus.jsonl", tmp / "corpus.parquet")
        shutil.rmtree(work)
        summary.timings["write"] = time.perf_counter() - clock
        summary.peak_rss_main_mb = summary.peak_rss_main_by_stage["write"] = peak_rss_mb()
        writers.write_json(tmp / "manifest.json", _manifest(summary, cfg))
        clock = time.perf_counter()
        write_reports(tmp, cfg.section("report")["max_clusters"])  # the reports read the manifest
        summary.timings["report"] = time.perf_counter() - clock
        writers.write_json(tmp / "manifest.json", _manifest(summary, cfg))  # now with the report's seconds
    return summary


class _Reader:
    """Reads the inputs in the main process and cuts them into chunks for the workers.

    It assigns each document its first-seen position, refuses duplicate ids, keeps the inputs that
    could not be read, and times itself (reading overlaps with the workers' cleaning).
    """

    def __init__(self, path: Path, spec: InputSpec, work: Path, engine: dict[str, Any], report: Progress) -> None:
        self.path, self.spec, self.work, self.report = path, spec, work, report
        self.chunk_docs = engine["chunk_docs"]
        self.chunk_chars = engine["chunk_mb"] * 1_000_000
        self.errors: list[ReadError] = []
        self.seconds = 0.0

    def tasks(self) -> Iterator[CleanTask]:
        inputs = scan_inputs(self.path, self.spec)
        total = len(inputs.files)
        seen: dict[str, str] = {}
        files, last_path = 0, None
        batch: list[tuple[int, RawDoc]] = []
        size = order = index = 0
        items = inputs.read()
        while True:
            clock = time.perf_counter()
            item = next(items, None)
            self.seconds += time.perf_counter() - clock
            if item is None:
                break
            if item.path != last_path:
                last_path = item.path
                files += 1
                self.report("clean", files, total)
            if isinstance(item, ReadError):
                self.errors.append(item)
                continue
            if item.id in seen:
                reason = f"duplicate id {item.id!r}, first seen in {seen[item.id]}"
                self.errors.append(ReadError(item.path, reason, "give every record a unique id"))
                continue
            seen[item.id] = item.path
            batch.append((order, item))
            order += 1
            size += len(item.text)
            if len(batch) >= self.chunk_docs or size >= self.chunk_chars:
                yield CleanTask(index, self.work, batch)
                batch, size, index = [], 0, index + 1
        if batch:
            yield CleanTask(index, self.work, batch)


def _write_corpus_parts(
    engine: Engine,
    parts: list[Part],
    tmp: Path,
    result: DedupResult,
    parquet: bool,
    summary: RunSummary,
    report: Progress,
) -> list[Part]:
    """The corpus written by the engine's workers, one part per chunk (corpus/part-N.jsonl,
    corpus.dedup/part-N.jsonl, with ``parquet`` corpus/part-N.parquet); returns what is left for
    this process to merge: the chunks' removal and comment lines, in files without corpus lines."""
    tasks = (
        PartTask(k, p.path.parent, tmp, [result.assignment[i] for i in p.ids], p.removed, p.comments, parquet)
        for k, p in enumerate(parts)
    )
    written = 0
    for done in engine.map(write_part, tasks):
        written += done.documents
        summary.peak_rss_workers_mb = max(summary.peak_rss_workers_mb, done.peak_rss_mb)
        summary.timings["worker_parts"] = summary.timings.get("worker_parts", 0.0) + done.seconds
        report("write", written, summary.documents)
    summary.parts = len(parts)
    return [Part(rest_file(p.path.parent, k), p.ids, p.removed, p.comments, corpus=False) for k, p in enumerate(parts)]


def _write(
    tmp: Path,
    docs: Iterator[DocLines],
    result: DedupResult,
    summary: RunSummary,
    report: Progress,
    corpus: bool = True,
) -> None:
    """removed.jsonl, comments.jsonl and clusters.jsonl, and with ``corpus`` corpus.jsonl (each
    record completed with its cluster fields) and corpus.dedup.jsonl."""
    with ExitStack() as stack:

        def create(name: str) -> TextIO:
            return stack.enter_context((tmp / name).open("w", encoding="utf-8", newline="\n"))

        whole, dedup = (create("corpus.jsonl"), create("corpus.dedup.jsonl")) if corpus else (None, None)
        removed, comments = create("removed.jsonl"), create("comments.jsonl")
        for n, doc in enumerate(docs, start=1):
            if whole is not None and dedup is not None:
                assigned = result.assignment[doc.id]
                line = completed(doc.corpus, assigned)
                whole.write(line)
                if assigned[1] is None:
                    dedup.write(line)
                if n % 10_000 == 0:
                    report("write", n, summary.documents)
            removed.writelines(doc.removed)
            comments.writelines(doc.comments)
    writers.write_jsonl(tmp / "clusters.jsonl", (_cluster_record(c, result.assignment) for c in result.clusters))


def _printable(path: Path) -> str:
    """A path as text that can be written to JSON even when its bytes are not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cluster_record(cluster: Any, assignment: Assignment) -> dict[str, Any]:
    """A cluster with each member's measures; ``similarity`` (the measure that linked the member,
    as in corpus.jsonl) lets the report order clusters from this file alone."""
    return {
        "cluster": cluster.cluster,
        "canonical": cluster.canonical,
        "size": len(cluster.members),
        "members": [
            {
                "id": m.id,
                "jaccard": round(m.jaccard, 4),
                "containment": round(m.containment, 4),
                "similarity": None if (s := assignment[m.id][2]) is None else round(s, 4),
                "relation": m.relation,
            }
            for m in cluster.members
        ],
    }


def _manifest(summary: RunSummary, cfg: Config) -> dict[str, Any]:
    return {
        "tool": "cleaner",
        "summary": summary.to_dict(),
        "config_hash": cfg.hash,
        "versions": _versions(),
    }


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("cleaner", "ftfy", "datasketch", "rapidfuzz", "charset-normalizer", "numpy"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found
