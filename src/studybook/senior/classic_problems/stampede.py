"""Cache stampedes: request coalescing (single flight) and jittered expiry.

When a hot cache entry expires, every request that arrives before the value is
back in the cache misses and goes to the backend: with ``r`` requests per
second and a backend that takes ``L`` seconds, about ``r * L`` identical calls
pile onto the database at once (the *thundering herd*, or *cache stampede*).
When many entries were filled at the same moment (a deploy, a cold start, a
batch job) with the same TTL, they also expire at the same moment, every TTL,
and the herds of all keys arrive together.

Two cures, one per cause:

* :class:`SingleFlight` coalesces concurrent misses for one key: the first
  caller runs the load, the others wait for its result, so one backend call is
  made per key per refill, however many threads miss at once (Go's
  ``golang.org/x/sync/singleflight`` does the same).
* Jitter: each entry's TTL is drawn from ``ttl * (1 - jitter * U)``, ``U``
  uniform in ``[0, 1)``, so entries filled together expire apart.
  :func:`simulate_herd` measures both on a seeded model.

Invariant (:class:`SingleFlight`): at most one call of the loader is running
per key at any moment; every caller that joined a flight gets that flight's
result or its exception.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from studybook._validate import check_callable, check_int, check_real

__all__ = ["HerdStats", "SingleFlight", "concurrent_misses", "jittered_ttl", "simulate_herd"]

V = TypeVar("V")


class SingleFlight(Generic[V]):
    """Run at most one call per key at a time; concurrent callers share its result.

    ``calls`` counts loader calls made, ``shared`` counts callers that were
    served by another caller's flight instead.

    Complexity: O(1) per call besides the loader; memory O(keys in flight).

    >>> flight: SingleFlight[int] = SingleFlight()
    >>> flight.do("user:42", lambda: 7), flight.calls, flight.shared
    (7, 1, 0)
    >>> flight.do(["not", "hashable"], lambda: 7)
    Traceback (most recent call last):
        ...
    TypeError: key must be hashable, got list: ['not', 'hashable']
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[Hashable, _Flight[V]] = {}
        self.calls = 0
        self.shared = 0

    def do(self, key: Hashable, load: Callable[[], V]) -> V:
        """Return ``load()``, or the result of the call for ``key`` already in flight.

        Args:
            key: what is being loaded (a cache key); must be hashable.
            load: the expensive call, made by the first caller only.

        Returns:
            The loader's result, the same object for every caller of one flight.

        Raises:
            TypeError: ``key`` is not hashable or ``load`` is not callable.
            Exception: whatever ``load`` raised, re-raised in every caller
                that shared the flight (a failure is not cached: the next
                call starts a new flight).

        Complexity: O(1) plus one ``load()`` per flight.
        """
        try:
            hash(key)
        except TypeError:
            raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None
        check_callable(load, "load")
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
                self.calls += 1
            else:
                flight.waiters += 1
                self.shared += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[return-value]
        try:
            flight.value = load()
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
        return flight.value

    def waiting(self, key: Hashable) -> int:
        """How many callers are waiting on the flight for ``key`` now (0 if none).

        Complexity: O(1).
        """
        with self._lock:
            flight = self._flights.get(key)
            return 0 if flight is None else flight.waiters


class _Flight(Generic[V]):
    """One call in progress: its result (or error) and the event that publishes it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: V | None = None
        self.error: BaseException | None = None
        self.waiters = 0


def jittered_ttl(ttl: float, jitter: float, rng: random.Random) -> float:
    """Draw a TTL uniformly from ``(ttl * (1 - jitter), ttl]``.

    Jitter only shortens: the entry is never kept longer than ``ttl``, so a
    freshness promise of ``ttl`` still holds.

    Args:
        ttl: the nominal time to live, a finite number > 0.
        jitter: the fraction to spread over, in ``[0, 1)``; 0 means no jitter.
        rng: a seeded :class:`random.Random`.

    Raises:
        TypeError, ValueError: a bad ``ttl``, ``jitter`` or ``rng``.

    Complexity: O(1).

    >>> rng = random.Random(1)
    >>> [round(jittered_ttl(60, 0.2, rng), 2) for _ in range(3)], jittered_ttl(60, 0, rng)
    ([58.39, 49.83, 50.83], 60.0)
    >>> jittered_ttl(60, 1.0, rng)
    Traceback (most recent call last):
        ...
    ValueError: jitter must be a finite number in [0, 1), got 1.0
    """
    ttl = check_real(ttl, "ttl", positive=True)
    jitter = _check_jitter(jitter)
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}: {rng!r}")
    return ttl * (1.0 - jitter * rng.random())


def _check_jitter(jitter: object) -> float:
    """Return ``jitter`` as a float in ``[0, 1)`` or raise."""
    value = check_real(jitter, "jitter", low=0)
    if value >= 1:
        raise ValueError(f"jitter must be a finite number in [0, 1), got {jitter!r}")
    return value


@dataclass(frozen=True)
class HerdStats:
    """What :func:`simulate_herd` measured: requests, backend calls, and the worst second."""

    requests: int
    backend_calls: int
    peak_calls_per_second: int

    @property
    def hit_ratio(self) -> float:
        """Share of requests served without a backend call."""
        return 1.0 - self.backend_calls / self.requests if self.requests else 1.0


def simulate_herd(
    *,
    keys: int,
    rate: float,
    ttl: float,
    jitter: float,
    latency: float,
    horizon: float,
    coalesce: bool,
    seed: int,
) -> HerdStats:
    """Simulate hot keys filled together at time 0 and count the backend calls.

    Each key gets Poisson requests at ``rate`` per second. A request finds the
    entry fresh (a hit), or misses: with ``coalesce`` it joins the refill in
    flight if there is one; otherwise it calls the backend, which answers
    after ``latency`` seconds and stores the value with a TTL drawn by
    :func:`jittered_ttl`. Every key starts filled at time 0, as after a deploy.

    Args:
        keys: number of hot keys, an int in ``[1, 10_000]``.
        rate: requests per second per key, in ``(0, 10_000]``.
        ttl: nominal time to live in seconds, > 0.
        jitter: TTL spread, in ``[0, 1)``.
        latency: backend time per load in seconds, >= 0.
        horizon: simulated seconds, in ``(0, 10**6]``.
        coalesce: join a refill already in flight (single flight) or not.
        seed: seeds the arrivals and the TTL draws, so the run replays exactly
            (the arrivals do not depend on the other arguments but ``keys``,
            ``rate`` and ``horizon``).

    Returns:
        The counts, with the largest number of backend calls in any
        one-second bucket ``[k, k + 1)``.

    Raises:
        TypeError, ValueError: any argument out of its range; more than
            ``5_000_000`` expected requests (``keys * rate * horizon``).

    Complexity: O(keys * rate * horizon) time, O(horizon) memory.

    >>> simulate_herd(keys=50, rate=20, ttl=30, jitter=0, latency=0.5, horizon=65,
    ...               coalesce=False, seed=1)
    HerdStats(requests=64539, backend_calls=1098, peak_calls_per_second=526)
    """
    keys = check_int(keys, "keys", minimum=1, maximum=10_000)
    rate = check_real(rate, "rate", high=10_000, positive=True)
    ttl = check_real(ttl, "ttl", positive=True)
    latency = check_real(latency, "latency", low=0)
    horizon = check_real(horizon, "horizon", high=1e6, positive=True)
    if not isinstance(coalesce, bool):
        raise TypeError(f"coalesce must be a bool, got {type(coalesce).__name__}: {coalesce!r}")
    seed = check_int(seed, "seed")
    if keys * rate * horizon > 5_000_000:
        raise ValueError(f"keys * rate * horizon must be <= 5000000, got {keys * rate * horizon!r}")
    _check_jitter(jitter)
    # Two generators, so that the arrivals are the same whatever the variant.
    arrivals = random.Random(seed)  # noqa: S311 - a seeded simulation, not cryptography
    ttls = random.Random(f"ttl-{seed}")  # noqa: S311
    per_second: Counter[int] = Counter()
    requests = calls = 0
    for _ in range(keys):
        fresh_from, fresh_until = 0.0, jittered_ttl(ttl, jitter, ttls)  # filled at time 0
        refill_done = -1.0  # when the refill in flight, if any, lands
        now = arrivals.expovariate(rate)
        while now < horizon:
            requests += 1
            if fresh_from <= now < fresh_until:
                pass  # a hit
            elif now < refill_done:  # a refill is in flight
                if not coalesce:
                    calls += 1  # the herd: one more identical backend call
                    per_second[int(now)] += 1
            else:
                calls += 1
                per_second[int(now)] += 1
                refill_done = fresh_from = now + latency
                fresh_until = refill_done + jittered_ttl(ttl, jitter, ttls)
            now += arrivals.expovariate(rate)
    return HerdStats(requests, calls, max(per_second.values(), default=0))


def concurrent_misses(threads: int, *, coalesce: bool, timeout: float = 10.0) -> int:
    """Release ``threads`` cache misses for one key at once; return how many backend calls ran.

    A :class:`threading.Barrier` starts every thread together. The backend
    holds the first call until all the others are provably waiting (with
    ``coalesce``: every other thread has joined the flight; without: all
    ``threads`` calls are inside the backend together), so the count does not
    depend on how the scheduler interleaves the threads.

    Args:
        threads: concurrent callers, an int in ``[1, 256]``.
        coalesce: route the misses through one :class:`SingleFlight`.
        timeout: seconds any wait may take before the run fails, > 0.

    Raises:
        TypeError, ValueError: bad arguments.
        RuntimeError: a wait timed out (a thread is stuck).

    Complexity: O(threads) threads and backend calls at most.

    >>> concurrent_misses(16, coalesce=True), concurrent_misses(16, coalesce=False)
    (1, 16)
    """
    threads = check_int(threads, "threads", minimum=1, maximum=256)
    timeout = check_real(timeout, "timeout", positive=True)
    if not isinstance(coalesce, bool):
        raise TypeError(f"coalesce must be a bool, got {type(coalesce).__name__}: {coalesce!r}")
    flight: SingleFlight[str] = SingleFlight()
    start = threading.Barrier(threads)
    inside = threading.Barrier(threads)  # without coalescing: all calls in the backend at once
    counter = threading.Lock()
    calls = [0]
    errors: list[BaseException] = []

    def backend() -> str:
        with counter:
            calls[0] += 1
        if coalesce:
            _wait_until(lambda: flight.waiting("k") == threads - 1, timeout)
        else:
            inside.wait(timeout)
        return "value"

    def caller() -> None:
        try:
            start.wait(timeout)
            value = flight.do("k", backend) if coalesce else backend()
            if value != "value":
                raise RuntimeError(f"a caller got {value!r}")
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout)
    if errors or any(w.is_alive() for w in workers):
        raise RuntimeError(f"concurrent_misses failed: {errors!r}")
    return calls[0]


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Poll ``condition`` every millisecond; raise ``RuntimeError`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"condition not met within {timeout} s")
        time.sleep(0.001)
