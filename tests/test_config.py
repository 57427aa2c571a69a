"""Config loading: defaults, merging, and errors that name the key."""

from __future__ import annotations

import pytest

from cleaner.config import default_config_text, load_config
from cleaner.errors import ConfigError


def test_defaults_load_and_hash_is_stable():
    assert load_config().hash == load_config(None).hash
    assert load_config().section("header")["zone_lines"] > 0


def test_top_level_config_is_the_packaged_default():
    from pathlib import Path

    top = Path(__file__).resolve().parent.parent / "config.toml"
    assert top.read_text(encoding="utf-8") == default_config_text()


def test_user_values_override_and_tables_merge():
    cfg = load_config({"header": {"zone_lines": 3}})
    assert cfg.section("header")["zone_lines"] == 3
    assert cfg.section("header")["title_max_words"] == load_config().section("header")["title_max_words"]
    assert cfg.hash != load_config().hash


def test_own_rule_table_adds_patterns():
    cfg = load_config({"rules": {"myoutlet": {"footer": ["^Mehr aus Ihrer Region$"]}}})
    assert cfg.data["rules"]["myoutlet"]["footer"] == ["^Mehr aus Ihrer Region$"]
    assert cfg.data["rules"]["de"]["footer"], "defaults stay"


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"header": {"zone_line": 3}}, "header.zone_line"),
        ({"nope": {}}, "nope"),
        ({"header": {"zone_lines": "3"}}, "header.zone_lines"),
        ({"header": {"zone_lines": -1}}, "header.zone_lines"),
        ({"boilerplate": {"min_fraction": 1.5}}, "boilerplate.min_fraction"),
        ({"text": {"nfc": 1}}, "text.nfc"),
        ({"rules": {"x": {"byline": ["("]}}}, "rules.x.byline[0]"),
        ({"rules": {"x": {"bylines": ["a"]}}}, "rules.x.bylines"),
        ({"rules": {"x": {"byline": "a"}}}, "rules.x.byline"),
    ],
)
def test_bad_config_names_the_key(override, key):
    with pytest.raises(ConfigError) as info:
        load_config(override)
    assert info.value.key == key
    assert key in str(info.value)


def test_bad_file(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[header\nzone_lines = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")
