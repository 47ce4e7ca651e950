"""Bytes by hand checked against int.to_bytes and int.from_bytes."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import int_from_bytes, int_to_bytes

SETTINGS = settings(max_examples=100, deadline=None)
Order = Literal["big", "little"]
orders: st.SearchStrategy[Order] = st.sampled_from(["big", "little"])


@SETTINGS
@given(st.integers(-(2**72), 2**72), st.integers(0, 9), orders, st.booleans())
# CPython up to 3.14 returns b'' for (-1).to_bytes(0, signed=True), which reads
# back as 0; int_to_bytes raises, as CPython's main branch now does (gh-71810).
@example(-1, 0, "big", True)
@example(0, 0, "little", True)
@example(-128, 1, "big", True)
@example(128, 1, "big", True)
def test_bytes_by_hand_match_int_to_bytes(
    value: int, length: int, order: Order, signed: bool
) -> None:
    if (value, length, signed) == (-1, 0, True):
        assert value.to_bytes(length, order, signed=signed) == b""  # the CPython quirk
        with pytest.raises(ValueError, match=r"^-1 does not fit in 0 signed byte\(s\)$"):
            int_to_bytes(value, length, order, signed=signed)
        return
    try:
        expected = value.to_bytes(length, order, signed=signed)
    except OverflowError:
        with pytest.raises(ValueError, match="does not fit in"):
            int_to_bytes(value, length, order, signed=signed)
    else:
        assert int_to_bytes(value, length, order, signed=signed) == expected
        back = int_from_bytes(expected, order, signed=signed)
        assert back == int.from_bytes(expected, order, signed=signed) == value


@SETTINGS
@given(st.binary(max_size=12), orders, st.booleans())
def test_int_from_bytes_matches_builtin(data: bytes, order: Order, signed: bool) -> None:
    expected = int.from_bytes(data, order, signed=signed)
    assert int_from_bytes(data, order, signed=signed) == expected
    assert int_from_bytes(list(data), order, signed=signed) == expected
    assert int_from_bytes(bytearray(data), order, signed=signed) == expected
    assert int_from_bytes(memoryview(data), order, signed=signed) == expected


@SETTINGS
@given(st.lists(st.integers(-300, 300), max_size=6), orders)
def test_int_from_bytes_refuses_exactly_what_the_builtin_refuses(
    items: list[int], order: Order
) -> None:
    try:
        expected = int.from_bytes(items, order)
    except ValueError:
        with pytest.raises(ValueError, match=r"byte values must be in 0\.\.255, got -?\d+ at"):
            int_from_bytes(items, order)
    else:
        assert int_from_bytes(items, order) == expected


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: int_to_bytes(1, 2, "middle"), ValueError, "byteorder must be 'big' or 'little'"),
        (lambda: int_to_bytes(True, 1, "big"), TypeError, "value must be an int, got True"),
        (lambda: int_to_bytes(1.0, 1, "big"), TypeError, "value must be an int, got 1.0"),
        (lambda: int_to_bytes(float("nan"), 1, "big"), TypeError, "value must be an int, got nan"),
        (lambda: int_to_bytes(1, 2.0, "big"), TypeError, "length must be an int, got 2.0"),
        (lambda: int_to_bytes(1, -1, "big"), ValueError, "length must be >= 0, got -1"),
        (lambda: int_to_bytes(-1, 1, "big"), ValueError, "-1 does not fit in 1 unsigned byte"),
        (lambda: int_to_bytes(1, 1, "big", signed=1), TypeError, "signed must be a bool, got 1"),
        (lambda: int_from_bytes([256, 1], "big"), ValueError, "got 256 at index 0"),
        (lambda: int_from_bytes([-1], "big"), ValueError, "got -1 at index 0"),
        (lambda: int_from_bytes([True], "big"), TypeError, "each byte must be an int, got True"),
        (lambda: int_from_bytes("ab", "big"), TypeError, "data must be bytes or an iterable"),
        (lambda: int_from_bytes(5, "big"), TypeError, "data must be bytes or an iterable of"),
        (lambda: int_from_bytes(b"", "BIG"), ValueError, "byteorder must be 'big' or 'little'"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_huge_values_work() -> None:
    value = 3**2000
    n = (value.bit_length() + 7) // 8
    assert int_from_bytes(int_to_bytes(value, n, "little"), "little") == value
