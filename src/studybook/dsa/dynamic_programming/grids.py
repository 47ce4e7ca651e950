"""Grid DP: count paths around obstacles, find the cheapest path.

On a grid where moves go only right or down, the answer for cell ``(r, c)``
depends only on the cell above and the cell to its left, so one pass in
row-major order fills the table, and one row of it is enough memory.

>>> unique_paths([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
2
>>> min_path_sum([[1, 3, 1], [1, 5, 1], [4, 2, 1]])
(7, [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2)])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from studybook.dsa.dynamic_programming._checks import check_cells, check_numbers

__all__ = ["min_path_sum", "unique_paths", "unique_paths_memo"]


def unique_paths(grid: Sequence[Sequence[int]]) -> int:
    """Count right/down paths from the top-left to the bottom-right cell avoiding 1s.

    ``paths[r][c] = paths[r-1][c] + paths[r][c-1]`` for a free cell, 0 for an
    obstacle; a single row updated left to right holds ``paths[r-1][c]``
    before cell c is overwritten and ``paths[r][c-1]`` just after.

    Args:
        grid: a non-empty rectangle of 0 (free) and 1 (obstacle).

    Raises:
        ValueError: if the grid is empty or not rectangular, a cell is not 0
            or 1, or it has more than ``MAX_CELLS`` cells.
        TypeError: if the grid is not a list of lists of ints (``bool`` included).

    Complexity: O(rows * cols) time, O(cols) memory.

    >>> unique_paths([[0] * 7 for _ in range(3)]), unique_paths([[1]])
    (28, 0)
    >>> unique_paths([[0, 0], [0]])
    Traceback (most recent call last):
    ValueError: grid must be a non-empty rectangle, got row lengths [2, 1]
    """
    _check_grid(grid, obstacles=True)
    row = [0] * len(grid[0])
    row[0] = 1
    for cells in grid:
        for c, blocked in enumerate(cells):
            if blocked:
                row[c] = 0
            elif c:
                row[c] += row[c - 1]
    return row[-1]


def unique_paths_memo(grid: Sequence[Sequence[int]]) -> int:
    """Top-down :func:`unique_paths`: paths(r, c) from the cells above and to the left.

    Raises:
        ValueError: if the grid is empty or not rectangular, a cell is not 0
            or 1, or it has more than ``MAX_CELLS`` cells.
        TypeError: if the grid is not a list of lists of ints (``bool`` included).
        RecursionError: if rows + cols nears ``sys.getrecursionlimit()``.

    Complexity: O(rows * cols) time and memo; recursion depth rows + cols.

    >>> unique_paths_memo([[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    2
    """
    _check_grid(grid, obstacles=True)

    @cache
    def paths(r: int, c: int) -> int:
        if r < 0 or c < 0 or grid[r][c]:
            return 0
        if r == 0 and c == 0:
            return 1
        return paths(r - 1, c) + paths(r, c - 1)

    return paths(len(grid) - 1, len(grid[0]) - 1)


def min_path_sum(grid: Sequence[Sequence[int]]) -> tuple[int, list[tuple[int, int]]]:
    """Return the smallest sum along a right/down path and the path itself.

    ``cost[r][c] = grid[r][c] + min(cost[r-1][c], cost[r][c-1])``; the full
    table is kept so that the path can be traced back from the corner.

    Args:
        grid: a non-empty rectangle of numbers.

    Returns:
        ``(sum, cells)`` with the cells from ``(0, 0)`` to the bottom-right.

    Raises:
        ValueError: if the grid is empty or not rectangular, holds NaN or an
            infinity, or has more than ``MAX_CELLS`` cells.
        TypeError: if the grid is not a list of lists of real numbers
            (``bool`` included).

    Complexity: O(rows * cols) time and memory.

    >>> min_path_sum([[5]])
    (5, [(0, 0)])
    >>> min_path_sum([[1, float("nan")]])
    Traceback (most recent call last):
    ValueError: grid[0] must hold finite numbers, got nan
    """
    _check_grid(grid, obstacles=False)
    rows, cols = len(grid), len(grid[0])
    cost = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            if r == 0 and c == 0:
                best = 0
            elif r == 0:
                best = cost[r][c - 1]
            elif c == 0:
                best = cost[r - 1][c]
            else:
                best = min(cost[r - 1][c], cost[r][c - 1])
            cost[r][c] = grid[r][c] + best
    path = [(rows - 1, cols - 1)]
    r, c = rows - 1, cols - 1
    while (r, c) != (0, 0):
        if c == 0 or (r > 0 and cost[r - 1][c] <= cost[r][c - 1]):
            r -= 1
        else:
            c -= 1
        path.append((r, c))
    path.reverse()
    return cost[-1][-1], path


def _check_grid(grid: object, *, obstacles: bool) -> None:
    if not isinstance(grid, Sequence) or isinstance(grid, str | bytes | bytearray):
        raise TypeError(f"grid must be a list of rows, got {grid!r}")
    for r, row in enumerate(grid):
        if not isinstance(row, Sequence) or isinstance(row, str | bytes | bytearray):
            raise TypeError(f"grid[{r}] must be a list of numbers, got {row!r}")
    lengths = [len(row) for row in grid]
    if not lengths or not lengths[0] or len(set(lengths)) != 1:
        raise ValueError(f"grid must be a non-empty rectangle, got row lengths {lengths}")
    check_cells("grid", len(grid) * lengths[0])  # before reading every cell
    for r, row in enumerate(grid):
        check_numbers(f"grid[{r}]", row, integral=obstacles)
        if obstacles and any(cell not in (0, 1) for cell in row):
            raise ValueError(f"grid[{r}] must hold 0 (free) or 1 (obstacle), got {list(row)!r}")
