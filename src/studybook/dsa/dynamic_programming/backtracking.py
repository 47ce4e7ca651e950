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

from studybook.dsa.dynamic_programming._checks import check_count

__all__ = [
    "MAX_PERMUTATION_ITEMS",
    "MAX_QUEENS",
    "MAX_SUBSET_ITEMS",
    "T",
    "n_queens",
    "n_queens_count",
    "permutations",
    "subsets",
]

MAX_SUBSET_ITEMS = 20
"""At most 20 items, so at most 2**20 = 1,048,576 subsets."""
MAX_PERMUTATION_ITEMS = 9
"""At most 9 items, so at most 9! = 362,880 permutations."""
MAX_QUEENS = 12
"""At most a 12 x 12 board (14,200 solutions, a few seconds of pure-Python search)."""

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

    Raises:
        TypeError: if ``items`` is not a sequence.
        ValueError: if it holds more than ``MAX_SUBSET_ITEMS`` elements.

    Complexity: O(n 2^n) time and output; O(n) recursion depth.

    >>> subsets([1, 2, 3])
    [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
    >>> subsets([])
    [[]]
    >>> subsets(range(21))
    Traceback (most recent call last):
    ValueError: len(items) must be at most 20, got 21
    """
    _check_items(items, MAX_SUBSET_ITEMS)
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

    Raises:
        TypeError: if ``items`` is not a sequence.
        ValueError: if it holds more than ``MAX_PERMUTATION_ITEMS`` elements.

    Complexity: O(n * n!) time and output; O(n) recursion depth.

    >>> permutations("abc")
    [['a', 'b', 'c'], ['a', 'c', 'b'], ['b', 'a', 'c'],
     ['b', 'c', 'a'], ['c', 'a', 'b'], ['c', 'b', 'a']]
    >>> permutations([])
    [[]]
    """
    _check_items(items, MAX_PERMUTATION_ITEMS)
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
        n: board size, a non-negative int up to ``MAX_QUEENS``.

    Returns:
        The solutions in lexicographic order.

    Raises:
        ValueError: if ``n`` is negative or above ``MAX_QUEENS``.
        TypeError: if ``n`` is not an int (``bool`` included).

    Complexity: exponential; O(n) recursion depth and O(n) sets of state.

    >>> n_queens(4)
    [[1, 3, 0, 2], [2, 0, 3, 1]]
    >>> n_queens(3), n_queens(0)
    ([], [[]])
    >>> n_queens(-2)
    Traceback (most recent call last):
    ValueError: n must be a non-negative int, got -2
    """
    check_count("n", n, MAX_QUEENS)
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
        n: board size, a non-negative int up to ``MAX_QUEENS``.

    Raises:
        ValueError: if ``n`` is negative or above ``MAX_QUEENS``.
        TypeError: if ``n`` is not an int (``bool`` included).

    Complexity: exponential, but with O(1) work per node.

    >>> [n_queens_count(n) for n in range(9)]
    [1, 1, 0, 0, 2, 10, 4, 40, 92]
    """
    check_count("n", n, MAX_QUEENS)
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


def _check_items(items: Sequence[T], limit: int) -> None:
    # Elements are only copied, never compared, so any value (NaN included) is fine.
    if not isinstance(items, Sequence):
        raise TypeError(f"items must be a sequence (str, list, tuple...), got {items!r}")
    if len(items) > limit:
        raise ValueError(f"len(items) must be at most {limit}, got {len(items)}")
