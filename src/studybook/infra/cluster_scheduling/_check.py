"""Argument checks shared by the packing and DRF code: exact amounts, clear errors.

Every amount is turned into a :class:`~fractions.Fraction` so that "does this
fit?" is decided exactly: a float is read as the decimal it prints as, so
``0.1 + 0.2`` fits in ``0.3`` here although it does not in binary floating point.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from studybook._validate import check_real

__all__ = ["exact", "exact_vector", "nonempty_sequence"]


def exact(value: object, what: str, *, positive: bool = True) -> Fraction:
    """Return ``value`` as an exact fraction after checking it is a finite number.

    ``positive`` refuses zero and below; otherwise only negatives are refused.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return Fraction(value)  # exact at any size; a float check would call 10**400 infinite
    number = check_real(value, what, low=None if positive else 0, positive=positive)
    return Fraction(repr(number))


def nonempty_sequence(value: object, what: str) -> Sequence[object]:
    """Return ``value`` if it is a non-empty list or tuple."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"{what} must be a list or tuple, got {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError(f"{what} must be non-empty, got {value!r}")
    return value


def exact_vector(
    value: object, what: str, *, length: int | None = None, positive: bool = True
) -> tuple[Fraction, ...]:
    """Return a non-empty vector of amounts as exact fractions.

    ``length`` (if given) is the number of resource kinds the vector must have;
    with ``positive=False`` components may be zero but the vector may not be all
    zeros (a task that needs nothing would be placed forever).
    """
    items = nonempty_sequence(value, what)
    if length is not None and len(items) != length:
        raise ValueError(
            f"{what} must have {length} amounts (one per resource), got {len(items)}: {value!r}"
        )
    vector = tuple(exact(x, f"{what}[{i}]", positive=positive) for i, x in enumerate(items))
    if not any(vector):
        raise ValueError(f"{what} must ask for some resource, got all zeros: {value!r}")
    return vector
