"""What a regex's match must look like, read from the parsed pattern: its possible first characters
and a literal it must contain.

Most lines of an article are prose that no line rule matches, and trying ~100 patterns on each
line costs more than all other cleaning. Two facts, found once per pattern, let a line skip most
patterns without running them:

- :func:`first_chars`: a test of the characters a match can start with (``None``: any). A rule
  anchored at the line start and starting with ``Foto|Bild`` cannot match a line that starts
  with ``D``.
- :func:`required_literals`: strings of which a match must contain at least one (``None``: no such
  fact found). A caption rule ``^.{0,300}\\s\\|\\s*…`` cannot match a line without ``|``.

Both are conservative: where the analysis is unsure (case-insensitive parts, character classes,
optional elements) it answers ``None``, and the pattern is run as before. Skipping a pattern never
changes which rule matches, only how fast the answer comes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older layout
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

CharTest = Callable[[str], bool]


def first_chars(pattern: re.Pattern[str]) -> CharTest | None:
    """A test of whether a ``pattern.match`` can start with a given character, or ``None`` when
    that is not known (then any character may start a match)."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    return _first(list(parsed), bool(pattern.flags & re.IGNORECASE))


def _first(items: list[tuple[Any, Any]], ignorecase: bool) -> CharTest | None:
    for op, av in items:
        if op is _c.AT:
            continue  # ^, \b and friends consume nothing
        if op is _c.LITERAL:
            if ignorecase:
                single = re.compile(re.escape(chr(av)), re.IGNORECASE)
                return lambda ch: single.fullmatch(ch) is not None
            return chr(av).__eq__
        if op is _c.IN:
            return None if ignorecase else _class_test(av)
        if op is _c.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            scoped = (ignorecase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            return _first(list(sub), scoped)
        if op is _c.BRANCH:
            tests = [_first(list(alt), ignorecase) for alt in av[1]]
            if any(t is None for t in tests):
                return None
            return lambda ch: any(t(ch) for t in tests if t is not None)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, _, sub = av
            return _first(list(sub), ignorecase) if low >= 1 else None
        return None
    return None


# What re's categories mean for one character of a str pattern.
_CATEGORIES: dict[Any, CharTest] = {
    _c.CATEGORY_DIGIT: str.isdecimal,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


def _class_test(items: list[tuple[Any, Any]]) -> CharTest | None:
    negate = False
    chars: set[int] = set()
    ranges: list[tuple[int, int]] = []
    categories: list[CharTest] = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            chars.add(av)
        elif op is _c.RANGE:
            ranges.append(av)
        elif op is _c.CATEGORY and av in _CATEGORIES:
            categories.append(_CATEGORIES[av])
        else:
            return None

    def test(ch: str) -> bool:
        code = ord(ch)
        found = code in chars or any(lo <= code <= hi for lo, hi in ranges) or any(t(ch) for t in categories)
        return found != negate

    return test


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains at least one, or ``None``."""
    facts = required_facts(pattern)
    return _best(facts)


def required_facts(pattern: re.Pattern[str]) -> list[tuple[str, ...]]:
    """Every fact found: a match contains at least one string of EACH fact (empty: none known).

    ``\\s\\|\\s*(?:AFP|PA)`` gives ``[("|",), ("AFP", "PA")]``: a line without ``|`` is out even
    when it holds ``PA``, as so many words do.
    """
    if pattern.flags & re.IGNORECASE:
        return []
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except re.error:
        return []
    return _facts(list(parsed))


def _best(facts: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The fact whose shortest string is longest (the first of equals), or ``None``."""
    best: tuple[str, ...] | None = None
    for found in facts:
        if best is None or min(map(len, found)) > min(map(len, best)):
            best = found
    return best


def _required(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    """The best fact of a sequence (see :func:`_best`)."""
    return _best(_facts(items))


def _facts(items: list[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    """The facts of a sequence: its literal runs, and the best fact of each group that must match
    (a group whose every alternative has one gives any of those)."""
    facts: list[tuple[str, ...]] = []
    run: list[str] = []

    def consider(found: tuple[str, ...] | None) -> None:
        if found and all(found):
            facts.append(found)

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        consider(("".join(run),) if run else None)
        run = []
        if op is _c.SUBPATTERN:
            _, add_flags, _, sub = av
            if not add_flags & re.IGNORECASE:
                consider(_required(list(sub)))
        elif op is _c.BRANCH:
            alternatives = [_required(list(alt)) for alt in av[1]]
            if all(alternatives):
                consider(tuple(sorted({s for alt in alternatives if alt for s in alt})))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            consider(_required(list(av[2])))
    consider(("".join(run),) if run else None)
    return facts
