"""The one data model every stage passes along: a document, what was removed from it, its comments.

Plain dataclasses over plain data, so that a document can cross a process boundary, be written as
JSON and be rebuilt from JSON without any of the pipeline's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class Removal:
    """One input line (or the part of a line) that did not go into the body, and why.

    ``line`` is the 1-based line number in the decoded input; ``kind`` is what the text is
    (``date``, ``byline``, ``caption``, ``comment``…); ``rule`` names the rule that decided it, so
    that ``cleaner explain`` can always say why a line is gone.
    """

    line: int
    kind: str
    rule: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        # Written out field by field: dataclasses.asdict deep-copies, and a run writes millions.
        return {"line": self.line, "kind": self.kind, "rule": self.rule, "text": self.text}

    def __reduce__(self) -> tuple[type[Removal], tuple[int, str, str, str]]:
        # Pickled as a plain tuple: documents cross to worker processes and wait between the run's
        # passes pickled, and the default pickling of slotted dataclasses is three times slower.
        return Removal, (self.line, self.kind, self.rule, self.text)


@dataclass(slots=True)
class Comment:
    """A reader comment cut from the end of an article: kept, never thrown away."""

    author: str | None
    time: str | None
    text: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"author": self.author, "time": self.time, "text": self.text, "line": self.line}

    def __reduce__(self) -> tuple[type[Comment], tuple[str | None, str | None, str, int]]:
        return Comment, (self.author, self.time, self.text, self.line)  # see Removal.__reduce__


@dataclass(slots=True)
class Document:
    """A cleaned article: metadata, body paragraphs and the audit of everything taken out.

    ``paragraphs`` is the body; ``text`` joins it with one blank line between paragraphs, which is
    the form written to ``corpus.jsonl``. ``meta`` carries the fields of a JSONL input record
    that the cleaner does not interpret, unchanged.
    """

    id: str
    path: str
    source: str | None = None
    title: str | None = None
    kicker: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    # The input line each paragraph came from (for the audit); not part of the output record.
    paragraph_lines: list[int] = field(default_factory=list)
    # Input lines joined onto the line above them in one paragraph (a hard-wrapped text rejoined,
    # see cleaner.clean.unwrap): body lines where no paragraph starts. Not part of the output record.
    joined_lines: list[int] = field(default_factory=list)
    lang: str | None = None
    encoding: str | None = None
    fixes: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cluster: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    relation: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def __reduce__(self) -> tuple[type[Document], tuple[Any, ...]]:
        return Document, tuple(getattr(self, name) for name in _DOCUMENT_FIELDS)  # see Removal.__reduce__

    def to_dict(self) -> dict[str, Any]:
        """The record written to ``corpus.jsonl`` (see the output contract in the README)."""
        return {
            "id": self.id,
            "path": self.path,
            "source": self.source,
            "title": self.title,
            "kicker": self.kicker,
            "date": self.date,
            "authors": list(self.authors),
            "agencies": list(self.agencies),
            "captions": list(self.captions),
            "credits": list(self.credits),
            "notes": list(self.notes),
            "text": self.text,
            "lang": self.lang,
            "encoding": self.encoding,
            "fixes": list(self.fixes),
            "n_removed": len(self.removals),
            "n_comments": len(self.comments),
            "meta": dict(self.meta),
            "cluster": self.cluster if self.cluster is not None else self.id,
            "duplicate_of": self.duplicate_of,
            "similarity": round(self.similarity, 4) if self.similarity is not None else None,
            "relation": self.relation,
        }


_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))
