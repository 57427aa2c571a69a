"""``cleaner review``: walk through the clusters, least certain first, and record decisions.

The walk takes its input from an ``ask`` function and prints to a rich ``Console``, so a test
drives it with a list of answers and reads what it printed. Every decision is appended to the
decisions file the moment it is made: quitting, or an interrupted terminal, loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cleaner.report.data import ClusterView, ReportData
from cleaner.review.decisions import Decision, Decisions, append_decision, load_decisions, now
from cleaner.review.terminal import side_by_side

HELP = """\
  k        keep: the cluster is right as it is (it is not asked about again)
  s N      split member N off the cluster (N from the table)
  d N M    mark members N and M as distinct stories
  m ID     merge this cluster with the cluster or document ID
  v N      show member N beside the canonical
  n        next cluster without a decision
  q        quit (every decision so far is saved)"""
PROMPT = "decision [k / s N / d N M / m ID / v N / n / q / ?]: "

Ask = Callable[[str], str]


def review_order(clusters: list[ClusterView]) -> list[ClusterView]:
    """Least certain first (lowest member similarity), then the largest, then by id."""
    return sorted(clusters, key=lambda c: (c.min_similarity, -c.size, c.cluster))


@dataclass
class Review:
    """One review walk over the clusters of ``data``, saving decisions to ``path``.

    ``ask`` returns the user's answer to a prompt and raises ``EOFError`` when input ends (an
    interrupt ends the walk the same way);
    ``clock`` gives the timestamp a decision carries.
    """

    data: ReportData
    path: Path
    console: Console
    ask: Ask
    clock: Callable[[], str] = now
    made: list[Decision] = field(default_factory=list)

    def run(self) -> list[Decision]:
        """Walk the clusters not fully decided yet; returns the decisions made in this walk."""
        decided = load_decisions(self.path).decided
        queue = [c for c in review_order(self.data.clusters) if _open_members(c, decided)]
        if not queue:
            self.console.print("Every cluster has a decision; nothing to review.")
            return self.made
        self.console.print(f"{len(queue)} clusters to review, least certain first. Decisions go to {self.path}.")
        for number, cluster in enumerate(queue, start=1):
            if not self._cluster(cluster, number, len(queue)):
                break
        self.console.print(f"{len(self.made)} decisions saved to {self.path}; `cleaner run` applies them.")
        return self.made

    def _cluster(self, cluster: ClusterView, number: int, total: int) -> bool:
        """Review one cluster; False when the user quits."""
        self._show(cluster, number, total)
        if cluster.size > 1:
            self._compare(cluster, 1)
        while True:
            try:
                answer = self.ask(PROMPT).split()
            except (EOFError, KeyboardInterrupt):
                return False
            command, args = (answer[0].lower(), answer[1:]) if answer else ("?", [])
            if command == "q":
                return False
            if command == "n":
                return True
            if command == "k" and not args:
                decided = load_decisions(self.path).decided
                for m in _open_members(cluster, decided):
                    self._record((cluster.canonical, m), "keep")
                return True
            if command == "m" and len(args) == 1:
                target = self._merge_target(cluster, args[0])
                if target is not None:
                    self._record((cluster.canonical, target), "merge")
                    return True
                continue
            members = self._members(cluster, args)
            if members is None:
                self.console.print(HELP)
            elif command == "v" and len(members) == 1:
                self._compare(cluster, members[0])
            elif command == "s" and len(members) == 1 and members[0] > 0:
                self._record((cluster.members[members[0]].id, cluster.canonical), "split")
            elif command == "d" and len(members) == 2 and members[0] != members[1]:
                self._record((cluster.members[members[0]].id, cluster.members[members[1]].id), "distinct")
            else:
                self.console.print(HELP)

    def _members(self, cluster: ClusterView, args: list[str]) -> list[int] | None:
        """Member numbers from the answer, or None (with a message) when one is not in the table."""
        try:
            numbers = [int(a) for a in args]
        except ValueError:
            return None
        if any(not 0 <= n < cluster.size for n in numbers):
            self.console.print(f"[yellow]members are numbered 0 to {cluster.size - 1}[/yellow]")
            return None
        return numbers

    def _merge_target(self, cluster: ClusterView, given: str) -> str | None:
        """The canonical of the cluster holding ``given`` (a cluster or document id), or the document itself."""
        owner = next((c for c in self.data.clusters if any(m.id == given for m in c.members)), None)
        if owner is not None and owner.cluster == cluster.cluster:
            self.console.print("[yellow]that document is already in this cluster[/yellow]")
            return None
        if owner is not None:
            return owner.canonical
        if given in self.data.ids:
            return given
        self.console.print(f"[yellow]no document or cluster {escape(given)!r} in this corpus[/yellow]")
        return None

    def _record(self, ids: tuple[str, str], kind: str) -> None:
        decision = Decision(ids, kind, self.clock())
        append_decision(self.path, decision)
        self.made.append(decision)
        self.console.print(f"saved: {kind} {escape(ids[0])} / {escape(ids[1])}")

    def _show(self, cluster: ClusterView, number: int, total: int) -> None:
        self.console.rule(
            f"cluster {number} of {total}: {escape(cluster.cluster)}  ·  size {cluster.size}  ·  "
            f"lowest similarity {cluster.min_similarity:.2f}"
        )
        latest = {r.pair: r.decision for r in load_decisions(self.path).records}
        c = cluster.canonical
        table = Table(show_edge=False, pad_edge=False)
        for name in ("N", "id", "source", "date", "title", "similarity", "relation", "decided"):
            table.add_column(name, overflow="fold")
        for n, m in enumerate(cluster.members):
            doc = self.data.docs[m.id]
            similarity = "canonical" if m.similarity is None else f"{m.similarity:.2f}"
            decided = latest.get((min(c, m.id), max(c, m.id)), "")
            table.add_row(
                str(n), m.id, doc.source or "", doc.date or "", doc.title or "", similarity, m.relation or "", decided
            )
        self.console.print(table)

    def _compare(self, cluster: ClusterView, n: int) -> None:
        m = cluster.members[n]
        label = "canonical" if m.similarity is None else f"member {n}, {m.relation} {m.similarity:.2f}"
        self.console.print(side_by_side(self.data.docs[cluster.canonical], self.data.docs[m.id], label))


def _open_members(cluster: ClusterView, decided: frozenset[tuple[str, str]]) -> list[str]:
    """Members whose pair with the canonical has no decision yet."""
    c = cluster.canonical
    return [m.id for m in cluster.members if m.id != c and (min(c, m.id), max(c, m.id)) not in decided]


def list_decisions(decisions: Decisions, console: Console, known: frozenset[str] | None) -> list[str]:
    """Print every decision (the ones no longer in effect dimmed); returns the ids ``known`` lacks.

    Ids that are gone are reported, not fatal: a decision about a document that left the corpus
    simply no longer applies.
    """
    latest = {r.pair: n for n, r in enumerate(decisions.records)}
    table = Table(show_edge=False, pad_edge=False)
    for name in ("#", "at", "decision", "first id", "second id", "note"):
        table.add_column(name, overflow="fold")
    for n, r in enumerate(decisions.records):
        style = None if latest[r.pair] == n else "dim"
        table.add_row(str(n + 1), r.at, r.decision, r.ids[0], r.ids[1], r.note, style=style)
    console.print(table if decisions.records else "No review decisions yet.")
    if known is None:
        console.print("[yellow]no corpus found, so ids were not checked[/yellow]")
        return []
    missing = sorted(decisions.ids() - known)
    if missing:
        console.print(f"[yellow]ids no longer in the corpus ({len(missing)}):[/yellow] {escape(', '.join(missing))}")
    return missing
