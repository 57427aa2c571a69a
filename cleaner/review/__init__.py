"""Review of duplicate clusters by a person, and the decisions the next run obeys.

:mod:`cleaner.review.decisions` reads and writes ``review.toml``; :mod:`cleaner.review.session`
is the interactive walk behind ``cleaner review``.
"""

from cleaner.review.decisions import (
    Decision,
    Decisions,
    append_decision,
    decisions_path,
    load_decisions,
    review_summary,
    save_decisions,
)

__all__ = [
    "Decision",
    "Decisions",
    "append_decision",
    "decisions_path",
    "load_decisions",
    "review_summary",
    "save_decisions",
]
