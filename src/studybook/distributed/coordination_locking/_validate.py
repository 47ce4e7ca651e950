"""Argument checks shared by the lock service, the storage and the scenarios."""

from __future__ import annotations

import math

__all__ = ["check_name", "check_time", "check_token"]


def check_time(value: object, what: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite float ``>= 0`` (``> 0`` if ``positive``).

    >>> check_time(2, "ttl", positive=True)
    2.0
    >>> check_time(float("nan"), "ttl")
    Traceback (most recent call last):
    ValueError: ttl must be a finite number >= 0, got nan
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    bound = "> 0" if positive else ">= 0"
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise ValueError(f"{what} must be a finite number {bound}, got {value!r}")
    return number


def check_token(value: object) -> int:
    """Return a fencing token: an ``int >= 0`` (not a ``bool``).

    >>> check_token(True)
    Traceback (most recent call last):
    TypeError: fencing token must be an int, got bool: True
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"fencing token must be an int, got {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"fencing token must be >= 0, got {value!r}")
    return value


def check_name(value: object, what: str) -> str:
    """Return ``value`` if it is a non-empty ``str``.

    >>> check_name("", "client")
    Traceback (most recent call last):
    ValueError: client must be a non-empty str, got ''
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError(f"{what} must be a non-empty str, got {value!r}")
    return value
