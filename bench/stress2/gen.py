#!/usr/bin/env python3
"""Second stress set for `cleaner`: real article bodies in outlet layouts that neither devbench nor
bench/stress uses, as a blind test of whether the cleaning rules generalise to unseen sites.

    python3 bench/stress2/gen.py [--n 240] [--seed 11] [--out /tmp/stress2]
    cleaner run /tmp/stress2/raw --out /tmp/stress2/out
    python3 /work/shared/devbench/score.py --truth /tmp/stress2 --out /tmp/stress2/out

Writes OUT/raw/NNNNNN_<hex>.txt and OUT/truth.jsonl in devbench's truth format (one story per file,
like bench/stress/gen.py). The corpus loaders, the document builder, the name and caption lists and the
damage (mojibake, cp1252, BOM, NBSP, CRLF at devbench's rates) are imported from bench/stress/gen.py;
article text and reader comments are read from /work/shared/corpus at run time and never copied.

Styles (German): tagesspiegel, handelsblatt, dw (Deutsche Welle), taz, focus, stern, nzz, kleine
(Kleine Zeitung, Austria), regional (NRW regional paper with dpa/lnw wire copy);
(English): aljazeera, independent, npr, abc_au (ABC News, Australia).

Noise kinds: kicker, date, byline, caption, nav, promo, related, agency, credit, tags, footer,
correction, broadcast, comment_meta, comment. Agencies glued to the last body paragraph, such as
"... sagte er. (dpa)", are recorded like devbench's "(mit dpa)": the paragraph without the credit is
body, the credit is an `agency` noise item. Datelines that open the first paragraph ("BERLIN taz | ",
"Düsseldorf (dpa/lnw) - ") stay body text, and their agency counts as credited.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import re
import string
import sys
from pathlib import Path


def _load_base():
    """bench/stress/gen.py as module `stress_gen` (loaded by path: this file is also called gen.py)."""
    path = Path(__file__).resolve().parents[1] / "stress" / "gen.py"
    spec = importlib.util.spec_from_file_location("stress_gen", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["stress_gen"] = mod
    spec.loader.exec_module(mod)
    return mod


base = _load_base()
Doc = base.Doc

DE_FEMALE = {
    "Anna",
    "Julia",
    "Katharina",
    "Lena",
    "Sabine",
    "Friederike",
    "Özlem",
    "Ulrike",
    "Marie-Luise",
    "Ines",
    "Gülsen",
    "Henrike",
    "Clara",
}
CAPTION_DE = [
    *base.CAPTION_DE,
    "Der Bundestag in Berlin",
    "Pendler auf einem Bahnsteig",
    "Ein Windrad auf einem Feld",
    "Blick auf das Gerichtsgebäude",
    "Eine Baustelle an der Autobahn",
    "Die Delegationen vor Beginn der Gespräche",
]
CAPTION_EN = [
    *base.CAPTION_EN,
    "Police stand guard outside the building",
    "A man walks past a closed shop",
    "Cargo containers are stacked at the port",
    "Supporters wave flags at a rally",
]
EN_COMMENTS = [
    *base.EN_COMMENTS,
    "Good to see this being reported at last.",
    "I'd take these forecasts with a large pinch of salt.",
    "Who exactly benefits from this decision?",
]
NRW_TOWNS = ["Düsseldorf", "Köln", "Münster", "Bielefeld", "Dortmund", "Essen", "Aachen", "Bochum", "Duisburg"]
DPA_REGIONAL = ["lnw", "lnw", "lnw", "lby", "lsw", "lni", "lhe", "lrs", "lno", "lbn"]  # dpa Landesdienste
_EN_HANDLES = {"northerner501", "laura_davis", "reader958", "JohnQPublic", "sceptic_in_leeds", "PennyLane"}
_EN_HANDLES |= {"OldGrumpy", "tx_rancher", "Marcus", "hoosier88"}
DE_HANDLES = [h for h in base.HANDLES if h not in _EN_HANDLES]
EN_HANDLES = [h for h in base.HANDLES if h in _EN_HANDLES] + ["cardiff_calling", "ElaineB", "northern_monkey"]
_DATELINE = re.compile(r"^[A-ZÄÖÜ][\w./()' -]{1,40}? (?:–|-|—|\|) ")


# ---------------------------------------------------------------------------------- helpers
def de_person(rng) -> tuple[str, bool]:
    """A German name and whether the first name is female (for Korrespondent/-in, Herr/Frau)."""
    first = rng.choice(base.DE_FIRST)
    return f"{first} {rng.choice(base.DE_LAST)}", first in DE_FEMALE


def short_name(name: str) -> str:
    """'Kay Nietfeld' -> 'K. Nietfeld' (DW's photo credits)."""
    first, _, last = name.partition(" ")
    return f"{first[0]}. {last}"


def related(rng, pool, k, own) -> list[str]:
    """k distinct titles of other articles for teaser boxes."""
    out: list[str] = []
    while len(out) < k:
        t = rng.choice(pool)["title"]
        if t != own and t not in out:
            out.append(t)
    return out


def mid(rng, n, lo=1):
    """Index of a paragraph to insert before (not the first), or None if the body is too short."""
    return rng.randint(lo, n - 1) if n > lo + 1 else None


def put(ins, pos, *items):
    """Queue noise items (text, kind, sep) before body paragraph pos."""
    if pos is not None:
        ins.setdefault(pos, []).extend(items)


def captions(rng, ins, n, k, make, sep="\n\n"):
    """k captions (each a list of lines from make()) between body paragraphs."""
    for p in base.mid_positions(rng, n, k):
        lines = make()
        put(ins, p, (lines[0], "caption", sep), *[(x, "caption", "\n") for x in lines[1:]])


def lines(d: Doc, texts, kind, first_sep="\n\n"):
    """A block of noise lines: the first after a blank line, the rest on the following lines."""
    for i, t in enumerate(texts):
        d.noise(t, kind, first_sep if i == 0 else "\n")


def glue(d: Doc, text, *agencies):
    """An agency credit glued to the last body paragraph with a space, as in '... sagte er. (dpa)'."""
    assert d.items and d.items[-1][1] == "body", "a glued credit must follow a body paragraph"
    d.agency(*agencies)
    d.noise(text, "agency", " ")


def dateline(body, idx, prefix) -> bool:
    """Put a dateline before paragraph idx unless it already opens with one."""
    if _DATELINE.match(body[idx]):
        return False
    body[idx] = prefix + body[idx]
    return True


def comments(rng, d: Doc, ctx, header, meta, after=None, lang="de"):
    """A comment section: header lines, then 2-6 comments, each meta lines, text, action lines.

    German comments are real reader comments from the corpus; English ones are short written ones.
    """
    lines(d, header, "comment_meta")
    k = rng.randint(2, 6)
    d.n_comments = k
    for _ in range(k):
        t = d._date + dt.timedelta(minutes=rng.randint(20, 3000))
        lines(d, meta(t), "comment_meta")
        paras = rng.choice(ctx["cpool"])["paras"] if lang == "de" else [rng.choice(EN_COMMENTS)]
        for pi, p in enumerate(paras):
            d.noise(p, "comment", "\n" if pi == 0 else "\n\n")
        if after:
            lines(d, after(), "comment_meta")


def ago_de(rng):
    return rng.choice([f"vor {rng.randint(2, 11)} Stunden", f"vor {rng.randint(5, 55)} Minuten", "vor 1 Stunde"])


def en_day(t, long=False):
    """'22 Nov 2022', or '22 November 2022' with long."""
    return f"{t.day} {(base.MONTH_EN if long else base.MON_EN)[t.month - 1]} {t.year}"


def ampm(t):
    """'5:30am', as ABC News (Australia) writes times."""
    h = t.hour % 12 or 12
    return f"{h}:{t.minute:02d}{'am' if t.hour < 12 else 'pm'}"


def uk_tz(t):
    return "BST" if 4 <= t.month <= 10 else "GMT"


# ---------------------------------------------------------------------------------- German styles
def style_tagesspiegel(rng, art, d: Doc, show_title, ctx):
    """Der Tagesspiegel (Berlin): Ressort line, Dachzeile, "Tagesspiegel Plus", "Von A und B",
    "10.01.2023, 18:24 Uhr" (+ "Aktualisiert am ..."), "Artikel anhören" player, captions
    "Caption. © dpa/Name", Checkpoint/Bezirke newsletter box, "Mehr zum Thema" box, "(dpa)" glued to
    the last paragraph, "Zur Startseite", comments with user name and "vor 3 Stunden"."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.3:
        d.noise(rng.choice(["Politik", "Berlin", "Wirtschaft", "Internationales", "Gesellschaft", "Wissen"]), "nav")
    if show_title:
        if rng.random() < 0.6:
            d.kicker = base.kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
        if rng.random() < 0.2:
            d.noise(rng.choice(["Tagesspiegel Plus", "T+"]), "promo", "\n")
    d.add(body[0], "body")
    r = rng.random()
    if r < 0.55:
        d.authors = [base.de_name(rng)]
    elif r < 0.7:
        d.authors = [base.de_name(rng), base.de_name(rng)]
    if d.authors:
        d.noise("Von " + base.names_join_de(d.authors), "byline")
    sep = "\n" if d.authors else "\n\n"
    up = date + dt.timedelta(minutes=rng.randint(25, 900))
    r = rng.random()
    if r < 0.8:
        d.noise(f"{date:%d.%m.%Y}, {date:%H:%M} Uhr", "date", sep)
        if r >= 0.5:
            d.noise(f"Aktualisiert am {up:%d.%m.%Y}, {up:%H:%M} Uhr", "date", "\n")
    else:
        d.noise(f"Aktualisiert am {date:%d.%m.%Y}, {date:%H:%M} Uhr", "date", sep)
    d.date = base.iso_min(date)
    if rng.random() < 0.35:
        d.noise("Artikel anhören", "nav")
        if rng.random() < 0.5:
            d.noise(
                "Diese Audioversion wurde künstlich erzeugt. Wir entwickeln dieses Angebot stetig weiter.", "nav", "\n"
            )
        else:
            d.noise(f"{rng.randint(1, 9)}:{rng.randint(0, 59):02d} Min.", "nav", "\n")
    if rng.random() < 0.4:
        lines(d, rng.sample(["Teilen", "Merken", "Kommentieren", "Drucken", "Link kopieren"], rng.randint(1, 3)), "nav")

    def cap():
        who = base.de_name(rng)
        cred = rng.choice([f"dpa/{who}", f"IMAGO/{who}", f"Getty Images/{who}", f"Tagesspiegel/{who}", "IMAGO"])
        return [f"{rng.choice(CAPTION_DE)}. {'©' if rng.random() < 0.75 else 'Foto:'} {cred}"]

    if rng.random() < 0.65:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.3:
        put(
            ins,
            mid(rng, len(rest)),
            *[
                (t, "promo", "\n\n" if i == 0 else "\n")
                for i, t in enumerate(
                    rng.choice(
                        [
                            [
                                "Tagesspiegel Checkpoint: Berlins beliebtester Newsletter",
                                "Der schnellste Weg zu den wichtigsten Nachrichten aus der Hauptstadt.",
                                "Kostenlos bestellen",
                            ],
                            [
                                "Mehr aus Ihrem Bezirk",
                                "Die Tagesspiegel-Bezirksnewsletter gibt es kostenlos unter leute.tagesspiegel.de",
                            ],
                        ]
                    )
                )
            ],
        )
    if rng.random() < 0.35:
        head = rng.choice(["Mehr zum Thema", "Lesen Sie mehr bei Tagesspiegel Plus:", "Mehr zum Thema bei T+"])
        rel = related(rng, ctx["de"], rng.randint(1, 3), art["title"])
        put(ins, mid(rng, len(rest)), (head, "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    base.emit_body(d, rest, ins)
    if not d.authors or rng.random() < 0.2:
        r = rng.random()
        ag = rng.choice([["dpa"], ["AFP"], ["dpa", "AFP"], ["Reuters"], ["epd"], ["KNA"], ["dpa", "Reuters"]])
        if r < 0.6:
            glue(d, "(" + ", ".join(ag) + ")", *ag)
        elif r < 0.8:
            d.agency(*ag)
            d.noise("mit " + ", ".join(ag), "agency")
    if rng.random() < 0.4:
        d.noise("Zur Startseite", "nav")
    if rng.random() < 0.3:
        d.noise("Themen", "tags")
        lines(d, rng.sample(["Berlin", "SPD", "CDU", "Die Grünen", "Wirtschaft", "Klimawandel", "Russland"], 3), "tags")
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice(["Kommentare", f"{rng.randint(2, 400)} Kommentare", "Leserkommentare"])]
            + (["Neuen Kommentar verfassen"] if rng.random() < 0.4 else []),
            lambda t: [
                rng.choice(DE_HANDLES) + (str(rng.randint(1, 99)) if rng.random() < 0.4 else ""),
                rng.choice([ago_de(rng), f"{t:%d.%m.%Y}, {t:%H:%M} Uhr"]),
            ],
            lambda: rng.sample(["Antworten", "Melden", f"{rng.randint(1, 60)} Zustimmungen"], rng.randint(1, 2)),
        )


def style_handelsblatt(rng, art, d: Doc, show_title, ctx):
    """Handelsblatt: Ressort line, "Premium" badge, "Kicker: Title" or kicker line, "Von A" / "A, B",
    "14.02.2023 - 17:32 Uhr" (+ "Update: ..."), share icons, captions "Caption. Bild: dpa",
    "Lesen Sie auch: <title>", Morning-Briefing newsletter, "Anzeige", "FRANKFURT (dpa-AFX) - " wire
    datelines, "Mit Material von dpa und Reuters.", the closing "Mehr: <title>" line, comments
    signed "Herr/Frau Name"."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.3:
        d.noise(rng.choice(["Unternehmen", "Finanzen", "Politik", "Technologie", "Märkte", "Karriere"]), "nav")
    if rng.random() < 0.2:
        d.noise(rng.choice(["Premium", "Handelsblatt Premium"]), "promo", "\n")
    if show_title:
        r = rng.random()
        kick = base.kicker_from(rng, art["title"], body, "de")
        if r < 0.45:
            d.title = f"{kick}: {art['title']}"
        else:
            if r < 0.75:
                d.kicker = kick
                d.noise(kick, "kicker")
            d.title = art["title"]
        d.add(d.title, "title", "\n")
    wire = rng.random() < 0.2
    if wire and dateline(body, 0, f"{rng.choice(['FRANKFURT', 'BERLIN', 'NEW YORK', 'LONDON'])} (dpa-AFX) - "):
        d.agency("dpa-AFX")
    d.add(body[0], "body")
    r = rng.random()
    if not wire and r < 0.7:
        d.authors = [base.de_name(rng)] if r < 0.45 else [base.de_name(rng), base.de_name(rng)]
        if rng.random() < 0.5:
            d.noise("Von " + base.names_join_de(d.authors), "byline")
        else:
            d.noise(", ".join(d.authors), "byline")
    sep = "\n" if d.authors else "\n\n"
    if rng.random() < 0.8:
        d.noise(f"{date:%d.%m.%Y} - {date:%H:%M} Uhr", "date", sep)
    else:
        d.noise(f"{date:%d.%m.%Y} {date:%H:%M} Uhr", "date", sep)
    d.date = base.iso_min(date)
    if rng.random() < 0.25:
        up = date + dt.timedelta(minutes=rng.randint(30, 600))
        d.noise(f"Update: {up:%d.%m.%Y} - {up:%H:%M} Uhr", "date", "\n")
    if rng.random() < 0.5:
        picks = ["Artikel anhören", "Artikel teilen", "Merken", "Drucken", "Kommentieren", "Artikel verschenken"]
        lines(d, rng.sample(picks, rng.randint(1, 4)), "nav")

    def cap():
        cred = rng.choice(
            ["dpa", "Reuters", "AFP", "Bloomberg", "imago images/Future Image", "picture alliance/dpa", "Getty Images"]
        )
        text = rng.choice(CAPTION_DE)
        r = rng.random()
        if r < 0.3:
            return [f"{text}.", f"Bild: {cred}"]
        if r < 0.75:
            return [f"{text}. Bild: {cred}"]
        return [f"{text}. (Foto: {cred})"]

    if rng.random() < 0.7:
        lines(d, cap(), "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.5:
        lead = rng.choice(["Lesen Sie auch:", "Lesen Sie hier:", "Mehr zum Thema:"])
        put(ins, mid(rng, len(rest)), (f"{lead} {related(rng, ctx['de'], 1, art['title'])[0]}", "related", "\n\n"))
    if rng.random() < 0.3:
        put(
            ins,
            mid(rng, len(rest)),
            ("Handelsblatt Morning Briefing", "promo", "\n\n"),
            ("Der Newsletter für den Start in den Tag: Wirtschaft und Finanzen kompakt.", "promo", "\n"),
            ("Jetzt kostenlos abonnieren", "promo", "\n"),
        )
    if rng.random() < 0.3:
        put(ins, mid(rng, len(rest)), ("Anzeige", "nav", "\n\n"))
    base.emit_body(d, rest, ins)
    r = rng.random()
    if r < 0.3:
        ag = rng.choice([["dpa"], ["Reuters"], ["dpa", "Reuters"], ["dpa", "AFP"], ["Bloomberg"]])
        d.agency(*ag)
        d.noise("Mit Material von " + base.names_join_de(ag) + ".", "agency")
    elif r < 0.45:
        d.noise("Mit Agenturmaterial", "agency")
    if rng.random() < 0.5:
        d.noise(f"Mehr: {related(rng, ctx['de'], 1, art['title'])[0]}", "related")
    if ctx["comments"]:

        def who(t):
            name, fem = de_person(rng)
            return [f"{'Frau' if fem else 'Herr'} {name}", f"{t:%d.%m.%Y}, {t:%H:%M} Uhr"]

        comments(
            rng,
            d,
            ctx,
            [rng.choice([f"Kommentare ({rng.randint(2, 200)})", "Kommentare", "Alle Kommentare anzeigen"])],
            who,
            (lambda: ["Antworten"]) if rng.random() < 0.5 else None,
        )


def style_dw(rng, art, d: Doc, show_title, ctx):
    """Deutsche Welle, German edition (dw.com/de), two page generations.
    Old: topic line, title, captions "Bild: picture-alliance/dpa/K. Nietfeld", initials + agencies
    "kle/pg (dpa, afp, rtr)", footer block "Datum 10.01.2023", "Autorin/Autor Name (mit dpa, afp)",
    "Schlagwörter ...", "Feedback: Schreiben Sie uns!", "Permalink https://p.dw.com/p/4Lm2x".
    New: category kicker, author line, "10.01.2023", captions "Bild: Name/dpa/picture alliance",
    update note "Dieser Artikel wurde um 15:30 Uhr (MEZ) aktualisiert.", "Redaktionsschluss" note,
    "Mehr zum Thema" box. No comments."""
    date = d._date
    body = list(art["body"])
    old = rng.random() < 0.45
    d.sub = "dw_old" if old else "dw_new"
    tz = "MESZ" if 4 <= date.month <= 9 else "MEZ"
    if show_title:
        if rng.random() < 0.7:
            d.kicker = rng.choice(
                ["Politik", "Konflikte", "Deutschland", "Europa", "Wirtschaft", "Gesellschaft", "Umwelt", "Nahost"]
            )
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.add(body[0], "body")
    r = rng.random()
    if r < 0.55:
        d.authors = [base.de_name(rng)]
    elif r < 0.7:
        d.authors = [base.de_name(rng), base.de_name(rng)]
    ag = rng.choice([["dpa", "afp"], ["dpa", "afp", "rtr"], ["afp", "ap"], ["rtr", "dpa"], ["kna", "epd"], ["dpa"]])
    agency_name = {"dpa": "dpa", "afp": "AFP", "rtr": "Reuters", "ap": "AP", "kna": "KNA", "epd": "epd"}
    with_ag = rng.random() < 0.5
    mit = f" (mit {', '.join(ag)})" if with_ag and d.authors else ""
    if not old:
        if d.authors:
            d.noise(" | ".join(d.authors) + (" mit " + ", ".join(ag) if mit else ""), "byline")
        d.noise(f"{date:%d.%m.%Y}", "date", "\n" if d.authors else "\n\n")
        d.date = base.iso_day(date)
        if mit:
            d.agency(*[agency_name[a] for a in ag])

    def cap():
        who = base.de_name(rng)
        if old:
            cred = rng.choice(
                [
                    f"picture-alliance/dpa/{short_name(who)}",
                    f"Reuters/{short_name(who)}",
                    f"Getty Images/AFP/{short_name(who)}",
                ]
            )
        else:
            cred = rng.choice(
                [f"{who}/dpa/picture alliance", f"{who}/REUTERS", f"{who}/AFP", f"{who}/AP/picture alliance"]
            )
        text = rng.choice(CAPTION_DE)
        return [text, f"Bild: {cred}"] if old or rng.random() < 0.5 else [f"{text} Bild: {cred}"]

    if rng.random() < 0.75:
        lines(d, cap(), "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if not old and rng.random() < 0.35:
        rel = related(rng, ctx["de"], rng.randint(1, 2), art["title"])
        put(ins, mid(rng, len(rest)), ("Mehr zum Thema", "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    base.emit_body(d, rest, ins)
    if not mit and (not d.authors or rng.random() < 0.4):
        inis = "/".join(rng.sample(["kle", "pg", "se", "sti", "jj", "uh", "fab", "rb", "ust", "ack"], 2))
        d.agency(*[agency_name[a] for a in ag])
        d.noise(f"{inis} ({', '.join(ag)})", "agency")
    if not old:
        r = rng.random()
        if r < 0.2:
            up = date + dt.timedelta(minutes=rng.randint(30, 600))
            d.noise(f"Dieser Artikel wurde um {up:%H:%M} Uhr ({tz}) aktualisiert.", "footer")
        elif r < 0.3:
            d.noise(
                f"Redaktionsschluss: {rng.randint(16, 23)}.00 Uhr ({tz}). "
                "Dieser Artikel wird nicht weiter aktualisiert.",
                "footer",
            )
        return
    d.noise(f"Datum {date:%d.%m.%Y}", "date")
    d.date = base.iso_day(date)
    if d.authors:
        d.noise("Autorin/Autor " + ", ".join(d.authors) + mit, "byline", "\n")
        if mit:
            d.agency(*[agency_name[a] for a in ag])
    if rng.random() < 0.8:
        tags = rng.sample(
            [
                "Bundesregierung",
                "Europäische Union",
                "Migration",
                "Klimaschutz",
                "Russland",
                "USA",
                "Wirtschaft",
                "Wahlen",
            ],
            3,
        )
        d.noise("Schlagwörter " + ", ".join(tags), "tags", "\n")
    foot = rng.sample(
        ["Teilen Versenden Facebook Twitter Whatsapp", "Feedback: Schreiben Sie uns!", "Drucken Seite drucken"],
        rng.randint(1, 3),
    )
    lines(d, foot, "nav", "\n")
    code = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(5))
    d.noise(f"Permalink https://p.dw.com/p/{code}", "nav", "\n")


def style_taz(rng, art, d: Doc, show_title, ctx):
    """taz (die tageszeitung): "Politik | Deutschland" line, Dachzeile, lead, "Von Name",
    "10. 1. 2023, 18:42 Uhr", captions "Caption Foto: Name/dpa", "BERLIN taz | " or "BERLIN dpa/afp | "
    dateline opening the text, "taz zahl ich" box, "Mehr zum Thema", footer "Fehler auf taz.de entdeckt?",
    author bio (name, role, short bio), "Themen #Tag", Leser*innenkommentare."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.35:
        d.noise(
            rng.choice(["Politik | Deutschland", "Politik | Europa", "Öko | Klima", "Gesellschaft | Alltag", "Berlin"]),
            "nav",
        )
    if show_title:
        if rng.random() < 0.75:
            d.kicker = base.kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    lead_is_body0 = len(body) > 3
    first = 1 if lead_is_body0 else 0
    own = rng.random() < 0.7
    people = [de_person(rng) for _ in range(2)]
    if own:
        if rng.random() < 0.8:
            d.authors = [n for n, _ in people[: 1 if rng.random() < 0.8 else 2]]
        place = rng.choice(["BERLIN", "HAMBURG", "BRÜSSEL", "LEIPZIG", "MÜNCHEN", "FRANKFURT/MAIN", "WIEN"])
        dateline(body, first, f"{place} taz | ")
    else:
        ag = rng.choice([["dpa"], ["afp"], ["dpa", "afp"], ["rtr"], ["epd"], ["afp", "rtr"]])
        if dateline(body, first, f"{rng.choice(['BERLIN', 'PARIS', 'KIEW', 'WASHINGTON'])} {'/'.join(ag)} | "):
            d.agency(*[{"dpa": "dpa", "afp": "AFP", "rtr": "Reuters", "epd": "epd"}[a] for a in ag])
    if lead_is_body0:
        d.add(body[0], "body")
    if d.authors:
        d.noise("Von " + base.names_join_de(d.authors), "byline")
    if rng.random() < 0.8:
        d.noise(f"{date.day}. {date.month}. {date.year}, {date:%H:%M} Uhr", "date", "\n" if d.authors else "\n\n")
        d.date = base.iso_min(date)
    else:
        d.noise(f"{date.day}. {date.month}. {date.year}", "date", "\n" if d.authors else "\n\n")
        d.date = base.iso_day(date)

    def cap():
        who = base.de_name(rng)
        cred = rng.choice([who, f"{who}/dpa", f"{who}/imago", "imago", f"{who}/reuters", f"{who}/AP/dpa"])
        return [f"{rng.choice(CAPTION_DE)} Foto: {cred}"]

    if rng.random() < 0.7:
        d.noise(cap()[0], "caption")
    rest = body[first:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.35:
        put(
            ins,
            mid(rng, len(rest)),
            ("taz zahl ich", "promo", "\n\n"),
            ("Unabhängiger Journalismus für alle, freiwillig bezahlt von den Leser*innen.", "promo", "\n"),
            ("Jetzt unterstützen", "promo", "\n"),
        )
    if rng.random() < 0.3:
        rel = related(rng, ctx["de"], rng.randint(1, 3), art["title"])
        put(ins, mid(rng, len(rest)), ("Mehr zum Thema", "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    base.emit_body(d, rest, ins)
    if rng.random() < 0.6:
        lines(
            d,
            [
                "Fehler auf taz.de entdeckt?",
                "Wir freuen uns über eine Mail an fehlerhinweis@taz.de!",
                "Inhaltliches Feedback?",
                "Gerne als Leser*innenkommentar unter dem Text auf taz.de oder über das Kontaktformular.",
            ],
            "footer",
        )
    if d.authors and rng.random() < 0.5:
        a, fem = people[0]
        role = rng.choice(
            [
                "Redakteur{} für Innenpolitik",
                "Redakteur{} im Ressort Wirtschaft + Umwelt",
                "Korrespondent{} in Brüssel",
                "Freie{} Autor{}",
                "Redakteur{} für Migration und Integration",
            ]
        )
        role = role.replace("Freie{}", "Freie" if fem else "Freier").replace("{}", "in" if fem else "")
        bio = f"Jahrgang {rng.randint(1962, 1996)}, schreibt seit {rng.randint(2008, 2021)} für die taz."
        lines(d, [a, role, bio], "byline")
    if rng.random() < 0.5:
        d.noise("Themen", "tags")
        lines(
            d,
            [
                "#" + t
                for t in rng.sample(
                    ["Bundesregierung", "Klimakrise", "Migration", "SPD", "Ukraine", "Gewerkschaften"], 3
                )
            ],
            "tags",
            "\n",
        )
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice(["Leser*innenkommentare", f"{rng.randint(2, 150)} Kommentare", "Kommentar schreiben"])],
            lambda t: [rng.choice(DE_HANDLES), f"{t:%d.%m.%Y}, {t:%H:%M}"],
            (lambda: ["Antworten"]) if rng.random() < 0.5 else None,
        )


def style_focus(rng, art, d: Doc, show_title, ctx):
    """FOCUS Online: breadcrumb "Politik > Deutschland", Dachzeile, "Von FOCUS-online-Redakteurin Name",
    "Dienstag, 10.01.2023, 18:42" and "Aktualisiert am ...", captions with the credit on its own line
    ("dpa/Kay Nietfeld"), "Lesen Sie auch: <title>", "Im Video: <title>", affiliate note, credit
    "ter/mit dpa", "Artikel kommentieren", comments with full names and "10.01.2023 | 19:12"."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.4:
        d.noise(
            rng.choice(["Politik > Deutschland", "Finanzen > News", "Panorama > Welt", "Digital", "Politik > Ausland"]),
            "nav",
        )
    if show_title:
        if rng.random() < 0.7:
            d.kicker = base.kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    r = rng.random()
    if r < 0.6:
        name, fem = de_person(rng)
        d.authors = [name]
        role = rng.choice(["Redakteurin", "Autorin", "Reporterin"] if fem else ["Redakteur", "Autor", "Reporter"])
        d.noise(f"Von FOCUS-online-{role} {name}", "byline")
    elif r < 0.75:
        d.authors = [base.de_name(rng), base.de_name(rng)]
        d.noise("Von " + base.names_join_de(d.authors), "byline")
    sep = "\n" if d.authors else "\n\n"
    wd = base.WD_DE[date.weekday()]
    r = rng.random()
    if r < 0.5:
        d.noise(f"{wd}, {date:%d.%m.%Y}, {date:%H:%M}", "date", sep)
    elif r < 0.8:
        up = date + dt.timedelta(minutes=rng.randint(20, 900))
        d.noise(f"{wd}, {date:%d.%m.%Y}, {date:%H:%M}", "date", sep)
        d.noise(f"Aktualisiert am {base.WD_DE[up.weekday()]}, {up:%d.%m.%Y}, {up:%H:%M}", "date", "\n")
    else:
        d.noise(f"Aktualisiert am {wd}, {date:%d.%m.%Y}, {date:%H:%M}", "date", sep)
    d.date = base.iso_min(date)
    d.add(body[0], "body")

    def cap():
        cred = rng.choice(
            [
                f"dpa/{base.de_name(rng)}",
                "Getty Images",
                "imago images/Political-Moments",
                "FOCUS online",
                "FOCUS online/Wochit",
                f"REUTERS/{base.de_name(rng)}",
                "picture alliance/dpa",
            ]
        )
        return [rng.choice(CAPTION_DE), cred]

    if rng.random() < 0.7:
        lines(d, cap(), "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.5:
        put(
            ins,
            mid(rng, len(rest)),
            (f"Lesen Sie auch: {related(rng, ctx['de'], 1, art['title'])[0]}", "related", "\n\n"),
        )
    if rng.random() < 0.3:
        put(ins, mid(rng, len(rest)), (f"Im Video: {related(rng, ctx['de'], 1, art['title'])[0]}", "related", "\n\n"))
    base.emit_body(d, rest, ins)
    r = rng.random()
    if r < 0.45:
        ag = rng.choice([["dpa"], ["AFP"], ["dpa", "AFP"], ["Reuters"], ["dpa", "Reuters"]])
        d.agency(*ag)
        ini = rng.choice(["ter", "ll", "mz", "rob", "hs", "cba"])
        d.noise(
            rng.choice([f"{ini}/mit {'/'.join(ag)}", f"{ini}/{'/'.join(ag)}", f"Mit Material von {'/'.join(ag)}"]),
            "agency",
        )
    if rng.random() < 0.1:
        d.noise("*Wir arbeiten mit Partnern zusammen, von denen wir ggf. eine Provision erhalten.", "footer")
    lines(
        d, rng.sample(["Artikel kommentieren", "Teilen", "Mehr zum Thema", "Zur Startseite"], rng.randint(1, 2)), "nav"
    )
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice(["Kommentare", f"Kommentare ({rng.randint(2, 300)})"])]
            + (["Kommentar schreiben"] if rng.random() < 0.4 else []),
            lambda t: [base.de_name(rng), f"{t:%d.%m.%Y} | {t:%H:%M}"],
            lambda: rng.sample(["Antworten", "Melden"], rng.randint(1, 2)),
        )


def style_stern(rng, art, d: Doc, show_title, ctx):
    """stern.de: Dachzeile, title, lead, "10. Januar 2023, 18:42 Uhr" (sometimes "· 3 Min."), "Von Name",
    "stern+" paywall note, captions "Caption © Michael Kappeler / DPA", "Sehen Sie im Video: ...",
    "Lesen Sie auch:", "Anzeige", closing agency credit "tis/DPA", "dho/DPA/AFP", newsletter line,
    "#Themen" list. No comments."""
    date = d._date
    body = list(art["body"])
    if show_title:
        if rng.random() < 0.65:
            d.kicker = base.kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    plus = rng.random() < 0.15
    if plus:
        d.noise("stern+", "promo", "\n")
    d.add(body[0], "body")
    ds = rng.choice([f"{base.de_long(date)}, {date:%H:%M} Uhr", f"{date:%d.%m.%Y}, {date:%H:%M} Uhr"])
    if rng.random() < 0.4:
        ds += f" · {rng.randint(2, 9)} Min."
    d.noise(ds, "date")
    d.date = base.iso_min(date)
    wire = rng.random() < 0.45
    if not wire and rng.random() < 0.8:
        d.authors = [base.de_name(rng)] if rng.random() < 0.8 else [base.de_name(rng), base.de_name(rng)]
        d.noise("Von " + base.names_join_de(d.authors), "byline", "\n")
    if rng.random() < 0.3:
        lines(d, rng.sample(["Artikel teilen", "Merken", "Kommentieren", "Zur Merkliste"], rng.randint(1, 2)), "nav")
    if plus:
        lines(d, ["Dieser Artikel ist Teil unseres Angebots stern+.", "Jetzt 4 Wochen gratis testen"], "promo")

    def cap():
        cred = rng.choice(
            [
                f"{base.de_name(rng)} / DPA",
                "Getty Images",
                "Imago Images",
                "Picture Alliance",
                "AFP",
                f"{base.de_name(rng)} / AFP",
            ]
        )
        return [f"{rng.choice(CAPTION_DE)} © {cred}"]

    if rng.random() < 0.7:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.35:
        put(
            ins,
            mid(rng, len(rest)),
            ("Sehen Sie im Video:", "related", "\n\n"),
            (related(rng, ctx["de"], 1, art["title"])[0], "related", "\n"),
        )
    if rng.random() < 0.35:
        put(
            ins,
            mid(rng, len(rest)),
            (f"Lesen Sie auch: {related(rng, ctx['de'], 1, art['title'])[0]}", "related", "\n\n"),
        )
    if rng.random() < 0.25:
        put(ins, mid(rng, len(rest)), ("Anzeige", "nav", "\n\n"))
    base.emit_body(d, rest, ins)
    if wire or rng.random() < 0.2:
        ag = rng.choice([["DPA"], ["AFP"], ["DPA", "AFP"], ["Reuters"], ["DPA", "Reuters"]])
        d.agency(*[{"DPA": "dpa"}.get(a, a) for a in ag])
        ini = rng.choice(["tis", "rw", "dho", "wue", "tkr", "mad", "yks"])
        d.noise(f"{ini}/{'/'.join(ag)}" if rng.random() < 0.8 else "/".join(ag), "agency")
    if rng.random() < 0.3:
        d.noise(
            "Die wichtigsten Nachrichten des Tages – direkt in Ihr Postfach: Jetzt den stern-Newsletter abonnieren.",
            "promo",
        )
    if rng.random() < 0.4:
        d.noise("#Themen", "tags")
        lines(
            d,
            rng.sample(["Olaf Scholz", "Bundesregierung", "Ukraine", "Energiekrise", "Polizei", "Bundestag"], 3),
            "tags",
            "\n",
        )


def style_nzz(rng, art, d: Doc, show_title, ctx):
    """Neue Zürcher Zeitung: Swiss spelling ("ss") in all furniture, JavaScript/adblock notice, Dachzeile
    (sometimes "KOMMENTAR"), lead, byline "Name, Berlin" or "Agenturen", "22.11.2022, 05.30 Uhr"
    (+ "Aktualisiert"), "5 min" reading time, "Hören/Merken/Drucken/Teilen", captions
    "Caption. Michael Buholzer / Keystone", newsletter «...», "Passend zum Artikel" box, glued "(sda)",
    correction note ("Korrigendum"), comments with full names, "vor 3 Stunden", "12 Empfehlungen"."""

    def ch(s):
        return s.replace("ß", "ss")

    date = d._date
    body = list(art["body"])
    if rng.random() < 0.15:
        lines(
            d,
            [
                "Optimieren Sie Ihre Browsereinstellungen",
                "NZZ.ch benötigt JavaScript für wichtige Funktionen. "
                "Ihr Browser oder Adblocker verhindert dies momentan.",
                "Bitte passen Sie die Einstellungen an.",
            ],
            "nav",
        )
    if show_title:
        if rng.random() < 0.6:
            k = rng.choice(["KOMMENTAR", "INTERVIEW", "ANALYSE", None, None, None])
            d.kicker = ch(k or base.kicker_from(rng, art["title"], body, "de"))
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.add(body[0], "body")
    r = rng.random()
    place = rng.choice(["Zürich", "Bern", "Berlin", "Wien", "Brüssel", "Washington", "Genf", "Frankfurt"])
    ag_end = None
    if r < 0.5:
        d.authors = [base.de_name(rng)]
        d.noise(f"{d.authors[0]}, {place}", "byline")
    elif r < 0.6:
        d.authors = [base.de_name(rng), base.de_name(rng)]
        d.noise(f"{d.authors[0]} und {d.authors[1]}, {place}", "byline")
    elif r < 0.75:
        d.noise("Agenturen", "byline")
    elif r < 0.9:
        ag_end = rng.choice([("(sda)", "SDA"), ("(dpa)", "dpa"), ("(Reuters)", "Reuters"), ("(sda/dpa)", "SDA/dpa")])
    else:
        d.agency("Keystone-SDA")
        d.noise("Keystone-SDA", "byline")
    sep = "\n" if d.items[-1][1] == "byline" else "\n\n"
    up = date + dt.timedelta(minutes=rng.randint(30, 900))
    if rng.random() < 0.75:
        d.noise(f"{date:%d.%m.%Y}, {date:%H.%M} Uhr", "date", sep)
        if rng.random() < 0.3:
            d.noise(f"Aktualisiert {up:%d.%m.%Y}, {up:%H.%M} Uhr", "date", "\n")
    else:
        d.noise(f"Aktualisiert {date:%d.%m.%Y}, {date:%H.%M} Uhr", "date", sep)
    d.date = base.iso_min(date)
    if rng.random() < 0.6:
        d.noise(rng.choice([f"{rng.randint(2, 12)} min", f"Lesezeit {rng.randint(2, 12)} min"]), "nav", "\n")
    if rng.random() < 0.4:
        lines(d, rng.sample(["Hören", "Merken", "Drucken", "Teilen", "Schliessen"], rng.randint(2, 4)), "nav")

    def cap():
        cred = rng.choice(
            [
                f"{base.de_name(rng)} / Keystone",
                f"{base.de_name(rng)} / NZZ",
                "Keystone",
                "Imago",
                f"{base.de_name(rng)} / Reuters",
                f"{base.de_name(rng)} / DPA",
                "Getty Images",
            ]
        )
        return [ch(f"{rng.choice(CAPTION_DE)}. {cred}")]

    if rng.random() < 0.75:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.3:
        nl = rng.choice(["«Der andere Blick»", "«NZZ Briefing»", "«Wirtschaft am Morgen»"])
        put(
            ins,
            mid(rng, len(rest)),
            (f"Abonnieren Sie den Newsletter {nl} – werktags in Ihrer Mailbox.", "promo", "\n\n"),
            ("Jetzt kostenlos anmelden", "promo", "\n"),
        )
    if rng.random() < 0.3:
        rel = [ch(t) for t in related(rng, ctx["de"], 1, art["title"])]
        put(
            ins,
            mid(rng, len(rest)),
            ("Passend zum Artikel", "related", "\n\n"),
            (rel[0], "related", "\n"),
            (
                f"{base.de_name(rng)}, {place} / {(date - dt.timedelta(days=rng.randint(1, 30))):%d.%m.%Y}",
                "related",
                "\n",
            ),
        )
    base.emit_body(d, rest, ins)
    if ag_end:
        glue(d, ag_end[0], *ag_end[1].split("/"))
    if rng.random() < 0.08:
        fix = date + dt.timedelta(days=1)
        d.noise(
            ch(
                f"Korrigendum vom {fix:%d.%m.%Y}: In einer früheren Version dieses Artikels "
                "hiess es fälschlicherweise, die Zahl sei gestiegen. Wir bitten um Entschuldigung."
            ),
            "correction",
        )
    if rng.random() < 0.4:
        d.noise(rng.choice(["Mehr zum Thema", "Passend zum Artikel"]), "related")
        lines(d, [ch(t) for t in related(rng, ctx["de"], rng.randint(2, 3), art["title"])], "related", "\n")
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice(["Kommentare", f"{rng.randint(2, 300)} Kommentare", "Leserkommentare"])],
            lambda t: [base.de_name(rng), rng.choice([ago_de(rng), f"{t:%d.%m.%Y}, {t:%H.%M} Uhr"])],
            lambda: [f"{rng.randint(1, 90)} Empfehlungen"] + (["Antworten"] if rng.random() < 0.5 else []),
        )


def style_kleine(rng, art, d: Doc, show_title, ctx):
    """Kleine Zeitung (Graz/Klagenfurt, Austria): region line, Dachzeile, lead, "Von Name | 16.02 Uhr,
    14. Jänner 2023" or separate byline and "14. Jänner 2023, 16:02 Uhr", "Artikel anhören", Plus paywall
    note, captions "© APA/HELMUT FOHRINGER", "© (c) APA/...", "© KLZ/Name", "Mehr zum Thema", newsletter
    box, agency "(APA)" glued or "APA/red" line, comments with user names and Austrian dates."""
    date = d._date
    if rng.random() < 0.3:
        date = date.replace(month=1)  # Jänner
        d._date = date
    body = list(art["body"])
    month = base.MONTH_AT[date.month - 1]
    if rng.random() < 0.35:
        d.noise(
            rng.choice(["Steiermark", "Kärnten", "Graz", "Klagenfurt", "Politik | Innenpolitik", "Wirtschaft", "Welt"]),
            "nav",
        )
    if show_title:
        if rng.random() < 0.55:
            d.kicker = base.kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.add(body[0], "body")
    r = rng.random()
    apa = False
    if r < 0.4:
        d.authors = [base.de_name(rng)]
        d.noise(f"Von {d.authors[0]} | {date:%H.%M} Uhr, {date.day}. {month} {date.year}", "byline")
        d.date = base.iso_min(date)
    elif r < 0.65:
        d.authors = [base.de_name(rng)] if rng.random() < 0.8 else [base.de_name(rng), base.de_name(rng)]
        d.noise("Von " + base.names_join_de(d.authors), "byline")
        if rng.random() < 0.6:
            d.noise(f"{date.day}. {month} {date.year}, {date:%H:%M} Uhr", "date", "\n")
            d.date = base.iso_min(date)
        else:
            d.noise(f"{date.day}. {month} {date.year}", "date", "\n")
            d.date = base.iso_day(date)
    else:
        apa = True
        d.noise(f"{date:%H.%M} Uhr, {date.day}. {month} {date.year}", "date")
        d.date = base.iso_min(date)
    if rng.random() < 0.2:
        up = date + dt.timedelta(minutes=rng.randint(30, 600))
        d.noise(f"Aktualisiert um {up:%H.%M} Uhr", "date", "\n")
    if rng.random() < 0.3:
        d.noise("Artikel anhören", "nav")
    if rng.random() < 0.15:
        lines(d, ["Plus", "Dieser Artikel ist exklusiv für Abonnentinnen und Abonnenten der Kleinen Zeitung."], "promo")

    def cap():
        who = base.de_name(rng)
        cred = rng.choice(
            [
                f"APA/{who.upper()}",
                f"(c) APA/{who.upper()}",
                f"APA/EXPA/{who.upper()}",
                f"KLZ/{who}",
                f"Kleine Zeitung/{who}",
                "IMAGO",
                f"AFP/{who.upper()}",
                "APA/dpa",
            ]
        )
        return [f"{rng.choice(CAPTION_DE)} © {cred}"]

    if rng.random() < 0.7:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.35:
        rel = related(rng, ctx["de"], rng.randint(1, 3), art["title"])
        put(ins, mid(rng, len(rest)), ("Mehr zum Thema", "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    if rng.random() < 0.25:
        put(
            ins,
            mid(rng, len(rest)),
            ("Newsletter: Die wichtigsten Nachrichten aus der Steiermark, täglich in Ihrem Postfach.", "promo", "\n\n"),
            ("Jetzt anmelden", "promo", "\n"),
        )
    base.emit_body(d, rest, ins)
    if apa or rng.random() < 0.15:
        r = rng.random()
        if r < 0.5:
            ag = rng.choice([["APA"], ["APA", "dpa"], ["APA", "AFP"], ["APA", "Reuters"]])
            glue(d, "(" + "/".join(ag) + ")", *ag)
        else:
            d.agency("APA")
            d.noise(rng.choice(["APA/red", "red, APA", "Quelle: APA"]), "agency")
    if rng.random() < 0.3:
        lines(d, rng.sample(["Artikel teilen", "Zur Startseite", "Feedback"], rng.randint(1, 2)), "nav")
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice([f"Kommentare ({rng.randint(2, 250)})", "Kommentare"])]
            + (["Diskutieren Sie mit! Bitte beachten Sie unsere Netiquette."] if rng.random() < 0.5 else []),
            lambda t: [
                rng.choice(DE_HANDLES) + (str(rng.randint(1, 99)) if rng.random() < 0.5 else ""),
                rng.choice([ago_de(rng), f"{t.day}. {base.MONTH_AT[t.month - 1]} {t.year} {t:%H:%M}"]),
            ],
            (lambda: rng.sample(["Antworten", "Melden"], rng.randint(1, 2))) if rng.random() < 0.5 else None,
        )


def style_regional(rng, art, d: Doc, show_title, ctx):
    """NRW regional daily (in the manner of Westfälische Nachrichten, Aachener Zeitung, Neue Westfälische):
    "Startseite > NRW", town kicker, "Plus" badge, "Di., 10.01.2023, 18:42 Uhr" and "aktualisiert: ...",
    byline "Von unserem Korrespondenten Name" / "Von unserer Korrespondentin Name" / "Von unserer
    Redaktion", dpa copy with the dateline "Düsseldorf (dpa/lnw) - " and "© dpa-infocom,
    dpa:230110-99-165432/3", captions "Caption Foto: Name/dpa", "Mehr zum Thema", WhatsApp-channel
    promo, "Startseite", a few comments with "am 10.01.2023 um 19:02 Uhr"."""
    date = d._date
    body = list(art["body"])
    town = rng.choice(NRW_TOWNS)
    wd = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."][date.weekday()]
    if rng.random() < 0.4:
        d.noise(rng.choice(["Startseite > NRW", "Startseite > Region", "NRW & Welt", f"Lokales > {town}"]), "nav")
    if show_title:
        if rng.random() < 0.5:
            d.kicker = rng.choice(
                [town, "NRW", f"Kreis {rng.choice(['Borken', 'Warendorf', 'Steinfurt', 'Coesfeld'])}"]
            )
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
        if rng.random() < 0.15:
            d.noise("Plus", "promo", "\n")
    wire = rng.random() < 0.45
    if wire:
        tag = rng.choice(DPA_REGIONAL) if rng.random() < 0.85 else None
        d.sub = tag
        if dateline(body, 0, f"{town} (dpa{'/' + tag if tag else ''}) - "):
            d.agency("dpa")
        else:
            wire = False
    r = rng.random()
    if r < 0.6:
        d.noise(f"{wd}, {date:%d.%m.%Y}, {date:%H:%M} Uhr", "date")
    else:
        d.noise(f"{date:%d.%m.%Y}, {date:%H:%M} Uhr", "date")
    d.date = base.iso_min(date)
    if rng.random() < 0.3:
        up = date + dt.timedelta(minutes=rng.randint(30, 600))
        d.noise(f"aktualisiert: {up:%d.%m.%Y}, {up:%H:%M} Uhr", "date", "\n")
    if not wire:
        r = rng.random()
        name, fem = de_person(rng)
        if r < 0.4:
            d.authors = [name]
            d.noise(f"Von {'unserer Korrespondentin' if fem else 'unserem Korrespondenten'} {name}", "byline", "\n")
        elif r < 0.75:
            d.authors = [name]
            d.noise(f"Von {name}", "byline", "\n")
        elif r < 0.85:
            d.noise("Von unserer Redaktion", "byline", "\n")

    def cap():
        who = base.de_name(rng)
        cred = rng.choice([f"{who}/dpa", "dpa", "privat", who, f"{who}/dpa-Zentralbild"])
        return [f"{rng.choice(CAPTION_DE)} Foto: {cred}"]

    if rng.random() < 0.65:
        d.noise(cap()[0], "caption")
    ins = {}
    captions(rng, ins, len(body), rng.randint(0, 2), cap)
    if rng.random() < 0.35:
        rel = related(rng, ctx["de"], rng.randint(1, 2), art["title"])
        put(
            ins,
            mid(rng, len(body)),
            (rng.choice(["Mehr zum Thema", "Auch interessant:"]), "related", "\n\n"),
            *[(t, "related", "\n") for t in rel],
        )
    if rng.random() < 0.25:
        put(
            ins,
            mid(rng, len(body)),
            (
                "Unser WhatsApp-Kanal: Die wichtigsten Nachrichten aus der Region direkt aufs Handy. Hier abonnieren.",
                "promo",
                "\n\n",
            ),
        )
    base.emit_body(d, body, ins)
    if wire and rng.random() < 0.7:
        d.noise(f"© dpa-infocom, dpa:{date:%y%m%d}-99-{rng.randint(100000, 999999)}/{rng.randint(2, 9)}", "agency")
    if rng.random() < 0.35:
        d.noise("Startseite", "nav")
    if ctx["comments"]:
        comments(
            rng,
            d,
            ctx,
            [rng.choice(["Kommentare", f"{rng.randint(1, 40)} Kommentare"])],
            lambda t: [base.de_name(rng), f"am {t:%d.%m.%Y} um {t:%H:%M} Uhr"],
        )


# ---------------------------------------------------------------------------------- English styles
def style_aljazeera(rng, art, d: Doc, show_title, ctx):
    """Al Jazeera English: "News|Economy" breadcrumb, title, standfirst, "By Name" or "Al Jazeera Staff",
    "Published On 22 Nov 2022" (sometimes scraped twice, "22 Nov 202222 Nov 2022"), "Listen to this
    article", "Save articles to read later ...", "Click here to share on social media", captions
    "Caption [Name/Reuters]", the "list of 3 items / list 1 of 3 / ... / end of list" related box or
    the older inline "READ MORE: <title>",
    "Advertisement", closing "Source: Al Jazeera and news agencies". No comments."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.8:
        d.noise(
            rng.choice(
                ["News|Economy", "News|Business and Economy", "News|Politics", "Economy|Oil and Gas", "News|Trade"]
            ),
            "nav",
        )
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.add(body[0], "body")
    r = rng.random()
    if r < 0.45:
        d.authors = [base.en_name(rng)]
    elif r < 0.55:
        d.authors = [base.en_name(rng), base.en_name(rng)]
    elif r < 0.7:
        d.noise("Al Jazeera Staff", "byline")
    if d.authors:
        d.noise("By " + base.names_join_en(d.authors), "byline")
    sep = "\n" if d.items[-1][1] == "byline" else "\n\n"
    r = rng.random()
    day = en_day(date)
    if r < 0.55:
        d.noise(f"Published On {day}", "date", sep)
    elif r < 0.75:
        d.noise(f"Published On {day}{day}", "date", sep)
    else:
        d.noise(day, "date", sep)
    d.date = base.iso_day(date)
    if rng.random() < 0.2:
        lines(d, ["Listen to this article", f"{rng.randint(2, 9)} mins"], "nav")
    if rng.random() < 0.25:
        d.noise("Save articles to read later and create your own reading list.", "nav")
    if rng.random() < 0.4:
        d.noise("Click here to share on social media", "nav")
        if rng.random() < 0.3:
            d.noise("share2", "nav", "\n")

    def cap():
        who = base.en_name(rng)
        cred = rng.choice(
            [f"{who}/Reuters", f"File: {who}/AP Photo", f"{who}/AFP", f"{who}/Al Jazeera", f"{who}/Bloomberg"]
        )
        return [f"{rng.choice(CAPTION_EN)} [{cred}]"]

    if rng.random() < 0.75:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    r = rng.random()
    if r < 0.4:
        k = rng.randint(3, 4)
        items = [(f"list of {k} items", "related", "\n\n")]
        for i, t in enumerate(related(rng, ctx["en"], k, art["title"]), 1):
            items += [(f"list {i} of {k}", "related", "\n"), (t, "related", "\n")]
        items.append(("end of list", "related", "\n"))
        put(ins, mid(rng, len(rest)), *items)
    elif r < 0.6:  # the older inline link
        put(ins, mid(rng, len(rest)), (f"READ MORE: {related(rng, ctx['en'], 1, art['title'])[0]}", "related", "\n\n"))
    if rng.random() < 0.4:
        put(ins, mid(rng, len(rest)), ("Advertisement", "nav", "\n\n"))
    base.emit_body(d, rest, ins)
    src = rng.choice(
        [
            ("Al Jazeera and news agencies", []),
            ("Al Jazeera", []),
            ("Reuters", ["Reuters"]),
            ("AFP", ["AFP"]),
            ("News Agencies", []),
            ("Al Jazeera and Reuters", ["Reuters"]),
        ]
    )
    if rng.random() < 0.85:
        d.agency(*src[1])
        d.noise(f"Source: {src[0]}" if rng.random() < 0.8 else f"SOURCE: {src[0].upper()}", "agency")
    if rng.random() < 0.2:
        d.noise("Follow Al Jazeera English:", "nav")


def style_independent(rng, art, d: Doc, show_title, ctx):
    """The Independent (UK): section line, title, standfirst, Breaking News email sign-up block with
    "I would like to be emailed about offers ..." and "Thanks for signing up", byline "Name" + role or
    "Name in Washington" or "Associated Press", "Tuesday 22 November 2022 05:30 GMT", "Bookmark",
    comment count, captions "Caption (AFP via Getty Images)", "Read More" box, "Support free-thinking
    journalism" appeal, "Additional reporting by agencies", "This article was amended on ...",
    commenting forum block and comments."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.5:
        d.noise(rng.choice(["News", "World", "UK", "Americas", "US politics", "Business", "Money"]), "nav")
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.add(body[0], "body")
    if rng.random() < 0.45:
        name = rng.choice(["Breaking News", "Evening Headlines", "Inside Washington", "View from Westminster"])
        block = [
            f"Sign up to our free {name} email",
            "I would like to be emailed about offers, events and updates from The Independent. Read our Privacy notice",
            "SIGN UP",
        ]
        if rng.random() < 0.4:
            block.append(f"Thanks for signing up to the {name} email")
        lines(d, block, "promo")
    r = rng.random()
    wire = None
    if r < 0.45:
        d.authors = [base.en_name(rng)]
        d.noise(d.authors[0], "byline")
        if rng.random() < 0.6:
            role = rng.choice(
                ["Political Correspondent", "Business Editor", "US Correspondent", "Economics Editor", "News Reporter"]
            )
            d.noise(role, "byline", "\n")
    elif r < 0.6:
        d.authors = [base.en_name(rng)]
        d.noise(f"{d.authors[0]} in {rng.choice(['Washington', 'New York', 'Brussels', 'Tokyo', 'Paris'])}", "byline")
    elif r < 0.7:
        d.authors = [base.en_name(rng), base.en_name(rng)]
        d.noise(" and ".join(d.authors), "byline")
    elif r < 0.85:
        wire = rng.choice(["Associated Press", "Reuters", "AFP"])
        d.agency(wire)
        d.noise(wire, "byline")
    sep = "\n" if d.items[-1][1] == "byline" else "\n\n"
    d.noise(
        f"{base.WD_EN[date.weekday()]} {en_day(date, long=True)} {date:%H:%M} {uk_tz(date)}",
        "date",
        sep,
    )
    d.date = base.iso_min(date)
    if ctx["comments"] and rng.random() < 0.6:
        d.noise(f"{rng.randint(2, 900)} comments", "comment_meta", "\n")
    if rng.random() < 0.4:
        lines(d, rng.sample(["Bookmark", "Share", "Click to follow"], rng.randint(1, 2)), "nav")

    def cap():
        cred = rng.choice(["AFP via Getty Images", "PA Wire", "Reuters", "AP", "Getty Images", "EPA", "PA"])
        return [f"{rng.choice(CAPTION_EN)} ({cred})"]

    if rng.random() < 0.75:
        d.noise(cap()[0], "caption")
    rest = body[1:]
    ins = {}
    captions(rng, ins, len(rest), rng.randint(0, 2), cap)
    if rng.random() < 0.4:
        rel = related(rng, ctx["en"], rng.randint(2, 3), art["title"])
        put(ins, mid(rng, len(rest)), ("Read More", "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    if rng.random() < 0.2:
        put(
            ins,
            mid(rng, len(rest)),
            ("Support free-thinking journalism and attend Independent events", "promo", "\n\n"),
        )
    base.emit_body(d, rest, ins)
    if wire == "Reuters" and rng.random() < 0.6:
        d.noise(f"(Reporting by {base.en_name(rng)}; Editing by {base.en_name(rng)})", "credit")
    elif rng.random() < 0.35:
        who = rng.choice(
            [("agencies", []), ("Reuters", ["Reuters"]), ("Associated Press", ["Associated Press"]), ("AFP", ["AFP"])]
        )
        d.agency(*who[1])
        d.noise(f"Additional reporting by {who[0]}", "credit")
    if rng.random() < 0.06:
        fix = date + dt.timedelta(days=rng.randint(1, 3))
        d.noise(
            f"This article was amended on {fix.day} {base.MONTH_EN[fix.month - 1]} {fix.year} to correct a figure.",
            "correction",
        )
    if rng.random() < 0.3:
        d.noise("More about", "tags")
        lines(
            d,
            rng.sample(["Oil", "Interest rates", "Stock market", "Trade", "Inflation", "Federal Reserve"], 3),
            "tags",
            "\n",
        )
    if ctx["comments"]:
        head = [
            "Join our commenting forum",
            "Join thought-provoking conversations, follow other Independent readers and see their replies",
        ]
        comments(
            rng,
            d,
            ctx,
            head + ([rng.choice(["Comments", f"{rng.randint(2, 900)} comments"])] if rng.random() < 0.6 else []),
            lambda t: [
                rng.choice(EN_HANDLES),
                rng.choice([f"{rng.randint(2, 11)} hours ago", f"{rng.randint(5, 55)} minutes ago"]),
            ],
            lambda: rng.sample(["Reply", "Like", f"{rng.randint(1, 80)}"], rng.randint(1, 2)),
            lang="en",
        )


def style_npr(rng, art, d: Doc, show_title, ctx):
    """NPR: section kicker, title, "Heard on Morning Edition" (broadcast), audio player lines
    ("Listen · 3:45", "Download", "Transcript", "3-Minute Listen", "Playlist"), "November 22, 2022 5:30 AM ET"
    (sometimes scraped "20225:30 AM ET") or "Updated ... at ..." with "Originally published ...", bylines
    as name lines, "Facebook/Flipboard/Email", captions as "Enlarge this image / caption / credit /
    hide caption / toggle caption / credit", "Sponsor Message", Up First newsletter, "NPR's Name
    contributed to this report.", "Correction" note, "More Stories From NPR". No comments."""
    date = d._date
    body = list(art["body"])
    if show_title:
        if rng.random() < 0.7:
            d.kicker = rng.choice(["Business", "Economy", "World", "Politics", "National", "Energy"])
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    if rng.random() < 0.3:
        d.noise(
            rng.choice(
                ["Heard on Morning Edition", "Heard on All Things Considered", "Heard on Weekend Edition Sunday"]
            ),
            "broadcast",
        )
        m, s = rng.randint(2, 7), rng.randint(0, 59)
        if rng.random() < 0.5:
            lines(
                d,
                [f"Listen · {m}:{s:02d}", f"{m}:{s:02d}", "Toggle more options", "Download", "Embed", "Transcript"],
                "nav",
            )
        else:
            lines(d, [f"{m}-Minute Listen", "Playlist"], "nav")

    def et(t):
        return t.strftime("%I:%M %p").lstrip("0") + " ET"

    ds = f"{base.MONTH_EN[date.month - 1]} {date.day}, {date.year}"
    r = rng.random()
    if r < 0.55:
        d.noise(f"{ds} {et(date)}", "date")
    elif r < 0.7:
        d.noise(f"{ds}{et(date)}", "date")
    else:
        up = date + dt.timedelta(minutes=rng.randint(40, 900))
        d.noise(f"Updated {base.MONTH_EN[up.month - 1]} {up.day}, {up.year} at {et(up)}", "date")
        d.noise(f"Originally published {ds} at {et(date)}", "date", "\n")
    d.date = base.iso_min(date)
    r = rng.random()
    if r < 0.5:
        d.authors = [base.en_name(rng)]
        d.noise(rng.choice(["By ", ""]) + d.authors[0], "byline")
    elif r < 0.7:
        d.authors = [base.en_name(rng), base.en_name(rng)]
        if rng.random() < 0.5:
            d.noise("By " + base.names_join_en(d.authors), "byline")
        else:
            lines(d, d.authors, "byline")
    elif r < 0.85:
        wire = rng.choice(["The Associated Press", "Reuters"])
        d.agency({"The Associated Press": "AP"}.get(wire, wire))
        d.noise(wire, "byline")
    if rng.random() < 0.2:
        lines(d, ["Facebook", "Flipboard", "Email"], "nav")

    def cap():
        who = base.en_name(rng)
        cred = rng.choice(
            [f"{who}/AP", f"{who}/Getty Images", f"{who}/NPR", f"{who}/AFP via Getty Images", f"{who}/Reuters"]
        )
        text = rng.choice(CAPTION_EN) + "."
        if rng.random() < 0.6:
            return ["Enlarge this image", text, cred, "hide caption", "toggle caption", cred]
        return ["Enlarge this image", "toggle caption", cred, text, cred]

    if rng.random() < 0.75:
        lines(d, cap(), "caption")
    ins = {}
    captions(rng, ins, len(body), rng.randint(0, 1), cap)
    if rng.random() < 0.5:
        put(ins, mid(rng, len(body)), ("Sponsor Message", "nav", "\n\n"))
    if rng.random() < 0.2:
        put(
            ins,
            mid(rng, len(body)),
            ("Sign up for the Up First newsletter.", "promo", "\n\n"),
            ("The news you need to start your day, every weekday morning.", "promo", "\n"),
        )
    base.emit_body(d, body, ins)
    r = rng.random()
    if r < 0.25:
        d.noise(f"NPR's {base.en_name(rng)} contributed to this report.", "credit")
    elif r < 0.45:
        wire = rng.choice(["The Associated Press", "Reuters"])
        d.agency({"The Associated Press": "AP"}.get(wire, wire))
        d.noise(f"{wire} contributed to this report.", "credit")
    if rng.random() < 0.06:
        fix = date + dt.timedelta(days=1)
        lines(
            d,
            [
                "Correction",
                f"{base.NYT_MON[fix.month - 1]} {fix.day}, {fix.year}",
                "An earlier version of this story misstated the size of the company's workforce.",
            ],
            "correction",
        )
    if rng.random() < 0.3:
        d.noise("More Stories From NPR", "related")
        lines(d, related(rng, ctx["en"], 2, art["title"]), "related", "\n")


def style_abc_au(rng, art, d: Doc, show_title, ctx):
    """ABC News (Australia): section line, title, "By political reporter Name" / "By Name with wires",
    "Posted Tue 22 Nov 2022 at 5:30am, updated ... at 7:12pm" (or "Posted 22 Nov 2022"), "Share",
    captions "Caption. (Reuters: Name)", "Loading...", "Related Stories" box, "Get our breaking news
    alerts" promo, wire credit "ABC/Reuters", "ABC/wires", "AAP", "Topics" tags, "Back to top".
    No comments."""
    date = d._date
    body = list(art["body"])
    if rng.random() < 0.3:
        d.noise(rng.choice(["ABC News", "Business", "World", "Politics", "Just In"]), "nav")
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    r = rng.random()
    wires = False
    if r < 0.35:
        d.authors = [base.en_name(rng)]
        beat = rng.choice(["political reporter ", "business reporter ", "North America correspondent ", "", ""])
        d.noise(f"By {beat}{d.authors[0]}", "byline")
    elif r < 0.5:
        d.authors = [base.en_name(rng), base.en_name(rng)]
        d.noise("By " + " and ".join(d.authors), "byline")
    elif r < 0.65:
        d.authors = [base.en_name(rng)]
        wires = True
        d.noise(f"By {d.authors[0]} with wires", "byline")
    elif r < 0.75:
        d.noise("ABC News", "byline")
    sep = "\n" if d.items and d.items[-1][1] == "byline" else "\n\n"

    def when(t):
        return f"{base.WD3_EN[t.weekday()]} {en_day(t)} at {ampm(t)}"

    r = rng.random()
    if r < 0.45:
        d.noise(f"Posted {when(date)}", "date", sep)
        d.date = base.iso_min(date)
    elif r < 0.8:
        up = date + dt.timedelta(minutes=rng.randint(40, 1200))
        d.noise(f"Posted {when(date)}, updated {when(up)}", "date", sep)
        d.date = base.iso_min(date)
    else:
        d.noise(f"Posted {en_day(date)}", "date", sep)
        d.date = base.iso_day(date)
    if rng.random() < 0.5:
        d.noise(rng.choice(["Share", "Share article"]), "nav")

    def cap():
        who = base.en_name(rng)
        cred = rng.choice(
            [f"Reuters: {who}", f"AP: {who}", f"AAP: {who}", f"ABC News: {who}", "Supplied", "Getty Images"]
        )
        return [f"{rng.choice(CAPTION_EN)}. ({cred})"]

    if rng.random() < 0.75:
        d.noise(cap()[0], "caption")
    ins = {}
    captions(rng, ins, len(body), rng.randint(0, 2), cap)
    if rng.random() < 0.3:
        put(ins, mid(rng, len(body)), ("Loading...", "nav", "\n\n"))
    if rng.random() < 0.35:
        rel = related(rng, ctx["en"], rng.randint(2, 3), art["title"])
        put(ins, mid(rng, len(body)), ("Related Stories", "related", "\n\n"), *[(t, "related", "\n") for t in rel])
    if rng.random() < 0.15:
        put(
            ins,
            mid(rng, len(body)),
            ("Get our breaking news alerts", "promo", "\n\n"),
            ("Find out more about the ABC News app", "promo", "\n"),
        )
    base.emit_body(d, body, ins)
    if wires or rng.random() < 0.5:
        cr = rng.choice(
            [
                ("ABC/Reuters", ["Reuters"]),
                ("ABC/wires", []),
                ("ABC/AFP", ["AFP"]),
                ("Reuters/AP", ["Reuters", "AP"]),
                ("AAP", ["AAP"]),
                ("ABC/AAP", ["AAP"]),
            ]
        )
        d.agency(*cr[1])
        d.noise(cr[0], "agency")
    if rng.random() < 0.5:
        d.noise("Topics", "tags")
        lines(
            d,
            rng.sample(
                [
                    "Business, Economics and Finance",
                    "Markets",
                    "Trade",
                    "World Politics",
                    "Oil and Gas",
                    "United States",
                ],
                3,
            ),
            "tags",
            "\n",
        )
    if rng.random() < 0.3:
        d.noise("Back to top", "nav")


STYLES_DE = {
    "tagesspiegel": (style_tagesspiegel, 0.55),
    "handelsblatt": (style_handelsblatt, 0.4),
    "dw": (style_dw, 0.0),
    "taz": (style_taz, 0.55),
    "focus": (style_focus, 0.5),
    "stern": (style_stern, 0.0),
    "nzz": (style_nzz, 0.45),
    "kleine": (style_kleine, 0.5),
    "regional": (style_regional, 0.25),
}
STYLES_EN = {
    "aljazeera": (style_aljazeera, 0.0),
    "independent": (style_independent, 0.6),
    "npr": (style_npr, 0.0),
    "abc_au": (style_abc_au, 0.0),
}


def check(d: Doc):
    """Layout invariants the truth relies on: one line per item, body in its own block."""
    prev = None
    for text, kind, sep in d.items:
        assert text and "\n" not in text and text == text.strip(), (kind, text)
        if kind == "body" and prev is not None:
            assert sep == "\n\n", ("body glued to the line before", text[:60])
        if prev == "body":
            assert sep == "\n\n" or (sep == " " and kind == "agency"), ("line glued to body", kind, text)
        prev = kind


def main():
    ap = argparse.ArgumentParser(description="Render real article bodies in 13 unseen outlet layouts with exact truth.")
    ap.add_argument("--n", type=int, default=240)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default="/tmp/stress2")
    a = ap.parse_args()
    base.build_set(a.n, a.seed, Path(a.out), STYLES_DE, STYLES_EN, check=check)


if __name__ == "__main__":
    main()
