"""Load, merge and validate the configuration.

The packaged ``default_config.toml`` is both the defaults and the schema: a key that is not in it
is unknown, a value whose type differs from the default's is wrong. A user file only needs the
keys it changes; tables merge key by key and lists replace. Language tables under ``[rules]`` are
open, so a user adds an outlet's patterns in a table of their own (``[rules.myoutlet]``) without
repeating the defaults.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cleaner.errors import ConfigError

RULE_KINDS = (
    "byline",
    "agency",
    "agency_tail",
    "caption",
    "broadcast",
    "footer",
    "comment_start",
    "comment_meta",
    "comment_noise",
    "dateline",
    "credit",
    "list_heading",
)
# Sections whose sub-tables are open (user-named), each holding lists of regexes.
_OPEN_TABLES = {"rules"}
# Sizes that must be at least 1.
_POSITIVE = {("engine", "chunk_docs"), ("engine", "chunk_mb")}
_FRACTIONS = {
    ("boilerplate", "min_fraction"),
    ("dedup", "threshold"),
    ("dedup", "containment_threshold"),
    ("dedup", "fuzzy_threshold"),
    ("dedup", "lsh_threshold"),
    ("dedup", "overlap_threshold"),
    ("dedup", "template_share"),
    ("dedup", "template_changed"),
}
# Settings that take one of a few words.
_CHOICES = {("output", "format"): ("jsonl", "parquet"), ("output", "layout"): ("single", "parts")}


def default_config_text() -> str:
    """The commented default configuration shipped with the package."""
    return resources.files("cleaner").joinpath("default_config.toml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Config:
    """Validated settings: a plain nested dict plus where it came from and a stable hash."""

    data: Mapping[str, Any]
    source: str | None = None
    hash: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        blob = json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        object.__setattr__(self, "hash", hashlib.sha256(blob).hexdigest()[:16])

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))


def load_config(config: str | Path | Mapping[str, Any] | Config | None = None) -> Config:
    """Build a :class:`Config` from a TOML path, a dict of overrides, or nothing (the defaults).

    Raises :class:`ConfigError` naming the key for unknown keys, wrong types, out-of-range
    values and regexes that do not compile.
    """
    if isinstance(config, Config):
        return config
    defaults = tomllib.loads(default_config_text())
    source: str | None = None
    if config is None:
        user: Mapping[str, Any] = {}
    elif isinstance(config, Mapping):
        user = config
        source = "<dict>"
    else:
        path = Path(config)
        source = str(path)
        try:
            user = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("config", "file not found; pass --config with an existing file", source) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError("config", f"cannot read the file: {exc}", source) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config", f"not valid TOML: {exc}", source) from None
    merged = _merge(defaults, user, defaults, (), source)
    _check_values(merged, source)
    return Config(data=merged, source=source)


def with_overrides(config: Config, overrides: Mapping[str, Any]) -> Config:
    """``config`` with some values replaced, checked like a config file's (command-line options
    such as ``--text-field`` override the file this way; the hash covers the values used)."""
    defaults = tomllib.loads(default_config_text())
    merged = _merge(config.data, overrides, defaults, (), config.source)
    _check_values(merged, config.source)
    return Config(data=merged, source=config.source)


def _merge(base: Any, over: Mapping[str, Any], schema: Any, path: tuple[str, ...], source: str | None) -> Any:
    out = copy.deepcopy(base)
    for key, value in over.items():
        here = (*path, key)
        dotted = ".".join(here)
        open_table = len(path) == 1 and path[0] in _OPEN_TABLES
        if open_table:
            if not isinstance(value, Mapping):
                raise ConfigError(dotted, "must be a table of pattern lists", source)
            out[key] = _merge_rule_table(out.get(key, {}), value, dotted, source)
            continue
        if not isinstance(schema, Mapping) or key not in schema:
            known = ", ".join(sorted(schema)) if isinstance(schema, Mapping) else ""
            raise ConfigError(dotted, f"unknown key (known here: {known})", source)
        expected = schema[key]
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping):
                raise ConfigError(dotted, "must be a table", source)
            out[key] = _merge(out[key], value, expected, here, source)
        else:
            out[key] = _check_type(value, expected, dotted, source)
    return out


def _merge_rule_table(base: Mapping[str, Any], over: Mapping[str, Any], dotted: str, source: str | None) -> dict:
    out = dict(base)
    for kind, patterns in over.items():
        key = f"{dotted}.{kind}"
        if kind not in RULE_KINDS:
            raise ConfigError(key, f"unknown rule kind (known: {', '.join(RULE_KINDS)})", source)
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(key, "must be a list of regular expressions (strings)", source)
        out[kind] = list(patterns)
    return out


def _check_type(value: Any, expected: Any, key: str, source: str | None) -> Any:
    if isinstance(expected, bool):
        ok = isinstance(value, bool)
    elif isinstance(expected, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(expected, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(expected, list):
        ok = isinstance(value, list) and all(not expected or isinstance(v, type(expected[0])) for v in value)
    else:
        ok = isinstance(value, type(expected))
    if not ok:
        raise ConfigError(key, f"expected {_type_name(expected)}, got {type(value).__name__} {value!r}", source)
    return value


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        return f"a list of {type(value[0]).__name__}" if value else "a list"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), type(value).__name__
    )


def _check_values(data: Mapping[str, Any], source: str | None) -> None:
    for section, key in _POSITIVE:
        value = data.get(section, {}).get(key)
        if value is not None and value < 1:
            raise ConfigError(f"{section}.{key}", f"must be at least 1, got {value}", source)
    for section, key in _FRACTIONS:
        value = data.get(section, {}).get(key)
        if value is not None and not 0.0 <= value <= 1.0:
            raise ConfigError(f"{section}.{key}", f"must be between 0 and 1, got {value}", source)
    for (section, key), choices in _CHOICES.items():
        value = data.get(section, {}).get(key)
        if value is not None and value not in choices:
            raise ConfigError(f"{section}.{key}", f"must be one of {', '.join(choices)}, got {value!r}", source)
    for section, table in data.items():
        if not isinstance(table, Mapping):
            continue
        for key, value in table.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and not value >= 0:  # NaN too
                raise ConfigError(f"{section}.{key}", f"must be 0 or more, got {value}", source)
    for lang, kinds in data.get("rules", {}).items():
        if not isinstance(kinds, Mapping):
            continue
        for kind, patterns in kinds.items():
            for i, pattern in enumerate(patterns):
                try:
                    re.compile(expand_pattern(pattern, data))
                except re.error as exc:
                    raise ConfigError(f"rules.{lang}.{kind}[{i}]", f"regex does not compile: {exc}", source) from None


def expand_pattern(pattern: str, data: Mapping[str, Any]) -> str:
    """Replace ``{AGENCY}`` in a rule with the configured agency names, in any letter case.

    Credits are written "dpa", "DPA" and "Dpa" alike, so the names match case-insensitively.
    """
    if "{AGENCY}" not in pattern:
        return pattern
    names = sorted(data.get("agencies", {}).get("names", []), key=len, reverse=True)
    return pattern.replace("{AGENCY}", "(?i:" + "|".join(re.escape(n) for n in names) + ")")
