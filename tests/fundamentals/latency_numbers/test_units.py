"""Units: formatted sizes and durations parse back to the value; powers of two are exact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.fundamentals.latency_numbers import (
    check_number,
    format_bytes,
    format_duration,
    powers_of_two,
)

SI = {"B": 0, "kB": 1, "MB": 2, "GB": 3, "TB": 4, "PB": 5, "EB": 6, "ZB": 7, "YB": 8}
IEC = {"B": 0, "KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5, "EiB": 6, "ZiB": 7, "YiB": 8}


@given(st.floats(min_value=0, max_value=1e26), st.sampled_from(["si", "iec"]))
def test_format_bytes_parses_back_within_rounding(n, system):
    text = format_bytes(n, system=system)
    number, unit = text.split(" ")
    base, names = (1000, SI) if system == "si" else (1024, IEC)
    assert unit in names
    value = float(number) * base ** names[unit]
    # Three significant digits: relative error at most half a unit in the third digit.
    assert value == pytest.approx(n, rel=5e-3, abs=0.5)
    if names[unit] > 0:  # the largest prefix that keeps the number at least 1
        assert 1 <= float(number) < base


@given(st.integers(min_value=1, max_value=10**7))
def test_format_duration_of_whole_seconds_parses_back_exactly(s):
    text = format_duration(s)
    parts = {unit: int(v) for v, unit in re.findall(r"(\d+) (h|min|s)", text)}
    assert parts.get("h", 0) * 3600 + parts.get("min", 0) * 60 + parts["s"] == s
    assert 0 <= parts.get("min", 0) < 60
    assert 0 <= parts["s"] < 60


@given(st.floats(min_value=1e-12, max_value=0.999))
def test_format_duration_below_a_second_keeps_three_digits(s):
    number, unit = format_duration(s).split(" ")
    scale = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
    assert float(number) * scale == pytest.approx(s, rel=5e-3, abs=5e-12)


def test_powers_of_two_rows_are_exact_and_the_si_excess_grows():
    rows = powers_of_two((10, 20, 30, 40, 50))
    assert [r.value for r in rows] == [1024, 1024**2, 1024**3, 1024**4, 1024**5]
    assert [r.iec for r in rows] == ["1 KiB", "1 MiB", "1 GiB", "1 TiB", "1 PiB"]
    excess = [r.si_excess for r in rows]
    assert excess == sorted(excess)
    assert excess[0] == pytest.approx(0.024)
    assert excess[3] == pytest.approx(0.0995116, rel=1e-5)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: format_bytes(float("nan")),
            ValueError,
            "byte count must be a finite number, got nan",
        ),
        (lambda: format_bytes(-0.5), ValueError, "byte count must be at least 0, got -0.5"),
        (lambda: format_bytes(True), TypeError, "byte count must be an int or float, got bool"),
        (lambda: format_bytes("1 kB"), TypeError, "got str: '1 kB'"),
        (lambda: format_bytes(1, system="SI"), ValueError, "unknown system 'SI'"),
        (lambda: format_bytes(10**400), ValueError, "byte count is too large"),
        (lambda: format_duration(-1), ValueError, "duration must be at least 0, got -1"),
        (lambda: format_duration(float("-inf")), ValueError, "finite number, got -inf"),
        (lambda: powers_of_two(()), ValueError, "non-empty tuple of ints, got ()"),
        (lambda: powers_of_two((True,)), ValueError, "got True"),
        (lambda: powers_of_two((-1,)), ValueError, "0 to 80, got -1"),
        (lambda: check_number(0, "x", allow_minimum=False), ValueError, "greater than 0, got 0"),
    ],
)
def test_bad_input_is_refused_with_the_value_in_the_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_huge_but_finite_sizes_use_the_largest_prefix():
    assert format_bytes(1e30) == "1000000 YB"
    assert format_bytes(2**90, system="iec") == "1024 YiB"


def test_powers_of_two_name_every_multiple_of_ten_up_to_eighty():
    rows = powers_of_two((60, 70, 80))
    assert [r.si_name for r in rows] == ["quintillion", "sextillion", "septillion"]
    assert [r.iec for r in rows] == ["1 EiB", "1 ZiB", "1 YiB"]
    assert [round(r.si_excess, 4) for r in rows] == [0.1529, 0.1806, 0.2089]


@pytest.mark.parametrize(
    ("n", "system", "shown"),
    [
        (1023.9, "iec", "1.00 KiB"),  # displayed rounding, not 3-significant-digit rounding
        (1023.4, "iec", "1023 B"),
        (1020, "iec", "1020 B"),
        (999.5, "si", "1.00 kB"),
        (999_499, "si", "999 kB"),
        (1024**2 - 1, "iec", "1.00 MiB"),
    ],
)
def test_format_bytes_rolls_over_when_the_shown_number_reaches_the_base(n, system, shown):
    assert format_bytes(n, system=system) == shown
