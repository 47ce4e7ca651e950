"""Intervals: sort by one endpoint, then sweep once, comparing with the last kept interval.

Interval problems test whether a candidate sees that, once intervals are
sorted, only the most recent interval can overlap the next one. The invariant
of the sweep: everything already emitted is final, and at most one "open"
interval is still growing. Two intervals ``[a, b]`` and ``[c, d]`` overlap when
``a <= d and c <= b``; whether touching endpoints count as overlap is part of
each problem's statement and the commonest source of bugs.

===========================  ============  =======
Problem                      Time          Space
===========================  ============  =======
Insert Interval              O(n)          O(n)
Merge Intervals              O(n log n)    O(n)
Non-overlapping Intervals    O(n log n)    O(n)
Meeting Rooms                O(n log n)    O(n)
Meeting Rooms II             O(n log n)    O(n)
===========================  ============  =======

>>> merge_intervals([[1, 3], [2, 6], [8, 10]])
[[1, 6], [8, 10]]

Source: the sweep-line technique of M. I. Shamos and D. Hoey, "Geometric
intersection problems", FOCS 1976.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence

from ._validate import require_int_list, require_int_pairs

__all__ = [
    "PROBLEMS",
    "insert_interval",
    "meeting_rooms",
    "meeting_rooms_ii",
    "merge_intervals",
    "non_overlapping_intervals",
]


def _validated(name: str, intervals: Sequence[Sequence[int]]) -> list[list[int]]:
    out = []
    for iv in require_int_pairs(name, intervals):
        if iv[0] > iv[1]:
            raise ValueError(f"interval must be [start, end] with start <= end, got {iv!r}")
        out.append([iv[0], iv[1]])
    return out


def insert_interval(
    intervals: Sequence[Sequence[int]], new_interval: Sequence[int]
) -> list[list[int]]:
    """Insert ``new_interval`` into sorted, disjoint ``intervals``, merging overlaps.

    Three phases: copy intervals ending before the new one starts, absorb every
    interval that overlaps it (touching counts), copy the rest.

    Args:
        intervals: disjoint ``[start, end]`` pairs sorted by start.
        new_interval: the ``[start, end]`` pair to insert.

    Returns:
        A new sorted, disjoint list.

    Raises:
        TypeError: not a list of ``[int, int]`` pairs.
        ValueError: if an interval has ``start > end`` or is not a pair, or
            ``intervals`` is not sorted and disjoint (the scan would silently
            return an unsorted, overlapping list).

    Complexity: O(n) time, O(n) space for the output.

    >>> insert_interval([[1, 3], [6, 9]], [2, 5])
    [[1, 5], [6, 9]]
    >>> insert_interval([], [4, 8])
    [[4, 8]]
    >>> insert_interval([[1, 2]], [5, 4])
    Traceback (most recent call last):
    ValueError: interval must be [start, end] with start <= end, got [5, 4]
    >>> insert_interval([[6, 9], [1, 3]], [4, 5])
    Traceback (most recent call last):
    ValueError: intervals must be sorted and disjoint, got [6, 9] before [1, 3]
    """
    items = _validated("intervals", intervals)
    for before, after in itertools.pairwise(items):
        if after[0] <= before[1]:  # touching counts as overlapping here, as in phase 2
            raise ValueError(
                f"intervals must be sorted and disjoint, got {before!r} before {after!r}"
            )
    if len(require_int_list("new_interval", new_interval)) != 2:
        raise ValueError(f"new_interval must be a pair of ints, got {new_interval!r}")
    lo, hi = _validated("new_interval", [new_interval])[0]
    out: list[list[int]] = []
    i = 0
    while i < len(items) and items[i][1] < lo:  # ends before the new one starts
        out.append(items[i])
        i += 1
    while i < len(items) and items[i][0] <= hi:  # overlaps or touches
        lo, hi = min(lo, items[i][0]), max(hi, items[i][1])
        i += 1
    out.append([lo, hi])
    out.extend(items[i:])
    return out


def merge_intervals(intervals: Sequence[Sequence[int]]) -> list[list[int]]:
    """Merge every overlapping (or touching) pair of intervals.

    After sorting by start, an interval overlaps the merged result only if it
    starts no later than the end of the last merged interval.

    Args:
        intervals: ``[start, end]`` pairs in any order.

    Returns:
        Disjoint intervals sorted by start, covering the same points.

    Raises:
        TypeError: not a list of ``[int, int]`` pairs.
        ValueError: if an interval has ``start > end`` or is not a pair.

    Complexity: O(n log n) time for the sort, O(n) space.

    >>> merge_intervals([[1, 4], [4, 5]])
    [[1, 5]]
    >>> merge_intervals([])
    []
    >>> merge_intervals([[3, 1]])
    Traceback (most recent call last):
    ValueError: interval must be [start, end] with start <= end, got [3, 1]
    """
    merged: list[list[int]] = []
    for start, end in sorted(_validated("intervals", intervals)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def non_overlapping_intervals(intervals: Sequence[Sequence[int]]) -> int:
    """Return the fewest intervals to remove so the rest do not overlap.

    Touching intervals (``[1, 2]`` and ``[2, 3]``) do not overlap here. Keeping
    the interval that ends first always leaves the most room for the rest
    (the activity-selection argument), so the answer is ``n`` minus the greedy
    count of kept intervals.

    Args:
        intervals: ``[start, end]`` pairs in any order.

    Returns:
        The minimum number of removals.

    Raises:
        TypeError: not a list of ``[int, int]`` pairs.
        ValueError: if an interval has ``start > end`` or is not a pair.

    Complexity: O(n log n) time, O(n) space for the sorted copy.

    >>> non_overlapping_intervals([[1, 2], [2, 3], [3, 4], [1, 3]])
    1
    >>> non_overlapping_intervals([[1, 2], [1, 2], [1, 2]])
    2
    >>> non_overlapping_intervals([[2, 1]])
    Traceback (most recent call last):
    ValueError: interval must be [start, end] with start <= end, got [2, 1]
    """
    items = _validated("intervals", intervals)
    kept = 0
    last_end: int | None = None
    for start, end in sorted(items, key=lambda iv: iv[1]):
        if last_end is None or start >= last_end:
            kept += 1
            last_end = end
    return len(items) - kept


def meeting_rooms(intervals: Sequence[Sequence[int]]) -> bool:
    """Return whether one person can attend every meeting.

    A meeting ending at ``t`` and another starting at ``t`` do not clash.

    Args:
        intervals: ``[start, end]`` meeting times.

    Returns:
        ``True`` if no two meetings overlap.

    Raises:
        TypeError: not a list of ``[int, int]`` pairs.
        ValueError: if an interval has ``start > end`` or is not a pair.

    Complexity: O(n log n) time, O(n) space for the sorted copy.

    >>> meeting_rooms([[0, 30], [5, 10], [15, 20]])
    False
    >>> meeting_rooms([[7, 10], [2, 4]])
    True
    >>> meeting_rooms([[4, 2]])
    Traceback (most recent call last):
    ValueError: interval must be [start, end] with start <= end, got [4, 2]
    """
    items = sorted(_validated("intervals", intervals))
    return all(prev[1] <= cur[0] for prev, cur in itertools.pairwise(items))


def meeting_rooms_ii(intervals: Sequence[Sequence[int]]) -> int:
    """Return the fewest rooms that can host every meeting.

    Process meetings by start time and keep a min-heap of the end times of
    rooms in use; if the earliest-ending room is free by the time the next
    meeting starts, reuse it. The heap's largest size is the answer. A meeting
    occupies its room on ``[start, end)`` and, as LeetCode states, lasts a
    positive time (``start < end``): a zero-length meeting has no clear answer
    (one room, or none?), so it is refused.

    Args:
        intervals: ``[start, end]`` meeting times with ``start < end``.

    Returns:
        The maximum number of meetings in progress at once.

    Raises:
        TypeError: not a list of ``[int, int]`` pairs.
        ValueError: if an interval has ``start >= end`` or is not a pair.

    Complexity: O(n log n) time, O(n) space.

    >>> meeting_rooms_ii([[0, 30], [5, 10], [15, 20]])
    2
    >>> meeting_rooms_ii([])
    0
    >>> meeting_rooms_ii([[9, 1]])
    Traceback (most recent call last):
    ValueError: interval must be [start, end] with start <= end, got [9, 1]
    >>> meeting_rooms_ii([[5, 5], [5, 5]])
    Traceback (most recent call last):
    ValueError: a meeting must have start < end, got [5, 5]
    """
    meetings = _validated("intervals", intervals)
    for meeting in meetings:
        if meeting[0] == meeting[1]:
            raise ValueError(f"a meeting must have start < end, got {meeting!r}")
    ends: list[int] = []
    rooms = 0
    for start, end in sorted(meetings):
        if ends and ends[0] <= start:
            heapq.heapreplace(ends, end)  # reuse the room that frees up first
        else:
            heapq.heappush(ends, end)
        rooms = max(rooms, len(ends))
    return rooms


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Insert Interval": insert_interval,
    "Merge Intervals": merge_intervals,
    "Non-overlapping Intervals": non_overlapping_intervals,
    "Meeting Rooms": meeting_rooms,
    "Meeting Rooms II": meeting_rooms_ii,
}
