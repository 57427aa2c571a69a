"""Furniture of outlets the rules were not first written for (the blind set bench/stress2): each
line is taken out with the right kind and what it says goes to the metadata."""

from __future__ import annotations

import pytest

from cleaner import clean_text

LEAD_DE = "Der erste Absatz erzählt, was geschah, und er ist lang genug, um als Fließtext zu gelten."
BODY_DE = "Ein zweiter Absatz mit weiteren Einzelheiten, Zitaten und Zahlen aus der Stadt und dem Land."
LEAD_EN = "The first paragraph tells what happened, and it is long enough to count as running text."
BODY_EN = "A second paragraph adds the details, the quotes and the figures from the city and the state."


def de(line: str):
    return clean_text(f"Ein Titel für den Test\n\n{LEAD_DE}\n\n{line}\n\n{BODY_DE}\n")


def en(line: str):
    return clean_text(f"A Title for the Test\n\n{LEAD_EN}\n\n{line}\n\n{BODY_EN}\n")


@pytest.mark.parametrize(
    ("line", "kind", "clean"),
    [
        ("Ein Wahlplakat am Strassenrand. Konstantin Hoffmann / Keystone", "caption", de),
        ("Blick auf das Gerichtsgebäude. © IMAGO/Björn Neumann", "caption", de),
        ("Police stand guard outside the building (AFP via Getty Images)", "caption", en),
        ("Traders work on the floor of the exchange. (Reuters: Jane Doe)", "caption", en),
        ("A man walks past a closed shop [Jane Doe/AFP]", "caption", en),
        ("Protesters gather outside parliament [File: Jane Doe/AP Photo]", "caption", en),
        ("Lesezeit 6 min", "boilerplate", de),
        ("6 Min.", "boilerplate", de),
        ("Mehr: Milliardär gestorben", "boilerplate", de),
        ("Heard on Morning Edition", "broadcast", en),
        ("Listen · 3:45", "boilerplate", en),
        ("READ MORE: Bank rules tougher than needed, dealers say", "boilerplate", en),
        ("Permalink https://p.dw.com/p/4hpc0", "boilerplate", de),
    ],
)
def test_line_is_taken_out_as(line: str, kind: str, clean) -> None:
    doc = clean(line)
    assert line not in doc.paragraphs
    assert [r.kind for r in doc.removals if r.text == line] == [kind]


@pytest.mark.parametrize(
    ("line", "authors", "agencies"),
    [
        ("Von unserem Korrespondenten Matthias Hoffmann", ["Matthias Hoffmann"], []),
        ("Anna Müller | Hans Frühwald mit afp, ap", ["Anna Müller", "Hans Frühwald"], ["afp", "ap"]),
        ("Autorin/Autor Anna Müller (mit kna, epd)", ["Anna Müller"], ["kna", "epd"]),
        ("Von Paul Koch | 07.57 Uhr, 26. Jänner 2022", ["Paul Koch"], []),
    ],
)
def test_german_bylines(line: str, authors: list[str], agencies: list[str]) -> None:
    doc = de(line)
    assert doc.paragraphs == [LEAD_DE, BODY_DE]
    assert doc.authors == authors
    assert [a.lower() for a in doc.agencies] == agencies


@pytest.mark.parametrize(
    ("line", "authors"),
    [("By political reporter Jane Doe", ["Jane Doe"]), ("By Jane Doe with wires", ["Jane Doe"])],
)
def test_english_bylines_with_a_role_or_wires(line: str, authors: list[str]) -> None:
    doc = en(line)
    assert doc.paragraphs == [LEAD_EN, BODY_EN]
    assert doc.authors == authors


@pytest.mark.parametrize(
    ("line", "agencies", "clean"),
    [
        ("Source: Al Jazeera and Reuters", ["Reuters"], en),
        ("SOURCE: NEWS AGENCIES", [], en),
        ("ABC/AAP", ["AAP"], en),
        ("mit dpa, AFP", ["dpa", "AFP"], de),
        ("red, APA", ["APA"], de),
        ("sti/kle (dpa, afp)", ["dpa", "afp"], de),
        ("Mit Agenturmaterial", [], de),
    ],
)
def test_agency_credits(line: str, agencies: list[str], clean) -> None:
    doc = clean(line)
    assert line not in doc.paragraphs
    assert [r.kind for r in doc.removals if r.text == line] == ["agency"]
    assert doc.agencies == agencies


def test_a_glued_text_credit_in_brackets_is_no_caption() -> None:
    last = "Das Urteil sprechen die Richter erst zu einem späteren Zeitpunkt, hieß es am Abend."
    doc = clean_text(f"Ein Titel für den Test\n\n{LEAD_DE}\n\n{last} (APA/Reuters)\n")
    assert doc.paragraphs == [LEAD_DE, last]
    assert doc.agencies == ["APA", "Reuters"]


@pytest.mark.parametrize(
    "line",
    [
        # wire copy from the Reuters corpus: capitals after a sentence end or around a slash are text
        "ROSTENKOWSKI SAYS HE WILL OPPOSE PROTECTIONIST TRADE BILL IN U.S. HOUSE",
        "Canada, fell 696 mln dlrs to 215.74 billion dlrs. MORE",
        "SOYBEAN CAKE/MEAL",
    ],
)
def test_capitals_that_only_look_like_a_photo_credit_stay(line: str) -> None:
    assert line in en(line).paragraphs
