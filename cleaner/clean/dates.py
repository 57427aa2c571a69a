"""Fast recognition of the date expressions that scraped news articles carry.

The cleaner looks at every line of every article to decide whether it is a date line, so this
module uses compiled regular expressions only (no ``dateparser``): the patterns are built once per
label list (cached) and one call costs a few microseconds. Only the shapes that news sites actually
print are understood; anything else returns ``None`` rather than a guess.

Decisions, so that callers and tests agree:

* ``DateMatch.iso`` carries the precision the source shows: ``"2022"``, ``"2022-01"``,
  ``"2022-01-10"`` or ``"2022-01-10T22:53"``. Seconds are read and validated but dropped, because
  the corpus records times to the minute. A bare hour ("um 17 Uhr", "5 PM") becomes ``T17:00``.
* Timezones ("ET", "GMT", "MEZ", "+01:00", ...) are read but not converted: the time is kept as
  the source wrote it. 12-hour clocks ("10:53 PM") are converted to 24 hours.
* Two-digit years are accepted only in the ``dd.mm.yy`` form with two-digit day and month
  ("10.01.22", not "3.1.10", which is more often a score or a version). They map to 20yy when
  yy is at most the current two-digit year, else to 19yy.
* A year on its own ("Stand: 2022") counts only in :meth:`DateParser.parse` and only after a
  label; a bare four-digit number is far more often a count than a date.
* Years outside 1000-2999 and impossible calendar values (month 13, 31 April, 29 February of a
  common year, hour 24, minute 60) are rejected.
* Labels match case-sensitively (as configured, plus an all-capitals variant) so that ordinary
  words in body text ("was updated 10 January 2022") are not taken for labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = ["DateMatch", "DateParser", "best"]

PRECISION_YEAR = 1
PRECISION_MONTH = 2
PRECISION_DAY = 3
PRECISION_MINUTE = 4


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date expression found in a line.

    ``iso`` is ISO 8601 at the precision the source shows (see the module docstring), so a month
    header is never dressed up as a made-up first-of-the-month. ``precision`` orders matches
    (1=year, 2=month, 3=day, 4=minute) so :func:`best` can prefer the exact one. ``start``/``end``
    is the span in the string that was searched, including the label, so the caller can cut it.
    """

    iso: str
    precision: int
    start: int
    end: int


def best(*matches: DateMatch | None) -> DateMatch | None:
    """Return the most precise match; on a tie the first one given; ``None`` if all are ``None``.

    An article often shows its date twice: a header with the month and a "Stand:" line with the
    minute. The exact one wins, whatever order the lines came in.
    """
    winner: DateMatch | None = None
    for m in matches:
        if m is not None and (winner is None or m.precision > winner.precision):
            winner = m
    return winner


# --------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS: dict[str, int] = {}  # lower-case spelling -> month number
_MONTH_SPELLINGS: list[str] = []
for _num, _names in enumerate(
    (
        # "JÃ¤nner"/"MÃ¤rz": UTF-8 read as cp1252, common in scrapes; costs nothing to accept.
        "januar jänner jaenner JÃ¤nner january jan jän",
        "februar feber february feb",
        "märz maerz MÃ¤rz march mär MÃ¤r mrz mar",
        "april apr",
        "mai may",
        "juni june jun",
        "juli july jul",
        "august aug",
        "september sept sep",
        "oktober october okt oct",
        "november nov",
        "dezember december dez dec",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTH_SPELLINGS.append(_name)
        _MONTHS[_name.lower()] = _num

_WEEKDAYS = (
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)  # fmt: skip

# Read, never converted (see the module docstring). Matched case-sensitively: "et" is a word.
_TIMEZONES = (
    "ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT",
    "GMT", "UTC", "UT", "BST", "IST", "WET", "WEST", "CET", "CEST", "EET", "EEST",
    "MEZ", "MESZ", "WEZ", "WESZ", "OEZ", "OESZ", "Z",
)  # fmt: skip


def _alternation(words: Sequence[str]) -> str:
    """Longest first, so that "Sept" is not cut to "Sep" and "Stand:" is preferred to "Stand"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cased(words: Sequence[str]) -> list[str]:
    """Each word as written, lower case, capitalised and upper case.

    Spelling the case variants out instead of using ``re.IGNORECASE`` keeps the patterns fast:
    CPython's regex engine only skips quickly over literals that are matched case-sensitively
    (``search_any`` on a body line went from ~35 to a few microseconds).
    """
    return [v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())]


# A name must not run on into a longer word ("Mai" in "Mainz", "Mar" in "Marokko").
_NOT_LETTER = r"(?![^\W\d_])"
_MONTH = rf"(?:{_alternation(_cased(_MONTH_SPELLINGS))}){_NOT_LETTER}\.?"
_WEEKDAY = rf"(?:{_alternation(_cased(_WEEKDAYS))}){_NOT_LETTER}(?:\.?,\s*|\.?\s+)"
_TZ = rf"(?:(?:GMT|UTC)?[+\-−]\d{{1,2}}(?::?\d{{2}})?|(?:{_alternation(_TIMEZONES)})(?![\w+\-−]))"
_AMPM = r"[AaPp]\.?\s?[Mm]\b\.?"
_UHR = r"(?:Uhr|UHR|uhr)\b"
# Everything that may follow a time: "Uhr", "h", a timezone (optionally in parentheses).
_TIME_SUFFIX = rf"(?:\s*(?:{_UHR}|h\b))?(?:\s*\(?{_TZ}\)?)?"

# A year is four digits, not part of a longer number.
_Y4 = r"\d{4}(?!\d)"
# The date part of an ISO timestamp, and ISO with its own time ("T22:53:07.5+01:00").
_ISO_T = (
    r"(?P<i_y>\d{4})-(?P<i_m>\d{2})-(?P<i_d>\d{2})(?:[Tt]|\s+)(?P<i_h>\d{2}):(?P<i_mi>\d{2})"
    r"(?::(?P<i_s>\d{2})(?:[.,]\d+)?)?(?!\d)" + _TIME_SUFFIX
)
# Forms that show a day; a clock time may follow them.
_DAY_FORMS = (
    r"(?P<a_y>\d{4})-(?P<a_m>\d{2})-(?P<a_d>\d{2})(?!\d)"
    # 10.01.2022, 10.1.2022, 10.01.22 (two-digit year only with two-digit day and month)
    r"|(?P<n_d>\d{1,2})\.(?P<n_m>\d{1,2})\.(?P<n_y>\d{4})(?!\d)"
    r"|(?P<s_d>\d{2})\.(?P<s_m>\d{2})\.(?P<s_y>\d{2})(?!\d)"
    # 10. Januar 2022
    rf"|(?P<g_d>\d{{1,2}})\.\s*(?P<g_mon>{_MONTH})\s*(?P<g_y>{_Y4})"
    # 10 January 2022, 10th of Jan. 2022
    rf"|(?P<e_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<e_mon>{_MONTH}),?\s+(?P<e_y>{_Y4})"
    # January 10, 2022
    rf"|(?P<u_mon>{_MONTH})\s+(?P<u_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<u_y>{_Y4})"
)
# The separator between a date and its time: ", ", " • ", " - ", " um ", ", at ".
_SEP = r"(?:\s*[,•·|/–—-]\s*|\s+)(?:(?:um|at|gegen)\s+)?"
# 22:53, 18:47:00, 17.17 Uhr (a dot only before Uhr/AM/PM/zone: "14.05 Mio" is no time),
# 17 Uhr, 5 PM.
_TIME = (
    r"(?P<t_h>\d{1,2})"
    r"(?::(?P<t_mi>\d{2})(?::(?P<t_s>\d{2}))?"
    rf"|\.(?P<t_md>\d{{2}})(?=\s*(?:{_UHR}|h\b|{_AMPM}|\(?{_TZ}))"
    rf"|(?=\s*(?:{_UHR}|{_AMPM})))"
    rf"(?!\d)(?:\s*(?P<t_ap>{_AMPM}))?"
)
_MONTH_FORMS = rf"(?P<m_y>\d{{4}})-(?P<m_m>\d{{2}})(?!-?\d)|(?P<y_mon>{_MONTH})\s+(?P<y_y>{_Y4})"
# Only reached after a label (the conditional needs group "lab").
_YEAR_ONLY = r"(?(lab)(?P<o_y>\d{4})(?!\d)|(?!))"
_LEFT_EDGE = r"(?<![\w.])"
_RIGHT_EDGE = r"(?![^\W_]|[.:]\d)"
# Cheap necessary conditions, checked before the long alternations of names: every date starts
# with a digit or with a month name (at most 10 characters with its dot) and a space and a digit;
# a weekday is at most 10 ASCII letters and followed by such a date. They make scanning a body
# line for a date several times faster; possessive quantifiers keep them from backtracking.
_CORE_GUARD = r"(?=\d|[^\s\d]{3,10}+\s+\d)"
_WEEKDAY_GUARD = r"(?=[A-Za-z]{2,10}+\.?,?\s*+(?:\d|[^\s\d]{3,10}+\s+\d))"


def _label_alternation(labels: Sequence[str]) -> str:
    """Labels as configured plus upper case, any run of whitespace between their words."""
    variants = {v for label in labels if label.strip() for v in (label.strip(), label.strip().upper())}
    ordered = sorted(variants, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in ordered)


def _expression(labels: str, *, label_required: bool, year_only: bool) -> str:
    """One date expression: optional label, optional weekday, the date, optional time and zone."""
    label = rf"(?P<lab>{labels})\s*" if labels else "(?P<lab>(?!))"
    if not label_required:
        label = f"(?:{label})?"
    core = rf"{_ISO_T}|(?:{_DAY_FORMS})(?:{_SEP}{_TIME}{_TIME_SUFFIX})?|{_MONTH_FORMS}"
    # The group must exist in every pattern so that _convert can ask for it.
    core += "|" + (_YEAR_ONLY if year_only else r"(?!)(?P<o_y>)")
    return (
        rf"{_LEFT_EDGE}{label}(?:{_WEEKDAY_GUARD}{_WEEKDAY})?"
        rf"{_LEFT_EDGE}{_CORE_GUARD}(?:{core}){_RIGHT_EDGE}"
    )


@dataclass(frozen=True, slots=True)
class _Patterns:
    whole: re.Pattern[str]
    trailing: re.Pattern[str]
    anywhere: re.Pattern[str]
    max_line: int
    tail: int


@lru_cache(maxsize=16)
def _compile(labels: tuple[str, ...]) -> _Patterns:
    """Compile once per label list; parsers built from the same config share the patterns."""
    alt = _label_alternation(labels)
    line_expr = _expression(alt, label_required=False, year_only=True)
    whole = re.compile(rf"[\s\ufeff]*+(?P<expr>{line_expr}\.?)\s*")
    # A match may begin only at the start of a whitespace run, which keeps long runs linear.
    labelled = _expression(alt, label_required=True, year_only=False)
    trailing = re.compile(rf"(?:^|(?<!\s)\s++){labelled}\.?\s*\Z") if alt else re.compile(r"(?!)")
    anywhere = re.compile(_expression(alt, label_required=False, year_only=False))
    longest_label = max((len(label) for label in labels), default=0)
    # The longest date expression we know ("Donnerstag, 29. September 2022, um 17:00 Uhr (MESZ)")
    # is well under 90 characters; longer lines are rejected without running the regex.
    max_line = longest_label + 110
    return _Patterns(whole, trailing, anywhere, max_line, max_line + 10)


_HEADER = re.compile(
    r"[\s\ufeff]*+(?:date|Date|DATE):?\s+(?P<h_y>\d{4})-(?P<h_m>\d{2})(?:-(?P<h_d>\d{2}))?(?=\s|\Z)\s*"
)

_DIGIT = re.compile(r"\d")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PIVOT = date.today().year % 100


def _year_ok(y: int) -> bool:
    return 1000 <= y <= 2999


def _day_ok(y: int, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    if m == 2 and d == 29:
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return d <= _DAYS_IN_MONTH[m - 1]


def _iso(
    y: int, m: int | None = None, d: int | None = None, hh: int | None = None, mi: int | None = None
) -> tuple[str, int] | None:
    """Validate the parts and format them; ``None`` when any part is out of range."""
    if not _year_ok(y):
        return None
    if m is None:
        return f"{y:04d}", PRECISION_YEAR
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}", PRECISION_MONTH
    if not _day_ok(y, m, d):
        return None
    if hh is None or mi is None:
        return f"{y:04d}-{m:02d}-{d:02d}", PRECISION_DAY
    if not (0 <= hh <= 23 and 0 <= mi <= 59):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}", PRECISION_MINUTE


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _clock(m: re.Match[str]) -> tuple[int, int] | None:
    """The shared time group as 24-hour ``(hour, minute)``; ``None`` if it is invalid."""
    hour = int(m.group("t_h"))
    mi = m.group("t_mi") or m.group("t_md") or "0"
    minute = int(mi)
    sec = m.group("t_s")
    if sec is not None and int(sec) > 59:
        return None
    ap = m.group("t_ap")
    if ap is not None:
        if not 1 <= hour <= 12:
            return None
        pm = ap[0] in "pP"
        hour = (hour % 12) + (12 if pm else 0)
    return hour, minute


def _convert(m: re.Match[str]) -> tuple[str, int] | None:
    """Turn a match of the expression pattern into ``(iso, precision)``, validating ranges."""
    g = m.group
    if g("i_y") is not None:
        if g("i_s") is not None and int(g("i_s")) > 59:
            return None
        return _iso(int(g("i_y")), int(g("i_m")), int(g("i_d")), int(g("i_h")), int(g("i_mi")))
    if g("m_y") is not None:
        return _iso(int(g("m_y")), int(g("m_m")))
    if g("y_y") is not None:
        return _iso(int(g("y_y")), _month(g("y_mon")))
    if g("o_y") is not None:
        return _iso(int(g("o_y")))
    if g("a_y") is not None:
        y, mo, d = int(g("a_y")), int(g("a_m")), int(g("a_d"))
    elif g("n_y") is not None:
        y, mo, d = int(g("n_y")), int(g("n_m")), int(g("n_d"))
    elif g("s_y") is not None:
        yy = int(g("s_y"))
        y, mo, d = (2000 + yy if yy <= _PIVOT else 1900 + yy), int(g("s_m")), int(g("s_d"))
    elif g("g_y") is not None:
        y, mo, d = int(g("g_y")), _month(g("g_mon")), int(g("g_d"))
    elif g("e_y") is not None:
        y, mo, d = int(g("e_y")), _month(g("e_mon")), int(g("e_d"))
    else:
        y, mo, d = int(g("u_y")), _month(g("u_mon")), int(g("u_d"))
    if g("t_h") is None:
        return _iso(y, mo, d)
    clock = _clock(m)
    if clock is None:
        return None
    return _iso(y, mo, d, clock[0], clock[1])


class DateParser:
    """Recognise date lines and date expressions, with the date labels of the configuration.

    Build one per configuration and reuse it; the compiled patterns are cached per label list.
    """

    __slots__ = ("_p",)

    def __init__(self, labels: Sequence[str]) -> None:
        """``labels`` come from ``[dates].labels`` ("Stand:", "Updated:", ...)."""
        self._p = _compile(tuple(labels))

    def parse(self, text: str) -> DateMatch | None:
        """Parse a line that is *only* a date, to classify it as a date line.

        The whole (stripped) string must be one date expression: an optional label, an optional
        weekday, the date, an optional time, "Uhr", timezone and final period. Anything else on
        the line ("Am 10. Januar haben in Genf ...") gives ``None``, because such a line is body
        text that merely mentions a date. The span excludes surrounding whitespace.
        """
        p = self._p
        if len(text) > p.max_line and len(text.strip()) > p.max_line:
            return None
        m = p.whole.fullmatch(text)
        if m is None:
            return None
        got = _convert(m)
        if got is None:
            return None
        return DateMatch(got[0], got[1], m.start("expr"), m.end("expr"))

    def search_trailing(self, text: str) -> DateMatch | None:
        """Find a *labelled* date that ends the line ("... bleibt offen Stand: 26.01.2022 19:50 Uhr").

        Scrapers glue the "Stand:" line onto the title; the span starts at the whitespace before
        the label and runs to the end of the string, so ``text[:m.start]`` is the clean title.
        A bare date at a line end is body text and is not returned.
        """
        p = self._p
        pos = max(0, len(text) - p.tail)
        if pos and text[pos - 1].isspace():
            # A match starts only at the start of a whitespace run: begin the window at the start
            # of the run it cuts into.
            pos = len(text[:pos].rstrip())
        m = p.trailing.search(text, pos)
        if m is None:
            return None
        got = _convert(m)
        if got is None:
            return None
        return DateMatch(got[0], got[1], m.start(), m.end())

    def search_header_prefix(self, text: str) -> DateMatch | None:
        """Find the leading ``date YYYY-MM[-DD]`` token of the " date 2022-01 Title ..." header.

        Some sources start the article with that token followed by the title or lead on the same
        line. The span covers leading whitespace (and a byte-order mark), the token and the
        whitespace after it, so ``text[m.end:]`` is the rest of the line.
        """
        m = _HEADER.match(text)
        if m is None:
            return None
        d = m.group("h_d")
        got = _iso(int(m.group("h_y")), int(m.group("h_m")), int(d) if d is not None else None)
        if got is None:
            return None
        return DateMatch(got[0], got[1], m.start(), m.end())

    def search_any(self, text: str) -> DateMatch | None:
        """Return the first valid date expression anywhere in ``text`` (e.g. a comment's time).

        The span includes a label or weekday right before the date. Impossible dates are skipped
        and the search goes on after them.
        """
        if _DIGIT.search(text) is None:  # every date has a digit; most prose lines have none
            return None
        for m in self._p.anywhere.finditer(text):
            got = _convert(m)
            if got is not None:
                return DateMatch(got[0], got[1], m.start(), m.end())
        return None
