"""Cache stampede protection: single flight and probabilistic early expiration (XFetch).

A *stampede* (dog-pile, thundering herd) happens when a hot key expires: every
request that arrives before the first recomputation finishes sees a miss and
recomputes too, so a key read ``r`` times a second whose value takes
``delta`` seconds to rebuild gets about ``r * delta`` simultaneous rebuilds.
Two cures, measured here by a seeded discrete-event simulation:

- **single flight**: the first miss recomputes; later misses for the same key
  wait for its result instead of starting their own (one rebuild, but the
  waiters still see the full latency);
- **XFetch** (Vattani, Chierichetti and Lowenstein, VLDB 2015): before expiry,
  each read recomputes early with a probability that rises as expiry nears:
  it does so when ``now - delta * beta * ln(u) >= expiry``, ``u`` uniform in
  (0, 1]. No coordination is needed, and the key is usually refreshed before
  anyone sees a miss.

:class:`SingleFlight` is a minimal thread-based version for a cache in one
process; the full treatment (errors, cancellation, the Go package it comes
from) is in the classic-problems chapter.

>>> should_recompute(now=99.0, expiry=100.0, delta=1.0, beta=1.0, u=0.5)
False
>>> should_recompute(now=99.5, expiry=100.0, delta=1.0, beta=1.0, u=0.5)
True

Primary source: A. Vattani, F. Chierichetti, K. Lowenstein, "Optimal
Probabilistic Cache Stampede Prevention", PVLDB 8(8), 2015.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from studybook._validate import check_callable, check_real, check_rng, check_str

__all__ = [
    "STAMPEDE_POLICIES",
    "SingleFlight",
    "StampedeResult",
    "should_recompute",
    "simulate_stampede",
]

T = TypeVar("T")

#: The policies :func:`simulate_stampede` compares.
STAMPEDE_POLICIES = ("none", "single-flight", "xfetch", "xfetch+single-flight")


def should_recompute(*, now: float, expiry: float, delta: float, beta: float, u: float) -> bool:
    """Return whether a read at ``now`` should recompute early (the XFetch test).

    ``-ln(u)`` is exponentially distributed with mean 1, so the read looks
    ``delta * beta * Exp(1)`` seconds into the future and recomputes if expiry
    falls inside that horizon: a value that is slow to rebuild (large
    ``delta``) is refreshed earlier, and ``beta > 1`` favours earlier refreshes.

    Args:
        now: the current time.
        expiry: when the cached value expires.
        delta: how long the last recomputation took, >= 0.
        beta: the eagerness, > 0 (1.0 is the paper's default).
        u: a uniform random number in (0, 1].

    Raises:
        ValueError: ``u`` outside (0, 1], a negative ``delta``, a non-positive ``beta``,
            or a non-finite time.

    Complexity: O(1).

    >>> should_recompute(now=0.0, expiry=10.0, delta=1.0, beta=1.0, u=1.0)  # ln 1 = 0
    False
    >>> should_recompute(now=0.0, expiry=10.0, delta=1.0, beta=1.0, u=0.0)
    Traceback (most recent call last):
        ...
    ValueError: u must be in (0, 1], got 0.0
    """
    check_real(now, "now")
    check_real(expiry, "expiry")
    check_real(delta, "delta", low=0)
    check_real(beta, "beta", positive=True)
    if check_real(u, "u", low=0, high=1) == 0:
        raise ValueError(f"u must be in (0, 1], got {u!r}")
    return now - delta * beta * math.log(u) >= expiry


class SingleFlight(Generic[T]):
    """Collapse concurrent calls for one key into one execution of the function.

    The first caller for a key runs ``fn``; callers that arrive while it runs
    block and receive its result (or its exception). Once it finishes, the
    next call starts a new flight: this deduplicates *concurrent* work and
    caches nothing.

    Attributes:
        calls: how many times a function actually ran.
        shared: how many callers got another caller's result.

    >>> flight: SingleFlight[int] = SingleFlight()
    >>> flight.do("answer", lambda: 42), flight.calls, flight.shared
    (42, 1, 0)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight[T]] = {}
        self.calls = 0
        self.shared = 0

    def do(self, key: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` once for all concurrent callers with this ``key``; return its result.

        Raises:
            TypeError: ``key`` is not a str or ``fn`` is not callable.
            Exception: whatever ``fn`` raised, re-raised in every waiting caller.
        """
        check_str(key, "key")
        check_callable(fn, "fn")
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
                self.calls += 1
            else:
                self.shared += 1
        if not leader:
            flight.done.wait()
            return flight.outcome()
        try:
            flight.result = fn()
        except BaseException as exc:
            flight.error = exc
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
        return flight.outcome()


class _Flight(Generic[T]):
    __slots__ = ("done", "error", "result")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


@dataclass(frozen=True)
class StampedeResult:
    """What one simulated run of a hot key did.

    Attributes:
        policy: the protection used.
        requests: reads simulated.
        recomputes: recomputations started (the load on the backing store).
        misses: reads that found no fresh value and had to wait for one.
        max_concurrent: the most recomputations running at once (the stampede's height).
        early: recomputations started before expiry (XFetch only).
    """

    policy: str
    requests: int
    recomputes: int
    misses: int
    max_concurrent: int
    early: int


def simulate_stampede(
    policy: str,
    *,
    rate: float,
    ttl: float,
    delta: float,
    duration: float,
    rng: random.Random,
    beta: float = 1.0,
) -> StampedeResult:
    """Simulate one hot key read by Poisson arrivals; count recomputations and misses.

    The key starts cached, expiring at ``ttl``. A recomputation started at ``t`` stores a value at
    ``t + delta`` that expires ``ttl`` later. Under ``none`` every read that
    finds no fresh value recomputes; ``single-flight`` lets only one
    recomputation run at a time (the others wait for it); ``xfetch`` adds the
    early-recomputation test to reads that do find a value, and
    ``xfetch+single-flight`` combines both.

    Args:
        policy: one of :data:`STAMPEDE_POLICIES`.
        rate: reads per second, > 0.
        ttl: seconds a value lives, > 0.
        delta: seconds a recomputation takes, > 0.
        duration: simulated seconds, > 0 (at most 10 million reads).
        rng: the seeded generator for arrivals and XFetch's draws.
        beta: XFetch's eagerness, > 0.

    Raises:
        ValueError: unknown policy, a bad number, or more than 10 million expected reads.
        TypeError: ``rng`` is not a ``random.Random``.

    Complexity: O(rate * duration).

    >>> for policy in ("none", "xfetch"):
    ...     r = simulate_stampede(policy, rate=100, ttl=10, delta=0.5, duration=60,
    ...                           rng=random.Random(1))
    ...     print(r.policy, r.requests, r.recomputes, r.misses, r.max_concurrent, r.early)
    none 5975 262 262 61 0
    xfetch 5913 16 0 6 16
    >>> simulate_stampede("lock", rate=1, ttl=1, delta=1, duration=1, rng=random.Random(1))
    Traceback (most recent call last):
        ...
    ValueError: policy must be one of ('none', 'single-flight', ...), got 'lock'
    """
    if policy not in STAMPEDE_POLICIES:
        raise ValueError(f"policy must be one of {STAMPEDE_POLICIES}, got {policy!r}")
    rate = check_real(rate, "rate", positive=True)
    ttl = check_real(ttl, "ttl", positive=True)
    delta = check_real(delta, "delta", positive=True)
    duration = check_real(duration, "duration", positive=True)
    beta = check_real(beta, "beta", positive=True)
    check_rng(rng)
    if rate * duration > 10_000_000:
        raise ValueError(f"rate * duration must be at most 1e7 reads, got {rate * duration!r}")
    single = "single-flight" in policy
    early_refresh = "xfetch" in policy

    expiry = ttl  # a warm cache: the stampede under study is at expiry, not cold start
    finishing: list[float] = []  # end times of running recomputations, ascending
    requests = recomputes = misses = early = max_concurrent = 0
    now = 0.0
    while True:
        now += rng.expovariate(rate)
        if now >= duration:
            break
        while finishing and finishing[0] <= now:  # recomputations that ended store a value
            expiry = max(expiry, finishing.pop(0) + ttl)
        requests += 1
        fresh = now < expiry
        if fresh:
            # 1.0 - random() is uniform in (0, 1], as XFetch's ln needs.
            if not early_refresh or not should_recompute(
                now=now, expiry=expiry, delta=delta, beta=beta, u=1.0 - rng.random()
            ):
                continue
            if single and finishing:
                continue  # someone is already refreshing: serve the current value
            early += 1
        else:
            misses += 1
            if single and finishing:
                continue  # wait for the running recomputation
        recomputes += 1
        finishing.append(now + delta)  # delta is fixed, so the list stays sorted
        max_concurrent = max(max_concurrent, len(finishing))
    return StampedeResult(policy, requests, recomputes, misses, max_concurrent, early)
