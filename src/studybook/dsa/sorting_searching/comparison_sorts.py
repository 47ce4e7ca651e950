"""Comparison sorts: insertion sort, merge sort, quicksort with three partition schemes, heapsort.

Each one uses only ``<`` on keys, like Python's own sort, so
:func:`~studybook.dsa.sorting_searching.measuring.count_comparisons` can count
its comparisons. Hoare, "Quicksort" (The Computer Journal, 1962); Dijkstra,
*A Discipline of Programming* (1976), chapter 14 (the Dutch national flag);
Williams, "Algorithm 232: Heapsort" and Floyd, "Algorithm 245: Treesort 3"
(CACM, 1964).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, TypeVar

from studybook.dsa.sorting_searching._check import Key, check_rng, identity

__all__ = [
    "heapsort",
    "hoare_partition",
    "insertion_sort",
    "lomuto_partition",
    "merge_sort",
    "quicksort",
    "three_way_partition",
]

T = TypeVar("T")

SCHEMES = ("hoare", "lomuto", "three-way")


def insertion_sort(items: list[T], *, key: Key | None = None) -> None:
    """Sort in place by inserting each item into the sorted prefix before it.

    Stable (an item moves left only past strictly greater ones) and fast on
    short or nearly sorted input: its cost is n plus the number of
    inversions. Timsort uses the binary-search variant for short runs.

    Args:
        items: the list to sort.
        key: optional sort key.

    Complexity: O(n + inversions) comparisons: O(n) best, O(n^2) worst; O(1) space.

    >>> data = [3, 1, 2]
    >>> insertion_sort(data); data
    [1, 2, 3]
    >>> words = ["bb", "a", "cc", "d"]
    >>> insertion_sort(words, key=len); words   # equal lengths keep their order
    ['a', 'd', 'bb', 'cc']
    """
    get = key or identity
    for i in range(1, len(items)):
        item, j = items[i], i - 1
        while j >= 0 and get(item) < get(items[j]):
            items[j + 1] = items[j]
            j -= 1
        items[j + 1] = item


def merge_sort(items: Sequence[T], *, key: Key | None = None) -> list[T]:
    """Return a sorted copy: sort each half recursively, then merge the halves.

    Stable, because the merge takes from the left half when keys are equal.
    T(n) = 2T(n/2) + Θ(n) = Θ(n log n) in every case. The recursion is
    ceil(log2 n) deep, far below Python's recursion limit.

    Args:
        items: any sequence of mutually comparable items.
        key: optional sort key.

    Returns:
        A new sorted list.

    Complexity: O(n log n) comparisons (at most n ceil(log2 n)), O(n) extra space.

    >>> merge_sort([4, 1, 3, 1]), merge_sort([])
    ([1, 1, 3, 4], [])
    >>> merge_sort([("b", 1), ("a", 2), ("b", 0)], key=lambda r: r[0])
    [('a', 2), ('b', 1), ('b', 0)]
    """
    get = key or identity
    if len(items) <= 1:
        return list(items)
    middle = len(items) // 2
    return _merge(merge_sort(items[:middle], key=key), merge_sort(items[middle:], key=key), get)


def _merge(left: list[T], right: list[T], get: Key) -> list[T]:
    merged: list[T] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if get(right[j]) < get(left[i]):  # strictly less: ties take the left item
            merged.append(right[j])
            j += 1
        else:
            merged.append(left[i])
            i += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged


# ---------------------------------------------------------------- partitions


def lomuto_partition(items: list[Any], lo: int, hi: int, *, key: Key | None = None) -> int:
    """Partition ``items[lo..hi]`` (inclusive) around the pivot ``items[hi]``.

    One left-to-right scan keeps ``items[lo:boundary] < pivot <=
    items[boundary:i]``; the pivot is swapped to ``boundary`` at the end.
    Simple, but every element equal to the pivot lands on the right, so
    many duplicates make it quadratic.

    Args:
        items: the list (modified in place).
        lo: first index of the range.
        hi: last index of the range (the pivot's position).
        key: optional sort key.

    Returns:
        The pivot's final index ``p``: ``items[lo:p] < items[p] <= items[p+1:hi+1]``.

    Raises:
        IndexError: if the range is empty or outside the list.

    Complexity: O(n) time (exactly hi - lo comparisons), O(1) space.

    >>> data = [7, 2, 9, 4, 5]
    >>> lomuto_partition(data, 0, 4), data
    (2, [2, 4, 5, 7, 9])
    >>> lomuto_partition([1, 2], 1, 0)
    Traceback (most recent call last):
    IndexError: need 0 <= lo <= hi < 2, got lo=1, hi=0
    """
    _check_range(items, lo, hi)
    get = key or identity
    pivot = get(items[hi])
    boundary = lo
    for i in range(lo, hi):
        if get(items[i]) < pivot:
            items[boundary], items[i] = items[i], items[boundary]
            boundary += 1
    items[boundary], items[hi] = items[hi], items[boundary]
    return boundary


def _check_range(items: Sequence[Any], lo: int, hi: int) -> None:
    for name, value in (("lo", lo), ("hi", hi)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {value!r}")
    if not 0 <= lo <= hi < len(items):
        raise IndexError(f"need 0 <= lo <= hi < {len(items)}, got lo={lo}, hi={hi}")


def hoare_partition(items: list[Any], lo: int, hi: int, *, key: Key | None = None) -> int:
    """Partition ``items[lo..hi]`` (inclusive) around the pivot ``items[lo]``, Hoare's way.

    Two indices move towards each other and swap pairs that are on the wrong
    side. Elements equal to the pivot stop both scans, so duplicates are
    spread over both sides and the split stays balanced; the price is a
    swap for every such pair (n/2 swaps when all keys are equal). The pivot
    itself is not necessarily at the returned index.

    Args:
        items: the list (modified in place).
        lo: first index of the range (the pivot's position).
        hi: last index of the range.
        key: optional sort key.

    Returns:
        ``j`` with lo <= j < hi (for a range of two or more) such that every
        item of ``items[lo:j+1]`` is <= every item of ``items[j+1:hi+1]``.

    Raises:
        IndexError: if the range is empty or outside the list.

    Complexity: O(n) time, n + O(1) comparisons; O(1) space.

    >>> data = [5, 3, 8, 1, 9, 2]
    >>> j = hoare_partition(data, 0, 5)
    >>> j, data, max(data[: j + 1]) <= min(data[j + 1 :])
    (2, [2, 3, 1, 8, 9, 5], True)
    """
    _check_range(items, lo, hi)
    get = key or identity
    pivot = get(items[lo])
    i, j = lo - 1, hi + 1
    while True:
        i += 1
        while get(items[i]) < pivot:
            i += 1
        j -= 1
        while pivot < get(items[j]):
            j -= 1
        if i >= j:
            return j
        items[i], items[j] = items[j], items[i]


def three_way_partition(
    items: list[Any], lo: int, hi: int, *, key: Key | None = None
) -> tuple[int, int]:
    """Partition ``items[lo..hi]`` into < pivot, == pivot, > pivot (pivot ``items[lo]``).

    Dijkstra's "Dutch national flag" (1976): one scan with three regions
    grows them from both ends. Keys equal to the pivot end up in the middle
    and are never looked at again, so an all-equal range is finished in one
    pass. Bentley and McIlroy (1993) later gave a variant with fewer swaps.

    Args:
        items: the list (modified in place).
        lo: first index of the range (the pivot's position).
        hi: last index of the range.
        key: optional sort key.

    Returns:
        ``(lt, gt)`` with ``items[lo:lt] < pivot``, ``items[lt:gt+1] == pivot``
        and ``items[gt+1:hi+1] > pivot`` (by key).

    Raises:
        IndexError: if the range is empty or outside the list.

    Complexity: O(n) time, at most 2(hi - lo) comparisons; O(1) space.

    >>> data = [1, 2, 0, 1, 2, 1, 0]
    >>> three_way_partition(data, 0, 6), data
    ((2, 4), [0, 0, 1, 1, 1, 2, 2])
    """
    _check_range(items, lo, hi)
    get = key or identity
    pivot = get(items[lo])
    lt, i, gt = lo, lo + 1, hi
    while i <= gt:  # items[lo:lt] < pivot == items[lt:i], items[gt+1:hi+1] > pivot
        value = get(items[i])
        if value < pivot:
            items[lt], items[i] = items[i], items[lt]
            lt, i = lt + 1, i + 1
        elif pivot < value:
            items[i], items[gt] = items[gt], items[i]
            gt -= 1
        else:
            i += 1
    return lt, gt


# ---------------------------------------------------------------- quicksort


def quicksort(
    items: list[T],
    *,
    scheme: str = "hoare",
    rng: random.Random | None = None,
    key: Key | None = None,
) -> None:
    """Sort in place by partitioning, then sorting each side.

    With ``rng`` the pivot is chosen uniformly at random, which makes the
    *expected* cost O(n log n) on every input; the worst case is still
    Θ(n^2), now reached only by unlucky pivots. Without it the pivot is
    fixed (last item for Lomuto, first for the others) and sorted input is
    the quadratic worst case. The ``"three-way"`` scheme also makes many
    equal keys cheap. The function recurses into the smaller side and loops
    on the larger, so the stack stays O(log n) deep even in the worst case.

    Args:
        items: the list to sort.
        scheme: ``"hoare"``, ``"lomuto"`` or ``"three-way"``.
        rng: a seeded ``random.Random`` for random pivots, or None for fixed pivots.
        key: optional sort key.

    Raises:
        ValueError: for an unknown scheme.
        TypeError: if ``rng`` is neither None nor a ``random.Random``.

    Complexity: O(n log n) expected with ``rng``, Θ(n^2) worst case; O(log n) stack.

    >>> data = [3, 6, 1, 8, 2, 9, 2]
    >>> quicksort(data, rng=random.Random(1)); data
    [1, 2, 2, 3, 6, 8, 9]
    >>> quicksort(data, scheme="shell")
    Traceback (most recent call last):
    ValueError: scheme must be 'hoare', 'lomuto' or 'three-way', got 'shell'
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be 'hoare', 'lomuto' or 'three-way', got {scheme!r}")
    check_rng(rng)
    _quicksort(items, 0, len(items) - 1, scheme, rng, key)


def _quicksort(
    items: list[Any], lo: int, hi: int, scheme: str, rng: random.Random | None, key: Key | None
) -> None:
    while lo < hi:
        if rng is not None:  # move a random pivot to where the scheme expects it
            r = rng.randint(lo, hi)
            target = hi if scheme == "lomuto" else lo
            items[r], items[target] = items[target], items[r]
        if scheme == "lomuto":
            p = lomuto_partition(items, lo, hi, key=key)
            left, right = (lo, p - 1), (p + 1, hi)
        elif scheme == "hoare":
            p = hoare_partition(items, lo, hi, key=key)
            left, right = (lo, p), (p + 1, hi)
        else:
            lt, gt = three_way_partition(items, lo, hi, key=key)
            left, right = (lo, lt - 1), (gt + 1, hi)
        # Recurse on the smaller side, loop on the larger: O(log n) stack depth.
        if left[1] - left[0] < right[1] - right[0]:
            _quicksort(items, left[0], left[1], scheme, rng, key)
            lo, hi = right
        else:
            _quicksort(items, right[0], right[1], scheme, rng, key)
            lo, hi = left


# ---------------------------------------------------------------- heapsort


def heapsort(items: list[T], *, key: Key | None = None) -> None:
    """Sort in place: build a max-heap, then repeatedly move the maximum to the end.

    Guaranteed O(n log n) with O(1) extra space, but not stable and, with
    its jumps across the array, less cache-friendly than quicksort. When
    all keys are equal every sift-down stops at once and the sort is linear.

    Args:
        items: the list to sort.
        key: optional sort key.

    Complexity: O(n log n) comparisons (2 n log2 n - O(n) on distinct keys,
    so well under 2 n log2 n at small n; O(n) when all keys are equal), O(1) space.

    >>> data = [4, 10, 3, 5, 1]
    >>> heapsort(data); data
    [1, 3, 4, 5, 10]
    >>> empty: list[int] = []
    >>> heapsort(empty); empty
    []
    """
    get = key or identity
    n = len(items)
    for start in range(n // 2 - 1, -1, -1):  # heapify bottom-up: O(n)
        _sift_down(items, start, n, get)
    for end in range(n - 1, 0, -1):
        items[0], items[end] = items[end], items[0]
        _sift_down(items, 0, end, get)


def _sift_down(items: list[Any], root: int, size: int, get: Key) -> None:
    while (child := 2 * root + 1) < size:
        if child + 1 < size and get(items[child]) < get(items[child + 1]):
            child += 1
        if not get(items[root]) < get(items[child]):
            return
        items[root], items[child] = items[child], items[root]
        root = child
