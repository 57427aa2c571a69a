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

from cleaner.clean import regex_facts
from cleaner.config import RULE_KINDS, Config, expand_pattern

LINE_MAX_CHARS = 320
_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_]\w*>")
_BACKREF = re.compile(r"\(\?P=[A-Za-z_]\w*\)")


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

    @classmethod
    def of(cls, name: str, regex: re.Pattern[str]) -> _Rule:
        return cls(name, regex, regex_facts.first_chars(regex), regex_facts.required_literals(regex))

    def may_match(self, line: str) -> bool:
        """False when the line lacks every literal a match needs: the regex need not run."""
        return self.needs is None or any(needed in line for needed in self.needs)


class _KindRules:
    """All patterns of one kind, and for each first character the patterns a line starting with
    it can match. Kinds that look inside lines (``search``) keep one combined prefilter instead."""

    def __init__(self, kind: str, rules: list[_Rule], search: bool) -> None:
        self.kind = kind
        self.rules = rules
        self.search = search
        self.prefilter: re.Pattern[str] | None = None
        if search and rules and not any(_BACKREF.search(r.regex.pattern) for r in rules):
            joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', r.regex.pattern)})" for r in rules)
            self.prefilter = re.compile(joined)
        self._by_first: dict[str, list[_Rule]] = {}

    def starting_with(self, char: str) -> list[_Rule]:
        found = self._by_first.get(char)
        if found is None:
            found = self._by_first[char] = [r for r in self.rules if r.first is None or (char and r.first(char))]
        return found

    def first(self, line: str) -> RuleHit | None:
        if self.search:
            if self.prefilter is not None and self.prefilter.search(line) is None:
                return None
            candidates, find = self.rules, re.Pattern.search
        else:
            candidates, find = self.starting_with(line[:1]), re.Pattern.match
        for rule in candidates:
            if not rule.may_match(line):
                continue
            m = find(rule.regex, line)
            if m is not None:
                groups = {k: v for k, v in m.groupdict().items() if v}
                return RuleHit(self.kind, rule.name, groups, m.start(), m.end())
        return None


class RuleSet:
    """The compiled rules of one config, by kind."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        by_kind: dict[str, list[_Rule]] = {k: [] for k in RULE_KINDS}
        for table, kinds in data.get("rules", {}).items():
            for kind, patterns in kinds.items():
                for i, pattern in enumerate(patterns):
                    regex = re.compile(expand_pattern(pattern, data))
                    by_kind[kind].append(_Rule.of(f"{table}.{kind}[{i}]", regex))
        # agency_tail and dateline look inside a line; the others must match it from the start.
        self._kinds = {k: _KindRules(k, v, search=k in ("agency_tail", "dateline")) for k, v in by_kind.items()}
        self._gates: dict[tuple[tuple[str, ...], str], tuple[re.Pattern[str] | None, list[_Rule]]] = {}

    def first_of(self, kinds: tuple[str, ...], line: str) -> RuleHit | None:
        """The first rule of the first kind in ``kinds`` that matches ``line``.

        Most lines are body text that no rule matches. For each first character, the rules of
        ``kinds`` a line starting with it can match are split in two: those with a known required
        literal are skipped unless the line holds it, the rest are joined into one regex that
        settles them in a single scan. Only a line that gets past both is tried rule by rule.
        """
        if len(line) > LINE_MAX_CHARS:
            return None
        gate = self._gates.get((kinds, line[:1]))
        if gate is None:
            gate = self._gates[kinds, line[:1]] = self._gate(kinds, line[:1])
        combined, gated = gate
        if (combined is None or combined.match(line) is None) and not any(r.may_match(line) for r in gated):
            return None
        for kind in kinds:
            hit = self._kinds[kind].first(line)
            if hit is not None:
                return hit
        return None

    def _gate(self, kinds: tuple[str, ...], char: str) -> tuple[re.Pattern[str] | None, list[_Rule]]:
        rules = [r for kind in kinds for r in self._kinds[kind].starting_with(char)]
        gated = [r for r in rules if r.needs is not None]
        rest = [r for r in rules if r.needs is None]
        if any(_BACKREF.search(r.regex.pattern) for r in rest):
            return re.compile(""), gated  # matches every line: the rules decide one by one
        joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', r.regex.pattern)})" for r in rest)
        return (re.compile(joined) if rest else None), gated

    def match(self, kind: str, line: str) -> RuleHit | None:
        """The first rule of ``kind`` that matches ``line`` (only lines short enough to be boilerplate)."""
        if len(line) > LINE_MAX_CHARS:
            return None
        return self._kinds[kind].first(line)

    def search(self, kind: str, text: str) -> RuleHit | None:
        """Like :meth:`match` for the kinds that look inside long lines (glued credits, datelines)."""
        return self._kinds[kind].first(text)


_COMPILED: dict[str, RuleSet] = {}


def rules_for(config: Config) -> RuleSet:
    """The compiled rules of a config, built once per process and config."""
    ruleset = _COMPILED.get(config.hash)
    if ruleset is None:
        ruleset = _COMPILED[config.hash] = RuleSet(config.data)
    return ruleset
