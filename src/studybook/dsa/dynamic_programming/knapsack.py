"""0/1 knapsack and coin change: DP over (items considered, capacity left).

Both problems ask for the best way to fill an integer budget. The state is
"using only the first i items (or coin kinds), with budget c"; the choice is
whether to use item i. The 0/1 knapsack may take each item once, so row i
reads row i - 1; coin change may reuse a coin, so row i reads row i itself.
That one difference decides the direction of the loop in the one-row
(rolling array) versions.

>>> knapsack_01([1, 3, 4], [15, 20, 30], 4)
(35, [0, 1])
>>> coin_change_min([1, 5, 6, 9], 11), coin_change_ways([1, 2, 5], 5)
(2, 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from studybook.dsa.dynamic_programming._checks import check_cells, check_count, check_numbers

__all__ = [
    "coin_change_min",
    "coin_change_min_memo",
    "coin_change_ways",
    "knapsack_01",
    "knapsack_01_memo",
    "knapsack_01_value",
]


def knapsack_01(
    weights: Sequence[int], values: Sequence[int], capacity: int
) -> tuple[int, list[int]]:
    """Return the best total value within ``capacity`` and the items that achieve it.

    ``best[i][c]`` is the best value using items ``0..i-1`` with capacity c:
    either skip item i-1 (``best[i-1][c]``) or take it
    (``values[i-1] + best[i-1][c - weights[i-1]]``). Walking the table back
    from ``best[n][capacity]`` recovers which items were taken.

    Args:
        weights: non-negative int weight of each item.
        values: non-negative int value of each item (same length).
        capacity: non-negative int budget.

    Returns:
        ``(best value, sorted indices of the chosen items)``.

    Raises:
        ValueError: for mismatched lengths, negative numbers, or more than
            ``MAX_CELLS`` table cells.
        TypeError: if a weight, value or the capacity is not an int
            (``bool`` included), or weights/values are not lists.

    Complexity: O(n * capacity) time and memory (pseudo-polynomial: the
    problem is NP-hard, and capacity is exponential in its bit length).

    >>> knapsack_01([5, 4, 6, 3], [10, 40, 30, 50], 10)
    (90, [1, 3])
    >>> knapsack_01([], [], 5)
    (0, [])
    >>> knapsack_01([1], [1, 2], 5)
    Traceback (most recent call last):
    ValueError: weights and values differ in length: 1 != 2
    """
    _check_knapsack(weights, values, capacity)
    n = len(weights)
    best = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        w, v = weights[i - 1], values[i - 1]
        for c in range(capacity + 1):
            best[i][c] = best[i - 1][c]
            if w <= c and v + best[i - 1][c - w] > best[i][c]:
                best[i][c] = v + best[i - 1][c - w]
    chosen, c = [], capacity
    for i in range(n, 0, -1):
        if best[i][c] != best[i - 1][c]:  # the value changed: item i-1 was taken
            chosen.append(i - 1)
            c -= weights[i - 1]
    return best[n][capacity], sorted(chosen)


def knapsack_01_value(weights: Sequence[int], values: Sequence[int], capacity: int) -> int:
    """Return only the best value, with one row of the table (a rolling array).

    Capacities are visited from high to low so that ``row[c - w]`` still holds
    the previous item's value: going upwards would let an item be taken twice
    (that is the unbounded knapsack).

    Args:
        weights: non-negative int weights.
        values: non-negative int values (same length).
        capacity: non-negative int budget.

    Raises:
        ValueError: for mismatched lengths, negative numbers, or more than
            ``MAX_CELLS`` table cells.
        TypeError: if a weight, value or the capacity is not an int
            (``bool`` included), or weights/values are not lists.

    Complexity: O(n * capacity) time, O(capacity) memory.

    >>> knapsack_01_value([5, 4, 6, 3], [10, 40, 30, 50], 10)
    90
    >>> knapsack_01_value([2], [3], -1)
    Traceback (most recent call last):
    ValueError: capacity must be a non-negative int, got -1
    """
    _check_knapsack(weights, values, capacity)
    row = [0] * (capacity + 1)
    for w, v in zip(weights, values, strict=True):
        for c in range(capacity, w - 1, -1):
            row[c] = max(row[c], v + row[c - w])
    return row[capacity]


def knapsack_01_memo(weights: Sequence[int], values: Sequence[int], capacity: int) -> int:
    """Return the best value top-down: recursion over (item, capacity) with a cache.

    Only the states reachable from ``(0, capacity)`` are computed, which can
    be far fewer than the full table when weights are large; the recursion is
    n levels deep.

    Args:
        weights: non-negative int weights.
        values: non-negative int values (same length).
        capacity: non-negative int budget.

    Raises:
        ValueError: for mismatched lengths, negative numbers, or more than
            ``MAX_CELLS`` table cells.
        TypeError: if a weight, value or the capacity is not an int
            (``bool`` included), or weights/values are not lists.
        RecursionError: if ``len(weights)`` nears ``sys.getrecursionlimit()``.

    Complexity: O(n * capacity) time and memory in the worst case; O(n) stack.

    >>> knapsack_01_memo([5, 4, 6, 3], [10, 40, 30, 50], 10)
    90
    """
    _check_knapsack(weights, values, capacity)

    @cache
    def best(i: int, c: int) -> int:
        if i == len(weights):
            return 0
        skip = best(i + 1, c)
        if weights[i] > c:
            return skip
        return max(skip, values[i] + best(i + 1, c - weights[i]))

    return best(0, capacity)


def _check_knapsack(weights: Sequence[int], values: Sequence[int], capacity: int) -> None:
    check_numbers("weights", weights, integral=True)
    check_numbers("values", values, integral=True)
    if len(weights) != len(values):
        raise ValueError(f"weights and values differ in length: {len(weights)} != {len(values)}")
    check_count("capacity", capacity)
    for name, numbers in (("weights", weights), ("values", values)):
        bad = [x for x in numbers if x < 0]
        if bad:
            raise ValueError(f"{name} must be non-negative ints, got {bad[0]!r}")
    check_cells("knapsack", (len(weights) + 1) * (capacity + 1))


def coin_change_min(coins: Sequence[int], amount: int) -> int | None:
    """Return the fewest coins summing to ``amount`` (unlimited coins of each kind), or None.

    ``fewest[a] = 1 + min(fewest[a - coin])`` over coins that fit. Greedy
    (largest coin first) is wrong in general: for coins ``[1, 5, 6, 9]`` and
    11 it takes 9 + 1 + 1 (three coins) instead of 5 + 6.

    Args:
        coins: positive int denominations.
        amount: non-negative int target.

    Returns:
        The minimum number of coins, or None if no combination sums to ``amount``.

    Raises:
        ValueError: if a coin is not positive, two coins are equal, ``amount``
            is negative, or ``len(coins) * amount`` exceeds ``MAX_CELLS``.
        TypeError: if a coin or ``amount`` is not an int (``bool`` included).

    Complexity: O(len(coins) * amount) time, O(amount) memory.

    >>> coin_change_min([1, 5, 6, 9], 11), coin_change_min([2], 3), coin_change_min([7], 0)
    (2, None, 0)
    >>> coin_change_min([0, 1], 3)
    Traceback (most recent call last):
    ValueError: coins must be positive ints, got 0
    """
    _check_coins(coins, amount)
    unreachable = amount + 1  # more coins than any real answer can use
    fewest = [0] + [unreachable] * amount
    for a in range(1, amount + 1):
        for coin in coins:
            if coin <= a and fewest[a - coin] + 1 < fewest[a]:
                fewest[a] = fewest[a - coin] + 1
    return None if fewest[amount] == unreachable else fewest[amount]


def coin_change_min_memo(coins: Sequence[int], amount: int) -> int | None:
    """Top-down version of :func:`coin_change_min` (recursion depth up to ``amount``).

    Args:
        coins: positive int denominations.
        amount: non-negative int target.

    Returns:
        The minimum number of coins, or None if impossible.

    Raises:
        ValueError: if a coin is not positive, two coins are equal, ``amount``
            is negative, or ``len(coins) * amount`` exceeds ``MAX_CELLS``.
        TypeError: if a coin or ``amount`` is not an int (``bool`` included).
        RecursionError: if ``amount / min(coins)`` nears
            ``sys.getrecursionlimit()``.

    Complexity: O(len(coins) * amount) time; O(amount) memo and stack depth.

    >>> coin_change_min_memo([1, 5, 6, 9], 11)
    2
    """
    _check_coins(coins, amount)

    @cache
    def fewest(a: int) -> float:
        if a == 0:
            return 0
        # A plain loop, not min() over a generator: the generator's frame and
        # min() would make each level of recursion cost two more stack frames.
        best = float("inf")
        for c in coins:
            if c <= a:
                best = min(best, 1 + fewest(a - c))
        return best

    result = fewest(amount)
    return None if result == float("inf") else int(result)


def coin_change_ways(coins: Sequence[int], amount: int) -> int:
    """Count the combinations (multisets) of coins that sum to ``amount``.

    The coin loop is outside the amount loop, so each combination is counted
    once, in the order of ``coins``; swapping the loops would count ordered
    sequences instead (1+2 and 2+1 separately).

    Duplicate denominations are refused rather than merged: with ``[1, 1]``
    the loop would count "1 + 1 using the first 1" and "using the second 1"
    as different combinations, so ``coin_change_ways([1, 1], 2)`` would be 3.

    Args:
        coins: positive, distinct int denominations.
        amount: non-negative int target.

    Raises:
        ValueError: if a coin is not positive, two coins are equal, ``amount``
            is negative, or ``len(coins) * amount`` exceeds ``MAX_CELLS``.
        TypeError: if a coin or ``amount`` is not an int (``bool`` included).

    Complexity: O(len(coins) * amount) time, O(amount) memory.

    >>> coin_change_ways([1, 2, 5], 5), coin_change_ways([2], 3), coin_change_ways([], 0)
    (4, 0, 1)
    >>> coin_change_ways([1, 1], 2)
    Traceback (most recent call last):
    ValueError: coins must be distinct denominations, got 1 twice
    """
    _check_coins(coins, amount)
    ways = [1] + [0] * amount
    for coin in coins:
        for a in range(coin, amount + 1):
            ways[a] += ways[a - coin]
    return ways[amount]


def _check_coins(coins: Sequence[int], amount: int) -> None:
    check_numbers("coins", coins, integral=True)
    bad = [c for c in coins if c <= 0]
    if bad:
        raise ValueError(f"coins must be positive ints, got {bad[0]!r}")
    seen: set[int] = set()
    for coin in coins:
        if coin in seen:
            raise ValueError(f"coins must be distinct denominations, got {coin!r} twice")
        seen.add(coin)
    check_count("amount", amount)
    check_cells("coin change", max(1, len(coins)) * (amount + 1))
