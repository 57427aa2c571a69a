"""Hard-wrapped text (wire feeds, older corpora) is rejoined into its paragraphs; other text is not touched.

The articles here are written for the tests: wrapped at a fixed width the way wire services and
mail archives do, with paragraphs marked by an indented first line or by a blank line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import clean_text, explain
from cleaner.clean.boilerplate import observe, strip_learned
from cleaner.clean.textfix import fix_text
from cleaner.clean.unwrap import unwrap
from cleaner.cli import app

# An English wire story: capital headline, a first line left short, paragraphs indented, figures
# in a table, a sign-off.
WIRE = """\
HARBOUR AUTHORITY RAISES FEES
The Severnside harbour authority said
it would raise mooring fees by eight pct from April to pay for
repairs to the north pier, which was damaged in the January
storms.
    The authority said the increase was the first in four years.
Shipping agents said the rise was smaller than they had feared
and would not drive traffic to rival ports.
    Fees for the main berths were set as follows -
    Berth       Old fee      New fee
    North       1,200        1,296
    South         950        1,026
    The authority also said it would review its long-
term investment plan in the autumn.
 Wire
"""

WIRE_PARAGRAPHS = [
    "The Severnside harbour authority said it would raise mooring fees by eight pct from April to pay "
    "for repairs to the north pier, which was damaged in the January storms.",
    "The authority said the increase was the first in four years. Shipping agents said the rise was "
    "smaller than they had feared and would not drive traffic to rival ports.",
    "Fees for the main berths were set as follows -",
    "Berth       Old fee      New fee",
    "North       1,200        1,296",
    "South         950        1,026",
    "The authority also said it would review its long-term investment plan in the autumn.",
    "Wire",
]

# A German article from a mail archive: title, date line, paragraphs set apart by blank lines.
ARCHIV = """\
Neue Pläne für den Hafen
Stand: 10.01.2022 22:53 Uhr

Der Stadtrat hat am Montag neue Pläne für den Hafen vorgestellt,
die viele Fragen offen lassen. Die Opposition kritisierte das
Vorhaben scharf und verlangte eine Abstimmung der Bürger am
18. September über die Zukunft des Rhein-
Main-Gebiets und über die Ein-
und Ausfuhr von Waren.

Nach Angaben der Stadt sollen die Arbeiten im Frühjahr beginnen
und drei Jahre dauern. Die Kosten werden auf rund 40 Millionen
Euro geschätzt, die zur Hälfte das Land tragen soll. (dpa)
"""

ARCHIV_PARAGRAPHS = [
    "Der Stadtrat hat am Montag neue Pläne für den Hafen vorgestellt, die viele Fragen offen lassen. "
    "Die Opposition kritisierte das Vorhaben scharf und verlangte eine Abstimmung der Bürger am "
    "18. September über die Zukunft des Rhein-Main-Gebiets und über die Ein- und Ausfuhr von Waren.",
    "Nach Angaben der Stadt sollen die Arbeiten im Frühjahr beginnen und drei Jahre dauern. Die Kosten "
    "werden auf rund 40 Millionen Euro geschätzt, die zur Hälfte das Land tragen soll.",
]


def lines_of(raw: str) -> set[int]:
    fixed, _ = fix_text(raw)
    return {i for i, line in enumerate(fixed.split("\n"), start=1) if line.strip()}


def accounted(raw: str, doc) -> set[int]:
    return set(doc.paragraph_lines) | set(doc.joined_lines) | {r.line for r in doc.removals}


def test_an_english_wire_story_gets_its_headline_as_title_and_its_paragraphs_back() -> None:
    doc = clean_text(WIRE)

    assert doc.title == "HARBOUR AUTHORITY RAISES FEES" and doc.kicker is None
    assert doc.paragraphs == WIRE_PARAGRAPHS
    assert doc.paragraph_lines == [2, 6, 9, 10, 11, 12, 13, 15], "each paragraph is where it starts"
    assert doc.joined_lines == [3, 4, 5, 7, 8, 14]
    assert accounted(WIRE, doc) == lines_of(WIRE)
    assert [(r.line, r.kind) for r in doc.removals] == [(1, "title")], "a join is not a removal"


def test_a_german_archive_article_with_blank_lines_between_paragraphs() -> None:
    doc = clean_text(ARCHIV)

    assert (doc.title, doc.date, doc.agencies) == ("Neue Pläne für den Hafen", "2022-01-10T22:53", ["dpa"])
    assert doc.paragraphs == ARCHIV_PARAGRAPHS
    assert doc.paragraph_lines == [4, 11]
    assert accounted(ARCHIV, doc) == lines_of(ARCHIV)
    (credit,) = [r for r in doc.removals if r.kind == "agency"]
    assert (credit.line, credit.text) == (13, "(dpa)"), "a credit cut from a joined paragraph names its own line"


def test_a_rule_that_removes_a_joined_paragraph_records_each_input_line() -> None:
    footer = "Mehr zum Thema lesen Sie in unserem Dossier über die Pläne der\nStadt für den Hafen und die Brücke.\n"
    raw = ARCHIV + "\n" + footer
    doc = clean_text(raw, config={"rules": {"custom": {"footer": ["^Mehr zum Thema .*$"]}}})

    assert doc.paragraphs == ARCHIV_PARAGRAPHS
    assert [(r.line, r.rule, r.text) for r in doc.removals if r.kind == "boilerplate"] == [
        (15, "custom.footer[0]", "Mehr zum Thema lesen Sie in unserem Dossier über die Pläne der"),
        (16, "custom.footer[0]", "Stadt für den Hafen und die Brücke."),
    ]
    assert accounted(raw, doc) == lines_of(raw)


LEAD = (
    "Bei der Gedenkfeier am Sonntag las die Bürgermeisterin vor mehreren hundert Gästen ein Gedicht vor, das "
    "ein Schüler der Stadt für den Anlass geschrieben hatte, und dankte den Helfern der Flutnacht."
)
ARTICLE_WITH_VERSE = f"""\
Gedenkfeier am Hafen

{LEAD}

Die Nacht war lang, das Wasser stieg,
die Stadt hielt still, der Hafen schwieg.
Am Morgen stand das Ufer leer,
doch keiner war allein im Meer.

Die Feier endete mit einer Schweigeminute für die Opfer, deren Namen auf einer neuen Tafel am Kai stehen.
"""

LIST_ARTICLE = """\
What the new budget means
The council published the main points of its budget for next year on Tuesday evening:
Bus fares stay at last year's level for all adult passengers
Libraries open on Sundays from the first of April onwards
Street lighting is replaced with lamps that use less power
The harbour gets a new ferry for the crossing to the island
"""


def test_short_lines_that_are_not_wrapped_stay_as_they_are() -> None:
    for raw in (ARTICLE_WITH_VERSE, LIST_ARTICLE):
        doc = clean_text(raw)
        unwrapped_off = clean_text(raw, config={"text": {"unwrap": False}})
        assert doc.paragraphs == unwrapped_off.paragraphs and doc.title == unwrapped_off.title
        assert doc.joined_lines == []
    assert "Die Nacht war lang, das Wasser stieg," in clean_text(ARTICLE_WITH_VERSE).paragraphs
    assert "Libraries open on Sundays from the first of April onwards" in clean_text(LIST_ARTICLE).paragraphs


def test_verse_and_headline_lists_are_not_taken_for_wrapped_text() -> None:
    verse = (
        "Continuous as the stars that shine and twinkle on the milky way,\n"
        "They stretched in never-ending line along the margin of a bay:\n"
        "Ten thousand saw I at a glance, tossing their heads in sprightly dance.\n"
        "The waves beside them danced; but they out-did the sparkling waves in glee:\n"
    )
    headlines = (
        "More stories\n"
        "Stocks fall as oil prices rise for the third day in a row\n"
        "Bank of England holds interest rates at record low level\n"
        "Storm leaves thousands of homes without power in the north\n"
    )
    comments = (
        "Avatar\nnutzer_1 11.01.2022 • 00:07 Uhr\n\nErster Kommentar.\n\nAvatar\nnutzer_2 11.01.2022 • 09:15 Uhr\n"
    )
    for raw in (verse, headlines, comments):
        assert unwrap(raw.split("\n")).pieces == {}, raw


def test_unwrap_can_be_turned_off() -> None:
    doc = clean_text(WIRE, config={"text": {"unwrap": False}})
    assert "it would raise mooring fees by eight pct from April to pay for" in doc.paragraphs
    assert doc.joined_lines == []


def test_explain_shows_joined_lines_as_body(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")

    fates = {f.line: (f.fate, f.rule) for f in explain(path)}
    assert fates[2] == ("body", None) and fates[3] == ("body", "unwrap.joined")
    assert fates[1] == ("title", "header.title") and fates[10] == ("body", None)
    result = CliRunner().invoke(app, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "   3  body (unwrap.joined)" in result.stdout


def test_learned_boilerplate_leaves_joined_paragraphs_alone() -> None:
    docs = [clean_text(ARCHIV, doc_id=f"d{i}") for i in range(6)]
    for i, doc in enumerate(docs):  # a short line recurring between different neighbours
        doc.paragraphs.insert(1, "Folgen Sie uns")
        doc.paragraph_lines.insert(1, 100)
        doc.paragraphs.append(f"Ein eigener Schluss Nummer {'x' * i}.")
        doc.paragraph_lines.append(101)
    observations = observe(docs, 200)
    assert len(observations.doc_lines) == 6 * 2, "the joined paragraphs are not counted"
    strip_learned(docs, frozenset(observations.doc_lines.tolist()), 200)
    assert all(doc.paragraphs[:2] == ARCHIV_PARAGRAPHS for doc in docs)


WORDS = st.sampled_from(["the", "council", "said", "on", "monday", "that", "plans", "for", "harbour", "costly,"])
PARAGRAPH = st.lists(WORDS, min_size=25, max_size=60).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(st.lists(PARAGRAPH, min_size=2, max_size=5), st.integers(50, 90), st.booleans())
def test_any_text_wrapped_at_any_width_is_restored(paragraphs: list[str], width: int, indented: bool) -> None:
    if indented:
        raw = "\n".join(textwrap.fill(p, width, initial_indent="    ") for p in paragraphs)
    else:
        raw = "\n\n".join(textwrap.fill(p, width) for p in paragraphs)

    doc = clean_text(raw)

    assert doc.paragraphs == paragraphs
    assert accounted(raw, doc) == lines_of(raw)
