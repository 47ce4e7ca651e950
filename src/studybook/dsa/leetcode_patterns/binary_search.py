"""Binary search: halve a range whose elements split into a "no" prefix and a "yes" suffix.

Invariant: the answer, if any, stays inside ``[lo, hi]`` (or at the boundary
``lo`` for the lower-bound form), and every step removes at least one element,
so the loop ends after O(log n) steps. The sorted array is one case; any
monotone predicate (first bad version, a rotation point) is another.

>>> binary_search([-1, 0, 3, 5, 9, 12], 9)
4
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

from ._validate import require_callable, require_int, require_seq, require_str

__all__ = [
    "PROBLEMS",
    "TimeMap",
    "binary_search",
    "find_minimum_in_rotated_sorted_array",
    "first_bad_version",
    "search_in_rotated_sorted_array",
]


def binary_search(nums: list[int], target: int) -> int:
    """Return an index of ``target`` in the ascending list ``nums``, or -1.

    Args:
        nums: distinct integers in ascending order.
        target: the value to find.

    Returns:
        Its index, or -1 if absent.

    Raises:
        TypeError: ``nums`` is not a list or ``target`` not an int (the items are
            not checked: that would cost O(n), more than the search).

    Complexity: O(log n) time, O(1) space.

    >>> binary_search([-1, 0, 3, 5, 9, 12], 2)
    -1
    >>> binary_search([], 1)
    -1
    """
    require_seq("nums", nums)
    require_int("target", target)
    lo, hi = 0, len(nums) - 1  # closed interval: target, if present, is in nums[lo..hi]
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def search_in_rotated_sorted_array(nums: list[int], target: int) -> int:
    """Return the index of ``target`` in an ascending list of distinct values rotated at some pivot.

    Args:
        nums: distinct integers, sorted then rotated (``[4, 5, 6, 7, 0, 1, 2]``).
        target: the value to find.

    Returns:
        Its index, or -1 if absent.

    Raises:
        TypeError: ``nums`` is not a list or ``target`` not an int (items unchecked, as above).

    Complexity: O(log n) time, O(1) space.

    >>> search_in_rotated_sorted_array([4, 5, 6, 7, 0, 1, 2], 0)
    4
    >>> search_in_rotated_sorted_array([1], 0)
    -1
    """
    require_seq("nums", nums)
    require_int("target", target)
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        # At least one half of [lo, hi] is sorted; test whether target lies in that half.
        if nums[lo] <= nums[mid]:
            if nums[lo] <= target < nums[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        elif nums[mid] < target <= nums[hi]:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def find_minimum_in_rotated_sorted_array(nums: list[int]) -> int:
    """Return the minimum of an ascending list of distinct values rotated at some pivot.

    Args:
        nums: distinct integers, sorted then rotated.

    Returns:
        The smallest value.

    Raises:
        TypeError: ``nums`` is not a list (items unchecked, as above).
        ValueError: ``nums`` is empty.

    Complexity: O(log n) time, O(1) space.

    >>> find_minimum_in_rotated_sorted_array([3, 4, 5, 1, 2])
    1
    >>> find_minimum_in_rotated_sorted_array([])
    Traceback (most recent call last):
        ...
    ValueError: nums must be non-empty, got []
    """
    require_seq("nums", nums, nonempty=True)
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        # Compare with the right end: nums[mid] > nums[hi] means the drop is right of mid.
        if nums[mid] > nums[hi]:
            lo = mid + 1
        else:
            hi = mid  # mid itself may be the minimum
    return nums[lo]


def first_bad_version(n: int, is_bad: Callable[[int], bool]) -> int:
    """Return the first bad version in ``1..n``, given that every version after a bad one is bad.

    Args:
        n: the number of versions.
        is_bad: LeetCode's ``isBadVersion`` API; must be monotone on ``1..n``.

    Returns:
        The smallest ``v`` with ``is_bad(v)``.

    Raises:
        TypeError: ``n`` is not an int or ``is_bad`` not callable.
        ValueError: ``n < 1``, or version ``n`` is not bad (so there is no first bad one).

    Complexity: O(log n) calls to ``is_bad``, O(1) space.

    >>> first_bad_version(5, lambda v: v >= 4)
    4
    >>> first_bad_version(3, lambda v: False)
    Traceback (most recent call last):
        ...
    ValueError: version 3 is not bad, so there is no first bad version
    """
    require_int("n", n, minimum=1)
    require_callable("is_bad", is_bad)
    if not is_bad(n):
        raise ValueError(f"version {n} is not bad, so there is no first bad version")
    lo, hi = 1, n  # invariant: is_bad(hi); every version before lo is good
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if is_bad(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


class TimeMap:
    """A key-value store that keeps every version and answers "value as of time t".

    Timestamps for one key arrive strictly increasing (LeetCode's guarantee), so
    each key's history is a sorted list and a lookup is a binary search.

    >>> tm = TimeMap()
    >>> tm.set("foo", "bar", 1)
    >>> tm.get("foo", 1), tm.get("foo", 3)
    ('bar', 'bar')
    >>> tm.set("foo", "bar2", 4)
    >>> tm.get("foo", 4), tm.get("foo", 0)
    ('bar2', '')
    """

    def __init__(self) -> None:
        self._times: dict[str, list[int]] = {}
        self._values: dict[str, list[str]] = {}

    def set(self, key: str, value: str, timestamp: int) -> None:
        """Store ``value`` for ``key`` at ``timestamp``. Complexity: O(1) amortised.

        Args:
            key: the key.
            value: the value.
            timestamp: later than every earlier timestamp for this key.

        Raises:
            TypeError: ``key`` or ``value`` is not a str, or ``timestamp`` not an int.
            ValueError: ``timestamp`` is not later than the key's last one.

        >>> tm = TimeMap()
        >>> tm.set("k", "a", 2); tm.set("k", "b", 2)
        Traceback (most recent call last):
            ...
        ValueError: timestamps for 'k' must increase: 2 after 2
        """
        require_str("key", key)
        require_str("value", value)
        require_int("timestamp", timestamp)
        times = self._times.setdefault(key, [])
        if times and timestamp <= times[-1]:
            raise ValueError(f"timestamps for {key!r} must increase: {timestamp} after {times[-1]}")
        times.append(timestamp)
        self._values.setdefault(key, []).append(value)

    def get(self, key: str, timestamp: int) -> str:
        """Return the value set for ``key`` at the latest time ``<= timestamp``, or ``""``.

        Args:
            key: the key.
            timestamp: the time to look at.

        Returns:
            The value, or ``""`` if the key had none yet (LeetCode's convention).

        Raises:
            TypeError: ``key`` is not a str or ``timestamp`` not an int.

        Complexity: O(log k) for k versions of the key.

        >>> TimeMap().get("missing", 10)
        ''
        """
        require_str("key", key)
        require_int("timestamp", timestamp)
        times = self._times.get(key, [])
        i = bisect.bisect_right(times, timestamp)  # number of versions at or before timestamp
        return self._values[key][i - 1] if i else ""

    def _check_invariants(self) -> None:
        for key, times in self._times.items():
            if any(a >= b for a, b in itertools.pairwise(times)):
                raise AssertionError(f"timestamps of {key!r} are not increasing")
            if len(times) != len(self._values[key]):
                raise AssertionError(f"times and values of {key!r} differ in length")


PROBLEMS: dict[str, Callable[..., object]] = {
    "Binary Search": binary_search,
    "Find Minimum in Rotated Sorted Array": find_minimum_in_rotated_sorted_array,
    "First Bad Version": first_bad_version,
    "Search in Rotated Sorted Array": search_in_rotated_sorted_array,
    "Time Based Key-Value Store": TimeMap,
}
