"""Latency percentiles, with the definition named, and how fan-out turns a tail into the norm.

"p99 = 12 ms" means different numbers in different tools, because a sample
quantile needs a rule for where between two data points the answer lies.
Hyndman and Fan (1996) catalogued nine such rules; three matter in practice:

============  ========  ===========================================  ==========================
method        H&F type  rule, for a sorted sample x₁ ≤ … ≤ xₙ         used by
============  ========  ===========================================  ==========================
nearest-rank  1         x at rank ⌈n·p/100⌉: a value that occurred   reports of real requests
linear        7         interpolate at h = (n - 1)·p/100 + 1         numpy, R, Excel INC,
                                                                     ``statistics`` inclusive
weibull       6         interpolate at h = (n + 1)·p/100, clamped    Excel EXC, ``statistics``
                                                                     exclusive (in its range)
============  ========  ===========================================  ==========================

Interviewers ask because tail latency is what users feel, because averaging
percentiles is a classic mistake, and because a fan-out request waits for its
slowest leaf (Dean and Barroso, "The Tail at Scale", 2013).

Invariant: every method returns a value between the sample's minimum and
maximum, is non-decreasing in ``p``, and gives the minimum at p = 0 and the
maximum at p = 100; ``nearest-rank`` always returns a member of the sample.

>>> percentile([1, 2, 3, 4], 50, method="nearest-rank"), percentile([1, 2, 3, 4], 50)
(2.0, 2.5)

Primary sources: R. J. Hyndman, Y. Fan, "Sample Quantiles in Statistical
Packages", *The American Statistician* 50(4), 1996; J. Dean, L. A. Barroso,
"The Tail at Scale", *Communications of the ACM* 56(2), 2013.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from studybook.fundamentals.performance_engineering._check import (
    check_count,
    check_fraction,
    check_real,
    check_samples,
)

__all__ = [
    "PERCENTILE_METHODS",
    "LatencySummary",
    "fanout_slow_probability",
    "latency_summary",
    "percentile",
]

#: The definitions :func:`percentile` implements (Hyndman and Fan types 1, 7 and 6).
PERCENTILE_METHODS = ("nearest-rank", "linear", "weibull")


def percentile(data: Iterable[float], p: float, *, method: str = "linear") -> float:
    """Return the ``p``-th percentile of ``data`` under the named definition.

    Args:
        data: the sample, in any order (finite ints or floats, at least one).
        p: the percentile, 0 to 100 inclusive (``99.9`` for p999).
        method: ``'linear'`` (Hyndman-Fan type 7, numpy's default and
            ``statistics.quantiles(method='inclusive')``), ``'nearest-rank'``
            (type 1: the smallest sample value with at least p % of the sample
            at or below it) or ``'weibull'`` (type 6, clamped to the sample's
            range at the extremes).

    Returns:
        The percentile as a float.

    Raises:
        ValueError: empty data, a NaN or infinite value or ``p``, ``p``
            outside [0, 100], an unknown method.
        TypeError: a value or ``p`` that is not an int or float (``bool`` included).

    Complexity: O(n log n) for the sort; O(1) extra after it.

    >>> sample = [15, 20, 35, 40, 50]
    >>> [percentile(sample, 40, method=m) for m in PERCENTILE_METHODS]
    [20.0, 29.0, 26.0]
    >>> percentile([7], 99.9), percentile(sample, 100, method="weibull")
    (7.0, 50.0)
    >>> percentile(sample, 101)
    Traceback (most recent call last):
    ValueError: p must be between 0 and 100, got 101
    """
    xs = sorted(check_samples(data))
    position = _check_p(p)
    if method == "nearest-rank":
        rank = max(1, math.ceil(position * len(xs)))
        return xs[rank - 1]
    if method == "linear":
        return _interpolate(xs, position * (len(xs) - 1) + 1)
    if method == "weibull":
        return _interpolate(xs, position * (len(xs) + 1))
    expected = ", ".join(repr(m) for m in PERCENTILE_METHODS)
    raise ValueError(f"unknown method {method!r}; expected one of {expected}")


def _check_p(p: object) -> Fraction:
    # The position is computed exactly, from the decimal the caller wrote:
    # the float 99.9 is 99.900000000000006, and ceil(0.99900000000000006 · 1000)
    # would pick rank 1000 instead of 999.
    value = check_real(p, "p")
    if not 0 <= value <= 100:
        raise ValueError(f"p must be between 0 and 100, got {p!r}")
    return Fraction(repr(value)) / 100


def _interpolate(xs: list[float], h: Fraction) -> float:
    """Value at the 1-based fractional rank ``h``, clamped to [1, n]."""
    if h <= 1:
        return xs[0]
    if h >= len(xs):
        return xs[-1]
    j = math.floor(h)
    lower, upper = xs[j - 1], xs[j]
    g = float(h - j)
    # (1 - g)·a + g·b cannot overflow the way a + g·(b - a) can for a = -b = 1e308;
    # clamping keeps rounding from stepping outside [a, b].
    return min(max((1 - g) * lower + g * upper, lower), upper)


@dataclass(frozen=True)
class LatencySummary:
    """The figures a latency report shows: count, mean, the usual percentiles and the maximum."""

    count: int
    mean: float
    p50: float
    p90: float
    p99: float
    p999: float
    max: float

    def row(self, scale: float = 1000.0, digits: int = 1) -> str:
        """Format the percentiles and max on one line, scaled (seconds to ms by default).

        >>> latency_summary([0.001] * 99 + [0.250]).row()
        'p50 1.0  p90 1.0  p99 1.0  p99.9 250.0  max 250.0'
        """
        figures = zip(
            ("p50", "p90", "p99", "p99.9", "max"),
            (self.p50, self.p90, self.p99, self.p999, self.max),
            strict=True,
        )
        return "  ".join(f"{name} {value * scale:.{digits}f}" for name, value in figures)


def latency_summary(data: Iterable[float], *, method: str = "nearest-rank") -> LatencySummary:
    """Summarise a latency sample: count, mean, p50, p90, p99, p99.9 and max.

    ``nearest-rank`` by default, so every reported figure is a latency that
    some request really had.

    Raises:
        ValueError, TypeError: as :func:`percentile`.

    Complexity: O(n log n).

    >>> s = latency_summary(range(1, 1001))
    >>> s.count, s.mean, s.p50, s.p99, s.p999, s.max
    (1000, 500.5, 500.0, 990.0, 999.0, 1000.0)
    >>> latency_summary([])
    Traceback (most recent call last):
    ValueError: data must not be empty
    """
    xs = sorted(check_samples(data))
    if method not in PERCENTILE_METHODS:
        percentile(xs, 50, method=method)  # raises the unknown-method error
    p50, p90, p99, p999 = (percentile(xs, p, method=method) for p in (50, 90, 99, 99.9))
    return LatencySummary(len(xs), _mean(xs), p50, p90, p99, p999, xs[-1])


def _mean(xs: list[float]) -> float:
    try:
        return math.fsum(xs) / len(xs)
    except OverflowError:  # the sum of finite values can pass 1.8e308; each share cannot
        return math.fsum(x / len(xs) for x in xs)


def fanout_slow_probability(slow_fraction: float, fanout: int) -> float:
    """Return the chance that a request fanned out to ``fanout`` servers meets a slow one.

    Each leaf is slow independently with probability ``slow_fraction`` and the
    request waits for all of them, so it is slow with probability
    1 - (1 - f)ⁿ. Dean and Barroso's example: one request in a hundred slow
    per server, a hundred servers, 63 % of user requests slow.

    Args:
        slow_fraction: the per-leaf probability of being slow, in [0, 1].
        fanout: how many leaves one request waits for, at least 1.

    Raises:
        ValueError: ``slow_fraction`` outside [0, 1] or not finite; ``fanout < 1``.
        TypeError: a non-number, or ``bool``.

    Complexity: O(1).

    >>> round(fanout_slow_probability(0.01, 100), 3), fanout_slow_probability(0.01, 1)
    (0.634, 0.01)
    >>> fanout_slow_probability(0.01, 0)
    Traceback (most recent call last):
    ValueError: fanout must be at least 1, got 0
    """
    fraction = check_fraction(slow_fraction, "slow_fraction")
    leaves = check_count(fanout, "fanout", minimum=1)
    # -expm1(n·log1p(-f)) keeps precision when f is tiny (f = 1e-9, n = 10).
    if fraction == 1:
        return 1.0
    return -math.expm1(leaves * math.log1p(-fraction))
