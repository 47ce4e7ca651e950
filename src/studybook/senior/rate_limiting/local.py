"""The five algorithms in one process, behind one :class:`RateLimiter` protocol.

Every limiter is built from the same two numbers, ``limit`` requests per
``window`` seconds, takes an injected clock, and answers
:meth:`~RateLimiter.allow` with a :class:`Decision`. What differs is what
"``limit`` per ``window``" means at the edges:

==========================  ==========================================================
Algorithm                   Rule (``cost`` defaults to 1)
==========================  ==========================================================
TokenBucket                 ``limit`` tokens, refilled at ``limit / window`` per second;
                            a request takes ``cost`` tokens
LeakyBucket                 a meter (GCRA) that drains ``limit / window`` per second;
                            a request adds ``cost`` if the level stays within ``limit``
FixedWindow                 at most ``limit`` per aligned window ``[k*window, (k+1)*window)``
SlidingLog                  at most ``limit`` in any window ``(now - window, now]``
SlidingWindowCounter        ``prev * (1 - elapsed / window) + current + cost <= limit``
==========================  ==========================================================
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = [
    "GCRA_SLACK",
    "MAX_LIMIT",
    "MAX_WINDOW",
    "MIN_WINDOW",
    "BaseLimiter",
    "Decision",
    "FixedWindow",
    "LeakyBucket",
    "RateLimiter",
    "SlidingLog",
    "SlidingWindowCounter",
    "TokenBucket",
    "gcra_fits",
    "retry_wait",
    "sliding_counter_decision",
]

MAX_LIMIT = 2**53
"""Largest ``limit``: every count up to it is an exact float, so no count is ever rounded."""

MIN_WINDOW = 1e-3
"""Shortest ``window`` in seconds (a millisecond, the resolution of Redis' ``PEXPIRE``)."""

MAX_WINDOW = 1e9
"""Longest ``window`` in seconds (about 31 years): indices and TTLs stay far from overflow."""


@dataclass(frozen=True)
class Decision:
    """The answer to one request.

    Attributes:
        allowed: whether the request may proceed.
        limit: the configured ``limit``.
        remaining: how many more cost-1 requests would be allowed right now.
        retry_after: seconds until this request (same cost) would be allowed; 0 if allowed.
            A client whose clock reads ``now + retry_after`` is admitted (if nothing
            else used the key meanwhile): the limiters compute the wait with the same
            floating-point operations as the decision itself.

    Raises:
        TypeError: a field of the wrong type (``bool`` is not a count).
        ValueError: ``limit < 1``, ``remaining < 0``, or ``retry_after`` negative,
            NaN or infinite.

    >>> Decision(False, limit=10, remaining=0, retry_after=float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: retry_after must be a finite number >= 0, got nan
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: float

    def __post_init__(self) -> None:
        if not isinstance(self.allowed, bool):
            raise TypeError(f"allowed must be a bool, got {self.allowed!r}")
        for name in ("limit", "remaining"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, got {value!r}")
        if self.limit < 1 or self.remaining < 0:
            raise ValueError(
                f"need limit >= 1 and remaining >= 0, got {self.limit!r}, {self.remaining!r}"
            )
        wait = self.retry_after
        if isinstance(wait, bool) or not isinstance(wait, (int, float)):
            raise TypeError(f"retry_after must be a number, got {wait!r}")
        if not (math.isfinite(wait) and wait >= 0):
            raise ValueError(f"retry_after must be a finite number >= 0, got {wait!r}")


@runtime_checkable
class RateLimiter(Protocol):
    """What every limiter offers, local or over Redis.

    The contract (one parametrised test checks it for all ten limiters): at most
    ``limit`` at once for a fresh key; a refusal carries ``retry_after > 0``, and
    a client that waits exactly ``retry_after`` is then admitted; keys are
    independent; ``cost`` outside ``1..limit`` raises ``ValueError``.
    """

    limit: int
    window: float

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Decide one request of weight ``cost`` for ``key`` and record it if allowed."""
        ...


class BaseLimiter:
    """Validation and the monotonic clock shared by every limiter.

    The limiter's time never runs backwards: a clock reading earlier than one
    already seen (``time.time`` stepped back by NTP) counts as the latest one.

    Raises:
        TypeError: ``limit`` or ``window`` is not a number (``bool`` included).
        ValueError: ``limit`` not an integer in ``1..MAX_LIMIT``, or ``window`` not in
            ``[MIN_WINDOW, MAX_WINDOW]`` (NaN and infinities included).
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            raise TypeError(f"limit must be a positive integer, got {limit!r}")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        if isinstance(window, bool) or not isinstance(window, (int, float)):
            raise TypeError(f"window must be a number of seconds, got {window!r}")
        if not MIN_WINDOW <= window <= MAX_WINDOW:  # also false for NaN
            raise ValueError(
                f"window must be a positive number of seconds, got {window!r} "
                f"(from {MIN_WINDOW} to {MAX_WINDOW:g})"
            )
        if not callable(clock):
            raise TypeError(f"clock must be callable, got {clock!r}")
        self.limit = limit
        self.window = float(window)
        self.clock = clock
        self._latest = self._reading = -math.inf

    def _start(self, key: str, cost: int) -> float:
        """Validate a request and read the clock (never earlier than the latest reading)."""
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {key!r}")
        if isinstance(cost, bool) or not isinstance(cost, int) or not 1 <= cost <= self.limit:
            raise ValueError(f"cost must be an integer in 1..{self.limit}, got {cost!r}")
        return self.now()

    def now(self) -> float:
        """Read the clock: the latest reading so far, so that time never runs backwards.

        Raises:
            ValueError: the clock returned something other than a finite number.
        """
        reading = self.clock()
        if (
            isinstance(reading, bool)
            or not isinstance(reading, (int, float))
            or not math.isfinite(reading)
        ):
            raise ValueError(f"clock must return a finite number of seconds, got {reading!r}")
        self._reading = float(reading)  # waits are measured from the clock's own reading
        self._latest = max(self._latest, self._reading)
        return self._latest

    def _at(self, reading: float) -> float:
        """The limiter's time for a future clock reading (monotonic, as in :meth:`_start`)."""
        return max(reading, self._latest)


def retry_wait(now: float, ready: float, admits: Callable[[float], bool]) -> float:
    """The wait ``w`` (about ``ready - now``, and positive) such that ``admits(now + w)`` holds.

    ``ready`` is the admission time in exact arithmetic; in floating point,
    ``now + (ready - now)`` can land one unit in the last place short of ``ready``,
    and a client that waited would be refused again. ``admits``
    repeats the decision's own arithmetic at a clock reading, so stepping ``w`` up
    one unit in the last place at a time until it holds makes the promise exact.
    It takes a step or two at most.

    Complexity: O(1) calls of ``admits``.

    >>> now, ready = 389 / 3, 3032 / 7
    >>> now + (ready - now) >= ready                 # waiting the difference falls short
    False
    >>> wait = retry_wait(now, ready, lambda t: t >= ready)
    >>> wait - (ready - now), now + wait >= ready    # one unit in the last place more
    (5.684341886080802e-14, True)
    """
    wait = max(ready - now, 0.0)
    for _ in range(64):
        if wait > 0 and admits(now + wait):
            return wait
        wait += math.ulp(now + wait)
    raise AssertionError(f"unreachable: no admission near {ready!r}")  # pragma: no cover


class TokenBucket(BaseLimiter):
    """Tokens refill continuously at ``limit / window`` per second up to ``limit``.

    Allows bursts of up to ``limit`` and a long-run rate of ``limit / window``.
    State per key: (tokens, time of last update).

    Complexity: O(1) time and space per key.

    >>> now = [0.0]
    >>> tb = TokenBucket(limit=2, window=1.0, clock=lambda: now[0])
    >>> [tb.allow("ip").allowed for _ in range(3)]
    [True, True, False]
    >>> tb.allow("ip").retry_after           # one token every 0.5 s
    0.5
    >>> tb.allow("ip", cost=3)
    Traceback (most recent call last):
        ...
    ValueError: cost must be an integer in 1..2, got 3
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(limit, window, clock)
        self.rate = limit / self.window
        self._state: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them.

        Complexity: O(1).
        """
        now = self._start(key, cost)
        tokens = self._tokens(key, now)
        if tokens >= cost:
            self._state[key] = (tokens - cost, now)
            return Decision(True, self.limit, math.floor(tokens - cost), 0.0)
        wait = retry_wait(
            self._reading,
            now + (cost - tokens) / self.rate,
            lambda t: self._tokens(key, self._at(t)) >= cost,
        )
        return Decision(False, self.limit, math.floor(tokens), wait)

    def _tokens(self, key: str, now: float) -> float:
        """Tokens in ``key``'s bucket at ``now`` (not before its last update), refilled lazily."""
        tokens, last = self._state.get(key, (float(self.limit), now))
        return min(float(self.limit), tokens + (now - last) * self.rate)


class LeakyBucket(BaseLimiter):
    """Leaky bucket *as a meter*, implemented as GCRA (one timestamp per key).

    The bucket's level drains at ``limit / window`` per second; a request that
    would overflow ``limit`` is rejected (policing), not queued (shaping). GCRA
    stores only the *theoretical arrival time* ``tat``: when the bucket will be
    empty. A request of weight ``cost`` is allowed iff
    ``tat' - window <= now`` with ``tat' = max(tat, now) + cost * window / limit``.
    It allows exactly what :class:`TokenBucket` allows, with one number of state.

    Complexity: O(1) time and space per key.

    >>> now = [0.0]
    >>> lb = LeakyBucket(limit=2, window=1.0, clock=lambda: now[0])
    >>> [lb.allow("ip").allowed for _ in range(3)], lb.allow("ip").retry_after
    ([True, True, False], 0.5)
    >>> LeakyBucket(limit=0, window=1.0)
    Traceback (most recent call last):
        ...
    ValueError: limit must be a positive integer, got 0
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(limit, window, clock)
        self.interval = self.window / limit  # time for one unit to drain
        self._tat: dict[str, float] = {}

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Add ``cost`` to ``key``'s bucket if it does not overflow.

        Complexity: O(1).
        """
        now = self._start(key, cost)
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + cost * self.interval
        if not gcra_fits(self._tat.get(key), now, cost, self.interval, self.window):
            remaining = _gcra_remaining(tat, now, self.window, self.interval)

            def admits(t: float) -> bool:
                return gcra_fits(self._tat.get(key), self._at(t), cost, self.interval, self.window)

            wait = retry_wait(self._reading, new_tat - self.window, admits)
            return Decision(False, self.limit, remaining, wait)
        self._tat[key] = new_tat
        return Decision(
            True, self.limit, _gcra_remaining(new_tat, now, self.window, self.interval), 0.0
        )


GCRA_SLACK = 1e-9
"""GCRA's comparison tolerance, as a fraction of one emission interval.

``tat`` grows by repeated additions of ``window / limit``, which is rarely exact in
binary (60 / 25 = 2.4): after 25 additions at one instant, ``tat - window`` lands a
few units in the last place above ``now``, and the 25th request of a full burst
would be refused. The slack, a billionth of one request's interval, absorbs that
and nothing more. :func:`retry_wait` replays the same comparison, so the
``retry_after`` promise stays exact."""


def gcra_fits(tat: float | None, now: float, cost: int, interval: float, window: float) -> bool:
    """Whether GCRA admits ``cost`` at ``now`` given the stored ``tat`` (None: a fresh key).

    Complexity: O(1).

    >>> tat = 2000.0
    >>> for _ in range(24):                       # 24 of a burst of 25 at t = 2000
    ...     tat += 60 / 25
    >>> tat + 60 / 25 - 60.0 <= 2000.0             # the 25th, compared exactly
    False
    >>> gcra_fits(tat, 2000.0, 1, 60 / 25, 60.0)
    True
    """
    start = now if tat is None else max(tat, now)
    return start + cost * interval - window <= now + interval * GCRA_SLACK


def _gcra_remaining(tat: float, now: float, window: float, interval: float) -> int:
    """Cost-1 requests still allowed now, given the theoretical arrival time ``tat``."""
    # The 1e-9 only absorbs rounding in this informative count, never in a decision.
    return max(0, math.floor((window - (tat - now)) / interval + 1e-9))


class FixedWindow(BaseLimiter):
    """Count requests per aligned window; reset the count when the window changes.

    Cheapest to run (one counter per key, a natural fit for ``INCR`` plus a TTL),
    but up to ``2 * limit`` requests can pass around a window boundary.

    Complexity: O(1) time and space per key.

    >>> now = [9.9]
    >>> fw = FixedWindow(limit=2, window=10.0, clock=lambda: now[0])
    >>> [fw.allow("u").allowed for _ in range(3)]
    [True, True, False]
    >>> now[0] = 10.0                          # a new window: 4 requests in 0.1 s
    >>> [fw.allow("u").allowed for _ in range(3)]
    [True, True, False]
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(limit, window, clock)
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window index, count)

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Count ``cost`` against the current window if it fits.

        Complexity: O(1).
        """
        now = self._start(key, cost)
        index = math.floor(now / self.window)
        count = self._count(key, now)
        if count + cost <= self.limit:
            self._counts[key] = (index, count + cost)
            return Decision(True, self.limit, self.limit - count - cost, 0.0)
        wait = retry_wait(
            self._reading,
            (index + 1) * self.window,
            lambda t: self._count(key, self._at(t)) + cost <= self.limit,
        )
        return Decision(False, self.limit, self.limit - count, wait)

    def _count(self, key: str, now: float) -> int:
        """``key``'s count in the window that holds ``now``."""
        seen, count = self._counts.get(key, (None, 0))
        return count if seen == math.floor(now / self.window) else 0


class SlidingLog(BaseLimiter):
    """Keep the time of every allowed request; allow if the last ``window`` holds room.

    Exact (no boundary burst), at the price of O(limit) memory per key. A request
    recorded at ``t`` counts while ``t > now - window`` (the comparison the Redis
    version's ``ZREMRANGEBYSCORE`` makes).

    Complexity: O(1) amortised per allowed request (a running sum per key, so no
    request re-adds the log); a refusal walks only the entries that must leave
    first; O(limit) space per key.

    >>> now = [0.0]
    >>> sl = SlidingLog(limit=2, window=10.0, clock=lambda: now[0])
    >>> sl.allow("u").allowed, sl.allow("u").allowed
    (True, True)
    >>> now[0] = 9.0
    >>> sl.allow("u")
    Decision(allowed=False, limit=2, remaining=0, retry_after=1.0)
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(limit, window, clock)
        self._logs: dict[str, deque[tuple[float, int]]] = {}
        self._used: dict[str, int] = {}  # key -> sum of the costs in its log

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Record ``cost`` at the current time if the window has room for it.

        Complexity: O(expired entries), amortised O(1); O(entries that must
        leave) when refused.
        """
        now = self._start(key, cost)
        log = self._logs.setdefault(key, deque())
        used = self._used.get(key, 0)
        while log and log[0][0] <= now - self.window:
            used -= log.popleft()[1]
        if used + cost <= self.limit:
            log.append((now, cost))
            self._used[key] = used + cost
            return Decision(True, self.limit, self.limit - used - cost, 0.0)
        self._used[key] = used

        def admits(t: float) -> bool:
            t = self._at(t)
            left = used  # the log is in time order: only its head can have left by t
            for stamp, c in log:
                if stamp > t - self.window:
                    break
                left -= c
            return left + cost <= self.limit

        # Wait until enough of the oldest entries leave the window.
        freed = 0
        for stamp, c in log:
            freed += c
            if used - freed + cost <= self.limit:
                wait = retry_wait(self._reading, stamp + self.window, admits)
                return Decision(False, self.limit, self.limit - used, wait)
        raise AssertionError("unreachable: cost <= limit")  # pragma: no cover

    def _check_invariants(self) -> None:
        """Each log is in time order, within ``limit``, and its running sum is exact."""
        for key, log in self._logs.items():
            stamps = [stamp for stamp, _ in log]
            if stamps != sorted(stamps):
                raise AssertionError(f"log of {key!r} out of time order")
            total = sum(c for _, c in log)
            if not self._used.get(key, 0) == total <= self.limit:
                raise AssertionError(f"{key!r}: running sum {self._used.get(key)}, log {total}")


class SlidingWindowCounter(BaseLimiter):
    """Approximate a sliding window from two fixed-window counters.

    With ``elapsed`` the time since the current window started, the estimate is
    ``count = prev * (1 - elapsed / window) + current`` and a request is allowed
    iff ``count + cost <= limit``: the previous window's requests are assumed to
    have been spread evenly. O(1) memory like a fixed window; exact when traffic
    is uniform. Not a hard sliding limit: a burst at the end of one window
    followed by steady traffic gets up to ``2 * limit - 1`` through within one
    window's length (the chapter shows it), against ``2 * limit`` for the fixed
    window, but never ``2 * limit`` in one instant.

    Complexity: O(1) time and space per key.

    >>> now = [0.0]
    >>> sw = SlidingWindowCounter(limit=4, window=10.0, clock=lambda: now[0])
    >>> sum(sw.allow("u").allowed for _ in range(5))
    4
    >>> now[0] = 15.0            # estimate 4 * (1 - 5/10) + 0 = 2: room for 2
    >>> [sw.allow("u").allowed for _ in range(3)]
    [True, True, False]
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(limit, window, clock)
        self._counts: dict[str, tuple[int, int, int]] = {}  # key -> (index, prev, current)

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Allow if the weighted estimate has room for ``cost``.

        Complexity: O(1).
        """
        now = self._start(key, cost)
        index = math.floor(now / self.window)
        seen, prev, current = self._counts.get(key, (index, 0, 0))
        if seen == index - 1:
            prev, current = current, 0
        elif seen != index:
            prev, current = 0, 0
        decision = sliding_counter_decision(
            self.limit, self.window, prev, current, now, cost, at=self._at, reading=self._reading
        )
        self._counts[key] = (index, prev, current + cost if decision.allowed else current)
        return decision


def sliding_counter_decision(
    limit: int,
    window: float,
    prev: int,
    current: int,
    now: float,
    cost: int,
    *,
    at: Callable[[float], float] = float,
    reading: float | None = None,
) -> Decision:
    """The sliding-window-counter rule on raw counts (shared with the Redis version).

    Args:
        limit: requests per window.
        window: seconds.
        prev: the count of the window before the one holding ``now``.
        current: the count of the window holding ``now``.
        now: the time, seconds.
        cost: the request's weight.
        at: maps a later clock reading to the limiter's time (its monotonic clamp).
        reading: the clock reading ``retry_after`` is measured from (default ``now``;
            earlier if the clock stepped back).

    Complexity: O(1).

    >>> sliding_counter_decision(10, 60.0, prev=8, current=3, now=30.0, cost=1)
    Decision(allowed=True, limit=10, remaining=2, retry_after=0.0)
    """
    index = math.floor(now / window)
    estimate = _estimate(window, index, prev, current, now)
    if estimate + cost <= limit:
        return Decision(True, limit, max(0, math.floor(limit - estimate - cost)), 0.0)
    remaining = max(0, math.floor(limit - estimate))
    if current + cost <= limit and prev > 0:
        # prev's weight must fall to (limit - current - cost) / prev within this window
        ready = index * window + window * (1 - (limit - current - cost) / prev)
    else:
        # Not in this window: in the next one, `current` becomes `prev`.
        ready = (index + 1) * window + window * max(0.0, 1 - (limit - cost) / current)

    def admits(t: float) -> bool:
        t = at(t)
        later = math.floor(t / window)
        if later == index:
            return _estimate(window, index, prev, current, t) + cost <= limit
        if later == index + 1:
            return _estimate(window, later, current, 0, t) + cost <= limit
        return cost <= limit

    start = now if reading is None else reading
    return Decision(False, limit, remaining, retry_wait(start, ready, admits))


def _estimate(window: float, index: int, prev: int, current: int, now: float) -> float:
    """``prev * (1 - elapsed / window) + current`` for window ``index`` at ``now``."""
    return prev * (1 - (now - index * window) / window) + current
