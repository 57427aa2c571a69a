"""The five real raw files in ../shared/seeds/, with their expected result written by hand."""

from __future__ import annotations

import pytest

from cleaner import clean_text
from cleaner.io.decode import decode_bytes

# file stem -> title, date, paragraph count, first-paragraph start, last-paragraph end, agencies
EXPECTED = {
    "000_306431de50191b75": (
        'US-Vizeaußenministerin: Werden niemandem erlauben, "die offenen Türen der NATO zuzuschlagen"',
        "2022-01",
        11,
        "Nach den Gesprächen in Genf hat Washington",
        "über die geforderten Sicherheitsgarantien fortsetzen.",
        [],
    ),
    "001_8b6b6a61a47f2b50": (
        "Treffen mit Russland USA wollen keine Garantien geben",
        "2022-01-10T22:53",
        16,
        "Ein Angebot zu Abrüstungsgesprächen",
        "(OSZE) in Wien geplant.",
        [],
    ),
    "002_3f44a96254a6d8de": (
        None,
        "2022-01",
        14,
        "Nach ihrem Treffen in Genf wollen die Außenminister",
        "wie die USA diesen Grundsatz einhalten wollten.",
        ["Reuters", "dpa"],
    ),
    "003_05284ddf7004647a": (
        "Ukraine-Krise Die Tür der NATO bleibt offen",
        "2022-01-26T19:50",
        15,
        "Im Ukraine-Konflikt hatte Russland",
        "sei schwer zu bewerten.",
        [],
    ),
    "004_c0e44895cd21100c": (
        "Gespräche zum Ukraine-Konflikt USA fordern Deeskalation Russlands",
        "2022-01-09T17:17",
        15,
        "Vor dem morgigen Treffen mit Russland",
        "den sie der NATO übermittelte.",
        [],
    ),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_seed(shared, stem):
    raw = decode_bytes((shared / "seeds" / f"{stem}.txt").read_bytes(), stem).text
    title, date, n_paras, first, last, agencies = EXPECTED[stem]
    doc = clean_text(raw)
    assert doc.title == title
    assert doc.date == date
    assert doc.paragraphs[0].startswith(first)
    assert doc.paragraphs[-1].endswith(last)
    assert len(doc.paragraphs) == n_paras
    assert sorted(doc.agencies) == sorted(agencies)
    if title is not None:
        assert title not in doc.paragraphs
    assert "\u00a0" not in doc.text
    assert "Stand:" not in doc.text and "date 2022" not in doc.text


def test_seed_comments_and_notes(shared):
    raw = decode_bytes((shared / "seeds" / "001_8b6b6a61a47f2b50.txt").read_bytes(), "001").text
    doc = clean_text(raw)
    assert [c.author for c in doc.comments] == ["DrBeyer"]
    assert doc.comments[0].time == "2022-01-11T00:07"
    assert doc.comments[0].text.startswith("@eine_anmerkung.")
    assert doc.captions == ["Wendy Sherman und Sergej Rjabkow. | picture alliance/dpa/KEYSTONE RE"]
    assert doc.notes and doc.notes[0].startswith("Über dieses Thema berichtete die tagesschau")
    assert not any(p in ("IHRE MEINUNG", "KOMMENTARE", "Avatar") for p in doc.paragraphs)
    kinds = {r.kind for r in doc.removals}
    assert {"caption", "title", "date", "broadcast", "comment", "comment_meta"} <= kinds


def test_seed_lead_in_header_stays_in_body(shared):
    raw = decode_bytes((shared / "seeds" / "002_3f44a96254a6d8de.txt").read_bytes(), "002").text
    doc = clean_text(raw)
    assert doc.title is None
    assert not doc.paragraphs[0].startswith("date")
    assert any(r.kind == "agency" and r.text == "(mit Reuters/dpa)" for r in doc.removals)
