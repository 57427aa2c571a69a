"""Compile the configured line rules once and classify lines with them.

Every ``[rules.<name>]`` table contributes patterns per kind. For each kind the patterns are
joined into one prefilter regex (named groups made anonymous, so user patterns may reuse group
names), which answers "does any rule of this kind match?" in one scan. Only when it does are
the single patterns tried, to name the rule that decided and to read its named groups. Rules look
only at lines up to ``line_max_chars``: boilerplate is short, prose is long, and skipping long
lines keeps cleaning linear and cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


class _KindRules:
    """All patterns of one kind: a combined prefilter and the single rules behind it."""

    def __init__(self, kind: str, rules: list[_Rule], search: bool) -> None:
        self.kind = kind
        self.rules = rules
        self.search = search
        self.prefilter: re.Pattern[str] | None = None
        if rules and not any(_BACKREF.search(r.regex.pattern) for r in rules):
            joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', r.regex.pattern)})" for r in rules)
            self.prefilter = re.compile(joined)

    def first(self, line: str) -> RuleHit | None:
        find = re.Pattern.search if self.search else re.Pattern.match
        if self.prefilter is not None and find(self.prefilter, line) is None:
            return None
        for rule in self.rules:
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
                    by_kind[kind].append(_Rule(f"{table}.{kind}[{i}]", regex))
        # agency_tail and dateline look inside a line; the others must match it from the start.
        self._kinds = {k: _KindRules(k, v, search=k in ("agency_tail", "dateline")) for k, v in by_kind.items()}
        self._any: dict[tuple[str, ...], re.Pattern[str] | None] = {}

    def first_of(self, kinds: tuple[str, ...], line: str) -> RuleHit | None:
        """The first rule of the first kind in ``kinds`` that matches ``line``.

        Most lines are body text that no rule matches; one combined scan over every kind's
        prefilter settles those at once instead of one scan per kind.
        """
        if len(line) > LINE_MAX_CHARS:
            return None
        combined = self._any.get(kinds)
        if kinds not in self._any:
            parts = [self._kinds[k].prefilter for k in kinds]
            combined = None if any(p is None for p in parts) else re.compile(
                "|".join(f"(?:{p.pattern})" for p in parts if p is not None)
            )
            self._any[kinds] = combined
        if combined is not None and combined.match(line) is None:
            return None
        for kind in kinds:
            hit = self._kinds[kind].first(line)
            if hit is not None:
                return hit
        return None

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
