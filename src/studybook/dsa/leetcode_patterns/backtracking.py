"""Backtracking: build a candidate one choice at a time, undo the choice, try the next.

Interviewers ask these problems to see a clean recursive search: what the
state is, which choices extend it, when a partial candidate is complete, and
what can be pruned. The invariant: on entry to ``explore(state)`` the path
holds exactly the choices made so far, and on return it is restored.

=====================================  ===================  ============
Problem                                Time                 Extra space
=====================================  ===================  ============
Combination Sum                        O(n^(t/m+1)) bound   O(t/m)
Permutations                           O(n * n!)            O(n)
Subsets                                O(n * 2^n)           O(n)
Letter Combinations of a Phone Number  O(n * 4^n)           O(n)
Word Search                            O(R*C * 3^L)         O(R*C)
=====================================  ===================  ============

(t = target, m = smallest candidate, L = word length.)

>>> subsets([1, 2])
[[], [1], [1, 2], [2]]

Source: D. E. Knuth, *The Art of Computer Programming*, Vol. 4B,
section 7.2.2 "Backtrack programming", Addison-Wesley, 2022.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_char_grid, require_int, require_int_list, require_str

__all__ = [
    "PROBLEMS",
    "combination_sum",
    "letter_combinations_of_a_phone_number",
    "permutations",
    "subsets",
    "word_search",
]


def combination_sum(candidates: Sequence[int], target: int) -> list[list[int]]:
    """Return every multiset of ``candidates`` (reuse allowed) that sums to ``target``.

    Each combination is listed once, in non-decreasing order: the search only
    picks candidates at or after the last one chosen, so ``[2, 3]`` and
    ``[3, 2]`` cannot both appear. Sorting first lets a too-large candidate
    end the loop early.

    Args:
        candidates: positive integers (LeetCode's are distinct; a repeated
            value is used once, so no combination is listed twice).
        target: the sum to reach (non-negative).

    Returns:
        The combinations, each sorted, in lexicographic order.

    Raises:
        TypeError: ``candidates`` is not a list of int or ``target`` not an int.
        ValueError: ``target`` is negative.
        ValueError: if a candidate is not positive.

    Complexity: exponential in ``target / min(candidates)``; O(target / min) stack:
    recursive, one frame per chosen candidate, so a target more than about
    ``sys.getrecursionlimit()`` (1000 by default, less the caller's own frames)
    times the smallest candidate raises RecursionError (LeetCode bounds the
    target by 40).

    >>> combination_sum([2, 3, 6, 7], 7)
    [[2, 2, 3], [7]]
    >>> combination_sum([2], 1)
    []
    >>> combination_sum([0, 1], 1)
    Traceback (most recent call last):
    ValueError: candidates[0] must be >= 1, got 0
    """
    require_int_list("candidates", candidates, minimum=1)
    require_int("target", target, minimum=0)
    pool = sorted(set(candidates))
    out: list[list[int]] = []
    path: list[int] = []

    def explore(start: int, remaining: int) -> None:
        if remaining == 0:
            out.append(path.copy())
            return
        for i in range(start, len(pool)):
            if pool[i] > remaining:
                break  # sorted: every later candidate is too big as well
            path.append(pool[i])
            explore(i, remaining - pool[i])  # i, not i + 1: reuse is allowed
            path.pop()

    explore(0, target)
    return out


def permutations(nums: Sequence[int]) -> list[list[int]]:
    """Return every ordering of the distinct values ``nums``.

    The recursion fixes one position at a time, choosing any value not yet
    used; a boolean array makes the "used" test O(1).

    Args:
        nums: distinct values.

    Returns:
        All ``len(nums)!`` permutations, in the order of the input positions.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` contains a duplicate.

    Complexity: O(n * n!) time, O(n) extra space besides the output.

    >>> permutations([1, 2, 3])
    [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]]
    >>> permutations([])
    [[]]
    >>> permutations([1, 1])
    Traceback (most recent call last):
    ValueError: nums must be distinct, got [1, 1]
    """
    require_int_list("nums", nums)
    if len(set(nums)) != len(nums):
        raise ValueError(f"nums must be distinct, got {list(nums)!r}")
    out: list[list[int]] = []
    path: list[int] = []
    used = [False] * len(nums)

    def explore() -> None:
        if len(path) == len(nums):
            out.append(path.copy())
            return
        for i, x in enumerate(nums):
            if not used[i]:
                used[i] = True
                path.append(x)
                explore()
                path.pop()
                used[i] = False

    explore()
    return out


def subsets(nums: Sequence[int]) -> list[list[int]]:
    """Return every subset (the power set) of the distinct values ``nums``.

    Every node of the recursion tree is an answer: record the path on entry,
    then extend it with each later element.

    Args:
        nums: distinct values.

    Returns:
        All ``2 ** len(nums)`` subsets, each in input order.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` contains a duplicate.

    Complexity: O(n * 2^n) time, O(n) extra space besides the output.

    >>> subsets([1, 2, 3])
    [[], [1], [1, 2], [1, 2, 3], [1, 3], [2], [2, 3], [3]]
    >>> subsets([])
    [[]]
    >>> subsets([5, 5])
    Traceback (most recent call last):
    ValueError: nums must be distinct, got [5, 5]
    """
    require_int_list("nums", nums)
    if len(set(nums)) != len(nums):
        raise ValueError(f"nums must be distinct, got {list(nums)!r}")
    out: list[list[int]] = []
    path: list[int] = []

    def explore(start: int) -> None:
        out.append(path.copy())
        for i in range(start, len(nums)):
            path.append(nums[i])
            explore(i + 1)
            path.pop()

    explore(0)
    return out


_KEYPAD = {
    "2": "abc",
    "3": "def",
    "4": "ghi",
    "5": "jkl",
    "6": "mno",
    "7": "pqrs",
    "8": "tuv",
    "9": "wxyz",
}


def letter_combinations_of_a_phone_number(digits: str) -> list[str]:
    """Return every string the phone ``digits`` could spell, in keypad order.

    Args:
        digits: characters ``'2'`` to ``'9'``.

    Returns:
        All combinations; an empty list for an empty input (LeetCode's rule).

    Raises:
        TypeError: ``digits`` is not a str.
        ValueError: if a character is not a digit from 2 to 9.

    Complexity: O(n * 4^n) time, O(n) extra space besides the output.

    >>> letter_combinations_of_a_phone_number("23")
    ['ad', 'ae', 'af', 'bd', 'be', 'bf', 'cd', 'ce', 'cf']
    >>> letter_combinations_of_a_phone_number("")
    []
    >>> letter_combinations_of_a_phone_number("21")
    Traceback (most recent call last):
    ValueError: digits must be in '2'..'9', got '1'
    """
    for d in require_str("digits", digits):
        if d not in _KEYPAD:
            raise ValueError(f"digits must be in '2'..'9', got {d!r}")
    if not digits:
        return []
    out: list[str] = []
    path: list[str] = []

    def explore(i: int) -> None:
        if i == len(digits):
            out.append("".join(path))
            return
        for letter in _KEYPAD[digits[i]]:
            path.append(letter)
            explore(i + 1)
            path.pop()

    explore(0)
    return out


def word_search(board: Sequence[Sequence[str]], word: str) -> bool:
    """Return whether ``word`` can be traced on ``board`` through adjacent cells.

    Cells are adjacent horizontally or vertically and each cell is used at
    most once per path. The search marks a cell as visited while it is on the
    path and unmarks it on the way back: that undo is the backtracking.

    Args:
        board: a rectangular grid of single characters.
        word: the word to find.

    Returns:
        ``True`` if some path spells ``word``.

    Raises:
        TypeError: ``board`` is not a list of lists of str, or ``word`` not a str.
        ValueError: ``board`` has rows of different lengths, or a cell that is
            not exactly one character.
        ValueError: if ``word`` is empty.

    Complexity: O(R * C * 3^L) time (each step has at most 3 new neighbours),
    O(R * C) space for the visited marks plus O(L) stack: recursive, one frame
    per letter, so a word longer than about ``sys.getrecursionlimit()`` letters
    (1000 by default, less the caller's own frames) raises RecursionError
    (LeetCode's words are at most 15 letters, its boards at most 6 x 6).

    >>> grid = [["A", "B", "C", "E"], ["S", "F", "C", "S"], ["A", "D", "E", "E"]]
    >>> word_search(grid, "ABCCED"), word_search(grid, "ABCB")
    (True, False)
    >>> word_search(grid, "")
    Traceback (most recent call last):
    ValueError: word must be non-empty, got ''
    >>> word_search([["ab"]], "ab")
    Traceback (most recent call last):
    ValueError: board[0][0] must be a single character, got 'ab'
    """
    require_char_grid("board", board)
    if not require_str("word", word):
        raise ValueError(f"word must be non-empty, got {word!r}")
    rows = len(board)
    cols = len(board[0]) if rows else 0
    if len(word) > rows * cols:
        return False
    visited = [[False] * cols for _ in range(rows)]

    def explore(r: int, c: int, i: int) -> bool:
        if not (0 <= r < rows and 0 <= c < cols) or visited[r][c] or board[r][c] != word[i]:
            return False
        if i == len(word) - 1:
            return True
        visited[r][c] = True
        found = (
            explore(r + 1, c, i + 1)
            or explore(r - 1, c, i + 1)
            or explore(r, c + 1, i + 1)
            or explore(r, c - 1, i + 1)
        )
        visited[r][c] = False
        return found

    return any(explore(r, c, 0) for r in range(rows) for c in range(cols))


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Combination Sum": combination_sum,
    "Permutations": permutations,
    "Subsets": subsets,
    "Letter Combinations of a Phone Number": letter_combinations_of_a_phone_number,
    "Word Search": word_search,
}
