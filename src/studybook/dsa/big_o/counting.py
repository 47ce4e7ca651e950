"""Measuring cost: count operations deterministically, or time them with care.

Two ways to get the cost of an operation at growing sizes, both feeding the
estimator in :mod:`studybook.dsa.big_o.estimator`: :func:`count_operations`
hands instrumented code an :class:`OpCounter` (or wraps values in
:class:`Counted` so every comparison is counted), and :func:`measure` times
one call per size, keeping the fastest of several runs.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from studybook.dsa.big_o._check import check_int

__all__ = ["Counted", "OpCounter", "count_operations", "measure"]

T = TypeVar("T")


class OpCounter:
    """A tally of basic steps that instrumented code adds to.

    Counting steps instead of timing them gives the same number on every run
    and every machine, which is what makes a complexity test stable.

    Complexity: O(1) per :meth:`tick`.

    >>> ops = OpCounter()
    >>> ops.tick(); ops.tick(3)
    >>> ops.count
    4
    >>> ops.tick(-1)
    Traceback (most recent call last):
    ValueError: steps must be >= 0, got -1
    >>> ops.tick(0.5)
    Traceback (most recent call last):
    TypeError: steps must be an int, got 0.5
    """

    def __init__(self) -> None:
        self.count = 0

    def tick(self, steps: int = 1) -> None:
        """Add ``steps`` (default 1) to the count.

        Args:
            steps: how many basic steps were just done.

        Raises:
            TypeError: if ``steps`` is not an int (a bool or a float is refused:
                a count is a whole number of steps).
            ValueError: if ``steps`` is negative.
        """
        self.count += check_int("steps", steps, 0)

    def __repr__(self) -> str:
        return f"OpCounter(count={self.count})"


class Counted:
    """A value whose comparisons are counted: wrap sort keys or heap items in it.

    Every ``<``, ``<=``, ``>``, ``>=`` and ``==`` between two ``Counted``
    objects ticks the counter once, so ``sorted``, ``heapq`` and
    ``bisect`` report how many comparisons they made. Hashing delegates to
    the wrapped value and is not counted.

    Args:
        value: the wrapped value.
        counter: the :class:`OpCounter` to tick.

    Complexity: O(1) per comparison, plus the wrapped comparison.

    >>> ops = OpCounter()
    >>> min([3, 1, 2], key=lambda v: Counted(v, ops)), ops.count
    (1, 2)
    >>> Counted(1, ops) < 2
    Traceback (most recent call last):
    TypeError: '<' not supported between instances of 'Counted' and 'int'
    """

    __slots__ = ("counter", "value")

    def __init__(self, value: Any, counter: OpCounter) -> None:
        self.value = value
        self.counter = counter

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Counted):
            return NotImplemented
        self.counter.tick()
        return bool(self.value < other.value)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Counted):
            return NotImplemented
        self.counter.tick()
        return bool(self.value <= other.value)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Counted):
            return NotImplemented
        self.counter.tick()
        return bool(self.value > other.value)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Counted):
            return NotImplemented
        self.counter.tick()
        return bool(self.value >= other.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Counted):
            return NotImplemented
        self.counter.tick()
        return bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Counted({self.value!r})"


def count_operations(
    operation: Callable[[T, OpCounter], object],
    make_input: Callable[[int], T],
    sizes: Sequence[int],
) -> list[int]:
    """Run ``operation(make_input(n), counter)`` for each ``n`` and return the counts.

    The operation receives a fresh :class:`OpCounter` per size and ticks it
    (directly, or through :class:`Counted` wrappers). The result feeds
    :func:`~studybook.dsa.big_o.estimator.fit_exponent` and
    :func:`~studybook.dsa.big_o.estimator.classify` exactly like
    :func:`measure`'s timings, but it is deterministic.

    Args:
        operation: instrumented code, called as ``operation(data, counter)``.
        make_input: builds the input of size ``n``.
        sizes: at least 3 positive sizes.

    Returns:
        The step count for each size, in order.

    Raises:
        ValueError: if ``sizes`` has fewer than 3 entries or a non-positive one.

    Complexity: the cost of the operations themselves.

    >>> def pairs(data, counter):
    ...     counter.tick(len(data) * (len(data) - 1) // 2)
    >>> count_operations(pairs, lambda n: list(range(n)), [10, 20, 40])
    [45, 190, 780]
    >>> count_operations(pairs, list, [1, 2])
    Traceback (most recent call last):
    ValueError: need at least 3 sizes to fit a curve, got 2: [1, 2]
    """
    _check_sizes(sizes)
    counts = []
    for n in sizes:
        counter = OpCounter()
        operation(make_input(n), counter)
        counts.append(counter.count)
    return counts


def _check_sizes(sizes: Sequence[int]) -> None:
    if len(sizes) < 3:
        raise ValueError(f"need at least 3 sizes to fit a curve, got {len(sizes)}: {list(sizes)!r}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ValueError(f"sizes must be positive integers, got {n!r}")
    if len(set(sizes)) < 2:
        raise ValueError(f"sizes must not all be equal, got {list(sizes)!r}")


def measure(
    operation: Callable[[T], object],
    make_input: Callable[[int], T],
    sizes: Sequence[int],
    *,
    repeats: int = 5,
    timer: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Time one call of ``operation`` per size; keep the fastest of ``repeats`` runs.

    The input is rebuilt before every run and outside the timed region, so an
    operation that mutates its input (an in-place sort) always sees a fresh
    one. The garbage collector is paused during each timed call, as
    ``timeit`` does, so that a collection triggered by earlier allocations
    is not billed to one size. The minimum is the right summary: noise from
    other processes only ever adds time.

    Args:
        operation: the code to time, called as ``operation(data)``.
        make_input: builds the input of size ``n``.
        sizes: at least 3 positive sizes.
        repeats: runs per size (at least 1).
        timer: a monotonic clock in seconds (inject a fake one in tests).

    Returns:
        The minimum elapsed time per size, in the timer's unit.

    Raises:
        TypeError: if ``repeats`` is not an int.
        ValueError: for bad ``sizes`` or ``repeats < 1``, or if the timer
            steps back (a wall clock that was adjusted: use a monotonic one).

    Complexity: ``repeats`` times the cost of the operations.

    >>> import itertools
    >>> fake_clock = itertools.count().__next__   # each reading is 1 tick later
    >>> measure(sorted, lambda n: list(range(n)), [10, 20, 40], timer=fake_clock)
    [1, 1, 1]
    >>> measure(sorted, list, [10, 20, 40], repeats=0)
    Traceback (most recent call last):
    ValueError: repeats must be >= 1, got 0
    """
    _check_sizes(sizes)
    check_int("repeats", repeats, 1)
    best_times = []
    for n in sizes:
        best = math.inf
        for _ in range(repeats):
            data = make_input(n)
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                start = timer()
                operation(data)
                elapsed = timer() - start
            finally:
                if gc_was_enabled:
                    gc.enable()
            if elapsed < 0:
                raise ValueError(
                    f"timer stepped back by {-elapsed!r} while timing n={n}; use a monotonic clock"
                )
            best = min(best, elapsed)
        best_times.append(best)
    return best_times
