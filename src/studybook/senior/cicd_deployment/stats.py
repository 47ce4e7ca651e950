"""The Mann-Whitney U test, written out: the statistic behind automated canary analysis.

Given a *control* sample (metrics from the baseline) and an *experiment*
sample (the canary), the test asks whether one tends to be larger than the
other without assuming any distribution: latencies are skewed and
heavy-tailed, so a t-test's normality assumption does not hold, while ranks do
not care. Netflix's Kayenta judge runs this test per metric.

U for the experiment counts the (control, experiment) pairs in which the
experiment value is larger, a tie counting one half. Under the null hypothesis
(both samples from one distribution) U has mean ``n1 * n2 / 2`` and, with
ties, variance ``n1 * n2 / 12 * ((n + 1) - sum(t**3 - t) / (n * (n - 1)))``
where each ``t`` is the size of a group of tied values and ``n = n1 + n2``.
For samples of more than about 10 each the normal approximation is used
(with a continuity correction of 1/2, as R's ``wilcox.test`` applies).

Primary sources: Mann and Whitney, "On a test of whether one of two random
variables is stochastically larger than the other", Annals of Mathematical
Statistics 18(1), 1947; Hodges and Lehmann, "Estimates of location based on
rank tests", Annals of Mathematical Statistics 34(2), 1963.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from studybook._validate import check_real

__all__ = ["MannWhitneyResult", "hodges_lehmann", "mann_whitney_u", "midranks"]


@dataclass(frozen=True)
class MannWhitneyResult:
    """The outcome of :func:`mann_whitney_u`.

    Attributes:
        u: the U statistic of the experiment sample.
        mean: U's mean under the null hypothesis, ``n1 * n2 / 2``.
        variance: U's variance under the null hypothesis, tie-corrected.
        z: the standardised statistic, continuity-corrected.
        p_value: the two-sided p-value from the normal approximation.
    """

    u: float
    mean: float
    variance: float
    z: float
    p_value: float


def mann_whitney_u(control: Sequence[float], experiment: Sequence[float]) -> MannWhitneyResult:
    """Two-sided Mann-Whitney U test of ``experiment`` against ``control``.

    Args:
        control: the baseline's observations (finite numbers).
        experiment: the canary's observations (finite numbers).

    Returns:
        U for the experiment, its null mean and tie-corrected variance, z and the
        two-sided p-value. If every value is tied the variance is 0 and the
        result is ``z = 0``, ``p_value = 1`` (no evidence of a difference).

    Raises:
        TypeError: a sample is not a sequence of numbers (``bool`` included).
        ValueError: an empty sample, or NaN or an infinity in one.

    Complexity: O(n log n) for n observations in all (one sort).

    >>> r = mann_whitney_u([10, 11, 12, 13], [12, 14, 15, 16])
    >>> r.u, r.mean, r.variance
    (14.5, 8.0, 11.857142857142856)
    >>> round(r.z, 4), round(r.p_value, 4)
    (1.7425, 0.0814)
    >>> mann_whitney_u([1.0], [])
    Traceback (most recent call last):
        ...
    ValueError: experiment must not be empty, got []
    """
    xs = _check_sample(control, "control")
    ys = _check_sample(experiment, "experiment")
    n1, n2 = len(xs), len(ys)
    n = n1 + n2
    ranks = midranks(xs + ys)
    u = sum(ranks[n1:]) - n2 * (n2 + 1) / 2
    mean = n1 * n2 / 2
    ties = sum(t**3 - t for t in Counter(xs + ys).values())
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return MannWhitneyResult(u, mean, 0.0, 0.0, 1.0)
    # Continuity correction: move U half a step towards the mean (never past it).
    delta = u - mean
    corrected = math.copysign(max(abs(delta) - 0.5, 0.0), delta)
    z = corrected / math.sqrt(variance)
    return MannWhitneyResult(u, mean, variance, z, math.erfc(abs(z) / math.sqrt(2)))


def _check_sample(sample: object, what: str, *, allow_empty: bool = False) -> list[float]:
    if isinstance(sample, str | bytes) or not isinstance(sample, Sequence):
        raise TypeError(
            f"{what} must be a sequence of numbers, got {type(sample).__name__}: {sample!r}"
        )
    if not sample and not allow_empty:
        raise ValueError(f"{what} must not be empty, got {sample!r}")
    return [check_real(v, f"{what} value") for v in sample]


def midranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n of ``values`` in input order, tied values sharing their mean rank.

    Raises:
        TypeError: ``values`` is not a sequence of numbers (``bool`` included).
        ValueError: NaN or an infinity among the values (NaN has no rank).

    Complexity: O(n log n).

    >>> midranks([30, 10, 20, 10])
    [4.0, 1.5, 3.0, 1.5]
    >>> midranks([1.0, float("nan")])
    Traceback (most recent call last):
        ...
    ValueError: values value must be a finite number, got nan
    """
    values = _check_sample(values, "values", allow_empty=True)
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1  # positions start..end hold ranks start+1..end+1
        for k in range(start, end + 1):
            ranks[order[k]] = mean_rank
        start = end + 1
    return ranks


def hodges_lehmann(control: Sequence[float], experiment: Sequence[float]) -> float:
    """The Hodges-Lehmann shift: the median of all ``experiment - control`` differences.

    It estimates how far the canary's distribution sits from the baseline's (in
    the metric's unit), and is the estimate Kayenta's classifier reports.
    Raises as :func:`mann_whitney_u` does, and ``OverflowError`` if a
    difference overflows a float.

    Complexity: O(n1 * n2 log(n1 * n2)); fine for the few hundred points of a
    canary interval.

    >>> hodges_lehmann([10, 11, 12], [13, 14, 15])
    3.0
    """
    xs = _check_sample(control, "control")
    ys = _check_sample(experiment, "experiment")
    shift = statistics.median(y - x for x in xs for y in ys)
    if not math.isfinite(shift):
        raise OverflowError(f"the shift overflows a float: {shift!r}")
    return shift
