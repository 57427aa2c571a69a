"""Stable exceptions: ingestion scripts catch these, and their messages name the file, line or key."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error the cleaner raises on purpose.

    Subclasses take other arguments than the message they pass on, so each keeps its own
    arguments for pickling: an error raised in a worker process (the pool, Dask) must arrive
    whole in the parent, not as a failure to rebuild it that breaks the pool.
    """

    def __reduce__(self) -> tuple:
        return (type(self), self.__dict__.get("_init_args", self.args), self.__dict__)


class ConfigError(CleanerError):
    """The configuration is wrong: an unknown key, a wrong type, a bad value or a broken regex.

    ``key`` is the dotted path of the offending setting (``rules.de.byline[2]``) so a user can find
    it in their file.
    """

    def __init__(self, key: str, message: str, path: str | None = None) -> None:
        self._init_args = (key, message, path)
        self.key = key
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {message}")


class InputError(CleanerError):
    """One input could not be read or decoded; the run reports it and goes on with the rest.

    ``kept`` is true for a document that had a problem (its cleaning ran out of time) but was
    still cleaned and is in the output: reported, not skipped.
    """

    def __init__(self, path: str, reason: str, hint: str = "", line: int | None = None, kept: bool = False) -> None:
        self._init_args = (path, reason, hint, line, kept)
        self.path = path
        self.reason = reason
        self.hint = hint
        self.line = line
        self.kept = kept
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}" + (f" ({hint})" if hint else ""))


class CleaningWarning(UserWarning):
    """A document was cleaned and returned, but had a problem: its cleaning ran out of time
    (``engine.doc_time_limit``) and a rule of the config was left out, or no rule was applied.
    Warned by :func:`cleaner.clean_text` and :func:`cleaner.explain` when no ``on_error`` is given,
    so that the problem is never silent; ``error`` is the :class:`InputError` (``kept`` true)."""

    def __init__(self, error: InputError) -> None:
        self.error = error
        super().__init__(str(error))


class IndexFileError(CleanerError):
    """The persistent index file cannot be used: missing, not an index, damaged, written by a newer
    cleaner, built with other dedup settings, or held by another process too long. ``path`` names
    the file; the message says what to do."""

    def __init__(self, path: str, message: str) -> None:
        self._init_args = (path, message)
        self.path = path
        super().__init__(f"{path}: {message}")
