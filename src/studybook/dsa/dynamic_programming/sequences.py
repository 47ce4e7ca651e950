"""DP over two sequences (LCS, edit distance) and one (longest increasing subsequence).

For two sequences the state is a pair of prefix lengths ``(i, j)``: the answer
for ``a[:i]`` and ``b[:j]`` depends on the last elements and on three smaller
prefixes, so an (m + 1) x (n + 1) table filled row by row solves it, and a
walk back from the bottom-right corner recovers the subsequence or the
alignment. Each row reads only the previous one, so the length alone needs
just two rows.

>>> lcs("ABCBDAB", "BDCABA")
'BCBA'
>>> edit_distance("kitten", "sitting")
3
>>> lis([3, 1, 4, 1, 5, 9, 2, 6])
[1, 4, 5, 6]
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, TypeVar

from studybook.dsa.dynamic_programming._checks import check_cells, check_sequence

__all__ = [
    "Op",
    "T",
    "edit_alignment",
    "edit_distance",
    "lcs",
    "lcs_length",
    "lcs_length_memo",
    "lis",
]

#: The element type of the input sequences.
T = TypeVar("T")

#: An edit step ``(kind, x, y)`` where kind is keep, sub, ins or del, x is the
#: element of ``a`` (``None`` for ins) and y the element of ``b`` (``None`` for del).
Op = tuple[Literal["keep", "sub", "ins", "del"], Any, Any]


def lcs(a: Sequence[T], b: Sequence[T]) -> str | list[T]:
    """Return one longest common subsequence of ``a`` and ``b``.

    ``L[i][j]`` is the LCS length of ``a[:i]`` and ``b[:j]``: if the last
    elements match, ``L[i-1][j-1] + 1``; otherwise the better of dropping
    either last element. The walk back takes the diagonal on a match and
    otherwise moves toward the larger neighbour.

    Args:
        a: first sequence (str, list, tuple...).
        b: second sequence.

    Returns:
        A str if both inputs are str, else a list.

    Raises:
        TypeError: if ``a`` or ``b`` is not a sequence.
        ValueError: if an element is not equal to itself (NaN), or the table
            would exceed ``MAX_CELLS``.

    Complexity: O(len(a) * len(b)) time and memory.

    >>> lcs("AGGTAB", "GXTXAYB"), lcs([1, 2, 3], [3, 2, 1]), lcs("", "abc")
    ('GTAB', [1], '')
    >>> lcs([1.0, float("nan")], [1.0])
    Traceback (most recent call last):
    ValueError: a[1] is not equal to itself (NaN?), got nan
    """
    _check_pair(a, b, "lcs")
    m, n = len(a), len(b)
    table = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    out: list[T] = []
    i, j = m, n
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    out.reverse()
    if isinstance(a, str) and isinstance(b, str):
        return "".join(map(str, out))
    return out


def lcs_length(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Return the LCS length with two rows of the table (rolling arrays).

    Args:
        a: first sequence.
        b: second sequence.

    Raises:
        TypeError: if ``a`` or ``b`` is not a sequence.
        ValueError: if an element is not equal to itself (NaN), or
            ``len(a) * len(b)`` exceeds ``MAX_CELLS``.

    Complexity: O(len(a) * len(b)) time, O(min(len(a), len(b))) memory.

    >>> lcs_length("ABCBDAB", "BDCABA"), lcs_length("abc", "")
    (4, 0)
    """
    _check_pair(a, b, "lcs_length")
    if len(b) > len(a):
        a, b = b, a  # keep the row as short as possible
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            current[j] = previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1])
        previous = current
    return previous[-1]


def lcs_length_memo(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Return the LCS length top-down (recursion depth up to ``len(a) + len(b)``).

    Args:
        a: first sequence.
        b: second sequence.

    Raises:
        TypeError: if ``a`` or ``b`` is not a sequence.
        ValueError: if an element is not equal to itself (NaN), or the memo
            would exceed ``MAX_CELLS``.
        RecursionError: if ``len(a) + len(b)`` nears ``sys.getrecursionlimit()``.

    Complexity: O(len(a) * len(b)) time and memo.

    >>> lcs_length_memo("ABCBDAB", "BDCABA")
    4
    """
    _check_pair(a, b, "lcs_length_memo")

    @cache
    def go(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return 0
        if a[i - 1] == b[j - 1]:
            return go(i - 1, j - 1) + 1
        return max(go(i - 1, j), go(i, j - 1))

    return go(len(a), len(b))


def edit_distance(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Return the Levenshtein distance: fewest insertions, deletions and substitutions.

    ``D[i][j] = D[i-1][j-1]`` if ``a[i-1] == b[j-1]``, else
    ``1 + min(D[i-1][j] (delete), D[i][j-1] (insert), D[i-1][j-1] (substitute))``,
    with ``D[i][0] = i`` and ``D[0][j] = j``; kept here as two rows. The
    distance is symmetric (an insertion one way is a deletion the other), so
    the shorter sequence is made the row: O(min(m, n)) memory.

    Args:
        a: source sequence.
        b: target sequence.

    Raises:
        TypeError: if ``a`` or ``b`` is not a sequence.
        ValueError: if an element is not equal to itself (NaN), or
            ``len(a) * len(b)`` exceeds ``MAX_CELLS``.

    Complexity: O(len(a) * len(b)) time, O(min(len(a), len(b))) memory.

    >>> edit_distance("kitten", "sitting"), edit_distance("", "abc"), edit_distance("same", "same")
    (3, 3, 0)
    >>> edit_distance("abc", 42)
    Traceback (most recent call last):
    TypeError: b must be a sequence (str, list, tuple...), got 42
    """
    _check_pair(a, b, "edit_distance")
    if len(b) > len(a):
        a, b = b, a  # keep the row as short as possible
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1]
            else:
                current[j] = 1 + min(previous[j], current[j - 1], previous[j - 1])
        previous = current
    return previous[-1]


def edit_alignment(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, list[Op]]:
    """Return the edit distance and one optimal script of edits turning ``a`` into ``b``.

    Fills the full table (Wagner and Fischer, 1974), then walks back from
    ``D[m][n]``: each step picks a neighbour the cell's value came from.

    Args:
        a: source sequence.
        b: target sequence.

    Returns:
        ``(distance, ops)`` where ``ops`` lists keep/sub/ins/del steps in order;
        the number of steps other than keep equals the distance.

    Raises:
        TypeError: if ``a`` or ``b`` is not a sequence.
        ValueError: if an element is not equal to itself (NaN), or the table
            would exceed ``MAX_CELLS``.

    Complexity: O(len(a) * len(b)) time and memory.

    >>> d, ops = edit_alignment("cat", "cut")
    >>> d, ops
    (1, [('keep', 'c', 'c'), ('sub', 'a', 'u'), ('keep', 't', 't')])
    >>> edit_alignment("ab", "")
    (2, [('del', 'a', None), ('del', 'b', None)])
    """
    _check_pair(a, b, "edit_alignment")
    m, n = len(a), len(b)
    dist = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m + 1):
        dist[i][0] = i
    for j in range(n + 1):
        dist[0][j] = j
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            if a[i - 1] == b[j - 1]:
                dist[i][j] = dist[i - 1][j - 1]
            else:
                dist[i][j] = 1 + min(dist[i - 1][j], dist[i][j - 1], dist[i - 1][j - 1])
    ops: list[Op] = []
    i, j = m, n
    while i or j:
        if i and j and a[i - 1] == b[j - 1] and dist[i][j] == dist[i - 1][j - 1]:
            ops.append(("keep", a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and j and dist[i][j] == dist[i - 1][j - 1] + 1:
            ops.append(("sub", a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and dist[i][j] == dist[i - 1][j] + 1:
            ops.append(("del", a[i - 1], None))
            i -= 1
        else:
            ops.append(("ins", None, b[j - 1]))
            j -= 1
    ops.reverse()
    return dist[m][n], ops


def lis(seq: Sequence[T]) -> list[T]:
    """Return one longest strictly increasing subsequence, in O(n log n).

    Patience sorting: ``tails[k]`` is the smallest possible last element of
    an increasing subsequence of length k + 1 seen so far; the list stays
    sorted, so each element finds its pile by binary search
    (:func:`bisect.bisect_left`) and either extends the longest subsequence
    or lowers one tail. Each element remembers the index of the tail before
    it (its predecessor), and following those links back from the last pile
    rebuilds a subsequence.

    Args:
        seq: elements that support ``<``.

    Returns:
        A longest strictly increasing subsequence (empty for empty input).

    Raises:
        TypeError: if ``seq`` is not a sequence.
        ValueError: if an element is not equal to itself: a NaN compares
            False with everything and would corrupt the sorted ``tails``.

    Complexity: O(n log n) time, O(n) memory.

    >>> lis([10, 9, 2, 5, 3, 7, 101, 18]), lis([]), lis([5, 5, 5])
    ([2, 3, 7, 18], [], [5])
    >>> lis([1, float("nan"), 2])
    Traceback (most recent call last):
    ValueError: seq[1] is not equal to itself (NaN?), got nan
    """
    check_sequence("seq", seq)
    tails: list[Any] = []  # values, for bisect
    tail_index: list[int] = []  # position in seq of each tail
    parent = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)  # left: equal elements do not extend (strict)
        if k == len(tails):
            tails.append(x)
            tail_index.append(i)
        else:
            tails[k] = x
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    out: list[T] = []
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        out.append(seq[i])
        i = parent[i]
    out.reverse()
    return out


def _check_pair(a: Sequence[Any], b: Sequence[Any], what: str) -> None:
    """Check both inputs and bound ``len(a) * len(b)``: table cells, or steps when rolling."""
    check_sequence("a", a)
    check_sequence("b", b)
    check_cells(what, len(a) * len(b))
