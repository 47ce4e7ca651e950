"""The master theorem for divide-and-conquer recurrences T(n) = a T(n/b) + O(n^d).

Bentley, Haken and Saxe, "A general method for solving divide-and-conquer
recurrences" (SIGACT News, 1980); CLRS section 4.5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["MasterResult", "master_theorem"]


@dataclass(frozen=True)
class MasterResult:
    """The solution of T(n) = a T(n/b) + O(n^d).

    Attributes:
        case: 1 (the leaves dominate), 2 (every level costs the same) or
            3 (the root's work dominates), numbered as in CLRS section 4.5.
        bound: the tight bound, e.g. ``"Θ(n log n)"``.
        critical_exponent: log_b(a), the exponent of the number of leaves.
    """

    case: int
    bound: str
    critical_exponent: float


def master_theorem(a: float, b: float, d: float) -> MasterResult:
    """Solve T(n) = a T(n/b) + O(n^d) with the master theorem.

    Compare the work per level with the number of leaves n^(log_b a):
    d < log_b a, the leaves win (case 1); d == log_b a, every one of the
    log n levels costs n^d (case 2); d > log_b a, the top level wins (case 3;
    the regularity condition holds for polynomial work).

    Args:
        a: subproblems per call (>= 1).
        b: factor by which the size shrinks (> 1).
        d: exponent of the non-recursive work (>= 0).

    Returns:
        The case and the bound.

    Raises:
        ValueError: if a, b or d is out of range.

    Complexity: O(1).

    >>> master_theorem(2, 2, 1).bound   # merge sort
    'Θ(n log n)'
    >>> master_theorem(1, 2, 0).bound   # binary search
    'Θ(log n)'
    >>> master_theorem(3, 2, 1)         # Karatsuba multiplication
    MasterResult(case=1, bound='Θ(n^1.585)', critical_exponent=1.58496...)
    >>> master_theorem(7, 2, 2).bound   # Strassen
    'Θ(n^2.807)'
    >>> master_theorem(2, 1, 1)
    Traceback (most recent call last):
    ValueError: b must be > 1, got 1
    """
    if a < 1:
        raise ValueError(f"a must be >= 1, got {a!r}")
    if b <= 1:
        raise ValueError(f"b must be > 1, got {b!r}")
    if d < 0:
        raise ValueError(f"d must be >= 0, got {d!r}")
    critical = math.log(a) / math.log(b)
    if math.isclose(d, critical, abs_tol=1e-9):
        return MasterResult(2, f"Θ({_power(d, log=True)})", critical)
    if d < critical:
        return MasterResult(1, f"Θ({_power(critical)})", critical)
    return MasterResult(3, f"Θ({_power(d)})", critical)


def _power(exponent: float, *, log: bool = False) -> str:
    if math.isclose(exponent, round(exponent), abs_tol=1e-9):
        k = round(exponent)
        base = {0: "", 1: "n"}.get(k, f"n^{k}")
    else:
        base = f"n^{exponent:.3f}"
    if log:
        return f"{base} log n".strip()
    return base or "1"
