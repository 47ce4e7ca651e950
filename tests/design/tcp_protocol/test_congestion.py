"""Reno (RFC 5681) and CUBIC (RFC 9438) against the RFCs' formulas and their shapes."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.design.tcp_protocol import (
    CubicSender,
    RenoSender,
    cubic_k,
    cubic_window,
    cwnd_chart,
    demo_chart,
    simulate,
)

PAGE = Path(__file__).resolve().parents[3] / "docs" / "design" / "tcp-protocol.md"

windows = st.floats(min_value=1.0, max_value=1e6)
betas = st.floats(min_value=0.05, max_value=0.95)
cs = st.floats(min_value=0.01, max_value=10.0)


@given(st.floats(min_value=0.0, max_value=100.0), windows, cs, betas)
def test_cubic_window_is_rfc_9438_equations_1_and_2(
    t: float, w_max: float, c: float, beta: float
) -> None:
    k = (w_max * (1 - beta) / c) ** (1 / 3)  # eq. 2 with cwnd_epoch = beta * W_max
    expected = c * (t - k) ** 3 + w_max  # eq. 1
    assert cubic_window(t, w_max, c, beta) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert cubic_k(w_max, c, beta) == pytest.approx(k, rel=1e-12)


@given(windows, betas)
def test_cubic_starts_at_beta_w_max_reaches_w_max_at_k_and_is_symmetric(
    w_max: float, beta: float
) -> None:
    k = cubic_k(w_max, beta=beta)
    assert cubic_window(0.0, w_max, beta=beta) == pytest.approx(beta * w_max, rel=1e-9)
    assert cubic_window(k, w_max, beta=beta) == pytest.approx(w_max, rel=1e-12)
    below = w_max - cubic_window(k / 2, w_max, beta=beta)
    above = cubic_window(1.5 * k, w_max, beta=beta) - w_max
    assert below == pytest.approx(above, rel=1e-6, abs=1e-6 * w_max)


@pytest.mark.parametrize(
    ("kwargs", "error", "shown"),
    [
        ({"w_max": 0.0}, ValueError, "w_max must be a finite number > 0, got 0.0"),
        ({"w_max": -5}, ValueError, "got -5"),
        ({"w_max": math.nan}, ValueError, "got nan"),
        ({"w_max": True}, TypeError, "True"),
        ({"beta": 0.0}, ValueError, "beta must be strictly between 0 and 1, got 0.0"),
        ({"beta": 1.0}, ValueError, "got 1.0"),
        ({"beta": 1.5}, ValueError, "got 1.5"),
        ({"beta": math.nan}, ValueError, "got nan"),
        ({"c": 0}, ValueError, "c must be a finite number > 0, got 0"),
        ({"c": math.inf}, ValueError, "got inf"),
        ({"t": -1.0}, ValueError, "t must be a finite number >= 0, got -1.0"),
        ({"t": math.nan}, ValueError, "got nan"),
        ({"t": "1"}, TypeError, "'1'"),
        ({"t": 1e300}, ValueError, "window overflows a float at t=1e+300"),
        ({"c": 1e-320}, ValueError, "K overflows a float for w_max=100.0 and c=1e-320"),
        ({"w_max": 1e308, "c": 1e-300}, ValueError, "K overflows a float"),
    ],
)
def test_cubic_window_rejects_bad_input_naming_it(
    kwargs: dict[str, Any], error: type[Exception], shown: str
) -> None:
    args = {"t": 1.0, "w_max": 100.0} | kwargs
    with pytest.raises(error, match=re.escape(shown)):
        cubic_window(**args)


def test_reno_slow_start_doubles_per_round_trip_until_ssthresh() -> None:
    samples = simulate(RenoSender(initial_window=2, ssthresh=16), 6, capacity=1000)
    assert [s.cwnd for s in samples[:4]] == [2, 4, 8, 16]
    # At ssthresh, congestion avoidance: about one segment per round trip (RFC 5681 eq. 3).
    assert 16.9 < samples[4].cwnd <= 17.0


def test_reno_congestion_avoidance_adds_at_most_one_segment_per_round_trip() -> None:
    samples = simulate(RenoSender(initial_window=20, ssthresh=20), 80, capacity=1000)
    growth = [b.cwnd - a.cwnd for a, b in itertools.pairwise(samples)]
    assert all(0.9 < g <= 1.0 for g in growth)


def test_reno_fast_retransmit_and_fast_recovery_follow_rfc_5681_section_3_2() -> None:
    s = RenoSender(initial_window=40)
    for _ in range(2):
        s.on_dup_ack(0.0)
    assert (s.cwnd, s.in_recovery) == (40, False), "two duplicates are not a loss"
    s.on_dup_ack(0.0)
    assert (s.ssthresh, s.cwnd, s.in_recovery) == (20, 23, True)
    s.on_dup_ack(0.0)
    assert s.cwnd == 24, "each further duplicate inflates the window"
    s.on_ack(0.1, 0.1)
    assert (s.cwnd, s.in_recovery) == (20, False), "the new ACK deflates it"


def test_reno_timeout_collapses_to_one_segment() -> None:
    s = RenoSender(initial_window=3)
    s.on_timeout(1.0)
    assert (s.cwnd, s.ssthresh) == (1, 2)  # ssthresh = max(FlightSize / 2, 2 SMSS)


def test_reno_sawtooth_halves_at_every_loss() -> None:
    samples = simulate(RenoSender(), 200, capacity=60)
    losses = [i for i, s in enumerate(samples) if s.event == "3 dup ACKs"]
    assert len(losses) >= 3
    for i in losses:
        assert samples[i + 1].cwnd == pytest.approx(samples[i].cwnd / 2)
        assert math.floor(samples[i].cwnd) > 60 >= math.floor(samples[i - 1].cwnd)


def test_cubic_cuts_to_beta_and_tracks_the_cubic_curve_between_losses() -> None:
    # A long RTT keeps CUBIC out of the Reno-friendly region.
    rtt = 0.5
    samples = simulate(CubicSender(fast_convergence=False), 120, capacity=200, rtt=rtt)
    losses = [i for i, s in enumerate(samples) if s.event == "3 dup ACKs"]
    first, second = losses[-2], losses[-1]
    w_max = samples[first].cwnd
    assert samples[first + 1].cwnd == pytest.approx(0.7 * w_max)
    # The epoch starts at the first ACK of the round after the loss.
    start = samples[first + 1].time + rtt / math.floor(samples[first + 1].cwnd)
    for s in samples[first + 2 : second]:
        assert s.cwnd == pytest.approx(cubic_window(s.time - start, w_max), rel=0.03)


def test_cubic_with_a_short_rtt_grows_like_its_reno_estimate() -> None:
    # RTT 1 ms: W_cubic barely moves per round, so W_est (alpha = 3(1-b)/(1+b)) rules.
    s = CubicSender(initial_window=100, ssthresh=100)
    for _ in range(3):
        s.on_dup_ack(0.0)
    s.on_ack(0.0, 0.001)
    samples = simulate(s, 40, capacity=10_000, rtt=0.001)
    growth = [b.cwnd - a.cwnd for a, b in itertools.pairwise(samples)]
    alpha = 3 * (1 - 0.7) / (1 + 0.7)
    assert all(g == pytest.approx(alpha, rel=0.05) for g in growth)


def test_cubic_fast_convergence_lowers_w_max_when_losses_come_earlier() -> None:
    s = CubicSender(initial_window=100)
    for _ in range(3):
        s.on_dup_ack(0.0)
    s.on_ack(0.0, 0.1)
    assert s.w_max == 100
    s.cwnd = 80.0
    s.dup_acks = 0
    for _ in range(3):
        s.on_dup_ack(1.0)
    assert s.w_max == pytest.approx(80 * 1.7 / 2)
    assert s.ssthresh == pytest.approx(56)


def test_cubic_after_a_timeout_restarts_with_k_zero() -> None:
    s = CubicSender(initial_window=50)
    s.on_timeout(0.0)
    assert (s.cwnd, s.ssthresh, s.w_max) == (1, 35, None)
    simulate(s, 12, capacity=1000, rtt=0.1)
    assert s.k == 0.0
    assert s.w_max is not None


@pytest.mark.parametrize(
    ("call", "error", "shown"),
    [
        (lambda: simulate(RenoSender(), -1, 10), ValueError, "-1"),
        (lambda: simulate(RenoSender(), 10, 0), ValueError, "capacity must be >= 1, got 0"),
        (lambda: simulate(RenoSender(), 10, 10, rtt=math.nan), ValueError, "nan"),
        (lambda: simulate(RenoSender(), 10, 10, timeouts=[True]), TypeError, "True"),
        (lambda: simulate(RenoSender(), 2.5, 10), TypeError, "2.5"),  # type: ignore[arg-type]
        (lambda: RenoSender(initial_window=0.5), ValueError, "0.5"),
        (lambda: RenoSender(ssthresh=math.nan), ValueError, "nan"),
        (lambda: RenoSender(ssthresh="x"), TypeError, "'x'"),  # type: ignore[arg-type]
        (lambda: CubicSender(beta=1.0), ValueError, "1.0"),
        (lambda: CubicSender(c=-0.4), ValueError, "-0.4"),
        (lambda: CubicSender(fast_convergence=1), TypeError, "1"),  # type: ignore[arg-type]
        (lambda: cwnd_chart([], "t"), ValueError, "empty"),
        (lambda: simulate(RenoSender(), 5, 10, timeouts=None), TypeError, "None"),  # type: ignore[arg-type]
        (lambda: simulate(RenoSender(), 5, 10, timeouts="12"), TypeError, "'12'"),  # type: ignore[arg-type]
        (
            lambda: cwnd_chart([("Reno", simulate(RenoSender(), 2, 10))], 'say "hi"'),
            ValueError,
            "'say \"hi\"'",
        ),
    ],
)
def test_simulators_reject_bad_input(
    call: Callable[[], object], error: type[Exception], shown: str
) -> None:
    with pytest.raises(error, match=re.escape(shown)):
        call()


def test_chart_series_must_line_up() -> None:
    a = simulate(RenoSender(), 3, 10)
    b = simulate(RenoSender(), 4, 10)
    with pytest.raises(ValueError, match=r"\[3, 4\]"):
        cwnd_chart([("a", a), ("b", b)], "t")


def test_the_chapter_cwnd_chart_is_this_codes_output() -> None:
    page = PAGE.read_text(encoding="utf-8")
    block = re.search(r"```\{mermaid\}\n(xychart-beta\n.*?)\n```", page, re.S)
    assert block is not None, "the page has no cwnd chart"
    assert block.group(1) == demo_chart()
