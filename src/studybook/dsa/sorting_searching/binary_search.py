"""Binary search: lower and upper bound, search on the answer (integers and reals), rotated arrays.

Every search here keeps one invariant and halves the range it has not ruled
out: ``items[:lo] < target <= items[hi:]`` for :func:`lower_bound`, "false
below ``lo``, true from ``hi`` on" for a monotone predicate. Knuth, TAOCP
vol. 3, §6.2.1; Bentley, *Programming Pearls*, column 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from studybook.dsa.sorting_searching._check import Key, check_int, identity

__all__ = [
    "lower_bound",
    "min_ship_capacity",
    "search_on_answer",
    "search_on_real_answer",
    "search_rotated",
    "upper_bound",
]


def lower_bound(
    items: Sequence[Any], target: Any, lo: int = 0, hi: int | None = None, *, key: Key | None = None
) -> int:
    """The first index in ``items[lo:hi]`` whose value is not less than ``target``.

    Exactly :func:`bisect.bisect_left`: inserting ``target`` there keeps the
    list sorted, to the left of any equal values. ``key`` applies to the
    items, not to ``target``, as in ``bisect``. The loop never stops early
    on a match, so every search costs the same number of probes.

    Args:
        items: sorted ascending (by ``key``).
        target: the value to place.
        lo: start of the searched slice (>= 0).
        hi: end of the searched slice (default ``len(items)``).
        key: optional function applied to each item before comparing.

    Returns:
        ``i`` with ``items[lo:i] < target <= items[i:hi]``.

    Raises:
        TypeError: if ``lo`` or ``hi`` is not an int (bools and floats are
            refused; ``bisect`` would accept ``True``).
        ValueError: if ``lo`` is negative.

    Complexity: Θ(log n) comparisons in every case (floor(log2 n) or
    floor(log2 n) + 1 of them), O(1) space.

    >>> lower_bound([10, 20, 20, 30], 20), lower_bound([10, 20, 20, 30], 99), lower_bound([], 1)
    (1, 4, 0)
    >>> lower_bound([1, 2], 1, lo=-1)
    Traceback (most recent call last):
    ValueError: lo must be non-negative
    """
    hi = _check_slice(items, lo, hi)
    get = key or identity
    while lo < hi:  # invariant: items[:lo] < target <= items[hi:]
        mid = (lo + hi) // 2
        if get(items[mid]) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _check_slice(items: Sequence[Any], lo: int, hi: int | None) -> int:
    """Validate ``lo`` and ``hi`` as ``bisect`` does, refusing bools; return ``hi``."""
    for name, value in (("lo", lo), ("hi", hi)):
        if (name == "lo" or value is not None) and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            raise TypeError(f"{name} must be an int, got {value!r}")
    if lo < 0:
        raise ValueError("lo must be non-negative")  # bisect's own message
    return len(items) if hi is None else hi


def upper_bound(
    items: Sequence[Any], target: Any, lo: int = 0, hi: int | None = None, *, key: Key | None = None
) -> int:
    """The first index in ``items[lo:hi]`` whose value is greater than ``target``.

    Exactly :func:`bisect.bisect_right`. ``upper_bound - lower_bound`` counts
    the copies of ``target``.

    Args:
        items: sorted ascending (by ``key``).
        target: the value to place.
        lo: start of the searched slice (>= 0).
        hi: end of the searched slice (default ``len(items)``).
        key: optional function applied to each item before comparing.

    Returns:
        ``i`` with ``items[lo:i] <= target < items[i:hi]``.

    Raises:
        TypeError: if ``lo`` or ``hi`` is not an int (a bool is refused).
        ValueError: if ``lo`` is negative.

    Complexity: Θ(log n) comparisons in every case, O(1) space.

    >>> upper_bound([10, 20, 20, 30], 20), upper_bound([10, 20, 20, 30], 5)
    (3, 0)
    >>> upper_bound([1], 1, lo=-2)
    Traceback (most recent call last):
    ValueError: lo must be non-negative
    """
    hi = _check_slice(items, lo, hi)
    get = key or identity
    while lo < hi:  # invariant: items[:lo] <= target < items[hi:]
        mid = (lo + hi) // 2
        if target < get(items[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def search_on_answer(lo: int, hi: int, predicate: Callable[[int], bool]) -> int:
    """The smallest integer x in [lo, hi) with ``predicate(x)`` true, or ``hi`` if none.

    The predicate must be monotone: false, false, ..., true, true. Binary
    search then finds the boundary in O(log(hi - lo)) calls, which turns
    "minimise x such that x works" into a search.

    Args:
        lo: smallest candidate (an int).
        hi: one past the largest candidate (an int >= lo).
        predicate: monotone test of a candidate.

    Returns:
        The first x that passes, or ``hi``.

    Raises:
        TypeError: if ``lo`` or ``hi`` is not an int.
        ValueError: if ``hi < lo``.

    Complexity: O(log(hi - lo)) predicate calls.

    >>> search_on_answer(0, 100, lambda x: x * x >= 50)   # ceil(sqrt(50))
    8
    >>> search_on_answer(0, 10, lambda x: False)
    10
    >>> search_on_answer(5, 1, bool)
    Traceback (most recent call last):
    ValueError: need lo <= hi, got lo=5, hi=1
    """
    for name, value in (("lo", lo), ("hi", hi)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {value!r}")
    if hi < lo:
        raise ValueError(f"need lo <= hi, got lo={lo!r}, hi={hi!r}")
    while lo < hi:  # invariant: predicate false below lo, true from hi on
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def search_on_real_answer(
    lo: float, hi: float, predicate: Callable[[float], bool], *, tolerance: float = 1e-9
) -> float:
    """Approximate the boundary of a monotone predicate over the reals.

    On the reals there is no "next candidate", so the loop keeps
    ``predicate(lo)`` false and ``predicate(hi)`` true and halves the interval
    until it is shorter than ``tolerance``: ceil(log2((hi - lo) / tolerance))
    calls. It also stops when no float lies strictly between the ends, so a
    tolerance below the spacing of floats ends too, after at most about
    2,100 halvings (from 1e308 down to the subnormals). The answer is
    ``hi``, a point where the predicate holds.

    Args:
        lo: a finite point where the predicate is false (or the left end).
        hi: a finite point > ``lo`` where the predicate is true (or the right end).
        predicate: monotone: false then true as x grows.
        tolerance: the width at which to stop (> 0, finite).

    Returns:
        A point x with ``predicate(x)`` true (if ``predicate(hi)`` was) and
        the boundary in ``[x - tolerance, x]``.

    Raises:
        TypeError: if an argument is not a number.
        ValueError: if ``lo``, ``hi`` or ``tolerance`` is NaN or infinite,
            ``hi <= lo`` or ``tolerance <= 0``.

    Complexity: O(log((hi - lo) / tolerance)) predicate calls.

    >>> round(search_on_real_answer(0.0, 2.0, lambda x: x * x >= 2.0), 6)   # sqrt(2)
    1.414214
    >>> round(search_on_real_answer(-1e308, 1e308, lambda x: x >= 1.0), 6)   # hi - lo overflows
    1.0
    >>> search_on_real_answer(1.0, float("nan"), bool)
    Traceback (most recent call last):
    ValueError: hi must be finite, got nan
    """
    for name, value in (("lo", lo), ("hi", hi), ("tolerance", tolerance)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if not hi > lo:
        raise ValueError(f"need lo < hi, got lo={lo!r}, hi={hi!r}")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be positive, got {tolerance!r}")
    lo, hi = float(lo), float(hi)
    while hi - lo > tolerance:  # invariant: predicate false at lo, true at hi
        mid = lo + (hi - lo) / 2
        if not math.isfinite(mid):  # hi - lo overflowed (e.g. -1e308 to 1e308)
            mid = lo / 2 + hi / 2
        if mid in (lo, hi):  # the floats between lo and hi are exhausted
            break
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return hi


def search_rotated(items: Sequence[Any], target: Any) -> int:
    """Find ``target`` in a sorted list rotated by an unknown amount.

    ``[4, 5, 6, 0, 1, 2]`` is ``[0..6]`` rotated. Whichever half of the
    range the middle splits off, one of the two halves is sorted (its ends
    are in order); test whether the target lies within that one, and keep
    it or the other half. With duplicates the test can fail to tell: in
    ``[1, 0, 1, 1, 1]`` both ends equal the middle, so the loop can only
    drop the two ends, and the worst case becomes O(n).

    Args:
        items: values sorted ascending, then rotated (duplicates allowed).
        target: the value to find.

    Returns:
        An index of ``target``, or -1 if it is absent.

    Complexity: O(log n) comparisons on distinct values, O(n) worst case
    with duplicates; O(1) space.

    >>> search_rotated([4, 5, 6, 7, 0, 1, 2], 0), search_rotated([4, 5, 6, 7, 0, 1, 2], 3)
    (4, -1)
    >>> search_rotated([1, 0, 1, 1, 1], 0), search_rotated([], 1)
    (1, -1)
    """
    lo, hi = 0, len(items) - 1
    while lo <= hi:  # invariant: if target is present, it is in items[lo..hi]
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[lo] == items[mid] == items[hi]:  # cannot tell which half is sorted
            lo, hi = lo + 1, hi - 1  # neither end is the target: drop both
        elif items[lo] <= items[mid]:  # the left half items[lo..mid] is sorted
            if items[lo] <= target < items[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif items[mid] < target <= items[hi]:  # else the right half is sorted
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def min_ship_capacity(weights: Iterable[int], days: int) -> int:
    """Least ship capacity that carries ``weights``, in order, within ``days`` days.

    A worked "search on the answer": whether a capacity suffices is easy to
    test greedily and is monotone in the capacity, so binary search over
    capacities from ``max(weights)`` to ``sum(weights)`` finds the least one.
    Weights are whole numbers: the search steps through integer capacities,
    so a fractional weight would have no exact answer among them.

    Args:
        weights: positive int package weights, shipped in order (any
            iterable; it is copied first).
        days: number of days (an int >= 1).

    Returns:
        The minimum capacity.

    Raises:
        TypeError: for a weight or ``days`` that is not an int (floats, NaN
            and bools are refused).
        ValueError: for no packages, a non-positive weight or ``days < 1``.

    Complexity: O(n log(sum(weights))).

    >>> min_ship_capacity([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)
    15
    >>> min_ship_capacity([0.4, 0.4], 1)
    Traceback (most recent call last):
    TypeError: weights must be ints, got 0.4
    """
    weights = list(weights)  # read once: the checks must not use up an iterator
    check_int("days", days, 1)
    if not weights:
        raise ValueError(f"weights must be a non-empty list of positive ints, got {weights!r}")
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, int):
            raise TypeError(f"weights must be ints, got {w!r}")
        if w <= 0:
            raise ValueError(f"weights must be positive, got {w!r}")

    def fits(capacity: int) -> bool:
        needed, load = 1, 0
        for w in weights:
            if load + w > capacity:
                needed, load = needed + 1, 0
            load += w
        return needed <= days

    return search_on_answer(max(weights), sum(weights) + 1, fits)
