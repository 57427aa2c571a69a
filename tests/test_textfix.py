"""fix_text: the gate in front of ftfy must never change ftfy's result; the other stages."""

from __future__ import annotations

import re
import unicodedata

import ftfy
import ftfy.bad_codecs  # registers "sloppy-windows-1252"
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.clean import textfix
from cleaner.clean.textfix import FTFY_CONFIG, fix_text, needs_ftfy, repair_encoding

# Hand-written test sentences (German, English, French quotes), nothing copied from a corpus.
CLEAN = [
    "Die Bürgermeisterin begrüßte am Montag die Gäste im Rathaus.",
    "„Wir müssen über die Kosten reden“, sagte Jürgen Weiß – und erntete Applaus.",
    "Der Preis stieg auf 12,50 € pro Kilogramm; Ökonomen äußerten sich besorgt.",
    "Sie nannte es «eine Überraschung» und verließ den Saal.",
    "Ärzte und Übersetzer trafen sich in Österreich zum Gespräch über Maßnahmen.",
    "It’s the council’s “final offer”, the mayor said — talks resume on Tuesday.",
    "The café on Rue de l’Église served crème brûlée at 9 °C below the usual price.",
    "Straße, Fußgänger, Größe: ß bleibt ß, auch in „Grüßen“ und ‚Zitaten‘.",
    "Zürich – Genève – München: Zug fährt um 7.15 Uhr ab, § 3 Abs. 2 gilt.",
    "Er sagte: „Tschüß“, und ging. 2½ Stunden später kam er zurück.",
]


def _moji(text: str, codec: str, errors: str = "strict") -> str:
    return text.encode("utf-8").decode(codec, errors=errors)


def _damaged_forms(text: str) -> list[str]:
    forms = [
        _moji(text, "sloppy-windows-1252"),
        _moji(text, "cp1252", "replace"),
        _moji(text, "cp1252", "ignore"),
        _moji(text, "latin-1"),
        _moji(_moji(text, "sloppy-windows-1252"), "sloppy-windows-1252"),  # double mojibake
        _moji(_moji(text, "latin-1"), "sloppy-windows-1252"),
        _moji(text, "sloppy-windows-1252").replace("\xa0", " "),  # NBSP byte lost to a space
        text.encode("cp1252", "replace").decode("latin-1"),  # cp1252 read as latin-1: C1 controls
    ]
    half = len(text) // 2
    forms.append(text[:half] + _moji(text[half:], "sloppy-windows-1252"))  # mixed: clean + broken
    return forms


DAMAGED = [form for s in CLEAN for form in _damaged_forms(s) if form != s]
EXTRA = [
    "",
    "plain ascii only\n",
    "a\x00b\x07c\x1b[31mred\x7f",  # control characters
    "emoji \ud83d\ude00 and lone \ud800 surrogates",
    "C1 \x80 \x84quoted\x93 \x96 dash",
    "Ã ",
    "line one\nÃ  la carte\nline three",
    "“quoted” – ÄÜ äÜ ü€ ß“x ×² Œ1 Ø§Ù",
    "Titel ohne Fehler\nKÃ¶rper mit Fehlern: Ã¼ber GrÃ¶ÃŸe\n",
]


def ungated(text: str) -> str:
    return ftfy.fix_text(text, FTFY_CONFIG)


def gated(text: str) -> str:
    """What fix_text does for encoding: nothing unless the gate says so, then ftfy on the flagged lines."""
    return repair_encoding(text) if needs_ftfy(text) else text


@pytest.mark.parametrize("text", CLEAN + DAMAGED + EXTRA)
def test_gate_matches_plain_ftfy(text: str) -> None:
    assert gated(text) == ungated(text)


@pytest.mark.parametrize("text", DAMAGED)
def test_damaged_texts_pass_the_gate(text: str) -> None:
    assert needs_ftfy(text)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_skips_ftfy(text: str) -> None:
    assert not needs_ftfy(text)
    assert fix_text(text) == (text, [])


@pytest.mark.parametrize("text", CLEAN)
def test_mojibake_is_repaired(text: str) -> None:
    broken = _moji(text, "sloppy-windows-1252")
    assert fix_text(broken) == (text, ["mojibake"])
    double = _moji(broken, "sloppy-windows-1252")
    assert fix_text(double)[0] == text


# --- property tests -------------------------------------------------------------------------

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "  \n\t.,;:!?-()/'\"&%"
    "äöüÄÖÜßéèàçêôñÉ„“”‚‘’«»‹›–—…€°§½²\xa0\u202f"
)
# Characters ftfy's badness pattern is made of, plus ASCII, to attack the gate directly.
SUSPECTS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0x80, 0x250), *range(0x384, 0x460)])
SUSPECTS += "\n–—‘’‚“”„†‡•…‰‹›€™√∂∆∏∑∞∩∫≈≠≡≤≥│┌┐┘├┤┬┼═║╔╗╚╝╠╣╦╩╬▀▄█▌▐░▒▓\uf8ff\ufffd"
ENCODINGS = ["sloppy-windows-1252", "latin-1", "cp1252", "sloppy-windows-1251", "iso-8859-2", "macroman"]


@st.composite
def maybe_mojibake(draw: st.DrawFn) -> str:
    text = draw(st.text(alphabet=ALPHABET, max_size=120))
    for _ in range(draw(st.integers(0, 2))):  # 0 = clean, 1 = mojibake, 2 = double mojibake
        codec = draw(st.sampled_from(ENCODINGS))
        broken = text.encode("utf-8").decode(codec, errors="replace")
        if draw(st.booleans()):  # damage only a part of the text
            cut = draw(st.integers(0, len(text)))
            broken = text[:cut] + text[cut:].encode("utf-8").decode(codec, errors="replace")
        text = broken
    return text


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(maybe_mojibake())
def test_gate_matches_plain_ftfy_generated(text: str) -> None:
    assert gated(text) == ungated(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(maybe_mojibake(), min_size=1, max_size=8), st.sampled_from(["\n", "\n\n"]))
def test_ftfy_on_the_flagged_lines_matches_ftfy_on_the_whole_text(lines: list[str], joint: str) -> None:
    """An article whose damage is in some of its lines: repairing the flagged lines alone gives
    what ftfy gives for the whole text."""
    text = joint.join(lines)
    assert repair_encoding(text) == ungated(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=SUSPECTS, max_size=12), min_size=1, max_size=6))
def test_flagged_lines_cover_badness_across_line_breaks(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert gated(text) == ungated(text)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=SUSPECTS, max_size=12))
def test_gate_covers_badness_pattern(text: str) -> None:
    if BADNESS_RE.search(text):
        assert needs_ftfy(text)
    assert gated(text) == ungated(text)


def test_gate_is_derived_not_missing() -> None:
    assert textfix._GATE is not None  # the derivation understood this ftfy version


@pytest.mark.parametrize("option", ["uncurl_quotes", "fix_latin_ligatures", "fix_character_width"])
def test_gate_gives_up_for_fixers_of_ordinary_text(option: str) -> None:
    assert textfix._build_gate(FTFY_CONFIG._replace(**{option: True})) is None


# --- the other stages and the fixes list ----------------------------------------------------


def test_german_and_french_quotes_survive() -> None:
    text = "Sie sagte: „Das ist ‚gut‘.“ Er: «oui» und ‹non› – it’s “fine”."
    assert fix_text(text) == (text, [])


def test_ligatures_widths_and_superscripts_are_kept() -> None:
    text = "Die ﬁnale Fläche: 10 m² — ＡＢＣ"
    assert fix_text(text) == (text, [])


def test_odd_spaces_become_plain_spaces() -> None:
    text = "12\xa0Uhr, 5\u202f%, 1\u2009000, A\u2007B\u2003C\u3000D"
    assert fix_text(text) == ("12 Uhr, 5 %, 1 000, A B C D", ["spaces"])


def test_invisible_characters_are_removed_but_newlines_and_tabs_kept() -> None:
    text = "\ufeffBundes\xadtag\u200b tagt\u2060\n\tzwei\u200c\u200d Zeilen\ufeff\n"
    assert fix_text(text) == ("Bundestag tagt\n\tzwei Zeilen\n", ["spaces"])


def test_newlines() -> None:
    assert fix_text("eins\r\nzwei\rdrei\n") == ("eins\nzwei\ndrei\n", ["newlines"])


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Grüße aus Köln")
    assert decomposed != "Grüße aus Köln"
    assert fix_text(decomposed) == ("Grüße aus Köln", ["nfc"])


def test_all_fixes_in_order() -> None:
    text = "FÃ¼r Ã„rzte\r\n12\xa0Uhr u\u0308ber"
    assert fix_text(text) == ("Für Ärzte\n12 Uhr über", ["newlines", "mojibake", "spaces", "nfc"])


def test_switches_turn_stages_off() -> None:
    text = "FÃ¼r\xa0u\u0308"
    assert fix_text(text, fix_encoding=False, normalize_spaces=False, nfc=False) == (text, [])
    assert fix_text(text, fix_encoding=False)[0] == "FÃ¼r ü"
    assert fix_text(text, normalize_spaces=False)[0] == "Für\xa0ü"
    assert fix_text(text, nfc=False)[0] == "Für u\u0308"


def test_control_characters_and_c1_controls() -> None:
    assert fix_text("a\x00b\x0bc\td\x0c\x7f") == ("abc\td\x0c", ["controls"])
    assert fix_text("a\x07b", fix_encoding=False) == ("a\x07b", [])
    assert fix_text("\x84Zitat\x93 \x80") == ("„Zitat“ €", ["mojibake"])


def test_gate_pattern_compiles_to_a_single_leading_class() -> None:
    # The speed of the gate rests on the engine skipping to anchor characters.
    assert textfix._GATE is not None
    assert re.match(r"\[[^\]]+\]\(\?:", textfix._GATE.pattern)
