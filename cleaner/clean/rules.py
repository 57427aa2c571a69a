"""Compile the configured line rules once and classify lines with them.

Every ``[rules.<name>]`` table contributes patterns per kind. Most lines are prose no rule
matches, so a line is tried only against the patterns it can match: those that may start with its
first character and whose required literals it contains (:mod:`cleaner.clean.regex_facts`); the
others are skipped without running. The kinds that search inside a line are joined into one
prefilter regex per kind (named groups made anonymous, so user patterns may reuse group names)
that answers "does any rule of this kind match?" in one scan. Rules look
only at lines up to ``line_max_chars``: boilerplate is short, prose is long, and skipping long
lines keeps cleaning linear and cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from cleaner.clean import regex_facts
from cleaner.config import RULE_KINDS, Config, expand_pattern

LINE_MAX_CHARS = 320
# Answers kept per tuple of kinds. Boilerplate repeats: across a corpus, half the short lines asked
# about ("Reply", "Image source, Getty Images", "Share this article") were asked before, so their
# answers are kept (a rule's answer depends on the line alone) and forgotten in bulk when the
# store is full, which bounds it to a few megabytes.
ANSWERS_KEPT = 32_768
_UNASKED = object()
# The kinds whose rules look inside a line (``search``); the others must match it from its start.
INSIDE_KINDS = ("agency_tail", "dateline")
_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_]\w*>")
_BACKREF = re.compile(r"\(\?P=[A-Za-z_]\w*\)")
# Numbered back-references and conditional groups: joining patterns renumbers their groups.
# Punctuation found in most prose lines (see _weak).
_PROSE_PUNCTUATION = frozenset(".,;:!?'\"()-")
_NUMBERED_REF = re.compile(r"\\[1-9]|\(\?\(")


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that matched: its name (``<table>.<kind>[<index>]``) and its named groups."""

    kind: str
    rule: str
    groups: Mapping[str, str]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    # What a match must look like (see cleaner.clean.regex_facts); None where unknown.
    first: regex_facts.CharTest | None
    needs: tuple[str, ...] | None
    # Every literal fact: a match holds one string of each (``needs`` is the most telling one).
    facts: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, name: str, regex: re.Pattern[str]) -> _Rule:
        facts = regex_facts.required_facts(regex)
        return cls(name, regex, regex_facts.first_chars(regex), regex_facts.required_literals(regex), tuple(facts))

    def may_match(self, line: str) -> bool:
        """False when the line lacks every string of some fact a match needs: the regex need not run."""
        return all(any(needed in line for needed in fact) for fact in self.facts)


class _KindRules:
    """All patterns of one kind, and for each first character the patterns a line starting with
    it can match. Kinds that look inside lines (``inside``) keep one combined prefilter instead."""

    def __init__(self, kind: str, rules: list[_Rule], inside: bool) -> None:
        self.kind = kind
        self.rules = rules
        self.inside = inside
        self.prefilter: re.Pattern[str] | None = None
        if inside and rules and not any(_BACKREF.search(r.regex.pattern) for r in rules):
            joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', r.regex.pattern)})" for r in rules)
            try:
                self.prefilter = re.compile(joined)
            except re.error:  # a pattern opening with global flags such as (?i): no prefilter
                self.prefilter = None
        self._by_first: dict[str, list[_Rule]] = {}

    def starting_with(self, char: str) -> list[_Rule]:
        found = self._by_first.get(char)
        if found is None:
            found = self._by_first[char] = [r for r in self.rules if r.first is None or (char and r.first(char))]
        return found

    def search(self, line: str) -> RuleHit | None:
        """The first rule of this (search) kind found anywhere in ``line``."""
        if self.prefilter is not None and self.prefilter.search(line) is None:
            return None
        for rule in self.rules:
            if not rule.may_match(line):
                continue
            m = rule.regex.search(line)
            if m is not None:
                groups = {k: v for k, v in m.groupdict().items() if v}
                return RuleHit(self.kind, rule.name, groups, m.start(), m.end())
        return None


class _Gate:
    """The rules one first character leaves for a tuple of kinds, answered with few scans.

    Rules whose match needs a literal the line lacks (:mod:`cleaner.clean.regex_facts`) are left
    out; one scan finds which literals a line holds. The rules without such a literal are joined,
    in rule order, into one regex, each in one capturing group, so the index of the last group
    closed by a match (``lastindex``: the wrapper closes after any group inside it) names the first
    of them that matches. The few gated rules a line lets in are tried one by one, and only those
    before that rule in order. Patterns that cannot be joined (back-references, which group
    renumbering breaks; flags that only work at the start of a pattern) are all tried one by one.
    """

    def __init__(self, rules: list[tuple[str, _Rule]]) -> None:
        self.rules = rules
        always = [i for i, (_, r) in enumerate(rules) if r.needs is None or _weak(r.needs)]
        self.always = always
        by_literal: dict[str, list[int]] = {}
        for i, (_, rule) in enumerate(rules):
            if i not in always:
                for literal in rule.needs or ():
                    by_literal.setdefault(literal, []).append(i)
        # One Aho-Corasick pass finds every literal in a line, overlapping ones too, and hands back
        # the rules each one lets in: a regex alternation of the literals took twice as long.
        self.literals: ahocorasick.Automaton | None = None
        if by_literal:
            self.literals = ahocorasick.Automaton()
            for literal, indexes in by_literal.items():
                self.literals.add_word(literal, tuple(indexes))
            self.literals.make_automaton()
        self.joined, group_rule = _join([rules[i][1] for i in always])
        self.rule_of_group = {group: always[n] for group, n in group_rule.items()}

    def first(self, line: str) -> RuleHit | None:
        none = len(self.rules)
        settled = None
        if self.joined is None:  # unjoinable patterns: the always-in rules one by one
            settled = self._first_of(self.always, line)
            first_always = none if settled is None else settled[0]
        elif self.always:
            m = self.joined.match(line)
            first_always = none if m is None or m.lastindex is None else self.rule_of_group[m.lastindex]
        else:
            first_always = none
        if self.literals is not None:
            earlier = sorted({i for _, indexes in self.literals.iter(line) for i in indexes if i < first_always})
            gated = self._first_of([i for i in earlier if self.rules[i][1].may_match(line)], line)
            if gated is not None:
                return gated[1]
        if first_always == none:
            return None
        settled = settled or self._first_of([first_always], line)
        return settled[1] if settled is not None else None

    def _first_of(self, indexes: list[int], line: str) -> tuple[int, RuleHit] | None:
        """The first of these rules (by index, in order) that matches, run one by one."""
        for i in indexes:
            kind, rule = self.rules[i]
            m = rule.regex.match(line)
            if m is not None:
                groups = {k: v for k, v in m.groupdict().items() if v}
                return i, RuleHit(kind, rule.name, groups, m.start(), m.end())
        return None


def _weak(needs: tuple[str, ...]) -> bool:
    """Whether a rule's literals are too common in prose to be worth looking for first: one or two
    letters or digits ("on", "am", "PA"), a space or sentence punctuation are in nearly every line,
    and a rule gated on them costs more to gate than to run."""
    return any(len(s) <= 2 and all(c.isalnum() or c.isspace() or c in _PROSE_PUNCTUATION for c in s) for s in needs)


def _join(rules: list[_Rule]) -> tuple[re.Pattern[str] | None, dict[int, int]]:
    """One regex with each rule's pattern in its own capturing group, and which rule each group
    index belongs to; ``(None, {})`` when some pattern cannot take part in a joined regex."""
    parts: list[str] = []
    rule_of_group: dict[int, int] = {}
    group = 1
    for n, rule in enumerate(rules):
        pattern = rule.regex.pattern
        if _BACKREF.search(pattern) or _NUMBERED_REF.search(pattern):
            return None, {}
        inner = _NAMED_GROUP.sub("(?:", pattern)
        try:
            inner_groups = re.compile(inner, rule.regex.flags).groups
        except re.error:
            return None, {}
        parts.append(f"({inner})")
        rule_of_group[group] = n
        group += 1 + inner_groups
    try:
        return re.compile("|".join(parts), rules[0].regex.flags if rules else 0), rule_of_group
    except re.error:  # e.g. a pattern that opens with global flags such as (?i)
        return None, {}


class RuleSet:
    """The compiled rules of one config, by kind; the rules named in ``disabled`` are left out.

    ``asking`` is what the rules are being asked at this moment, ``(kinds, line)``, and None between
    questions: when a document runs out of time, it tells :mod:`cleaner.clean.timelimit` which
    rules were running and on which line.
    """

    def __init__(self, data: Mapping[str, Any], disabled: frozenset[str] = frozenset()) -> None:
        by_kind: dict[str, list[_Rule]] = {k: [] for k in RULE_KINDS}
        for table, kinds in data.get("rules", {}).items():
            for kind, patterns in kinds.items():
                for i, pattern in enumerate(patterns):
                    name = f"{table}.{kind}[{i}]"
                    if name not in disabled:
                        by_kind[kind].append(_Rule.of(name, re.compile(expand_pattern(pattern, data))))
        self._kinds = {k: _KindRules(k, v, inside=k in INSIDE_KINDS) for k, v in by_kind.items()}
        self._gates: dict[tuple[tuple[str, ...], str], _Gate] = {}
        self._answers: dict[tuple[str, ...], dict[str, RuleHit | None]] = {}
        self.asking: tuple[tuple[str, ...], str] | None = None

    def first_of(self, kinds: tuple[str, ...], line: str) -> RuleHit | None:
        """The first rule of the first kind in ``kinds`` that matches ``line`` from its start.

        Most lines are body text that no rule matches. For each first character, the rules of
        ``kinds`` a line starting with it can match are split in two: those with a known required
        literal are left out unless the line holds one of their literals (one scan for all of
        them), the rest are always in. The rules left in are joined, in order, into one regex
        whose first matching branch is the first matching rule, so a line costs one or two scans.
        """
        if len(line) > LINE_MAX_CHARS:
            return None
        answers = self._answers.get(kinds)
        if answers is None:
            answers = self._answers[kinds] = {}
        hit = answers.get(line, _UNASKED)
        if hit is not _UNASKED:
            return hit
        self.asking = (kinds, line)
        gate = self._gates.get((kinds, line[:1]))
        if gate is None:
            gate = self._gates[kinds, line[:1]] = _Gate(
                [(k, r) for k in kinds for r in self._kinds[k].starting_with(line[:1])]
            )
        hit = gate.first(line)
        self.asking = None
        if len(answers) >= ANSWERS_KEPT:
            answers.clear()
        answers[line] = hit
        return hit

    def match(self, kind: str, line: str) -> RuleHit | None:
        """The first rule of ``kind`` that matches ``line`` (only lines short enough to be boilerplate)."""
        if self._kinds[kind].inside:
            return self.search(kind, line) if len(line) <= LINE_MAX_CHARS else None
        return self.first_of((kind,), line)

    def search(self, kind: str, text: str) -> RuleHit | None:
        """Like :meth:`match` for the kinds that look inside long lines (glued credits, datelines)."""
        self.asking = ((kind,), text)
        hit = self._kinds[kind].search(text)
        self.asking = None
        return hit


_COMPILED: dict[str, RuleSet] = {}


def rules_for(config: Config) -> RuleSet:
    """The compiled rules of a config, built once per process and config."""
    ruleset = _COMPILED.get(config.hash)
    if ruleset is None:
        ruleset = _COMPILED[config.hash] = RuleSet(config.data)
    return ruleset
