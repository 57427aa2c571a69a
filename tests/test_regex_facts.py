"""Skipping rules by their first character and required literals never changes which rule matches."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.clean.article import _LINE_KINDS
from cleaner.clean.regex_facts import first_chars, required_facts, required_literals
from cleaner.clean.rules import LINE_MAX_CHARS, RuleHit, RuleSet, rules_for
from cleaner.config import load_config


@pytest.mark.parametrize(
    ("pattern", "starts", "not_starts"),
    [
        (r"^(?:Foto|Bild)\s*:", "FB", "Dx "),
        (r"^[A-Z][a-z]+", "AZ", "az1"),
        (r"^[^.!?]{1,20}x", "a ", ".!?"),
        (r"^\d+ Kommentare", "7٣", "x "),
        (r"^(?i:dpa)", "dD", "x"),
        (r"(?i)^foto", "fF", "x"),
    ],
)
def test_first_chars(pattern: str, starts: str, not_starts: str) -> None:
    test = first_chars(re.compile(pattern))
    assert test is not None
    assert all(test(c) for c in starts)
    assert not any(test(c) for c in not_starts)


@pytest.mark.parametrize("pattern", [r"^.{0,30}x", r"^(?:\s*)Foto", r"^(?=a)b"])
def test_first_chars_unknown_where_unsure(pattern: str) -> None:
    assert first_chars(re.compile(pattern)) is None


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"^.{0,300}\s\|\s*(?i:dpa|afp)", ("|",)),
        (r"^.{0,200}\bcontributed (?:to this report|reporting)", ("contributed ",)),
        (r"^.{0,300}\((?:Photo|Image)s? by", ("Image", "Photo")),
        (r"^.{0,10}(?i:credit)", None),
    ],
)
def test_required_literals(pattern: str, needs: tuple[str, ...] | None) -> None:
    assert required_literals(re.compile(pattern)) == needs


@pytest.mark.parametrize(
    ("pattern", "facts"),
    [
        (r"^.{0,300}\s\|\s*(?:Getty Images|PA)\b", [("|",), ("Getty Images", "PA")]),
        (r"^Quelle:\s*(?i:dpa)", [("Quelle:",)]),
        (r"(?i)^foto: ", []),
    ],
)
def test_required_facts_are_all_needed(pattern: str, facts: list[tuple[str, ...]]) -> None:
    """A line must hold one string of every fact: ``PA`` alone (as in "PARIS") is not enough."""
    assert required_facts(re.compile(pattern)) == facts


def _user_rules(*patterns: str) -> RuleSet:
    return RuleSet({"rules": {"custom": {"byline": list(patterns)}}})


@pytest.mark.parametrize(
    ("patterns", "line", "rule"),
    [
        # Global flags only work at the start of a pattern, so these rules cannot be joined.
        (("(?i)^von (?P<author>\\w+)$", "^Von"), "VON Meier", "custom.byline[0]"),
        # A numbered back-reference would point elsewhere in a joined regex.
        (("^(\\w)\\1 doubled$", "^aa"), "aa doubled", "custom.byline[0]"),
        (("^(?P<w>\\w)(?P=w) named$", "^bb"), "bb named", "custom.byline[0]"),
        (("^(\\w)\\1 doubled$", "^aa"), "aa other", "custom.byline[1]"),
        # Rule order decides when two rules match; named groups come from the rule that matched.
        (("^Von (?P<author>\\w+)", "^Von (?P<author>\\w+) und"), "Von Ada und Bo", "custom.byline[0]"),
    ],
)
def test_user_patterns_that_cannot_be_joined_still_match_in_order(
    patterns: tuple[str, ...], line: str, rule: str
) -> None:
    hit = _user_rules(*patterns).first_of(("byline",), line)
    assert hit is not None and hit.rule == rule
    assert hit == _naive_kinds(_user_rules(*patterns), ("byline",), line)


def _naive_kinds(rules: RuleSet, kinds: tuple[str, ...], line: str) -> RuleHit | None:
    for kind in kinds:
        for rule in rules._kinds[kind].rules:
            m = rule.regex.match(line)
            if m is not None:
                groups = {k: v for k, v in m.groupdict().items() if v}
                return RuleHit(kind, rule.name, groups, m.start(), m.end())
    return None


def _naive(rules: RuleSet, line: str) -> RuleHit | None:
    """Every rule of every kind in order, no skipping: the reference the fast path must equal."""
    if len(line) > LINE_MAX_CHARS:
        return None
    for kind in _LINE_KINDS:
        for rule in rules._kinds[kind].rules:
            m = rule.regex.match(line)
            if m is not None:
                groups = {k: v for k, v in m.groupdict().items() if v}
                return RuleHit(kind, rule.name, groups, m.start(), m.end())
    return None


RULES = rules_for(load_config(None))


def test_fast_rules_equal_naive_on_real_lines(shared) -> None:
    lines: list[str] = []
    for name in ("reuters21578.jsonl", "de_articles.jsonl", "de_reader_comments.jsonl"):
        with (shared / "corpus" / name).open(encoding="utf-8") as f:
            for n, record in enumerate(f):
                if n >= 400:
                    break
                lines += [x.strip() for x in json.loads(record).get("text", "").split("\n") if x.strip()]
    for seed in sorted((shared / "seeds").glob("*")):
        lines += [x.strip() for x in seed.read_text(encoding="utf-8", errors="replace").split("\n") if x.strip()]
    assert len(lines) > 5000
    differ = [x for x in lines if RULES.first_of(_LINE_KINDS, x) != _naive(RULES, x)]
    assert not differ, differ[:5]


PIECES = st.sampled_from(
    ["Foto: ", "dpa", " | ", "Von ", "Credit... ", "(AP Photo)", "© ", "Bild", "/", ":", "12:30", "Reuters", " "]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=12))
def test_fast_rules_equal_naive_on_generated_lines(parts: list[str]) -> None:
    line = "".join(parts).replace("\n", " ")
    assert RULES.first_of(_LINE_KINDS, line) == _naive(RULES, line)


def test_search_rules_with_global_flags_still_work() -> None:
    rules = RuleSet({"rules": {"custom": {"dateline": ["(?i)\\bberlin \\(dpa\\) - ", "^[A-Z]+ \\(AP\\)"]}}})
    hit = rules.search("dateline", "BERLIN (DPA) - Der Text.")
    assert hit is not None and hit.rule == "custom.dateline[0]"
