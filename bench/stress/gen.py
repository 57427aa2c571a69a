#!/usr/bin/env python3
"""Stress set for `cleaner`: real article bodies rendered in outlet styles that devbench lacks.

    python3 gen.py [--n 300] [--seed 7] [--out /tmp/stress]

Writes OUT/raw/NNNNNN_<hex>.txt and OUT/truth.jsonl (devbench truth format, scorable with
/work/shared/devbench/score.py --truth OUT --out CLEAN_DIR).

Sources (read at run time, never copied): /work/shared/corpus/de_articles.jsonl (10kGNAD,
dewikinews, fundus), reuters21578.jsonl (English), de_reader_comments.jsonl (real comments).
Styles (German): faz, sz, zeit, welt, ntv, tonline, oerr (MDR/NDR/BR), orf;
(English): bbc, guardian, ap, cnn, nyt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

MONTH_DE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
MONTH_AT = ["Jänner", *MONTH_DE[1:]]
WD_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTH_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NYT_MON = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WD_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD3_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

DE_FIRST = [
    "Anna",
    "Julia",
    "Thomas",
    "Markus",
    "Katharina",
    "Stefan",
    "Johannes",
    "Lena",
    "Christoph",
    "Sabine",
    "Matthias",
    "Friederike",
    "Jörg",
    "Özlem",
    "Björn",
    "Ulrike",
    "Hans-Peter",
    "Marie-Luise",
    "Konstantin",
    "Jasper",
    "Ines",
    "Dominik",
    "Gülsen",
    "Florian",
    "Henrike",
    "Ralf",
    "Paul",
    "Clara",
]
DE_LAST = [
    "Müller",
    "Schmidt",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "von Hammerstein",
    "Meyer-Landrut",
    "Çelik",
    "Nguyen",
    "Öztürk",
    "Baumgärtner",
    "zu Guttenberg",
    "Frühwald",
    "Steinbrück",
]
EN_FIRST = [
    "James",
    "Sarah",
    "Michael",
    "Emily",
    "David",
    "Priya",
    "Oliver",
    "Hannah",
    "Kwame",
    "Siobhan",
    "Jean-Paul",
    "Wei",
    "Rebecca",
    "Tom",
    "Aisha",
    "Matt",
    "Lauren",
    "Patrick",
    "Zeynep",
    "Chris",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "O'Connor",
    "McAllister",
    "Nguyen",
    "García",
    "Kowalski",
    "Patel",
    "Van der Berg",
    "Adeyemi",
    "Fitzgerald",
    "Okafor",
    "Brennan",
    "Whitaker",
    "Lee",
    "Harrington",
    "DeLuca",
    "Sandoval",
    "Kim",
    "Ó Briain",
]
DE_PLACES = [
    "Berlin",
    "Brüssel",
    "Washington",
    "Frankfurt",
    "München",
    "Paris",
    "Kiew",
    "Moskau",
    "Wien",
    "Hamburg",
    "Istanbul",
    "Peking",
    "London",
    "Stuttgart",
    "Dresden",
]
EN_PLACES = [
    "WASHINGTON",
    "NEW YORK",
    "LONDON",
    "BRUSSELS",
    "TOKYO",
    "CHICAGO",
    "LOS ANGELES",
    "BEIJING",
    "PARIS",
    "FRANKFURT",
    "KYIV, Ukraine",
    "ATLANTA",
    "HOUSTON",
    "SEOUL, South Korea",
]
PHOTO_DE = [
    "picture alliance/dpa",
    "dpa",
    "AFP",
    "Reuters",
    "imago images/photothek",
    "IMAGO/Future Image",
    "Kay Nietfeld/dpa",
    "Michael Kappeler/dpa",
    "Christophe Gateau/dpa",
    "Getty Images",
    "AP",
    "Frank Röth",
    "Andreas Arnold/dpa",
    "epd",
    "Jens Büttner/dpa-Zentralbild",
    "action press",
    "Fabian Sommer/dpa",
    "REUTERS/Fabrizio Bensch",
    "APA/HELMUT FOHRINGER",
    "ROLAND SCHLAGER/APA",
]
PHOTO_EN = [
    "Getty Images",
    "Reuters",
    "AFP via Getty Images",
    "EPA",
    "PA Media",
    "Shutterstock",
    "AP",
    "Denis Balibouse/Reuters",
    "Evan Vucci/AP",
    "Jabin Botsford/The Washington Post via Getty Images",
    "Alamy",
    "Bloomberg via Getty Images",
    "Kevin Lamarque/Reuters",
    "Anadolu Agency via Getty Images",
]
CAPTION_DE = [
    "Ein Blick in den Sitzungssaal",
    "Einsatzkräfte am Ort des Geschehens",
    "Demonstranten vor dem Gebäude",
    "Der Angeklagte beim Prozessauftakt",
    "Blick auf die Innenstadt",
    "Polizisten sichern den Zugang",
    "Die Ministerin bei einer Pressekonferenz am Montag",
    "Archivbild: Ein Containerschiff im Hafen",
    "Symbolbild: Ein Geldautomat",
    "Spieler beim Training am Dienstag",
    "Die Unterzeichnung des Vertrags",
    "Teilnehmer einer Kundgebung",
    "Ein Wahlplakat am Straßenrand",
    "Besucher in der Ausstellung",
    "Der Vorstandschef auf der Hauptversammlung",
    "Rettungskräfte im Einsatz",
]
CAPTION_EN = [
    "Protesters gather outside parliament",
    "The minister speaks to reporters on Monday",
    "Traders work on the floor of the New York Stock Exchange",
    "A view of the port",
    "Officials at a news conference",
    "Workers at a plant in the region",
    "Shoppers in a high street",
    "The company's headquarters",
    "Delegates arrive for the talks",
    "Oil pumps in a field in Texas",
    "Farmers harvest wheat near the town",
    "The central bank building",
]
EN_COMMENTS = [
    "This is exactly what I've been saying for years. Nobody listens.",
    "Does anyone actually believe these numbers? I'd like to see the underlying data.",
    "Great reporting, thank you for covering this.",
    "The headline is misleading. Read the full piece before commenting.",
    "So who pays for all of this in the end? The taxpayer, as usual.",
    "I worked in this industry for twenty years and this is spot on.",
    "Interesting, but the article leaves out what happened last spring.",
    "Not surprised at all. This was predictable months ago.",
    "Can someone explain why this matters to ordinary people?",
    "Finally some good news for a change.",
    "The market will shrug this off by Friday, mark my words.",
    "Sad to see how this has been handled from the start.",
    "Well said. More of this kind of journalism, please.",
    "I disagree with the premise entirely, but it's a fair summary of the facts.",
    "Same story every year and nothing changes.",
    "Why is nobody asking the obvious question here?",
    "My family has been affected by this directly. It's been a nightmare.",
    "Another day, another crisis.",
]
HANDLES = [
    "Bergfex61",
    "kritischer_leser",
    "Sonnenschein2011",
    "DrBeyer",
    "eine_anmerkung",
    "Realist77",
    "Nordlicht",
    "pfeffer-und-salz",
    "Querdenkerin",
    "Wahlberliner",
    "Buecherwurm",
    "M.Schulz",
    "alterSchwede",
    "Hinterfrager",
    "Rheinländer",
    "Tatsachenbericht",
    "gelber_Hund",
    "OmaErna",
    "northerner501",
    "laura_davis",
    "reader958",
    "JohnQPublic",
    "sceptic_in_leeds",
    "PennyLane",
    "OldGrumpy",
    "tx_rancher",
    "Marcus",
    "hoosier88",
]


# ---------------------------------------------------------------------------------- sources
_SENT = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])")
_ABBR_END = re.compile(
    r"(?:\b[A-Z]|\b(?:Dr|Prof|Nr|St|bzw|ca|z\.B|u\.a|etc|Mio|Mrd|Jh|Abs|Art|Co|vgl|Hr|Fr|evtl|inkl|usw))\.$"
)


def sentences(text: str) -> list[str]:
    parts = _SENT.split(text)
    out: list[str] = []
    for p in parts:
        if out and (_ABBR_END.search(out[-1]) or re.search(r"\d\.$", out[-1])):
            out[-1] += " " + p
        else:
            out.append(p)
    return out


def group(rng, sents, lo=2, hi=4):
    paras, i = [], 0
    while i < len(sents):
        k = rng.randint(lo, hi)
        paras.append(" ".join(sents[i : i + k]))
        i += k
    return paras


def load_de(rng):
    docs = []
    for line in (CORPUS / "de_articles.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        src, text = d["source"], d["text"].replace("\r", "")
        if src == "10kGNAD_test":
            s = sentences(text)
            if len(s) < 6:
                continue
            title = s[0].rstrip(".")
            if len(title) > 140 or len(title.split()) < 3:
                continue
            body = group(rng, s[1:])
            # derStandard credit "(Reuters, 25.5.2016)" at the very end: not shown by other outlets
            body[-1] = re.sub(r"\s*\([^()]{2,60}, \d{1,2}\.\d{1,2}\.\d{4}\)$", "", body[-1])
        elif src in ("dewikinews_uhh", "fundus_gold"):
            title = d["title"] or ""
            title = re.sub(r"^\d+\s+-\s+", "", title)
            title = re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)(?:\.pretty\.json)?$", "", title).strip()
            body = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
            body = [p for p in body if p]
            while body and len(body[-1]) < 40:
                body.pop()
            # fundus derStandard pieces end with an author credit in brackets: not body prose
            if body and re.search(r"\(\D{3,80}, \d{1,2}\.\d{1,2}\.\d{4}\)$", body[-1]):
                body[-1] = re.sub(r"\s*\(\D{3,80}, \d{1,2}\.\d{1,2}\.\d{4}\)$", "", body[-1])
            if len(body) < 3 or not title or any(len(p) > 2500 for p in body):
                continue
            if any(len(p) < 25 for p in body):
                continue
        else:
            continue
        if sum(len(p) for p in body) < 700:
            continue
        docs.append(dict(source=src, title=title, body=body[:12]))
    return docs


_TITLE_SMALL = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "as", "vs"}


def title_case(h: str) -> str:
    out = []
    for i, w in enumerate(h.lower().split()):
        if re.fullmatch(r"<[^>]+>", w) or re.fullmatch(r"[a-z]{1,4}/[a-z]{1,4}", w):
            out.append(w.upper())
        elif i and w in _TITLE_SMALL:
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def load_en():
    docs = []
    for line in (CORPUS / "reuters21578.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        text = d["text"].replace("\r", "")
        head, _, rest = text.partition("\n")
        rest = re.sub(r"\s*Reuter\s*(?:&#3;)?\s*$", "", rest.strip(), flags=re.I)
        paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n    ", "\n" + rest)]
        paras = [p for p in paras if p]
        if len(paras) < 4 or len(paras) > 14:
            continue
        if any(len(p) < 60 for p in paras) or sum(len(p) for p in paras) < 900:
            continue
        digits = sum(c.isdigit() for p in paras for c in p) / sum(len(p) for p in paras)
        if digits > 0.06 or not (3 <= len(head.split()) <= 14) or "&lt;" in text:
            continue
        docs.append(dict(source="reuters21578", title=title_case(head.strip()), body=paras))
    return docs


def load_comments():
    out = []
    for line in (CORPUS / "de_reader_comments.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        b = d["body"].replace("\r", "").strip()
        if d["status"] != "online" or not (25 <= len(b) <= 500):
            continue
        paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", b) if p.strip()]
        paras = [re.sub(r"\s*\n\s*", " ", p) for p in paras][:2]
        out.append(dict(head=(d.get("headline") or "").strip(), paras=paras))
    return out


# ---------------------------------------------------------------------------------- document builder
class Doc:
    def __init__(self, rng, lang):
        self.rng, self.lang = rng, lang
        self.items: list[tuple[str, str, str]] = []  # (text, kind, sep-before)
        self.title = None
        self.date = None
        self.authors: list[str] = []
        self.agencies: list[str] = []
        self.kicker = None
        self.n_comments = 0

    def add(self, text, kind, sep="\n\n"):
        self.items.append((text, kind, sep))

    def noise(self, text, kind, sep="\n\n"):
        self.add(text, kind, sep)

    def agency(self, *names):
        for n in names:
            if n not in self.agencies:
                self.agencies.append(n)

    def render(self):
        out = []
        for i, (text, _kind, sep) in enumerate(self.items):
            if i:
                out.append(sep)
            out.append(text)
        return "".join(out) + "\n"

    def truth_body(self):
        return [t for t, k, _ in self.items if k == "body"]

    def truth_noise(self):
        return [(t, k) for t, k, _ in self.items if k not in ("body", "title")]


def de_name(rng):
    return f"{rng.choice(DE_FIRST)} {rng.choice(DE_LAST)}"


def en_name(rng):
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def names_join_de(ns):
    return ns[0] if len(ns) == 1 else ", ".join(ns[:-1]) + " und " + ns[-1]


def names_join_en(ns):
    return ns[0] if len(ns) == 1 else ", ".join(ns[:-1]) + " and " + ns[-1]


def rand_date(rng):
    start = dt.datetime(2015, 1, 1)
    d = start + dt.timedelta(minutes=rng.randrange(9 * 365 * 24 * 60))
    return d


def iso_min(d):
    return d.strftime("%Y-%m-%dT%H:%M")


def iso_day(d):
    return d.strftime("%Y-%m-%d")


def de_long(d, at=False):
    return f"{d.day}. {(MONTH_AT if at else MONTH_DE)[d.month - 1]} {d.year}"


def h12(d):
    h = d.hour % 12 or 12
    return f"{h}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


def kicker_from(rng, doc_title, body, lang):
    words = re.findall(r"\b[A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ]?[\wäöüß]+)+\b", " ".join(body[:3]))
    if words and rng.random() < 0.6:
        return rng.choice(words)
    if lang == "de":
        return rng.choice(
            [
                "Ausland",
                "Wirtschaft",
                "Analyse",
                "Kommentar",
                "Exklusiv",
                "Liveblog",
                "Nach Protesten",
                "Streit um Reform",
                "Wahl in Hessen",
                "Hintergrund",
                "Eil",
                "Inland",
                "Panorama",
                "Neue Studie",
                "Verkehr",
                "Gericht",
                "Justiz",
            ]
        )
    return rng.choice(["Business", "World", "Analysis", "Markets", "Exclusive", "Politics", "Economy"])


def related_titles(rng, pool, k):
    return [rng.choice(pool)["title"] for _ in range(k)]


def comments_de(rng, d: Doc, pool, style):
    k = rng.randint(2, 6)
    d.n_comments = k
    for j in range(k):
        c = rng.choice(pool)
        h = rng.choice(HANDLES) + (str(rng.randint(1, 99)) if rng.random() < 0.4 else "")
        t = d._date + dt.timedelta(minutes=rng.randint(20, 3000))
        if style == "zeit":
            d.noise(f"{h} #{j * rng.randint(1, 4) + 1}", "comment_meta")
            d.noise(
                rng.choice(
                    [
                        f"vor {rng.randint(2, 11)} Stunden",
                        f"{de_long(t)}, {t:%H:%M} Uhr",
                        f"vor {rng.randint(12, 55)} Minuten",
                    ]
                ),
                "comment_meta",
                "\n",
            )
        elif style == "faz":
            full = de_name(rng)
            d.noise(f"{full} ({h.lower()}) - {t:%d.%m.%Y} - {t:%H:%M}", "comment_meta")
            if c["head"]:
                d.noise(c["head"], "comment", "\n")
        elif style == "welt":
            nm = f"{rng.choice(DE_FIRST)} {rng.choice(DE_LAST)[0]}."
            d.noise(nm, "comment_meta")
            d.noise(
                rng.choice([f"vor {rng.randint(2, 11)} Stunden", f"vor {rng.randint(2, 50)} Minuten", f"{t:%d.%m.%Y}"]),
                "comment_meta",
                "\n",
            )
        elif style == "oerr":
            nm = f"{rng.choice(DE_FIRST)} {rng.choice(DE_LAST)[0]}."
            fmt = rng.random()
            if fmt < 0.5:
                d.noise(f"{nm} vor {rng.randint(2, 11)} Stunden", "comment_meta")
            else:
                d.noise(f"{h} am {t:%d.%m.%Y} um {t:%H:%M} Uhr", "comment_meta")
        elif style == "tonline":
            d.noise(f"{rng.choice(DE_FIRST)} {rng.choice(DE_LAST)}", "comment_meta")
            d.noise(f"vor {rng.randint(2, 11)} Std.", "comment_meta", "\n")
        for pi, p in enumerate(c["paras"]):
            d.noise(p, "comment", "\n" if pi == 0 else "\n\n")
        if style == "zeit":
            d.noise("Antworten", "comment_meta")
            if rng.random() < 0.6:
                d.noise(f"{rng.randint(1, 150)} Empfehlungen", "comment_meta", "\n")
        elif style == "faz":
            d.noise(rng.choice(["Antworten", "Empfehlen", f"Antworten ({rng.randint(1, 9)})"]), "comment_meta")
            d.noise(f"Empfehlen ({rng.randint(1, 80)})" if rng.random() < 0.5 else "Melden", "comment_meta", "\n")
        elif style in ("welt", "tonline") and rng.random() < 0.6:
            d.noise("Antworten", "comment_meta")
            d.noise(str(rng.randint(1, 90)), "comment_meta", "\n")


def comments_en(rng, d: Doc, style):
    k = rng.randint(2, 6)
    d.n_comments = k
    for _ in range(k):
        h = rng.choice(HANDLES)
        t = d._date + dt.timedelta(minutes=rng.randint(20, 3000))
        if style == "guardian":
            if rng.random() < 0.5:
                d.noise(f"{h} {t.day} {MON_EN[t.month - 1]} {t.year} {t:%H.%M}", "comment_meta")
            else:
                d.noise(h, "comment_meta")
                d.noise(f"{t.day} {MON_EN[t.month - 1]} {t.year} {t:%H.%M}", "comment_meta", "\n")
        elif style == "nyt":
            d.noise(h, "comment_meta")
            d.noise(
                rng.choice(["Ohio", "Brooklyn, NY", "London", "Seattle", "Vermont", "Berlin", "Austin, TX"]),
                "comment_meta",
                "\n",
            )
            d.noise(f"{NYT_MON[t.month - 1]} {t.day}", "comment_meta", "\n")
        else:  # bbc
            d.noise(h, "comment_meta")
            d.noise(f"{rng.randint(2, 11)} hours ago", "comment_meta", "\n")
        d.noise(rng.choice(EN_COMMENTS), "comment", "\n")
        if style == "guardian":
            d.noise(rng.choice(["Reply", "Report", f"{rng.randint(1, 300)}"]), "comment_meta")
        elif style == "nyt":
            d.noise(f"{rng.randint(1, 400)} Recommend", "comment_meta")
            d.noise("Reply", "comment_meta", "\n")
        else:
            d.noise(f"{rng.randint(1, 99)} likes" if rng.random() < 0.5 else "Reply", "comment_meta")


def mid_positions(rng, n, k):
    if n < 3:
        return []
    return sorted(rng.sample(range(1, n - 1), min(k, n - 2))) if n > 2 else []


def emit_body(d: Doc, body, inserts: dict[int, list[tuple[str, str, str]]]):
    """body paragraphs, with noise inserted before paragraph i."""
    for i, p in enumerate(body):
        for t, k, sep in inserts.get(i, []):
            d.noise(t, k, sep)
        d.add(p, "body")


# ---------------------------------------------------------------------------------- styles (German)
def style_faz(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        if rng.random() < 0.6:
            d.kicker = kicker_from(rng, art["title"], art["body"], "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    body = list(art["body"])
    d.add(body[0], "body")  # lead/teaser
    if rng.random() < 0.7:
        d.authors = [de_name(rng)] if rng.random() < 0.75 else [de_name(rng), de_name(rng)]
        by = "Von " + names_join_de(d.authors)
        if rng.random() < 0.5:
            by += ", " + rng.choice(DE_PLACES)
        d.noise(by, "byline")
    if rng.random() < 0.5:
        d.noise(f"Aktualisiert am {date:%d.%m.%Y}-{date:%H:%M}", "date")
    else:
        d.noise(f"-Aktualisiert am {date:%d.%m.%Y}-{date:%H:%M}", "date", "\n")
    d.date = iso_min(date)
    if rng.random() < 0.5:
        d.noise(rng.choice(["Lesezeit: 3 Min.", f"Lesezeit: {rng.randint(2, 9)} Min.", "Artikel anhören"]), "nav")
    d.noise("Bildbeschreibung einblenden", "nav")
    d.noise(f"{rng.choice(CAPTION_DE)} Bild: {rng.choice(PHOTO_DE)}", "caption")
    ins = {}
    for p in mid_positions(rng, len(body) - 1, rng.randint(0, 2)):
        ins.setdefault(p, []).append(("Bildbeschreibung einblenden", "nav", "\n\n"))
        ins[p].append((f"{rng.choice(CAPTION_DE)}. Bild: {rng.choice(PHOTO_DE)}", "caption", "\n"))
    if rng.random() < 0.4 and len(body) > 4:
        p = rng.randint(2, len(body) - 2)
        ins.setdefault(p, []).append(("Mehr zum Thema", "related", "\n\n"))
        for t in related_titles(rng, ctx["de"], 2):
            ins[p].append((t, "related", "\n"))
    emit_body(d, body[1:], ins)
    r = rng.random()
    if r < 0.35:
        d.noise("Quelle: F.A.Z.", "agency")
    elif r < 0.6:
        ag = rng.choice([["dpa"], ["AFP"], ["dpa", "Reuters"], ["Reuters"], ["dpa", "AFP"]])
        d.agency(*ag)
        d.noise("Quelle: " + rng.choice(["", "FAZ.NET mit ", "pca./"]) + "/".join(ag) if True else "", "agency")
    elif r < 0.8:
        ag = rng.choice([["dpa"], ["AFP"], ["Reuters"]])
        d.agency(*ag)
        d.noise(f"Quelle: {rng.choice(['mawy', 'ala', 'jib', 'smo'])}./{'/'.join(ag)}", "agency")
    for t in rng.sample(
        [
            "Artikelrechte erwerben",
            "Teilen",
            "Merken",
            "Drucken",
            "Zur App",
            "Themen zu diesem Artikel",
            "F.A.Z. Newsletter",
            "Facebook",
            "X",
            "E-Mail",
        ],
        rng.randint(1, 4),
    ):
        d.noise(t, "nav")
    if ctx["comments"]:
        d.noise(
            rng.choice(["Lesermeinungen", f"Lesermeinungen ({rng.randint(3, 300)})", "Leserkommentare"]), "comment_meta"
        )
        if rng.random() < 0.5:
            d.noise("Lesermeinung schreiben", "comment_meta", "\n")
        comments_de(rng, d, ctx["cpool"], "faz")


def style_sz(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if rng.random() < 0.4:
        d.noise(
            rng.choice(["Home", "Startseite"])
            + " "
            + rng.choice(["Politik", "Wirtschaft", "Panorama", "Bayern", "Kultur"])
            + " "
            + kicker_from(rng, "", art["body"], "de"),
            "nav",
        )
    if show_title:
        d.kicker = kicker_from(rng, art["title"], art["body"], "de")
        d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    if rng.random() < 0.3:
        d.noise("SZ Plus", "nav", "\n")
    if rng.random() < 0.3:
        d.noise(f"Aktualisiert am {de_long(date)}, {date:%H:%M} Uhr", "date")
    else:
        d.noise(f"{de_long(date)}, {date:%H:%M} Uhr", "date")
    d.date = iso_min(date)
    d.noise(f"Lesezeit: {rng.randint(1, 9)} Min.", "nav", "\n")
    body = list(art["body"])
    d.add(body[0], "body")
    d.noise(f"{rng.choice(CAPTION_DE)}. (Foto: {rng.choice(PHOTO_DE)})", "caption")
    if rng.random() < 0.65:
        d.authors = [de_name(rng)] if rng.random() < 0.8 else [de_name(rng), de_name(rng)]
        d.noise(
            "Von " + names_join_de(d.authors) + (", " + rng.choice(DE_PLACES) if rng.random() < 0.3 else ""), "byline"
        )
    ins = {}
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [
            (rng.choice(["Newsletter abonnieren", "SZ am Morgen & SZ am Abend Newsletter"]), "promo", "\n\n"),
            ("Den Tag durchblicken: Die wichtigsten Nachrichten kompakt in Ihrem Postfach.", "promo", "\n"),
            ("Kostenlos anmelden", "promo", "\n"),
        ]
    if len(body) > 3 and rng.random() < 0.4:
        p = rng.randint(1, len(body) - 2)
        ins.setdefault(p, []).append((f"{rng.choice(CAPTION_DE)}. (Foto: {rng.choice(PHOTO_DE)})", "caption", "\n\n"))
    emit_body(d, body[1:], ins)
    r = rng.random()
    ini = rng.choice(["mane", "saul", "kast", "lala", "bix", "dit"])
    if r < 0.55:
        ag = rng.choice([["dpa"], ["dpa", "AFP"], ["Reuters"], ["dpa", "KNA"], ["epd"]])
        d.agency(*ag)
        d.noise(
            ("Quelle: " if rng.random() < 0.5 else "© ")
            + "SZ/"
            + "/".join(a.lower() if a != "KNA" else a for a in ag)
            + "/"
            + ini,
            "agency",
        )
    elif r < 0.75:
        d.noise(f"© SZ/{ini}", "agency")
    for t in rng.sample(
        [
            "Zur SZ-Startseite",
            "Teilen",
            "Feedback",
            "Bestellen Sie hier den Newsletter",
            "Lesen Sie mehr zum Thema",
            "Zur Merkliste hinzufügen",
        ],
        rng.randint(1, 3),
    ):
        d.noise(t, "nav")


def style_zeit(rng, art, d: Doc, show_title, ctx):
    date = d._date
    kick = kicker_from(rng, art["title"], art["body"], "de")
    if show_title:
        if rng.random() < 0.5:
            d.kicker = kick
            d.noise(kick, "kicker")
            d.title = art["title"]
        else:
            d.title = f"{kick}: {art['title']}"
        d.add(d.title, "title", "\n")
    body = list(art["body"])
    d.add(body[0], "body")
    if rng.random() < 0.5:
        d.noise(f"{rng.choice(CAPTION_DE)} © {rng.choice(PHOTO_DE)}", "caption")
    src_ag = rng.choice([["dpa"], ["dpa", "AFP"], ["AFP"], ["Reuters"], ["dpa", "Reuters"], ["epd", "KNA"], []])
    ini = rng.choice(["dab", "lgr", "ces", "sho", "jk", "fa"])
    src = "Quelle: " + ", ".join(["ZEIT ONLINE", *src_ag, ini])
    d.agency(*src_ag)
    dl = rng.choice(
        [
            f"Aktualisiert am {de_long(date)}, {date:%H:%M} Uhr",
            f"{de_long(date)}, {date:%H:%M} Uhr",
            f"Veröffentlicht am {de_long(date)}, {date:%H:%M} Uhr",
        ]
    )
    d.date = iso_min(date)
    where = rng.choice(["glued", "top", "bottom"]) if src_ag else None
    d.noise(f"{dl} {src}" if where == "glued" else dl, "date")
    if where == "top":
        d.noise(src, "agency", "\n")
    if not src_ag and rng.random() < 0.7:
        d.authors = [de_name(rng)] if rng.random() < 0.8 else [de_name(rng), de_name(rng)]
        d.noise(rng.choice(["Von ", "Ein Kommentar von ", "Eine Analyse von "]) + names_join_de(d.authors), "byline")
    if rng.random() < 0.5:
        d.noise("Artikel hören Player schließen", "nav")
    if rng.random() < 0.3:
        d.noise("Artikel verschenken", "nav", "\n")
    ins = {}
    if len(body) > 4 and rng.random() < 0.4:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [("Anzeige", "nav", "\n\n")]
    if len(body) > 3 and rng.random() < 0.5:
        p = rng.randint(1, len(body) - 2)
        ins.setdefault(p, []).append((f"{rng.choice(CAPTION_DE)} © {rng.choice(PHOTO_DE)}", "caption", "\n\n"))
    emit_body(d, body[1:], ins)
    if where == "bottom":
        d.noise(src, "agency")
    if rng.random() < 0.4:
        d.noise(rng.choice(["Zur Startseite", "Seite 1/2Nächste Seite", "Mehr zum Thema"]), "nav")
    if ctx["comments"]:
        d.noise(rng.choice(["Kommentare", f"{rng.randint(3, 900)} Kommentare", "Kommentieren"]), "comment_meta")
        if rng.random() < 0.5:
            d.noise(
                rng.choice(["Neueste zuerst", "Seite 1 von 12", "Nur Redaktionsempfehlungen"]), "comment_meta", "\n"
            )
        comments_de(rng, d, ctx["cpool"], "zeit")


def style_welt(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        if rng.random() < 0.5:
            d.kicker = kicker_from(rng, art["title"], art["body"], "de")
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    body = list(art["body"])
    if rng.random() < 0.6:
        d.noise(f"{rng.choice(CAPTION_DE)}", "caption")
        d.noise(
            f"Quelle: {rng.choice(['picture alliance/dpa', 'AFP', 'Getty Images', 'picture alliance / SZ Photo', 'REUTERS', 'dpa/Kay Nietfeld', 'WELT'])}",
            "caption",
            "\n",
        )
    d.noise(f"Veröffentlicht am {date:%d.%m.%Y} | Lesedauer: {rng.randint(2, 8)} Minuten", "date")
    d.date = iso_day(date)
    if rng.random() < 0.65:
        d.authors = [de_name(rng)] if rng.random() < 0.7 else [de_name(rng), de_name(rng)]
        d.noise("Von " + ", ".join(d.authors), "byline")
        if rng.random() < 0.4:
            d.noise(
                rng.choice(
                    [
                        "Korrespondent in Washington",
                        "Redakteurin Innenpolitik",
                        "Wirtschaftsredakteur",
                        "Politikredakteurin",
                        "Chefreporter",
                    ]
                ),
                "byline",
                "\n",
            )
    d.add(body[0], "body")
    ins = {}
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [("Lesen Sie auch", "related", "\n\n"), (rng.choice(ctx["de"])["title"], "related", "\n")]
    if len(body) > 3 and rng.random() < 0.4:
        p = rng.randint(1, len(body) - 2)
        ins.setdefault(p, []).append((rng.choice(CAPTION_DE), "caption", "\n\n"))
        ins[p].append(("Quelle: " + rng.choice(["dpa", "AFP", "picture alliance/dpa", "AP"]), "caption", "\n"))
    emit_body(d, body[1:], ins)
    r = rng.random()
    if r < 0.5:
        ag = rng.choice([["dpa"], ["AFP"], ["dpa", "AFP"], ["Reuters"], ["dpa", "Reuters"]])
        d.agency(*ag)
        d.noise(
            "/".join(a.lower() if a == "dpa" else a for a in ag)
            + "/"
            + rng.choice(["fhs", "säd", "krott", "sebe", "jm"]),
            "agency",
        )
    if rng.random() < 0.5:
        d.noise(
            "Die WELT als ePaper: Die vollständige Ausgabe steht Ihnen bereits am Vorabend zur Verfügung – "
            "so sind Sie immer hochaktuell informiert. Weitere Informationen: http://epaper.welt.de",
            "promo",
        )
    if rng.random() < 0.4:
        d.noise(f"Der Kurz-Link dieses Artikels lautet: https://www.welt.de/{rng.randint(100000000, 250000000)}", "nav")
    if ctx["comments"]:
        d.noise(rng.choice(["Kommentare", f"Kommentare ({rng.randint(2, 400)})", "Leserkommentare"]), "comment_meta")
        comments_de(rng, d, ctx["cpool"], "welt")


def style_ntv(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if rng.random() < 0.4:
        d.noise(rng.choice(["Politik", "Wirtschaft", "Panorama", "Sport", "Technik"]), "nav")
    if show_title:
        d.kicker = kicker_from(rng, art["title"], art["body"], "de")
        d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    d.noise(rng.choice([f"{date:%d.%m.%Y}, {date:%H:%M} Uhr", f"{date:%d.%m.%Y} {date:%H:%M} Uhr"]), "date")
    d.date = iso_min(date)
    if rng.random() < 0.3:
        d.authors = [de_name(rng)]
        d.noise(rng.choice(["Von ", "Ein Kommentar von ", "Eine Analyse von "]) + d.authors[0], "byline")
    if rng.random() < 0.5:
        d.noise("Artikel anhören", "nav")
        d.noise(f"00:00 / 0{rng.randint(1, 7)}:{rng.randint(10, 59)}", "nav", "\n")
    d.noise(f"{rng.choice(CAPTION_DE)}.(Foto: {rng.choice(PHOTO_DE)})", "caption")
    body = list(art["body"])
    d.add(body[0], "body")
    ins = {}
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [(rng.choice(CAPTION_DE) + ".(Foto: " + rng.choice(PHOTO_DE) + ")", "caption", "\n\n")]
    if len(body) > 4 and rng.random() < 0.4:
        p = rng.randint(2, len(body) - 2)
        ins.setdefault(p, []).append(("Mehr zum Thema", "related", "\n\n"))
        ins[p].append((rng.choice(ctx["de"])["title"], "related", "\n"))
    emit_body(d, body[1:], ins)
    r = rng.random()
    ini = rng.choice(["mbo", "ghö", "rts", "jki", "lve", "hul"])
    if r < 0.6:
        ag = rng.choice([["dpa"], ["AFP"], ["dpa", "AFP"], ["rts"], ["dpa", "rts"]])
        ag_t = [("Reuters" if a == "rts" else a) for a in ag]
        d.agency(*ag_t)
        d.noise(f"Quelle: ntv.de, {ini}/{'/'.join(ag)}", "agency")
    elif r < 0.8:
        d.noise(f"Quelle: ntv.de, {d.authors[0]}" if d.authors else "Quelle: ntv.de", "agency")
    else:
        d.noise(f"Quelle: ntv.de, {ini}", "agency")
    if rng.random() < 0.5:
        d.noise(
            rng.choice(
                ["Bleiben Sie auf dem Laufenden: Abonnieren Sie den ntv Newsletter", "Mehr zum Thema", "Themen"]
            ),
            "nav",
        )


def style_tonline(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    r = rng.random()
    ag = rng.choice([["dpa"], ["dpa", "AFP"], ["AFP"], ["Reuters"], []])
    if r < 0.45:
        d.noise(f"Aktualisiert am {date:%d.%m.%Y} - {date:%H:%M} UhrLesedauer: {rng.randint(1, 6)} Min.", "date")
        d.date = iso_min(date)
    elif r < 0.7:
        d.noise(f"Aktualisiert am {date:%d.%m.%Y}Lesedauer: {rng.randint(1, 6)} Min.", "date")
        d.date = iso_day(date)
    else:
        d.noise(f"{date:%d.%m.%Y}, {date:%H:%M} Uhr | Lesedauer: {rng.randint(1, 6)} Min.", "date")
        d.date = iso_min(date)
    rb = rng.random()
    if rb < 0.4:
        ini = rng.choice(["mbo", "aj", "lw", "cch"])
        d.noise(
            "Von " + ", ".join(["t-online"] + [a.lower() if a != "AFP" else "afp" for a in ag] + [ini]), "byline", "\n"
        )
        d.agency(*ag)
    elif rb < 0.75:
        d.authors = [de_name(rng)]
        d.noise(f"Von {d.authors[0]}", "byline", "\n")
    d.noise(
        f"{rng.choice(CAPTION_DE)}: {rng.choice(['Die Aufnahme entstand am Montag.', 'Der Fall sorgt für Aufsehen.', 'Archivbild'])} (Quelle: {rng.choice(PHOTO_DE)})",
        "caption",
    )
    if rng.random() < 0.4:
        d.noise("Facebook Logo", "nav")
        d.noise("Twitter Logo", "nav", "\n")
        d.noise("Pinterest Logo", "nav", "\n")
        d.noise("WhatsApp Logo", "nav", "\n")
    body = list(art["body"])
    ins = {}
    if len(body) > 4 and rng.random() < 0.6:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [(f"Lesen Sie auch: {rng.choice(ctx['de'])['title']}", "related", "\n\n")]
    if len(body) > 3 and rng.random() < 0.5:
        p = rng.randint(1, len(body) - 2)
        ins.setdefault(p, []).append(("Anzeige", "nav", "\n\n"))
    emit_body(d, body, ins)
    if rng.random() < 0.6:
        d.noise("Verwendete Quellen:", "credit")
        srcs = []
        for a in ag or ["dpa"]:
            srcs.append(
                {
                    "dpa": "Nachrichtenagentur dpa",
                    "AFP": "Nachrichtenagentur AFP",
                    "Reuters": "Nachrichtenagentur Reuters",
                }[a]
            )
            d.agency(a)
        srcs += rng.sample(
            [
                "Eigene Recherche",
                "tagesschau.de: „Was wir bisher wissen“",
                "spiegel.de",
                "Mit Material der Nachrichtenagentur dpa" if False else "bild.de",
            ],
            rng.randint(1, 2),
        )
        for s in srcs:
            d.noise(f"{s}", "credit", "\n")
    for t in rng.sample(
        ["Teilen Sie Ihre Meinung mit", "Embed", "Artikel teilen", "Mehr zum Thema", "Zur Startseite"],
        rng.randint(1, 2),
    ):
        d.noise(t, "nav")
    if ctx["comments"]:
        d.noise(
            rng.choice([f"Leserkommentare ({rng.randint(2, 99)})", "Leserkommentare", "Kommentare"]), "comment_meta"
        )
        comments_de(rng, d, ctx["cpool"], "tonline")


def style_oerr(rng, art, d: Doc, show_title, ctx):
    date = d._date
    sender = rng.choice(["mdr", "ndr", "br"])
    d.sub = sender
    body = list(art["body"])
    if sender == "br":
        d.noise(f"Bildrechte: {rng.choice(PHOTO_DE)}", "caption")
        d.noise(rng.choice(["Bildbeschreibung", f"{rng.choice(CAPTION_DE)}"]), "caption", "\n")
        if rng.random() < 0.5:
            d.noise(rng.choice(["Artikel mit Audio-Inhalten", "Artikel mit Video-Inhalten", "Audiobeitrag"]), "nav")
        if show_title:
            d.kicker = kicker_from(rng, art["title"], body, "de")
            d.noise(d.kicker, "kicker")
            d.title = art["title"]
            d.add(d.title, "title", "\n")
        d.noise(f"{date:%d.%m.%Y}, {date:%H:%M} Uhr", "date")
        d.date = iso_min(date)
        if rng.random() < 0.6:
            d.authors = [de_name(rng)]
            d.noise(f"Von {d.authors[0]}", "byline")
            if rng.random() < 0.5:
                d.noise(rng.choice(["BR24 Redaktion", "BR Franken", "BR24"]), "byline", "\n")
        emit_body(d, body, {})
        if rng.random() < 0.6:
            d.noise(
                f"Dieses Thema im Programm: {rng.choice(['BR24 im Radio', 'Rundschau', 'BR24'])} am {date:%d.%m.%Y} um {rng.randint(6, 22)}:00 Uhr",
                "broadcast",
            )
        if rng.random() < 0.5:
            ag = rng.choice([["dpa"], ["epd"], ["dpa", "AFP"]])
            d.agency(*ag)
            d.noise(f"Mit Informationen von {'/'.join(ag)}", "agency")
        d.noise(
            rng.choice(
                [
                    "Sie interessieren sich für Themen rund um Bayern? Mit dem BR24-Newsletter wissen Sie immer, was los ist.",
                    "Das ist die Europäische Perspektive bei BR24.",
                ]
            ),
            "promo",
        )
        if ctx["comments"]:
            d.noise("Kommentare", "comment_meta")
            comments_de(rng, d, ctx["cpool"], "oerr")
        return
    if show_title:
        d.kicker = kicker_from(rng, art["title"], body, "de") if rng.random() < 0.6 else None
        if d.kicker:
            d.noise(d.kicker, "kicker")
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    if sender == "ndr":
        d.noise(f"Stand: {date:%d.%m.%Y} {date:%H:%M} Uhr", "date")
    else:
        d.noise(f"{de_long(date)}, {date:%H:%M} Uhr", "date")
    d.date = iso_min(date)
    d.add(body[0], "body")
    d.noise(f"{rng.choice(CAPTION_DE)}.", "caption")
    d.noise(f"Bildrechte: {rng.choice(PHOTO_DE)}" if sender == "mdr" else f"© {rng.choice(PHOTO_DE)}", "caption", "\n")
    if sender == "ndr" and rng.random() < 0.5:
        d.authors = [de_name(rng)]
        d.noise(f"von {d.authors[0]}", "byline")
    ins = {}
    if len(body) > 4 and rng.random() < 0.6:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [("Weitere Informationen" if sender == "ndr" else "Mehr zum Thema", "related", "\n\n")]
        for t in related_titles(rng, ctx["de"], 2):
            ins[p].append((t, "related", "\n"))
    emit_body(d, body[1:], ins)
    if sender == "mdr":
        ag = rng.choice([["dpa"], ["dpa", "epd"], ["AFP"], ["KNA"], []])
        d.agency(*ag)
        d.noise(
            "Quelle: "
            + "/".join([rng.choice(["MDR THÜRINGEN", "MDR SACHSEN", "MDR AKTUELL", "MDR"]), *ag])
            + (f"/{rng.choice(['kk', 'jn', 'mpö'])}" if rng.random() < 0.5 else ""),
            "agency",
        )
        d.noise(
            f"Dieses Thema im Programm: MDR AKTUELL - Das Nachrichtenradio | {de_long(date)} | {rng.randint(6, 22):02d}:00 Uhr",
            "broadcast",
        )
    else:
        d.noise(
            f"Dieses Thema im Programm: NDR Info | Aktuell | {date:%d.%m.%Y} | {rng.randint(6, 22):02d}:00 Uhr",
            "broadcast",
        )
        if rng.random() < 0.5:
            ag = rng.choice([["dpa"], ["epd"]])
            d.agency(*ag)
            d.noise(f"Quelle: {ag[0]}", "agency")
        d.noise("Schlagwörter zu diesem Artikel", "tags")
        for t in rng.sample(
            ["Niedersachsen", "Hamburg", "Polizeimeldungen", "Wirtschaft", "Corona-Virus", "Landtag", "Verkehr"], 3
        ):
            d.noise(t, "tags", "\n")
    if ctx["comments"]:
        d.noise("Kommentare", "comment_meta")
        comments_de(rng, d, ctx["cpool"], "oerr")


def style_orf(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    body = list(art["body"])
    if rng.random() < 0.6:
        d.noise(f"Publiziert am {date:%d.%m.%Y}", "date")
        d.date = iso_day(date)
    else:
        d.noise(f"{date:%d.%m.%Y} {date:%H}.{date:%M}", "date")
        d.date = iso_min(date)
    ins = {}
    if len(body) > 3 and rng.random() < 0.6:
        p = rng.randint(1, len(body) - 2)
        ins[p] = [(f"{rng.choice(PHOTO_DE).replace('dpa', 'APA')}", "caption", "\n\n")]
        if rng.random() < 0.5:
            ins[p].append((f"{rng.choice(CAPTION_DE)}", "caption", "\n"))
    emit_body(d, body, ins)
    r = rng.random()
    if r < 0.5:
        d.noise(f"{rng.choice(['red', 'ppke', 'kale', 'lenz'])}, ORF.at/Agenturen", "agency")
    elif r < 0.8:
        ag = rng.choice([["APA"], ["dpa"], ["APA", "dpa"], ["AFP"], ["Reuters", "APA"]])
        d.agency(*ag)
        d.noise(f"red, ORF.at/{'/'.join(ag)}", "agency")
    if rng.random() < 0.6:
        d.noise("Links:", "nav")
        for t in rng.sample(
            [
                "Bundeskanzleramt",
                "Europäische Kommission",
                "Statistik Austria",
                "WHO",
                "Parlament",
                "AMS",
                "Österreichische Nationalbank",
            ],
            rng.randint(1, 3),
        ):
            d.noise(t, "nav", "\n")


# ---------------------------------------------------------------------------------- styles (English)
def style_bbc(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    r = rng.random()
    ds = f"{date.day} {MONTH_EN[date.month - 1]} {date.year}"
    if r < 0.4:
        d.noise("Published", "date")
        d.noise(ds, "date", "\n")
    elif r < 0.8:
        d.noise(f"{rng.choice(['Published', 'Updated'])} {ds}", "date")
    else:
        d.noise(ds, "date")
    d.date = iso_day(date)
    for t in rng.sample(["Share", "Share page", "About sharing", "Save"], rng.randint(0, 2)):
        d.noise(t, "nav")
    d.noise(f"Image source, {rng.choice(PHOTO_EN)}", "caption")
    d.noise(f"Image caption, {rng.choice(CAPTION_EN)}", "caption", "\n")
    if rng.random() < 0.7:
        d.authors = [en_name(rng)]
        d.noise(f"By {d.authors[0]}", "byline")
        d.noise(
            rng.choice(
                [
                    "BBC News",
                    "Business reporter, BBC News",
                    "Economics correspondent",
                    "BBC News, Washington",
                    "Technology reporter",
                ]
            ),
            "byline",
            "\n",
        )
    body = list(art["body"])
    ins = {}
    if len(body) > 3 and rng.random() < 0.6:
        p = rng.randint(1, len(body) - 2)
        ins[p] = [
            (f"Image source, {rng.choice(PHOTO_EN)}", "caption", "\n\n"),
            (f"Image caption, {rng.choice(CAPTION_EN)}", "caption", "\n"),
        ]
    if len(body) > 4 and rng.random() < 0.3:
        p = rng.randint(2, len(body) - 2)
        ins.setdefault(p, []).append((f"Media caption, {rng.choice(CAPTION_EN)}", "caption", "\n\n"))
    emit_body(d, body, ins)
    if rng.random() < 0.7:
        d.noise("Related Topics", "tags")
        for t in rng.sample(["Economy", "Oil", "United States", "Trade", "Companies", "Stock markets"], 2):
            d.noise(t, "tags", "\n")
    if rng.random() < 0.5:
        d.noise("More on this story", "related")
        for t in related_titles(rng, ctx["en"], 2):
            d.noise(t, "related", "\n")
            d.noise(f"Published {rng.randint(1, 28)} {rng.choice(MONTH_EN)} {rng.randint(2015, 2023)}", "related", "\n")
    if ctx["comments"]:
        d.noise(
            rng.choice(["Comments", f"View comments ({rng.randint(3, 900)})", "Join the conversation"]), "comment_meta"
        )
        comments_en(rng, d, "bbc")


def style_guardian(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if rng.random() < 0.7:
        d.noise(rng.choice(["Business", "World news", "Economics", "Markets", "Opinion", "US news", "Oil"]), "kicker")
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title", "\n")
    r = rng.random()
    if r < 0.45:
        d.authors = [en_name(rng)]
        d.noise(f"{d.authors[0]} in {rng.choice(['Washington', 'London', 'New York', 'Brussels', 'Tokyo'])}", "byline")
    elif r < 0.7:
        d.authors = [en_name(rng), en_name(rng)]
        d.noise(f"{d.authors[0]} and {d.authors[1]}", "byline")
    elif r < 0.85:
        d.authors = [en_name(rng)]
        d.noise(f"{d.authors[0]} and agencies", "byline")
    else:
        d.noise("Staff and agencies", "byline")
    tz = "GMT" if date.month in (11, 12, 1, 2, 3) else "BST"

    def gd(t):
        return f"{WD3_EN[t.weekday()]} {t.day} {MON_EN[t.month - 1]} {t.year} {t:%H.%M} {tz}"

    d.noise(gd(date), "date")
    d.date = iso_min(date)
    upd = date + dt.timedelta(minutes=rng.randint(30, 600))
    if rng.random() < 0.4:
        d.noise(f"Last modified on {gd(upd)}", "date", "\n")
    d.noise(f"{rng.choice(CAPTION_EN)}. Photograph: {rng.choice(PHOTO_EN)}", "caption")
    body = list(art["body"])
    ins = {}
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [(f"{rng.choice(CAPTION_EN)}. Photograph: {rng.choice(PHOTO_EN)}", "caption", "\n\n")]
    if len(body) > 4 and rng.random() < 0.4:
        p = rng.randint(2, len(body) - 2)
        ins.setdefault(p, []).append(
            (f"Sign up to {rng.choice(['Business Today', 'First Edition', 'This is Europe'])}", "promo", "\n\n")
        )
        ins[p].append(("Free daily newsletter", "promo", "\n"))
        ins[p].append(
            (
                "Privacy Notice: Newsletters may contain info about charities, online ads, and content funded by outside parties.",
                "promo",
                "\n",
            )
        )
        ins[p].append(("after newsletter promotion", "promo", "\n"))
    emit_body(d, body, ins)
    if rng.random() < 0.5:
        ag = rng.choice([["Reuters"], ["Associated Press"], ["Agence France-Presse"], ["Reuters", "Associated Press"]])
        d.agency(*ag)
        d.noise(f"{' and '.join(ag)} contributed to this report", "credit")
    if rng.random() < 0.4:
        d.noise(f"First published on {gd(date)}", "date")
    if rng.random() < 0.6:
        d.noise("Explore more on these topics", "tags")
        for t in rng.sample(["Business", "Oil", "Commodities", "Economics", "Trade policy", "US economy"], 3):
            d.noise(t, "tags", "\n")
    for t in rng.sample(["Share", "Reuse this content", "Most viewed"], rng.randint(1, 2)):
        d.noise(t, "nav")
    if ctx["comments"]:
        d.noise(
            rng.choice([f"comments ({rng.randint(10, 2000)})", f"Comments ({rng.randint(10, 2000)})"]), "comment_meta"
        )
        d.noise(
            rng.choice(
                [
                    "Sign in or create your Guardian account to join the discussion.",
                    "This discussion is now closed for comments but you can still sign in or create your Guardian account to join the discussion next time",
                ]
            ),
            "comment_meta",
            "\n",
        )
        if rng.random() < 0.5:
            d.noise("Sort by", "comment_meta")
            d.noise("Oldest", "comment_meta", "\n")
        comments_en(rng, d, "guardian")


def style_ap(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    if rng.random() < 0.8:
        d.authors = [en_name(rng)] if rng.random() < 0.7 else [en_name(rng), en_name(rng)]
        d.noise("By " + names_join_en([a.upper() for a in d.authors]), "byline")
    d.agency("AP")
    r = rng.random()
    if r < 0.4:
        d.noise(f"{MONTH_EN[date.month - 1]} {date.day}, {date.year}", "date")
        d.date = iso_day(date)
    elif r < 0.8:
        tz = rng.choice(["EST", "EDT", "GMT+1"])
        d.noise(
            f"{rng.choice(['Updated', 'Published'])} {h12(date)} {tz}, {MONTH_EN[date.month - 1]} {date.day}, {date.year}",
            "date",
        )
        d.date = iso_min(date)
    else:
        d.noise(f"{MONTH_EN[date.month - 1]} {date.day}, {date.year} GMT", "date")
        d.date = iso_day(date)
    if rng.random() < 0.3:
        d.noise("Share", "nav")
    cap = f"{rng.choice(['', 'FILE - '])}{rng.choice(CAPTION_EN)} in {rng.choice(['Washington', 'New York', 'Geneva'])}, {WD_EN[date.weekday()]}, {MONTH_EN[date.month - 1][:3]}. {date.day}, {date.year}. (AP Photo/{en_name(rng)}{rng.choice(['', ', File'])})"
    d.noise(cap, "caption")
    body = list(art["body"])
    body[0] = f"{rng.choice(EN_PLACES)} (AP) — {body[0]}"
    ins = {}
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [("Advertisement", "nav", "\n\n")]
    emit_body(d, body, ins)
    if rng.random() < 0.5:
        d.noise("___", "nav")
    if rng.random() < 0.6:
        d.noise(
            f"Associated Press writer{'s' if rng.random() < 0.3 else ''} {en_name(rng)} in {rng.choice(['London', 'Tokyo', 'New York'])} contributed to this report.",
            "credit",
        )
    if rng.random() < 0.4:
        d.noise("Follow AP's coverage of the economy at https://apnews.com/hub/economy", "nav")
    if rng.random() < 0.7:
        d.noise(
            f"Copyright {date.year} The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
            "footer",
        )


def style_cnn(rng, art, d: Doc, show_title, ctx):
    date = d._date
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    if rng.random() < 0.7:
        d.authors = [en_name(rng)] if rng.random() < 0.7 else [en_name(rng), en_name(rng)]
        d.noise("By " + names_join_en(d.authors) + ", CNN" + (" Business" if rng.random() < 0.3 else ""), "byline")
    tz = rng.choice(["ET", "EST", "EDT"])
    d.noise(
        f"{rng.choice(['Updated', 'Published'])} {h12(date)} {tz}, {WD3_EN[date.weekday()]} {MONTH_EN[date.month - 1]} {date.day}, {date.year}",
        "date",
    )
    d.date = iso_min(date)
    if rng.random() < 0.6:
        d.noise(rng.choice(CAPTION_EN), "caption")
        d.noise(rng.choice(PHOTO_EN), "caption", "\n")
    body = list(art["body"])
    body[0] = rng.choice(["(CNN) — ", "New York (CNN Business) — ", "(CNN)"]) + body[0]
    ins = {}
    if len(body) > 4 and rng.random() < 0.6:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [
            ("Video Ad Feedback", "nav", "\n\n"),
            (f"{rng.choice(CAPTION_EN)}", "caption", "\n"),
            (f"0{rng.randint(1, 4)}:{rng.randint(10, 59)} - Source: CNN", "caption", "\n"),
        ]
    if len(body) > 4 and rng.random() < 0.5:
        p = rng.randint(2, len(body) - 2)
        ins.setdefault(p, []).append((f"Related article {rng.choice(ctx['en'])['title']}", "related", "\n\n"))
    emit_body(d, body, ins)
    if rng.random() < 0.5:
        d.noise(f"CNN’s {en_name(rng)} contributed to this report.", "credit")
    for t in rng.sample(["Ad Feedback", "See More Videos", "Most Read", "Paid Content"], rng.randint(1, 2)):
        d.noise(t, "nav")


def style_nyt(rng, art, d: Doc, show_title, ctx):
    date = d._date
    d.noise("Advertisement", "nav")
    d.noise("Supported by", "nav")
    if rng.random() < 0.5:
        d.noise("SKIP ADVERTISEMENT", "nav", "\n")
    if show_title:
        d.title = art["title"]
        d.add(d.title, "title")
    if rng.random() < 0.3:
        d.noise("Share full article", "nav")
    d.authors = [en_name(rng)] if rng.random() < 0.6 else [en_name(rng), en_name(rng)]
    d.noise("By " + names_join_en(d.authors), "byline")
    ds = f"{NYT_MON[date.month - 1]} {date.day}, {date.year}"
    r = rng.random()
    up = date + dt.timedelta(hours=rng.randint(2, 40))
    if r < 0.5:
        d.noise(ds, "date")
        d.date = iso_day(date)
    elif r < 0.8:
        d.noise(
            f"Published {ds}Updated {NYT_MON[up.month - 1]} {up.day}, {up.year}, {h12(up).lower().replace('am', 'a.m.').replace('pm', 'p.m.')} ET",
            "date",
        )
        d.date = iso_day(date)
    else:
        d.noise(f"{ds}, {h12(date).lower().replace('am', 'a.m.').replace('pm', 'p.m.')} ET", "date")
        d.date = iso_min(date)
    if rng.random() < 0.5:
        d.noise(f"Reporting from {rng.choice(['Washington', 'London', 'Frankfurt', 'Tokyo'])}", "byline")
    d.noise(f"{rng.choice(CAPTION_EN)}.Credit...{rng.choice(PHOTO_EN)}", "caption")
    body = list(art["body"])
    ins = {}
    if len(body) > 4:
        p = rng.randint(2, len(body) - 2)
        ins[p] = [("Advertisement", "nav", "\n\n"), ("SKIP ADVERTISEMENT", "nav", "\n")]
    emit_body(d, body, ins)
    if len(d.authors) == 2 and rng.random() < 0.5:
        d.noise(f"{d.authors[0]} reported from Washington, and {d.authors[1]} from London.", "credit")
    if rng.random() < 0.6:
        d.noise(
            f"A version of this article appears in print on {NYT_MON[up.month - 1]} {up.day}, {up.year}, Section B, Page {rng.randint(1, 9)} of the New York edition with the headline: {art['title']}. Order Reprints | Today’s Paper | Subscribe",
            "footer",
        )
    if rng.random() < 0.5:
        d.noise("Related Content", "related")
        d.noise(rng.choice(ctx["en"])["title"], "related", "\n")
    if ctx["comments"]:
        d.noise(rng.choice([f"{rng.randint(10, 2000)} Comments", "Comments"]), "comment_meta")
        if rng.random() < 0.6:
            d.noise(rng.choice(["Reader Picks", "NYT Picks", "All"]), "comment_meta", "\n")
        comments_en(rng, d, "nyt")


STYLES_DE = {
    "faz": (style_faz, 0.75),
    "sz": (style_sz, 0.0),
    "zeit": (style_zeit, 0.8),
    "welt": (style_welt, 0.7),
    "ntv": (style_ntv, 0.0),
    "tonline": (style_tonline, 0.6),
    "oerr": (style_oerr, 0.55),
    "orf": (style_orf, 0.0),
}
STYLES_EN = {
    "bbc": (style_bbc, 0.35),
    "guardian": (style_guardian, 0.8),
    "ap": (style_ap, 0.0),
    "cnn": (style_cnn, 0.0),
    "nyt": (style_nyt, 0.7),
}


# ---------------------------------------------------------------------------------- damage
def mojibake(s):
    b = s.encode("utf-8")
    return "".join(bytes([x]).decode("cp1252", errors="ignore") or chr(x) for x in b)


def add_nbsp(rng, s):
    s = re.sub(r"(\d) (Uhr|Min\.|Minuten|Prozent|Euro|Jahre)", lambda m: m.group(1) + "\u00a0" + m.group(2), s)
    words = s.split(" ")
    return "".join(w + ("\u00a0" if rng.random() < 0.03 else " ") for w in words[:-1]) + words[-1]


def render(rng, art, lang, style_fn, comment_rate, date, cpool, ctx_pool) -> Doc:
    """One article laid out by one outlet style, as a Doc (shared with bench/make_corpus.py)."""
    d = Doc(rng, lang)
    d._date = date
    d.sub = None
    show_title = rng.random() >= 0.10
    ctx = dict(comments=rng.random() < comment_rate, cpool=cpool, **ctx_pool)
    style_fn(rng, art, d, show_title, ctx)
    return d


def damage(rng, text) -> tuple[bytes, str, bool, bool]:
    """The file's bytes with devbench's damage rates: (data, encoding, has NBSP, has CRLF).

    5 % mojibake, 3 % cp1252, 1.7 % BOM, 20 % NBSPs, 4 % CRLF, as scrapers deliver them.
    """
    enc = "utf-8"
    r = rng.random()
    nb = rng.random() < 0.2
    if nb:
        text = add_nbsp(rng, text)
    crlf = rng.random() < 0.04
    if crlf:
        text = text.replace("\n", "\r\n")
    if r < 0.05:
        data = mojibake(text).encode("utf-8")
        enc = "utf-8-mojibake"
    elif r < 0.08:
        try:
            data = text.encode("cp1252")
            enc = "cp1252"
        except UnicodeEncodeError:
            data = text.encode("utf-8")
    elif r < 0.097:
        data = text.encode("utf-8-sig")
        enc = "utf-8-sig"
    else:
        data = text.encode("utf-8")
    return data, enc, nb, crlf


def build_set(n, seed, out: Path, styles_de, styles_en, check=None) -> int:
    """Render ``n`` files (a third English) in the given styles into OUT/raw with OUT/truth.jsonl.

    Shared with bench/stress2/gen.py; ``check`` is called on every rendered Doc before it is written.
    """
    rng = random.Random(seed)
    de, en, cpool = load_de(rng), load_en(), load_comments()
    rng.shuffle(de)
    rng.shuffle(en)
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for f in raw.glob("*.txt"):
        f.unlink()
    n_en = n // 3
    plan = [("de", s) for s in styles_de] * ((n - n_en) // len(styles_de) + 1)
    plan = plan[: n - n_en] + ([("en", s) for s in styles_en] * (n_en // len(styles_en) + 1))[:n_en]
    rng.shuffle(plan)
    ctx_pool = {"de": de[-300:], "en": en[-300:]}
    truths = []
    di = ei = 0
    for i, (lang, style) in enumerate(plan):
        if lang == "de":
            art, di = de[di], di + 1
            fn, pc = styles_de[style]
        else:
            art, ei = en[ei], ei + 1
            fn, pc = styles_en[style]
        d = render(rng, art, lang, fn, pc, rand_date(rng), cpool, ctx_pool)
        if check is not None:
            check(d)
        data, enc, nb, crlf = damage(rng, d.render())
        fid = f"{i:06d}_{hashlib.sha1((style + str(i) + art['title']).encode()).hexdigest()[:12]}"
        (raw / f"{fid}.txt").write_bytes(data)
        noise = d.truth_noise()
        truths.append(
            dict(
                id=fid,
                story=fid,
                outlet=style,
                sub=d.sub,
                title=d.title,
                date=d.date,
                authors=d.authors,
                agencies=d.agencies,
                body=d.truth_body(),
                has_comments=d.n_comments > 0,
                n_comments=d.n_comments,
                variant="original",
                lang=lang,
                source=art["source"],
                kicker=d.kicker,
                encoding=enc,
                nbsp=nb,
                crlf=crlf,
                noise=[t for t, _ in noise],
                noise_kinds=[k for _, k in noise],
            )
        )
    with (out / "truth.jsonl").open("w", encoding="utf-8") as f:
        for t in truths:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    print(f"wrote {len(truths)} files to {raw}")
    return len(truths)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="/tmp/stress")
    a = ap.parse_args()
    build_set(a.n, a.seed, Path(a.out), STYLES_DE, STYLES_EN)


if __name__ == "__main__":
    main()
