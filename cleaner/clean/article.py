"""Clean one article: fix the text, cut comments, classify lines, find the header, keep the body.

This is the per-document step: pure, independent of the rest of the corpus (learned boilerplate
is the one corpus-level step and runs afterwards), so it parallelises over processes or Dask
partitions unchanged. Every non-blank input line ends either in the body (as a paragraph's
first line, or joined into the paragraph above it when the text is hard-wrapped, see
:mod:`cleaner.clean.unwrap`) or in a :class:`~cleaner.document.Removal` that names its kind and rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cleaner.clean import comments as comment_section
from cleaner.clean.dates import DateMatch, DateParser, best, published_not_updated
from cleaner.clean.header import HeaderLimits, is_prose, pick_title
from cleaner.clean.language import detect_language
from cleaner.clean.rules import LINE_MAX_CHARS, RuleHit, RuleSet, rules_for
from cleaner.clean.textfix import fix_text
from cleaner.clean.unwrap import place_removals, plain, unwrap
from cleaner.config import Config
from cleaner.document import Document, Removal

# Line kinds decided by rules, in the order they are tried. The first that matches wins.
_LINE_KINDS = ("byline", "credit", "agency", "caption", "broadcast", "footer", "list_heading")
# How each rule kind is filed in the removal records.
_REMOVAL_KIND = {"footer": "boilerplate", "list_heading": "boilerplate", "credit": "caption"}
# Neighbour rules only touch short lines: captions, roles and list items are never long prose.
_NEIGHBOUR_MAX_WORDS = 20
_PROSE_WORDS = 12
# A caption is a short line; it may end with a full stop.
_CAPTION_MAX_WORDS = 18
_CAPTION_MAX_CHARS = 160
# Names alone on a line ("Jane Doe and John Roe", "Hannah Lee in New York"): a byline without "By"
# when it stands next to the date line under the title. Two capitalised words alone could as well
# be a German title ("Neue Regeln"), so a single name needs a kicker and a title above it.
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’\-.]+(?: (?:[A-ZÀ-ÖØ-Þ][\w'’\-.]+|von|van|de|der|al|bin|O’\w+)){1,3}"
_NAMES_LINE = re.compile(rf"^(?P<authors>{_NAME}(?:(?:,| and| und| &) {_NAME})*)(?: in [A-ZÀ-ÖØ-Þ][\w .\-]{{1,40}})?$")

_JOINED_NAMES = re.compile(r" (?:and|und|&) | in [A-Z]|, ")


def _body_left(body: list[tuple[int, str]], cut: dict[int, str], title: int, header: set[int | None]) -> bool:
    """Whether a line of ``body`` is left with text once the ``title`` line, the other ``header``
    lines and the title's repetitions are taken out (``cut``: lines shortened by a header date)."""
    texts = [cut.get(idx, text) for idx, (_, text) in enumerate(body)]
    return any(t and idx != title and idx not in header and t != texts[title] for idx, t in enumerate(texts))


def _caption_like(text: str) -> bool:
    return len(text) <= _CAPTION_MAX_CHARS and len(text.split()) <= _CAPTION_MAX_WORDS


# A credit glued to a paragraph's end is short; only this many final characters are searched.
_TAIL_CHARS = 160
# A paragraph ends in one or two glued credits ("(dpa) (AFP)"); a longer run is a pasted list, not
# credits, and cutting it credit by credit is what costs (a search each): the rest stays in the body.
_MAX_TAIL_CREDITS = 10
# A short line right under a byline is the author's role ("Korrespondentin in Washington", "BBC News").
_ROLE_MAX_WORDS = 6
# Words that bylines list beside names but that are not people ("By Jane Doe and agencies").
_NOT_AUTHORS = frozenset({"agencies", "agency", "staff", "staff writer", "staff writers", "agenturen", "redaktion"})
_NAME_SPLIT = re.compile(r"\s*(?:,|\||\bund\b|\band\b|&)\s*")
_AGENCY_SPLIT = re.compile(r"\s*(?:,|/|\bund\b|\band\b|&)\s*")


@dataclass(frozen=True)
class Cleaner:
    """Everything compiled from a config that cleaning one article needs; built once per process."""

    config: Config
    rules: RuleSet
    dates: DateParser
    limits: HeaderLimits
    agency_names: frozenset[str]
    date_labels: frozenset[str]

    @classmethod
    def from_config(cls, config: Config) -> Cleaner:
        header = config.section("header")
        return cls(
            config=config,
            rules=rules_for(config),
            dates=DateParser(config.section("dates")["labels"]),
            limits=HeaderLimits(
                header["zone_lines"],
                header["title_max_chars"],
                header["title_max_words"],
                header["standfirst_min_words"],
                header["kicker_max_words"],
            ),
            agency_names=frozenset(n.lower() for n in config.section("agencies")["names"]),
            date_labels=frozenset(label.rstrip(":").strip() for label in config.section("dates")["labels"]),
        )

    def clean(
        self,
        text: str,
        *,
        doc_id: str,
        path: str = "",
        source: str | None = None,
        encoding: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Document:
        """Clean one decoded article and return its :class:`Document`."""
        settings = self.config.section("text")
        fixed, fixes = fix_text(
            text,
            fix_encoding=settings["fix_encoding"],
            normalize_spaces=settings["normalize_spaces"],
            nfc=settings["nfc"],
        )
        doc = Document(id=doc_id, path=path, source=source, encoding=encoding, fixes=fixes, meta=dict(meta or {}))
        lines = fixed.split("\n")
        unwrapped = unwrap(lines) if settings["unwrap"] else plain(lines)
        units = unwrapped.units
        start = comment_section.find_start(units, self.rules, self.dates)
        if start is not None:
            section = comment_section.parse_section(units, start, self.rules, self.dates)
            doc.comments = section.comments
            doc.removals.extend(section.removals)
            units = units[:start]
        body, found_dates = self._classify(units, doc)
        body = self._header(body, found_dates, doc, unwrapped.headline)
        self._credits_in_body(body, doc, found_dates)
        # The most precise date anywhere in the header, date lines and credits is the document's.
        date = best(*found_dates)
        doc.date = date.iso if date is not None else None
        doc.paragraphs = [t for _, t in body]
        doc.paragraph_lines = [n for n, _ in body]
        place_removals(doc, unwrapped)
        doc.lang = detect_language(doc.text)
        doc.removals.sort(key=lambda r: r.line)
        return doc

    def _classify(self, units: list[tuple[int, str]], doc: Document) -> tuple[list[tuple[int, str]], list[DateMatch]]:
        """Take out every line a rule names; return the rest in order and the date lines found.

        Three rules look at neighbours: a short line under a byline is the author's role, a short
        line above a bare photo credit is that photo's caption, and the short lines under a list
        heading ("Mehr zum Thema", "Related Topics") are the list's items.
        """
        found_dates: list[DateMatch] = []
        dated: list[tuple[int, DateMatch]] = []
        fates: list[Removal | None] = []
        for i, (lineno, text) in enumerate(units):
            fate = self._line_fate(lineno, text, doc, found_dates)
            fates.append(fate)
            if found_dates and len(dated) < len(found_dates):
                dated.append((i, found_dates[-1]))
        found_dates = published_not_updated(dated)
        self._neighbours(units, fates, doc)
        kept: list[tuple[int, str]] = []
        for unit, fate in zip(units, fates, strict=True):
            if fate is None:
                kept.append(unit)
            else:
                doc.removals.append(fate)
        return kept, found_dates

    def _line_fate(self, lineno: int, text: str, doc: Document, found_dates: list[DateMatch]) -> Removal | None:
        """The removal a rule decides for one line on its own, or None for a body candidate."""
        date = self.dates.parse(text)
        if date is not None:
            found_dates.append(date)
            return Removal(lineno, "date", "dates.line", text)
        if text.rstrip(":").strip() in self.date_labels:
            return Removal(lineno, "date", "dates.label", text)
        hit = self._line_rule(text)
        if hit is None:
            return self._date_with_more(lineno, text, doc, found_dates)
        self._record(hit, text, doc)
        if "date" in hit.groups:
            found = self.dates.search_any(hit.groups["date"])
            if found is not None:
                found_dates.append(found)
        return Removal(lineno, _REMOVAL_KIND.get(hit.kind, hit.kind), hit.rule, text)

    def _date_with_more(self, lineno: int, text: str, doc: Document, found_dates: list[DateMatch]) -> Removal | None:
        """A date line with more on it ("23.04.2017, 02:28 Uhr | Lesedauer: 2 Min.").

        The line goes only when what follows the date is itself a line some rule names.
        """
        leading = self.dates.parse_leading(text)
        if leading is None:
            return None
        date, rest = leading
        hit = self._line_rule(rest)
        if hit is None:
            return None
        found_dates.append(date)
        self._record(hit, rest, doc)
        return Removal(lineno, "date", f"dates.line+{hit.rule}", text)

    def _neighbours(self, units: list[tuple[int, str]], fates: list[Removal | None], doc: Document) -> None:
        """Decide the lines whose fate depends on the line next to them (see :meth:`_classify`)."""
        seen_prose = False
        in_list = False
        title_lines = 0
        titles = _FirstTitleLike(units, fates, self.limits)
        for i, (lineno, text) in enumerate(units):
            fate = fates[i]
            if fate is not None:
                rule_kind = fate.rule.split(".")[1] if "." in fate.rule else ""
                in_list = in_list or rule_kind.startswith("list_heading")
                if rule_kind.startswith("credit"):
                    self._caption_near(units, fates, i, seen_prose, titles)
                continue
            words = len(text.split())
            short = words <= _NEIGHBOUR_MAX_WORDS and not is_prose(text, self.limits)
            previous = fates[i - 1] if i > 0 else None
            following = fates[i + 1] if i + 1 < len(fates) else None
            if short and in_list:
                fates[i] = Removal(lineno, "boilerplate", "list_heading.item", text)
            elif short and previous is not None and previous.kind == "byline" and words <= _ROLE_MAX_WORDS:
                fates[i] = Removal(lineno, "byline", "byline.role", text)
            elif (
                not seen_prose
                and title_lines >= (1 if _JOINED_NAMES.search(text) else 2)
                and (names := _NAMES_LINE.match(text)) is not None
                and any(f is not None and f.kind == "date" for f in (previous, following))
            ):
                fates[i] = Removal(lineno, "byline", "byline.names_by_date", text)
                self._add_authors(doc, names.group("authors"))
            else:
                in_list = False
                title_lines += short
                seen_prose = seen_prose or words >= _PROSE_WORDS

    def _caption_near(
        self,
        units: list[tuple[int, str]],
        fates: list[Removal | None],
        i: int,
        seen_prose: bool,
        titles: _FirstTitleLike,
    ) -> None:
        """A bare photo credit's caption is the short line right above it, or else right below it.

        In the header zone such a line could also be the title, so there it counts as a caption
        only when another title-like line stands beside it.
        """
        for j in (i - 1, i + 1):
            if not 0 <= j < len(units) or fates[j] is not None or not _caption_like(units[j][1]):
                continue
            if not seen_prose and (
                is_prose(units[j][1], self.limits) or not self._other_title_candidate(units, fates, j, titles)
            ):
                continue
            fates[j] = Removal(units[j][0], "caption", "credit.caption_near", units[j][1])
            return

    def _other_title_candidate(
        self, units: list[tuple[int, str]], fates: list[Removal | None], j: int, titles: _FirstTitleLike
    ) -> bool:
        after = j + 2 < len(units) and fates[j + 2] is None and not is_prose(units[j + 2][1], self.limits)
        return titles.before(j) or after

    def _line_rule(self, text: str) -> RuleHit | None:
        return self.rules.first_of(_LINE_KINDS, text)

    def _record(self, hit: RuleHit, text: str, doc: Document) -> None:
        """Keep what a removed line says in the document's metadata."""
        if "authors" in hit.groups:
            self._add_authors(doc, hit.groups["authors"])
        if "agencies" in hit.groups:
            _extend(doc.agencies, _AGENCY_SPLIT.split(hit.groups["agencies"]))
        if "sources" in hit.groups:
            names = _AGENCY_SPLIT.split(hit.groups["sources"])
            _extend(doc.agencies, [n for n in names if n.strip().lower() in self.agency_names])
        if hit.kind in ("caption", "credit"):
            doc.captions.append(text)
        elif hit.kind == "broadcast":
            doc.notes.append(text)
        elif hit.kind == "footer" and "authors" not in hit.groups:
            doc.credits.append(text)

    def _add_authors(self, doc: Document, names: str) -> None:
        """Credit the people a byline names; agencies named among them are credited as agencies."""
        for name in _NAME_SPLIT.split(names):
            if name.strip().lower() in self.agency_names:
                _extend(doc.agencies, [name])
            elif name.strip().lower() not in _NOT_AUTHORS:
                _extend(doc.authors, [name])

    def _header(
        self, body: list[tuple[int, str]], dates: list[DateMatch], doc: Document, headline: int | None = None
    ) -> list[tuple[int, str]]:
        """Cut header dates glued to title lines (into ``dates``), then take title and kicker out of the body.

        ``headline`` is the line of a hard-wrapped text's all-capital first line: when it is still
        the first line left, it is the title, and nothing above or beside it is a kicker.
        """
        zone = body[: self.limits.zone_lines]
        candidates: list[tuple[int, str, bool]] = []
        cut: dict[int, str] = {}
        for idx, (lineno, text) in enumerate(zone):
            rest = text
            if idx == 0:
                prefix = self.dates.search_header_prefix(rest)
                if prefix is not None:
                    dates.append(prefix)
                    doc.removals.append(Removal(lineno, "date", "dates.header_prefix", rest[: prefix.end].strip()))
                    rest = rest[prefix.end :].strip()
            trailing = self.dates.search_trailing(rest) if len(rest) <= LINE_MAX_CHARS else None
            if trailing is not None:
                dates.append(trailing)
                doc.removals.append(Removal(lineno, "date", "dates.trailing_label", rest[trailing.start :].strip()))
                rest = rest[: trailing.start].strip()
            if rest != text:
                cut[idx] = rest
            closes = rest != text or _header_line_between(doc.removals, lineno, body, idx)
            candidates.append((idx, rest, closes))
        title_idx, kicker_idx, above = pick_title([c for c in candidates if c[1]], self.limits)
        if headline is not None and body and body[0][0] == headline and cut.get(0, body[0][1]):
            title_idx, kicker_idx, above = 0, None, []
        if title_idx is not None and not _body_left(body, cut, title_idx, {kicker_idx, *above}):
            # A title stands above a body: lines that would leave none are the body themselves.
            # (So a cleaned body cleans to itself: its first line is never taken for a title.)
            title_idx, kicker_idx, above = None, None, []
        out: list[tuple[int, str]] = []
        for idx, (lineno, text) in enumerate(body):
            text = cut.get(idx, text)
            if idx == title_idx:
                doc.title = text
                doc.removals.append(Removal(lineno, "title", "header.title", text))
            elif idx == kicker_idx:
                doc.kicker = text
                doc.removals.append(Removal(lineno, "kicker", "header.kicker", text))
            elif idx in above:
                doc.removals.append(Removal(lineno, "kicker", "header.above_kicker", text))
            elif doc.title is not None and text == doc.title:
                doc.removals.append(Removal(lineno, "title", "header.title_repeated", text))
            elif text:
                out.append((lineno, text))
        return out

    def _credits_in_body(self, body: list[tuple[int, str]], doc: Document, dates: list[DateMatch]) -> None:
        """Credit agencies named in a dateline, and cut an agency credit glued to the last paragraph.

        A date in that credit ("(APA, 10.1.2022)") goes into ``dates``.
        """
        for _, text in body[:2]:
            hit = self.rules.search("dateline", text)
            if hit is not None:
                _extend(doc.agencies, _AGENCY_SPLIT.split(hit.groups.get("agencies", "")))
                break
        if not body:
            return
        lineno, text = body[-1]
        cut_any = False
        for _ in range(_MAX_TAIL_CREDITS):
            if (hit := self._tail_credit(text)) is None:
                break
            cut_any = True
            _extend(doc.agencies, _AGENCY_SPLIT.split(hit.groups.get("agencies", "")))
            doc.removals.append(Removal(lineno, "agency", hit.rule, text[hit.start :].strip()))
            if "date" in hit.groups and (tagged := self.dates.search_any(hit.groups["date"])) is not None:
                dates.append(tagged)
            text = text[: hit.start].rstrip()
        if cut_any:
            fate = self._line_fate(lineno, text, doc, dates)
            if fate is not None:
                # What is left is a line a rule names ("10.01.2022 (dpa)", "Reuters (AFP)"): it goes too.
                doc.removals.append(fate)
                body.pop()
            else:
                body[-1] = (lineno, text)

    def _tail_credit(self, text: str) -> RuleHit | None:
        """An agency credit glued to the end of ``text`` (never the whole of it), span in ``text``."""
        offset = max(0, len(text) - _TAIL_CHARS)
        hit = self.rules.search("agency_tail", text[offset:])
        if hit is None or offset + hit.start == 0:
            return None
        return RuleHit(hit.kind, hit.rule, hit.groups, offset + hit.start, offset + hit.end)


class _FirstTitleLike:
    """Finds the first line that is still unclassified and not prose, with a pointer that only moves down.

    Lines gain fates and never lose them, so a line the pointer has passed never becomes such a line
    again: the question costs one pass over the document in all, not one per photo credit (a
    document of caption and credit pairs made that quadratic).
    """

    def __init__(self, units: list[tuple[int, str]], fates: list[Removal | None], limits: HeaderLimits) -> None:
        self._units, self._fates, self._limits = units, fates, limits
        self._at = 0

    def before(self, j: int) -> bool:
        """Whether a line above line ``j`` is unclassified and not prose."""
        while self._at < j and (self._fates[self._at] is not None or is_prose(self._units[self._at][1], self._limits)):
            self._at += 1
        return self._at < j


_HEADER_KINDS = frozenset({"date", "byline"})


def _header_line_between(removals: list[Removal], lineno: int, body: list[tuple[int, str]], idx: int) -> bool:
    """Whether a date or byline line was removed right after this line (before the next kept one)."""
    end = body[idx + 1][0] if idx + 1 < len(body) else None
    return any(r.kind in _HEADER_KINDS and r.line > lineno and (end is None or r.line < end) for r in removals)


def _extend(target: list[str], names: list[str]) -> None:
    for name in names:
        name = name.strip(" .;")
        if name and name not in target:
            target.append(name)


_CLEANERS: dict[str, Cleaner] = {}


def cleaner_for(config: Config) -> Cleaner:
    """The :class:`Cleaner` of a config, built once per process."""
    found = _CLEANERS.get(config.hash)
    if found is None:
        found = _CLEANERS[config.hash] = Cleaner.from_config(config)
    return found
