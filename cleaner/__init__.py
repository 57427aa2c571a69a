"""cleaner: turn folders of raw scraped news articles into a clean, clustered corpus.

The public API; the ``cleaner`` command is a thin shell over it::

    import cleaner
    doc = cleaner.clean_text(raw_text, source="tagesschau")
    summary = cleaner.run("raw", "clean", "config.toml")
"""

from cleaner.config import Config, load_config
from cleaner.document import Comment, Document, Removal
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.pipeline import LineFate, RunSummary, clean_text, explain, run

__all__ = [
    "CleanerError",
    "Comment",
    "Config",
    "ConfigError",
    "Document",
    "InputError",
    "LineFate",
    "Removal",
    "RunSummary",
    "clean_text",
    "explain",
    "load_config",
    "run",
]
