"""Two's complement, overflow and C division checked against ctypes and exact arithmetic."""

from __future__ import annotations

import ctypes
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import (
    add_with_overflow,
    from_twos_complement,
    mul_with_overflow,
    mul_would_overflow,
    to_twos_complement,
    truncating_divmod,
    wrap_signed,
)

SETTINGS = settings(max_examples=100, deadline=None)
widths = st.integers(1, 70)
CTYPES = {8: ctypes.c_int8, 16: ctypes.c_int16, 32: ctypes.c_int32, 64: ctypes.c_int64}


@st.composite
def signed_in_width(draw: st.DrawFn) -> tuple[int, int]:
    bits = draw(widths)
    return draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)), bits


@SETTINGS
@given(signed_in_width())
def test_twos_complement_round_trip_and_bytes_oracle(case: tuple[int, int]) -> None:
    value, bits = case
    raw = to_twos_complement(value, bits)
    assert 0 <= raw < 2**bits
    assert from_twos_complement(raw, bits) == value
    assert raw == value % 2**bits
    if bits % 8 == 0:
        assert raw.to_bytes(bits // 8, "big") == value.to_bytes(bits // 8, "big", signed=True)


@SETTINGS
@given(st.integers(-(2**70), 2**70), widths)
def test_to_twos_complement_rejects_exactly_the_out_of_range(value: int, bits: int) -> None:
    fits = -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
    if fits:
        to_twos_complement(value, bits)
    else:
        with pytest.raises(ValueError, match=f"does not fit in {bits}-bit two's complement"):
            to_twos_complement(value, bits)


@SETTINGS
@given(st.sampled_from(sorted(CTYPES)), st.data())
def test_add_and_mul_match_c_fixed_width_integers(bits: int, data: st.DataObject) -> None:
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    edge = st.sampled_from([lo, lo + 1, -1, 0, 1, hi - 1, hi])
    a = data.draw(st.integers(lo, hi) | edge)
    b = data.draw(st.integers(lo, hi) | edge)
    total, overflowed = add_with_overflow(a, b, bits)
    assert total == CTYPES[bits](a + b).value  # ctypes truncates like C hardware
    assert overflowed == (not lo <= a + b <= hi)
    product, mul_overflowed = mul_with_overflow(a, b, bits)
    assert product == CTYPES[bits](a * b).value
    assert mul_overflowed == (not lo <= a * b <= hi)
    assert mul_would_overflow(a, b, bits) == mul_overflowed
    wide = data.draw(st.integers(-(2**100), 2**100))
    assert wrap_signed(wide, bits) == CTYPES[bits](wide).value


def _dividend_divisor(bits: int) -> st.SearchStrategy[tuple[int, int, int]]:
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    edge = st.sampled_from(sorted(v for v in {lo, -1, 1, hi} if lo <= v <= hi))
    operand = st.integers(lo, hi) | edge
    return st.tuples(operand, (operand).filter(bool), st.just(bits))


@SETTINGS
@given(widths.flatmap(_dividend_divisor))
@example((-128, -1, 8))  # MIN / -1: the one overflowing quotient
@example((-(2**31), -1, 32))
@example((-7, 2, 32))
def test_truncating_divmod_matches_c_semantics(case: tuple[int, int, int]) -> None:
    a, b, bits = case
    q, r = truncating_divmod(a, b, bits)
    # C99 6.5.5: the quotient is truncated toward zero; (a/b)*b + a%b == a.
    exact_q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    assert q == wrap_signed(exact_q, bits)
    assert exact_q * b + r == a
    assert abs(r) < abs(b)
    assert r == 0 or (r < 0) == (a < 0)


def test_odd_test_with_remainder_misses_negative_odd_numbers_in_c() -> None:
    odd = [n for n in range(-5, 6) if n & 1]
    assert [truncating_divmod(n, 2, 32)[1] == 1 for n in odd] == [False] * 3 + [True] * 3
    assert all(n % 2 == 1 for n in odd)  # Python's % floors, so the test works there


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: to_twos_complement(0, 0), ValueError, "bits must be at least 1, got 0"),
        (lambda: to_twos_complement(0, True), TypeError, "bits must be an int, got True"),
        (lambda: to_twos_complement(1.0, 8), TypeError, "value must be an int, got 1.0"),
        (lambda: to_twos_complement(True, 8), TypeError, "value must be an int, got True"),
        (lambda: to_twos_complement(-129, 8), ValueError, "-129 does not fit in 8-bit"),
        (lambda: from_twos_complement(-1, 8), ValueError, "raw pattern -1 does not fit in 8"),
        (lambda: from_twos_complement(float("inf"), 8), TypeError, "raw must be an int, got inf"),
        (lambda: wrap_signed(1, -3), ValueError, "bits must be at least 1, got -3"),
        (lambda: wrap_signed(None, 8), TypeError, "value must be an int, got None"),
        (lambda: add_with_overflow(128, 0, 8), ValueError, "128 does not fit in 8-bit"),
        (lambda: mul_with_overflow(0, False, 8), TypeError, "value must be an int, got False"),
        (lambda: mul_would_overflow(2**40, 1, 32), ValueError, "does not fit in 32-bit"),
        (lambda: truncating_divmod(5, 0, 8), ZeroDivisionError, "integer division by zero: 5 / 0"),
        (lambda: truncating_divmod(5, 1, 0), ValueError, "bits must be at least 1, got 0"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]
