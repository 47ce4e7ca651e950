"""RFC 6298's estimator against the RFC's formulas, recomputed in exact fractions."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.tcp_protocol import RtoEstimator

rtts = st.floats(min_value=0.0, max_value=30.0, allow_nan=False)


def reference_rto(
    samples: list[float],
    g: Fraction = Fraction(1, 1000),
    floor: Fraction = Fraction(1),
    cap: Fraction = Fraction(60),
) -> list[tuple[Fraction, Fraction, Fraction]]:
    """RFC 6298 section 2, step by step, in exact arithmetic."""
    srtt: Fraction | None = None
    rttvar = Fraction(0)
    out = []
    for sample in samples:
        r = Fraction(sample)
        if srtt is None:
            srtt, rttvar = r, r / 2  # (2.2)
        else:
            rttvar = Fraction(3, 4) * rttvar + Fraction(1, 4) * abs(srtt - r)  # (2.3)
            srtt = Fraction(7, 8) * srtt + Fraction(1, 8) * r
        rto = min(max(srtt + max(g, 4 * rttvar), floor), cap)  # (2.2)-(2.5)
        out.append((srtt, rttvar, rto))
    return out


@settings(max_examples=60)  # exact Fractions are slow; 60 histories cover the branches
@given(st.lists(rtts, min_size=1, max_size=30))
def test_matches_the_rfc_formulas_computed_exactly(samples: list[float]) -> None:
    est = RtoEstimator()
    for sample, (srtt, rttvar, rto) in zip(samples, reference_rto(samples), strict=True):
        assert est.update(sample) == pytest.approx(float(rto), rel=1e-9, abs=1e-12)
        assert est.srtt == pytest.approx(float(srtt), rel=1e-9, abs=1e-12)
        assert est.rttvar == pytest.approx(float(rttvar), rel=1e-9, abs=1e-12)
        assert 1.0 <= est.rto <= 60.0


@settings(max_examples=60)
@given(st.lists(rtts, max_size=10), st.integers(min_value=0, max_value=12))
def test_backoff_doubles_up_to_the_cap_and_a_new_sample_clears_it(
    samples: list[float], timeouts: int
) -> None:
    est = RtoEstimator()
    for sample in samples:
        est.update(sample)
    base = est.rto
    for i in range(1, timeouts + 1):
        assert est.on_timeout() == min(base * 2**i, 60.0)
    assert est.backoffs == timeouts
    est.update(0.05)
    assert est.backoffs == 0
    assert est.rto == pytest.approx(float(reference_rto([*samples, 0.05])[-1][2]), rel=1e-9)


def test_initial_rto_is_one_second_and_the_first_sample_sets_rttvar_to_half() -> None:
    fresh = RtoEstimator()
    assert (fresh.rto, fresh.srtt, fresh.rttvar) == (1.0, None, None)
    est = RtoEstimator(min_rto=0.001)
    assert est.update(0.4) == 0.4 + 4 * 0.2
    assert (est.srtt, est.rttvar) == (0.4, 0.2)


def test_the_one_second_floor_and_the_clock_granularity() -> None:
    assert RtoEstimator().update(0.010) == 1.0  # (2.4) rounds up to 1 s
    # A perfectly steady RTT drives RTTVAR to 0; G keeps RTO above SRTT.
    est = RtoEstimator(granularity=0.004, min_rto=0.001)
    for _ in range(200):
        rto = est.update(0.1)
    assert est.rttvar is not None
    assert est.rttvar < 1e-20
    assert rto == pytest.approx(0.1 + 0.004)


def test_a_huge_number_of_timeouts_stays_at_the_cap() -> None:
    est = RtoEstimator(max_rto=120.0)
    for _ in range(5000):
        est.on_timeout()
    assert est.rto == 120.0
    assert est.backoffs == 5000


def test_the_repr_shows_the_state() -> None:
    est = RtoEstimator()
    est.update(0.5)
    assert repr(est) == "RtoEstimator(srtt=0.5, rttvar=0.25, rto=1.5, backoffs=0)"


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (math.nan, ValueError),
        (-0.001, ValueError),
        (math.inf, ValueError),
        (True, TypeError),
        ("0.1", TypeError),
        (None, TypeError),
    ],
)
def test_update_rejects_bad_samples_naming_them(bad: Any, error: type[Exception]) -> None:
    est = RtoEstimator()
    with pytest.raises(error, match=re.escape(repr(bad))):
        est.update(bad)
    assert est.srtt is None, "a rejected sample must not change the state"


@pytest.mark.parametrize(
    ("kwargs", "error", "shown"),
    [
        ({"granularity": -1.0}, ValueError, "-1.0"),
        ({"granularity": math.nan}, ValueError, "nan"),
        ({"min_rto": 0}, ValueError, "0"),
        ({"max_rto": 59.0}, ValueError, "59.0"),
        ({"max_rto": 60.0, "min_rto": 61.0}, ValueError, "60.0"),
        ({"initial_rto": math.inf}, ValueError, "inf"),
        ({"initial_rto": False}, TypeError, "False"),
    ],
)
def test_constructor_rejects_bad_settings(
    kwargs: dict[str, Any], error: type[Exception], shown: str
) -> None:
    with pytest.raises(error, match=re.escape(shown)):
        RtoEstimator(**kwargs)
