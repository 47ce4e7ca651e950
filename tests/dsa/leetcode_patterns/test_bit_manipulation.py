"""Bit tricks against Python's arbitrary-precision arithmetic and string formatting."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.bit_manipulation import (
    PROBLEMS,
    add_binary,
    counting_bits,
    missing_number,
    number_of_1_bits,
    reverse_bits,
    single_number,
    sum_of_two_integers,
)

FAST = settings(max_examples=40, deadline=None, derandomize=True)
int32 = st.integers(-(2**31), 2**31 - 1)


@FAST
@given(int32, int32)
def test_sum_wraps_like_a_32_bit_adder(a: int, b: int) -> None:
    expected = (a + b + 2**31) % 2**32 - 2**31
    assert sum_of_two_integers(a, b) == expected


@FAST
@given(st.integers(0, 2**40))
def test_popcount_matches_bin(n: int) -> None:
    assert number_of_1_bits(n) == bin(n).count("1")


@FAST
@given(st.integers(0, 300))
def test_counting_bits_matches_bin(n: int) -> None:
    assert counting_bits(n) == [bin(i).count("1") for i in range(n + 1)]


@FAST
@given(st.integers(0, 30).flatmap(lambda n: st.permutations(range(n + 1))))
def test_missing_number_matches_set_difference(values: list[int]) -> None:
    nums = list(values[1:])  # drop one value of 0..n
    (expected,) = set(range(len(nums) + 1)) - set(nums)
    assert missing_number(nums) == expected


@FAST
@given(st.integers(0, 2**32 - 1))
def test_reverse_bits_matches_string_reversal(n: int) -> None:
    assert reverse_bits(n) == int(format(n, "032b")[::-1], 2)


@FAST
@given(st.lists(st.integers(-50, 50), unique=True, min_size=1, max_size=10), st.randoms())
def test_single_number_matches_counter(values: list[int], rng: object) -> None:
    nums = [values[0], *values[1:], *values[1:]]
    rng.shuffle(nums)  # type: ignore[attr-defined]
    (expected,) = [v for v, c in Counter(nums).items() if c == 1]
    assert single_number(nums) == expected


@FAST
@given(st.integers(0, 2**70), st.integers(0, 2**70))
def test_add_binary_matches_int_arithmetic(a: int, b: int) -> None:
    assert add_binary(bin(a)[2:], bin(b)[2:]) == bin(a + b)[2:]


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match=r"got \(0, -2147483649\)"):
        sum_of_two_integers(0, -(2**31) - 1)
    with pytest.raises(ValueError, match="got -1"):
        reverse_bits(-1)
    with pytest.raises(ValueError, match="values must be in 0..2, got 3"):
        missing_number([0, 3])
    with pytest.raises(ValueError, match="got ''"):
        add_binary("", "1")
    assert len(PROBLEMS) == 7
