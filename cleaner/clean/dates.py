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
  words in body text ("was updated 10 January 2022") are not taken for labels. A label may follow
  a lower-case letter directly, because scrapers glue blocks together ("Ein TitelStand: ...").
* The time may come before the date ("Published 9:42 AM EST, February 22, 2016", "Updated 11:15
  PM ET, Fri July 15, 2016"); then no second time may follow the date. A timezone may follow a date
  without a time ("November 28, 2015 GMT") and is ignored.
* A dotted time without "Uhr" ("05.10.2015 10.24") is read only right after a full date and only
  where the expression ends (end of line, a separator such as "|", a glued capitalised word);
  "07.03.2019 14.05 Mio" keeps only the date.
* A line may start with list or separator punctuation ("-Aktualisiert am ...", "• 10.01.2022",
  "| Stand: ..."); the span starts after it.
* Two labelled dates on one line ("Published Feb. 19, 2015Updated Feb. 21, 2015, 5:12 p.m. ET",
  glued or not) form one date line; :meth:`DateParser.parse` returns the *first* date, which is the
  publication date, even when the second one is more precise. The span covers both.
* A date may be glued to a capitalised word after its year, time or "Uhr" ("2015Lesedauer",
  "UhrLesedauer", "2015Updated"); :meth:`DateParser.parse_leading` splits such lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise

__all__ = ["DateMatch", "DateParser", "best", "published_not_updated"]

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
    # What the date's label says it dates: "published", "updated" or "" (no label, or another).
    label: str = ""


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


def published_not_updated(dated: list[tuple[int, DateMatch]]) -> list[DateMatch]:
    """The date lines found, ``(line index, match)`` in order, less an update shown beside its
    publication date.

    "Updated January 2, 2018 at 9:47 AM ET" right above "Originally published January 2, 2018 at
    12:41 AM ET": the corpus dates what was published, so the update line gives way. Only a line
    labelled as published and at most one line away does: another date further on may be a
    related article's.
    """
    gone = set()
    for (i, a), (j, b) in pairwise(dated):
        if j - i <= 2 and a.precision == b.precision and {a.label, b.label} == {"updated", "published"}:
            gone.add(i if a.label == "updated" else j)
    return [m for i, m in dated if i not in gone]


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
# "UhrLesedauer" (glued) is "Uhr", "Uhrzeit" is not.
_UHR = r"(?:(?:Uhr|uhr)(?![a-zäöüß])|UHR\b)"
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
    # and with a space after each dot: 15. 7. 2017
    r"|(?P<n_d>\d{1,2})\.\s?(?P<n_m>\d{1,2})\.\s?(?P<n_y>\d{4})(?!\d)"
    r"|(?P<s_d>\d{2})\.(?P<s_m>\d{2})\.(?P<s_y>\d{2})(?!\d)"
    # 10. Januar 2022
    rf"|(?P<g_d>\d{{1,2}})\.\s*(?P<g_mon>{_MONTH})\s*(?P<g_y>{_Y4})"
    # 10 January 2022, 10th of Jan. 2022
    rf"|(?P<e_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<e_mon>{_MONTH}),?\s+(?P<e_y>{_Y4})"
    # January 10, 2022
    rf"|(?P<u_mon>{_MONTH})\s+(?P<u_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<u_y>{_Y4})"
)
# A timezone after a date without a time ("November 28, 2015 GMT"): named zones (not the bare
# "Z") or GMT/UTC with an offset; a bare "-0500" after a date is more likely a range.
_DATE_TZ = (
    rf"\s+\(?(?:(?:GMT|UTC)[+\-−]\d{{1,2}}(?::?\d{{2}})?"
    rf"|(?:{_alternation([z for z in _TIMEZONES if z != 'Z'])}))(?![\w+\-−])\)?"
)
# A capitalised word glued on ("2015Lesedauer", "UhrUpdated"): scrapers drop the line break.
_GLUED_WORD = r"[A-ZÄÖÜ][a-zäöüß]"
# The separator between a date and its time: ", ", " • ", " - ", " um ", ", at ".
_SEP = r"(?:\s*[,•·|/–—-]\s*|\s+)(?:(?:um|at|gegen)\s+)?"
# 22:53, 18:47:00, 17.17 Uhr, 17 Uhr, 5 PM. A dotted time needs Uhr/AM/PM/zone after it or must
# end the expression (end of text, a separator, a glued word): "05.10.2015 10.24" is a time,
# "07.03.2019 14.05 Mio" is not. _TIME only ever follows a full date.
_TIME = (
    r"(?P<t_h>\d{1,2})"
    r"(?::(?P<t_mi>\d{2})(?::(?P<t_s>\d{2}))?"
    rf"|\.(?P<t_md>\d{{2}})(?=\s*(?:{_UHR}|h\b|{_AMPM}|\(?{_TZ})"
    rf"|\.?\s*\Z|\s*[|•·–—]|\s+-\s|{_GLUED_WORD})"
    rf"|(?=\s*(?:{_UHR}|{_AMPM})))"
    rf"(?!\d)(?:\s*(?P<t_ap>{_AMPM}))?"
)
# A clock time before the date: "9:42 AM EST, February 22, 2016", "11:15 PM ET, Fri July 15",
# "20.29 Uhr, 10. März 2020" (dotted only with "Uhr").
_PRE_TIME = (
    rf"(?P<p_h>\d{{1,2}})(?::|\.(?=\d{{2}}\s*{_UHR}))(?P<p_mi>\d{{2}})(?!\d)(?:\s*(?P<p_ap>{_AMPM}))?{_TIME_SUFFIX}"
    r"(?:\s*,\s*|\s+)"
)
_MONTH_FORMS = rf"(?P<m_y>\d{{4}})-(?P<m_m>\d{{2}})(?!-?\d)|(?P<y_mon>{_MONTH})\s+(?P<y_y>{_Y4})"
# Only reached after a label (the conditional needs group "lab").
_YEAR_ONLY = r"(?(lab)(?P<o_y>\d{4})(?!\d)|(?!))"
_LEFT_EDGE = r"(?<![\w.])"
# No letter or digit may follow, except a capitalised word glued to a year, time or "Uhr".
_RIGHT_EDGE = rf"(?:(?![^\W_]|[.:]\d)|(?:(?<=\d)|(?<=Uhr))(?={_GLUED_WORD}))"
# Cheap necessary conditions, checked before the long alternations of names: every date starts
# with a digit or with a month name (at most 10 characters with its dot) and a space and a digit;
# a weekday is at most 10 ASCII letters and followed by such a date. They make scanning a body
# line for a date several times faster; possessive quantifiers keep them from backtracking.
_CORE_GUARD = r"(?=\d|[^\s\d]{3,10}+\s+\d)"
_WEEKDAY_GUARD = r"(?=[A-Za-z]{2,10}+\.?,?\s*+(?:\d|[^\s\d]{3,10}+\s+\d))"


def _label_alternation(labels: Sequence[str], *, lower: bool = False) -> str:
    """Labels as configured, in upper case and with every word capitalised ("Published On"), any
    run of whitespace between their words; with ``lower``, in lower case too (see _compile)."""
    variants = set()
    for label in labels:
        label = label.strip()
        if label:
            title = " ".join(w[:1].upper() + w[1:] for w in label.split())
            variants.update((label, label.upper(), title, *((label.lower(),) if lower else ())))
    ordered = sorted(variants, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in ordered)


def _expression(labels: str, *, label_required: bool, year_only: bool) -> str:
    """One date expression: optional label, optional weekday, the date, optional time and zone."""
    label = rf"(?P<lab>{labels})\s*" if labels else "(?P<lab>(?!))"
    if not label_required:  # with a required label, the caller's pattern sets the left edge
        # The edge outside the optional group: a search then fails inside a word at once (an
        # edge inside the group made search_any almost twice as slow). A label glued to a word
        # is therefore only recognised where one is required (search_trailing).
        label = rf"{_LEFT_EDGE}(?:{label})?"
    weekday = rf"(?:{_WEEKDAY_GUARD}{_WEEKDAY})?"
    # With a time before the date no second time may follow it (the conditional on p_h).
    day = (
        rf"(?:{_PRE_TIME}{weekday})?(?:{_DAY_FORMS})"
        rf"(?(p_h)(?:{_DATE_TZ})?|(?:{_SEP}{_TIME}{_TIME_SUFFIX}|{_DATE_TZ})?)"
    )
    core = rf"{_ISO_T}|{day}|{_MONTH_FORMS}"
    # The group must exist in every pattern so that _convert can ask for it.
    core += "|" + (_YEAR_ONLY if year_only else r"(?!)(?P<o_y>)")
    return rf"{label}(?:{_LEFT_EDGE}{_WEEKDAY_GUARD}{_WEEKDAY})?{_LEFT_EDGE}{_CORE_GUARD}(?:{core}){_RIGHT_EDGE}"


@dataclass(frozen=True, slots=True)
class _Patterns:
    whole: re.Pattern[str]
    second: re.Pattern[str]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]
    glued: re.Pattern[str]
    label: re.Pattern[str]
    early_digit: re.Pattern[str]
    anywhere: re.Pattern[str]
    max_line: int
    tail: int


# List and separator punctuation a date line may start with ("-Aktualisiert am", "• 10.01.2022").
_LEAD = r"(?:[|•·*►▸\-–—]++\s*+)?"


@lru_cache(maxsize=16)
def _compile(labels: tuple[str, ...]) -> _Patterns:
    """Compile once per label list; parsers built from the same config share the patterns."""
    alt = _label_alternation(labels)
    line_expr = _expression(alt, label_required=False, year_only=True)
    labelled = _expression(alt, label_required=True, year_only=False)
    # A second, labelled date may follow, glued or after a separator ("...2015Updated Feb. 21",
    # "... at 5:02am, updated Sat 25 Apr 2020 at 7:28am"). After a whole date its label may be in
    # lower case: there it cannot be a word of prose. It is checked by `second` in parse(): a
    # pattern cannot hold the named groups twice.
    alt_more = _label_alternation(labels, lower=True)
    more = rf"(?:\s*+(?:[|•·–—,-]\s*+)?(?P<more>(?:{alt_more}).*))?" if alt else "(?P<more>(?!))?"
    whole = re.compile(rf"[\s\ufeff]*+{_LEAD}(?P<expr>{line_expr}{more}\.?)\s*")
    labelled_more = _expression(alt_more, label_required=True, year_only=False)
    second = re.compile(rf"(?P<expr>{labelled_more}\.?)\s*") if alt else re.compile(r"(?!)")
    leading = re.compile(rf"[\s\ufeff]*+{_LEAD}(?P<expr>{line_expr})")
    # A match may begin only at the start of a whitespace run, which keeps long runs linear;
    # `glued` is tried at seams like "TitelStand:" only (see search_trailing).
    trailing = re.compile(rf"(?:^|(?<!\s)\s++){labelled}\.?\s*\Z") if alt else re.compile(r"(?!)")
    glued = re.compile(rf"{labelled}\.?\s*\Z") if alt else re.compile(r"(?!)")
    label = re.compile(alt) if alt else re.compile(r"(?!)")
    anywhere = re.compile(_expression(alt, label_required=False, year_only=False))
    longest_label = max((len(label) for label in labels), default=0)
    # The longest date expression we know ("Donnerstag, 29. September 2022, um 17:00 Uhr (MESZ)")
    # is well under 90 characters; longer lines are rejected without running the regex. A line
    # may hold two labelled dates, hence twice that for parse().
    tail = longest_label + 120
    # Cheap precheck for parse()/parse_leading(): a date line shows its first digit early, after
    # at most leading punctuation, a label, a weekday and a month name ("First published on
    # Wednesday, September 30, 2020"). A body line fails here after a short scan in C.
    early_digit = re.compile(rf"[\s\ufeff|•·*►▸\-–—]*+\D{{0,{longest_label + 40}}}+\d")
    return _Patterns(whole, second, leading, trailing, glued, label, early_digit, anywhere, 2 * tail, tail)


_HEADER = re.compile(
    r"[\s\ufeff]*+(?:date|Date|DATE):?\s+(?P<h_y>\d{4})-(?P<h_m>\d{2})(?:-(?P<h_d>\d{2}))?(?=\s|\Z)\s*"
)

_DIGIT = re.compile(r"\d")
# A year (1800-2999) with a digit glued to it: see DateParser._parse_glued.
_GLUED_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?=\d)")
# A label that dates a change, not the publication ("Updated", "Aktualisiert am", "Last modified").
_UPDATE_LABEL = re.compile(r"(?i)aktualisiert|update|modified|geändert")
_PUBLISH_LABEL = re.compile(r"(?i)veröffentlicht|publi|posted|erschienen|erstellt")
_SEPARATORS = " \t\n\r\f\v\xa0\u2009\u202f|•·-–—,"
_STRONG_SEPARATORS = "|•·-–—"
_GLUED = re.compile(_GLUED_WORD)
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyzäöüß")
_LAST_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZrhm.)")
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
    """The time (before or after the date) as 24-hour ``(hour, minute)``; ``None`` if invalid."""
    if m.group("p_h") is not None:
        hour, minute, ap = int(m.group("p_h")), int(m.group("p_mi")), m.group("p_ap")
    else:
        hour = int(m.group("t_h"))
        minute = int(m.group("t_mi") or m.group("t_md") or "0")
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


def _label(m: re.Match[str]) -> str:
    """What the match's label says it dates (see :func:`best`)."""
    label = m.group("lab")
    if label is None:
        return ""
    if _PUBLISH_LABEL.search(label):
        return "published"
    return "updated" if _UPDATE_LABEL.search(label) else ""


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
    if g("t_h") is None and g("p_h") is None:
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

        The whole (stripped) string must be one date expression: optional leading punctuation
        ("-", "•", "|"), an optional label, an optional weekday, the date, an optional time (before
        or after the date), "Uhr", timezone and final period. Anything else on the line ("Am 10.
        Januar haben in Genf ...") gives ``None``, because such a line is body text that merely
        mentions a date. A second *labelled* date may follow, glued or not ("Published Feb. 19,
        2015Updated Feb. 21, 2015, 5:12 p.m. ET"): the first date is returned, the span covers
        both. The span excludes surrounding whitespace and leading punctuation.
        """
        p = self._p
        if len(text) > p.max_line and len(text.strip()) > p.max_line:
            return None
        if p.early_digit.match(text) is None:
            return None
        m = p.whole.fullmatch(text)
        if m is None:
            return self._parse_glued(text)
        got = _convert(m)
        if got is None:
            return None
        end = m.end("expr")
        more = m.group("more")
        if more is not None:
            # "Published Feb. 19, 2015Updated Feb. 21, 2015, 5:12 p.m. ET": the rest must be one
            # valid labelled date; the first date is the publication date and is returned.
            m2 = p.second.fullmatch(more)
            if m2 is None or _convert(m2) is None:
                return None
            end = m.start("more") + m2.end("expr")
        return DateMatch(got[0], got[1], m.start("expr"), end, _label(m))

    def _parse_glued(self, text: str) -> DateMatch | None:
        """A date line whose year is glued to what follows it, as scrapers join page elements:
        the time ("January 18, 20178:03 PM ET") or the same date again ("Published On 18 Apr
        201618 Apr 2016", a visible and a hidden copy). Reached only for short lines that are no
        date as they stand."""
        for seam in _GLUED_YEAR.finditer(text):
            cut = seam.end()
            head = self.parse(text[:cut])
            if head is None:
                continue
            again = self.parse(text[cut:])
            if again is not None and again.iso == head.iso:
                return DateMatch(head.iso, head.precision, head.start, cut + again.end, head.label)
            timed = self.parse(f"{text[:cut]} {text[cut:]}")
            if timed is not None and timed.precision == PRECISION_MINUTE and timed.iso.startswith(head.iso):
                return DateMatch(timed.iso, timed.precision, timed.start, timed.end - 1, timed.label)
        return None

    def parse_leading(self, text: str) -> tuple[DateMatch, str] | None:
        """Split a line that *starts* with a date expression and goes on with something else.

        ``"23.04.2017, 02:28 Uhr | Lesedauer: 2 Min."`` gives the date and ``"Lesedauer: 2 Min."``:
        the rest of the line with separators (``| • · - – — ,`` and whitespace) stripped from its
        start. The date is what :meth:`parse` accepts (label, weekday, time, leading punctuation).
        The boundary after it must be real, so that prose starting with a date is left alone:

        * a separator character (``| • · - – —``) after the date, or
        * a capitalised word glued to the year, time or "Uhr" ("2015Lesedauer", "UhrLesedauer"), or
        * whitespace or a comma when the expression has a time or a label and the rest does not
          start with a lower-case letter ("..., 19:11 Uhr Quelle: ZEIT ONLINE").

        ``"10. Januar 2022 war ein kalter Tag"`` gives ``None``; so does a line without a rest
        (use :meth:`parse`). The caller should accept the split only if it recognises the rest.
        """
        p = self._p
        if p.early_digit.match(text) is None:
            return None
        m = p.leading.match(text)
        if m is None:
            return None
        end = m.end("expr")
        after = text[end:]
        rest = after.lstrip(_SEPARATORS)
        if not rest or rest.isspace():
            return None
        sep = after[: len(after) - len(rest)]
        if not any(c in _STRONG_SEPARATORS for c in sep):
            if not sep:
                glued = text[end - 1].isdigit() or text[end - 3 : end] == "Uhr"
                if not (glued and _GLUED.match(rest)):
                    return None
            else:
                timed = any(m.group(g) is not None for g in ("t_h", "p_h", "i_h"))
                if rest[0].islower() or not (timed or m.group("lab") is not None):
                    return None
        got = _convert(m)
        if got is None:
            return None
        return DateMatch(got[0], got[1], m.start("expr"), end, _label(m)), rest.rstrip()

    def search_trailing(self, text: str) -> DateMatch | None:
        """Find a *labelled* date that ends the line ("... bleibt offen Stand: 26.01.2022 19:50 Uhr").

        Scrapers glue the "Stand:" line onto the title; the span starts at the whitespace before
        the label and runs to the end of the string, so ``text[:m.start]`` is the clean title.
        A capitalised label may also be glued to a lower-case letter ("Ein TitelStand: ..."); the
        span then starts at the label. A bare date at a line end is body text and is not returned.
        """
        # Cheap precheck: an expression ends with a digit, "Uhr", "h", a zone, "a.m."/"PM" or ")",
        # then an optional period; most title and body lines end with a lower-case word.
        end = text.rstrip()
        if end[-1:] == ".":
            end = end[:-1]
        if not end or not (end[-1].isdigit() or end[-1] in _LAST_CHARS):
            return None
        p = self._p
        pos = max(0, len(text) - p.tail)
        if pos and text[pos - 1].isspace():
            # A match starts only at the start of a whitespace run: begin the window at the start
            # of the run it cuts into.
            pos = len(text[:pos].rstrip())
        m = p.trailing.search(text, pos)
        if m is None and _DIGIT.search(text, pos) is not None:
            # A label glued to a lower-case letter ("Ein TitelStand: ..."): tried only where a label
            # follows one (an alternative in `trailing` made every call a third slower; a search
            # for the labels alone skips through the line in C).
            for label in p.label.finditer(text, pos):
                start = label.start()
                if start and text[start - 1] in _LOWER:
                    m = p.glued.match(text, start)
                    if m is not None:
                        break
        if m is None:
            return None
        got = _convert(m)
        if got is None:
            return None
        return DateMatch(got[0], got[1], m.start(), m.end(), _label(m))

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
