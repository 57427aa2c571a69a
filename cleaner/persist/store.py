"""The persistent index on disk: one SQLite file (standard library ``sqlite3``), no text in it.

Tables (schema version :data:`SCHEMA_VERSION`):

- ``meta``: schema version, when the index was created and last changed, the cleaner version, and
  the dedup settings that shape signatures and band keys (shingling, MinHash, bands). Signatures
  made with other settings cannot be compared, so opening with different ones is refused.
- ``docs``: per document its number ``n`` (the order of indexing), id, shingle count, length in
  characters, date, the key of its whole signature, which ingestion added it, its cluster (the
  ``n`` of the cluster's canonical document, its own for canonicals and singletons), how it was
  measured against that canonical, and its signature (:mod:`cleaner.persist.signature`).
- ``band_NN``: one table per LSH band, ``(key, doc)``, the primary key is the lookup. At a million
  documents a table per band filled 1.04 to 2.1 times as fast as one table keyed by
  ``(band, key)`` (two runs on a shared machine), took 10% less space, and looked keys up as fast
  (``bench/index_query.py``). Documents whose whole signature equals an earlier one's (exact
  copies) are not banded: they link to that earlier one, as in a run.
- ``links``: the verified pairs (the rule that linked them and the measures), which clustering
  needs again when a later batch touches their cluster.
- ``ingests``: one row per ingestion: when, which input, documents added, matched and known.

Concurrency: the file is in WAL mode, so readers (``cleaner index stats``) never wait. An
ingestion holds the write lock (``BEGIN IMMEDIATE``) from reading the candidates to its commit,
so two ingestion processes are serialised: the second waits up to ``[index] timeout`` seconds
and then sees everything the first added. ``synchronous = NORMAL``: a power loss may lose the
last ingestion, never corrupt the file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.dedup.lsh import optimal_param
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.verify import Comparison
from cleaner.errors import IndexFileError
from cleaner.persist.signature import Signatures

SCHEMA_VERSION = 1
# Dedup settings that decide what a signature or a band key is: an index only compares like with like.
SKETCH_KEYS = (
    "lowercase",
    "strip_punctuation",
    "mask_digits",
    "ngram",
    "char_ngram",
    "num_perm",
    "seed",
    "scheme",
    "lsh_threshold",
    "min_passage",
)
# SQLite's page cache per connection, in KB.
CACHE_KB = 65536
# Ids per statement when looking many up (SQLite allows 32,766 variables; smaller is as fast).
_CHUNK = 500
_DOC_COLUMNS = "n, id, canonical, size, chars, date, jaccard, containment, similarity, relation, signature"


# A document's measures against its canonical: Jaccard, containment, similarity, relation.
Measures = tuple[float | None, float | None, float | None, str | None]


@dataclass(frozen=True)
class IndexedDoc:
    """One ``docs`` row, signature still as stored."""

    n: int
    id: str
    canonical: int
    size: int
    chars: int
    date: str | None
    jaccard: float | None
    containment: float | None
    similarity: float | None
    relation: str | None
    signature: bytes

    @property
    def measures(self) -> Measures:
        return (self.jaccard, self.containment, self.similarity, self.relation)

    @property
    def tail(self) -> tuple[float | str | bytes | None, ...]:
        """The measures and the signature, the last columns of a ``docs`` row."""
        return (*self.measures, self.signature)


@dataclass(frozen=True)
class Link:
    """A verified pair of indexed documents (``a < b``) and how it was linked."""

    a: int
    b: int
    comparison: Comparison


def _sketch_settings(settings: DedupSettings) -> dict[str, Any]:
    return {key: getattr(settings, key) for key in SKETCH_KEYS}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _signed(values: np.ndarray) -> list[int]:
    """uint64 keys as the signed 64-bit integers SQLite stores."""
    return np.asarray(values, np.uint64).view(np.int64).tolist()


class IndexStore:
    """An open index file. Use :meth:`open`; close it (or use it as a context manager) when done."""

    def __init__(self, path: Path, con: sqlite3.Connection, meta: dict[str, str]) -> None:
        self.path = path
        self.con = con
        self.meta = meta
        self.bands = int(meta["bands"])
        self.num_perm = int(json.loads(meta["sketch"])["num_perm"])
        self._band_sql = " UNION ALL ".join(
            f"SELECT p.row, b.doc FROM temp.probe p JOIN band_{b:02d} b ON b.key = p.key WHERE p.band = {b}"
            for b in range(self.bands)
        )

    @classmethod
    def open(
        cls, path: str | Path, settings: DedupSettings | None = None, *, create: bool = False, timeout: float = 600.0
    ) -> IndexStore:
        """Open the index at ``path``; with ``create``, make it when missing (and its folder).

        With ``settings``, refuse an index built with other sketch settings (see :data:`SKETCH_KEYS`).
        Raises :class:`IndexFileError` naming the file and what to do.
        """
        path = Path(path)
        if path.is_dir():
            raise IndexFileError(str(path), "is a folder; give the path of the index file, e.g. index.sqlite")
        if not path.exists():
            if not create:
                raise IndexFileError(
                    str(path), f"no index here; `cleaner run INPUT --index {path}` creates one as it ingests INPUT"
                )
            if settings is None:
                raise ValueError("creating an index needs the dedup settings")
            path.parent.mkdir(parents=True, exist_ok=True)
        with translated(path):
            con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            try:
                _use_wal(con, timeout)
                con.execute("PRAGMA synchronous = NORMAL")
                # An ingestion reads most band pages to look keys up and then changes them: keep
                # them in SQLite's cache (64 MB) rather than reading each twice.
                con.execute(f"PRAGMA cache_size = -{CACHE_KB}")
                meta = _meta(con, path) if _has_meta(con) else None
                if meta is None:
                    if not create or settings is None:
                        raise IndexFileError(str(path), _NOT_AN_INDEX)
                    meta = _create(con, path, settings)
                _check(meta, path, settings)
            except BaseException:
                con.close()
                raise
        return cls(path, con, meta)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> IndexStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------------------

    def begin(self) -> None:
        """Take the write lock (waiting for another writer up to the timeout), unless this
        connection holds it already: changes made before the commit form one transaction."""
        if self.con.in_transaction:
            return
        with translated(self.path):
            self.con.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        with translated(self.path):
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'updated'", (_now(),))
            self.con.execute("COMMIT")

    def rollback(self) -> None:
        if self.con.in_transaction:
            self.con.execute("ROLLBACK")

    # --- reading ------------------------------------------------------------------------------

    def numbers(self, ids: Iterable[str]) -> dict[str, int]:
        """The ``n`` of each of ``ids`` that is indexed."""
        found: dict[str, int] = {}
        ids = list(ids)
        for start in range(0, len(ids), _CHUNK):
            part = ids[start : start + _CHUNK]
            sql = f"SELECT id, n FROM docs WHERE id IN ({','.join('?' * len(part))})"
            found.update(self.con.execute(sql, part).fetchall())
        return found

    def docs(self, numbers: Iterable[int]) -> dict[int, IndexedDoc]:
        """The rows of documents ``numbers``, by ``n``."""
        out: dict[int, IndexedDoc] = {}
        ns = sorted(set(numbers))
        for start in range(0, len(ns), _CHUNK):
            part = ns[start : start + _CHUNK]
            sql = f"SELECT {_DOC_COLUMNS} FROM docs WHERE n IN ({','.join('?' * len(part))})"
            for row in self.con.execute(sql, part):
                out[row[0]] = IndexedDoc(*row)
        return out

    def members(self, canonicals: Iterable[int]) -> set[int]:
        """Every document whose cluster's canonical is one of ``canonicals``."""
        found: set[int] = set()
        ns = sorted(set(canonicals))
        for start in range(0, len(ns), _CHUNK):
            part = ns[start : start + _CHUNK]
            sql = f"SELECT n FROM docs WHERE canonical IN ({','.join('?' * len(part))})"
            found.update(n for (n,) in self.con.execute(sql, part))
        return found

    def signatures(self, docs: Sequence[IndexedDoc]) -> Signatures:
        return Signatures.from_blobs([d.signature for d in docs], [d.size for d in docs], self.num_perm)

    def candidates(self, keys: np.ndarray, whole: np.ndarray) -> tuple[list[tuple[int, int]], set[int]]:
        """Indexed documents sharing a band with documents of band ``keys`` ``(documents, bands)``
        and whole-signature keys ``whole``, as pairs ``(row, n)``; and the rows that are exact
        copies of an indexed document: those are paired with the earliest such document only.

        The keys go into a temporary table and are joined with each band table in one statement,
        so SQLite looks them up in key order without a round trip per key."""
        if not len(whole):
            return [], set()
        probes = np.column_stack([np.asarray(whole, np.uint64), np.asarray(keys, np.uint64)]).view(np.int64)
        self.con.execute(_PROBE_TABLE)
        self.con.execute("DELETE FROM temp.probe")
        # One JSON array, expanded by SQLite itself: element k is row k // width, band k % width - 1.
        width = self.bands + 1
        self.con.execute(_PROBE_FILL, (width, width, json.dumps(probes.ravel().tolist())))
        copies = dict(self.con.execute(_COPIES_SQL).fetchall())
        pairs = set(copies.items())
        pairs.update((row, n) for row, n in self.con.execute(self._band_sql) if row not in copies)
        return sorted(pairs), set(copies)

    def links(self, numbers: Iterable[int]) -> list[Link]:
        """Every stored link with at least one end in ``numbers``."""
        out: dict[tuple[int, int], Link] = {}
        ns = sorted(set(numbers))
        for start in range(0, len(ns), _CHUNK):
            part = ns[start : start + _CHUNK]
            marks = ",".join("?" * len(part))
            sql = (
                "SELECT a, b, rule, jaccard, containment, fuzzy FROM links "
                f"WHERE a IN ({marks}) UNION SELECT a, b, rule, jaccard, containment, fuzzy FROM links "
                f"WHERE b IN ({marks})"
            )
            for a, b, rule, jaccard, containment, fuzzy in self.con.execute(sql, part + part):
                out[a, b] = Link(a, b, Comparison(jaccard, containment, fuzzy, False, rule))
        return list(out.values())

    def updated(self) -> str:
        """When the index last changed (read afresh: another process may have written since)."""
        return str(self.con.execute("SELECT value FROM meta WHERE key = 'updated'").fetchone()[0])

    def last_number(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(n), 0) FROM docs").fetchone()[0])

    # --- writing ------------------------------------------------------------------------------

    def add_docs(self, rows: Sequence[tuple[IndexedDoc, int, int]], banded: Sequence[tuple[int, np.ndarray]]) -> None:
        """Insert documents as ``(doc, whole key, ingestion)`` rows, and band the ``(n, band keys)``
        of those that have no exact copy indexed (one sorted batch per band table: fast to fill)."""
        self.con.executemany(
            "INSERT INTO docs (n, id, canonical, size, chars, date, whole, ingest, jaccard, containment, "
            "similarity, relation, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (d.n, d.id, d.canonical, d.size, d.chars, d.date, _signed(np.array([whole]))[0], ingest, *d.tail)
                for d, whole, ingest in rows
            ),
        )
        if not banded:
            return
        numbers = np.array([n for n, _ in banded], np.int64)
        keys = np.stack([k for _, k in banded]).astype(np.uint64).view(np.int64)
        for b in range(self.bands):
            order = np.argsort(keys[:, b], kind="stable")
            self.con.executemany(
                f"INSERT OR IGNORE INTO band_{b:02d} (key, doc) VALUES (?, ?)",
                zip(keys[order, b].tolist(), numbers[order].tolist(), strict=True),
            )

    def unband(self, n: int, band_keys: np.ndarray) -> None:
        for b, key in enumerate(_signed(band_keys)):
            self.con.execute(f"DELETE FROM band_{b:02d} WHERE key = ? AND doc = ?", (key, n))

    def add_links(self, links: Iterable[Link]) -> None:
        self.con.executemany(
            "INSERT OR REPLACE INTO links (a, b, rule, jaccard, containment, fuzzy) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    link.a,
                    link.b,
                    link.comparison.by,
                    link.comparison.jaccard,
                    link.comparison.containment,
                    link.comparison.fuzzy,
                )
                for link in links
            ),
        )

    def assign(
        self, n: int, canonical: int, measures: tuple[float | None, float | None, float | None, str | None]
    ) -> None:
        """Set a document's cluster and its measures against the canonical."""
        self.con.execute(
            "UPDATE docs SET canonical = ?, jaccard = ?, containment = ?, similarity = ?, relation = ? WHERE n = ?",
            (canonical, *measures, n),
        )

    def delete(self, n: int) -> None:
        """Remove a document and its links (its band rows are removed by :meth:`unband`)."""
        self.con.execute("DELETE FROM links WHERE a = ? OR b = ?", (n, n))
        self.con.execute("DELETE FROM docs WHERE n = ?", (n,))

    def copies(self, whole: int) -> list[int]:
        """Documents with this whole-signature key, earliest first."""
        (key,) = _signed(np.array([whole]))
        return [n for (n,) in self.con.execute("SELECT n FROM docs WHERE whole = ? ORDER BY n", (key,))]

    def whole_of(self, n: int) -> int:
        (key,) = self.con.execute("SELECT whole FROM docs WHERE n = ?", (n,)).fetchone()
        return int(np.array([key], np.int64).view(np.uint64)[0])

    def record_ingest(self, input_name: str) -> int:
        """Add a row to ``ingests``; returns its number (documents added carry it)."""
        cur = self.con.execute(
            "INSERT INTO ingests (at, input, added, matched, known, reassigned) VALUES (?, ?, 0, 0, 0, 0)",
            (_now(), input_name),
        )
        return int(cur.lastrowid or 0)

    def finish_ingest(self, ingest: int, counts: dict[str, int]) -> None:
        self.con.execute(
            "UPDATE ingests SET added = ?, matched = ?, known = ?, reassigned = ? WHERE n = ?",
            (counts["added"], counts["matched"], counts["known"], counts["reassigned"], ingest),
        )

    # --- inspecting ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Documents, clusters of two or more, ingestions."""
        one = self.con.execute
        return {
            "documents": one("SELECT count(*) FROM docs").fetchone()[0],
            "clusters": one("SELECT count(DISTINCT canonical) FROM docs WHERE canonical != n").fetchone()[0],
            "ingests": one("SELECT count(*) FROM ingests").fetchone()[0],
        }

    def export_rows(self) -> Iterator[tuple[Any, ...]]:
        """Every document with its cluster's canonical id, in id order."""
        return self.con.execute(
            "SELECT d.id, c.id, d.date, d.size, d.chars, d.jaccard, d.containment, d.similarity, d.relation, "
            "d.ingest FROM docs d JOIN docs c ON c.n = d.canonical ORDER BY d.id"
        )


# The keys a lookup searches for: band -1 holds the whole-signature keys.
_PROBE_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS probe (band INTEGER NOT NULL, key INTEGER NOT NULL, row INTEGER NOT NULL, "
    "PRIMARY KEY (band, key, row)) WITHOUT ROWID"
)
_PROBE_FILL = (
    "INSERT OR IGNORE INTO temp.probe (band, key, row) SELECT j.key % ? - 1, j.value, j.key / ? FROM json_each(?) j"
)
_COPIES_SQL = "SELECT p.row, min(d.n) FROM temp.probe p JOIN docs d ON d.whole = p.key WHERE p.band = -1 GROUP BY p.row"
_NOT_AN_INDEX = (
    "not a cleaner index (an SQLite file without its tables); check the path - `cleaner run INPUT --index PATH` "
    "creates an index at a new PATH"
)


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """SQLite errors as :class:`IndexFileError` naming the file and what to do."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise IndexFileError(
                str(path),
                "another process kept the index locked longer than [index] timeout allows; "
                "try again when it is done, or raise the timeout",
            ) from None
        raise IndexFileError(str(path), f"cannot use the index: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise IndexFileError(
            str(path),
            f"not a usable index ({exc}); restore it from a backup, or build a new one by running the "
            "inputs again with --index NEW_PATH",
        ) from None


def _use_wal(con: sqlite3.Connection, timeout: float) -> None:
    """Put the index in WAL mode, waiting up to ``timeout`` seconds for other processes.

    Two runs creating the same new index at once both switch it to WAL. The switch takes a lock
    that SQLite does not wait for (its busy timeout is not used there: the statement holds a read
    lock while it asks for the write lock), so "database is locked" comes at once. Retrying after
    a pause is what the busy timeout would have done. WAL mode is kept in the file, so on an
    existing index this is a read that does not wait.
    """
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            con.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


def _has_meta(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is not None


def _meta(con: sqlite3.Connection, path: Path) -> dict[str, str]:
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if "schema_version" not in meta:
        raise IndexFileError(str(path), _NOT_AN_INDEX)
    return meta


def _create(con: sqlite3.Connection, path: Path, settings: DedupSettings) -> dict[str, str]:
    """Create the tables, unless another process did while this one waited for the lock."""
    bands, rows = optimal_param(settings.lsh_threshold, settings.num_perm)
    con.execute("BEGIN IMMEDIATE")
    try:
        if _has_meta(con):
            con.execute("COMMIT")
            return _meta(con, path)
        if con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise IndexFileError(str(path), _NOT_AN_INDEX)
        for statement in _SCHEMA:
            con.execute(statement)
        for b in range(bands):
            con.execute(_BAND_TABLE.format(b))
        now = _now()
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "created": now,
            "updated": now,
            "cleaner_version": _version(),
            "sketch": json.dumps(_sketch_settings(settings), sort_keys=True),
            "bands": str(bands),
            "rows": str(rows),
        }
        con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return meta


def _check(meta: dict[str, str], path: Path, settings: DedupSettings | None) -> None:
    version = int(meta["schema_version"])
    if version > SCHEMA_VERSION:
        raise IndexFileError(
            str(path),
            f"written by a newer cleaner (index schema {version}; this cleaner {_version()} reads schema "
            f"{SCHEMA_VERSION}); upgrade cleaner (pip install -U cleaner) to use it",
        )
    if settings is None:
        return
    built = json.loads(meta["sketch"])
    wanted = _sketch_settings(settings)
    differ = [key for key in SKETCH_KEYS if built.get(key) != wanted[key]]
    if differ:
        shown = ", ".join(f"dedup.{k} = {built.get(k)!r} (config: {wanted[k]!r})" for k in differ)
        raise IndexFileError(
            str(path),
            f"built with other dedup settings: {shown}; signatures made differently cannot be compared - "
            "use the settings the index was built with, or a new index",
        )


def _version() -> str:
    try:
        return metadata.version("cleaner")
    except metadata.PackageNotFoundError:
        return "unknown"


_BAND_TABLE = (
    "CREATE TABLE band_{:02d} (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID"
)
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE docs (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        canonical INTEGER NOT NULL,
        size INTEGER NOT NULL,
        chars INTEGER NOT NULL,
        date TEXT,
        whole INTEGER NOT NULL,
        ingest INTEGER NOT NULL,
        jaccard REAL,
        containment REAL,
        similarity REAL,
        relation TEXT,
        signature BLOB NOT NULL
    )""",
    "CREATE INDEX docs_canonical ON docs (canonical)",
    "CREATE INDEX docs_whole ON docs (whole)",
    """CREATE TABLE links (
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        rule TEXT NOT NULL,
        jaccard REAL NOT NULL,
        containment REAL NOT NULL,
        fuzzy REAL,
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID""",
    "CREATE INDEX links_b ON links (b)",
    """CREATE TABLE ingests (
        n INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        input TEXT NOT NULL,
        added INTEGER NOT NULL,
        matched INTEGER NOT NULL,
        known INTEGER NOT NULL,
        reassigned INTEGER NOT NULL
    )""",
)
