"""One example function per complexity class, plus best/average/worst case and space.

Every example takes an optional :class:`~studybook.dsa.big_o.counting.OpCounter`
and ticks it once per basic step, so its cost can be counted. Three of them
answer the same question (does a list hold a duplicate?) in O(n), O(n log n)
and O(n^2), and give the same answer on every input: a duplicate is two
positions whose values are ``==``. A value that is not equal to itself (a
float or Decimal NaN) therefore never counts, even twice the same object;
left alone, a set would match it by identity (``x in s`` tests ``x is e or
x == e``) and a sort would misplace the values around it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from studybook.dsa.big_o._check import check_int
from studybook.dsa.big_o.counting import Counted, OpCounter

__all__ = [
    "binary_search",
    "get_item",
    "has_duplicate_hashing",
    "has_duplicate_pairwise",
    "has_duplicate_sorting",
    "linear_search",
    "reverse_in_place",
    "reversed_copy",
    "search_cost_cases",
    "shortest_tour_brute_force",
    "subset_sum_brute_force",
]

T = TypeVar("T")


def get_item(items: Sequence[T], index: int, counter: OpCounter | None = None) -> T:
    """O(1): read one element by position, whatever the length of the list.

    A Python list stores pointers in one contiguous block, so the address of
    element ``i`` is computed, not searched for.

    Args:
        items: any sequence.
        index: the position to read.
        counter: ticked once.

    Returns:
        ``items[index]``.

    Raises:
        TypeError: if ``index`` is not an int (a bool is refused).
        IndexError: if ``index`` is out of range.

    Complexity: O(1) time, O(1) space.

    >>> get_item("abc", 1)
    'b'
    >>> get_item([], 0)
    Traceback (most recent call last):
    IndexError: index 0 out of range for a sequence of length 0
    """
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"index must be an int, got {index!r}")
    ops = counter if counter is not None else OpCounter()
    ops.tick()
    if not -len(items) <= index < len(items):
        raise IndexError(f"index {index} out of range for a sequence of length {len(items)}")
    return items[index]


def binary_search(items: Sequence[int], target: int, counter: OpCounter | None = None) -> int:
    """O(log n): find ``target`` in a sorted list by halving the range each probe.

    Args:
        items: sorted ascending.
        target: the value to find.
        counter: ticked once per probe.

    Returns:
        An index of ``target``, or -1 if absent (at most floor(log2 n) + 1 probes).

    Complexity: O(log n) time, O(1) space.

    >>> ops = OpCounter()
    >>> binary_search(list(range(0, 2000, 2)), 998, ops), ops.count
    (499, 1)
    >>> binary_search([], 5)
    -1
    """
    ops = counter if counter is not None else OpCounter()
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        ops.tick()
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def has_duplicate_hashing(items: Iterable[Any], counter: OpCounter | None = None) -> bool:
    """O(n): remember every element in a set; a repeat is seen on arrival.

    Args:
        items: hashable values (any iterable: it is read once).
        counter: ticked once per element examined.

    Returns:
        True if two positions hold ``==`` values. NaN equals nothing, itself
        included, so it is never a duplicate, as in the other two finders.

    Complexity: O(n) average time (set membership is O(1) on average), O(n) space.

    >>> has_duplicate_hashing([3, 1, 4, 1, 5]), has_duplicate_hashing([])
    (True, False)
    >>> nan = float("nan")
    >>> has_duplicate_hashing([nan, nan]), nan in {nan}    # a set matches by identity first
    (False, True)
    """
    ops = counter if counter is not None else OpCounter()
    seen = set()
    for item in items:
        ops.tick()
        if item != item:  # NaN: the set would match the same object by identity
            continue
        if item in seen:
            return True
        seen.add(item)
    return False


def has_duplicate_sorting(items: Iterable[Any], counter: OpCounter | None = None) -> bool:
    """O(n log n): sort a copy, then any duplicates sit next to each other.

    Sorting needs a total order, and NaN breaks it: every comparison with
    NaN is False, so ``sorted([1, nan, 1])`` leaves the two 1s apart. NaN
    is never a duplicate (it equals nothing), so it is dropped before sorting.

    Args:
        items: mutually comparable, totally ordered values (NaN allowed;
            any iterable: it is read once).
        counter: ticked once per comparison (the sort's and the scan's).

    Returns:
        True if two positions hold ``==`` values; NaN never counts.

    Complexity: O(n log n) time (the sort), O(n) space for the copy.

    >>> has_duplicate_sorting(["b", "a", "b"]), has_duplicate_sorting([7])
    (True, False)
    >>> nan = float("nan")
    >>> has_duplicate_sorting([1, nan, 1]), sorted([1, nan, 1])
    (True, [1, nan, 1])
    """
    ops = counter if counter is not None else OpCounter()
    comparable = [item for item in items if item == item]  # drop NaN, which equals nothing
    ordered = sorted(comparable, key=lambda item: Counted(item, ops))
    for left, right in itertools.pairwise(ordered):
        ops.tick()
        if left == right:
            return True
    return False


def has_duplicate_pairwise(items: Sequence[Any], counter: OpCounter | None = None) -> bool:
    """O(n^2): compare every pair, n(n-1)/2 comparisons when all are distinct.

    This is the definition the other two finders must match: ``==`` on two
    different positions, with no identity shortcut, so NaN never matches.

    Args:
        items: values comparable with ``==``.
        counter: ticked once per pair compared.

    Returns:
        True if two positions hold ``==`` values.

    Complexity: O(n^2) time, O(1) extra space.

    >>> ops = OpCounter()
    >>> has_duplicate_pairwise([1, 2, 3, 4], ops), ops.count
    (False, 6)
    >>> nan = float("nan")
    >>> has_duplicate_pairwise([nan, nan]), has_duplicate_pairwise([0.0, -0.0])
    (False, True)
    """
    ops = counter if counter is not None else OpCounter()
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            ops.tick()
            if items[i] == items[j]:
                return True
    return False


def subset_sum_brute_force(
    values: Sequence[int], target: int, counter: OpCounter | None = None
) -> tuple[int, ...] | None:
    """O(2^n): try every subset of ``values`` until one sums to ``target``.

    Each element is either in or out, so there are 2^n subsets to try.

    Args:
        values: the candidate integers.
        target: the sum to reach.
        counter: ticked once per subset tried.

    Returns:
        The first subset found (in order of size, then position), or None.

    Complexity: O(2^n * n) time including the sums, O(n) space.

    >>> subset_sum_brute_force([8, 3, 5, 9], 14)
    (5, 9)
    >>> ops = OpCounter()
    >>> subset_sum_brute_force([1, 2, 4], 100, ops) is None, ops.count
    (True, 8)
    """
    ops = counter if counter is not None else OpCounter()
    for size in range(len(values) + 1):
        for subset in itertools.combinations(values, size):
            ops.tick()
            if sum(subset) == target:
                return subset
    return None


def shortest_tour_brute_force(
    distances: Sequence[Sequence[float]], counter: OpCounter | None = None
) -> float:
    """O(n!): the travelling-salesman tour length by trying every order of the cities.

    City 0 is fixed as the start, so (n-1)! tours are tried.

    Args:
        distances: an n x n matrix, ``distances[i][j]`` from city i to j.
        counter: ticked once per tour tried.

    Returns:
        The length of the shortest closed tour (0 for a single city).

    Raises:
        ValueError: if the matrix is empty or not square, or holds a NaN
            (every comparison with NaN is False, so ``min`` would skip
            those tours silently).

    Complexity: O(n! * n) time, O(n) space.

    >>> shortest_tour_brute_force([[0, 1, 9], [1, 0, 2], [9, 2, 0]])
    12
    >>> shortest_tour_brute_force([[0, 1], [1]])
    Traceback (most recent call last):
    ValueError: distances must be a non-empty square matrix, got row lengths [2, 1]
    """
    n = len(distances)
    if n == 0 or any(len(row) != n for row in distances):
        lengths = [len(row) for row in distances]
        raise ValueError(f"distances must be a non-empty square matrix, got row lengths {lengths}")
    for i, row in enumerate(distances):
        for j, d in enumerate(row):
            if d != d:
                raise ValueError(f"distances[{i}][{j}] is NaN")
    ops = counter if counter is not None else OpCounter()
    best = math.inf
    for order in itertools.permutations(range(1, n)):
        ops.tick()
        tour = (0, *order, 0)
        best = min(best, sum(distances[a][b] for a, b in itertools.pairwise(tour)))
    return best if n > 1 else 0


# ---------------------------------------------------------------- best, average, worst


def linear_search(items: Sequence[Any], target: Any, counter: OpCounter | None = None) -> int:
    """Scan left to right; the cost depends on where ``target`` is.

    Args:
        items: any sequence.
        target: the value to find.
        counter: ticked once per comparison.

    Returns:
        The first index of ``target``, or -1.

    Complexity: best O(1), average O(n), worst O(n) time; O(1) space.

    >>> linear_search("hello", "l"), linear_search("hello", "z")
    (2, -1)
    """
    ops = counter if counter is not None else OpCounter()
    for i, item in enumerate(items):
        ops.tick()
        if item == target:
            return i
    return -1


def search_cost_cases(n: int) -> tuple[int, float, int]:
    """Count :func:`linear_search`'s comparisons: best, average and worst case.

    Best: the target is first. Average: the target is present and equally
    likely at each position. Worst: the target is absent.

    Args:
        n: list length (>= 1).

    Returns:
        ``(best, average, worst)`` comparison counts, measured by running.

    Raises:
        TypeError: if ``n`` is not an int.
        ValueError: if ``n < 1``.

    Complexity: O(n^2) (it runs every case).

    >>> search_cost_cases(9)
    (1, 5.0, 9)
    >>> search_cost_cases(0)
    Traceback (most recent call last):
    ValueError: n must be >= 1, got 0
    """
    check_int("n", n, 1)
    items = list(range(n))
    costs = []
    for target in [*items, -1]:
        ops = OpCounter()
        linear_search(items, target, ops)
        costs.append(ops.count)
    present = costs[:-1]
    return min(present), sum(present) / n, costs[-1]


# ---------------------------------------------------------------- space


def reversed_copy(items: Sequence[T]) -> list[T]:
    """Reverse into a new list: O(n) extra space.

    Complexity: O(n) time, O(n) extra space.

    >>> reversed_copy([1, 2, 3])
    [3, 2, 1]
    """
    return [items[i] for i in range(len(items) - 1, -1, -1)]


def reverse_in_place(items: list[T]) -> None:
    """Reverse by swapping ends towards the middle: O(1) extra space.

    Complexity: O(n) time, O(1) extra space (two indices).

    >>> data = [1, 2, 3, 4]
    >>> reverse_in_place(data); data
    [4, 3, 2, 1]
    """
    lo, hi = 0, len(items) - 1
    while lo < hi:
        items[lo], items[hi] = items[hi], items[lo]
        lo, hi = lo + 1, hi - 1
