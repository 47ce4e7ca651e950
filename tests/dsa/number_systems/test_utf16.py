"""UTF-16 by hand checked against Python's utf-16-be and utf-16-le codecs."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import Utf16Error, utf16_decode, utf16_encode

SETTINGS = settings(max_examples=150, deadline=None)
Order = Literal["big", "little"]
orders: st.SearchStrategy[Order] = st.sampled_from(["big", "little"])
CODEC = {"big": "utf-16-be", "little": "utf-16-le"}


@SETTINGS
@given(st.text(), orders)
@example("\x00\ud7ff\ue000\uffff\U00010000\U0010ffff", "big")  # both sides of every boundary
@example("😀", "little")
def test_utf16_encode_matches_python(text: str, order: Order) -> None:
    data = utf16_encode(text, order)
    assert data == text.encode(CODEC[order])
    assert utf16_decode(data, order) == text
    # Java's and JavaScript's String.length counts code units: one per BMP
    # character, two per character above U+FFFF.
    assert len(data) // 2 == sum(2 if ord(c) > 0xFFFF else 1 for c in text)


@SETTINGS
@given(st.integers(0xD800, 0xDFFF), orders)
def test_utf16_encode_rejects_lone_surrogates_like_python(cp: int, order: Order) -> None:
    text = "ab" + chr(cp)
    with pytest.raises(UnicodeEncodeError):
        text.encode(CODEC[order])
    with pytest.raises(ValueError, match=f"cannot encode surrogate U\\+{cp:04X} at index 2"):
        utf16_encode(text, order)


# Units that hit every branch: ASCII, the surrogate edges, and odd lengths.
UNITS = [0x0041, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF]


@st.composite
def utf16ish(draw: st.DrawFn) -> tuple[bytes, Order]:
    """Random bytes, or edge units laid out in the drawn byte order (so that
    little-endian input meets surrogates as often as big-endian input does)."""
    order = draw(orders)
    if draw(st.booleans()):
        return draw(st.binary(max_size=12)), order
    units = draw(st.lists(st.sampled_from(UNITS), max_size=6))
    tail = b"\x00" if draw(st.booleans()) else b""
    return b"".join(u.to_bytes(2, order) for u in units) + tail, order


@settings(max_examples=400, deadline=None)
@given(utf16ish())
@example((b"\xd8\x00", "big"))  # high surrogate at the end
@example((b"\x00\xd8", "little"))  # the same, little-endian
@example((b"\xd8\x00\x00\x41", "big"))  # high surrogate, then not a low one
@example((b"\xdc\x00", "big"))  # lone low surrogate
@example((b"\x00\xdc", "little"))  # the same, little-endian
@example((b"\x00\x41\x00", "big"))  # odd length
@example((b"\xd8\x00\xdc", "big"))  # high surrogate, then half a unit
@example((b"\x3d\xd8\x00\xde", "little"))  # U+1F600, little-endian
def test_utf16_decode_raises_exactly_when_python_raises(case: tuple[bytes, Order]) -> None:
    data, order = case
    start = None
    try:
        expected = data.decode(CODEC[order])
    except UnicodeDecodeError as exc:
        start = exc.start
    if start is None:
        assert utf16_decode(data, order) == expected
    else:
        with pytest.raises(Utf16Error, match=f"^invalid UTF-16 at byte {start}: ") as info:
            utf16_decode(data, order)
        assert info.value.offset == start


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: utf16_decode("ab"), TypeError, "utf16_decode needs bytes, got 'ab'"),
        (lambda: utf16_decode(b"", "middle"), ValueError, "byteorder must be 'big' or 'little'"),
        (lambda: utf16_encode(b"ab"), TypeError, "utf16_encode needs a str, got b'ab'"),
        (lambda: utf16_encode("a", None), ValueError, "byteorder must be 'big' or 'little'"),
        (lambda: utf16_decode(b"\x00"), Utf16Error, "at byte 0: odd trailing byte"),
        (lambda: utf16_decode(b"\xdc\x01"), Utf16Error, "at byte 0: lone surrogate 0xdc01"),
        (
            lambda: utf16_decode(b"\xd8\x3d\x00\x41"),
            Utf16Error,
            "at byte 0: high surrogate 0xd83d followed by 0x0041",
        ),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]
