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
    "EPSILON",
    "BaseLimiter",
    "Decision",
    "FixedWindow",
    "LeakyBucket",
    "RateLimiter",
    "SlidingLog",
    "SlidingWindowCounter",
    "TokenBucket",
    "sliding_counter_decision",
]

EPSILON = 1e-9
"""Tolerance in comparisons, so that waiting exactly ``retry_after`` always suffices
despite floating-point rounding (``0.1 + 0.2 != 0.3``)."""


@dataclass(frozen=True)
class Decision:
    """The answer to one request.

    Attributes:
        allowed: whether the request may proceed.
        limit: the configured ``limit``.
        remaining: how many more cost-1 requests would be allowed right now.
        retry_after: seconds until this request (same cost) would be allowed; 0 if allowed.
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: float


@runtime_checkable
class RateLimiter(Protocol):
    """What every limiter offers, local or over Redis."""

    limit: int
    window: float

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Decide one request of weight ``cost`` for ``key`` and record it if allowed."""
        ...


class BaseLimiter:
    """Validation and the ``limit``/``window``/``clock`` attributes shared by every limiter.

    Raises:
        ValueError: ``limit`` is not a positive integer or ``window`` not a positive number.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        if not window > 0 or math.isinf(window):
            raise ValueError(f"window must be a positive number of seconds, got {window!r}")
        self.limit = limit
        self.window = float(window)
        self.clock = clock

    def _check_cost(self, cost: int) -> None:
        if isinstance(cost, bool) or not isinstance(cost, int) or not 1 <= cost <= self.limit:
            raise ValueError(f"cost must be an integer in 1..{self.limit}, got {cost!r}")


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
        self._check_cost(cost)
        now = self.clock()
        tokens, last = self._state.get(key, (float(self.limit), now))
        tokens = min(float(self.limit), tokens + (now - last) * self.rate)
        if tokens + EPSILON >= cost:
            tokens = max(0.0, tokens - cost)
            self._state[key] = (tokens, now)
            return Decision(True, self.limit, math.floor(tokens), 0.0)
        self._state[key] = (tokens, now)
        return Decision(False, self.limit, math.floor(tokens), (cost - tokens) / self.rate)


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
        self._check_cost(cost)
        now = self.clock()
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + cost * self.interval
        allow_at = new_tat - self.window
        if allow_at > now + EPSILON:
            remaining = _gcra_remaining(tat, now, self.window, self.interval)
            return Decision(False, self.limit, remaining, allow_at - now)
        self._tat[key] = new_tat
        return Decision(
            True, self.limit, _gcra_remaining(new_tat, now, self.window, self.interval), 0.0
        )


def _gcra_remaining(tat: float, now: float, window: float, interval: float) -> int:
    """Cost-1 requests still allowed now, given the theoretical arrival time ``tat``."""
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
        self._check_cost(cost)
        now = self.clock()
        index = math.floor(now / self.window)
        seen, count = self._counts.get(key, (index, 0))
        if seen != index:
            count = 0
        if count + cost <= self.limit:
            self._counts[key] = (index, count + cost)
            return Decision(True, self.limit, self.limit - count - cost, 0.0)
        self._counts[key] = (index, count)
        return Decision(False, self.limit, self.limit - count, (index + 1) * self.window - now)


class SlidingLog(BaseLimiter):
    """Keep the time of every allowed request; allow if the last ``window`` holds room.

    Exact (no boundary burst), at the price of O(limit) memory per key. A request
    recorded at ``t`` counts while ``now - t < window``.

    Complexity: O(1) amortised per request; O(limit) space per key.

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

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Record ``cost`` at the current time if the window has room for it.

        Complexity: O(expired entries) amortised O(1).
        """
        self._check_cost(cost)
        now = self.clock()
        log = self._logs.setdefault(key, deque())
        while log and now - log[0][0] >= self.window:
            log.popleft()
        used = sum(c for _, c in log)
        if used + cost <= self.limit:
            log.append((now, cost))
            return Decision(True, self.limit, self.limit - used - cost, 0.0)
        # Wait until enough of the oldest entries leave the window.
        freed = 0
        for stamp, c in log:
            freed += c
            if used - freed + cost <= self.limit:
                return Decision(False, self.limit, self.limit - used, stamp + self.window - now)
        raise AssertionError("unreachable: cost <= limit")  # pragma: no cover


class SlidingWindowCounter(BaseLimiter):
    """Approximate a sliding window from two fixed-window counters.

    With ``elapsed`` the time since the current window started, the estimate is
    ``count = prev * (1 - elapsed / window) + current`` and a request is allowed
    iff ``count + cost <= limit``: the previous window's requests are assumed to
    have been spread evenly. O(1) memory like a fixed window, with no 2x burst at
    the boundary; exact when traffic is uniform.

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
        self._check_cost(cost)
        now = self.clock()
        index = math.floor(now / self.window)
        seen, prev, current = self._counts.get(key, (index, 0, 0))
        if seen == index - 1:
            prev, current = current, 0
        elif seen != index:
            prev, current = 0, 0
        elapsed = now - index * self.window
        decision = sliding_counter_decision(self.limit, self.window, prev, current, elapsed, cost)
        self._counts[key] = (index, prev, current + cost if decision.allowed else current)
        return decision


def sliding_counter_decision(
    limit: int, window: float, prev: int, current: int, elapsed: float, cost: int
) -> Decision:
    """The sliding-window-counter rule on raw counts (shared with the Redis version).

    >>> sliding_counter_decision(10, 60.0, prev=8, current=3, elapsed=30.0, cost=1)
    Decision(allowed=True, limit=10, remaining=2, retry_after=0.0)
    """
    weight = 1 - elapsed / window
    estimate = prev * weight + current
    if estimate + cost <= limit + EPSILON:
        return Decision(True, limit, max(0, math.floor(limit - estimate - cost)), 0.0)
    remaining = max(0, math.floor(limit - estimate))
    if current + cost <= limit and prev > 0:
        # prev's weight must fall to (limit - current - cost) / prev within this window
        needed = window * (1 - (limit - current - cost) / prev)
        return Decision(False, limit, remaining, max(0.0, needed - elapsed))
    # Not in this window: in the next one, `current` becomes `prev`.
    until_next = window - elapsed
    needed = window * (1 - (limit - cost) / (current + 0.0)) if current else 0.0
    return Decision(False, limit, remaining, until_next + max(0.0, needed))
