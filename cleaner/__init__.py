"""cleaner: turn folders of raw scraped news articles into a clean, clustered corpus.

The public API; the ``cleaner`` command is a thin shell over it::

    import cleaner
    doc = cleaner.clean_text(raw_text, source="tagesschau")
    summary = cleaner.run("raw", "clean", "config.toml")
    for record in cleaner.Pipeline("config.toml").process(records):  # streaming, see cleaner.stream
        ...
"""

from cleaner.config import Config, load_config
from cleaner.document import Comment, Document, Removal
from cleaner.errors import CleanerError, CleaningWarning, ConfigError, InputError
from cleaner.pipeline import LineFate, RunSummary, clean_text, explain, run
from cleaner.stream import Pipeline

__all__ = [
    "CleanerError",
    "CleaningWarning",
    "Comment",
    "Config",
    "ConfigError",
    "Document",
    "InputError",
    "LineFate",
    "Pipeline",
    "Removal",
    "RunSummary",
    "clean_text",
    "explain",
    "load_config",
    "run",
]
