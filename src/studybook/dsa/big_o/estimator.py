"""The empirical complexity estimator: fit measured costs to each complexity class.

:func:`fit_exponent` is the log-log slope; :func:`fit_residuals` fits
cost ~ c * f(n) for every class in :data:`CLASSES`; :func:`classify` names the
best fit, or reports a poor fit when even the best class leaves a trend.
Costs come from :mod:`studybook.dsa.big_o.counting`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from studybook.dsa.big_o.counting import _check_sizes

__all__ = ["CLASSES", "MAX_DRIFT", "TIE_TOLERANCE", "classify", "fit_exponent", "fit_residuals"]

#: The labels :func:`classify` chooses from, slowest-growing first.
CLASSES: tuple[str, ...] = (
    "O(1)",
    "O(log n)",
    "O(sqrt n)",
    "O(n)",
    "O(n log n)",
    "O(n log^2 n)",
    "O(n^2)",
    "O(n^3)",
    "O(n^4)",
    "O(2^n)",
)


def fit_exponent(sizes: Sequence[int], costs: Sequence[float]) -> float:
    """Least-squares slope of log(cost) against log(n): the ``k`` in cost ~ n^k.

    A slope near 1 means linear, near 2 quadratic; n log n shows up as a bit
    above 1 and log n as a small positive slope that shrinks as n grows.

    Args:
        sizes: at least 3 positive sizes, not all equal.
        costs: one positive cost (seconds or counted steps) per size.

    Returns:
        The fitted exponent.

    Raises:
        TypeError: for a cost that is not a number (a bool is refused).
        ValueError: for fewer than 3 points, mismatched lengths, a
            non-positive size, or a cost that is not positive and finite.

    Complexity: O(len(sizes)).

    >>> fit_exponent([10, 100, 1000], [5, 500, 50000])
    2.0
    >>> fit_exponent([10, 100, 1000], [1, 0, 1])
    Traceback (most recent call last):
    ValueError: costs must be positive and finite, got 0
    """
    xs, ys = _log_points(sizes, costs)
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return round(sxy / sxx, 12)  # rounding hides float noise in the last digits


def _log_points(sizes: Sequence[int], costs: Sequence[float]) -> tuple[list[float], list[float]]:
    _check_sizes(sizes)
    if len(sizes) != len(costs):
        raise ValueError(
            f"sizes and costs differ in length: {len(sizes)} sizes, {len(costs)} costs"
        )
    for c in costs:
        if isinstance(c, bool) or not isinstance(c, int | float):
            raise TypeError(f"costs must be numbers, got {c!r}")
        if not (c > 0 and math.isfinite(c)):
            raise ValueError(f"costs must be positive and finite, got {c!r}")
    return [math.log(n) for n in sizes], [math.log(c) for c in costs]


# log f(n) for each class. log n is taken as log2(n + 1) so that it is
# positive at n = 1; that changes nothing asymptotically. 2^n is computed in
# log space so that n in the thousands does not overflow a float.
_LOG_F: dict[str, Callable[[int], float]] = {
    "O(1)": lambda n: 0.0,
    "O(log n)": lambda n: math.log(math.log2(n + 1)),
    "O(sqrt n)": lambda n: 0.5 * math.log(n),
    "O(n)": lambda n: math.log(n),
    "O(n log n)": lambda n: math.log(n) + math.log(math.log2(n + 1)),
    "O(n log^2 n)": lambda n: math.log(n) + 2 * math.log(math.log2(n + 1)),
    "O(n^2)": lambda n: 2 * math.log(n),
    "O(n^3)": lambda n: 3 * math.log(n),
    "O(n^4)": lambda n: 4 * math.log(n),
    "O(2^n)": lambda n: n * math.log(2),
}

#: Residuals closer than this to the best one count as a tie.
TIE_TOLERANCE = 1e-9

#: The largest trend left over by the best class that still counts as a fit:
#: the log-log slope of cost / f(n). A class missing from :data:`CLASSES`
#: leaves a slope of 0.5 or more for a missing half power (n^4.5), 1 for a
#: missing power, and grows without bound for n!. Lower-order terms leave
#: less: 0.14 for the n(n-1)(n-2)/6 triples of n = 8..128.
MAX_DRIFT = 0.2


def fit_residuals(sizes: Sequence[int], costs: Sequence[float]) -> dict[str, float]:
    """Fit cost ~ c * f(n) for each class and return the squared log-residuals.

    For each ``f`` the best constant is ``log c = mean(log cost - log f(n))``
    and the score is the sum of squared residuals around it: 0 means the
    costs are exactly proportional to ``f``.

    Args:
        sizes: at least 3 positive sizes, not all equal.
        costs: one positive cost per size.

    Returns:
        ``{label: residual}`` in :data:`CLASSES` order.

    Raises:
        ValueError: as :func:`fit_exponent`.

    Complexity: O(len(sizes)) per class.

    >>> scores = fit_residuals([10, 100, 1000], [10, 100, 1000])
    >>> scores["O(n)"], scores["O(n^2)"] > 1
    (0.0, True)
    >>> fit_residuals([10, 100], [1, 2])
    Traceback (most recent call last):
    ValueError: need at least 3 sizes to fit a curve, got 2: [10, 100]
    """
    _, log_costs = _log_points(sizes, costs)
    scores = {}
    for label in CLASSES:
        residuals = [y - _LOG_F[label](n) for n, y in zip(sizes, log_costs, strict=True)]
        mean = sum(residuals) / len(residuals)
        scores[label] = round(sum((r - mean) ** 2 for r in residuals), 12)
    return scores


def classify(sizes: Sequence[int], costs: Sequence[float], *, max_drift: float = MAX_DRIFT) -> str:
    """Name the complexity class whose curve fits the measurements, or report a poor fit.

    The candidate is the class with the smallest squared log-residual (see
    :func:`fit_residuals`); ties and near-ties (within :data:`TIE_TOLERANCE`)
    go to the slower-growing class, the first one in :data:`CLASSES`: with
    no evidence for more growth, claim less. The candidate is then checked:
    if cost / f(n) still trends with n (a log-log slope beyond
    ``max_drift``), the true class is not in the vocabulary, and the answer
    says so instead of naming a wrong class.

    Args:
        sizes: at least 3 positive sizes, not all equal.
        costs: one positive, finite cost per size.
        max_drift: the largest leftover slope accepted (> 0).

    Returns:
        One of :data:`CLASSES`, or ``"poor fit: grows faster than O(...)"``
        (or ``slower than``) naming the closest class and the leftover slope.

    Raises:
        TypeError, ValueError: as :func:`fit_exponent`.

    Complexity: O(len(sizes)) per class.

    >>> classify([8, 64, 512], [3, 6, 9])
    'O(log n)'
    >>> classify([8, 64, 512], [n**5 for n in (8, 64, 512)])
    'poor fit: grows faster than O(n^4) (cost / f(n) has log-log slope +1.00)'
    >>> classify([8, 64, 512], [1, float("inf"), 3])
    Traceback (most recent call last):
    ValueError: costs must be positive and finite, got inf
    """
    if isinstance(max_drift, bool) or not (
        isinstance(max_drift, int | float) and 0 < max_drift < math.inf
    ):
        raise ValueError(f"max_drift must be positive and finite, got {max_drift!r}")
    scores = fit_residuals(sizes, costs)
    best = min(scores.values())
    label = next(label for label in CLASSES if scores[label] <= best + TIE_TOLERANCE)
    drift = _leftover_slope(sizes, costs, label)
    if abs(drift) <= max_drift:
        return label
    direction = "faster" if drift > 0 else "slower"
    return f"poor fit: grows {direction} than {label} (cost / f(n) has log-log slope {drift:+.2f})"


def _leftover_slope(sizes: Sequence[int], costs: Sequence[float], label: str) -> float:
    """Least-squares slope of log(cost / f(n)) against log n: 0 when cost is proportional to f."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(c) - _LOG_F[label](n) for n, c in zip(sizes, costs, strict=True)]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return round(sxy / sxx, 12)
