"""Stories published several times and spread over days, for the persistent index tests.

Built at test time from real article text (``../shared/corpus/de_articles.jsonl``, never copied
into the project): each story is an article and one to three of its copies, of the kinds the
README lists (a re-paragraphed wire copy, a teaser, an update, an extended copy, an edited copy),
and every document lands on a random day. Articles not used as stories supply the paragraphs
that updates and extended copies add, and a few singletons.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def paragraphs(parts: list[str], per: int) -> list[str]:
    return [" ".join(parts[k : k + per]) for k in range(0, len(parts), per)]


def build(articles: list[dict], stories: int, days: int, seed: int) -> list[list[dict]]:
    """``days`` lists of JSONL records (``id``, ``text``, ``source``): ``stories`` stories with
    their copies and as many singletons, each document on a random day."""
    rng = random.Random(seed)
    usable = [a for a in articles if len(sentences(a["text"])) >= 8]
    rng.shuffle(usable)
    chosen, spare = usable[:stories], usable[stories:]
    filler = [p for a in spare[stories:] for p in paragraphs(sentences(a["text"]), 2)]

    def extra() -> str:
        return filler.pop()

    variants: dict[str, Callable[[list[str], list[str]], list[str]]] = {
        "copy": lambda parts, body: paragraphs(parts, 3),
        "teaser": lambda parts, body: body[: max(2, len(body) // 2)],
        "update": lambda parts, body: [*body, extra()],
        "extended": lambda parts, body: [extra(), *body, extra()],
        "edited": lambda parts, body: _edited(body, rng),
    }
    out: list[list[dict]] = [[] for _ in range(days)]
    for k, article in enumerate(chosen):
        parts = sentences(article["text"])
        body = paragraphs(parts, 2)
        docs = {"orig": body}
        for kind in rng.sample(sorted(variants), rng.randint(1, 3)):
            docs[kind] = variants[kind](parts, body)
        for kind, text in docs.items():
            record = {"id": f"story{k:03d}-{kind}", "text": "\n\n".join(text), "source": f"outlet{rng.randrange(4)}"}
            out[rng.randrange(days)].append(record)
    for k, article in enumerate(spare[:stories]):
        record = {"id": f"single{k:03d}", "text": article["text"], "source": f"outlet{rng.randrange(4)}"}
        out[rng.randrange(days)].append(record)
    return out


def _edited(body: list[str], rng: random.Random) -> list[str]:
    """A paragraph dropped, a few words changed."""
    kept = body[:]
    if len(kept) > 3:
        del kept[rng.randrange(1, len(kept))]
    words = kept[0].split()
    for _ in range(3):
        words[rng.randrange(len(words))] = "geändert"
    return [" ".join(words), *kept[1:]]


def write_days(folder: Path, days: list[list[dict]]) -> list[Path]:
    """One folder per day holding ``batch.jsonl``; also ``all/batch.jsonl`` with every record."""
    paths = []
    for d, records in enumerate([*days, [r for day in days for r in day]]):
        path = folder / ("all" if d == len(days) else f"day{d + 1}")
        path.mkdir(parents=True)
        with (path / "batch.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        paths.append(path)
    return paths


def partition(records: list[dict], key: str = "cluster") -> set[frozenset[str]]:
    """The documents grouped by ``key`` (a cluster id)."""
    groups: dict[str, set[str]] = {}
    for r in records:
        groups.setdefault(r[key], set()).add(r["id"])
    return {frozenset(g) for g in groups.values()}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
