"""The helpers behind every ``_check_invariants()`` and key check in this package."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["checked_key", "is_nan_like", "require"]

K = TypeVar("K")


def require(condition: bool, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition`` holds.

    Invariant checks are for tests, not input validation; an explicit raise
    (rather than ``assert``) keeps them active under ``python -O``.

    >>> require(1 < 2, "order")
    >>> require(2 < 1, "order")
    Traceback (most recent call last):
    AssertionError: order
    """
    if not condition:
        raise AssertionError(message)


def checked_key(key: K, owner: str) -> K:
    """Return ``key`` if it can live in an ordered structure, else raise.

    An ordered structure needs ``<`` to be a strict weak order on its keys.
    A NaN breaks it silently: every comparison with NaN is False, so a NaN
    looks *equal* to every key (neither is less) and a search for it "finds"
    whatever node it reaches first. Keys that do not support ``<`` at all
    would fail later, at the first comparison, far from the call that
    stored them.

    Args:
        key: the candidate key.
        owner: the structure's name, for the error message.

    Returns:
        ``key`` unchanged.

    Raises:
        TypeError: if ``key < key`` cannot be evaluated.
        ValueError: if ``key`` is NaN-like (unequal to itself, or a signalling
            ``Decimal`` NaN that refuses comparison), less than itself, or
            its ``<`` raises an arithmetic error.

    Complexity: O(1) for scalar keys; O(size) for containers compared element-wise.

    >>> checked_key(2.5, "AVLTree")
    2.5
    >>> checked_key(float("nan"), "AVLTree")
    Traceback (most recent call last):
    ValueError: AVLTree keys must not be NaN, got nan
    >>> checked_key({}, "MinHeap")
    Traceback (most recent call last):
    TypeError: MinHeap keys must support <, got dict: {}
    """
    if is_nan_like(key):
        raise ValueError(f"{owner} keys must not be NaN, got {key!r}")
    try:
        less = key < key  # type: ignore[operator]
    except TypeError:
        raise TypeError(f"{owner} keys must support <, got {type(key).__name__}: {key!r}") from None
    except ArithmeticError:  # e.g. decimal.InvalidOperation
        raise ValueError(f"{owner} keys must be ordered by <, got {key!r}") from None
    if less:
        raise ValueError(f"{owner} keys must not be less than themselves, got {key!r}")
    return key


def is_nan_like(key: object) -> bool:
    """True if ``key`` is unequal to itself (a float or Decimal NaN) or a signalling NaN.

    >>> from decimal import Decimal
    >>> [is_nan_like(k) for k in (float("nan"), Decimal("sNaN"), 0.0, "x")]
    [True, True, False, False]
    """
    try:
        return bool(key != key)
    except ArithmeticError:  # decimal.InvalidOperation: a signalling NaN refuses even !=
        return True
    except Exception:  # an exotic __ne__ that raises: not a NaN, let `<` decide
        return False
