"""Argument checks shared by the concurrency primitives: counts, rates and timeouts."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Collection

__all__ = [
    "check_choice",
    "check_count",
    "check_rate",
    "check_timeout",
    "remaining",
    "require",
]


def check_count(value: object, what: str, *, minimum: int) -> int:
    """Return ``value`` if it is an ``int`` (not ``bool``) of at least ``minimum``, else raise.

    >>> check_count(4, "capacity", minimum=1)
    4
    >>> check_count(True, "capacity", minimum=1)
    Traceback (most recent call last):
    TypeError: capacity must be an int, got bool: True
    >>> check_count(-1, "capacity", minimum=1)
    Traceback (most recent call last):
    ValueError: capacity must be at least 1, got -1
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value!r}")
    return value


def check_rate(value: object, what: str) -> float:
    """Return ``value`` as a float if it is a positive, finite real number, else raise.

    >>> check_rate(2, "rate")
    2.0
    >>> check_rate(float("inf"), "rate")
    Traceback (most recent call last):
    ValueError: rate must be positive and finite, got inf
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be an int or float, got {type(value).__name__}: {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{what} must be positive and finite, got {value!r}")
    return float(value)


def check_timeout(value: object, what: str = "timeout") -> float | None:
    """Return a timeout in seconds, or ``None`` for "wait forever".

    ``None``, ``+inf`` and anything above ``threading.TIMEOUT_MAX`` (about
    292 years on Linux) mean forever: ``threading.Condition.wait`` refuses
    such values with ``OverflowError``, which would surface deep inside a
    wait, so they become ``None``. ``0`` means "try once, do not wait".
    NaN, negatives and non-numbers are bugs.

    >>> check_timeout(0.5), check_timeout(None), check_timeout(float("inf"))
    (0.5, None, None)
    >>> check_timeout(1e308), check_timeout(10**400)
    (None, None)
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ValueError: timeout must be a non-negative number or None, got nan
    >>> check_timeout(False)
    Traceback (most recent call last):
    TypeError: timeout must be an int, a float or None, got bool: False
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"{what} must be an int, a float or None, got {type(value).__name__}: {value!r}"
        )
    # Compare before converting: float(10**400) raises OverflowError, and NaN
    # fails every comparison, so it is caught by name.
    if (isinstance(value, float) and math.isnan(value)) or value < 0:
        raise ValueError(f"{what} must be a non-negative number or None, got {value!r}")
    return None if value > threading.TIMEOUT_MAX else float(value)


def remaining(deadline: float | None) -> float | None:
    """Seconds left until ``deadline`` (a ``time.monotonic()`` value), or ``None`` for none.

    >>> remaining(None) is None
    True
    >>> remaining(time.monotonic() - 1) < 0
    True
    """
    return None if deadline is None else deadline - time.monotonic()


def check_choice(value: object, what: str, choices: Collection[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (exact, case-sensitive), else raise ValueError.

    >>> check_choice("ordered", "strategy", ("ordered", "footman"))
    'ordered'
    >>> check_choice("Ordered", "strategy", ("ordered", "footman"))
    Traceback (most recent call last):
    ValueError: unknown strategy 'Ordered'; expected one of 'ordered', 'footman'
    """
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {what} {value!r}; expected one of {expected}")
    return value


def require(condition: bool, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition``: for ``_check_invariants``.

    Unlike ``assert``, it still checks under ``python -O``.

    >>> require(1 + 1 == 2, "arithmetic")
    >>> require(False, "readers < 0")
    Traceback (most recent call last):
    AssertionError: readers < 0
    """
    if not condition:
        raise AssertionError(message)
