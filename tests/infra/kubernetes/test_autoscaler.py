"""The HPA formula against exact fractions; stabilization against a plain list."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studybook.infra.kubernetes import (
    DEFAULT_DOWNSCALE_WINDOW,
    DEFAULT_TOLERANCE,
    HorizontalPodAutoscaler,
    hpa_desired_replicas,
)


def test_documented_defaults() -> None:
    # kubernetes.io "Horizontal Pod Autoscaling": tolerance 0.1, scale-down window 300 s.
    assert DEFAULT_TOLERANCE == 0.1
    assert DEFAULT_DOWNSCALE_WINDOW == 300


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 200), st.integers(0, 1000), st.integers(1, 1000))
def test_formula_matches_exact_arithmetic_away_from_float_edges(
    replicas: int, current: int, target: int
) -> None:
    ratio = Fraction(current, target)
    exact = replicas * ratio
    # Floats can land an ulp off an integer or off the tolerance edge; the controller
    # computes in float64 too, so those cases are pinned separately below.
    float_is_exact = Fraction(current / target) == ratio
    assume(float_is_exact or abs(exact - round(exact)) > Fraction(1, 10**6))
    assume(float_is_exact or abs(abs(1 - ratio) - Fraction(1, 10)) > Fraction(1, 10**6))
    band = Fraction(1, 10)
    expected = replicas if 1 - band <= ratio <= 1 + band else math.ceil(exact)
    assert hpa_desired_replicas(replicas, current, target) == expected


@pytest.mark.parametrize(
    ("replicas", "current", "target", "expected"),
    [
        (50, 90, 75, 60),  # the v1.33 blog's example: 50 * 90/75 = 60
        (1, 200, 100, 2),  # kubernetes.io: 200m against 100m doubles
        (4, 50, 100, 2),  # 50m against 100m halves
        (10, 109, 100, 10),  # within 10%: no change
        (10, 91, 100, 10),
        (10, 111, 100, 12),  # ceil(11.1)
        (10, 0, 100, 0),  # no load: 0 before minReplicas clamps it
        # v1.33+ tests 1 - 0.1 <= ratio <= 1 + 0.1 (Tolerances.isWithin): both edges are
        # inside. The pre-v1.33 abs(1 - ratio) <= 0.1 would scale 110 % to 11 (float64
        # |1 - 1.1| = 0.10000000000000009).
        (10, 110, 100, 10),
        (10, 90, 100, 10),
    ],
)
def test_formula_examples(replicas: int, current: float, target: float, expected: int) -> None:
    assert hpa_desired_replicas(replicas, current, target) == expected


def test_tolerance_zero_scales_on_any_change() -> None:
    assert hpa_desired_replicas(10, 101, 100, tolerance=0) == 11
    assert hpa_desired_replicas(10, 100, 100, tolerance=0) == 10


def _raw_model(replicas: int, metric: int, target: int) -> int:
    """The documented formula in exact arithmetic, written apart from the code under test."""
    ratio = Fraction(metric, target)
    if Fraction(9, 10) <= ratio <= Fraction(11, 10):
        return replicas
    return math.ceil(replicas * ratio)


events = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 300)), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(events, st.integers(1, 4), st.integers(4, 20))
def test_stabilization_matches_an_independent_model(
    steps: list[tuple[int, int]], lo: int, hi: int
) -> None:
    # Target 64, a power of two: metric / 64 and replicas * ratio are exact in float64, so the
    # controller's float arithmetic and the exact-fraction model must agree on every step.
    hpa = HorizontalPodAutoscaler(lo, hi, target=64)
    history: list[tuple[int, int]] = []
    now, replicas = 0, lo
    for dt, metric in steps:
        now += dt
        raw = min(hi, max(lo, _raw_model(replicas, metric, 64)))
        history.append((now, raw))
        window = [r for t, r in history if t > now - 300]
        expected = min(max(replicas, raw), max(window))
        got = hpa.recommend(now, replicas, metric)
        assert got == expected
        assert got >= raw  # scale-up is immediate, scale-down never below the window's best
        assert lo <= got <= max(hi, replicas)
        replicas = got


def test_stabilization_hand_computed_sequence() -> None:
    # min 1, max 10, target 50, window 300 s. Each expected value worked by hand:
    #   t=0    4 pods at 100 %: ceil(4 * 2) = 8, scale up at once               -> 8
    #   t=15   8 pods at 50 %: ratio 1, no change                               -> 8
    #   t=30   8 pods at 10 %: raw ceil(1.6) = 2; window max 8 (t=0, 15)        -> 8
    #   t=299  8 pods at 10 %: raw 2; 8 from t=0 still inside (0 > -1)          -> 8
    #   t=300  8 pods at 10 %: raw 2; t=0 drops out (0 > 0 is false), t=15 has 8 -> 8
    #   t=315  8 pods at 10 %: raw 2; window (15, 315] holds 2, 2, 2, 2        -> 2
    #   t=330  2 pods at 150 %: raw ceil(6) = 6, up at once                     -> 6
    #   t=345  6 pods at 57 %: ratio 1.14 > 1.1, raw ceil(6.84) = 7             -> 7
    #   t=360  7 pods at 46 %: ratio 0.92, inside the band, raw 7               -> 7
    hpa = HorizontalPodAutoscaler(1, 10, target=50)
    calls = [
        (0, 4, 100, 8),
        (15, 8, 50, 8),
        (30, 8, 10, 8),
        (299, 8, 10, 8),
        (300, 8, 10, 8),
        (315, 8, 10, 2),
        (330, 2, 150, 6),
        (345, 6, 57, 7),
        (360, 7, 46, 7),
    ]
    assert [hpa.recommend(t, n, m) for t, n, m, _ in calls] == [e for *_, e in calls]


def test_a_short_dip_removes_no_pods_but_a_long_one_does() -> None:
    hpa = HorizontalPodAutoscaler(1, 20, target=50)
    assert hpa.recommend(0, 10, 50) == 10
    assert hpa.recommend(60, 10, 10) == 10  # wants 2, but 10 was recommended 60 s ago
    assert hpa.recommend(120, 10, 50) == 10
    assert hpa.recommend(419, 10, 10) == 10  # the 10 recommended at 120 s is still in the window
    assert hpa.recommend(420, 10, 10) == 2  # window (120, 420] holds only 2s now


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: hpa_desired_replicas(3, float("nan"), 50),
            ValueError,
            "current_metric must be a finite number >= 0, got nan",
        ),
        (lambda: hpa_desired_replicas(3, float("inf"), 50), ValueError, "got inf"),
        (
            lambda: hpa_desired_replicas(3, -1, 50),
            ValueError,
            "current_metric must be a finite number >= 0, got -1",
        ),
        (
            lambda: hpa_desired_replicas(3, 10, 0),
            ValueError,
            "target_metric must be a finite number > 0, got 0",
        ),
        (lambda: hpa_desired_replicas(3, 10, float("nan")), ValueError, "target_metric"),
        (
            lambda: hpa_desired_replicas(True, 10, 50),
            TypeError,
            "current_replicas must be an int, got bool",
        ),
        (
            lambda: hpa_desired_replicas(0, 10, 50),
            ValueError,
            "current_replicas must be >= 1, got 0",
        ),
        (lambda: hpa_desired_replicas(-2, 10, 50), ValueError, "got -2"),
        (
            lambda: hpa_desired_replicas(3, "10", 50),  # type: ignore[arg-type]
            TypeError,
            "current_metric must be a number, got str",
        ),
        (lambda: hpa_desired_replicas(3, 10, 50, tolerance=-0.1), ValueError, "tolerance"),
        (
            lambda: hpa_desired_replicas(10, 1e308, 1e-308),
            ValueError,
            "recommendation overflows",
        ),
        (lambda: hpa_desired_replicas(10**400, 50, 100), ValueError, "recommendation overflows"),
        (lambda: HorizontalPodAutoscaler(5, 2, 50), ValueError, "max_replicas must be >= 5, got 2"),
        (lambda: HorizontalPodAutoscaler(0, 2, 50), ValueError, "min_replicas must be >= 1, got 0"),
        (
            lambda: HorizontalPodAutoscaler(1, 2, 0),
            ValueError,
            "target must be a finite number > 0, got 0",
        ),
        (
            lambda: HorizontalPodAutoscaler(1, 2, 50, downscale_window=float("nan")),
            ValueError,
            "downscale_window",
        ),
        (lambda: HorizontalPodAutoscaler(1, 2, 50).recommend(0, True, 10), TypeError, "got bool"),
        (
            lambda: HorizontalPodAutoscaler(1, 2, 50).recommend(float("nan"), 1, 10),
            ValueError,
            "now must be a finite number",
        ),
    ],
)
def test_autoscaler_rejects_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_clock_stepping_back_is_refused() -> None:
    hpa = HorizontalPodAutoscaler(1, 5, 50)
    hpa.recommend(100, 2, 50)
    with pytest.raises(ValueError, match=r"now must not go back in time: 99.0 < 100.0"):
        hpa.recommend(99, 2, 50)
