"""Argument checks shared by the public constructors: clear errors naming the bad value.

``True`` is an ``int`` in Python and NaN compares false with everything, so a
plain ``if x < 1`` lets both through; these helpers do not.
"""

from __future__ import annotations

import math

__all__ = ["check_int", "check_real"]


def check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` if it is an ``int`` (not a bool) of at least ``minimum``.

    >>> check_int("maxkeys", 3, 1)
    3
    >>> check_int("maxkeys", True, 1)
    Traceback (most recent call last):
        ...
    TypeError: maxkeys must be an int, got True
    >>> check_int("maxkeys", 0, 1)
    Traceback (most recent call last):
        ...
    ValueError: maxkeys must be at least 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return value


def check_real(name: str, value: object, *, positive: bool) -> float:
    """Return ``value`` as a float if it is a finite real number, > 0 or >= 0.

    >>> check_real("timeout", 0.5, positive=True)
    0.5
    >>> check_real("timeout", float("nan"), positive=True)
    Traceback (most recent call last):
        ...
    ValueError: timeout must be a finite number, got nan
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        kind = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return float(value)
