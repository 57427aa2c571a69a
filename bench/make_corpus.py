"""Build a raw benchmark corpus of N scraped-style news files with known near-duplicate clusters.

    python bench/make_corpus.py --n 20000 --out /tmp/cleaner-bench/n20000-s1 --seed 1

Writes DIR/raw/<outlet>/<number>.txt (plus one JSONL shard DIR/raw/feed/shard.jsonl holding
`--jsonl-share` of the documents, so both readers are timed) and DIR/truth.json: the story
(cluster) of every document id as `cleaner run DIR/raw` names it, the variant of every copy, and
corpus statistics. Text is read at run time from ../shared/corpus and never stored in the repo.

Why the stories are synthetic. The shared corpus holds about 22 MB of text (2,009 German
articles, 21,578 Reuters stories), and 100,000 documents of 2-4 KB need ten times that, so text
must be reused. Reused text must not create accidental near-duplicates, or the truth is wrong
and pairwise F1 measures the generator. So stories are recombined from sentences with a design
that bounds the overlap by construction:

* Sentences of one language are de-duplicated (exact, first-six-words and last-six-words keys,
  digits masked, so re-issued and template Reuters sentences count once) and dealt into
  `MAX_SENTENCES` slot pools of P sentences each, P prime.
* Story (a, b) takes at slot i the sentence pool_i[(a + b*i) mod P]. Two different stories
  (a, b) != (a', b') meet at slot i only if a + b*i = a' + b'*i (mod P), which holds for at most
  one i: any two distinct stories share at most one sentence (at most 45 words), below every
  link rule of cleaner and far below a Jaccard of 0.7.
* A sentence reused by a later story has about one word in eight swapped for another word of
  the language, so the many one-sentence overlaps look like the loose topical overlap of a real
  corpus rather than a shared quote in every pair.

Near-duplicate copies follow devbench's variants (wire copy in another outlet's layout, edited,
teaser, updated at the same outlet, extended); text they add comes from a reserve of sentences
that no story uses. Every file is laid out by one of the thirteen outlet styles of
bench/stress/gen.py (headers, date lines, bylines, photo credits, related links, comment
sections with real reader comments) and damaged like devbench (mojibake, cp1252, BOM, NBSP, CRLF).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from stress import gen

CORPUS = gen.CORPUS
MIN_SENTENCES, MAX_SENTENCES = 8, 18  # story length in sentences: bodies of about 1-2.5 KB
MIN_WORDS, MAX_WORDS = 6, 45  # a sentence shared by two stories stays below cleaner's 45 shared shingles
RESERVE_SHARE = 0.15  # sentences kept out of the slot pools for the text that copies add
REUSE_SWAP = 0.12  # share of words swapped when a sentence is reused
# Variants and their weights as in devbench (wire_copy 56, edited 51, extended 44, teaser 29, updated 23).
VARIANTS = {"wire_copy": 56, "edited": 51, "extended": 44, "teaser": 29, "updated": 23}
COPIES_PER_CLUSTER = (1, 1, 1, 2, 2, 3)  # extra copies of a story that has copies: sizes 2-4

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
_SENTENCE_END = re.compile(r"[.!?\"“”«»')]$")
_CREDIT_TAIL = re.compile(r"\s*\([^()]{2,80}, \d{1,2}\.\d{1,2}\.\d{4}\)$")


@dataclass
class Language:
    """Sentence pools of one language and the state that keeps stories apart."""

    slots: list[list[str]]
    reserve: list[str]
    lower: list[str]  # vocabulary for word swaps, by letter case
    upper: list[str]
    prime: int
    used_lines: set[tuple[int, int]] = field(default_factory=set)
    uses: dict[tuple[int, int], int] = field(default_factory=dict)
    next_reserve: int = 0


@dataclass
class Story:
    """One document's story: sentences in paragraphs, title, date, outlet, and which variant it is.

    Copies share the key of the story they were made from: the key is the truth's cluster.
    """

    key: str
    lang: str
    title: str
    paragraphs: list[list[str]]
    date: dt.datetime
    style: str
    variant: str = "original"


def _norm(sentence: str) -> list[str]:
    return [re.sub(r"\d", "0", w) for w in _WORD.findall(sentence.lower())]


def _good(sentence: str) -> bool:
    """A prose sentence of bounded length: no tables, lists, all-caps lines or links."""
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or len(sentence) > 330:
        return False
    if not _SENTENCE_END.search(sentence) or not (sentence[0].isupper() or sentence[0] in "„\"“'"):
        return False
    letters = sum(c.isalpha() for c in sentence)
    if letters < 0.7 * len(sentence) or sum(c.isdigit() for c in sentence) > 0.1 * len(sentence):
        return False
    upper = sum(c.isupper() for c in sentence)
    return upper < 0.25 * letters and "http" not in sentence and "|" not in sentence and "<" not in sentence


def _german_sentences() -> list[str]:
    out = []
    with (CORPUS / "de_articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"].replace("\r", "")
            for para in re.split(r"\n\s*\n", text):
                flat = _CREDIT_TAIL.sub("", re.sub(r"\s+", " ", para).strip())
                out.extend(gen.sentences(flat))
    return out


def _english_sentences() -> list[str]:
    out = []
    with (CORPUS / "reuters21578.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            text = html.unescape(json.loads(line)["text"].replace("\r", ""))
            body = re.sub(r"\s*Reuter\s*$", "", text.partition("\n")[2].strip(), flags=re.I)
            for para in re.split(r"\n\s*\n|\n {3,}", body):
                out.extend(gen.sentences(re.sub(r"\s+", " ", para).strip()))
    return out


def _largest_prime_at_most(n: int) -> int:
    for p in range(n, 1, -1):
        if all(p % d for d in range(2, int(p**0.5) + 1)):
            return p
    raise ValueError(f"no prime <= {n}: too few sentences")


def build_language(raw_sentences: list[str], rng: random.Random) -> Language:
    """De-duplicate the sentences and deal them into slot pools and the reserve."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for s in raw_sentences:
        if not _good(s):
            continue
        words = _norm(s)
        keys = [("all", *words), ("head", *words[:6]), ("tail", *words[-6:])]
        if any(k in seen for k in keys):
            continue
        seen.update(keys)
        kept.append(s)
    rng.shuffle(kept)
    prime = _largest_prime_at_most(int(len(kept) * (1 - RESERVE_SHARE)) // MAX_SENTENCES)
    slots = [kept[i * prime : (i + 1) * prime] for i in range(MAX_SENTENCES)]
    vocab = sorted({w for s in kept for w in _TOKEN.findall(s)})
    return Language(
        slots,
        kept[MAX_SENTENCES * prime :],
        [w for w in vocab if w.islower()],
        [w for w in vocab if w[0].isupper() and w[1:].islower()],
        prime,
    )


def swap_words(text: str, share: float, lang: Language, rng: random.Random) -> str:
    """Swap about `share` of the longer words for other words of the language, keeping case."""

    def repl(m: re.Match[str]) -> str:
        w = m.group(0)
        if m.start() == 0 or rng.random() >= share:
            return w
        pool = lang.lower if w.islower() else lang.upper
        return rng.choice(pool) if pool else w

    return _TOKEN.sub(repl, text)


def new_story_sentences(lang: Language, rng: random.Random) -> list[str]:
    """The sentences of a story on a fresh line (a, b) of the slot design; see the module docstring."""
    while True:
        line = (rng.randrange(lang.prime), rng.randrange(lang.prime))
        if line not in lang.used_lines:
            lang.used_lines.add(line)
            break
    a, b = line
    out = []
    for i in range(rng.randint(MIN_SENTENCES, MAX_SENTENCES)):
        j = (a + b * i) % lang.prime
        uses = lang.uses.get((i, j), 0)
        lang.uses[(i, j)] = uses + 1
        s = lang.slots[i][j]
        out.append(swap_words(s, REUSE_SWAP, lang, rng) if uses else s)
    return out


def reserve_sentences(lang: Language, k: int, rng: random.Random) -> list[str]:
    """k sentences no story uses, for the paragraphs copies add; varied once the reserve wraps."""
    out = []
    for _ in range(k):
        s = lang.reserve[lang.next_reserve % len(lang.reserve)]
        wrapped = lang.next_reserve >= len(lang.reserve)
        lang.next_reserve += 1
        out.append(swap_words(s, REUSE_SWAP, lang, rng) if wrapped else s)
    return out


def paragraphs_of(sentences: list[str], rng: random.Random) -> list[list[str]]:
    """Sentences grouped 2-4 to a paragraph (the last may hold one)."""
    out, i = [], 0
    while i < len(sentences):
        k = rng.randint(2, 4)
        out.append(sentences[i : i + k])
        i += k
    return out


def make_copy(story: Story, variant: str, lang: Language, styles: list[str], rng: random.Random) -> Story:
    """A near-duplicate of the story, made as devbench makes its variants."""
    paras = [list(p) for p in story.paragraphs]
    style = rng.choice([s for s in styles if s != story.style])
    date = story.date + dt.timedelta(minutes=rng.randint(10, 48 * 60))
    if variant == "wire_copy" and rng.random() < 0.5:
        paras = paragraphs_of([s for p in paras for s in p], rng)  # the copy re-splits paragraphs
    elif variant == "edited":
        if len(paras) > 3 and rng.random() < 0.5:
            del paras[rng.randrange(1, len(paras))]
        else:
            paras.insert(rng.randint(1, len(paras)), reserve_sentences(lang, rng.randint(1, 3), rng))
        paras = [[swap_words(s, 0.03, lang, rng) for s in p] for p in paras]
        if rng.random() < 0.5:
            paras[0][0] = reserve_sentences(lang, 1, rng)[0]  # the first sentence rewritten
    elif variant == "teaser":
        keep = max(1, round(len(paras) * rng.uniform(0.35, 0.6)))
        while keep < len(paras) and sum(len(s.split()) for p in paras[:keep] for s in p) < 60:
            keep += 1
        paras = paras[:keep]
    elif variant == "updated":
        style = story.style
        date = story.date + dt.timedelta(minutes=rng.randint(60, 12 * 60))
        paras.append(reserve_sentences(lang, rng.randint(1, 3), rng))
    elif variant == "extended":
        paras = [reserve_sentences(lang, rng.randint(1, 2), rng), *paras, reserve_sentences(lang, 2, rng)]
    return Story(story.key, story.lang, story.title, paras, date, style, variant)


def plan_stories(
    args: argparse.Namespace, langs: dict[str, Language], titles: dict[str, list[str]], rng: random.Random
) -> list[Story]:
    """Distinct stories and their copies, exactly args.n documents, in a shuffled order."""
    n = args.n
    docs: list[Story] = []
    k = 0
    while len(docs) < n:
        lang = "en" if rng.random() < args.english_share else "de"
        styles = list(gen.STYLES_EN if lang == "en" else gen.STYLES_DE)
        sentences = new_story_sentences(langs[lang], rng)
        story = Story(
            f"s{k:07d}",
            lang,
            rng.choice(titles[lang]),
            paragraphs_of(sentences, rng),
            gen.rand_date(rng),
            rng.choice(styles),
        )
        k += 1
        docs.append(story)
        if rng.random() < args.cluster_rate:
            for variant in rng.sample(list(VARIANTS), k=rng.choice(COPIES_PER_CLUSTER), counts=list(VARIANTS.values())):
                if len(docs) < n:
                    docs.append(make_copy(story, variant, langs[lang], styles, rng))
    rng.shuffle(docs)
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", type=Path, required=True, help="corpus folder (raw/ and truth.json go here)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cluster-rate", type=float, default=0.07, help="share of stories that get copies")
    ap.add_argument("--english-share", type=float, default=0.6, help="Reuters has 4x the German text")
    ap.add_argument("--jsonl-share", type=float, default=0.05, help="share of documents in one JSONL shard")
    args = ap.parse_args()
    build(args)
    return 0


def build(args: argparse.Namespace) -> dict:
    """Write the corpus and its truth; return the statistics stored in truth.json."""
    start = time.perf_counter()
    rng = random.Random(args.seed)
    langs = {
        "de": build_language(_german_sentences(), random.Random(f"de-{args.seed}")),
        "en": build_language(_english_sentences(), random.Random(f"en-{args.seed}")),
    }
    articles = {"de": gen.load_de(random.Random(args.seed)), "en": gen.load_en()}
    docs = plan_stories(args, langs, {k: [a["title"] for a in v] for k, v in articles.items()}, rng)
    related = {k: v[:300] for k, v in articles.items()}
    cpool = gen.load_comments()
    raw = args.out / "raw"
    if raw.exists():
        raise SystemExit(f"{raw} exists: choose an empty --out")
    raw.mkdir(parents=True)
    truth: dict[str, str] = {}
    variants: dict[str, str] = {}
    shard: list[str] = []
    width = max(7, len(str(args.n)))
    for i, story in enumerate(docs):
        style_fn, comment_rate = (gen.STYLES_EN if story.lang == "en" else gen.STYLES_DE)[story.style]
        art = {"title": story.title, "body": [" ".join(p) for p in story.paragraphs], "source": "bench"}
        d = gen.render(rng, art, story.lang, style_fn, comment_rate, story.date, cpool, related)
        text = d.render()
        if rng.random() < args.jsonl_share:
            doc_id = f"feed/{i:0{width}d}"
            shard.append(json.dumps({"id": doc_id, "text": text, "source": story.style}, ensure_ascii=False))
        else:
            folder = f"{story.style}-{d.sub}" if d.sub else story.style
            doc_id = f"{folder}/{i:0{width}d}"
            data = gen.damage(rng, text)[0]
            path = raw / f"{doc_id}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        truth[doc_id] = story.key
        variants[doc_id] = story.variant
    if shard:
        (raw / "feed").mkdir()
        (raw / "feed" / "shard.jsonl").write_text("\n".join(shard) + "\n", encoding="utf-8")
    sizes = {}
    for story_key in truth.values():
        sizes[story_key] = sizes.get(story_key, 0) + 1
    raw_bytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    stats = {
        "n": args.n,
        "seed": args.seed,
        "raw_bytes": raw_bytes,
        "mean_doc_bytes": round(raw_bytes / args.n),
        "stories": len(sizes),
        "docs_in_clusters": sum(s for s in sizes.values() if s > 1),
        "clusters": sum(1 for s in sizes.values() if s > 1),
        "true_pairs": sum(s * (s - 1) // 2 for s in sizes.values()),
        "variants": {v: list(variants.values()).count(v) for v in ["original", *VARIANTS]},
        "jsonl_docs": len(shard),
        "sentences": {k: {"slot_pool": lg.prime, "reserve": len(lg.reserve)} for k, lg in langs.items()},
        "seconds": round(time.perf_counter() - start, 1),
    }
    payload = {"stats": stats, "cluster": truth, "variant": variants}
    (args.out / "truth.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(stats, indent=1), file=sys.stderr)
    return stats


if __name__ == "__main__":
    sys.exit(main())
