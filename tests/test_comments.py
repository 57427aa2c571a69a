"""Comment sections: found in their several shapes, exported, and not confused with prose."""

from __future__ import annotations

import pytest

from cleaner import clean_text

LEAD = "Der erste Absatz erzählt, was geschah, und er ist lang genug, um als Fließtext zu gelten."
BODY = "Ein zweiter Absatz mit weiteren Einzelheiten, Zitaten und Zahlen aus der Stadt."


def doc_with(tail: str):
    return clean_text(f"Der Titel\n\n{LEAD}\n\n{BODY}\n\n{tail}\n")


def test_tagesschau_shape():
    doc = doc_with(
        "IHRE MEINUNG\n\nKOMMENTARE\n\nAvatar\nnutzer_1 11.01.2022 • 00:07 Uhr\n\nErster Kommentar.\n\n"
        "Avatar\nnutzer_2 11.01.2022 • 09:15 Uhr\n\nZweiter Kommentar."
    )
    assert doc.paragraphs == [LEAD, BODY]
    assert [(c.author, c.time, c.text) for c in doc.comments] == [
        ("nutzer_1", "2022-01-11T00:07", "Erster Kommentar."),
        ("nutzer_2", "2022-01-11T09:15", "Zweiter Kommentar."),
    ]


def test_standard_shape_author_and_time_on_own_lines():
    doc = doc_with(
        "129 Postings\nleser.eins\n25. Juni 2016, 18:47:00\nText eins.\nLeserin2\n25. Juni 2016, 20:32:00\nText zwei."
    )
    assert doc.paragraphs == [LEAD, BODY]
    assert [(c.author, c.time, c.text) for c in doc.comments] == [
        ("leser.eins", "2016-06-25T18:47", "Text eins."),
        ("Leserin2", "2016-06-25T20:32", "Text zwei."),
    ]


def test_english_relative_times():
    doc = clean_text(
        "The Title\n\nThe first paragraph tells what happened, and it is long enough to count.\n\n"
        "Comments (12)\n\nreader_one · 2h ago\nGreat reporting.\n\nreader_two · 5h ago\nI disagree."
    )
    assert doc.paragraphs == ["The first paragraph tells what happened, and it is long enough to count."]
    assert [(c.author, c.time, c.text) for c in doc.comments] == [
        ("reader_one", None, "Great reporting."),
        ("reader_two", None, "I disagree."),
    ]


def test_headless_section_starts_at_first_meta_line():
    doc = doc_with("Bergfex61 heute, 21:23 Uhr\nEin Kommentar.\n\nBodensee 28.02.2015, 02:42 Uhr\nNoch einer.")
    assert doc.paragraphs == [LEAD, BODY]
    assert [c.author for c in doc.comments] == ["Bergfex61", "Bodensee"]


@pytest.mark.parametrize(
    "prose",
    [
        "In einem Kommentar schrieb die Zeitung, die Kommentare der Leser seien deutlich.",
        "Kommentare",
    ],
)
def test_mentioning_comments_keeps_text(prose):
    doc = clean_text(f"Der Titel\n\n{LEAD}\n\n{prose}\n\n{BODY}\n")
    assert prose in doc.paragraphs
    assert doc.comments == []


def test_comment_lines_all_recorded():
    doc = doc_with("Leserkommentare\n\nnutzer 11.01.2022 • 00:07 Uhr\n\nText.")
    assert {r.text for r in doc.removals if r.kind.startswith("comment")} == {
        "Leserkommentare",
        "nutzer 11.01.2022 • 00:07 Uhr",
        "Text.",
    }


@pytest.mark.parametrize(
    ("date_line", "iso"),
    [("Aktualisiert 26.10.2021, 22.50 Uhr", "2021-10-26T22:50"), ("So., 19.07.2020, 09:54 Uhr", "2020-07-19T09:54")],
)
def test_a_date_line_under_the_lead_is_the_date_not_a_headless_comment_section(date_line, iso):
    # Shaped like "author time" (one word, then a date and time), and a real section with such
    # lines follows; but the line parses as a date as a whole: a label or weekday, no commenter.
    doc = clean_text(
        f"Der Titel\n\n{LEAD}\n\n{date_line}\n\n{BODY}\n\n"
        "Bergfex61 heute, 21:23 Uhr\nEin Kommentar.\n\nBodensee 28.02.2015, 02:42 Uhr\nNoch einer."
    )
    assert doc.paragraphs == [LEAD, BODY]
    assert doc.date == iso
    assert [c.author for c in doc.comments] == ["Bergfex61", "Bodensee"]
