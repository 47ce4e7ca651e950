"""The one helper behind every ``_check_invariants()`` in this package."""

from __future__ import annotations

__all__ = ["require"]


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
