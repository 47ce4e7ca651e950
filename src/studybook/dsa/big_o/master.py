"""The master theorem for divide-and-conquer recurrences T(n) = a T(n/b) + f(n).

CLRS (4th ed., 2022) Theorem 4.1, for constants a > 0 and b > 1 (the 3rd
edition asks a >= 1) and the driving function f(n) = Θ(n^d log^k n) with
k >= 0, which covers every polynomial f and the extended case 2 (k > 0).
Bentley, Haken and Saxe, "A general method for solving divide-and-conquer
recurrences" (SIGACT News, 1980).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from studybook.dsa.big_o._check import check_real

__all__ = ["MasterResult", "master_theorem"]


@dataclass(frozen=True)
class MasterResult:
    """The solution of T(n) = a T(n/b) + Θ(n^d log^k n).

    Attributes:
        case: 1 (the leaves dominate), 2 (every level costs about the same) or
            3 (the root's work dominates), numbered as in CLRS Theorem 4.1.
        bound: the tight bound, e.g. ``"Θ(n log n)"``.
        critical_exponent: log_b(a), the exponent of the number of leaves.
    """

    case: int
    bound: str
    critical_exponent: float


def master_theorem(a: float, b: float, d: float, k: float = 0) -> MasterResult:
    """Solve T(n) = a T(n/b) + f(n) for f(n) = Θ(n^d log^k n), k >= 0.

    Compare the root's work n^d with the number of leaves n^(log_b a):
    d < log_b a, the leaves win (case 1: Θ(n^(log_b a))); d == log_b a,
    each of the Θ(log n) levels costs about f(n) (case 2:
    Θ(n^d log^(k+1) n), the extended form of CLRS 4th ed.); d > log_b a, the
    root wins (case 3: Θ(f(n))). Case 3 also needs the regularity
    condition a f(n/b) <= c f(n) for some c < 1; for this f it holds with
    c = a / b^d < 1. The theorem says nothing when f is not of this form
    and falls in a *gap*, for instance 2T(n/2) + n/lg n (k < 0): such
    input is refused rather than answered wrongly.

    Args:
        a: subproblems per call (> 0, as in CLRS 4th ed.; the 3rd edition
            asks a >= 1, and every algorithm has a >= 1).
        b: factor by which the size shrinks (> 1).
        d: exponent of n in the non-recursive work (>= 0).
        k: exponent of log n in the non-recursive work (>= 0).

    Returns:
        The case and the bound.

    Raises:
        TypeError: if an argument is not a number (a bool is refused).
        ValueError: if an argument is NaN, infinite or out of range.

    Complexity: O(1).

    >>> master_theorem(2, 2, 1).bound, master_theorem(2, 2, 1, k=1).bound
    ('Θ(n log n)', 'Θ(n log^2 n)')
    >>> master_theorem(3, 2, 1)         # Karatsuba multiplication
    MasterResult(case=1, bound='Θ(n^1.585)', critical_exponent=1.58496...)
    >>> master_theorem(2, 2, 1, k=-1)
    Traceback (most recent call last):
    ValueError: k must be >= 0 (k < 0 falls in a gap of the master theorem), got -1
    """
    for name, value in (("a", a), ("b", b), ("d", d), ("k", k)):
        check_real(name, value)
    if a <= 0:
        raise ValueError(f"a must be > 0, got {a!r}")
    if b <= 1:
        raise ValueError(f"b must be > 1, got {b!r}")
    if d < 0:
        raise ValueError(f"d must be >= 0, got {d!r}")
    if k < 0:
        raise ValueError(f"k must be >= 0 (k < 0 falls in a gap of the master theorem), got {k!r}")
    critical = math.log(a) / math.log(b)
    if math.isclose(d, critical, abs_tol=1e-9):
        return MasterResult(2, f"Θ({_term(d, k + 1)})", critical)
    if d < critical:
        return MasterResult(1, f"Θ({_term(critical, 0)})", critical)
    return MasterResult(3, f"Θ({_term(d, k)})", critical)


def _term(exponent: float, log_power: float) -> str:
    """Format n^exponent log^log_power n, dropping factors equal to 1."""
    parts = [_power("n", exponent), _power("log", log_power, suffix=" n")]
    return " ".join(p for p in parts if p) or "1"


def _power(base: str, exponent: float, *, suffix: str = "") -> str:
    if math.isclose(exponent, round(exponent), abs_tol=1e-9):
        e = round(exponent)
        if e == 0:
            return ""
        return f"{base}{suffix}" if e == 1 else f"{base}^{e}{suffix}"
    return f"{base}^{exponent:.3f}{suffix}"
