"""Recursion, the call stack, and the two ways to stop recomputing: memo and table.

Every recursive call pushes a frame on the call stack; CPython refuses to go
deeper than ``sys.getrecursionlimit()`` frames (1000 by default) and raises
:class:`RecursionError`. Memoization removes repeated *work* but not *depth*:
a memoized ``fib(n)`` still recurses n levels on its first call. Tabulation
fills the same table bottom-up in a loop and has no depth at all.

>>> fib_memo(30), fib_table(30), naive_fib_calls(30)
(832040, 832040, 2692537)
"""

from __future__ import annotations

from studybook.dsa.dynamic_programming._checks import check_count

__all__ = ["MAX_FIB_N", "fib_memo", "fib_table", "naive_fib_calls"]

MAX_FIB_N = 100_000
"""The largest n accepted; F(100000) has 20,899 digits and takes about half a second."""


def naive_fib_calls(n: int) -> int:
    """Return how many calls the naive recursion ``fib(n) = fib(n-1) + fib(n-2)`` makes.

    The call tree has one node per call; it satisfies the same recurrence
    plus one, C(n) = C(n-1) + C(n-2) + 1 with C(0) = C(1) = 1, whose solution
    is 2 F(n+1) - 1: exponential, about 1.618^n. Computed here by a loop over
    that recurrence, not by making the calls.

    Args:
        n: a non-negative int, at most ``MAX_FIB_N``.

    Raises:
        ValueError: if ``n`` is negative or above ``MAX_FIB_N``.
        TypeError: if ``n`` is not an int (``bool`` included).

    Complexity: O(n).

    >>> [naive_fib_calls(n) for n in range(6)]
    [1, 1, 3, 5, 9, 15]
    >>> naive_fib_calls(-1)
    Traceback (most recent call last):
    ValueError: n must be a non-negative int, got -1
    """
    _check_n(n)
    calls, previous = 1, 1  # C(1), C(0)
    for _ in range(n - 1):
        calls, previous = calls + previous + 1, calls
    return calls


def fib_memo(n: int) -> int:
    """Return the n-th Fibonacci number top-down: recursion plus a memo dict.

    Each F(k) is computed once, so the exponential call tree collapses to a
    path of n calls, but that path is on the call stack at once: ``n`` close
    to the recursion limit raises :class:`RecursionError`.

    Args:
        n: a non-negative int, at most ``MAX_FIB_N``.

    Raises:
        ValueError: if ``n`` is negative or above ``MAX_FIB_N``.
        TypeError: if ``n`` is not an int (``bool`` included).
        RecursionError: if ``n`` exceeds about ``sys.getrecursionlimit()``.

    Complexity: O(n) time, O(n) memo and O(n) stack depth.

    >>> fib_memo(10)
    55
    >>> fib_memo(100_000)
    Traceback (most recent call last):
    RecursionError: maximum recursion depth exceeded...
    """
    _check_n(n)
    memo = {0: 0, 1: 1}

    def go(k: int) -> int:
        if k not in memo:
            memo[k] = go(k - 1) + go(k - 2)
        return memo[k]

    return go(n)


def fib_table(n: int) -> int:
    """Return the n-th Fibonacci number bottom-up, keeping only the last two values.

    The full table F[0..n] would be O(n) memory, but F[k] reads only F[k-1]
    and F[k-2]: a rolling pair is enough (space optimisation).

    Args:
        n: a non-negative int, at most ``MAX_FIB_N``.

    Raises:
        ValueError: if ``n`` is negative or above ``MAX_FIB_N``.
        TypeError: if ``n`` is not an int (``bool`` included).

    Complexity: O(n) additions, O(1) memory, no recursion.

    >>> fib_table(0), fib_table(1), fib_table(90)
    (0, 1, 2880067194370816120)
    >>> fib_table(True)
    Traceback (most recent call last):
    TypeError: n must be a non-negative int, got True
    """
    _check_n(n)
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def _check_n(n: int) -> None:
    check_count("n", n, MAX_FIB_N)
