"""Interval DP: the best way to split a range, solved for short ranges first.

When the last decision splits a range ``i..j`` into two independent halves,
the state is the range itself: ``best(i, j)`` tries every split point k and
combines ``best(i, k)`` and ``best(k + 1, j)``. Filling the table by
increasing range length guarantees both halves are ready.

>>> matrix_chain_order([10, 30, 5, 60])
(4500, '((A1A2)A3)')
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from studybook.dsa.dynamic_programming._checks import check_cells, check_numbers

__all__ = ["matrix_chain_cost_memo", "matrix_chain_order"]


def matrix_chain_order(dims: Sequence[int]) -> tuple[int, str]:
    """Return the fewest scalar multiplications to multiply a chain, and the parenthesization.

    Matrix ``A_i`` has shape ``dims[i-1] x dims[i]``; multiplying a p x q by a
    q x r matrix costs p*q*r. ``cost[i][j] = min over k of cost[i][k] +
    cost[k+1][j] + dims[i-1]*dims[k]*dims[j]``, and ``split[i][j]`` keeps the
    best k to print the parenthesization (CLRS section 15.2).

    Args:
        dims: n + 1 positive ints for a chain of n >= 1 matrices.

    Returns:
        ``(cost, parenthesization)`` such as ``(4500, '((A1A2)A3)')``.

    Raises:
        ValueError: if fewer than two dimensions are given, one is not
            positive, or the chain is so long that n**3 exceeds ``MAX_CELLS``.
        TypeError: if a dimension is not an int (``bool`` included).

    Complexity: O(n^3) time, O(n^2) memory.

    >>> matrix_chain_order([10, 20]), matrix_chain_order([40, 20, 30, 10, 30])
    ((0, 'A1'), (26000, '((A1(A2A3))A4)'))
    >>> matrix_chain_order([5])
    Traceback (most recent call last):
    ValueError: dims must hold at least 2 positive ints, got [5]
    """
    _check_dims(dims)
    n = len(dims) - 1
    cost = [[0] * (n + 1) for _ in range(n + 1)]
    split = [[0] * (n + 1) for _ in range(n + 1)]
    for length in range(2, n + 1):
        for i in range(1, n - length + 2):
            j = i + length - 1
            cost[i][j] = min(
                cost[i][k] + cost[k + 1][j] + dims[i - 1] * dims[k] * dims[j] for k in range(i, j)
            )
            split[i][j] = next(
                k
                for k in range(i, j)
                if cost[i][k] + cost[k + 1][j] + dims[i - 1] * dims[k] * dims[j] == cost[i][j]
            )

    def show(i: int, j: int) -> str:
        if i == j:
            return f"A{i}"
        return f"({show(i, split[i][j])}{show(split[i][j] + 1, j)})"

    return cost[1][n], show(1, n)


def matrix_chain_cost_memo(dims: Sequence[int]) -> int:
    """Top-down :func:`matrix_chain_order` (cost only): recursion over ranges with a cache.

    Raises:
        ValueError: if fewer than two dimensions are given, one is not
            positive, or the chain is so long that n**3 exceeds ``MAX_CELLS``.
        TypeError: if a dimension is not an int (``bool`` included).

    Complexity: O(n^3) time, O(n^2) memo, O(n) recursion depth.

    >>> matrix_chain_cost_memo([40, 20, 30, 10, 30])
    26000
    """
    _check_dims(dims)

    @cache
    def best(i: int, j: int) -> int:
        if i == j:
            return 0
        return min(
            best(i, k) + best(k + 1, j) + dims[i - 1] * dims[k] * dims[j] for k in range(i, j)
        )

    return best(1, len(dims) - 1)


def _check_dims(dims: Sequence[int]) -> None:
    check_numbers("dims", dims, integral=True)
    if len(dims) < 2 or any(d <= 0 for d in dims):
        raise ValueError(f"dims must hold at least 2 positive ints, got {list(dims)!r}")
    check_cells("matrix chain", (len(dims) - 1) ** 3)  # O(n^3) split points tried
