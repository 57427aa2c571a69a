"""Clean one document within a limit of CPU time, and name the rule that ran too long.

Built-in cleaning takes time roughly linear in the input (``tests/test_linear_time.py``), but a
pattern a user adds to ``[rules]`` can backtrack catastrophically: ``(a+)+$`` on a line of forty
``a`` and a ``b`` runs for hours. :func:`clean_within_limit` stops such a document after
``engine.doc_time_limit`` seconds of CPU (per 100,000 characters for longer documents) and finds
the rule: the rule engine notes what it is being asked (:attr:`RuleSet.asking`), and of the
config's own patterns (those that are not built-in) for the kinds it was asked about, the one
that runs longest alone on that line is to blame. The document is then cleaned again without
that rule, so it is still in the output; each time the limit was hit is returned as an
:class:`Overrun` that the run reports. When no pattern of the config was running, the document is
kept uncleaned (its lines as the body): nothing is lost either way.

Why CPU time (``ITIMER_PROF``) and not wall time: runs share their cores with other work, and a
busy machine must not make an innocent rule look slow. Why a signal: CPython's regex engine
checks for signals while it backtracks, so the limit interrupts a running pattern, while a thread
or a check between lines could only wait for it to finish. Signals are delivered to the main
thread only, so the limit is kept where cleaning runs in a process's main thread (worker
processes always; ``run()`` when called from the main thread); elsewhere, on platforms without
``setitimer``, or while someone else's ``ITIMER_PROF`` is armed (a sampling profiler), documents
are cleaned without a limit.
"""

from __future__ import annotations

import dataclasses
import math
import re
import signal
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cleaner.clean.article import Cleaner
from cleaner.clean.rules import INSIDE_KINDS, RuleSet
from cleaner.config import default_config_text, expand_pattern
from cleaner.document import Document

# The limit holds for this many characters and grows with longer documents: built-in cleaning
# takes at most about 0.45 s of CPU for as many characters of the worst text known (a line of "©"
# alone, repeated), under 0.02 s for news.
CHARS_PER_LIMIT = 100_000
# Seconds of CPU between the timer's strikes after the first, until it is disarmed.
_AGAIN = 0.05
# How much of the line a rule ran too long on is quoted in the report.
_EXCERPT_CHARS = 60
# When several rules of the config could have been running, each is run alone on the line for at
# most this long (or the limit, if lower) to find the slowest: built-in rules take well under a
# millisecond on a line, so a second is far beyond any pattern that is merely slow.
_ALONE_SECONDS = 1.0


class TimeLimitExceeded(BaseException):
    """The CPU time limit was reached. A ``BaseException``, like ``KeyboardInterrupt``, so that no
    ``except Exception`` between the signal and :func:`clean_within_limit` swallows it."""


@dataclass(frozen=True, slots=True)
class Overrun:
    """One time a document ran out of time: the limit, and the rule that was to blame (its name and
    pattern as in the config, the document's line it ran on), or ``rule`` None when none was."""

    doc_id: str
    seconds: float
    rule: str | None = None
    pattern: str | None = None
    line: int | None = None
    excerpt: str = ""

    def reason(self) -> str:
        """What happened, for the run's error list."""
        spent = f"cleaning {self.doc_id!r} ran out of time ({self.seconds:g} s of CPU)"
        if self.rule is None:
            return f"{spent} while no rule of the config was running; the document was kept uncleaned"
        where = f" on line {self.line}" if self.line is not None else ""
        return (
            f"{spent}: rule {self.rule} '{self.pattern}' ran too long{where} ({self.excerpt!r}); "
            "the document was cleaned again without that rule and kept"
        )

    def hint(self) -> str:
        """What to do about it."""
        if self.rule is None:
            return "raise engine.doc_time_limit, or report the document: built-in rules need under 0.5 s per 100 KB"
        return (
            "the pattern backtracks on this line: simplify it (no nested repeats such as (a+)+ or (a|a)*), "
            "anchor it or bound its repeats, or raise engine.doc_time_limit"
        )


def limit_for(seconds: float, text: str) -> float:
    """The CPU seconds a document gets: ``seconds``, and as much per 100,000 characters of a longer one."""
    return seconds * max(1.0, len(text) / CHARS_PER_LIMIT)


def clean_within_limit(
    cleaner: Cleaner,
    seconds: float,
    text: str,
    *,
    doc_id: str,
    path: str = "",
    source: str | None = None,
    encoding: str | None = None,
    meta: dict[str, Any] | None = None,
) -> tuple[Document, list[Overrun]]:
    """Clean one document as :meth:`Cleaner.clean` does, within ``seconds`` of CPU (see
    :func:`limit_for`; 0 means no limit), and say each time the limit was hit."""
    limit = limit_for(seconds, text)
    overruns: list[Overrun] = []
    disabled: frozenset[str] = frozenset()
    while True:
        current = _without(cleaner, disabled)
        doc: Document | None = None
        try:
            with cpu_time_limit(limit):
                doc = current.clean(text, doc_id=doc_id, path=path, source=source, encoding=encoding, meta=meta)
        except TimeLimitExceeded:
            if doc is None:  # else the limit struck just as cleaning ended: the document is whole
                overrun = _blame(current, disabled, doc_id, text, seconds)
                overruns.append(overrun)
                if overrun.rule is None:
                    return _uncleaned(text, doc_id, path, source, encoding, meta), overruns
                disabled |= {overrun.rule}
                continue
        assert doc is not None
        return doc, overruns


@contextmanager
def cpu_time_limit(seconds: float) -> Iterator[bool]:
    """Raise :class:`TimeLimitExceeded` in the block once it has used ``seconds`` of CPU (0 or
    infinity: never). Yields whether the limit is kept (see the module docstring for when it cannot be).
    """
    if (
        not 0 < seconds < math.inf
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_PROF)[0] > 0
    ):
        yield False
        return
    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise TimeLimitExceeded

    previous = signal.signal(signal.SIGPROF, expire)
    # The timer strikes again every so often until it is disarmed: an exception raised while a
    # garbage-collector callback or a __del__ method runs is reported and dropped by Python, and
    # the block would otherwise run on without a limit.
    signal.setitimer(signal.ITIMER_PROF, seconds, min(seconds, _AGAIN))
    try:
        yield True
    finally:
        while True:
            try:
                armed = False
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
                break
            except TimeLimitExceeded:  # the timer struck again before it was disarmed
                continue


def _blame(cleaner: Cleaner, disabled: frozenset[str], doc_id: str, text: str, seconds: float) -> Overrun:
    """The :class:`Overrun` of a document the limit stopped, naming the config's own rule that was
    running if there was one: of those that could have been, the slowest alone on the line."""
    limit = limit_for(seconds, text)
    asking, cleaner.rules.asking = cleaner.rules.asking, None  # not to be read again for another document
    if asking is None:
        return Overrun(doc_id, limit)
    kinds, line = asking
    data = cleaner.config.data
    builtin = _builtin_patterns()
    suspects = [
        (f"{table}.{kind}[{i}]", kind, pattern)
        for table, table_kinds in data.get("rules", {}).items()
        for kind, patterns in table_kinds.items()
        if kind in kinds
        for i, pattern in enumerate(patterns)
        if pattern not in builtin.get((table, kind), ()) and f"{table}.{kind}[{i}]" not in disabled
    ]
    if not suspects:
        return Overrun(doc_id, limit)
    slowest, longest = suspects[0], -1.0
    if len(suspects) > 1:
        cap = min(seconds, _ALONE_SECONDS)
        for suspect in suspects:
            spent = _time_alone(expand_pattern(suspect[2], data), suspect[1] in INSIDE_KINDS, line, cap)
            if spent > longest:
                slowest, longest = suspect, spent
            if spent >= cap:
                break
    name, _, pattern = slowest
    number = next((n for n, raw in enumerate(_lines(text), start=1) if line in raw), None)
    excerpt = line if len(line) <= _EXCERPT_CHARS else line[: _EXCERPT_CHARS - 1] + "…"
    return Overrun(doc_id, limit, name, pattern, number, excerpt)


def _time_alone(pattern: str, inside: bool, line: str, cap: float) -> float:
    """CPU seconds one pattern takes on ``line`` the way the rule engine runs it, at most ``cap``."""
    regex = re.compile(pattern)
    start = time.process_time()
    try:
        with cpu_time_limit(cap):
            (regex.search if inside else regex.match)(line)
    except TimeLimitExceeded:
        return cap
    return time.process_time() - start


_BUILTIN: dict[tuple[str, str], frozenset[str]] = {}


def _builtin_patterns() -> dict[tuple[str, str], frozenset[str]]:
    """The shipped patterns by (table, kind): these are kept linear by the tests and never blamed."""
    if not _BUILTIN:
        for table, kinds in tomllib.loads(default_config_text()).get("rules", {}).items():
            for kind, patterns in kinds.items():
                _BUILTIN[table, kind] = frozenset(patterns)
    return _BUILTIN


_CLEANERS: dict[tuple[str, frozenset[str]], Cleaner] = {}


def _without(cleaner: Cleaner, disabled: frozenset[str]) -> Cleaner:
    """``cleaner`` with the rules named in ``disabled`` left out (built once per process)."""
    if not disabled:
        return cleaner
    key = (cleaner.config.hash, disabled)
    found = _CLEANERS.get(key)
    if found is None:
        found = _CLEANERS[key] = dataclasses.replace(cleaner, rules=RuleSet(cleaner.config.data, disabled))
    return found


def _uncleaned(
    text: str, doc_id: str, path: str, source: str | None, encoding: str | None, meta: dict[str, Any] | None
) -> Document:
    """The document as it came, each non-blank line a paragraph: kept rather than lost."""
    doc = Document(id=doc_id, path=path, source=source, encoding=encoding, meta=dict(meta or {}))
    for number, raw in enumerate(_lines(text), start=1):
        if raw.strip():
            doc.paragraphs.append(raw.strip())
            doc.paragraph_lines.append(number)
    return doc


def _lines(text: str) -> list[str]:
    """The lines as cleaning numbers them (any line break counts)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
