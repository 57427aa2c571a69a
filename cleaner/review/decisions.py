"""Review decisions: what a person decided about pairs of documents, kept in ``review.toml``.

The file is meant to be read and edited by hand, so it is plain TOML with one ``[[decision]]``
table per decision, appended in the order they were made::

    [[decision]]
    ids = ["wire/fed-rates", "blog/fed-rates-comment"]
    decision = "distinct"
    at = 2024-05-02T09:14:03Z

Decisions are about pairs, so one wins per pair: the latest in the file. That lets a person
undo a decision by making another one instead of hunting for the old line.

- ``distinct``: the two documents are different stories and are never clustered together;
- ``split``: the first id was split off the cluster of the second (applied like ``distinct``);
- ``merge``: the two documents (and so their clusters) are one story, kept together;
- ``keep``: the member (second id) was reviewed against its canonical (first id) and is right as
  it is; it changes no cluster and only tells ``cleaner review`` not to ask again.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.config import Config
from cleaner.dedup.model import Cluster
from cleaner.errors import ConfigError

KINDS = ("distinct", "split", "merge", "keep")
HEADER = """\
# Review decisions, read by `cleaner run` and written by `cleaner review`; safe to edit by hand.
# Each [[decision]] names two document ids, the decision and when it was made:
#   distinct  never cluster the two documents together
#   split     the first id was split off the cluster of the second (applied as distinct)
#   merge     the two documents, and their clusters, are one story
#   keep      the second id was reviewed against its canonical (the first) and is right
# The latest decision about a pair wins.
"""
_KEYS = {"ids", "decision", "at", "note"}


Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision as written: ``ids`` in the order given (it matters for ``split`` and ``keep``),
    ``at`` an ISO 8601 timestamp (empty when a hand-written entry has none)."""

    ids: Pair
    decision: str
    at: str = ""
    note: str = ""

    @property
    def pair(self) -> Pair:
        """The two ids sorted, which is how decisions about one pair are matched."""
        a, b = self.ids
        return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Decisions:
    """The decisions in effect (the latest per pair) as sorted id pairs, plus every record read."""

    distinct: frozenset[Pair] = frozenset()
    merged: frozenset[Pair] = frozenset()
    kept: frozenset[Pair] = frozenset()
    records: tuple[Decision, ...] = ()

    @classmethod
    def from_records(cls, records: Iterable[Decision]) -> Decisions:
        records = tuple(records)
        latest = {r.pair: r.decision for r in records}
        return cls(
            distinct=frozenset(p for p, d in latest.items() if d in ("distinct", "split")),
            merged=frozenset(p for p, d in latest.items() if d == "merge"),
            kept=frozenset(p for p, d in latest.items() if d == "keep"),
            records=records,
        )

    @property
    def decided(self) -> frozenset[Pair]:
        """Every pair that has a decision in effect."""
        return self.distinct | self.merged | self.kept

    @property
    def in_effect(self) -> list[Decision]:
        """The latest record per pair, in file order."""
        last = {r.pair: k for k, r in enumerate(self.records)}
        return [r for k, r in enumerate(self.records) if last[r.pair] == k]

    def ids(self) -> set[str]:
        """Every id any record names."""
        return {i for r in self.records for i in r.ids}


def decisions_path(cfg: Config) -> Path:
    """Where ``[review] decisions`` points: next to the config file, or the working folder for the
    built-in defaults and dict configs. The config's own path is not resolved, so a symlinked
    ``config.toml`` keeps its decisions beside the link."""
    name = Path(cfg.section("review")["decisions"])
    if cfg.source and cfg.source != "<dict>":
        return Path(cfg.source).parent / name
    return name


def load_decisions(path: str | Path) -> Decisions:
    """Read a decisions file; a missing file means no decisions.

    Raises :class:`ConfigError` naming the file and the offending key (``decision[2].ids``) when
    the file is not valid TOML or a decision is malformed, so a hand edit gone wrong is found.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Decisions()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("review", f"cannot read the decisions file: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("review", f"not valid TOML: {exc}", str(path)) from None
    unknown = sorted(set(data) - {"decision"})
    if unknown:
        raise ConfigError(unknown[0], "unknown key (a decisions file holds [[decision]] tables only)", str(path))
    entries = data.get("decision", [])
    if not isinstance(entries, list):
        raise ConfigError("decision", "must be an array of tables ([[decision]])", str(path))
    return Decisions.from_records(_record(entry, k, str(path)) for k, entry in enumerate(entries))


def _record(entry: Any, k: int, source: str) -> Decision:
    key = f"decision[{k}]"
    if not isinstance(entry, dict):
        raise ConfigError(key, "must be a table", source)
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(_KEYS))})", source)
    ids = entry.get("ids")
    if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, str) and i for i in ids)):
        raise ConfigError(f"{key}.ids", f"must be a list of two document ids, got {ids!r}", source)
    if ids[0] == ids[1]:
        raise ConfigError(f"{key}.ids", f"names the same document twice: {ids[0]!r}", source)
    decision = entry.get("decision")
    if decision not in KINDS:
        raise ConfigError(f"{key}.decision", f"must be one of {', '.join(KINDS)}, got {decision!r}", source)
    at = entry.get("at", "")
    if isinstance(at, dt.datetime | dt.date):
        at = at.isoformat()
    if not isinstance(at, str):
        raise ConfigError(f"{key}.at", f"must be a date-time such as 2024-05-02T09:14:03Z, got {at!r}", source)
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise ConfigError(f"{key}.note", f"must be a string, got {note!r}", source)
    return Decision((ids[0], ids[1]), decision, at, note)


def now() -> str:
    """The current time as the timestamp decisions carry: UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def format_decision(d: Decision) -> str:
    """One ``[[decision]]`` table as TOML text."""
    lines = [
        "[[decision]]",
        f"ids = [{_toml_str(d.ids[0])}, {_toml_str(d.ids[1])}]",
        f"decision = {_toml_str(d.decision)}",
    ]
    if d.at:
        lines.append(f"at = {_toml_datetime(d.at)}")
    if d.note:
        lines.append(f"note = {_toml_str(d.note)}")
    return "\n".join(lines) + "\n"


def save_decisions(path: str | Path, records: Iterable[Decision]) -> None:
    """Write ``records`` as a whole new decisions file (with the explaining header)."""
    path = Path(path)
    text = HEADER + "".join("\n" + format_decision(r) for r in records)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def append_decision(path: str | Path, record: Decision) -> None:
    """Add one decision at the end of the file (created with its header when missing).

    Appending leaves the rest of the file, hand edits and comments included, exactly as it was,
    and a review that is interrupted keeps every decision made so far.
    """
    path = Path(path)
    head = "" if path.exists() and path.stat().st_size else HEADER
    with path.open("a", encoding="utf-8") as fh:
        fh.write(head + "\n" + format_decision(record))


def review_summary(
    decisions: Decisions, path: Path, clusters: Iterable[Cluster], ids: Collection[str]
) -> dict[str, Any]:
    """What ``manifest.json`` records under ``summary.review`` and the report shows.

    ``touched`` maps the id of every cluster (of two or more) holding a document named by a
    decision in effect to those decisions; ``unknown_ids`` are ids the decisions name that the
    corpus no longer has. ``file`` is the file's name only, so the manifest is the same on any
    machine.
    """
    cluster_of = {m.id: c.cluster for c in clusters for m in c.members}
    touched: dict[str, list[dict[str, Any]]] = {}
    for r in decisions.in_effect:
        for cluster in sorted({cluster_of[i] for i in r.ids if i in cluster_of}):
            touched.setdefault(cluster, []).append({"decision": r.decision, "ids": list(r.ids)})
    return {
        "file": path.name,
        "decisions": len(decisions.in_effect),
        "touched": dict(sorted(touched.items())),
        "unknown_ids": sorted(decisions.ids() - set(ids)),
    }


def _toml_str(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that DEL must be escaped too."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_datetime(value: str) -> str:
    """A timestamp as a TOML date-time when it is one, else as a string (hand-written text survives)."""
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _toml_str(value)
    return value
