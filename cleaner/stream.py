"""Clean and deduplicate records as they arrive: the library side of ``cleaner run -``.

:func:`cleaner.run` needs a whole corpus on disk and writes a folder; an ingestion script has
records in hand and wants each one back, cleaned and placed in its cluster, before the next one
arrives. :class:`Pipeline` does that, one record in, one result out:

- cleaning is per document and the same as in a run, except learned boilerplate, which needs a
  corpus to learn from (every configured rule applies, as in :func:`cleaner.clean_text`);
- deduplication compares each document with every document the pipeline has seen before, in this
  and earlier calls, and places it at once: a copy points ``duplicate_of`` at the first copy seen
  of its story, which is the cluster's canonical document and stays so (see
  :mod:`cleaner.dedup.incremental`). A run instead chooses the canonical after seeing the whole
  corpus (the most complete copy by default), so where a fuller version of a story comes after a
  shorter one, the stream calls the fuller one a member that ``contains`` its canonical;
- a record that cannot be used (no text field, text not a string, a repeated id) is skipped and
  recorded in :attr:`Pipeline.errors` as an :class:`~cleaner.errors.InputError` naming its
  position; the iterator goes on. Pass ``on_error`` to hear of each at once (raise from it to stop).
- each record gets ``engine.doc_time_limit`` seconds of CPU to be cleaned, as in a run: one on
  which a pattern of the config runs too long is cleaned again without it and yielded, and
  recorded in :attr:`Pipeline.errors` too, with ``kept`` true.

Memory grows with the sketches of the documents seen (about 1 KB each), never with their text.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from queue import Empty, Full, Queue
from typing import Any, BinaryIO, TypeVar

from cleaner.clean.article import cleaner_for
from cleaner.config import load_config, with_overrides
from cleaner.dedup import DedupItem, DedupSettings
from cleaner.dedup.incremental import IncrementalDedup
from cleaner.document import Document
from cleaner.engine.tasks import clean_raw
from cleaner.errors import InputError
from cleaner.io.readers import InputSpec, RawDoc, ReadError, read_jsonl_stream, record_doc
from cleaner.pipeline import ConfigLike, RunSummary, peak_rss_mb
from cleaner.review.decisions import decisions_path, load_decisions

Record = Mapping[str, Any] | str


class Pipeline:
    """Cleans and deduplicates records one at a time, remembering every document it has seen.

    ``config`` is a TOML path, a dict of overrides, a :class:`~cleaner.config.Config` or ``None``
    for the defaults; ``text_field`` and ``id_field`` override ``[input]``'s. Review decisions
    (``[review] decisions``) are obeyed as in a run. Use it as a context manager, or call
    :meth:`close`, to remove its temporary file of shingle sets.

    >>> text = "Heavy rain flooded the lower town overnight. " * 8
    >>> with Pipeline() as pipe:
    ...     [(r["id"], r["duplicate_of"]) for r in pipe.process([text, {"id": "copy", "text": text}, {"id": 3}])]
    [('records-1', None), ('copy', 'records-1')]
    >>> [(e.path, e.line, e.reason) for e in pipe.errors]
    [('records', 3, "field 'text' is missing")]
    """

    def __init__(
        self,
        config: ConfigLike = None,
        *,
        text_field: str | None = None,
        id_field: str | None = None,
        on_error: Callable[[InputError], None] | None = None,
    ) -> None:
        cfg = load_config(config)
        fields = {"text_field": text_field, "id_field": id_field}
        overrides = {key: value for key, value in fields.items() if value is not None}
        self.config = with_overrides(cfg, {"input": overrides}) if overrides else cfg
        self._spec = InputSpec.from_config(self.config.section("input"))
        self._cleaner = cleaner_for(self.config)
        self._limit: float = self.config.section("engine")["doc_time_limit"]
        decisions = load_decisions(decisions_path(self.config))
        settings = DedupSettings.from_config(self.config.section("dedup"))
        self._dedup = IncrementalDedup(settings, decisions.distinct, decisions.merged)
        self._on_error = on_error
        self._names: list[str] = []
        self._started = time.perf_counter()
        #: Every record skipped so far, and every record kept with a problem (``kept`` true: its
        #: cleaning ran out of time), in order; ``str(error)`` reads ``name:position: reason (hint)``.
        self.errors: list[InputError] = []
        self.comments = 0
        self.removals: Counter[str] = Counter()

    def process(self, records: Iterable[Record], name: str = "records") -> Iterator[dict[str, Any]]:
        """Clean and place each record, yielding its result as soon as it is done.

        A record is a dict with the text field (and usually the id field; other fields pass
        through as ``meta``) or a plain string. A record without an id gets ``<name>-<position>``
        (1-based): give each batch its own ``name`` when several batches lack ids. Results are
        ``corpus.jsonl`` records, the cluster fields last.
        """
        self._names.append(name)
        for position, record in enumerate(records, start=1):
            yield from self._take([self._raw(record, name, position)])

    def process_jsonl(self, stream: BinaryIO, name: str = "stdin") -> Iterator[dict[str, Any]]:
        """:meth:`process` for a binary stream of JSON Lines (``sys.stdin.buffer``, an open file),
        each record handled as soon as its line is complete; positions are line numbers.

        A thread reads ahead (at most a few hundred records); the records that have arrived by the
        time the previous ones are done are sketched together, which is faster than one by one
        and never waits for a record that has not arrived.
        """
        self._names.append(name)
        for items in _arrived(read_jsonl_stream(stream, name, self._spec), _BATCH):
            yield from self._take(items)

    def summary(self) -> RunSummary:
        """The counts so far, in the form :func:`cleaner.run` returns (``out`` is ``-``)."""
        stats = self._dedup.stats
        return RunSummary(
            input=", ".join(dict.fromkeys(self._names)),
            out="-",
            documents=stats["documents"],
            errors=[ReadError.of(e) for e in self.errors],
            clusters=stats["clusters"],
            duplicates=stats["duplicates"],
            comments=self.comments,
            removals=Counter(self.removals),
            timings={"stream": time.perf_counter() - self._started},
            dedup=dict(stats),
            peak_rss_main_mb=peak_rss_mb(),
        )

    def close(self) -> None:
        self._dedup.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _raw(self, record: Any, name: str, position: int) -> RawDoc | ReadError:
        default_id = f"{name}-{position}"
        if isinstance(record, str):
            if not record.strip():
                return ReadError(name, "the record is an empty string", "remove it or fill in its text", position)
            return RawDoc(default_id, name, None, record, line=position)
        if isinstance(record, Mapping):
            return record_doc(dict(record), name, position, self._spec, "record", default_id)
        return ReadError(
            name,
            f"a record must be a dict or a string, got {type(record).__name__}",
            f"pass dicts with a {self._spec.text_field!r} field, or the article texts",
            position,
        )

    def _take(self, items: list[RawDoc | ReadError]) -> list[dict[str, Any]]:
        """Clean the records, place them in order, and return their results (errors are recorded)."""
        docs: list[Document] = []
        fresh: set[str] = set()
        for item in items:
            if isinstance(item, ReadError):
                self._error(item)
            elif item.id in self._dedup or item.id in fresh:
                reason = f"duplicate id {item.id!r}: an earlier record has it"
                self._error(ReadError(item.path, reason, "give every record its own id", item.line))
            elif (doc := self._clean(item)) is not None:
                docs.append(doc)
                fresh.add(doc.id)
        first = len(self._dedup)
        placed = self._dedup.add_many([DedupItem(d.id, d.text, d.date, first + k) for k, d in enumerate(docs)])
        for doc, placement in zip(docs, placed, strict=True):
            doc.cluster, doc.duplicate_of, doc.similarity, doc.relation = placement
            self.comments += len(doc.comments)
            self.removals.update(r.kind for r in doc.removals)
        return [doc.to_dict() for doc in docs]

    def _clean(self, item: RawDoc) -> Document | None:
        doc, problems = clean_raw(self._cleaner, self._limit, item, "please report this with the record")
        for problem in problems:
            self._error(problem)
        return doc

    def _error(self, error: ReadError) -> None:
        exc = InputError(error.path, error.reason, error.hint, error.line, error.kept)
        self.errors.append(exc)
        if self._on_error is not None:
            self._on_error(exc)


# Most records of a stream sketched together (more gains little; fewer costs numpy's per-call time).
_BATCH = 100
T = TypeVar("T")


def _arrived(items: Iterator[T], most: int) -> Iterator[list[T]]:
    """Lists of the items that have already arrived: wait for one, then take whatever else is
    ready, up to ``most``. A daemon thread pulls ``items`` ahead into a bounded queue (so reading
    stdin overlaps the work); it stops when the consumer does."""
    ready: Queue[Any] = Queue(maxsize=4 * most)
    stop = threading.Event()
    end = object()

    def pull() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put(item, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            ready.put(_Failed(exc))
        else:
            ready.put(end)

    threading.Thread(target=pull, name="cleaner-reader", daemon=True).start()
    try:
        while True:
            batch = [ready.get()]
            while len(batch) < most and batch[-1] is not end and not isinstance(batch[-1], _Failed):
                try:
                    batch.append(ready.get_nowait())
                except Empty:
                    break
            last = batch[-1]
            if last is end or isinstance(last, _Failed):
                batch.pop()
                if batch:
                    yield batch
                if isinstance(last, _Failed):
                    raise last.error
                return
            yield batch
    finally:
        stop.set()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error
