"""Greedy: commit to the locally best choice, backed by an exchange argument.

Greedy problems check that a candidate can prove a local rule never loses:
any optimal solution can be rewritten, step by step, into the greedy one
without getting worse. The invariant of both solutions here is a single
running quantity (the farthest reachable index, the fuel balance) that
summarises everything the past can still contribute.

============  ======  =======
Problem       Time    Space
============  ======  =======
Jump Game     O(n)    O(1)
Gas Station   O(n)    O(1)
============  ======  =======

>>> jump_game([2, 3, 1, 1, 4])
True

Source: J. Kleinberg and E. Tardos, *Algorithm Design*, chapter 4 "Greedy
Algorithms", Addison-Wesley, 2005.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_int_list

__all__ = ["PROBLEMS", "gas_station", "jump_game"]


def jump_game(nums: Sequence[int]) -> bool:
    """Return whether the last index is reachable from index 0.

    ``nums[i]`` is the longest jump allowed from index ``i``. Every index up to
    the farthest one reached so far is reachable (a shorter jump lands on
    it), so one running maximum decides the answer.

    Args:
        nums: non-empty maximum jump lengths, each non-negative.

    Returns:
        ``True`` if the last index can be reached.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` is empty or holds a negative length.

    Complexity: O(n) time, O(1) space.

    >>> jump_game([3, 2, 1, 0, 4])
    False
    >>> jump_game([0])
    True
    >>> jump_game([1, -1])
    Traceback (most recent call last):
    ValueError: nums[1] must be >= 0, got -1
    """
    require_int_list("nums", nums, minimum=0, nonempty=True)
    farthest = 0
    for i, jump in enumerate(nums):
        if i > farthest:
            return False  # a gap: nothing before i can jump past it
        farthest = max(farthest, i + jump)
    return True


def gas_station(gas: Sequence[int], cost: Sequence[int]) -> int:
    """Return the station from which a full clockwise loop is possible, or -1.

    Station ``i`` gives ``gas[i]`` fuel and the road to ``i + 1`` costs
    ``cost[i]``. If the total surplus is negative no start works. Otherwise,
    when the tank goes negative on reaching station ``i + 1``, no station
    between the current start and ``i`` can be the start either (each would
    arrive with no more fuel), so the next candidate is ``i + 1``.

    Args:
        gas: fuel available at each station.
        cost: fuel needed to drive from each station to the next.

    Returns:
        The smallest valid start index, or -1 if the loop is impossible.

    Raises:
        TypeError: ``gas`` or ``cost`` is not a list of int.
        ValueError: a negative amount of fuel.
        ValueError: if the sequences are empty or differ in length.

    Complexity: O(n) time, O(1) space.

    >>> gas_station([1, 2, 3, 4, 5], [3, 4, 5, 1, 2])
    3
    >>> gas_station([2, 3, 4], [3, 4, 3])
    -1
    >>> gas_station([1], [1, 2])
    Traceback (most recent call last):
    ValueError: gas and cost must be non-empty and of equal length, got (1, 2)
    """
    require_int_list("gas", gas, minimum=0)
    require_int_list("cost", cost, minimum=0)
    if not gas or len(gas) != len(cost):
        raise ValueError(
            f"gas and cost must be non-empty and of equal length, got {(len(gas), len(cost))!r}"
        )
    total = tank = start = 0
    for i, (g, c) in enumerate(zip(gas, cost, strict=True)):
        total += g - c
        tank += g - c
        if tank < 0:
            start, tank = i + 1, 0
    return start if total >= 0 else -1


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Jump Game": jump_game,
    "Gas Station": gas_station,
}
