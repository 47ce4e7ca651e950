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
            ``Decimal`` NaN that refuses comparison) or is a tuple or list
            holding one, is less than itself, or its ``<`` raises an
            arithmetic error.

    Complexity: O(1) for scalar keys; O(size) for tuples and lists, which
    ``<`` compares element by element.

    >>> checked_key(2.5, "AVLTree")
    2.5
    >>> checked_key(float("nan"), "AVLTree")
    Traceback (most recent call last):
    ValueError: AVLTree keys must not be NaN, got nan
    >>> checked_key((1.0, float("nan")), "MinHeap")
    Traceback (most recent call last):
    ValueError: MinHeap keys must not contain NaN, got (1.0, nan)
    >>> checked_key({}, "MinHeap")
    Traceback (most recent call last):
    TypeError: MinHeap keys must support <, got dict: {}
    """
    if is_nan_like(key):
        what = "contain" if isinstance(key, (tuple, list)) else "be"
        raise ValueError(f"{owner} keys must not {what} NaN, got {key!r}")
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
    """True if ``key`` is a NaN (unequal to itself, or signalling), or a tuple or list holding one.

    Tuples and lists are searched because ``<`` on them compares elements, and
    a NaN element breaks the order as a bare NaN does: ``(1.0, nan)`` is
    neither less nor greater than ``(1.0, 2.0)``. Their own ``!=`` would not
    tell, since it compares an element with itself by identity first. A
    payload that may hold NaN and is never meant to be compared belongs in a
    field excluded from ordering, as the ``heapq`` documentation's
    ``dataclass(order=True)`` with ``field(compare=False)`` does.

    >>> from decimal import Decimal
    >>> nan = float("nan")
    >>> [is_nan_like(k) for k in (nan, Decimal("sNaN"), 0.0, "x", (1, [nan]), (1, "nan"))]
    [True, True, False, False, True, False]
    """
    stack, seen = [key], set()
    while stack:
        item = stack.pop()
        if isinstance(item, (tuple, list)):
            if id(item) not in seen:  # a list may contain itself
                seen.add(id(item))
                stack.extend(item)
        elif _is_scalar_nan(item):
            return True
    return False


def _is_scalar_nan(key: object) -> bool:
    try:
        return bool(key != key)
    except ArithmeticError:  # decimal.InvalidOperation: a signalling NaN refuses even !=
        return True
    except Exception:  # an exotic __ne__ that raises: not a NaN, let `<` decide
        return False
