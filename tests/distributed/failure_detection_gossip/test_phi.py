"""Phi accrual: exact erfc math, hand-computed values, Akka's and Cassandra's models, bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.failure_detection_gossip import (
    PhiAccrualDetector,
    exponential_phi,
    logistic_phi,
    normal_phi,
)


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (1.0, math.log10(2.0)),  # at the mean P_later = 1/2
        (1.1, -math.log10(0.15865525393145707)),  # 1 sigma: 1 - Phi(1), table value
        (1.2, -math.log10(0.022750131948179195)),  # 2 sigma
        (1.3, -math.log10(0.0013498980316301035)),  # 3 sigma
    ],
)
def test_normal_phi_matches_hand_computed_tail_probabilities(elapsed: float, expected: float):
    assert normal_phi(elapsed, 1.0, 0.1) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(-4.0, 4.0))
def test_normal_phi_is_minus_log10_of_the_complementary_normal_cdf(y: float):
    p_later = 1.0 - 0.5 * (1.0 + math.erf(y / math.sqrt(2.0)))
    assert normal_phi(10.0 + 2.0 * y, 10.0, 2.0) == pytest.approx(-math.log10(p_later), rel=1e-6)


def test_logistic_cdf_error_is_within_akkas_stated_bound():
    worst = 0.0
    for i in range(-600, 601):
        y = i / 100
        exact = 0.5 * math.erfc(y / math.sqrt(2.0))
        approx = 10 ** -logistic_phi(y, 0.0, 1.0)
        worst = max(worst, abs(exact - approx))
    assert worst < 1.5e-4  # Akka's comment: error 0.00014 at +-3.16


def test_logistic_phi_diverges_from_exact_in_the_tail():
    assert logistic_phi(1.2, 1.0, 0.1) == pytest.approx(normal_phi(1.2, 1.0, 0.1), abs=1e-3)
    assert logistic_phi(2.0, 1.0, 0.1) > 1.5 * normal_phi(2.0, 1.0, 0.1)


def test_exponential_phi_is_cassandras_t_over_mean_times_phi_factor():
    assert exponential_phi(8.0, 2.0) == pytest.approx(4.0 / math.log(10.0))
    assert exponential_phi(8.0, 2.0) == pytest.approx(-math.log10(math.exp(-4.0)))


def test_far_tail_is_infinite_not_an_error():
    assert normal_phi(100.0, 1.0, 0.1) == math.inf
    assert logistic_phi(100.0, 1.0, 0.1) == math.inf
    assert logistic_phi(-100.0, 1.0, 0.1) == 0.0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.5, 1.5), min_size=2, max_size=50),
    st.sampled_from(["normal", "logistic", "exponential"]),
)
def test_phi_is_non_decreasing_in_the_silence(intervals: list[float], model: str):
    fd = PhiAccrualDetector(model=model)
    t = 0.0
    fd.heartbeat(t)
    for gap in intervals:
        t += gap
        fd.heartbeat(t)
    phis = [fd.phi(t + s / 10) for s in range(40)]
    assert phis == sorted(phis)


def test_detector_window_mean_and_std_match_a_direct_computation():
    fd = PhiAccrualDetector(window=3, min_std=1e-9)
    for t in (0.0, 1.0, 3.0, 6.0, 10.0):
        fd.heartbeat(t)
    assert fd.samples == 3  # intervals 2, 3, 4 (the 1 fell out)
    assert fd.mean() == pytest.approx(3.0)
    assert fd.std() == pytest.approx(math.sqrt(2.0 / 3.0))
    assert fd.phi(13.0) == pytest.approx(math.log10(2.0))


def test_detector_before_two_heartbeats_and_acceptable_pause():
    fd = PhiAccrualDetector(acceptable_pause=1.0)
    assert fd.phi(5.0) == 0.0
    fd.heartbeat(0.0)
    assert fd.phi(5.0) == 0.0
    fd.heartbeat(1.0)
    assert fd.phi(3.0) == pytest.approx(math.log10(2.0))  # mean 1 + pause 1
    assert fd.is_available(3.0)
    assert not fd.is_available(10.0)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: normal_phi(math.nan, 1.0, 1.0), ValueError, "nan"),
        (lambda: normal_phi(1.0, math.inf, 1.0), ValueError, "inf"),
        (lambda: normal_phi(1.0, 1.0, -1.0), ValueError, "-1.0"),
        (lambda: normal_phi(True, 1.0, 1.0), TypeError, "True"),
        (lambda: logistic_phi("1", 1.0, 1.0), TypeError, "'1'"),
        (lambda: exponential_phi(1.0, 0), ValueError, "got 0"),
        (lambda: PhiAccrualDetector(window=0), ValueError, "got 0"),
        (lambda: PhiAccrualDetector(window=True), TypeError, "True"),
        (lambda: PhiAccrualDetector(min_std=0), ValueError, "got 0"),
        (lambda: PhiAccrualDetector(acceptable_pause=-1), ValueError, "-1"),
        (lambda: PhiAccrualDetector(model="gamma"), ValueError, "gamma"),
        (lambda: PhiAccrualDetector(model=5), TypeError, "model must be a str, got int: 5"),
        (lambda: PhiAccrualDetector().heartbeat(math.nan), ValueError, "nan"),
        (lambda: PhiAccrualDetector().is_available(0.0, threshold=math.nan), ValueError, "nan"),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_time_going_backwards_is_rejected():
    fd = PhiAccrualDetector()
    fd.heartbeat(5.0)
    fd.heartbeat(6.0)
    with pytest.raises(ValueError, match="backwards"):
        fd.heartbeat(4.0)
    with pytest.raises(ValueError, match="got 4.0"):
        fd.phi(4.0)


def test_equal_timestamps_do_not_break_the_exponential_model():
    # two heartbeats on the same clock tick: mean interval 0, floored at min_std
    fd = PhiAccrualDetector(model="exponential", min_std=0.5)
    fd.heartbeat(1.0)
    fd.heartbeat(1.0)
    assert fd.phi(2.0) == pytest.approx(exponential_phi(1.0, 0.5))


def test_a_huge_interval_leaving_the_window_does_not_wipe_out_the_variance():
    # a partition's 1e9 s gap, then ordinary 1 s +- 0.1 s heartbeats: once the
    # gap falls out, the running sums must not have cancelled to garbage
    fd = PhiAccrualDetector(window=3, min_std=1e-9)
    t = 0.0
    fd.heartbeat(t)
    for gap in (1e9, 1.0, 1.1, 0.9, 1.0, 1.1, 0.9):
        t += gap
        fd.heartbeat(t)
    assert fd.mean() == pytest.approx(1.0)
    assert fd.std() == pytest.approx(math.sqrt(0.02 / 3), rel=1e-5)


def test_absurd_times_are_rejected_not_overflowed():
    with pytest.raises(ValueError, match="finite"):
        PhiAccrualDetector().heartbeat(10**400)
    fd = PhiAccrualDetector()
    fd.heartbeat(0.0)
    with pytest.raises(ValueError, match="too large"):
        fd.heartbeat(1e200)
    assert fd.samples == 0  # the rejected heartbeat left no trace
