"""The phi accrual failure detector: a suspicion level instead of a yes/no timeout.

A fixed timeout answers "is it dead?" with one number chosen in advance. The
accrual detector of Hayashibara, Défago, Yared and Katayama (2004) instead
learns the distribution of heartbeat inter-arrival times and reports

    phi(t_now) = -log10(P_later(t_now - t_last))

where ``P_later(t)`` is the probability that the next heartbeat arrives more
than ``t`` after the last one. ``phi = 1`` means a 10% chance the silence is
normal, ``phi = 3`` a 0.1% chance; the application picks its own threshold.

Three ways to get ``P_later``, all here and compared in the tests:

* :func:`normal_phi`, exact: the paper's normal model,
  ``P_later(t) = erfc((t - mu) / (sigma * sqrt 2)) / 2``.
* :func:`logistic_phi`: Akka's ``PhiAccrualFailureDetector``, which replaces
  the normal CDF by the logistic approximation
  ``1 / (1 + exp(-y (1.5976 + 0.070566 y^2)))``, ``y = (t - mu) / sigma``.
* :func:`exponential_phi`: Cassandra's ``FailureDetector``, which assumes
  exponential inter-arrival times, so ``P_later(t) = exp(-t / mu)`` and
  ``phi = t / (mu ln 10)``: linear in the silence.

=========================  =========================================
operation                  cost
=========================  =========================================
heartbeat                  O(1) (running sums over a bounded window)
phi, is_available          O(1)
=========================  =========================================

>>> round(normal_phi(1.0, mean=1.0, std=0.1), 4)   # silence equal to the mean
0.301

Primary source: N. Hayashibara, X. Défago, R. Yared, T. Katayama, "The phi
Accrual Failure Detector", SRDS 2004.
"""

from __future__ import annotations

import math
from collections import deque

__all__ = [
    "MODELS",
    "PhiAccrualDetector",
    "exponential_phi",
    "logistic_phi",
    "normal_phi",
]

#: The ``P_later`` models :class:`PhiAccrualDetector` accepts.
MODELS = ("normal", "logistic", "exponential")


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    try:
        result = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"{name} must be finite, got {value!r}") from None
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return result


def _positive(value: object, name: str) -> float:
    result = _number(value, name)
    if result <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return result


def normal_phi(elapsed: float, mean: float, std: float) -> float:
    """Phi for inter-arrival times ~ N(mean, std²), computed exactly with ``math.erfc``.

    Args:
        elapsed: time since the last heartbeat (any finite number).
        mean: mean inter-arrival time.
        std: its standard deviation, positive.

    Returns:
        ``-log10(P_later)``; ``math.inf`` once ``P_later`` underflows a float
        (about 38 standard deviations past the mean).

    Raises:
        TypeError: a non-number or a bool.
        ValueError: NaN or infinities, ``std <= 0``.

    Complexity: O(1).

    >>> round(normal_phi(1.3, mean=1.0, std=0.1), 4)   # 3 sigma late: P = 0.00135
    2.8697
    >>> normal_phi(1.0, mean=1.0, std=0)
    Traceback (most recent call last):
    ValueError: std must be positive, got 0
    """
    elapsed = _number(elapsed, "elapsed")
    mean = _number(mean, "mean")
    std = _positive(std, "std")
    p_later = 0.5 * math.erfc((elapsed - mean) / (std * math.sqrt(2.0)))
    return math.inf if p_later == 0.0 else -math.log10(p_later)


def logistic_phi(elapsed: float, mean: float, std: float) -> float:
    """Phi with Akka's logistic approximation of the normal CDF.

    Akka writes ``P_later`` in two algebraically equal forms and picks the one
    that does not cancel: ``e / (1 + e)`` late, ``1 - 1 / (1 + e)`` early, where
    ``e = exp(-y (1.5976 + 0.070566 y²))``. Akka's source credits the
    *β Mathematics Handbook* and gives the CDF's error as 0.00014 at
    ``y = ±3.16``; since phi is a log of a tail probability, a small absolute
    error in the CDF becomes a visible error in phi out in the tail.

    Args:
        elapsed: time since the last heartbeat.
        mean: mean inter-arrival time.
        std: standard deviation, positive.

    Returns:
        ``-log10(P_later)``, ``math.inf`` once it underflows.

    Raises:
        TypeError: a non-number or a bool.
        ValueError: NaN or infinities, ``std <= 0``.

    Complexity: O(1).

    >>> round(logistic_phi(1.3, mean=1.0, std=0.1), 4)   # exact: 2.8697
    2.9095
    >>> logistic_phi(float("nan"), 1.0, 0.1)
    Traceback (most recent call last):
    ValueError: elapsed must be finite, got nan
    """
    elapsed = _number(elapsed, "elapsed")
    mean = _number(mean, "mean")
    std = _positive(std, "std")
    y = (elapsed - mean) / std
    exponent = -y * (1.5976 + 0.070566 * y * y)
    if exponent < -745.0:  # exp underflows: P_later is 0 to double precision
        return math.inf
    if exponent > 709.0:  # exp overflows: P_later is 1
        return 0.0
    e = math.exp(exponent)
    p_later = e / (1.0 + e) if elapsed > mean else 1.0 - 1.0 / (1.0 + e)
    return math.inf if p_later == 0.0 else -math.log10(p_later)


def exponential_phi(elapsed: float, mean: float) -> float:
    """Phi for exponential inter-arrival times (Cassandra): ``elapsed / (mean · ln 10)``.

    Args:
        elapsed: time since the last heartbeat, ``>= 0``.
        mean: mean inter-arrival time, positive.

    Raises:
        TypeError: a non-number or a bool.
        ValueError: NaN or infinities, a negative ``elapsed``, ``mean <= 0``.

    Complexity: O(1).

    >>> round(exponential_phi(1.0, mean=1.0), 4)   # 1/ln 10
    0.4343
    >>> exponential_phi(-1, mean=1.0)
    Traceback (most recent call last):
    ValueError: elapsed must be >= 0, got -1
    """
    elapsed_f = _number(elapsed, "elapsed")
    if elapsed_f < 0:
        raise ValueError(f"elapsed must be >= 0, got {elapsed!r}")
    return elapsed_f / (_positive(mean, "mean") * math.log(10.0))


class PhiAccrualDetector:
    """Learn heartbeat inter-arrival times over a sliding window; report phi.

    Args:
        window: how many inter-arrival samples to keep (Cassandra and Akka
            both keep 1,000 by default).
        min_std: floor on the estimated standard deviation, so a perfectly
            regular sender does not make phi jump to infinity on the first
            tiny delay (Akka's ``min-std-deviation``); the exponential model
            floors its mean at the same value, so heartbeats with equal
            timestamps (a zero mean) do not divide by zero.
        acceptable_pause: added to the mean before computing phi, to
            tolerate known pauses such as GC (Akka's
            ``acceptable-heartbeat-pause``).
        model: ``"normal"`` (exact), ``"logistic"`` (Akka) or
            ``"exponential"`` (Cassandra).

    Raises:
        TypeError: a window that is not an int, a non-number, a model that
            is not a string.
        ValueError: ``window < 1``, a non-positive ``min_std``, a negative
            ``acceptable_pause``, an unknown model.

    Complexity: O(window) memory.

    >>> fd = PhiAccrualDetector(min_std=0.1)
    >>> for t in (0, 1, 2, 3, 4):
    ...     fd.heartbeat(t)
    >>> round(fd.phi(4.5), 3), round(fd.phi(5.3), 3), fd.is_available(5.3, threshold=8)
    (0.0, 2.87, True)
    >>> PhiAccrualDetector(model="gamma")
    Traceback (most recent call last):
    ValueError: model must be one of ('normal', 'logistic', 'exponential'), got 'gamma'
    """

    def __init__(
        self,
        window: int = 1000,
        *,
        min_std: float = 0.1,
        acceptable_pause: float = 0.0,
        model: str = "normal",
    ) -> None:
        if isinstance(window, bool) or not isinstance(window, int):
            raise TypeError(f"window must be an int, got {type(window).__name__}: {window!r}")
        if window < 1:
            raise ValueError(f"window must be >= 1, got {window!r}")
        self.min_std = _positive(min_std, "min_std")
        self.acceptable_pause = _number(acceptable_pause, "acceptable_pause")
        if self.acceptable_pause < 0:
            raise ValueError(f"acceptable_pause must be >= 0, got {acceptable_pause!r}")
        if not isinstance(model, str):
            raise TypeError(f"model must be a str, got {type(model).__name__}: {model!r}")
        if model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {model!r}")
        self.model = model
        self._intervals: deque[float] = deque(maxlen=window)
        self._sum = 0.0
        self._sum_sq = 0.0
        self._last: float | None = None

    def heartbeat(self, now: float) -> None:
        """Record a heartbeat that arrived at time ``now``.

        Raises:
            TypeError: a non-number.
            ValueError: NaN, infinities, a time before the last heartbeat, or
                an interval whose square overflows a float.

        Complexity: O(1) amortised; O(window) when the evicted interval
        dominates the window's sum of squares.
        """
        now = _number(now, "now")
        if self._last is not None:
            if now < self._last:
                raise ValueError(f"heartbeat time went backwards: {now!r} < {self._last!r}")
            interval = now - self._last
            if not math.isfinite(interval * interval):
                raise ValueError(f"heartbeat interval too large, got {interval!r}")
            recompute = False
            if len(self._intervals) == self._intervals.maxlen:
                oldest = self._intervals[0]
                # subtracting a term that dominates the running sums cancels
                # catastrophically (a partition's 1e9 s gap leaving the window
                # would wipe out the variance of the 1 s gaps): resum exactly
                recompute = oldest * oldest > 0.5 * self._sum_sq
                self._sum -= oldest
                self._sum_sq -= oldest * oldest
            self._intervals.append(interval)
            if recompute:
                self._sum = math.fsum(self._intervals)
                self._sum_sq = math.fsum(x * x for x in self._intervals)
            else:
                self._sum += interval
                self._sum_sq += interval * interval
        self._last = now

    @property
    def samples(self) -> int:
        """How many inter-arrival times are in the window."""
        return len(self._intervals)

    def mean(self) -> float:
        """Mean inter-arrival time in the window (``nan`` with no sample)."""
        return self._sum / len(self._intervals) if self._intervals else math.nan

    def std(self) -> float:
        """Population standard deviation in the window, floored at ``min_std``."""
        if not self._intervals:
            return math.nan
        mean = self.mean()
        variance = max(self._sum_sq / len(self._intervals) - mean * mean, 0.0)
        return max(math.sqrt(variance), self.min_std)

    def phi(self, now: float) -> float:
        """Suspicion level at time ``now``; ``0.0`` before two heartbeats (nothing learnt yet).

        Raises:
            TypeError: a non-number.
            ValueError: NaN, infinities, or ``now`` before the last heartbeat.

        Complexity: O(1).
        """
        now = _number(now, "now")
        if self._last is None or not self._intervals:
            return 0.0
        if now < self._last:
            raise ValueError(
                f"now must not be before the last heartbeat {self._last!r}, got {now!r}"
            )
        elapsed = now - self._last
        mean = self.mean() + self.acceptable_pause
        if self.model == "exponential":
            return exponential_phi(elapsed, max(mean, self.min_std))
        if self.model == "logistic":
            return logistic_phi(elapsed, mean, self.std())
        return normal_phi(elapsed, mean, self.std())

    def is_available(self, now: float, threshold: float = 8.0) -> bool:
        """``phi(now) < threshold``: 8 is the default of both Akka and Cassandra.

        Raises:
            TypeError, ValueError: as :meth:`phi`, or a non-positive threshold.

        Complexity: O(1).
        """
        return self.phi(now) < _positive(threshold, "threshold")
