"""The public entry points: clean one text, explain one file, run a whole folder.

The CLI is a thin shell over these functions; an ingestion script imports the same ones.
``run`` reads and cleans every input (per document, independent of the others), learns
boilerplate over the corpus, clusters duplicates, and writes the output folder atomically.
"""

from __future__ import annotations

import platform
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from cleaner.clean import boilerplate
from cleaner.clean.article import Cleaner, cleaner_for
from cleaner.config import Config, load_config
from cleaner.dedup import DedupItem, DedupResult, DedupSettings, deduplicate
from cleaner.document import Document
from cleaner.errors import CleanerError, InputError
from cleaner.io import writers
from cleaner.io.decode import decode_bytes
from cleaner.io.readers import InputSpec, RawDoc, ReadError, list_inputs, read_inputs

ConfigLike = str | Path | Mapping[str, Any] | Config | None
Progress = Callable[[int, int], None]


def clean_text(text: str, *, source: str | None = None, config: ConfigLike = None, doc_id: str = "text") -> Document:
    """Clean one article's text and return its :class:`~cleaner.document.Document`.

    Learned boilerplate needs a corpus and is not applied here; every rule in the config is.

    >>> doc = clean_text("Ein Titel\\n\\nStand: 10.01.2022 22:53 Uhr\\n\\nDer erste Absatz des Artikels.")
    >>> doc.title, doc.date, doc.text
    ('Ein Titel', '2022-01-10T22:53', 'Der erste Absatz des Artikels.')
    """
    return cleaner_for(load_config(config)).clean(text, doc_id=doc_id, source=source)


@dataclass(frozen=True, slots=True)
class LineFate:
    """What happened to one input line: ``body``, ``blank``, or a removal kind with its rule."""

    line: int
    text: str
    fate: str
    rule: str | None


def explain(path: str | Path, config: ConfigLike = None) -> list[LineFate]:
    """Each line of one raw file with its fate and the rule that decided it.

    Learned boilerplate is a corpus-level rule and shows up only in ``run``'s removal records.
    """
    cfg = load_config(config)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the file: {exc.strerror or exc}", "check the path") from None
    decoded = decode_bytes(data, str(path), cfg.section("input")["fallback_encodings"])
    doc = cleaner_for(cfg).clean(decoded.text, doc_id=path.stem, path=str(path))
    removed: dict[int, list[tuple[str, str]]] = {}
    for r in doc.removals:
        removed.setdefault(r.line, []).append((r.kind, r.rule))
    body_lines = set(doc.paragraph_lines)
    fates = []
    for lineno, line in enumerate(decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not line.strip():
            fates.append(LineFate(lineno, line, "blank", None))
            continue
        for kind, rule in removed.get(lineno, []):
            fates.append(LineFate(lineno, line, kind, rule))
        if lineno in body_lines:
            fates.append(LineFate(lineno, line, "body", None))
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
    removals: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

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
            "documents": self.documents,
            "errors": [e.to_dict() for e in self.errors],
            "clusters": self.clusters,
            "duplicates": self.duplicates,
            "duplicate_rate": self.duplicate_rate,
            "comments": self.comments,
            "removals": dict(sorted(self.removals.items())),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
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
) -> RunSummary:
    """Clean every article under ``input`` and write the corpus to ``out`` (see the README's contract).

    Inputs that cannot be read are listed in the summary and the manifest; the rest is written.
    """
    cfg = load_config(config)
    input_path, out_path = Path(input), Path(out)
    check_paths(input_path, out_path)
    spec = InputSpec.from_config(cfg.section("input"))
    dedup_settings = DedupSettings.from_config(cfg.section("dedup"))
    summary = RunSummary(input=str(input), out=str(out))
    clock = time.perf_counter()
    total = len(list_inputs(input_path, spec))
    docs, summary.errors = _clean_all(read_inputs(input_path, spec), cfg, total, progress)
    summary.timings["read_clean"] = time.perf_counter() - clock

    clock = time.perf_counter()
    section = cfg.section("boilerplate")
    boilerplate.strip_learned(docs, boilerplate.learn(docs, section), section["max_chars"])
    summary.timings["boilerplate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    result = _cluster(docs, dedup_settings)
    summary.timings["dedup"] = time.perf_counter() - clock

    docs.sort(key=lambda d: d.id)
    summary.documents = len(docs)
    summary.clusters = len(result.clusters)
    summary.duplicates = sum(1 for d in docs if d.duplicate_of is not None)
    summary.comments = sum(len(d.comments) for d in docs)
    summary.removals = dict(Counter(r.kind for d in docs for r in d.removals))

    clock = time.perf_counter()
    _write(out_path, docs, result, summary, cfg)
    summary.timings["write"] = time.perf_counter() - clock
    return summary


def _clean_all(
    items: Any, cfg: Config, total: int, progress: Progress | None
) -> tuple[list[Document], list[ReadError]]:
    cleaner = cleaner_for(cfg)
    docs: list[Document] = []
    errors: list[ReadError] = []
    seen: dict[str, str] = {}
    files_done = 0
    last_path = None
    for item in items:
        if item.path != last_path:
            last_path = item.path
            files_done += 1
            if progress is not None:
                progress(files_done, total)
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        if item.id in seen:
            errors.append(
                ReadError(
                    item.path,
                    f"duplicate id {item.id!r}, first seen in {seen[item.id]}",
                    "give every record a unique id",
                )
            )
            continue
        seen[item.id] = item.path
        docs.append(_clean_one(cleaner, item))
    return docs, errors


def _clean_one(cleaner: Cleaner, item: RawDoc) -> Document:
    return cleaner.clean(
        item.text, doc_id=item.id, path=item.path, source=item.source, encoding=item.encoding, meta=item.meta
    )


def _cluster(docs: list[Document], settings: DedupSettings) -> DedupResult:
    """Cluster the cleaned bodies and write each document's cluster fields.

    ``order`` is the position in the input's sorted reading order, so ``canonical = "first"``
    is deterministic too.
    """
    items = (DedupItem(d.id, d.text, d.date, order) for order, d in enumerate(docs))
    result = deduplicate(items, settings)
    for doc in docs:
        doc.cluster, doc.duplicate_of, doc.similarity, doc.relation = result.assignment[doc.id]
    return result


def _write(out: Path, docs: list[Document], result: DedupResult, summary: RunSummary, cfg: Config) -> None:
    with writers.atomic_dir(out) as tmp:
        writers.write_jsonl(tmp / "corpus.jsonl", (d.to_dict() for d in docs))
        writers.write_jsonl(tmp / "corpus.dedup.jsonl", (d.to_dict() for d in docs if d.duplicate_of is None))
        writers.write_jsonl(tmp / "clusters.jsonl", (_cluster_record(c) for c in result.clusters))
        writers.write_jsonl(
            tmp / "comments.jsonl",
            ({"doc": d.id, "n": i, **c.to_dict()} for d in docs for i, c in enumerate(d.comments, start=1)),
        )
        writers.write_jsonl(tmp / "removed.jsonl", ({"doc": d.id, **r.to_dict()} for d in docs for r in d.removals))
        if cfg.section("output")["docs"]:
            writers.write_docs(tmp / "docs", docs)
        writers.write_json(tmp / "manifest.json", _manifest(summary, cfg))


def _cluster_record(cluster: Any) -> dict[str, Any]:
    return {
        "cluster": cluster.cluster,
        "canonical": cluster.canonical,
        "size": len(cluster.members),
        "members": [
            {"id": m.id, "jaccard": round(m.jaccard, 4), "containment": round(m.containment, 4), "relation": m.relation}
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
