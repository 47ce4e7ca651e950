"""Retry delays: exponential backoff and the three jittered variants of the AWS Architecture Blog.

Marc Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog, 4 March
2015) writes the delays as::

    exponential:   sleep = min(cap, base * 2 ** attempt)
    full jitter:   sleep = random_between(0, min(cap, base * 2 ** attempt))
    equal jitter:  temp = min(cap, base * 2 ** attempt)
                   sleep = temp / 2 + random_between(0, temp / 2)
    decorrelated:  sleep = min(cap, random_between(base, sleep * 3))

with ``sleep`` starting at ``base`` for the decorrelated variant. Here
``attempt`` counts retries from 0. :func:`simulate_contention` replays the
post's experiment in miniature: clients that all want to update one row with
optimistic concurrency control, where only one write per time slot can commit.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass

from studybook._validate import check_int, check_real, check_rng

__all__ = [
    "STRATEGIES",
    "ContentionResult",
    "decorrelated_jitter",
    "equal_jitter",
    "exponential",
    "full_jitter",
    "simulate_contention",
]

STRATEGIES = ("exponential", "full", "equal", "decorrelated")
"""The four retry strategies the blog post compares."""


def exponential(attempt: int, base: float, cap: float) -> float:
    """Return ``min(cap, base * 2 ** attempt)``: exponential backoff without jitter.

    Raises:
        ValueError: ``attempt`` < 0, ``base`` not positive and finite, ``cap`` < ``base``.
        TypeError: a ``bool`` or non-number argument.

    Complexity: O(1).

    >>> [exponential(a, 0.1, 1.0) for a in range(6)]
    [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    >>> exponential(10**6, 0.1, 1.0)
    1.0
    >>> exponential(-1, 0.1, 1.0)
    Traceback (most recent call last):
        ...
    ValueError: attempt must be >= 0, got -1
    """
    check_int(attempt, "attempt", minimum=0)
    base = check_real(base, "base", positive=True)
    cap = check_real(cap, "cap", low=base)
    if attempt >= 1024:  # 2.0 ** 1024 overflows a float; the cap has long been reached
        return cap
    return min(cap, base * 2.0**attempt)


def full_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Return ``random_between(0, min(cap, base * 2 ** attempt))``.

    >>> round(full_jitter(3, 0.1, 1.0, random.Random(7)), 4)
    0.2591
    """
    return check_rng(rng).uniform(0.0, exponential(attempt, base, cap))


def equal_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Return ``temp / 2 + random_between(0, temp / 2)``, ``temp = min(cap, base * 2 ** attempt)``.

    >>> round(equal_jitter(3, 0.1, 1.0, random.Random(7)), 4)
    0.5295
    """
    temp = exponential(attempt, base, cap)
    return temp / 2 + check_rng(rng).uniform(0.0, temp / 2)


def decorrelated_jitter(previous: float, base: float, cap: float, rng: random.Random) -> float:
    """Return ``min(cap, random_between(base, previous * 3))``; the first ``previous`` is ``base``.

    Raises:
        ValueError: ``previous`` below ``base`` or not finite, ``cap`` < ``base``.

    >>> rng = random.Random(7); sleep = 0.1
    >>> for _ in range(4):
    ...     sleep = decorrelated_jitter(sleep, 0.1, 1.0, rng)
    >>> round(sleep, 4)
    0.168
    """
    base = check_real(base, "base", positive=True)
    cap = check_real(cap, "cap", low=base)
    previous = check_real(previous, "previous", low=base)
    check_rng(rng)
    return min(cap, rng.uniform(base, previous * 3))


@dataclass(frozen=True)
class ContentionResult:
    """Outcome of one contention run: total calls made and the slot in which the last one won."""

    clients: int
    strategy: str
    calls: int
    completion: int


def simulate_contention(
    clients: int,
    strategy: str,
    *,
    base: float = 1.0,
    cap: float = 1000.0,
    seed: int = 0,
) -> ContentionResult:
    """Run ``clients`` optimistic-concurrency writers against one row until every one commits.

    Time is cut into slots as long as one read-modify-write. All clients try in
    slot 0. In each slot the earliest attempt commits (the lowest client id on a
    tie) and every other attempt in that slot fails its version check, sleeps
    as ``strategy`` says and tries again in the slot its wake-up time falls in.
    Without jitter the losers stay in lockstep, so one client wins per round
    and the calls add up to ``clients * (clients + 1) / 2``.

    Args:
        clients: number of writers, in [1, 10,000].
        strategy: one of :data:`~studybook.infra.load_balancing.backoff.STRATEGIES`.
        base, cap: the backoff's base and cap, in slots.
        seed: seeds the jitter.

    Returns:
        Calls made (the work the row's server did) and the completion slot.

    Raises:
        ValueError: an unknown strategy or an argument out of range.

    Complexity: O(calls * log(clients)).

    >>> simulate_contention(10, "exponential")
    ContentionResult(clients=10, strategy='exponential', calls=55, completion=521)
    >>> simulate_contention(10, "full").calls < 55
    True
    >>> simulate_contention(10, "none")
    Traceback (most recent call last):
        ...
    ValueError: strategy must be one of ('exponential', 'full', 'equal', 'decorrelated'), got 'none'
    """
    check_int(clients, "clients", minimum=1, maximum=10_000)
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES!r}, got {strategy!r}")
    base = check_real(base, "base", positive=True)
    cap = check_real(cap, "cap", low=base)
    check_int(seed, "seed")
    rng = random.Random(seed)  # noqa: S311 - reproducible jitter, not crypto
    retries = [0] * clients
    previous = [base] * clients
    pending = [(0.0, c) for c in range(clients)]  # (time of the next attempt, client)
    calls = completion = 0
    while pending:
        slot = math.floor(pending[0][0])
        contenders = []
        while pending and math.floor(pending[0][0]) == slot:
            contenders.append(heapq.heappop(pending)[1])
        calls += len(contenders)
        completion = slot + 1
        for loser in contenders[1:]:
            sleep = _next_sleep(strategy, retries[loser], previous[loser], base, cap, rng)
            retries[loser] += 1
            previous[loser] = max(sleep, base)
            heapq.heappush(pending, (slot + 1 + sleep, loser))
    return ContentionResult(clients, strategy, calls, completion)


def _next_sleep(
    strategy: str, attempt: int, previous: float, base: float, cap: float, rng: random.Random
) -> float:
    if strategy == "exponential":
        return exponential(attempt, base, cap)
    if strategy == "full":
        return full_jitter(attempt, base, cap, rng)
    if strategy == "equal":
        return equal_jitter(attempt, base, cap, rng)
    return decorrelated_jitter(previous, base, cap, rng)
