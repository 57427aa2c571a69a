"""[dedup] settings: the dataclass defaults are the shipped defaults, and bad values name the key."""

from __future__ import annotations

import pytest

from cleaner.config import load_config
from cleaner.dedup import DedupSettings
from cleaner.errors import ConfigError


def test_defaults_equal_the_default_config_section() -> None:
    assert DedupSettings.from_config(load_config().section("dedup")) == DedupSettings()


def test_a_user_config_overrides_keys() -> None:
    config = load_config({"dedup": {"threshold": 0.8, "canonical": "earliest", "num_perm": 64}})
    settings = DedupSettings.from_config(config.section("dedup"))
    assert (settings.threshold, settings.canonical, settings.num_perm) == (0.8, "earliest", 64)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"treshold": 0.5}, "dedup.treshold"),
        ({"threshold": "high"}, "dedup.threshold"),
        ({"threshold": 1.5}, "dedup.threshold"),
        ({"overlap_threshold": -0.1}, "dedup.overlap_threshold"),
        ({"canonical": "newest"}, "dedup.canonical"),
        ({"scheme": "affine64"}, "dedup.scheme"),
        ({"ngram": 0}, "dedup.ngram"),
        ({"templates_apart": 1}, "dedup.templates_apart"),
    ],
)
def test_bad_values_name_the_key(section: dict, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        DedupSettings.from_config(section)
    assert error.value.key == key


def test_integers_are_accepted_for_fractions() -> None:
    assert DedupSettings.from_config({"threshold": 1}).threshold == 1.0
