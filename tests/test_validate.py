"""The shared argument checks: each accepts what it should and names what it refuses."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook._validate import check_callable, check_int, check_real, check_str


@given(st.integers(), st.integers(), st.integers())
def test_check_int_accepts_exactly_the_range(value: int, a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    if low <= value <= high:
        assert check_int(value, "n", minimum=low, maximum=high) == value
    else:
        with pytest.raises(ValueError, match=repr(value)):
            check_int(value, "n", minimum=low, maximum=high)


@pytest.mark.parametrize("bad", [True, 1.0, "1", None, [1]])
def test_check_int_refuses_other_types(bad: object) -> None:
    with pytest.raises(TypeError, match="n must be an int"):
        check_int(bad, "n")


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(-10, 10), st.floats(-10, 10))
def test_check_real_matches_a_direct_reading(value: float, a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    ok = math.isfinite(value) and low <= value <= high
    if ok:
        assert check_real(value, "x", low=low, high=high) == value
    else:
        with pytest.raises(ValueError, match="x must be a finite number"):
            check_real(value, "x", low=low, high=high)


@pytest.mark.parametrize("bad", [10**400, -(10**400)])
def test_check_real_refuses_ints_too_large_for_a_float(bad: int) -> None:
    with pytest.raises(ValueError, match="finite"):
        check_real(bad, "x")


@pytest.mark.parametrize("bad", [False, "1.0", None, 1j])
def test_check_real_refuses_other_types(bad: object) -> None:
    with pytest.raises(TypeError, match="x must be a number"):
        check_real(bad, "x")


def test_check_real_positive_and_one_sided_bounds() -> None:
    assert check_real(0, "x", low=0) == 0.0
    with pytest.raises(ValueError, match=r"x must be a finite number >= 1, got 0"):
        check_real(0, "x", low=1)
    with pytest.raises(ValueError, match=r"x must be a finite number <= -1 and > 0, got 0"):
        check_real(0, "x", high=-1, positive=True)
    with pytest.raises(ValueError, match=r"> 0, got -1"):
        check_real(-1, "x", positive=True)


def test_check_str_and_callable() -> None:
    assert check_str("", "s") == ""
    with pytest.raises(ValueError, match="non-empty"):
        check_str("", "s", nonempty=True)
    with pytest.raises(TypeError, match="s must be a str, got bytes"):
        check_str(b"a", "s")
    check_callable(len, "f")
    with pytest.raises(TypeError, match="f must be callable"):
        check_callable(None, "f")
