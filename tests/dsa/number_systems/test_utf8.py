"""ASCII and UTF-8 by hand checked against Python's strict codec."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import Utf8Error, swap_case_ascii, utf8_decode, utf8_encode

SETTINGS = settings(max_examples=100, deadline=None)


@SETTINGS
@given(st.text())
def test_swap_case_ascii_matches_str_swapcase_on_ascii_letters(text: str) -> None:
    got = swap_case_ascii(text)
    expected = "".join(c.swapcase() if c.isascii() else c for c in text)
    assert got == expected


@SETTINGS
@given(st.text())
@example("\x00\x7f\x80\u07ff\u0800\uffff\U00010000\U0010ffff")  # every length boundary
def test_utf8_encode_matches_str_encode(text: str) -> None:
    assert utf8_encode(text) == text.encode("utf-8")
    assert utf8_decode(text.encode("utf-8")) == text


@SETTINGS
@given(st.integers(0xD800, 0xDFFF))
def test_utf8_encode_rejects_surrogates_like_python(cp: int) -> None:
    text = "ab" + chr(cp)
    with pytest.raises(UnicodeEncodeError):
        text.encode("utf-8")
    with pytest.raises(ValueError, match=f"cannot encode surrogate U\\+{cp:04X} at index 2"):
        utf8_encode(text)


# Bytes that exercise every branch of RFC 3629's table: ASCII, continuation
# bytes, every lead byte, and the bytes that never occur.
INTERESTING_BYTES = [
    *(0x41, 0x7F),  # ASCII
    *(0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF),  # continuation bytes at the narrowed-range edges
    *(0xC0, 0xC1, 0xC2, 0xDF),  # 2-byte leads, the first two always overlong
    *(0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF),  # 3-byte leads
    *(0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF),  # 4-byte leads and never-valid bytes
]
utf8ish = st.binary(max_size=10) | st.lists(
    st.sampled_from(INTERESTING_BYTES),
    max_size=8,
).map(bytes)


@settings(max_examples=500, deadline=None)
@given(utf8ish)
@example(b"\xc0\x80")  # overlong NUL
@example(b"\xe0\x80\xaf")  # overlong '/'
@example(b"\xed\xa0\x80")  # surrogate U+D800
@example(b"\xf4\x90\x80\x80")  # U+110000
@example(b"\xf0\x9f\x98")  # truncated emoji
@example(b"a\x80")  # stray continuation
def test_utf8_decode_raises_exactly_when_python_raises(data: bytes) -> None:
    start = None
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    if start is None:
        assert utf8_decode(data) == expected
    else:
        with pytest.raises(Utf8Error, match=f"^invalid UTF-8 at byte {start}: ") as info:
            utf8_decode(data)
        assert info.value.offset == start


def test_utf8_type_errors() -> None:
    with pytest.raises(TypeError, match="utf8_decode needs bytes, got 'abc'"):
        utf8_decode("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="utf8_encode needs a str, got b'abc'"):
        utf8_encode(b"abc")  # type: ignore[arg-type]
    assert utf8_decode(bytearray(b"\xc3\xa9")) == "é"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x80", "stray continuation byte 0x80"),
        (b"\xc1\xbf", "overlong lead byte 0xc1"),
        (b"\xe0\x9f\xbf", "overlong 3-byte form, got 0x9f at byte 1"),
        (b"\xed\xbf\xbf", "surrogate code point, got 0xbf at byte 1"),
        (b"\xf0\x8f\xbf\xbf", "overlong 4-byte form, got 0x8f at byte 1"),
        (b"\xf4\x90\x80\x80", "code point above U+10FFFF, got 0x90 at byte 1"),
        (b"\xf8\x88\x80\x80\x80", "byte 0xf8 never appears in UTF-8"),
        (b"\xe2\x82", "truncated 3-byte sequence"),
        (b"\xe2\x28\xa1", "expected a continuation byte, got 0x28 at byte 1"),
    ],
)
def test_utf8_decode_explains_each_rfc3629_rule(data: bytes, reason: str) -> None:
    with pytest.raises(Utf8Error, match=re.escape(f"invalid UTF-8 at byte 0: {reason}")):
        utf8_decode(data)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: utf8_decode("abc"), TypeError, "utf8_decode needs bytes, got 'abc'"),
        (lambda: utf8_decode(5), TypeError, "utf8_decode needs bytes, got 5"),
        (lambda: utf8_decode([0x41]), TypeError, "utf8_decode needs bytes, got [65]"),
        (lambda: utf8_encode(b"abc"), TypeError, "utf8_encode needs a str, got b'abc'"),
        (lambda: utf8_encode(None), TypeError, "utf8_encode needs a str, got None"),
        (lambda: swap_case_ascii(b"Ab"), TypeError, "swap_case_ascii needs a str, got b'Ab'"),
        (lambda: swap_case_ascii(65), TypeError, "swap_case_ascii needs a str, got 65"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]
