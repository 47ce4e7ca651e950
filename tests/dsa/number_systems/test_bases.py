"""Base conversion checked against int() and format()."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import from_base, to_base

SETTINGS = settings(max_examples=100, deadline=None)
bases = st.integers(2, 36)


@SETTINGS
@given(st.integers(-(2**80), 2**80), bases)
def test_to_base_round_trips_and_matches_format(value: int, base: int) -> None:
    text = to_base(value, base)
    assert int(text, base) == value
    assert from_base(text, base) == value
    assert from_base(text.upper(), base) == value
    spec = {2: "b", 8: "o", 10: "d", 16: "x"}.get(base)
    if spec:
        assert text == format(value, spec)


@SETTINGS
@given(st.text(alphabet="0123456789abcdefxyzXYZ+-", max_size=6), bases)
def test_from_base_raises_exactly_when_int_raises(text: str, base: int) -> None:
    # int() also accepts a 0x/0o/0b prefix matching the base; from_base does not.
    prefix = {16: "x", 8: "o", 2: "b"}.get(base)
    assume(not (prefix and re.match(rf"[+-]?0{prefix}", text, re.IGNORECASE)))
    try:
        expected = int(text, base)
    except ValueError:
        with pytest.raises(ValueError, match="digit|no digits"):
            from_base(text, base)
    else:
        assert from_base(text, base) == expected


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: to_base(1, 37), ValueError, "base must be in 2..36, got 37"),
        (lambda: from_base("1", 0), ValueError, "base must be in 2..36, got 0"),
        (lambda: to_base(True, 2), TypeError, "value must be an int, got True"),
        (lambda: to_base(1.5, 2), TypeError, "value must be an int, got 1.5"),
        (lambda: to_base(float("nan"), 2), TypeError, "value must be an int, got nan"),
        (lambda: to_base(10, True), TypeError, "base must be an int, got True"),
        (lambda: from_base("10", 2.0), TypeError, "base must be an int, got 2.0"),
        (lambda: from_base(b"10", 2), TypeError, "text must be a str, got b'10'"),
        (lambda: from_base("-1g", 16), ValueError, "'g' at index 2 is not a base-16 digit"),
        (lambda: from_base("-", 10), ValueError, "no digits in '-'"),
        (lambda: from_base("", 10), ValueError, "no digits in ''"),
        (lambda: from_base(" 1", 10), ValueError, "' ' at index 0 is not a base-10 digit"),
        (lambda: from_base("1_0", 10), ValueError, "'_' at index 1 is not a base-10 digit"),
        # int() accepts Arabic-Indic digits; from_base is ASCII only
        (lambda: from_base("\u0661", 10), ValueError, "is not a base-10 digit"),
    ],
)
def test_bad_input_is_refused_with_the_value(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()  # type: ignore[operator]


def test_huge_values_work() -> None:
    assert from_base(to_base(7**500, 36), 36) == 7**500
