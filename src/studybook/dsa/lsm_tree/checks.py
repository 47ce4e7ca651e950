"""Argument checks shared by the tree, the strategies and the benchmark.

Python's comparisons let bad numbers through: ``nan < 2`` and ``nan >= 2``
are both false, so ``if threshold < 2: raise`` accepts NaN, and a loop
``while len(bucket) < nan`` never ends. ``True`` is an ``int`` (``True + 1 == 2``),
so a bool passes every ``isinstance(x, int)``. These helpers reject both, and
name the parameter and the offending value in the message.

>>> require_int("min_threshold", 4, minimum=2)
4
>>> require_int("min_threshold", float("nan"), minimum=2)
Traceback (most recent call last):
TypeError: min_threshold must be int, got float nan
"""

from __future__ import annotations

import math

__all__ = ["require_int", "require_real"]


def require_int(name: str, value: object, *, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``) in ``minimum..maximum``.

    Args:
        name: the parameter's name, for the message.
        value: the argument to check.
        minimum: the smallest accepted value.
        maximum: the largest accepted value (``None``: no upper bound).

    Returns:
        ``value``, unchanged.

    Raises:
        TypeError: if ``value`` is not an ``int``, or is a ``bool``.
        ValueError: if it is out of range.

    Complexity: O(1).

    >>> require_int("level_ratio", 10, minimum=2)
    10
    >>> require_int("level_ratio", True, minimum=2)
    Traceback (most recent call last):
    TypeError: level_ratio must be int, got bool True
    >>> require_int("bloom_bits_per_key", 65, minimum=0, maximum=64)
    Traceback (most recent call last):
    ValueError: bloom_bits_per_key must be in 0..64, got 65
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, got {type(value).__name__} {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f">= {minimum}" if maximum is None else f"in {minimum}..{maximum}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return value


def require_real(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it is a finite ``int`` or ``float`` (not a ``bool``).

    Args:
        name: the parameter's name, for the message.
        value: the argument to check.

    Returns:
        ``float(value)``.

    Raises:
        TypeError: if ``value`` is not an ``int`` or ``float``, or is a ``bool``.
        ValueError: if it is NaN or infinite.

    Complexity: O(1).

    >>> require_real("bucket_low", 0.5), require_real("bucket_high", 2)
    (0.5, 2.0)
    >>> require_real("bucket_high", float("inf"))
    Traceback (most recent call last):
    ValueError: bucket_high must be a finite number, got inf
    >>> require_real("bucket_low", "0.5")
    Traceback (most recent call last):
    TypeError: bucket_low must be a number, got str '0.5'
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float, such as 10**400
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number
