"""Measuring sorts: the comparison lower bound, comparison counts, and runs.

Knuth, TAOCP vol. 3, §5.3.1 (minimum-comparison sorting); Tim Peters,
``Objects/listsort.txt`` in CPython (runs).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

from studybook.dsa.big_o import Counted, OpCounter
from studybook.dsa.sorting_searching._check import check_int

__all__ = ["comparison_lower_bound", "count_comparisons", "count_runs"]

#: Largest n :func:`comparison_lower_bound` computes exactly (n! has 456,574 digits).
MAX_BOUND_N = 100_000


def comparison_lower_bound(n: int) -> int:
    """ceil(log2(n!)): the fewest comparisons that can sort every input of size n.

    A comparison sort is a binary decision tree with at least n! leaves
    (one per permutation), so some leaf is at depth >= log2(n!), which is
    n log2 n - n log2 e + O(log n), i.e. about n log2 n - 1.44 n.

    Args:
        n: input size, an int in [0, 100,000].

    Returns:
        The information-theoretic lower bound on worst-case comparisons.

    Raises:
        TypeError: if n is not an int.
        ValueError: if n is negative or above 100,000.

    Complexity: one big-integer factorial, O(n log n) digits.

    >>> [comparison_lower_bound(n) for n in (1, 2, 3, 4, 5, 12)]
    [0, 1, 3, 5, 7, 29]
    >>> comparison_lower_bound(-1)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -1
    """
    check_int("n", n, 0)
    if n > MAX_BOUND_N:
        raise ValueError(f"n must be at most {MAX_BOUND_N:,} for an exact bound, got {n!r}")
    return (math.factorial(n) - 1).bit_length()  # ceil(log2(m)) for an integer m >= 1


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
    >>> count_comparisons(sorted, [])
    0
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
