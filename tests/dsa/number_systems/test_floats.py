"""IEEE 754 by hand checked against struct, ctypes.c_float and correctly rounded division."""

from __future__ import annotations

import ctypes
import math
import re
import struct
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import FloatParts, float_bits, float_from_parts

SETTINGS = settings(max_examples=150, deadline=None)

BINARY64_EDGES = [
    0.0,
    -0.0,
    5e-324,  # smallest subnormal
    2.225073858507201e-308,  # largest subnormal
    2.2250738585072014e-308,  # smallest normal
    1.7976931348623157e308,  # largest finite
    math.inf,
    -math.inf,
    math.nan,
    float(2**53),
    0.1,
]
BINARY32_EDGES = [
    1.401298464324817e-45,  # smallest binary32 subnormal
    7.006492321624085e-46,  # half of it: a tie between 0 and it, goes to 0 (even)
    1.0509738482437128e-45,  # 1.5 of it: a tie between 1 and 2 units, goes to 2
    1.1754942106924411e-38,  # largest binary32 subnormal
    1.1754943508222875e-38,  # smallest binary32 normal
    3.4028234663852886e38,  # largest binary32
    3.4028235677973366e38,  # halfway from it to 2**128: rounds to infinity
    3.4028235677973362e38,  # just below that: rounds to the largest finite
    1e39,
    -1e300,
    16777217.0,  # 2**24 + 1: a tie, rounds to 2**24
]


def _bits64(x: float) -> int:
    return int.from_bytes(struct.pack(">d", x), "big")


def _from_bits64(raw: int) -> float:
    value: float = struct.unpack(">d", raw.to_bytes(8, "big"))[0]
    return value


def _from_bits32(raw: int) -> float:
    value: float = struct.unpack(">f", raw.to_bytes(4, "big"))[0]
    return value


# A raw pattern covers NaN payloads (quiet and signalling) and every other kind.
raw64 = st.integers(0, 2**64 - 1) | st.sampled_from(
    [0x7FF0000000000001, 0xFFF8000000000000, 0x7FF8DEADBEEF0001, 0x7FF4000000000000]
)
raw32 = st.integers(0, 2**32 - 1) | st.sampled_from(
    [0x7F800001, 0xFFC00000, 0x7FBFFFFF, 0x00000001]
)


@SETTINGS
@given(st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True))
@example(BINARY64_EDGES[0])  # one @example per edge would be noisy: the loop below covers them
def test_binary64_encoder_matches_struct(x: float) -> None:
    for value in (x, *BINARY64_EDGES):
        assert float_bits(value).bits == _bits64(value)


@SETTINGS
@given(raw64)
def test_binary64_decoder_and_encoder_round_trip_every_pattern(raw: int) -> None:
    parts = FloatParts.from_bits(raw)
    value = float_from_parts(parts)
    assert _bits64(value) == raw  # NaN payloads included
    assert value == _from_bits64(raw) or math.isnan(value)
    assert float_bits(value) == parts
    assert parts.kind == _kind(value, 2.2250738585072014e-308)


def _kind(x: float, smallest_normal: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "infinity"
    if x == 0:
        return "zero"
    return "subnormal" if abs(x) < smallest_normal else "normal"


def _struct_binary32(x: float) -> int:
    """The binary32 bits C's (float) cast gives: struct, or ctypes where struct refuses."""
    try:
        return int.from_bytes(struct.pack(">f", x), "big")
    except OverflowError:  # struct will not round a finite value to infinity
        y = ctypes.c_float(x).value
        assert math.isinf(y)
        return int.from_bytes(struct.pack(">f", y), "big")


@st.composite
def near_binary32_ties(draw: st.DrawFn) -> float:
    """Exact midpoints between neighbouring binary32 values, and their binary64 neighbours."""
    raw = draw(st.integers(0, 0x7F7FFFFF))  # finite, non-negative, not the largest
    lo, hi = _from_bits32(raw), _from_bits32(raw + 1)
    mid = (lo + hi) / 2  # exact: binary32 neighbours differ in one bit past binary32's 24
    nudge = draw(st.sampled_from([0, 1, -1]))
    sign = draw(st.sampled_from([1.0, -1.0]))
    return sign * (math.nextafter(mid, math.copysign(math.inf, nudge)) if nudge else mid)


@SETTINGS
@given(st.floats(allow_nan=True, allow_infinity=True) | near_binary32_ties())
def test_binary32_encoder_rounds_like_the_hardware(x: float) -> None:
    for value in (x, *BINARY32_EDGES, *BINARY64_EDGES):
        assert float_bits(value, "binary32").bits == _struct_binary32(value), value


@SETTINGS
@given(raw32)
def test_binary32_decoder_matches_struct(raw: int) -> None:
    parts = FloatParts.from_bits(raw, "binary32")
    value = float_from_parts(parts)
    expected = _from_bits32(raw)
    # Widening a binary32 NaN sets the quiet bit, in struct as in the hardware.
    assert _bits64(value) == _bits64(expected)
    if parts.kind != "nan":
        assert float_bits(value, "binary32") == parts
    assert parts.kind == _kind(value, 1.1754943508222875e-38)


@SETTINGS
@given(st.fractions(max_denominator=2**80) | st.integers(-(2**1100), 2**1100).map(Fraction))
@example(Fraction(1, 10))
@example(Fraction(2**1024 - 2**970))  # the binary64 overflow threshold: a tie, goes to infinity
@example(Fraction(2**1024 - 2**970 - 1))
def test_exact_rationals_round_like_correctly_rounded_division(q: Fraction) -> None:
    try:
        expected = _bits64(float(q))  # int / int true division is correctly rounded
    except OverflowError:
        expected = _bits64(math.inf if q > 0 else -math.inf)
    assert float_bits(q).bits == expected
    if q.denominator == 1:
        assert float_bits(q.numerator).bits == expected


_BINARY32_INF = 0x7F800000


def _binary32_value(raw: int) -> Fraction:
    """The exact value of a non-negative binary32 pattern (the infinity pattern is 2**128)."""
    return Fraction(2**128) if raw == _BINARY32_INF else Fraction(_from_bits32(raw))


def _nearest_binary32(q: Fraction) -> int:
    """Round q to binary32 by brute force: bisect the (monotonic) patterns, then pick the
    nearer neighbour, the even one on a tie. No double rounding through binary64."""
    a, sign = abs(q), (1 << 31 if q < 0 else 0)
    lo, hi = 0, _BINARY32_INF  # invariant: value(lo) <= a, or lo == 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if _binary32_value(mid) <= a else (lo, mid - 1)
    if lo == _BINARY32_INF or _binary32_value(lo) == a:
        return sign | lo
    below, above = a - _binary32_value(lo), _binary32_value(lo + 1) - a
    return sign | (lo + 1 if above < below or (above == below and lo & 1) else lo)


@st.composite
def near_binary32_rationals(draw: st.DrawFn) -> Fraction:
    """Exact binary32 midpoints, nudged by far less than a binary64 ulp: float(q) would round
    them to the midpoint and then to even, a double-rounding error the encoder must avoid."""
    raw = draw(st.integers(0, 0x7F7FFFFF))
    mid = (_binary32_value(raw) + _binary32_value(raw + 1)) / 2
    nudge = Fraction(draw(st.sampled_from([0, 1, -1])), 2 ** draw(st.integers(160, 1200)))
    return draw(st.sampled_from([1, -1])) * (mid + nudge)


@SETTINGS
@given(near_binary32_rationals() | st.fractions(max_denominator=2**200))
@example(Fraction(2**128 - 2**103))  # the binary32 overflow threshold: a tie, goes to infinity
@example(Fraction(2**128 - 2**103) - Fraction(1, 10**60))  # just below it: the largest finite
@example(Fraction(1, 2**150))  # half the smallest subnormal: a tie, goes to zero
@example(Fraction(2**24 + 1) + Fraction(1, 2**300))  # above the tie by a hair: rounds up
def test_binary32_rounds_exact_rationals_once(q: Fraction) -> None:
    assert float_bits(q, "binary32").bits == _nearest_binary32(q)
    if q.denominator == 1:
        assert float_bits(q.numerator, "binary32").bits == _nearest_binary32(q)


def test_the_facts_the_chapter_states() -> None:
    assert 0.1 + 0.2 != 0.3
    assert Decimal(0.1) == Decimal(  # noqa: RUF032 - the float literal is the point
        "0.1000000000000000055511151231257827021181583404541015625"
    )
    assert float(2**53) + 1 == float(2**53)
    assert float_bits(2**53 + 1) == float_bits(2**53)  # tie to even
    assert float_bits(2**53 + 3) == float_bits(2**53 + 4)  # tie to even, upward
    assert math.nextafter(1.0, 2.0) - 1.0 == math.ulp(1.0) == 2**-52
    single = float_bits(0.1, "binary32")
    assert (single.exponent, single.mantissa) == (123, 0x4CCCCD)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: float_bits(True), TypeError, "x must be a float, int or Fraction, got True"),
        (lambda: float_bits("0.1"), TypeError, "x must be a float, int or Fraction, got '0.1'"),
        (lambda: float_bits(Decimal("0.1")), TypeError, "got Decimal('0.1')"),
        (lambda: float_bits(1.0, "binary16"), ValueError, "fmt must be 'binary32' or 'binary64'"),
        (lambda: float_bits(1.0, None), ValueError, "fmt must be 'binary32' or 'binary64'"),
        (lambda: FloatParts(2, 0, 0), ValueError, "sign must be in 0..1 for binary64, got 2"),
        (lambda: FloatParts(0, -1, 0), ValueError, "exponent must be in 0..2047"),
        (lambda: FloatParts(0, 0, 2**23, "binary32"), ValueError, "mantissa must be in 0..8388607"),
        (lambda: FloatParts(True, 0, 0), TypeError, "sign must be an int, got True"),
        (lambda: FloatParts(0, 1.0, 0), TypeError, "exponent must be an int, got 1.0"),
        (lambda: FloatParts.from_bits(2**64), ValueError, "does not fit in 64 bits"),
        (lambda: FloatParts.from_bits(-1, "binary32"), ValueError, "does not fit in 32 bits"),
        (lambda: FloatParts.from_bits(1.5), TypeError, "raw must be an int, got 1.5"),
        (lambda: float_from_parts(0.5), TypeError, "parts must be a FloatParts, got 0.5"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]
