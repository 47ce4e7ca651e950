"""Selection: the k-th smallest item in expected linear time (quickselect).

Hoare, "Algorithm 65: Find" (CACM, 1961). The deterministic linear-time
algorithm is Blum, Floyd, Pratt, Rivest and Tarjan, "Time bounds for
selection" (JCSS, 1973); the chapter explains it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from studybook.dsa.sorting_searching._check import Key, check_rng
from studybook.dsa.sorting_searching.comparison_sorts import three_way_partition

__all__ = ["quickselect"]

T = TypeVar("T")


def quickselect(
    items: Sequence[T], k: int, *, rng: random.Random | None = None, key: Key | None = None
) -> T:
    """The k-th smallest item (k = 0 is the minimum), in expected linear time.

    Partition like quicksort, then continue into the one side that holds
    position k. With a random pivot the expected work is n + n/2 + n/4 + ...
    = O(n). The partition is three-way, so keys equal to the pivot are set
    aside at once: many duplicates (all keys equal, at the extreme) cost a
    linear pass instead of the n^2/2 comparisons of a two-way partition.
    The input is not modified: a copy is partitioned.

    Args:
        items: the items.
        k: rank wanted, an int with 0 <= k < len(items).
        rng: a seeded ``random.Random`` for random pivots (default: seed 0).
        key: optional sort key.

    Returns:
        The item that would be at index ``k`` after sorting.

    Raises:
        TypeError: if ``k`` is not an int (a bool is refused), or ``rng`` is
            neither None nor a ``random.Random``.
        IndexError: if k is out of range.

    Complexity: O(n) expected, Θ(n^2) worst case; O(n) space for the copy.

    >>> quickselect([9, 1, 8, 2, 7, 3], 2), quickselect([5] * 1000, 500)
    (3, 5)
    >>> quickselect([1, 2], 2)
    Traceback (most recent call last):
    IndexError: k must be in [0, 2), got 2
    """
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be an int, got {k!r}")
    if not 0 <= k < len(items):
        raise IndexError(f"k must be in [0, {len(items)}), got {k}")
    check_rng(rng)
    rng = rng if rng is not None else random.Random(0)  # noqa: S311 - pivots, not secrets
    work = list(items)
    lo, hi = 0, len(work) - 1
    while lo < hi:  # invariant: the k-th smallest of work is in work[lo..hi]
        r = rng.randint(lo, hi)
        work[r], work[lo] = work[lo], work[r]
        lt, gt = three_way_partition(work, lo, hi, key=key)
        if k < lt:
            hi = lt - 1
        elif k > gt:
            lo = gt + 1
        else:
            break  # k lands among the keys equal to the pivot
    return work[k]
