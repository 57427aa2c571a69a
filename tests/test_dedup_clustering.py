"""Clustering behaviour on synthetic story families: what must join, what must stay apart."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from cleaner.dedup import DedupItem, DedupResult, DedupSettings, deduplicate
from cleaner.dedup.cluster import _component_labels

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "sen", "dar", "bel", "gor", "fin", "ul", "tra", "pes", "wik"]


def words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(n)]


def paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(" ".join(words(rng, rng.randint(12, 20))).capitalize() + "." for _ in range(sentences))


def story(seed: int, paragraphs: int = 6) -> list[str]:
    rng = random.Random(seed)
    return [paragraph(rng) for _ in range(paragraphs)]


def text(paras: list[str]) -> str:
    return "\n\n".join(paras)


def run(docs: dict[str, str], **settings) -> DedupResult:
    return deduplicate([DedupItem(i, t) for i, t in docs.items()], DedupSettings(**settings))


def cluster_of(result: DedupResult, doc_id: str) -> str:
    return result.assignment[doc_id][0]


def test_exact_and_resplit_copies_cluster() -> None:
    body = story(1)
    docs = {
        "a": text(body),
        "b": text(body),
        "c": "\n".join(body).upper(),  # re-split paragraphs, other case
        "other": text(story(2)),
    }
    result = run(docs)
    assert cluster_of(result, "a") == cluster_of(result, "b") == cluster_of(result, "c")
    assert result.assignment["other"] == ("other", None, None, None)
    [cluster] = result.clusters
    assert cluster.canonical == "a"  # equal bodies: ties go to the smallest id
    assert {m.relation for m in cluster.members} == {None, "near-duplicate"}
    assert result.stats["clusters"] == 1 and result.stats["duplicates"] == 2


def test_teaser_is_contained_in_the_story() -> None:
    body = story(3, paragraphs=8)
    result = run({"full": text(body), "teaser": text(body[:3])})
    assert result.assignment["teaser"][:2] == ("full", "full")
    assert result.assignment["teaser"][3] == "contained-in"
    assert result.assignment["teaser"][2] == pytest.approx(1.0)
    assert result.assignment["full"] == ("full", None, None, None)


def test_extended_copy_contains_the_earliest_story() -> None:
    body = story(4)
    rng = random.Random(40)
    extended = [paragraph(rng), *body, paragraph(rng)]
    items = [DedupItem("orig", text(body), date="2021-03-01"), DedupItem("ext", text(extended), date="2021-03-02")]
    by_date = deduplicate(items, DedupSettings(canonical="earliest"))
    assert by_date.assignment["ext"][1] == "orig"
    assert by_date.assignment["ext"][3] == "contains"
    by_completeness = deduplicate(items, DedupSettings())
    assert by_completeness.assignment["orig"][1] == "ext"
    assert by_completeness.assignment["orig"][3] == "contained-in"


def test_edited_copy_is_a_near_duplicate() -> None:
    body = story(5, paragraphs=7)
    rng = random.Random(50)
    edited = [paragraph(rng, 1) + " " + body[0].split(". ", 1)[1], *body[1:4], *body[5:], paragraph(rng)]
    edited[2] = edited[2].replace(edited[2].split()[4], "zzz", 1)
    result = run({"orig": text(body), "edited": text(edited)})
    assert cluster_of(result, "orig") == cluster_of(result, "edited")
    member = next(m for c in result.clusters for m in c.members if m.relation)
    assert member.relation == "near-duplicate"
    assert member.jaccard < DedupSettings().threshold  # linked by the passages the two share


def test_stories_sharing_a_quote_stay_apart() -> None:
    quote = (
        '"We will not accept any agreement that leaves the workers of this region without a future, '
        'and we will say so at every table," the union leader said.'
    )
    one, two = story(6, paragraphs=4), story(7, paragraphs=4)
    result = run({"one": text([*one[:2], quote, *one[2:]]), "two": text([two[0], quote, *two[1:]])})
    assert result.clusters == []


def test_stories_sharing_a_quote_stay_apart_even_when_short() -> None:
    quote = " ".join(words(random.Random(8), 35)) + "."
    result = run(
        {"one": text([paragraph(random.Random(9), 2), quote]), "two": text([quote, paragraph(random.Random(10), 2)])}
    )
    assert result.clusters == []


TEMPLATE = (
    "The city council approved {a} million euros for road repairs at its weekly session, a spokeswoman "
    "said. The district water tariff will change by {b} percent from the first of next month, the utility "
    "added in a statement published after the vote."
)


def test_template_items_that_differ_only_in_figures_stay_apart() -> None:
    docs = {
        "mon": TEMPLATE.format(a="1.5", b="2.25"),
        "tue": TEMPLATE.format(a="2.5", b="2.25"),
        "wed": TEMPLATE.format(a="1.5", b="3.75"),
        "thu": TEMPLATE.format(a="3", b="1.5"),
    }
    assert run(docs).clusters == []
    merged = run(docs, templates_apart=False)
    assert len(merged.clusters) == 1
    assert merged.stats["template_pairs"] == 0


def test_a_long_story_updated_with_a_new_figure_joins_its_first_version() -> None:
    body = story(11, paragraphs=8)
    first = [*body[:3], "At least 12 people were killed, the police said.", *body[3:]]
    update = [*body[:3], "At least 14 people were killed, the police said.", *body[3:], paragraph(random.Random(12))]
    result = run({"first": text(first), "update": text(update)})
    assert cluster_of(result, "first") == cluster_of(result, "update") == "update"


def test_short_texts_do_not_collapse_into_one_cluster() -> None:
    docs = {f"s{k}": " ".join(words(random.Random(100 + k), k % 4 + 1)) for k in range(40)}
    docs["dup_a"] = docs["dup_b"] = "Polizei sucht Zeugen"
    docs["empty1"], docs["empty2"], docs["punct"] = "", "", "!!! …"
    result = run(docs)
    assert [c.members[0].id for c in result.clusters] == ["dup_a"]
    assert [m.id for m in result.clusters[0].members] == ["dup_a", "dup_b"]
    for doc_id in ("empty1", "empty2", "punct"):
        assert result.assignment[doc_id] == (doc_id, None, None, None)


def test_short_texts_need_nearly_identical_token_sequences() -> None:
    base = "The cooperative sold 4,000 tonnes of malting barley to a brewer at a fixed price for {m} delivery"
    result = run({"april": base.format(m="April"), "may": base.format(m="May"), "april2": base.format(m="April") + "."})
    assert [[m.id for m in c.members] for c in result.clusters] == [["april", "april2"]]
    assert result.assignment["april"] == ("april2", "april2", 1.0, "near-duplicate")  # one more character


def test_chaining_guard_splits_members_not_linked_to_the_canonical() -> None:
    p = story(13, paragraphs=9)
    docs = {"x": text(p[0:4]), "y": text(p[2:6]), "z": text(p[4:9])}
    result = run(docs)
    assert result.stats["verified_pairs"] == 2  # x-y and y-z; x and z share nothing
    assert [(c.canonical, [m.id for m in c.members]) for c in result.clusters] == [("z", ["y", "z"])]
    assert result.assignment["x"] == ("x", None, None, None)
    assert result.stats["split_off"] == 1


@pytest.mark.parametrize(
    ("mode", "expected"), [("complete", "ext"), ("earliest", "teaser"), ("longest", "padded"), ("first", "copy")]
)
def test_canonical_modes(mode: str, expected: str) -> None:
    body = story(14, paragraphs=6)
    rng = random.Random(15)
    items = [
        DedupItem("orig", text(body), date="2020-05-02", order=3),
        DedupItem("copy", text(body), date="2020-05-03", order=1),
        DedupItem("teaser", text(body[:3]), date="2020-05-01", order=4),
        DedupItem("ext", text([paragraph(rng), *body, paragraph(rng)]), date=None, order=2),
        DedupItem("padded", text([*body, "— " * 800]), date="2020-05-04", order=5),
    ]
    result = deduplicate(items, DedupSettings(canonical=mode))
    [cluster] = result.clusters
    assert cluster.canonical == cluster.cluster == expected
    assert [m.id for m in cluster.members] == sorted(i.id for i in items)
    assert all((m.relation is None) == (m.id == expected) for m in cluster.members)


def test_canonical_ties_are_broken_by_id_whatever_the_order() -> None:
    body = text(story(16))
    for order in (["b", "a", "c"], ["c", "b", "a"]):
        result = deduplicate([DedupItem(i, body) for i in order], DedupSettings(canonical="first"))
        assert result.clusters[0].canonical == "a"


def test_result_is_independent_of_input_order_and_batching() -> None:
    rng = random.Random(17)
    docs: dict[str, str] = {}
    for family in range(12):
        body = story(200 + family, paragraphs=rng.randint(3, 8))
        docs[f"f{family}-orig"] = text(body)
        docs[f"f{family}-copy"] = "\n".join(body)
        docs[f"f{family}-teaser"] = text(body[: max(1, len(body) // 2)])
        docs[f"f{family}-ext"] = text([paragraph(rng), *body, paragraph(rng)])
    for k in range(20):
        docs[f"single{k}"] = text(story(500 + k, paragraphs=2))
    items = [DedupItem(i, t, date=f"2022-01-{len(i):02d}", order=n) for n, (i, t) in enumerate(docs.items())]
    reference = deduplicate(items, DedupSettings())
    assert len(reference.clusters) == 12
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        result = deduplicate(iter(shuffled), DedupSettings(batch_size=7))
        assert result.clusters == reference.clusters
        assert result.assignment == reference.assignment


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate document id 'a'"):
        deduplicate([DedupItem("a", "x"), DedupItem("b", "y"), DedupItem("a", "z")])


def test_stats_and_empty_input() -> None:
    result = deduplicate([])
    assert result.clusters == [] and result.assignment == {}
    assert result.stats["documents"] == 0 and result.stats["duplicate_rate"] == 0.0
    body = text(story(18))
    stats = deduplicate([DedupItem("a", body), DedupItem("b", body)]).stats
    assert {"documents", "candidate_pairs", "verified_pairs", "clusters", "duplicates", "duplicate_rate"} <= set(stats)
    assert stats["duplicate_rate"] == 0.5
    assert stats["seconds_total"] >= 0


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    )
)
def test_components_are_scipys_connected_components(graph: tuple[int, list[tuple[int, int]]]) -> None:
    """The union-find labels components as SciPy's connected_components does: same partition,
    numbered by smallest node."""
    nodes, edges = graph
    links = np.array(edges, np.int64).reshape(-1, 2)
    matrix = coo_matrix((np.ones(len(links), np.int8), (links[:, 0], links[:, 1])), shape=(nodes, nodes))
    _, expected = connected_components(matrix, directed=False)
    assert _component_labels(links, nodes).tolist() == expected.tolist()
