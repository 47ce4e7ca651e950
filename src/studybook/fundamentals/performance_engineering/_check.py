"""Argument checks shared by the chapter's functions: rates, fractions, counts, samples."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable

__all__ = ["check_count", "check_fraction", "check_positive", "check_real", "check_samples"]


def check_real(value: object, what: str) -> float:
    """Return ``value`` as a float if it is a finite int or float (``bool`` refused).

    >>> check_real(2, "rate")
    2.0
    >>> check_real(float("inf"), "rate")
    Traceback (most recent call last):
    ValueError: rate must be a finite number, got inf
    >>> check_real(True, "rate")
    Traceback (most recent call last):
    TypeError: rate must be an int or float, got bool: True
    >>> check_real(10**400, "rate")
    Traceback (most recent call last):
    ValueError: rate must be a finite number, got an int of 1329 bits, beyond float range
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be an int or float, got {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        _check_float_range(value, what)
    elif not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _check_float_range(value: int, what: str) -> None:
    # math.isfinite(10**400) raises OverflowError, and so would every float
    # formula downstream; refuse such an int here, without printing its digits.
    if abs(value) > sys.float_info.max:
        raise ValueError(
            f"{what} must be a finite number, got an int of {value.bit_length()} bits, "
            "beyond float range"
        )


def check_positive(value: object, what: str) -> float:
    """Return ``value`` as a float if it is finite and ``> 0``, else raise.

    >>> check_positive(0.5, "service_rate")
    0.5
    >>> check_positive(0, "service_rate")
    Traceback (most recent call last):
    ValueError: service_rate must be positive, got 0
    """
    number = check_real(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be positive, got {value!r}")
    return number


def check_fraction(value: object, what: str) -> float:
    """Return ``value`` as a float if it lies in ``[0, 1]``, else raise.

    >>> check_fraction(1, "parallel_fraction")
    1.0
    >>> check_fraction(1.5, "parallel_fraction")
    Traceback (most recent call last):
    ValueError: parallel_fraction must be in [0, 1], got 1.5
    """
    number = check_real(value, what)
    if not 0 <= number <= 1:
        raise ValueError(f"{what} must be in [0, 1], got {value!r}")
    return number


def check_count(value: object, what: str, *, minimum: int) -> int:
    """Return ``value`` if it is an ``int`` (not ``bool``) of at least ``minimum``, else raise.

    >>> check_count(4, "workers", minimum=1)
    4
    >>> check_count(0, "workers", minimum=1)
    Traceback (most recent call last):
    ValueError: workers must be at least 1, got 0
    >>> check_count(2.0, "workers", minimum=1)
    Traceback (most recent call last):
    TypeError: workers must be an int, got float: 2.0
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    _check_float_range(value, what)
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value!r}")
    return value


def check_samples(data: object, what: str = "data") -> list[float]:
    """Return the samples of ``data`` as a list of floats; refuse empty, NaN, ±inf, bool.

    A string is refused even though it is iterable: ``"123"`` is not three samples.

    >>> check_samples([3, 1.5])
    [3.0, 1.5]
    >>> check_samples([])
    Traceback (most recent call last):
    ValueError: data must not be empty
    >>> check_samples([1, float("nan")])
    Traceback (most recent call last):
    ValueError: data[1] must be a finite number, got nan
    """
    if isinstance(data, str | bytes) or not isinstance(data, Iterable):
        raise TypeError(f"{what} must be an iterable of numbers, got {type(data).__name__}")
    samples = [check_real(x, f"{what}[{i}]") for i, x in enumerate(data)]
    if not samples:
        raise ValueError(f"{what} must not be empty")
    return samples
