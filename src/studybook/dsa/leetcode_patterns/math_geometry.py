"""Matrix and math: index arithmetic done carefully, in place where the problem asks.

These problems have no deep algorithm; they test whether a candidate can
manage boundaries (four shrinking walls for a spiral), express a geometric
move as simple index maps (a quarter turn is a transpose then a row reversal),
reuse the input as scratch space, and parse input exactly to a specification.

==========================  =========  ============
Problem                     Time       Extra space
==========================  =========  ============
Rotate Image                O(n^2)     O(1)
Spiral Matrix               O(m*n)     O(1)
Set Matrix Zeroes           O(m*n)     O(1)
String to Integer (atoi)    O(n)       O(1)
==========================  =========  ============

>>> spiral_matrix([[1, 2], [3, 4]])
[1, 2, 4, 3]

Source: the LeetCode problem statements (48, 54, 73, 8) and, for atoi, the
C standard's ``strtol`` (ISO/IEC 9899:2018, 7.22.1.4), which it simplifies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_grid, require_str

__all__ = [
    "PROBLEMS",
    "rotate_image",
    "set_matrix_zeroes",
    "spiral_matrix",
    "string_to_integer_atoi",
]


def rotate_image(matrix: list[list[int]]) -> None:
    """Rotate the square ``matrix`` 90 degrees clockwise, in place.

    A clockwise quarter turn sends ``(r, c)`` to ``(c, n - 1 - r)``: that is a
    transpose (``(r, c) -> (c, r)``) followed by reversing each row.

    Args:
        matrix: an n by n list of lists, modified in place.

    Raises:
        TypeError: ``matrix`` is not a list of lists of int.
        ValueError: if ``matrix`` is not square.

    Complexity: O(n^2) time, O(1) extra space.

    >>> m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> rotate_image(m); m
    [[7, 4, 1], [8, 5, 2], [9, 6, 3]]
    >>> rotate_image([[1, 2]])
    Traceback (most recent call last):
    ValueError: matrix must be square, got 1 rows of lengths [2]
    """
    require_grid("matrix", matrix, mutable=True)
    n = len(matrix)
    if any(len(row) != n for row in matrix):
        raise ValueError(
            f"matrix must be square, got {n} rows of lengths {sorted({len(r) for r in matrix})!r}"
        )
    for r in range(n):
        for c in range(r + 1, n):
            matrix[r][c], matrix[c][r] = matrix[c][r], matrix[r][c]
    for row in matrix:
        row.reverse()


def spiral_matrix(matrix: Sequence[Sequence[int]]) -> list[int]:
    """Return the elements of ``matrix`` in clockwise spiral order.

    Keep four walls (top, bottom, left, right); walk along the top row, down
    the right column, back along the bottom row, up the left column, moving
    each wall inward after walking it. The checks before the last two legs
    stop a single remaining row or column being walked twice.

    Args:
        matrix: an m by n list of lists.

    Returns:
        The m * n elements in spiral order.

    Raises:
        TypeError: ``matrix`` is not a list of lists of int.
        ValueError: if the rows differ in length.

    Complexity: O(m * n) time, O(1) extra space besides the output.

    >>> spiral_matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    [1, 2, 3, 6, 9, 8, 7, 4, 5]
    >>> spiral_matrix([])
    []
    >>> spiral_matrix([[1], [2, 3]])
    Traceback (most recent call last):
    ValueError: matrix rows must have equal lengths: row 1 has 2, row 0 has 1
    """
    require_grid("matrix", matrix)
    out: list[int] = []
    if not matrix:
        return out
    top, bottom, left, right = 0, len(matrix) - 1, 0, len(matrix[0]) - 1
    while top <= bottom and left <= right:
        out.extend(matrix[top][c] for c in range(left, right + 1))
        top += 1
        out.extend(matrix[r][right] for r in range(top, bottom + 1))
        right -= 1
        if top <= bottom:
            out.extend(matrix[bottom][c] for c in range(right, left - 1, -1))
            bottom -= 1
        if left <= right:
            out.extend(matrix[r][left] for r in range(bottom, top - 1, -1))
            left += 1
    return out


def set_matrix_zeroes(matrix: list[list[int]]) -> None:
    """Set every row and column that contains a 0 to all zeros, in place.

    Use the first row and first column as the marker arrays: ``matrix[r][0] = 0``
    marks row r, ``matrix[0][c] = 0`` marks column c. Two flags remember
    whether the first row and column themselves had a zero, and they are
    cleared last so their markers are read before being overwritten.

    Args:
        matrix: an m by n list of lists, modified in place.

    Raises:
        TypeError: ``matrix`` is not a list of lists of int.
        ValueError: if the rows differ in length.

    Complexity: O(m * n) time, O(1) extra space.

    >>> m = [[1, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> set_matrix_zeroes(m); m
    [[1, 0, 1], [0, 0, 0], [1, 0, 1]]
    >>> set_matrix_zeroes([[0], [1, 1]])
    Traceback (most recent call last):
    ValueError: matrix rows must have equal lengths: row 1 has 2, row 0 has 1
    """
    require_grid("matrix", matrix, mutable=True)
    if not matrix or not matrix[0]:
        return
    rows, cols = len(matrix), len(matrix[0])
    first_row_zero = any(v == 0 for v in matrix[0])
    first_col_zero = any(matrix[r][0] == 0 for r in range(rows))
    for r in range(1, rows):
        for c in range(1, cols):
            if matrix[r][c] == 0:
                matrix[r][0] = matrix[0][c] = 0
    for r in range(1, rows):
        for c in range(1, cols):
            if matrix[r][0] == 0 or matrix[0][c] == 0:
                matrix[r][c] = 0
    if first_row_zero:
        matrix[0] = [0] * cols
    if first_col_zero:
        for r in range(rows):
            matrix[r][0] = 0


def string_to_integer_atoi(s: str) -> int:
    """Parse a leading integer from ``s`` the way LeetCode's ``myAtoi`` specifies.

    Skip leading spaces, read an optional ``+`` or ``-``, read digits until a
    non-digit, and clamp the result to the 32-bit signed range. No digits
    means 0. Clamping inside the loop keeps the number small, as it must be
    in a language with fixed-width integers.

    Args:
        s: any string.

    Returns:
        The parsed integer, clamped to ``-2**31 .. 2**31 - 1``.

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(len(s)) time, O(1) space.

    >>> string_to_integer_atoi("   -42abc"), string_to_integer_atoi("words 987")
    (-42, 0)
    >>> string_to_integer_atoi("91283472332")
    2147483647
    """
    require_str("s", s)
    int_max, int_min = 2**31 - 1, -(2**31)
    i, n = 0, len(s)
    while i < n and s[i] == " ":
        i += 1
    sign = 1
    if i < n and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    value = 0
    limit = int_max if sign == 1 else -int_min
    while i < n and "0" <= s[i] <= "9":
        value = min(value * 10 + ord(s[i]) - ord("0"), limit)
        i += 1
    return sign * value


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Rotate Image": rotate_image,
    "Spiral Matrix": spiral_matrix,
    "Set Matrix Zeroes": set_matrix_zeroes,
    "String to Integer (atoi)": string_to_integer_atoi,
}
