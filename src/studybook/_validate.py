"""Argument checks shared by every chapter's code: a clear error at the entry point.

A public function of this book either works or raises ``TypeError`` (wrong
type) or ``ValueError`` (right type, value out of range) with the offending
value in the message, never a crash deep inside or a silently wrong answer.
Two Python facts make the checks necessary: ``bool`` is a subclass of ``int``
(so ``True`` would pass as ``1``), and every comparison with NaN is false (so
``x < 0`` does not catch it). Each check returns its argument, so a
constructor can check and store in one line.

>>> check_int(3, "capacity", minimum=1)
3
>>> check_int(True, "capacity")
Traceback (most recent call last):
    ...
TypeError: capacity must be an int, got bool: True
>>> check_real(float("nan"), "latitude", low=-90, high=90)
Traceback (most recent call last):
    ...
ValueError: latitude must be a finite number in [-90, 90], got nan
>>> check_str("", "key", nonempty=True)
Traceback (most recent call last):
    ...
ValueError: key must be a non-empty str, got ''
"""

from __future__ import annotations

import math
import random

__all__ = ["check_callable", "check_int", "check_real", "check_rng", "check_str"]


def check_int(
    value: object, what: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) within the bounds given.

    Args:
        value: the argument to check.
        what: its name as the caller knows it, for the message.
        minimum: the smallest value allowed, if any.
        maximum: the largest value allowed, if any.

    Raises:
        TypeError: not an int, or a bool.
        ValueError: outside ``[minimum, maximum]``.

    >>> check_int(1024, "worker_id", minimum=0, maximum=1023)
    Traceback (most recent call last):
        ...
    ValueError: worker_id must be in [0, 1023], got 1024
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is None:
            raise ValueError(f"{what} must be >= {minimum}, got {value!r}")
        if minimum is None:
            raise ValueError(f"{what} must be <= {maximum}, got {value!r}")
        raise ValueError(f"{what} must be in [{minimum}, {maximum}], got {value!r}")
    return value


def check_real(
    value: object,
    what: str,
    *,
    low: float | None = None,
    high: float | None = None,
    positive: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` within ``[low, high]`` (and ``> 0`` if asked).

    ``int`` is accepted (an int too large for a float is refused as not finite);
    ``bool``, NaN and the infinities are refused.

    Args:
        value: the argument to check.
        what: its name as the caller knows it, for the message.
        low: the smallest value allowed, if any.
        high: the largest value allowed, if any.
        positive: refuse zero and below.

    Raises:
        TypeError: not an int or float, or a bool.
        ValueError: NaN, infinite, or out of range.

    >>> check_real(2, "ttl", positive=True)
    2.0
    >>> check_real(0.0, "ttl", positive=True)
    Traceback (most recent call last):
        ...
    ValueError: ttl must be a finite number > 0, got 0.0
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    parts = []
    if low is not None and high is not None:
        parts.append(f"in [{low:g}, {high:g}]")
    elif low is not None:
        parts.append(f">= {low:g}")
    elif high is not None:
        parts.append(f"<= {high:g}")
    if positive:
        parts.append("> 0")
    bound = " and ".join(parts)
    wanted = f"a finite number {bound}".rstrip()
    if (
        not math.isfinite(number)
        or (low is not None and number < low)
        or (high is not None and number > high)
        or (positive and number <= 0)
    ):
        raise ValueError(f"{what} must be {wanted}, got {value!r}")
    return number


def check_str(value: object, what: str, *, nonempty: bool = False) -> str:
    """Return ``value`` if it is a ``str`` (non-empty if asked).

    Raises:
        TypeError: not a str.
        ValueError: empty although ``nonempty``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}: {value!r}")
    if nonempty and not value:
        raise ValueError(f"{what} must be a non-empty str, got {value!r}")
    return value


def check_callable(value: object, what: str) -> None:
    """Raise ``TypeError`` unless ``value`` can be called.

    >>> check_callable(42, "clock")
    Traceback (most recent call last):
        ...
    TypeError: clock must be callable, got int: 42
    """
    if not callable(value):
        raise TypeError(f"{what} must be callable, got {type(value).__name__}: {value!r}")


def check_rng(value: object, what: str = "rng") -> random.Random:
    """Return ``value`` if it is a :class:`random.Random` (seeded by the caller).

    >>> check_rng(3)
    Traceback (most recent call last):
        ...
    TypeError: rng must be a random.Random, got int: 3
    """
    if not isinstance(value, random.Random):
        raise TypeError(f"{what} must be a random.Random, got {type(value).__name__}: {value!r}")
    return value
