"""Epidemic (gossip) dissemination: rounds until everyone knows, and why it is O(log n).

One node knows a rumour. Each round, every node calls one other node chosen
uniformly at random (the "random phone call" model). In **push**, informed
callers tell the callee; in **pull**, uninformed callers ask the callee; in
**push-pull**, both. The number of informed nodes roughly doubles per round
while few know (push), and the uninformed fraction roughly squares per round
once most know (pull), so every variant finishes in O(log n) rounds.

The simulation is round-based over a ``bytearray`` of flags (one byte per
node), not per-message events, so n = 10,000 costs milliseconds per round:
the quantity measured is rounds, and the event simulator's per-message
delays would only blur it.

============================  =====================================
quantity                      value
============================  =====================================
push, rounds to inform all    log2 n + ln n + O(1)   (Pittel 1987)
push-pull, rounds             log3 n + O(log log n)  (Karp et al. 2000)
cost of one simulated round   O(n)
============================  =====================================

>>> spread_rounds(1000, seed=1, mode="push-pull"), spread_rounds(1000, seed=1, mode="push")
(9, 18)

Primary sources: A. Demers et al., "Epidemic Algorithms for Replicated
Database Maintenance", PODC 1987; B. Pittel, "On Spreading a Rumor", SIAM J.
Appl. Math. 47(1), 1987; R. Karp, C. Schindelhauer, S. Shenker, B. Vöcking,
"Randomized Rumor Spreading", FOCS 2000.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_LOSS",
    "MAX_NODES",
    "MAX_TRIALS",
    "MODES",
    "LogFit",
    "fit_log2",
    "mean_rounds",
    "spread_rounds",
]

#: The dissemination styles :func:`spread_rounds` simulates.
MODES = ("push", "pull", "push-pull")

#: Largest n accepted (enough to show the trend, small enough to stay fast).
MAX_NODES = 1_000_000

#: Highest loss accepted. Rounds grow like 1 / (1 - loss), so a loss of
#: 0.999999 would run for hours; 0.99 already shows the trend.
MAX_LOSS = 0.99

#: Most trials :func:`mean_rounds` runs.
MAX_TRIALS = 10_000


def spread_rounds(n: int, *, seed: int, mode: str = "push", loss: float = 0.0) -> int:
    """Rounds until all ``n`` nodes know a rumour that starts at node 0.

    Args:
        n: number of nodes, ``1 <= n <= 1,000,000``.
        seed: seeds the random calls (an ``int >= 0``).
        mode: ``"push"``, ``"pull"`` or ``"push-pull"``.
        loss: probability that one call's exchange is lost, in ``[0, 0.99]``.

    Raises:
        TypeError: ``n`` or ``seed`` not an int (or a bool), ``loss`` not a number.
        ValueError: ``n`` out of range, a negative seed, an unknown mode,
            ``loss`` outside ``[0, 0.99]`` or NaN.

    Complexity: O(n · rounds) time, O(n) memory; rounds grow like
    ``log n / (1 - loss)``.

    >>> spread_rounds(1, seed=0), spread_rounds(2, seed=0)
    (0, 1)
    >>> spread_rounds(10, seed=0, mode="flood")
    Traceback (most recent call last):
    ValueError: mode must be one of ('push', 'pull', 'push-pull'), got 'flood'
    """
    for value, name in ((n, "n"), (seed, "seed")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if not 1 <= n <= MAX_NODES:
        raise ValueError(f"n must be in [1, {MAX_NODES}], got {n!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed!r}")
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if isinstance(loss, bool) or not isinstance(loss, (int, float)):
        raise TypeError(f"loss must be a number, got {type(loss).__name__}: {loss!r}")
    if not 0 <= loss <= MAX_LOSS:  # also rejects NaN: every comparison with NaN is false
        raise ValueError(f"loss must be in [0, {MAX_LOSS}], got {loss!r}")
    rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not crypto
    informed = bytearray(n)
    informed[0] = 1
    count, rounds = 1, 0
    push, pull = mode != "pull", mode != "push"
    while count < n:
        rounds += 1
        before = bytes(informed)  # a round's calls all see the state at its start
        # only calls that can change something are drawn: informed callers in
        # push, uninformed ones in pull (halves the work; same distribution)
        if mode == "push":
            callers: Iterable[int] = [i for i in range(n) if before[i]]
        elif mode == "pull":
            callers = [i for i in range(n) if not before[i]]
        else:
            callers = range(n)
        for caller in callers:
            callee = int(rng.random() * (n - 1))  # faster than randrange, uniform enough
            callee += callee >= caller  # uniform over the other n - 1 nodes
            if loss and rng.random() < loss:
                continue
            if push and before[caller] and not informed[callee]:
                informed[callee] = 1
                count += 1
            elif pull and before[callee] and not informed[caller]:
                informed[caller] = 1
                count += 1
    return rounds


def mean_rounds(n: int, *, trials: int, seed: int = 0, mode: str = "push") -> float:
    """Mean of :func:`spread_rounds` over ``trials`` seeds ``seed, seed + 1, ...``.

    Raises:
        TypeError: as :func:`spread_rounds`, or ``trials`` not an int (a bool included).
        ValueError: as :func:`spread_rounds`, or ``trials`` outside ``[1, 10,000]``.

    Complexity: ``trials`` times that of :func:`spread_rounds`.

    >>> mean_rounds(100, trials=4, mode="pull")
    9.75
    """
    if isinstance(trials, bool) or not isinstance(trials, int):
        raise TypeError(f"trials must be an int, got {type(trials).__name__}: {trials!r}")
    if not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials must be in [1, {MAX_TRIALS}], got {trials!r}")
    total = sum(spread_rounds(n, seed=seed + t, mode=mode) for t in range(trials))
    return total / trials


@dataclass(frozen=True)
class LogFit:
    """Least-squares fit ``rounds ≈ slope · log2(n) + intercept``, with its residuals."""

    slope: float
    intercept: float
    residuals: tuple[float, ...]

    def predict(self, n: float) -> float:
        """Fitted rounds at ``n``."""
        return self.slope * math.log2(n) + self.intercept


def fit_log2(ns: Sequence[int], rounds: Sequence[float]) -> LogFit:
    """Fit ``rounds ≈ a · log2(n) + b`` by ordinary least squares.

    Raises:
        TypeError: ``ns`` or ``rounds`` is not a sequence (a generator has no length).
        ValueError: different lengths, fewer than two distinct ``n``, an
            ``n < 1``, or a non-finite value.

    Complexity: O(len(ns)).

    >>> fit = fit_log2([2, 4, 8], [3.0, 5.0, 7.0])
    >>> fit.slope, fit.intercept, fit.residuals
    (2.0, 1.0, (0.0, 0.0, 0.0))
    >>> fit_log2([8, 8], [1.0, 2.0])
    Traceback (most recent call last):
    ValueError: need at least two distinct n, got [8, 8]
    """
    arguments: tuple[tuple[str, object], ...] = (("ns", ns), ("rounds", rounds))
    for name, values in arguments:
        if isinstance(values, str) or not isinstance(values, Sequence):
            raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}")
    if len(ns) != len(rounds):
        raise ValueError(f"ns and rounds differ in length: {len(ns)} != {len(rounds)}")
    if not all(_finite(n) and n >= 1 for n in ns):
        raise ValueError(f"every n must be a finite number >= 1, got {list(ns)!r}")
    if not all(_finite(r) for r in rounds):
        raise ValueError(f"every rounds value must be finite, got {list(rounds)!r}")
    if len(set(ns)) < 2:
        raise ValueError(f"need at least two distinct n, got {list(ns)!r}")
    xs = [math.log2(n) for n in ns]
    mean_x, mean_y = sum(xs) / len(xs), sum(rounds) / len(rounds)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, rounds, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    residuals = tuple(y - (slope * x + intercept) for x, y in zip(xs, rounds, strict=True))
    return LogFit(slope, intercept, residuals)


def _finite(value: object) -> bool:
    """A finite int or float, not a bool (``math.isfinite`` overflows on huge ints)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
