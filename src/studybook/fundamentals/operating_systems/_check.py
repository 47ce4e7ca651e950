"""Argument checks shared by the simulators: numbers that mean times, counts and choices."""

from __future__ import annotations

import math
import sys
from collections.abc import Collection
from fractions import Fraction

__all__ = ["as_fraction", "check_choice", "check_count", "check_time"]


def check_time(value: object, what: str, *, positive: bool) -> float:
    """Return ``value`` if it is a finite real time (``> 0`` or ``>= 0``), else raise.

    ``bool`` is refused although it is an ``int``: ``True`` as a burst length
    is a bug in the caller, not a duration of one.

    >>> check_time(3, "burst", positive=True)
    3
    >>> check_time(float("nan"), "arrival", positive=False)
    Traceback (most recent call last):
    ValueError: arrival must be a finite number, got nan
    >>> check_time(True, "quantum", positive=True)
    Traceback (most recent call last):
    TypeError: quantum must be an int or float, got bool: True
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be an int or float, got {type(value).__name__}: {value!r}")
    # An int too large for a float (10**400) would make math.isfinite raise OverflowError.
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        raise ValueError(f"{what} must be at most {sys.float_info.max!r}, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{what} must be positive, got {value!r}")
    if not positive and value < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    return value


def as_fraction(value: float) -> Fraction:
    """Return ``value`` as an exact fraction, reading a float as the decimal it prints as.

    ``0.1`` becomes 1/10, not the binary value 3602879701896397/2**55, so that
    three quanta of ``0.3`` add up to a burst of ``0.9`` exactly, as the reader
    meant; simulators then compute without rounding.

    >>> as_fraction(0.1), as_fraction(3)
    (Fraction(1, 10), Fraction(3, 1))
    """
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def check_count(value: object, what: str, *, minimum: int) -> int:
    """Return ``value`` if it is an ``int`` (not ``bool``) of at least ``minimum``, else raise.

    >>> check_count(3, "frames", minimum=1)
    3
    >>> check_count(0, "frames", minimum=1)
    Traceback (most recent call last):
    ValueError: frames must be at least 1, got 0
    >>> check_count(2.0, "frames", minimum=1)
    Traceback (most recent call last):
    TypeError: frames must be an int, got float: 2.0
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value!r}")
    return value


def check_choice(value: object, what: str, choices: Collection[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (exact, case-sensitive), else raise ValueError.

    >>> check_choice("lru", "policy", ("fifo", "lru"))
    'lru'
    >>> check_choice("LRU", "policy", ("fifo", "lru"))
    Traceback (most recent call last):
    ValueError: unknown policy 'LRU'; expected one of 'fifo', 'lru'
    """
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {what} {value!r}; expected one of {expected}")
    return value
