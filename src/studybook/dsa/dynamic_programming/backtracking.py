"""Backtracking: build a solution one choice at a time, undo, try the next.

The template is choose, explore, unchoose: extend a partial solution with one
candidate, recurse, then remove the candidate so the same partial solution is
reused for the next one. Pruning (skip candidates that already violate a
constraint) is what makes it faster than generating everything and filtering.

>>> subsets("ab")
[[], ['a'], ['a', 'b'], ['b']]
>>> n_queens_count(8)
92
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["T", "n_queens", "n_queens_count", "permutations", "subsets"]

#: The element type of the input sequence.
T = TypeVar("T")


def subsets(items: Sequence[T]) -> list[list[T]]:
    """Return all 2^n subsets of ``items``, in the order backtracking visits them.

    At each index the search decides "take ``items[i]`` next or stop": every
    node of the recursion tree is one subset.

    Args:
        items: the elements; duplicates are treated as distinct positions.

    Returns:
        The subsets, each in the order of ``items``.

    Complexity: O(n 2^n) time and output; O(n) recursion depth.

    >>> subsets([1, 2, 3])
    [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
    >>> subsets([])
    [[]]
    """
    out: list[list[T]] = []
    chosen: list[T] = []

    def explore(start: int) -> None:
        out.append(chosen.copy())  # every partial solution is a subset
        for i in range(start, len(items)):
            chosen.append(items[i])  # choose
            explore(i + 1)  # explore
            chosen.pop()  # unchoose

    explore(0)
    return out


def permutations(items: Sequence[T]) -> list[list[T]]:
    """Return all n! orderings of ``items`` in lexicographic order of positions.

    Args:
        items: the elements; duplicates are treated as distinct positions.

    Returns:
        The permutations, the same order as :func:`itertools.permutations`.

    Complexity: O(n * n!) time and output; O(n) recursion depth.

    >>> permutations("abc")
    [['a', 'b', 'c'], ['a', 'c', 'b'], ['b', 'a', 'c'],
     ['b', 'c', 'a'], ['c', 'a', 'b'], ['c', 'b', 'a']]
    >>> permutations([])
    [[]]
    """
    out: list[list[T]] = []
    chosen: list[T] = []
    used = [False] * len(items)

    def explore() -> None:
        if len(chosen) == len(items):
            out.append(chosen.copy())
            return
        for i, item in enumerate(items):
            if used[i]:
                continue
            used[i] = True
            chosen.append(item)
            explore()
            chosen.pop()
            used[i] = False

    explore()
    return out


def n_queens(n: int) -> list[list[int]]:
    """Return every placement of n non-attacking queens on an n x n board.

    A solution is a list ``cols`` where the queen of row r stands in column
    ``cols[r]``. Rows are filled one at a time; a column is a candidate only
    if no earlier queen shares its column or either diagonal (``r - c`` and
    ``r + c`` are constant along the two diagonals), so the search never
    builds an invalid partial board.

    Args:
        n: board size, a non-negative int.

    Returns:
        The solutions in lexicographic order.

    Raises:
        ValueError: if ``n`` is negative.

    Complexity: exponential; O(n) recursion depth and O(n) sets of state.

    >>> n_queens(4)
    [[1, 3, 0, 2], [2, 0, 3, 1]]
    >>> n_queens(3), n_queens(0)
    ([], [[]])
    >>> n_queens(-2)
    Traceback (most recent call last):
    ValueError: n must be a non-negative int, got -2
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    out: list[list[int]] = []
    cols: list[int] = []
    used_cols: set[int] = set()
    used_diag: set[int] = set()  # r - c
    used_anti: set[int] = set()  # r + c

    def place(row: int) -> None:
        if row == n:
            out.append(cols.copy())
            return
        for c in range(n):
            if c in used_cols or row - c in used_diag or row + c in used_anti:
                continue  # prune: this square is attacked
            cols.append(c)
            used_cols.add(c)
            used_diag.add(row - c)
            used_anti.add(row + c)
            place(row + 1)
            cols.pop()
            used_cols.remove(c)
            used_diag.remove(row - c)
            used_anti.remove(row + c)

    place(0)
    return out


def n_queens_count(n: int) -> int:
    """Count the n-queens solutions with bitmasks instead of sets.

    The same search as :func:`n_queens`, with the attacked columns and
    diagonals of the next row kept as three int bitmasks: shifting the
    diagonal masks by one moves them to the next row.

    Args:
        n: board size, a non-negative int.

    Raises:
        ValueError: if ``n`` is negative.

    Complexity: exponential, but with O(1) work per node.

    >>> [n_queens_count(n) for n in range(9)]
    [1, 1, 0, 0, 2, 10, 4, 40, 92]
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    full = (1 << n) - 1

    def count(cols: int, diag: int, anti: int) -> int:
        if cols == full:
            return 1
        total = 0
        free = full & ~(cols | diag | anti)
        while free:
            bit = free & -free  # lowest free column
            free ^= bit
            total += count(cols | bit, ((diag | bit) << 1) & full, (anti | bit) >> 1)
        return total

    return count(0, 0, 0)
