"""decode_bytes: encodings, byte-order marks and the inputs it refuses."""

from __future__ import annotations

import codecs
import dataclasses

import pytest

from cleaner.errors import ConfigError, InputError
from cleaner.io import decode as decode_module
from cleaner.io.decode import Decoded, decode_bytes

GERMAN = "Grüße – „Zitat“ € aus Köln, Straße 5"


@pytest.fixture
def no_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if charset detection runs."""

    def boom(data: bytes) -> None:
        raise AssertionError("charset detection ran")

    monkeypatch.setattr(decode_module, "_detect", boom)


def test_utf8(no_detector: None) -> None:
    assert decode_bytes(GERMAN.encode("utf-8"), "a.txt") == Decoded(GERMAN, "utf-8")


def test_ascii_is_utf8(no_detector: None) -> None:
    assert decode_bytes(b"Hello\nworld\n", "a.txt") == Decoded("Hello\nworld\n", "utf-8")


def test_utf8_bom_is_stripped(no_detector: None) -> None:
    assert decode_bytes(codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "a.txt") == Decoded(GERMAN, "utf-8-sig")


def test_cp1252(no_detector: None) -> None:
    assert decode_bytes(GERMAN.encode("cp1252"), "a.txt") == Decoded(GERMAN, "cp1252")


def test_latin1_when_it_is_the_fallback(no_detector: None) -> None:
    text = "Grüße aus Köln"
    assert decode_bytes(text.encode("latin-1"), "a.txt", ("latin-1",)) == Decoded(text, "latin-1")


def test_latin1_after_cp1252_fails(no_detector: None) -> None:
    data = "Grüße".encode("latin-1") + b" \x81"  # 0x81 is undefined in cp1252
    assert decode_bytes(data, "a.txt") == Decoded("Grüße \x81", "latin-1")


def test_fallbacks_are_tried_in_the_given_order(no_detector: None) -> None:
    data = GERMAN.encode("cp1252")
    assert decode_bytes(data, "a.txt", ["latin-1", "cp1252"]).encoding == "latin-1"


def test_bom_then_non_utf8_uses_fallbacks(no_detector: None) -> None:
    data = codecs.BOM_UTF8 + GERMAN.encode("cp1252")
    assert decode_bytes(data, "a.txt") == Decoded(GERMAN, "cp1252")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str, no_detector: None) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + GERMAN.encode(codec), "a.txt") == Decoded(GERMAN, "utf-16")


def test_utf32_with_bom(no_detector: None) -> None:
    assert decode_bytes(GERMAN.encode("utf-32"), "a.txt") == Decoded(GERMAN, "utf-32")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str, no_detector: None) -> None:
    assert decode_bytes(GERMAN.encode(codec), "a.txt") == Decoded(GERMAN, codec)


@pytest.mark.parametrize(
    "data",
    [b"", b" \n\t \r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n", " \n".encode("utf-16"), b"\xa0 \xa0"],
)
def test_empty_or_whitespace(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "in/empty.txt")
    assert info.value.reason == "empty file"
    assert info.value.path == "in/empty.txt"


def test_png_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
    with pytest.raises(InputError) as info:
        decode_bytes(png + bytes(200), "in/photo.txt")
    err = info.value
    assert err.path == "in/photo.txt"
    assert "in/photo.txt" in str(err)
    assert "binary" in err.reason and "NUL" in err.reason
    assert "not a text file" in err.hint and "UTF-8" in err.hint


def test_nul_bytes_inside_text() -> None:
    data = "Ein ganz normaler Absatz über Köln.\n".encode() * 5 + b"\x00\x00" + b"und weiter.\n"
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.txt")
    assert "NUL byte at offset 190" in info.value.reason


def test_many_control_bytes_are_binary() -> None:
    data = b"text" + bytes(range(1, 9)) * 3 + b" more text"
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.txt")
    assert "control" in info.value.reason and "binary" in info.value.reason


def test_a_few_control_bytes_are_kept_for_the_text_fixer() -> None:
    data = ("Ein langer Absatz über Köln. " * 10).encode() + b"\x0b"
    assert decode_bytes(data, "a.txt").text.endswith("\x0b")


def test_utf16_with_control_characters_is_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(("ab" + "\x01\x02\x03" * 5).encode("utf-16"), "a.txt")


def test_undecodable() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(bytes(range(0x80, 0x100)) * 4, "x.txt", ("ascii",))
    assert info.value.reason.startswith("undecodable text")
    assert "fallback_encodings" in info.value.hint


def test_detector_only_when_fallbacks_fail() -> None:
    text = "Новости дня: правительство обсудило бюджет на следующий год."
    assert decode_bytes(text.encode("cp1251"), "ru.txt", ("ascii",)) == Decoded(text, "cp1251")


def test_unknown_fallback_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="fallback_encodings"):
        decode_bytes(b"\xff\xfe\xfd abc", "a.txt", ("no-such-codec",))


def test_decoded_is_frozen() -> None:
    decoded = decode_bytes(b"abc", "a.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.text = "x"  # type: ignore[misc]
