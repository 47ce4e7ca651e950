"""The M/M/1 queue: closed-form results and a discrete-event simulator that checks them.

An M/M/1 queue has Poisson arrivals (rate λ), exponential service times
(rate μ) and one first-come-first-served server. It is the simplest model
that shows the fact every capacity plan must respect: response time is
1 / (μ - λ), so it grows without bound as the utilisation rho = λ/μ nears 1.
At rho = 0.5 a request takes twice its service time; at 0.9, ten times; at
0.99, a hundred times.

==================  ========================  =====================
quantity            formula                   at rho = 0.9, μ = 1
==================  ========================  =====================
utilisation rho     λ / μ                     0.9
mean in system L    rho / (1 - rho)           9
mean in queue Lq    rho² / (1 - rho)          8.1
mean response W     1 / (μ - λ)               10
mean wait Wq        rho / (μ - λ)             9
response p-th pct   -ln(1 - p) / (μ - λ)      p99: 46.05
==================  ========================  =====================

The simulator is event-driven: a heap of pending arrivals and departures,
processed in time order, with the area under the number-in-system curve
accumulated between events. It never uses the formulas, so agreement is
evidence for both.

Invariant (checked exactly by the tests): over a run that ends with the
system empty, the time-average number in system equals throughput · mean
response time (Little's law holds on every sample path, not only on average).

>>> q = mm1(0.9, 1.0)
>>> round(q.mean_response_time, 9), round(q.mean_in_system, 9)
(10.0, 9.0)

Primary sources: L. Kleinrock, *Queueing Systems, Volume 1: Theory*, Wiley,
1975, section 3.2 (M/M/1); M. Harchol-Balter, *Performance Modeling and
Design of Computer Systems*, Cambridge University Press, 2013; J. D. C.
Little, "A Proof for the Queuing Formula: L = λW", *Operations Research*
9(3), 1961.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studybook.fundamentals.performance_engineering._check import (
    check_count,
    check_fraction,
    check_positive,
    check_real,
)

__all__ = [
    "MAX_CUSTOMERS",
    "MM1",
    "CurvePoint",
    "MM1Run",
    "latency_curve",
    "latency_curve_mermaid",
    "mm1",
    "simulate_mm1",
]


#: Upper bound on the customers of one :func:`simulate_mm1` run (about 0.5 s per 100,000).
MAX_CUSTOMERS = 10_000_000


@dataclass(frozen=True)
class MM1:
    """Steady-state results of an M/M/1 queue (times in the units of 1 / rate)."""

    arrival_rate: float
    service_rate: float
    utilization: float
    mean_in_system: float
    mean_in_queue: float
    mean_response_time: float
    mean_wait_in_queue: float

    def response_time_percentile(self, p: float) -> float:
        """Return the ``p``-th percentile of the response time (0 ≤ p < 100).

        Under FCFS the response time of an M/M/1 queue is exponential with
        rate μ - λ, so its p-th percentile is -ln(1 - p/100) / (μ - λ): the
        p99 is ln(100) ≈ 4.6 times the mean.

        Raises:
            ValueError: ``p`` outside [0, 100) or not finite.
            TypeError: ``p`` not an int or float (``bool`` included).

        >>> q = mm1(0.5, 1.0)
        >>> round(q.response_time_percentile(50), 4), round(q.response_time_percentile(99), 4)
        (1.3863, 9.2103)
        >>> q.response_time_percentile(100)
        Traceback (most recent call last):
        ValueError: p must be in [0, 100) for an unbounded distribution, got 100
        """
        value = check_real(p, "p")
        if not 0 <= value < 100:
            raise ValueError(f"p must be in [0, 100) for an unbounded distribution, got {p!r}")
        return -math.log1p(-value / 100) / (self.service_rate - self.arrival_rate)


def mm1(arrival_rate: float, service_rate: float) -> MM1:
    """Return the closed-form steady state of an M/M/1 queue.

    Args:
        arrival_rate: λ, arrivals per unit of time, > 0.
        service_rate: μ, completions per unit of busy time, > λ.

    Returns:
        An :class:`MM1` with ``utilization`` rho = λ/μ, ``mean_in_system``
        rho/(1 - rho), ``mean_in_queue`` rho²/(1 - rho), ``mean_response_time``
        1/(μ - λ) and ``mean_wait_in_queue`` rho/(μ - λ).

    Raises:
        ValueError: a rate zero, negative, NaN or infinite; ``arrival_rate >=
            service_rate`` (no steady state: the queue grows without bound).
        TypeError: a rate that is not an int or float (``bool`` included).

    Complexity: O(1).

    >>> q = mm1(arrival_rate=80, service_rate=100)  # 80 req/s, 10 ms each
    >>> q.utilization, round(q.mean_response_time * 1000, 6), round(q.mean_in_system, 6)
    (0.8, 50.0, 4.0)
    >>> mm1(100, 100)
    Traceback (most recent call last):
    ValueError: arrival_rate must be below service_rate for a steady state, got 100 >= 100
    """
    lam = check_positive(arrival_rate, "arrival_rate")
    mu = check_positive(service_rate, "service_rate")
    if lam >= mu:
        raise ValueError(
            "arrival_rate must be below service_rate for a steady state, "
            f"got {arrival_rate!r} >= {service_rate!r}"
        )
    rho = lam / mu
    return MM1(
        arrival_rate=lam,
        service_rate=mu,
        utilization=rho,
        mean_in_system=rho / (1 - rho),
        mean_in_queue=rho * rho / (1 - rho),
        mean_response_time=1 / (mu - lam),
        mean_wait_in_queue=rho / (mu - lam),
    )


@dataclass(frozen=True)
class MM1Run:
    """What one simulated run measured.

    ``response_times`` and ``waits`` hold every customer, in arrival order;
    the means leave out the first ``warmup`` customers, who met an empty
    system rather than the steady state. The time averages
    (``mean_in_system``, ``utilization``) and ``throughput`` cover the whole
    run, from time 0 to the last departure.
    """

    response_times: tuple[float, ...]
    waits: tuple[float, ...]
    warmup: int
    duration: float
    mean_in_system: float
    utilization: float
    throughput: float

    @property
    def mean_response_time(self) -> float:
        """Mean time from arrival to departure, after the warm-up customers."""
        measured = self.response_times[self.warmup :]
        return math.fsum(measured) / len(measured)

    @property
    def mean_wait_in_queue(self) -> float:
        """Mean time from arrival to the start of service, after the warm-up customers."""
        measured = self.waits[self.warmup :]
        return math.fsum(measured) / len(measured)


def simulate_mm1(
    arrival_rate: float,
    service_rate: float,
    customers: int,
    *,
    seed: int = 0,
    warmup: int = 0,
) -> MM1Run:
    """Simulate an M/M/1 FCFS queue, event by event, for ``customers`` arrivals.

    The system starts empty. Random numbers come from ``random.Random(seed)``
    in a fixed order: the first inter-arrival gap, then at each arrival that
    customer's service time followed by the next gap. A run is therefore
    reproducible, and an independent model fed the same stream (Lindley's
    recursion, in the tests) must produce the same response times.

    Args:
        arrival_rate: λ, > 0. ``arrival_rate >= service_rate`` is allowed:
            the run is finite, so it shows the queue growing.
        service_rate: μ, > 0.
        customers: how many arrivals to simulate, 1 to :data:`MAX_CUSTOMERS`.
        seed: the seed of the run's ``random.Random``.
        warmup: how many first customers to leave out of the means (they
            met an empty system, not the steady state); 0 ≤ warmup < customers.

    Returns:
        The run's :class:`MM1Run`.

    Raises:
        ValueError: a rate not positive and finite; ``customers`` outside
            1 to :data:`MAX_CUSTOMERS`;
            ``warmup`` negative or not below ``customers``.
        TypeError: a wrong type (``bool`` included).

    Complexity: O(c log c) time for c customers (heap operations; the heap
    holds at most two events), O(c) space for the recorded times.

    >>> import math
    >>> run = simulate_mm1(0.5, 1.0, 20_000, seed=1, warmup=1_000)
    >>> round(run.mean_response_time, 2), mm1(0.5, 1.0).mean_response_time
    (1.99, 2.0)
    >>> little = run.throughput * math.fsum(run.response_times) / len(run.response_times)
    >>> abs(run.mean_in_system - little) < 1e-9  # Little's law, on this very run
    True
    >>> simulate_mm1(0.5, 1.0, 10, warmup=10)
    Traceback (most recent call last):
    ValueError: warmup must be below customers (10), got 10
    """
    lam = check_positive(arrival_rate, "arrival_rate")
    mu = check_positive(service_rate, "service_rate")
    total = check_count(customers, "customers", minimum=1)
    if total > MAX_CUSTOMERS:
        raise ValueError(f"customers must be at most {MAX_CUSTOMERS}, got {customers!r}")
    skip = check_count(warmup, "warmup", minimum=0)
    if skip >= total:
        raise ValueError(f"warmup must be below customers ({total}), got {warmup!r}")
    check_count(seed, "seed", minimum=0)
    rng = random.Random(seed)  # noqa: S311 - a simulation, not cryptography

    arrivals: list[float] = [0.0] * total
    starts: list[float] = [0.0] * total
    departures: list[float] = [0.0] * total
    service: list[float] = [0.0] * total
    # Events are (time, kind, customer); kind 0 = departure sorts before
    # kind 1 = arrival at equal times, so a server freed at t serves a
    # customer arriving at t without counting it as queued.
    events: list[tuple[float, int, int]] = [(rng.expovariate(lam), 1, 0)]
    waiting: deque[int] = deque()
    in_system = 0
    busy_until = -1.0  # < 0: idle
    area = busy = last = 0.0

    while events:
        now, kind, who = heapq.heappop(events)
        area += in_system * (now - last)
        if busy_until >= 0:
            busy += now - last
        last = now
        if kind == 1:
            in_system += 1
            arrivals[who] = now
            service[who] = rng.expovariate(mu)
            if who + 1 < total:
                heapq.heappush(events, (now + rng.expovariate(lam), 1, who + 1))
            waiting.append(who)
        else:
            in_system -= 1
            departures[who] = now
            busy_until = -1.0
        if busy_until < 0 and waiting:
            nxt = waiting.popleft()
            starts[nxt] = now
            busy_until = now + service[nxt]
            heapq.heappush(events, (busy_until, 0, nxt))

    duration = last
    return MM1Run(
        response_times=tuple(d - a for d, a in zip(departures, arrivals, strict=True)),
        waits=tuple(s - a for s, a in zip(starts, arrivals, strict=True)),
        warmup=skip,
        duration=duration,
        mean_in_system=area / duration,
        utilization=busy / duration,
        throughput=total / duration,
    )


@dataclass(frozen=True)
class CurvePoint:
    """One utilisation level: response times from the formula and from a simulated run.

    Times are in units of the mean service time (μ = 1), so a ``mean`` of
    10 means "ten times as long as the work itself".
    """

    utilization: float
    mean: float
    simulated_mean: float
    p99: float
    simulated_p99: float


def latency_curve(
    utilizations: Iterable[float],
    *,
    customers: int = 20_000,
    warmup: int = 1_000,
    seed: int = 0,
) -> list[CurvePoint]:
    """Return response time against utilisation, from :func:`mm1` and :func:`simulate_mm1`.

    Each utilisation rho is simulated with λ = rho, μ = 1, the same seed and
    ``customers`` arrivals; the simulated p99 is the nearest-rank
    percentile of the measured response times.

    Args:
        utilizations: levels in (0, 1), each simulated once.
        customers, warmup, seed: passed to :func:`simulate_mm1`.

    Raises:
        ValueError: a utilisation not strictly between 0 and 1, or an
            argument :func:`simulate_mm1` refuses.
        TypeError: a wrong type (``bool`` included).

    Complexity: O(k · c log c) for k levels and c customers.

    >>> points = latency_curve([0.5, 0.8], customers=5_000, warmup=500)
    >>> [(p.utilization, round(p.mean, 2), round(p.simulated_mean, 2)) for p in points]
    [(0.5, 2.0, 1.91), (0.8, 5.0, 4.61)]
    >>> latency_curve([1.0])
    Traceback (most recent call last):
    ValueError: utilization must be strictly between 0 and 1, got 1.0
    """
    # Imported here: percentiles is a sibling module, and queueing should
    # stay importable on its own for readers who open only this file.
    from studybook.fundamentals.performance_engineering.percentiles import percentile

    points = []
    for rho in utilizations:
        level = check_fraction(rho, "utilization")
        if not 0 < level < 1:
            raise ValueError(f"utilization must be strictly between 0 and 1, got {rho!r}")
        theory = mm1(level, 1.0)
        run = simulate_mm1(level, 1.0, customers, seed=seed, warmup=warmup)
        measured = run.response_times[run.warmup :]
        points.append(
            CurvePoint(
                utilization=level,
                mean=theory.mean_response_time,
                simulated_mean=run.mean_response_time,
                p99=theory.response_time_percentile(99),
                simulated_p99=percentile(measured, 99, method="nearest-rank"),
            )
        )
    return points


def latency_curve_mermaid(points: Sequence[CurvePoint]) -> str:
    """Return a mermaid ``xychart-beta`` of mean and p99 response time against utilisation.

    Four lines, in this order: mean (formula), mean (simulated), p99
    (formula), p99 (simulated), each rounded to one decimal. The chapter's
    diagram is this function's output, and a test checks that they match.

    Raises:
        ValueError: no points.

    Complexity: O(k) for k points.

    >>> print(latency_curve_mermaid([CurvePoint(0.5, 2.0, 2.02, 9.21, 9.3)]))
    xychart-beta
        title "M/M/1 response time, in service times"
        x-axis "utilisation" ["0.5"]
        y-axis "response time / service time" 0 --> 10
        line [2.0]
        line [2.0]
        line [9.2]
        line [9.3]
    """
    if not points:
        raise ValueError("points must not be empty")
    series = [
        [p.mean for p in points],
        [p.simulated_mean for p in points],
        [p.p99 for p in points],
        [p.simulated_p99 for p in points],
    ]
    top = math.ceil(max(max(s) for s in series) / 10) * 10
    labels = ", ".join(f'"{p.utilization:g}"' for p in points)
    lines = [
        "xychart-beta",
        '    title "M/M/1 response time, in service times"',
        f'    x-axis "utilisation" [{labels}]',
        f'    y-axis "response time / service time" 0 --> {top}',
    ]
    lines += ["    line [" + ", ".join(f"{v:.1f}" for v in s) + "]" for s in series]
    return "\n".join(lines)
