"""Two pointers: two indices walk a sequence, and each step rules out a whole set of candidates.

Invariant: every answer that could still be optimal lies between (or behind)
the pointers, so moving one pointer never skips the answer. That turns an
O(n^2) scan of pairs into an O(n) sweep.

>>> container_with_most_water([1, 8, 6, 2, 5, 4, 8, 3, 7])
49
"""

from __future__ import annotations

from collections.abc import Callable

from ._validate import require_int_list, require_str

__all__ = [
    "PROBLEMS",
    "container_with_most_water",
    "sort_colors",
    "three_sum",
    "trapping_rain_water",
    "valid_palindrome",
]


def valid_palindrome(s: str) -> bool:
    """Return whether ``s`` reads the same both ways, counting only letters and digits, any case.

    Args:
        s: the text.

    Returns:
        ``True`` for a palindrome (the empty string is one).

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(n) time, O(1) extra space.

    >>> valid_palindrome("A man, a plan, a canal: Panama")
    True
    >>> valid_palindrome("race a car")
    False
    """
    require_str("s", s)
    lo, hi = 0, len(s) - 1
    while lo < hi:
        if not s[lo].isalnum():
            lo += 1
        elif not s[hi].isalnum():
            hi -= 1
        elif s[lo].lower() != s[hi].lower():
            return False
        else:
            lo, hi = lo + 1, hi - 1
    return True


def three_sum(nums: list[int]) -> list[list[int]]:
    """Return every distinct triple of values from ``nums`` (distinct positions) summing to zero.

    Args:
        nums: the numbers (not modified).

    Returns:
        The triples, each sorted ascending, in ascending order.

    Raises:
        TypeError: ``nums`` is not a list of int.

    Complexity: O(n^2) time, O(n) space for the sorted copy.

    >>> three_sum([-1, 0, 1, 2, -1, -4])
    [[-1, -1, 2], [-1, 0, 1]]
    >>> three_sum([0, 0])
    []
    """
    a = sorted(require_int_list("nums", nums))
    out: list[list[int]] = []
    for i in range(len(a) - 2):
        if a[i] > 0:
            break  # the smallest of the three is positive: no sum can be zero
        if i > 0 and a[i] == a[i - 1]:
            continue  # same first value, same triples: skip duplicates
        lo, hi = i + 1, len(a) - 1
        while lo < hi:
            total = a[i] + a[lo] + a[hi]
            if total < 0:
                lo += 1
            elif total > 0:
                hi -= 1
            else:
                out.append([a[i], a[lo], a[hi]])
                lo += 1
                while lo < hi and a[lo] == a[lo - 1]:
                    lo += 1
                hi -= 1
    return out


def container_with_most_water(height: list[int]) -> int:
    """Return the most water two vertical lines can hold with the x-axis.

    Args:
        height: non-negative line heights at x = 0, 1, 2, ...

    Returns:
        The largest ``min(height[i], height[j]) * (j - i)``; 0 for fewer than two lines.

    Raises:
        TypeError: ``height`` is not a list of int.
        ValueError: a height is negative.

    Complexity: O(n) time, O(1) space.

    >>> container_with_most_water([1, 1])
    1
    >>> container_with_most_water([3, -1])
    Traceback (most recent call last):
        ...
    ValueError: height[1] must be >= 0, got -1
    """
    require_int_list("height", height, minimum=0)
    lo, hi, best = 0, len(height) - 1, 0
    while lo < hi:
        best = max(best, min(height[lo], height[hi]) * (hi - lo))
        # The shorter line limits every container that uses it with a closer partner,
        # so none of those can beat the one just measured: drop it.
        if height[lo] < height[hi]:
            lo += 1
        else:
            hi -= 1
    return best


def trapping_rain_water(height: list[int]) -> int:
    """Return how many units of rain the elevation map ``height`` traps.

    Args:
        height: non-negative bar heights, each bar one unit wide.

    Returns:
        Total trapped water.

    Raises:
        TypeError: ``height`` is not a list of int.
        ValueError: a height is negative.

    Complexity: O(n) time, O(1) space.

    >>> trapping_rain_water([0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1])
    6
    >>> trapping_rain_water([])
    0
    """
    require_int_list("height", height, minimum=0)
    lo, hi = 0, len(height) - 1
    left_max = right_max = water = 0
    while lo <= hi:
        # Water over a bar is min(max to its left, max to its right) - bar. On the side
        # with the lower running maximum, that maximum is already the binding one.
        if left_max <= right_max:
            left_max = max(left_max, height[lo])
            water += left_max - height[lo]
            lo += 1
        else:
            right_max = max(right_max, height[hi])
            water += right_max - height[hi]
            hi -= 1
    return water


def sort_colors(nums: list[int]) -> None:
    """Sort a list of 0s, 1s and 2s in place in one pass (Dijkstra's Dutch national flag).

    Args:
        nums: the colours; sorted in place.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: a value is not 0, 1 or 2 (the list may be partly rearranged).

    Complexity: O(n) time, O(1) space.

    >>> colors = [2, 0, 2, 1, 1, 0]
    >>> sort_colors(colors)
    >>> colors
    [0, 0, 1, 1, 2, 2]
    >>> sort_colors([1, 3])
    Traceback (most recent call last):
        ...
    ValueError: colours must be 0, 1 or 2, got 3
    """
    # nums[:low] are 0s, nums[low:mid] are 1s, nums[mid:high + 1] unknown, nums[high + 1:] 2s.
    require_int_list("nums", nums, mutable=True)
    low, mid, high = 0, 0, len(nums) - 1
    while mid <= high:
        value = nums[mid]
        if value == 0:
            nums[low], nums[mid] = nums[mid], nums[low]
            low, mid = low + 1, mid + 1
        elif value == 1:
            mid += 1
        elif value == 2:
            nums[mid], nums[high] = nums[high], nums[mid]
            high -= 1  # the swapped-in value is unknown: do not advance mid
        else:
            raise ValueError(f"colours must be 0, 1 or 2, got {value!r}")


PROBLEMS: dict[str, Callable[..., object]] = {
    "3Sum": three_sum,
    "Container With Most Water": container_with_most_water,
    "Sort Colors": sort_colors,
    "Trapping Rain Water": trapping_rain_water,
    "Valid Palindrome": valid_palindrome,
}
