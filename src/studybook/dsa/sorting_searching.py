"""Sorting and searching: binary search and its variants, the classic sorts, and their limits.

Why interviewers ask: binary search is the most common source of off-by-one
bugs in coding rounds, "search on the answer" turns optimisation problems
into decision problems, and the sorts are where divide and conquer,
partitioning, heaps, stability and lower bounds all meet. You are expected
to write a correct partition or merge from memory and to say why Python's
own sort is fast.

Invariants: binary search keeps ``items[:lo] < target <= items[hi:]``;
a partition leaves the pivot with nothing greater on its left and nothing
smaller on its right; a merge of two sorted runs is sorted and, taking from
the left run on ties, stable.

========================  ===========  ===========  ===========  ========  ======
Algorithm                 Best         Average      Worst        Space     Stable
========================  ===========  ===========  ===========  ========  ======
:func:`lower_bound`       O(1)         O(log n)     O(log n)     O(1)      -
:func:`insertion_sort`    O(n)         O(n^2)       O(n^2)       O(1)      yes
:func:`merge_sort`        O(n log n)   O(n log n)   O(n log n)   O(n)      yes
:func:`quicksort`         O(n log n)   O(n log n)   O(n^2)       O(log n)  no
:func:`heapsort`          O(n log n)   O(n log n)   O(n log n)   O(1)      no
:func:`counting_sort`     O(n + k)     O(n + k)     O(n + k)     O(n + k)  yes
:func:`radix_sort`        O(d(n + b))  O(d(n + b))  O(d(n + b))  O(n + b)  yes
:func:`quickselect`       O(n)         O(n)         O(n^2)       O(1)      -
========================  ===========  ===========  ===========  ========  ======

>>> data = [5, 2, 9, 1, 5, 6]
>>> merge_sort(data), lower_bound([1, 2, 5, 5, 6, 9], 5), upper_bound([1, 2, 5, 5, 6, 9], 5)
([1, 2, 5, 5, 6, 9], 2, 4)
>>> shuffled = random.Random(7).sample(range(1024), 1024)
>>> comparison_lower_bound(1024), count_comparisons(merge_sort, shuffled)
(8770, 8958)

Primary sources: Hoare, "Quicksort" (The Computer Journal, 1962); Knuth,
The Art of Computer Programming vol. 3, "Sorting and Searching" (1998);
Bentley and McIlroy, "Engineering a Sort Function" (1993); Tim Peters,
``Objects/listsort.txt`` in CPython.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

from studybook.dsa.big_o import Counted, OpCounter

__all__ = [
    "comparison_lower_bound",
    "count_comparisons",
    "count_runs",
    "counting_sort",
    "demo",
    "heapsort",
    "hoare_partition",
    "insertion_sort",
    "lomuto_partition",
    "lower_bound",
    "merge_sort",
    "min_ship_capacity",
    "quickselect",
    "quicksort",
    "radix_sort",
    "search_on_answer",
    "upper_bound",
]

T = TypeVar("T")
Key = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


# ---------------------------------------------------------------- binary search


def lower_bound(
    items: Sequence[Any], target: Any, lo: int = 0, hi: int | None = None, *, key: Key | None = None
) -> int:
    """The first index in ``items[lo:hi]`` whose value is not less than ``target``.

    Exactly :func:`bisect.bisect_left`: inserting ``target`` there keeps the
    list sorted, to the left of any equal values. ``key`` applies to the
    items, not to ``target``, as in ``bisect``.

    Args:
        items: sorted ascending (by ``key``).
        target: the value to place.
        lo: start of the searched slice (>= 0).
        hi: end of the searched slice (default ``len(items)``).
        key: optional function applied to each item before comparing.

    Returns:
        ``i`` with ``items[lo:i] < target <= items[i:hi]``.

    Raises:
        ValueError: if ``lo`` is negative.

    Complexity: O(log n) comparisons, O(1) space.

    >>> lower_bound([10, 20, 20, 30], 20), lower_bound([10, 20, 20, 30], 99), lower_bound([], 1)
    (1, 4, 0)
    >>> lower_bound([1, 2], 1, lo=-1)
    Traceback (most recent call last):
    ValueError: lo must be non-negative
    """
    if lo < 0:
        raise ValueError("lo must be non-negative")  # bisect's own message
    if hi is None:
        hi = len(items)
    get = key or _identity
    while lo < hi:  # invariant: items[:lo] < target <= items[hi:]
        mid = (lo + hi) // 2
        if get(items[mid]) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


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
        ValueError: if ``lo`` is negative.

    Complexity: O(log n) comparisons, O(1) space.

    >>> upper_bound([10, 20, 20, 30], 20), upper_bound([10, 20, 20, 30], 5)
    (3, 0)
    >>> upper_bound([1], 1, lo=-2)
    Traceback (most recent call last):
    ValueError: lo must be non-negative
    """
    if lo < 0:
        raise ValueError("lo must be non-negative")
    if hi is None:
        hi = len(items)
    get = key or _identity
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
        lo: smallest candidate.
        hi: one past the largest candidate (>= lo).
        predicate: monotone test of a candidate.

    Returns:
        The first x that passes, or ``hi``.

    Raises:
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
    if hi < lo:
        raise ValueError(f"need lo <= hi, got lo={lo!r}, hi={hi!r}")
    while lo < hi:  # invariant: predicate false below lo, true from hi on
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def min_ship_capacity(weights: Sequence[int], days: int) -> int:
    """Least ship capacity that carries ``weights``, in order, within ``days`` days.

    A worked "search on the answer": whether a capacity suffices is easy to
    test greedily and is monotone in the capacity, so binary search over
    capacities from ``max(weights)`` to ``sum(weights)`` finds the least one.

    Args:
        weights: positive package weights, shipped in order.
        days: number of days (>= 1).

    Returns:
        The minimum capacity.

    Raises:
        ValueError: for no packages, a non-positive weight or ``days < 1``.

    Complexity: O(n log(sum(weights))).

    >>> min_ship_capacity([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)
    15
    >>> min_ship_capacity([3, 2, 2, 4, 1, 4], 3)
    6
    >>> min_ship_capacity([1, 2], 0)
    Traceback (most recent call last):
    ValueError: days must be >= 1, got 0
    """
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days!r}")
    if not weights or min(weights) <= 0:
        raise ValueError(f"weights must be a non-empty list of positive ints, got {weights!r}")

    def fits(capacity: int) -> bool:
        needed, load = 1, 0
        for w in weights:
            if load + w > capacity:
                needed, load = needed + 1, 0
            load += w
        return needed <= days

    return search_on_answer(max(weights), sum(weights) + 1, fits)


# ---------------------------------------------------------------- simple and merge sorts


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
    get = key or _identity
    for i in range(1, len(items)):
        item, j = items[i], i - 1
        while j >= 0 and get(item) < get(items[j]):
            items[j + 1] = items[j]
            j -= 1
        items[j + 1] = item


def merge_sort(items: Sequence[T], *, key: Key | None = None) -> list[T]:
    """Return a sorted copy: sort each half recursively, then merge the halves.

    Stable, because the merge takes from the left half when keys are equal.
    T(n) = 2T(n/2) + O(n) = O(n log n) in every case.

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
    get = key or _identity
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


# ---------------------------------------------------------------- quicksort


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
    get = key or _identity
    pivot = get(items[hi])
    boundary = lo
    for i in range(lo, hi):
        if get(items[i]) < pivot:
            items[boundary], items[i] = items[i], items[boundary]
            boundary += 1
    items[boundary], items[hi] = items[hi], items[boundary]
    return boundary


def _check_range(items: Sequence[Any], lo: int, hi: int) -> None:
    if not 0 <= lo <= hi < len(items):
        raise IndexError(f"need 0 <= lo <= hi < {len(items)}, got lo={lo}, hi={hi}")


def hoare_partition(items: list[Any], lo: int, hi: int, *, key: Key | None = None) -> int:
    """Partition ``items[lo..hi]`` (inclusive) around the pivot ``items[lo]``, Hoare's way.

    Two indices move towards each other and swap pairs that are on the wrong
    side. Elements equal to the pivot stop both scans, so duplicates are
    spread over both sides and the split stays balanced. The pivot itself
    is not necessarily at the returned index.

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

    Complexity: O(n) time, about a third as many swaps as Lomuto on random input; O(1) space.

    >>> data = [5, 3, 8, 1, 9, 2]
    >>> j = hoare_partition(data, 0, 5)
    >>> j, data, max(data[: j + 1]) <= min(data[j + 1 :])
    (2, [2, 3, 1, 8, 9, 5], True)
    """
    _check_range(items, lo, hi)
    get = key or _identity
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


def quicksort(
    items: list[T],
    *,
    scheme: str = "hoare",
    rng: random.Random | None = None,
    key: Key | None = None,
) -> None:
    """Sort in place by partitioning, then sorting each side.

    With ``rng`` the pivot is chosen uniformly at random, which makes the
    expected cost O(n log n) on *every* input (about 1.39 n log2 n
    comparisons). Without it the pivot is fixed (last item for Lomuto,
    first for Hoare) and sorted input is the quadratic worst case. The
    function recurses into the smaller side and loops on the larger, so the
    stack stays O(log n) deep even then.

    Args:
        items: the list to sort.
        scheme: ``"hoare"`` or ``"lomuto"``.
        rng: a seeded ``random.Random`` for random pivots, or None for fixed pivots.
        key: optional sort key.

    Raises:
        ValueError: for an unknown scheme.

    Complexity: O(n log n) expected with ``rng``, O(n^2) worst case; O(log n) stack.

    >>> data = [3, 6, 1, 8, 2, 9, 2]
    >>> quicksort(data, rng=random.Random(1)); data
    [1, 2, 2, 3, 6, 8, 9]
    >>> quicksort(data, scheme="shell")
    Traceback (most recent call last):
    ValueError: scheme must be 'hoare' or 'lomuto', got 'shell'
    """
    if scheme not in ("hoare", "lomuto"):
        raise ValueError(f"scheme must be 'hoare' or 'lomuto', got {scheme!r}")
    lo, hi = 0, len(items) - 1
    _quicksort(items, lo, hi, scheme, rng, key)


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
        else:
            p = hoare_partition(items, lo, hi, key=key)
            left, right = (lo, p), (p + 1, hi)
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
    its jumps across the array, less cache-friendly than quicksort.

    Args:
        items: the list to sort.
        key: optional sort key.

    Complexity: O(n log n) comparisons in every case (about 2 n log2 n), O(1) space.

    >>> data = [4, 10, 3, 5, 1]
    >>> heapsort(data); data
    [1, 3, 4, 5, 10]
    >>> empty: list[int] = []
    >>> heapsort(empty); empty
    []
    """
    get = key or _identity
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


# ---------------------------------------------------------------- non-comparison sorts


def counting_sort(items: Sequence[T], *, key: Callable[[T], int] | None = None) -> list[T]:
    """Stable sort by small non-negative integer keys, without comparing items.

    Count each key, turn the counts into starting positions (prefix sums),
    then place the items in input order. Stability is what lets radix sort
    build on it.

    Args:
        items: the items; with no ``key`` they must be non-negative ints.
        key: maps an item to a non-negative int.

    Returns:
        A new list, sorted by key, equal keys in input order.

    Raises:
        ValueError: if a key is negative.

    Complexity: O(n + k) time and space, k = largest key + 1.

    >>> counting_sort([3, 0, 2, 3, 1])
    [0, 1, 2, 3, 3]
    >>> counting_sort(["bob", "al", "cy", "eve"], key=len)
    ['al', 'cy', 'bob', 'eve']
    >>> counting_sort([2, -1])
    Traceback (most recent call last):
    ValueError: counting_sort needs non-negative int keys, got -1
    """
    get: Callable[[T], int] = key or _identity
    keys = [get(item) for item in items]
    for k in keys:
        if not isinstance(k, int) or k < 0:
            raise ValueError(f"counting_sort needs non-negative int keys, got {k!r}")
    counts = [0] * (max(keys, default=-1) + 1)
    for k in keys:
        counts[k] += 1
    starts, total = [], 0
    for c in counts:
        starts.append(total)
        total += c
    out: list[T | None] = [None] * len(items)
    for item, k in zip(items, keys, strict=True):
        out[starts[k]] = item
        starts[k] += 1
    return out  # type: ignore[return-value]  # every slot was filled


def radix_sort(items: Sequence[int], *, base: int = 10) -> list[int]:
    """LSD radix sort of non-negative ints: a stable counting sort per digit.

    Sorting by the least significant digit first and keeping each pass
    stable means that after pass d the numbers are sorted by their last d
    digits. Negative numbers are rejected: shift them by ``-min(items)``
    first, or sort negatives and non-negatives separately (an exercise).

    Args:
        items: non-negative ints.
        base: digit base (>= 2).

    Returns:
        A new sorted list.

    Raises:
        ValueError: for a negative item or ``base < 2``.

    Complexity: O(d (n + base)) time, d = number of digits of the maximum; O(n + base) space.

    >>> radix_sort([170, 45, 75, 90, 802, 24, 2, 66])
    [2, 24, 45, 66, 75, 90, 170, 802]
    >>> radix_sort([3, -4, 1])
    Traceback (most recent call last):
    ValueError: radix_sort handles non-negative ints only, got -4; shift by -min(items) first
    """
    if base < 2:
        raise ValueError(f"base must be >= 2, got {base!r}")
    for x in items:
        if x < 0:
            raise ValueError(
                f"radix_sort handles non-negative ints only, got {x!r}; shift by -min(items) first"
            )
    result = list(items)
    place = 1
    while result and place <= max(result):
        result = counting_sort(result, key=lambda x: (x // place) % base)
        place *= base
    return result


# ---------------------------------------------------------------- selection


def quickselect(
    items: Sequence[T], k: int, *, rng: random.Random | None = None, key: Key | None = None
) -> T:
    """The k-th smallest item (k = 0 is the minimum), in expected linear time.

    Partition like quicksort, then continue into the one side that holds
    position k. With a random pivot the expected work is n + n/2 + n/4 + ...
    = O(n). The input is not modified (a copy is partitioned).

    Args:
        items: the items.
        k: rank wanted, 0 <= k < len(items).
        rng: a seeded ``random.Random`` for random pivots (default: seed 0).
        key: optional sort key.

    Returns:
        The item that would be at index ``k`` after sorting.

    Raises:
        IndexError: if k is out of range.

    Complexity: O(n) expected, O(n^2) worst case; O(n) space for the copy.

    >>> quickselect([9, 1, 8, 2, 7, 3], 2), quickselect([9, 1, 8, 2, 7, 3], 5)
    (3, 9)
    >>> quickselect([1, 2], 2)
    Traceback (most recent call last):
    IndexError: k must be in [0, 2), got 2
    """
    if not 0 <= k < len(items):
        raise IndexError(f"k must be in [0, {len(items)}), got {k}")
    rng = rng if rng is not None else random.Random(0)  # noqa: S311 - pivots, not secrets
    work = list(items)
    lo, hi = 0, len(work) - 1
    while lo < hi:
        r = rng.randint(lo, hi)
        work[r], work[hi] = work[hi], work[r]
        p = lomuto_partition(work, lo, hi, key=key)
        if k == p:
            break
        if k < p:
            hi = p - 1
        else:
            lo = p + 1
    return work[k]


# ---------------------------------------------------------------- measuring sorts


def comparison_lower_bound(n: int) -> int:
    """ceil(log2(n!)): the fewest comparisons that can sort every input of size n.

    A comparison sort is a binary decision tree with at least n! leaves
    (one per permutation), so some leaf is at depth >= log2(n!), which is
    n log2 n - n log2 e + O(log n), i.e. about n log2 n - 1.44 n.

    Args:
        n: input size (>= 0).

    Returns:
        The information-theoretic lower bound on worst-case comparisons.

    Raises:
        ValueError: if n is negative.

    Complexity: O(n) multiplications of big integers.

    >>> [comparison_lower_bound(n) for n in (1, 2, 3, 4, 5, 12)]
    [0, 1, 3, 5, 7, 29]
    >>> comparison_lower_bound(-1)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -1
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n!r}")
    factorial = 1
    for i in range(2, n + 1):
        factorial *= i
    return (factorial - 1).bit_length()  # ceil(log2(m)) for an integer m >= 1


def count_comparisons(sort: Callable[[list[Any]], object], values: Sequence[Any]) -> int:
    """Run ``sort`` on a copy of ``values`` and return the comparisons it made.

    The values are wrapped in :class:`~studybook.dsa.big_o.counting.Counted`, so every
    ``<`` the sort makes is counted; the sort may work in place or return a
    new list. Works for the sorts here, :func:`sorted` and ``list.sort``.

    Args:
        sort: called with a list of wrapped values.
        values: the values to sort.

    Returns:
        The number of comparisons.

    Complexity: the sort's own.

    >>> count_comparisons(sorted, list(range(100)))   # Timsort: one run, n - 1 comparisons
    99
    >>> count_comparisons(insertion_sort, list(range(10, 0, -1)))   # reversed: n(n-1)/2
    45
    """
    counter = OpCounter()
    sort([Counted(v, counter) for v in values])
    return counter.count


def count_runs(items: Sequence[Any]) -> int:
    """Count the maximal non-descending runs, the natural order Timsort exploits.

    A sorted list is one run; a random list of n items has about n/2. Fewer
    runs mean less merging: Timsort's cost is O(n + n log r) for r runs.

    Args:
        items: any sequence of comparable items.

    Returns:
        The number of runs (0 for an empty sequence).

    Complexity: O(n).

    >>> count_runs([1, 2, 3, 2, 5, 1]), count_runs([]), count_runs([4, 4, 4])
    (3, 0, 1)
    """
    if not items:
        return 0
    return 1 + sum(1 for a, b in itertools.pairwise(items) if b < a)


# ---------------------------------------------------------------- demo


def demo(out: TextIO) -> None:
    """Narrate the chapter: comparisons of each sort against the lower bound.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> buf.getvalue().splitlines()[0]
    'Sorting 1024 shuffled ints; no comparison sort can promise fewer than 8770 comparisons.'
    """
    n = 1024
    data = random.Random(2024).sample(range(n), n)  # noqa: S311 - a reproducible shuffle
    bound = comparison_lower_bound(n)
    out.write(f"Sorting {n} shuffled ints; no comparison sort can promise fewer than {bound} ")
    out.write("comparisons.\n")
    sorts: dict[str, Callable[[list[Any]], object]] = {
        "sorted (Timsort)": sorted,
        "merge_sort": merge_sort,
        "quicksort (Hoare, random pivot)": lambda xs: quicksort(xs, rng=random.Random(1)),  # noqa: S311
        "heapsort": heapsort,
    }
    for name, sort in sorts.items():
        c = count_comparisons(sort, data)
        out.write(f"  {name:32} {c:>6} comparisons ({c / bound:.2f} x the bound)\n")
    sorted_input = list(range(n))
    out.write(
        f"On already sorted input: sorted {count_comparisons(sorted, sorted_input)}, "
        f"fixed-pivot Lomuto quicksort "
        f"{count_comparisons(lambda xs: quicksort(xs, scheme='lomuto'), sorted_input)}.\n"
    )
    weights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    out.write(f"Search on the answer: ship {weights} in 5 days needs capacity ")
    out.write(f"{min_ship_capacity(weights, 5)}.\n")
