"""Character-level repairs of one text: line breaks, mojibake, odd spaces, Unicode NFC.

``fix_text`` runs, in this order and each only when its switch is on:

1. ``newlines``  CRLF and lone CR become LF (always on: every later stage reads lines).
2. ``mojibake``  ftfy, encoding repairs only (``FTFY_CONFIG``), behind a cheap gate (below).
3. ``controls``  control characters dropped (ftfy's list without U+FEFF; with ``fix_encoding``).
4. ``spaces``    NBSP and other odd spaces become " ", invisible characters are dropped.
5. ``nfc``       Unicode NFC.

Encoding repair runs before space normalisation because ftfy reads U+00A0 as evidence:
"Ã\\xa0" is the mojibake of "à" and "Â\\xa0" the mojibake of a NBSP. NFC runs last, as in ftfy.

The gate
--------
ftfy's ``fix_text`` costs about as much on clean text as on broken text: most of the time goes
into ``ftfy.badness.BADNESS_RE``, a 37-way alternation that the regex engine tries at every
position. Our gate ``needs_ftfy`` is a regex *derived at import time from ftfy's own pattern*:
for each alternative of BADNESS_RE we keep one run of adjacent single-character items,
choose as "anchor" the item least likely in clean German/English/French text, and rewrite the
run as ``anchor`` + look-behind/look-ahead. All anchors are unioned into one leading character
class, so the engine skips at C speed to the few positions worth a look.

Why it never skips a text ftfy would change (with ``FTFY_CONFIG``):

* ftfy's encoding step leaves a line alone unless ``is_bad(line)`` (BADNESS_RE matches);
* every BADNESS_RE match contains the chosen run at some position, and the gate matches
  exactly that run: we only *drop* parts of an alternative (zero-width ``^``, optional
  ``\\s?`` and the items beyond it), which can only widen the set of matching texts; dropping
  ``^`` also makes it indifferent to how ftfy splits a text into lines;
* the other enabled fixers only change C1 controls and surrogates; their character classes
  (taken from ftfy's own regexes) are added to the gate as one-character alternatives.

``tests/test_textfix.py`` checks gated == plain ftfy differentially. If a future ftfy changes
its pattern beyond what the derivation understands, we fall back to calling ftfy on every text
(correct, only slower), never to a stale hand-written list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import ftfy
from ftfy import chardata, fixes
from ftfy.badness import BADNESS_RE

__all__ = ["FTFY_CONFIG", "fix_text", "needs_ftfy", "repair_encoding"]

FTFY_CONFIG = ftfy.TextFixerConfig(
    # Off: entities are markup, not encoding damage; "auto" also changes behaviour line by line
    # depending on whether a "<" occurs, and a text about "&amp;" must keep it.
    unescape_html=False,
    # Off: ANSI colour codes do not occur in scraped news; encoding fixes only. (A stray ESC is
    # still dropped by our "controls" stage.)
    remove_terminal_escapes=False,
    # On: the point of this step, UTF-8 read as cp1252/latin-1 ("FÃ¼r" -> "Für"), also double.
    fix_encoding=True,
    # The next four tune fix_encoding. Caveat: ftfy 6.3 with explain=False calls fix_encoding()
    # without our config, so ftfy's defaults apply; our values *are* those defaults, chosen
    # deliberately, so the behaviour is what these comments say either way.
    # On: scrapers and editors turn the 0xA0 byte of a UTF-8 sequence into a plain space
    # ("Ã " for "à", "Â " for NBSP). ftfy applies it only inside text already judged bad.
    restore_byte_a0=True,
    # On: mojibake partly replaced by "?" or "�" is already lost; ftfy turns the broken
    # sequence into a single "�" instead of leaving two or three junk characters.
    replace_lossy_sequences=True,
    # On: a page glued from a clean title and a mojibake body has no single consistent
    # re-encoding; this repairs the UTF-8-looking runs one by one.
    decode_inconsistent_utf8=True,
    # On: C1 controls U+0080-U+009F are never meant in text; they are cp1252 bytes read as
    # latin-1 and become „ “ – € … as in HTML5.
    fix_c1_controls=True,
    # Off: "ﬁ" -> "fi" is a compatibility change, not an encoding repair; keep text as written.
    fix_latin_ligatures=False,
    # Off: full-width/half-width forms are legitimate in CJK quotes; no width changes.
    fix_character_width=False,
    # Off: German „…“, ‚…‘, French «…» and English ’ must survive untouched.
    uncurl_quotes=False,
    # Off: we normalise CRLF/CR ourselves (stage 1); ftfy would also rewrite U+2028/U+0085.
    fix_line_breaks=False,
    # On: lone or paired UTF-16 surrogates (from JSON "\\ud83d" escapes) cannot be written as
    # UTF-8 at all; pairs are joined, lone ones become "�".
    fix_surrogates=True,
    # Off here, done by us: we drop the same characters (ftfy's CONTROL_CHARS: C0 controls but
    # \t \n \f \r, DEL, U+206A-206F, U+FFF9-FFFC) in a stage of our own, so that a stray \x0b
    # is reported as "controls" and not as "mojibake"; U+FEFF is left to the spaces stage.
    remove_control_chars=False,
    # None: we apply NFC ourselves (stage 4, reported separately). Never NFKC: it turns "²" into
    # "2" and "ﬁ" into "fi".
    normalization=None,
    # Off: we do not use explanations; building them costs time.
    explain=False,
)

# --------------------------------------------------------------------------------------------
# Gate derivation

try:  # Python 3.11+: the parser lives in re._parser; sre_parse is the deprecated alias.
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]


class _Underivable(Exception):
    """ftfy's pattern uses a construct the gate derivation does not understand."""


# How often a character turns up in clean text, roughly: the anchor of each alternative is the
# item whose characters are rarest here. Any choice is correct; this one only makes it fast.
_COMMON_WEIGHTS: dict[str, int] = {chr(c): 1000 for c in range(0x20, 0x7F)}
_COMMON_WEIGHTS.update({"\n": 1000, "\t": 100})
_COMMON_WEIGHTS.update(dict.fromkeys("äöüß", 50))
_COMMON_WEIGHTS.update(dict.fromkeys("ÄÖÜ„“”’‘‚–—…€«»éèàçâêôîûëïñáíóúœ°§·", 5))

_CATEGORY_SOURCE = {
    _sre_c.CATEGORY_SPACE: r"\s",
    _sre_c.CATEGORY_NOT_SPACE: r"\S",
    _sre_c.CATEGORY_WORD: r"\w",
    _sre_c.CATEGORY_NOT_WORD: r"\W",
    _sre_c.CATEGORY_DIGIT: r"\d",
    _sre_c.CATEGORY_NOT_DIGIT: r"\D",
}


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}"


class _Slot:
    """One single-character item of a pattern, as regex class source."""

    __slots__ = ("plain_body", "source")

    def __init__(self, source: str, plain_body: str | None) -> None:
        self.source = source  # "[...]" usable anywhere in a pattern
        self.plain_body = plain_body  # class body without negation/categories, or None

    def score(self) -> tuple[int, int]:
        if self.plain_body is None:
            return (10**9, 0)
        rx = re.compile(self.source)
        common = sum(w for ch, w in _COMMON_WEIGHTS.items() if rx.match(ch))
        return (common, len(self.plain_body))


def _slot_from_in(items: list) -> _Slot:
    parts: list[str] = []
    plain = True
    negate = False
    for op, arg in items:
        if op is _sre_c.NEGATE:
            negate = True
            plain = False
        elif op is _sre_c.LITERAL:
            parts.append(_esc(arg))
        elif op is _sre_c.RANGE:
            parts.append(f"{_esc(arg[0])}-{_esc(arg[1])}")
        elif op is _sre_c.CATEGORY and arg in _CATEGORY_SOURCE:
            parts.append(_CATEGORY_SOURCE[arg])
            plain = False
        else:
            raise _Underivable(f"class item {op} {arg}")
    body = "".join(parts)
    return _Slot(f"[{'^' if negate else ''}{body}]", body if plain else None)


def _runs(items: Iterable, flags: int) -> list[list[_Slot]]:
    """Split a sequence of pattern items into runs of adjacent mandatory single characters."""
    runs: list[list[_Slot]] = [[]]
    for op, arg in items:
        if op is _sre_c.IN:
            runs[-1].append(_slot_from_in(arg))
        elif op is _sre_c.LITERAL:
            runs[-1].append(_Slot(f"[{_esc(arg)}]", _esc(arg)))
        elif op is _sre_c.NOT_LITERAL:
            runs[-1].append(_Slot(f"[^{_esc(arg)}]", None))
        elif op is _sre_c.ANY:
            runs[-1].append(_Slot("[\\s\\S]" if flags & re.DOTALL else "[^\\n]", None))
        elif op is _sre_c.AT:
            continue  # zero-width (^, $, \b): dropping it only widens the match set
        else:
            runs.append([])  # optional/repeated/grouped item: break adjacency here
    return [r for r in runs if r]


def _alternatives(pattern: re.Pattern[str]) -> list[list]:
    if pattern.flags & re.IGNORECASE:
        raise _Underivable("IGNORECASE")
    parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    data = list(parsed)
    if len(data) == 1 and data[0][0] is _sre_c.BRANCH:
        return [list(alt) for alt in data[0][1][1]]
    return [data]


def _branch_for(alt: list, flags: int) -> tuple[str, str]:
    """(anchor class body, branch source) for one alternative of a pattern."""
    best: tuple[tuple[int, int], list[_Slot], int] | None = None
    for run in _runs(alt, flags):
        for i, slot in enumerate(run):
            if slot.plain_body is None:
                continue
            key = slot.score()
            if best is None or key < best[0]:
                best = (key, run, i)
    if best is None:
        raise _Underivable("alternative without a plain character item")
    _, run, i = best
    behind = "".join(s.source for s in run[: i + 1])
    ahead = "".join(s.source for s in run[i + 1 :])
    return run[i].plain_body or "", f"(?<={behind})" + (f"(?={ahead})" if ahead else "")


def _class_of(chars: Iterable[int]) -> str:
    """A class body for a set of code points, written as ranges."""
    cps = sorted(set(chars))
    out: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(_esc(cps[i]) if i == j else f"{_esc(cps[i])}-{_esc(cps[j])}")
        i = j + 1
    return "".join(out)


def _build_gate(config: ftfy.TextFixerConfig) -> re.Pattern[str] | None:
    """The gate regex for ``config``, or None when every text must go to ftfy."""
    parts = _gate_parts(config)
    if parts is None:
        return None
    anchors, branches = parts
    if not anchors:
        return re.compile(r"(?!)")  # nothing enabled: ftfy cannot change anything
    return re.compile(f"[{anchors}](?:{branches})")


def _gate_parts(config: ftfy.TextFixerConfig) -> tuple[str, str] | None:
    """The gate's parts: the class of characters a change can start from and the alternatives
    that must follow; ``("", "")`` when ftfy can change nothing, None when it has no gate."""
    ungated = (
        config.unescape_html,
        config.remove_terminal_escapes,
        config.fix_latin_ligatures,
        config.fix_character_width,
        config.uncurl_quotes,
        config.fix_line_breaks,
        config.normalization,
    )
    if any(ungated):
        return None  # these fixers act on ordinary text; no cheap gate exists for them
    pairs: list[tuple[str, str]] = []
    try:
        if config.fix_encoding:
            pairs += [_branch_for(alt, BADNESS_RE.flags) for alt in _alternatives(BADNESS_RE)]
        single: list[re.Pattern[str]] = []
        if config.fix_c1_controls:
            single.append(chardata.C1_CONTROL_RE)
        if config.fix_surrogates:
            single.append(fixes.SURROGATE_RE)
        for rx in single:
            pairs += [_branch_for(alt, rx.flags) for alt in _alternatives(rx)]
        if config.remove_control_chars:
            body = _class_of(chardata.CONTROL_CHARS)
            pairs.append((body, f"(?<=[{body}])"))
    except _Underivable:
        return None
    anchors = "".join(body for body, _ in pairs)
    return anchors, "|".join(dict.fromkeys(branch for _, branch in pairs))


_GATE = _build_gate(FTFY_CONFIG)
_GATE_PARTS = _gate_parts(FTFY_CONFIG)


def needs_ftfy(text: str) -> bool:
    """True unless ``text`` certainly passes ``ftfy.fix_text(text, FTFY_CONFIG)`` unchanged."""
    return _GATE is None or _GATE.search(text) is not None


def repair_encoding(text: str) -> str:
    """``ftfy.fix_text(text, FTFY_CONFIG)``, with ftfy run only on the lines the gate flags.

    ftfy fixes a text line by line, each line on its own (with our config nothing carries over
    from one line to the next), and a line the gate does not flag passes ftfy unchanged, so the
    result is the same. A damaged article has its damage in a few lines, and ftfy's badness scan
    over each of the others cost as much as cleaning the whole article.
    """
    if _GATE is None:
        return ftfy.fix_text(text, FTFY_CONFIG)
    pieces: list[str] = []
    done = 0
    for m in _GATE.finditer(text):
        if m.start() < done:  # in a line already fixed
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", max(m.end(), m.start() + 1) - 1)
        end = len(text) if end == -1 else end + 1
        pieces += (text[done:start], ftfy.fix_text(text[start:end], FTFY_CONFIG))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


# --------------------------------------------------------------------------------------------
# Control characters and spaces

# ftfy's list of control characters to drop, minus U+FEFF (an invisible character for the
# spaces stage). Tab, LF, FF and CR are not in it.
_CONTROL_TABLE: dict[int, None] = dict.fromkeys(cp for cp in chardata.CONTROL_CHARS if cp != 0xFEFF)
_CONTROL_RE = re.compile(f"[{_class_of(_CONTROL_TABLE)}]")

# Every Unicode space separator (category Zs) except " " itself: typographic variants of " ".
_SPACES = (
    "\u00a0"  # NO-BREAK SPACE
    "\u1680"  # OGHAM SPACE MARK
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006"  # EN/EM QUAD, EN/EM, 3-, 4-, 6-PER-EM SPACE
    "\u2007"  # FIGURE SPACE
    "\u2008"  # PUNCTUATION SPACE
    "\u2009"  # THIN SPACE
    "\u200a"  # HAIR SPACE
    "\u202f"  # NARROW NO-BREAK SPACE (French « … », German "z. B.")
    "\u205f"  # MEDIUM MATHEMATICAL SPACE
    "\u3000"  # IDEOGRAPHIC SPACE
)
# Invisible characters. Soft hyphen too: U+00AD is only a hyphenation hint ("Bundes\xadtag")
# and is not rendered mid-line; dropping it lets rules, search and near-duplicate matching see
# "Bundestag". No line breaks are touched.
_INVISIBLE = (
    "\u00ad"  # SOFT HYPHEN
    "\u200b"  # ZERO WIDTH SPACE
    "\u200c"  # ZERO WIDTH NON-JOINER
    "\u200d"  # ZERO WIDTH JOINER
    "\u2060"  # WORD JOINER
    "\ufeff"  # BOM / ZERO WIDTH NO-BREAK SPACE, anywhere in the text
)
_SPACE_FOR = {c: " " for c in _SPACES} | dict.fromkeys(_INVISIBLE, "")
_SPACE_RE = re.compile(f"[{_SPACES}{_INVISIBLE}]")

# A character some repair below starts from. Most texts hold none, and one scan for it spares
# them the three scans (mojibake gate, controls, spaces); None when ftfy has no gate.
_SUSPECT = (
    None if _GATE_PARTS is None else re.compile(f"[{_GATE_PARTS[0]}{_class_of(_CONTROL_TABLE)}{_SPACES}{_INVISIBLE}]")
)


# --------------------------------------------------------------------------------------------
# Entry point


def _repair(text: str, applied: list[str], fix_encoding: bool, normalize_spaces: bool) -> str:
    """Mojibake, control characters and odd spaces (see :func:`fix_text`), each noted in ``applied``."""
    if fix_encoding:
        fixed = repair_encoding(text)  # the gate's own scan: text it does not flag comes back as is
        if fixed != text:
            text = fixed
            applied.append("mojibake")
    if fix_encoding and _CONTROL_RE.search(text):
        text = text.translate(_CONTROL_TABLE)
        applied.append("controls")
    if normalize_spaces and _SPACE_RE.search(text):
        # A few matches replaced in C: str.translate would look up every character of the text.
        text = _SPACE_RE.sub(lambda m: _SPACE_FOR[m.group()], text)
        applied.append("spaces")
    return text


def fix_text(
    text: str, *, fix_encoding: bool = True, normalize_spaces: bool = True, nfc: bool = True
) -> tuple[str, list[str]]:
    """Repair ``text``; return it with the names of the fixes that changed something.

    Names, in the order applied: "newlines", "mojibake" (ftfy changed the text: mojibake, C1
    controls or surrogates), "controls", "spaces", "nfc". ``fix_encoding`` switches both
    "mojibake" and "controls".
    """
    applied: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        applied.append("newlines")
    if _SUSPECT is None or _SUSPECT.search(text) is not None:
        text = _repair(text, applied, fix_encoding, normalize_spaces)
    if nfc and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        applied.append("nfc")
    return text, applied
