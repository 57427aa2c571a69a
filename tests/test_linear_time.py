"""Cleaning time grows linearly with the input, also on pathological text.

Hostile or broken scrapes hold a megabyte on one line of one character, punctuation repeated
thousands of times, lists of credits, long runs of date-like text, hundreds of thousands of tiny
lines. No built-in regex or loop may turn such input quadratic: a document that is four times
larger may take about four times longer, and must take less than eight times longer (a quadratic
step takes sixteen). The cases go through every per-document step (``Cleaner.clean``: textfix,
comments, rules, dates, header, article, language), the rules alone, learned boilerplate and
decoding.

Ratios, not seconds, so that the test holds on a slow or busy machine: each size is timed in CPU
seconds, the better of up to three tries (noise only ever adds time), after one untimed run that
builds what is compiled once (patterns per first character).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from cleaner import load_config
from cleaner.clean import boilerplate
from cleaner.clean.article import cleaner_for
from cleaner.clean.rules import LINE_MAX_CHARS
from cleaner.config import RULE_KINDS
from cleaner.io.decode import decode_bytes

# Linear growth of a four times larger input is 4; quadratic is 16.
BOUND = 8.0
CLEANER = cleaner_for(load_config(None))
PROSE = "Der Stadtrat hat am Montag neue Pläne für den Hafen vorgestellt, die viele Fragen offen lassen."


def growth(work: Callable[[int], object], size: int) -> float:
    """How much longer ``work(4 * size)`` takes than ``work(size)``, best of up to three tries.

    Both sizes run once first, so that neither is timed while the allocator first maps its memory.
    """
    work(size)
    work(4 * size)
    small = large = float("inf")
    for _ in range(3):
        small = min(small, cpu_seconds(work, size))
        large = min(large, cpu_seconds(work, 4 * size))
        if large < BOUND * small:
            break
    return large / small


def cpu_seconds(work: Callable[[int], object], size: int) -> float:
    """CPU time of ``work(size)``; without the cycle collector, whose passes cost by the heap's size."""
    gc.disable()
    try:
        start = time.process_time()
        work(size)
        return time.process_time() - start
    finally:
        gc.enable()


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def clean(text: str) -> None:
    CLEANER.clean(text, doc_id="case")


# One line of a megabyte: one character, punctuation, credits, dates, bylines, odd characters.
ONE_LINE = [
    *'aA1.!-()"|/:',
    "a ",
    ". ",
    "- ",
    "\u00a0",  # odd spaces become spaces
    "\u200b",  # invisible characters are dropped
    "\x7f",  # control characters are dropped
    "(dpa) ",  # credits glued to a paragraph's end are cut one by one
    "dpa/",
    "10.01.2022 ",
    "10.01.2022",
    "22:53 Uhr ",
    "Stand: ",
    "Foto: ",
    "Von ",
    "Max, ",
    "Jane Doe and ",
    "| dpa ",
]
# Text that may be mojibake goes through ftfy, which takes about 0.3 s a megabyte: a quarter of that.
FTFY_LINE = ["„", "“", "©", "„Zitat“ ", "Ã¤", "â€", "\x80"]


@pytest.mark.parametrize(("unit", "size"), [(u, 250_000) for u in ONE_LINE] + [(u, 62_500) for u in FTFY_LINE])
def test_one_long_line(unit: str, size: int) -> None:
    assert growth(lambda size: clean("Ein Titel\n\n" + repeat(unit, size) + "\n"), size) < BOUND


WRAPPED = "der Stadtrat hat am Montag die neuen Pläne für den Hafen vorgestellt"
# Many short lines: every line is tried by the rules, and the steps that look at neighbours
# (captions beside credits, roles under bylines, list items, names beside dates) must not rescan.
MANY_LINES = [
    ("ab\n", 12_500),
    ("x\n\n", 12_500),
    ("\n", 12_500),
    ("\r", 12_500),
    ("©\n", 12_500),
    ("1\n", 12_500),
    # A caption beside each credit and no title or prose: each credit looked for a title-like line
    # above it from the top (was quadratic).
    ("Ein Bild vom Hafen\nFoto: dpa\n", 50_000),
    ("Von Max Muster\nKorrespondent in Berlin\n", 12_500),
    ("Stand: 10.01.2022 22:53 Uhr\n", 12_500),
    ("Jane Doe and John Roe\n10.01.2022\n", 12_500),
    ("Mehr zum Thema\nEin Link\nNoch ein Link\n", 12_500),
    ("(dpa)\n", 12_500),
    ("Ein Titel\n", 12_500),
    # Hard-wrapped prose: one paragraph of thousands of lines is rejoined, words broken at hyphens too.
    (f"{WRAPPED}, und es\ngab viele Fragen der Bürger zu den Kosten und zum Zeitplan der Arbeiten, die\n", 50_000),
    (f"{WRAPPED}, Hafen-\ngab viele Fragen der Bürger zu den Kosten und zum Zeitplan der Arbeit-\n", 50_000),
    (f"    {WRAPPED}.\nund es gab viele Fragen der Bürger zu den Kosten und zum Zeitplan dazu\n", 50_000),
]


@pytest.mark.parametrize(("unit", "size"), MANY_LINES)
def test_many_short_lines(unit: str, size: int) -> None:
    assert growth(lambda size: clean(repeat(unit, size)), size) < BOUND


# Comment-like lines after a line of prose, where comment sections may start.
COMMENT_LINES = [
    "Kommentare\nEin Satz.\n",
    "nutzer 11.01.2022 • 00:07 Uhr\nEin Kommentar.\n",
    "vor 3 Minuten\nx\n",
]


@pytest.mark.parametrize("unit", COMMENT_LINES)
def test_comment_like_lines(unit: str) -> None:
    assert growth(lambda size: clean(f"Ein Titel\n\n{PROSE}\n\n" + repeat(unit, size)), 12_500) < BOUND


# Lines as long as rules look at (longer ones are prose and skip them), four times longer in the
# larger input: a rule that backtracks within a line grows sixteen times. Every kind of rule is
# asked, alone and as cleaning asks them, and the whole document is cleaned.
LONG = LINE_MAX_CHARS - 20
LINE_TOKENS = [
    "a ",
    "Ä",
    "1",
    ".",
    ", ",
    "| ",
    " |",
    "© ",
    "dpa/",  # initials before agencies tried every split (was quadratic)
    "mes/",
    "(dpa) ",
    "Von ",
    "Max, ",
    "Ab Cd ",
    "Foto: ",
    "Foto: .",
    "Quelle: /",
    "Stand: ",
    "Kommentare ",
    "Startseite > ",
]


def line_of(token: str, length: int) -> str:
    return (token * (length // len(token))).strip()


@pytest.mark.parametrize("token", LINE_TOKENS)
def test_rules_on_lines_up_to_the_length_they_look_at(token: str) -> None:
    def ask(length: int) -> None:
        line = line_of(token, length)
        for _ in range(50):
            for kind in RULE_KINDS:
                CLEANER.rules.match(kind, line)

    assert growth(ask, LONG // 4) < BOUND


@pytest.mark.parametrize("token", LINE_TOKENS)
def test_documents_of_lines_up_to_the_length_rules_look_at(token: str) -> None:
    assert growth(lambda length: clean("Ein Titel\n\n" + (line_of(token, length) + "\n") * 200), LONG // 4) < BOUND


def test_learned_boilerplate() -> None:
    def learn_and_strip(size: int) -> None:
        docs = [CLEANER.clean(repeat("Mehr aus der Region\nx\n", size), doc_id=f"d{i}") for i in range(5)]
        learner = boilerplate.BoilerplateLearner(min_docs=2, min_fraction=0.0, min_contexts=1, max_chars=200)
        learner.add(boilerplate.observe(docs, 200))
        boilerplate.strip_learned(docs, learner.learned(), 200)

    assert growth(learn_and_strip, 5_000) < BOUND


DECODE = {
    "cp1252 fallback": ("Ärger „x“ ".encode("cp1252"), ("cp1252", "latin-1"), 1_000_000),
    "charset detection": (b"\x81abc \xe4 ", ("cp1252",), 250_000),  # when no fallback decodes
    "utf-16 without a mark": ("ab c ".encode("utf-16-le"), ("cp1252", "latin-1"), 1_000_000),
    "control bytes": (b"abc\x01" + b"x" * 40, ("cp1252", "latin-1"), 1_000_000),
}


@pytest.mark.parametrize("case", sorted(DECODE))
def test_decoding(case: str) -> None:
    unit, fallbacks, size = DECODE[case]
    # The inputs are built before the clock starts: the time is the decoding's alone (building a
    # fresh 4 MB input costs page faults that grow faster than its size on some machines).
    inputs = {n: (unit * (n // len(unit)))[:n] for n in (size, 4 * size)}
    assert growth(lambda n: decode_bytes(inputs[n], "case", fallbacks), size) < BOUND
