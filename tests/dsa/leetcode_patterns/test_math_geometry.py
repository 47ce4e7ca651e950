"""Matrix problems against simple copying oracles; atoi against a regular expression."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.math_geometry import (
    PROBLEMS,
    rotate_image,
    set_matrix_zeroes,
    spiral_matrix,
    string_to_integer_atoi,
)

FAST = settings(max_examples=40, deadline=None, derandomize=True)


def matrices(min_side: int = 0, square: bool = False) -> st.SearchStrategy[list[list[int]]]:
    def build(rows: int, cols: int) -> st.SearchStrategy[list[list[int]]]:
        row = st.lists(st.integers(0, 3), min_size=cols, max_size=cols)
        return st.lists(row, min_size=rows, max_size=rows)

    side = st.integers(min_side, 5)
    if square:
        return side.flatmap(lambda n: build(n, n))
    return st.tuples(side, st.integers(1, 5)).flatmap(lambda rc: build(*rc))


@FAST
@given(matrices(square=True))
def test_rotate_matches_zip_of_reversed_rows(m: list[list[int]]) -> None:
    expected = [list(col) for col in zip(*m[::-1], strict=True)]
    rotate_image(m)
    assert m == expected


def peel(m: list[list[int]]) -> list[int]:
    """Take the top row, turn the rest counter-clockwise, repeat."""
    out: list[int] = []
    rest = [list(r) for r in m]
    while rest:
        out.extend(rest.pop(0))
        rest = [list(r) for r in zip(*rest, strict=True)][::-1]
    return out


@FAST
@given(matrices())
def test_spiral_matches_peeling(m: list[list[int]]) -> None:
    assert spiral_matrix(m) == peel(m)


@FAST
@given(matrices(min_side=1))
def test_set_zeroes_matches_marker_sets(m: list[list[int]]) -> None:
    rows = {r for r, row in enumerate(m) for v in row if v == 0}
    cols = {c for row in m for c, v in enumerate(row) if v == 0}
    expected = [
        [0 if r in rows or c in cols else v for c, v in enumerate(row)] for r, row in enumerate(m)
    ]
    got = copy.deepcopy(m)
    set_matrix_zeroes(got)
    assert got == expected


@FAST
@given(st.text(alphabet=" \t+-0123456789a.", max_size=14))
def test_atoi_matches_regex(s: str) -> None:
    match = re.match(r" *([+-]?\d+)", s)
    expected = int(match.group(1)) if match else 0
    expected = max(-(2**31), min(2**31 - 1, expected))
    assert string_to_integer_atoi(s) == expected


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match="matrix must be square"):
        rotate_image([[1], [2]])
    with pytest.raises(ValueError, match="row 1 has 1, row 0 has 2"):
        spiral_matrix([[1, 2], [3]])
    assert string_to_integer_atoi("+-12") == 0
    assert string_to_integer_atoi("-91283472332") == -(2**31)
    assert len(PROBLEMS) == 4
