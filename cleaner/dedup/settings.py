"""The settings of near-duplicate clustering, read from the ``[dedup]`` config section.

The defaults here equal the ``[dedup]`` defaults in ``default_config.toml`` (a test keeps them in
step), so ``DedupSettings()`` is the shipped behaviour and a library user needs no config file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from cleaner.errors import ConfigError

CANONICAL_MODES = ("complete", "earliest", "longest", "first")
SCHEMES = ("affine32", "legacy")


@dataclass(frozen=True)
class DedupSettings:
    """How bodies are normalised, shingled, sketched, paired, verified and clustered.

    Every field is a key of ``[dedup]``; see ``default_config.toml`` for why each default is what
    it is.
    """

    lowercase: bool = True
    strip_punctuation: bool = True
    mask_digits: bool = False
    ngram: int = 5
    char_ngram: int = 5
    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    lsh_threshold: float = 0.1
    threshold: float = 0.7
    containment_threshold: float = 0.9
    overlap_threshold: float = 0.4
    min_shared: int = 45
    min_passage: int = 8
    short_shingles: int = 30
    fuzzy_threshold: float = 0.95
    templates_apart: bool = True
    template_share: float = 0.8
    template_changed: float = 0.08
    canonical: str = "complete"
    batch_size: int = 1000

    def __post_init__(self) -> None:
        checks = {
            "ngram": self.ngram >= 1,
            "char_ngram": self.char_ngram >= 1,
            "num_perm": self.num_perm >= 1,
            "batch_size": self.batch_size >= 1,
            "min_passage": self.min_passage >= 1,
            "scheme": self.scheme in SCHEMES,
            "canonical": self.canonical in CANONICAL_MODES,
        }
        for key in (
            "lsh_threshold",
            "threshold",
            "containment_threshold",
            "overlap_threshold",
            "fuzzy_threshold",
            "template_share",
            "template_changed",
        ):
            checks[key] = 0.0 <= getattr(self, key) <= 1.0
        for key, ok in checks.items():
            if not ok:
                raise ConfigError(f"dedup.{key}", f"invalid value {getattr(self, key)!r} ({_HINTS[key]})")

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> DedupSettings:
        """Build from the ``[dedup]`` section of a loaded config; missing keys keep their defaults.

        ``load_config`` already checked names and types against the defaults file; this checks them
        again so that a hand-written dict fails with the same kind of error, naming the key.
        """
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in section.items():
            if key not in known:
                raise ConfigError(f"dedup.{key}", f"unknown key (known here: {', '.join(sorted(known))})")
            default = known[key].default
            if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not type(default):
                raise ConfigError(f"dedup.{key}", f"expected {type(default).__name__}, got {value!r}")
            values[key] = value
        return cls(**values)


_HINTS = {
    "ngram": "at least 1",
    "char_ngram": "at least 1",
    "num_perm": "at least 1",
    "batch_size": "at least 1",
    "min_passage": "at least 1",
    "scheme": "one of " + ", ".join(SCHEMES),
    "canonical": "one of " + ", ".join(CANONICAL_MODES),
    "lsh_threshold": "between 0 and 1",
    "threshold": "between 0 and 1",
    "containment_threshold": "between 0 and 1",
    "overlap_threshold": "between 0 and 1",
    "fuzzy_threshold": "between 0 and 1",
    "template_share": "between 0 and 1",
    "template_changed": "between 0 and 1",
}
