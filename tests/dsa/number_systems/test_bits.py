"""Bit tricks and shifts checked against int.bit_count, bin() strings and Python's >>."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import (
    arithmetic_shift_right,
    clear_lowest_set_bit,
    from_twos_complement,
    is_power_of_two,
    java_shift_left,
    lowest_set_bit,
    next_power_of_two,
    popcount,
    rotate_left,
    to_twos_complement,
    xor_unique,
)

SETTINGS = settings(max_examples=100, deadline=None)
widths = st.integers(1, 70)


@st.composite
def signed_in_width(draw: st.DrawFn) -> tuple[int, int]:
    bits = draw(widths)
    return draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)), bits


@SETTINGS
@given(st.integers(0, 2**100))
def test_bit_tricks_match_builtins(x: int) -> None:
    assert popcount(x) == x.bit_count() == bin(x).count("1")
    if x:
        assert lowest_set_bit(x) == 1 << (len(bin(x)) - len(bin(x).rstrip("0")))
        assert popcount(clear_lowest_set_bit(x)) == popcount(x) - 1
    else:
        assert lowest_set_bit(0) == clear_lowest_set_bit(0) == 0
    assert is_power_of_two(x) == (x > 0 and bin(x).count("1") == 1)
    p = next_power_of_two(x)
    assert is_power_of_two(p)
    assert p >= x
    assert p == 1 or p // 2 < x


@SETTINGS
@given(signed_in_width(), st.integers(0, 80))
def test_shifts_and_rotation(case: tuple[int, int], shift: int) -> None:
    value, bits = case
    raw = to_twos_complement(value, bits)
    shifted = arithmetic_shift_right(raw, shift, bits)
    assert from_twos_complement(shifted, bits) == value >> shift  # Python's >> is arithmetic
    assert from_twos_complement(shifted, bits) == value // 2**shift
    rotated = rotate_left(raw, shift, bits)
    text = format(raw, f"0{bits}b")
    k = shift % bits
    assert format(rotated, f"0{bits}b") == text[k:] + text[:k]
    assert rotate_left(rotated, -shift, bits) == raw


@SETTINGS
@given(st.sampled_from([32, 64]), st.data())
def test_java_shift_left_masks_the_count(bits: int, data: st.DataObject) -> None:
    value = data.draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))
    count = data.draw(st.integers(-200, 200))
    # JLS 15.19: only the low 5 (int) or 6 (long) bits of the count are used.
    expected = (value << (count % bits)) % 2**bits
    got = java_shift_left(value, count, bits)
    assert to_twos_complement(got, bits) == expected
    assert java_shift_left(value, count + bits, bits) == got


@SETTINGS
@given(st.lists(st.integers(-(2**40), 2**40), unique=True), st.integers(), st.randoms())
def test_xor_unique_finds_the_odd_one(pairs: list[int], odd: int, rng: random.Random) -> None:
    assume(odd not in pairs)
    values = [*pairs, *pairs, odd]
    rng.shuffle(values)
    assert xor_unique(values) == odd
    assert xor_unique(iter(values)) == odd


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: popcount(-3), ValueError, "popcount needs a non-negative int, got -3"),
        (lambda: popcount(1.0), TypeError, "x must be an int, got 1.0"),
        (lambda: lowest_set_bit(-1), ValueError, "lowest_set_bit needs a non-negative int, got -1"),
        (lambda: clear_lowest_set_bit(True), TypeError, "x must be an int, got True"),
        (lambda: is_power_of_two(float("nan")), TypeError, "x must be an int, got nan"),
        (lambda: next_power_of_two(float("inf")), TypeError, "x must be an int, got inf"),
        (lambda: arithmetic_shift_right(1, True, 8), TypeError, "shift must be an int, got True"),
        (lambda: arithmetic_shift_right(1, -1, 8), ValueError, "shift must be >= 0, got -1"),
        (lambda: arithmetic_shift_right(1, 1.0, 8), TypeError, "shift must be an int, got 1.0"),
        (lambda: arithmetic_shift_right(256, 1, 8), ValueError, "raw pattern 256 does not fit"),
        (lambda: rotate_left(1, True, 8), TypeError, "shift must be an int, got True"),
        (lambda: rotate_left(1, 1, 0), ValueError, "bits must be at least 1, got 0"),
        (lambda: java_shift_left(1, 1, 16), ValueError, "bits must be 32 (int) or 64 (long)"),
        (lambda: java_shift_left(1, True), TypeError, "count must be an int, got True"),
        (lambda: java_shift_left(2**31, 1), ValueError, "2147483648 does not fit in 32-bit"),
        (lambda: xor_unique([1, True]), TypeError, "values must hold ints, got True"),
        (lambda: xor_unique(["a"]), TypeError, "values must hold ints, got 'a'"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_negatives_are_not_powers_of_two() -> None:
    assert not is_power_of_two(-4)
    assert next_power_of_two(-5) == 1
