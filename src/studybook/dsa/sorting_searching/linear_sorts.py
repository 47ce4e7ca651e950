"""Sorts that never compare two items: counting sort and LSD radix sort.

They beat the n log n lower bound because they use a key as an array index,
an operation with many outcomes, not a two-way comparison. CLRS (3rd ed.),
§8.2 and §8.3, Lemma 8.4 for radix sort's bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from studybook.dsa.sorting_searching._check import check_int, identity

__all__ = ["counting_sort", "radix_sort"]

T = TypeVar("T")

#: The key range counting sort accepts without being asked, whatever n is:
#: a 65,536-slot count array is cheap. Above it the range must stay within
#: ``RANGE_FACTOR * n``, which keeps O(n + k) linear in n.
MIN_RANGE_LIMIT = 1 << 16
RANGE_FACTOR = 8


def counting_sort(
    items: Iterable[T], *, key: Callable[[T], int] | None = None, max_range: int | None = None
) -> list[T]:
    """Stable sort by small non-negative integer keys, without comparing items.

    Count each key, turn the counts into starting positions (prefix sums),
    then place the items in input order. Stability is what lets radix sort
    build on it. Time and memory grow with the key range k, so a range far
    larger than n is refused instead of allocating a huge count array.

    Args:
        items: the items (any iterable; it is copied first); with no
            ``key`` they must be non-negative ints.
        key: maps an item to a non-negative int.
        max_range: the largest key range k (= largest key + 1) to accept;
            default ``max(65536, 8 * len(items))``.

    Returns:
        A new list, sorted by key, equal keys in input order.

    Raises:
        TypeError: if a key is not an int (a bool is refused).
        ValueError: if a key is negative, or the range is above ``max_range``.

    Complexity: O(n + k) time and space, k = largest key + 1.

    >>> counting_sort([3, 0, 2, 3, 1])
    [0, 1, 2, 3, 3]
    >>> counting_sort(["bob", "al", "cy", "eve"], key=len)
    ['al', 'cy', 'bob', 'eve']
    >>> counting_sort([2, 10**12])
    Traceback (most recent call last):
    ValueError: counting_sort: key range 1000000000001 is above the limit 65536 for 2 items; use radix_sort, or pass max_range
    """  # noqa: E501
    items = list(items)  # read once, like radix_sort: an iterator is placed, not lost
    get: Callable[[T], int] = key or identity
    keys = [get(item) for item in items]
    for k in keys:
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError(f"counting_sort needs int keys, got {k!r}")
        if k < 0:
            raise ValueError(f"counting_sort needs non-negative int keys, got {k!r}")
    limit = (
        max(MIN_RANGE_LIMIT, RANGE_FACTOR * len(keys))
        if max_range is None
        else check_int("max_range", max_range, 1)
    )
    key_range = max(keys, default=-1) + 1
    if key_range > limit:
        raise ValueError(
            f"counting_sort: key range {key_range} is above the limit {limit} for "
            f"{len(keys)} items; use radix_sort, or pass max_range"
        )
    return _place(items, keys, key_range)


def _place(items: Sequence[T], keys: list[int], key_range: int) -> list[T]:
    counts = [0] * key_range
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


def radix_sort(items: Iterable[int], *, base: int = 10) -> list[int]:
    """LSD radix sort of non-negative ints: a stable counting sort per digit.

    Sorting by the least significant digit first and keeping each pass
    stable means that after pass d the numbers are sorted by their last d
    digits. Negative numbers are rejected: shift them by ``-min(items)``
    first, or sort negatives and non-negatives separately (an exercise).
    The input is read once, so any iterable works.

    Args:
        items: non-negative ints (any iterable; it is copied first).
        base: digit base, an int in [2, 65536].

    Returns:
        A new sorted list.

    Raises:
        TypeError: for an item or base that is not an int (a bool is refused).
        ValueError: for a negative item or a base outside [2, 65536].

    Complexity: O(d (n + base)) time, d = number of base-``base`` digits of
    the maximum; O(n + base) space. For b-bit keys and base 2^r that is
    Θ((b/r)(n + 2^r)) (CLRS Lemma 8.4), least near r = lg n.

    >>> radix_sort([170, 45, 75, 90, 802, 24, 2, 66])
    [2, 24, 45, 66, 75, 90, 170, 802]
    >>> radix_sort(iter([3, 1, 2]))
    [1, 2, 3]
    >>> radix_sort([3, -4, 1])
    Traceback (most recent call last):
    ValueError: radix_sort handles non-negative ints only, got -4; shift by -min(items) first
    """
    result = list(items)  # read once: an iterator must not be consumed by the checks
    if isinstance(base, bool) or not isinstance(base, int):
        raise TypeError(f"base must be an int, got {base!r}")
    if not 2 <= base <= MIN_RANGE_LIMIT:
        raise ValueError(f"base must be in [2, {MIN_RANGE_LIMIT}], got {base!r}")
    for x in result:
        if isinstance(x, bool) or not isinstance(x, int):
            raise TypeError(f"radix_sort handles ints only, got {x!r}")
        if x < 0:
            raise ValueError(
                f"radix_sort handles non-negative ints only, got {x!r}; shift by -min(items) first"
            )
    place = 1
    largest = max(result, default=0)
    while place <= largest:
        digits = [(x // place) % base for x in result]
        result = _place(result, digits, base)
        place *= base
    return result
