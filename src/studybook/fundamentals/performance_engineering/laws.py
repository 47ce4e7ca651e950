"""Amdahl's, Gustafson's and Little's laws, and the Universal Scalability Law.

Three one-line formulas answer most "how much faster / how many at once"
interview questions:

=================  ======================================  ==================================
law                formula                                 answers
=================  ======================================  ==================================
Amdahl (1967)      S = 1 / ((1 - p) + p / N)               fixed work on N workers: speed-up,
                                                           capped at 1 / (1 - p)
Gustafson (1988)   S = (1 - p) + p · N                     work grown to fill N workers in
                                                           the same time: scaled speed-up
Little (1961)      L = λ · W                               items in a system from throughput
                                                           and time in it, for any queue
USL (Gunther)      C = N / (1 + sigma(N - 1) + κN(N - 1))  throughput that peaks, then falls
=================  ======================================  ==================================

``p`` means different things in the first two: Amdahl's is the parallel
fraction of the *single-worker* run time, Gustafson's the parallel fraction
of the *N-worker* run time. The same program gives two different fractions,
which is how the laws can disagree without either being wrong.

Invariant: 1 ≤ Amdahl ≤ Gustafson ≤ N for the same ``p`` and ``N``;
Amdahl's speed-up never exceeds 1 / (1 - p).

>>> round(amdahl_speedup(0.95, 8), 2), round(gustafson_speedup(0.95, 8), 2)
(5.93, 7.65)

Primary sources: G. M. Amdahl, "Validity of the single processor approach to
achieving large scale computing capabilities", AFIPS Spring Joint Computer
Conference, 1967; J. L. Gustafson, "Reevaluating Amdahl's Law",
*Communications of the ACM* 31(5), 1988; J. D. C. Little, "A Proof for the
Queuing Formula: L = λW", *Operations Research* 9(3), 1961; N. J. Gunther,
*Guerrilla Capacity Planning*, Springer, 2007.
"""

from __future__ import annotations

import math

from studybook.fundamentals.performance_engineering._check import (
    check_count,
    check_fraction,
    check_positive,
    check_real,
)

__all__ = [
    "amdahl_limit",
    "amdahl_speedup",
    "gustafson_speedup",
    "littles_law",
    "usl_speedup",
]


def amdahl_speedup(parallel_fraction: float, workers: int) -> float:
    """Return Amdahl's speed-up of a fixed job on ``workers`` workers.

    The serial part (1 - p) takes as long as ever; the parallel part p is
    divided by N: S(N) = 1 / ((1 - p) + p / N).

    Args:
        parallel_fraction: p, the fraction of the one-worker run time that
            can run in parallel, in [0, 1].
        workers: N, at least 1.

    Returns:
        The speed-up, between 1 and N.

    Raises:
        ValueError: ``parallel_fraction`` outside [0, 1] or not finite; ``workers < 1``.
        TypeError: a non-number, or ``bool``; ``workers`` not an int.

    Complexity: O(1).

    >>> amdahl_speedup(0.5, 2), amdahl_speedup(1, 64), amdahl_speedup(0, 64)
    (1.3333333333333333, 64.0, 1.0)
    >>> round(amdahl_speedup(0.95, 1000), 2)  # 1000 workers, not even 20x
    19.63
    >>> amdahl_speedup(1.2, 4)
    Traceback (most recent call last):
    ValueError: parallel_fraction must be in [0, 1], got 1.2
    """
    p = check_fraction(parallel_fraction, "parallel_fraction")
    n = check_count(workers, "workers", minimum=1)
    return 1 / ((1 - p) + p / n)


def amdahl_limit(parallel_fraction: float) -> float:
    """Return Amdahl's ceiling 1 / (1 - p): the speed-up with infinitely many workers.

    Raises:
        ValueError, TypeError: as :func:`amdahl_speedup`.

    Complexity: O(1).

    >>> amdahl_limit(0.95), amdahl_limit(0), amdahl_limit(1)
    (19.999999999999982, 1.0, inf)
    """
    p = check_fraction(parallel_fraction, "parallel_fraction")
    return math.inf if p == 1 else 1 / (1 - p)


def gustafson_speedup(parallel_fraction: float, workers: int) -> float:
    """Return Gustafson's scaled speed-up: S(N) = (1 - p) + p · N.

    The problem grows with the machine so the run time stays fixed; the
    speed-up is how long one worker would need for the grown problem,
    divided by the N-worker time.

    Args:
        parallel_fraction: p, the fraction of the *N-worker* run time spent
            in parallel work, in [0, 1].
        workers: N, at least 1.

    Raises:
        ValueError, TypeError: as :func:`amdahl_speedup`.

    Complexity: O(1).

    >>> gustafson_speedup(0.5, 2), gustafson_speedup(0.99, 1024)
    (1.5, 1013.77)
    >>> gustafson_speedup(0.5, True)
    Traceback (most recent call last):
    TypeError: workers must be an int, got bool: True
    """
    p = check_fraction(parallel_fraction, "parallel_fraction")
    n = check_count(workers, "workers", minimum=1)
    return (1 - p) + p * n


def usl_speedup(workers: int, contention: float, coherency: float) -> float:
    """Return the Universal Scalability Law's relative capacity C(N).

    C(N) = N / (1 + sigma(N - 1) + κ·N(N - 1)). With κ = 0 it is Amdahl's law
    with serial fraction sigma; a positive κ (the cost of keeping N workers
    coherent: cache lines, locks, cross-talk) makes throughput *fall* past
    N* = √((1 - sigma) / κ).

    Args:
        workers: N, at least 1.
        contention: sigma, in [0, 1].
        coherency: κ, in [0, 1].

    Raises:
        ValueError, TypeError: as :func:`amdahl_speedup`.

    Complexity: O(1).

    >>> round(usl_speedup(8, 0.05, 0), 12) == round(amdahl_speedup(0.95, 8), 12)
    True
    >>> [round(usl_speedup(n, 0.05, 0.002), 2) for n in (1, 8, 22, 64)]  # N* = 21.8
    [1.0, 5.47, 7.4, 5.24]
    """
    n = check_count(workers, "workers", minimum=1)
    sigma = check_fraction(contention, "contention")
    kappa = check_fraction(coherency, "coherency")
    return n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


def littles_law(
    *,
    arrival_rate: float | None = None,
    time_in_system: float | None = None,
    number_in_system: float | None = None,
) -> float:
    """Solve L = λ · W for whichever of the three is not given.

    It holds for any stable system in steady state (any arrival pattern,
    service order and number of servers) as long as all three are long-run
    averages over the same boundary.

    Args:
        arrival_rate: λ, items per unit of time (= throughput when stable), > 0.
        time_in_system: W, mean time an item spends inside, ≥ 0.
        number_in_system: L, mean number of items inside, ≥ 0.

    Returns:
        The missing quantity.

    Raises:
        ValueError: not exactly two given; a negative, NaN or infinite value;
            ``arrival_rate`` zero; a result too large for a float.
        TypeError: a non-number, or ``bool``.

    Complexity: O(1).

    >>> littles_law(arrival_rate=1000, time_in_system=0.2)  # 1000 req/s, 200 ms
    200.0
    >>> littles_law(number_in_system=64, time_in_system=0.016)  # 64 connections, 16 ms each
    4000.0
    >>> littles_law(arrival_rate=5)
    Traceback (most recent call last):
    ValueError: give exactly two of arrival_rate, time_in_system, number_in_system; got 1
    """
    given = [x is not None for x in (arrival_rate, time_in_system, number_in_system)]
    if sum(given) != 2:
        raise ValueError(
            f"give exactly two of arrival_rate, time_in_system, number_in_system; got {sum(given)}"
        )
    if number_in_system is None and arrival_rate is not None and time_in_system is not None:
        rate = check_positive(arrival_rate, "arrival_rate")
        return _finite(rate * _non_negative(time_in_system, "time_in_system"), "number_in_system")
    if time_in_system is None and arrival_rate is not None and number_in_system is not None:
        rate = check_positive(arrival_rate, "arrival_rate")
        return _finite(_non_negative(number_in_system, "number_in_system") / rate, "time_in_system")
    if number_in_system is not None and time_in_system is not None:
        inside = _non_negative(number_in_system, "number_in_system")
        w = _non_negative(time_in_system, "time_in_system")
        if w == 0:
            raise ValueError(f"time_in_system must be positive to find arrival_rate, got {w!r}")
        return _finite(inside / w, "arrival_rate")
    raise AssertionError("unreachable: exactly two of the three are given")  # pragma: no cover


def _finite(result: float, what: str) -> float:
    # 1e308 req/s for 1e308 s is accepted by every check above, yet L overflows.
    if not math.isfinite(result):
        raise ValueError(f"{what} overflows a float: {result!r}; check the units")
    return result + 0.0  # -0.0 (a time of -0.0 s) reads as 0.0


def _non_negative(value: object, what: str) -> float:
    number = check_real(value, what)
    if number < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    return number
