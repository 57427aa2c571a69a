"""Per-rule behaviour of cleaning: bylines, agencies, captions, broadcast notes, footers, header."""

from __future__ import annotations

import pytest

from cleaner import clean_text

LEAD = "Der erste Absatz erzählt, was geschah, und er ist lang genug, um als Fließtext zu gelten."
BODY = "Ein zweiter Absatz mit weiteren Einzelheiten, Zitaten und Zahlen aus der Stadt."
EN_LEAD = "The first paragraph tells what happened, and it is long enough to count as running text."
EN_BODY = "A second paragraph adds details, quotes and figures from the city council meeting."


def article(*header: str, body=(LEAD, BODY)) -> str:
    return "\n\n".join([*header, *body]) + "\n"


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Von Max Muster, ARD-Studio Washington", ["Max Muster"]),
        ("Von Julia Lange und Johanna Meier, Istanbul", ["Julia Lange", "Johanna Meier"]),
        ("Von Anna Schmidt", ["Anna Schmidt"]),
    ],
)
def test_german_bylines(line, authors):
    doc = clean_text(article("Ein Titel für den Test", line))
    assert doc.authors == authors
    assert line not in doc.text
    assert doc.title == "Ein Titel für den Test"


def test_english_byline_with_agency():
    doc = clean_text(article("A Title For The Test", "By Sarah Wright | Reuters", body=(EN_LEAD, EN_BODY)))
    assert doc.authors == ["Sarah Wright"]
    assert doc.agencies == ["Reuters"]
    assert "Sarah Wright" not in doc.text


@pytest.mark.parametrize(
    ("line", "agencies"),
    [
        ("Quelle: dpa, AFP", ["dpa", "AFP"]),
        ("(APA, 10.1.2022)", ["APA"]),
        ("(mit Reuters/dpa)", ["Reuters", "dpa"]),
        ("Reuters", ["Reuters"]),
    ],
)
def test_agency_lines(line, agencies):
    doc = clean_text(article("Ein Titel", body=(LEAD, BODY, line)))
    assert doc.agencies == agencies
    assert doc.paragraphs == [LEAD, BODY]
    assert any(r.kind == "agency" and r.text == line for r in doc.removals)


def test_agency_glued_to_last_paragraph_is_cut():
    doc = clean_text(article("Ein Titel", body=(LEAD, BODY + " (mit AFP/dpa)")))
    assert doc.paragraphs[-1] == BODY
    assert doc.agencies == ["AFP", "dpa"]


def test_dateline_agency_is_credited_and_kept():
    first = "Berlin (dpa) - " + LEAD
    doc = clean_text(article("Ein Titel", body=(first, BODY)))
    assert doc.paragraphs[0] == first
    assert doc.agencies == ["dpa"]


@pytest.mark.parametrize(
    "caption",
    [
        "Wendy Muster und Max Beispiel. | picture alliance/dpa/KEYSTONE",
        "Blick durch ein Mikroskop Foto: APA/HELMUT FOHRINGER",
        "Image source, Getty Images",
        "Image caption, Crowds gathered outside the town hall",
    ],
)
def test_captions_go_to_metadata(caption):
    doc = clean_text(article(caption, "Ein Titel", body=(LEAD, BODY)))
    assert doc.captions == [caption]
    assert caption not in doc.text
    assert doc.title == "Ein Titel"


def test_broadcast_note_and_paywall():
    note = "Über dieses Thema berichtete die tagesschau am 10. Januar 2022 um 17:00 Uhr."
    doc = clean_text(article("Ein Titel", body=(LEAD, BODY, "Jetzt weiterlesen für 0,99 € im ersten Monat", note)))
    assert doc.paragraphs == [LEAD, BODY]
    assert doc.notes == [note]


def test_reuters_credit_line():
    credit = "Reporting by Jane Doe; Editing by John Roe"
    doc = clean_text(article("A Title", body=(EN_LEAD, EN_BODY, credit)))
    assert doc.paragraphs == [EN_LEAD, EN_BODY]
    assert doc.credits == [credit]


@pytest.mark.parametrize(
    ("header", "title", "date"),
    [
        ((" date 2022-01 Ein Titel ohne Punkt",), "Ein Titel ohne Punkt", "2022-01"),
        (("Kicker Der Titel Stand: 26.01.2022 19:50 Uhr",), "Kicker Der Titel", "2022-01-26T19:50"),
        ((" date 2022-01 Kicker Der Titel Stand: 09.01.2022 17:17 Uhr",), "Kicker Der Titel", "2022-01-09T17:17"),
        (("Der Titel", "Aktualisiert am 12.03.2022, 08:15 Uhr"), "Der Titel", "2022-03-12T08:15"),
        (("The Title", "Updated: January 10, 2022 10:53 PM ET"), "The Title", "2022-01-10T22:53"),
        (("Dachzeile", "Der Titel", "10. Jänner 2022, 22:53"), "Der Titel", "2022-01-10T22:53"),
    ],
)
def test_header_styles(header, title, date):
    doc = clean_text(article(*header))
    assert doc.title == title
    assert doc.date == date
    assert doc.paragraphs == [LEAD, BODY]


def test_kicker_line():
    doc = clean_text(article("Dachzeile", "Der Titel", "Von Max Muster, Hamburg"))
    assert (doc.kicker, doc.title) == ("Dachzeile", "Der Titel")


def test_lead_in_header_line_is_body_and_no_title():
    doc = clean_text(article(" date 2022-01 " + LEAD, body=(BODY,)))
    assert doc.title is None
    assert doc.date == "2022-01"
    assert doc.paragraphs == [LEAD, BODY]


def test_no_title_when_first_line_is_prose():
    doc = clean_text(article(body=(LEAD, BODY)))
    assert doc.title is None
    assert doc.paragraphs == [LEAD, BODY]


@pytest.mark.parametrize(
    "text",
    ["Kurzmeldung aus Berlin", "Kurzmeldung aus Berlin\n\nStand: 10.01.2022 22:53 Uhr", "Dachzeile\n\nKurzmeldung"],
)
def test_title_like_lines_with_no_body_below_are_the_body(text):
    """A title stands above a body: taking the only lines there are for the header would leave an
    empty document, and a body of one short line would not clean to itself."""
    doc = clean_text(text)
    assert doc.title is None and doc.kicker is None
    assert doc.paragraphs == [line for line in text.split("\n\n") if not line.startswith("Stand:")]
    assert clean_text(doc.text).paragraphs == doc.paragraphs


def test_title_is_not_left_in_body():
    doc = clean_text(article("Der Titel", "Der Titel"))
    assert doc.title == "Der Titel"
    assert "Der Titel" not in doc.paragraphs


def test_every_line_accounted_for():
    raw = article("Foto: dpa", "Dachzeile", "Der Titel", "Von Max Muster", "Stand: 10.01.2022 22:53 Uhr")
    doc = clean_text(raw)
    lines = {i for i, line in enumerate(raw.split("\n"), start=1) if line.strip()}
    assert lines == set(doc.paragraph_lines) | set(doc.joined_lines) | {r.line for r in doc.removals}


def test_role_line_under_byline_and_lone_date_label():
    doc = clean_text(
        article(
            "The Title", "By Jane Doe", "BBC News, Washington", "Published", "10 January 2022", body=(EN_LEAD, EN_BODY)
        )
    )
    assert doc.title == "The Title"
    assert doc.authors == ["Jane Doe"]
    assert doc.date == "2022-01-10"
    assert doc.paragraphs == [EN_LEAD, EN_BODY]


def test_source_list_credits_only_agencies():
    doc = clean_text(article("Ein Titel", body=(LEAD, BODY, "Quelle: ZEIT ONLINE, dpa, AFP, dab")))
    assert doc.agencies == ["dpa", "AFP"]
    assert doc.paragraphs == [LEAD, BODY]


@pytest.mark.parametrize(
    "prose",
    [
        "Von Berlin nach Hamburg",
        "Anzeige erstattete am Abend die Mutter des Jungen bei der Polizei in Kassel.",
        "Zum Thema Klimaschutz äußerte sich der Minister nicht",
        "Related to this, the council also voted on the budget for next year",
        "Share prices fell sharply after the announcement",
        "By the end of the year the harbour will reopen",
    ],
)
def test_prose_that_looks_like_a_rule_is_kept(prose):
    doc = clean_text(article("Ein Titel", body=(LEAD, prose, BODY)))
    assert prose in doc.paragraphs
