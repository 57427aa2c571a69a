"""Properties of cleaning over generated input: never crash, account for every line, idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import clean_text
from cleaner.clean.textfix import fix_text

VOCABULARY = (
    "der die das Regierung Stadt Bericht sagte am Montag neue Pläne für den Hafen the council said "
    "on Monday plans harbour „Zitat“ – 2022 10.01.2022 Uhr Kommentar Reuters dpa (AFP) Foto: | € ß"
)
WORDS = st.sampled_from(VOCABULARY.split())
SENTENCE = st.lists(WORDS, min_size=6, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
SUBHEAD = st.lists(WORDS, min_size=2, max_size=5).map(lambda ws: " ".join(ws).capitalize())
NOISE = st.sampled_from(
    [
        "Stand: 10.01.2022 22:53 Uhr",
        "Von Max Muster, Berlin",
        "By Jane Doe | Reuters",
        "Quelle: dpa, AFP",
        "Bild: picture alliance/dpa",
        "Image source, Getty Images",
        "Über dieses Thema berichtete die tagesschau am 10. Januar 2022 um 17:00 Uhr.",
        "Jetzt weiterlesen für 0,99 € im ersten Monat",
        "Reporting by Jane Doe; Editing by John Roe",
        " date 2022-01 Ein Titel",
    ]
)
COMMENTS = st.sampled_from(
    [
        "",
        "KOMMENTARE\n\nAvatar\nnutzer 11.01.2022 • 00:07 Uhr\n\nEin Kommentar.",
        "Comments (3)\n\nreader · 2h ago\nGood piece.",
        "12 Postings\nleser\n25. Juni 2016, 18:47:00\nText.",
    ]
)


@st.composite
def articles(draw) -> str:
    header = draw(st.lists(st.one_of(SUBHEAD, NOISE), max_size=4))
    body = [draw(PARAGRAPH), *draw(st.lists(st.one_of(PARAGRAPH, PARAGRAPH, SUBHEAD, NOISE), max_size=6))]
    return "\n\n".join([*header, *body, draw(COMMENTS)])


def accounted(raw: str, doc) -> bool:
    """Every non-blank line of the repaired input is in the body or in a removal record."""
    fixed, _ = fix_text(raw)
    lines = {i for i, line in enumerate(fixed.split("\n"), start=1) if line.strip()}
    return lines == set(doc.paragraph_lines) | set(doc.joined_lines) | {r.line for r in doc.removals}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_random_text_never_crashes_and_every_line_is_accounted_for(raw):
    doc = clean_text(raw)
    assert isinstance(doc.text, str)
    assert accounted(raw, doc)


@settings(max_examples=300, deadline=None)
@given(articles())
def test_generated_articles_account_for_every_line(raw):
    doc = clean_text(raw)
    assert accounted(raw, doc)
    assert len(doc.paragraph_lines) == len(doc.paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=3), st.lists(st.one_of(PARAGRAPH, SUBHEAD), max_size=5))
# Found by hypothesis in CI: the prose line above a bare credit is its caption, the next line the
# title, and the body left is one short line, which a second cleaning took for a title.
@example(first=["Der der der der der der der der der der der der."], rest=["Foto: der", "Der der der der", "Der der"])
def test_cleaning_a_cleaned_body_changes_nothing(first, rest):
    doc = clean_text("\n\n".join(first + rest))
    again = clean_text(doc.text)
    assert again.paragraphs == doc.paragraphs
    assert again.title is None
