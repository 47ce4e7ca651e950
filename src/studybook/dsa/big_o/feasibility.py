"""What input size each class allows within a budget of steps, and this machine's loop rate."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from studybook.dsa.big_o._check import check_int, check_real

__all__ = ["feasible_n", "loop_rate"]


# Exact where it can be: ints compare exactly with the float budget, so the
# boundaries (10^4 squared is exactly 10^8) are not at the mercy of rounding,
# and n! never overflows a float. f(0) is 0 for the polynomials and 1 for 2^n and n!.
_GROWTH: dict[str, Callable[[int], float]] = {
    "O(n)": lambda n: n,
    "O(n log n)": lambda n: n * math.log2(n) if n > 1 else 0,
    "O(n^2)": lambda n: n * n,
    "O(n^3)": lambda n: n**3,
    "O(2^n)": lambda n: 2**n,
    "O(n!)": math.factorial,
}


def feasible_n(label: str, operations: float = 1e8) -> int:
    """The largest n >= 0 with f(n) <= ``operations``: what fits in a budget of steps.

    With the default budget of 10^8 simple steps (an assumed, order-of-magnitude
    figure for one second of compiled code; see :func:`loop_rate` for Python's
    own rate) this gives the classic table of feasible input sizes.

    Args:
        label: one of ``"O(n)"``, ``"O(n log n)"``, ``"O(n^2)"``, ``"O(n^3)"``,
            ``"O(2^n)"``, ``"O(n!)"`` (O(1) and O(log n) fit any n that fits in memory).
        operations: the step budget, a finite number >= 1.

    Returns:
        The largest feasible n (0 if even n = 1 does not fit, as 2^1 > 1).

    Raises:
        TypeError: if ``operations`` is not a number (a bool is refused).
        ValueError: for an unknown label, or a budget that is NaN, infinite or below 1.

    Complexity: O(log n) evaluations of f (exponential search, then bisection).

    >>> [feasible_n(c) for c in ("O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)", "O(n!)")]
    [100000000, 4523071, 10000, 464, 26, 11]
    >>> feasible_n("O(2^n)", 1), feasible_n("O(n!)", 1)
    (0, 1)
    >>> feasible_n("O(n^2)", float("nan"))
    Traceback (most recent call last):
    ValueError: operations must be finite, got nan
    """
    if label not in _GROWTH:
        raise ValueError(f"no size limit to compute for {label!r}; use one of {', '.join(_GROWTH)}")
    budget = check_real("operations", operations)
    if budget < 1:
        raise ValueError(f"operations must be >= 1, got {operations!r}")
    f = _GROWTH[label]
    lo, hi = 0, 1  # f(0) <= 1 <= budget
    while f(hi) <= budget:
        lo, hi = hi, hi * 2
    while hi - lo > 1:  # f(lo) <= budget < f(hi)
        mid = (lo + hi) // 2
        if f(mid) <= budget:
            lo = mid
        else:
            hi = mid
    return lo


def loop_rate(
    iterations: int = 1_000_000, *, timer: Callable[[], float] = time.perf_counter
) -> float:
    """Measure this machine's rate of simple Python loop iterations per second.

    The loop adds an integer per iteration, the kind of "basic step" the
    feasibility table counts. Python's rate is one to two orders of magnitude
    below compiled code's, which is why the table's budget is an assumption
    to scale, not a constant.

    Args:
        iterations: loop length (>= 1).
        timer: a clock in seconds (inject a fake one in tests).

    Returns:
        Iterations per second, a finite positive number, ready to pass to
        :func:`feasible_n` as its budget.

    Raises:
        TypeError: if ``iterations`` is not an int.
        ValueError: if ``iterations < 1``, or if the timer did not advance
            (too few iterations for its resolution) or stepped back.

    Complexity: O(iterations).

    >>> loop_rate(1000, timer=iter([0.0, 0.5]).__next__)
    2000.0
    >>> loop_rate(0)
    Traceback (most recent call last):
    ValueError: iterations must be >= 1, got 0
    """
    check_int("iterations", iterations, 1)
    total = 0
    start = timer()
    for i in range(iterations):
        total += i
    elapsed = timer() - start
    if not (elapsed > 0 and math.isfinite(iterations / elapsed)):
        raise ValueError(
            f"the timer advanced by {elapsed!r} over {iterations} iterations; "
            "use more iterations or a monotonic clock"
        )
    return iterations / elapsed
