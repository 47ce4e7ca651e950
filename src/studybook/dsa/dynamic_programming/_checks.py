"""Argument checks shared by the dynamic-programming entry points.

Each check raises :class:`TypeError` for a value of the wrong kind (``bool``
where an ``int`` is meant, a ``str`` where a list of numbers is meant, NaN or
an infinity where a number is meant) and :class:`ValueError` for a value of
the right kind outside its range, with the offending value in the message.

The size limits exist because these are pure-Python teaching implementations:
a table of ``MAX_CELLS`` cells already takes seconds to fill, and asking for
far more would look like a hang or die with :class:`MemoryError` instead of
saying why.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

MAX_CELLS = 10_000_000
"""The most table cells (or inner-loop steps) one call may ask for."""


def check_count(name: str, value: object, limit: int | None = None) -> int:
    """Return ``value`` if it is an int in ``[0, limit]``; ``bool`` is refused."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a non-negative int, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")
    if limit is not None and value > limit:
        raise ValueError(f"{name} must be at most {limit}, got {value!r}")
    return value


def check_sequence(name: str, value: object) -> Sequence[object]:
    """Return ``value`` if it is a sequence whose elements all equal themselves.

    ``x == x`` fails only for NaN-like values, which would never match
    anything (not even themselves) and, in ordered algorithms, would break
    the ordering every comparison relies on.
    """
    if not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence (str, list, tuple...), got {value!r}")
    for i, x in enumerate(value):
        if x != x:
            raise ValueError(f"{name}[{i}] is not equal to itself (NaN?), got {x!r}")
    return value


def check_numbers(name: str, value: object, *, integral: bool) -> Sequence[float]:
    """Return ``value`` if it is a list/tuple of finite real numbers (ints if ``integral``)."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        raise TypeError(f"{name} must be a list of numbers, got {value!r}")
    kind = numbers.Integral if integral else numbers.Real
    for x in value:
        if isinstance(x, bool) or not isinstance(x, kind):
            noun = "ints" if integral else "real numbers"
            raise TypeError(f"{name} must hold {noun}, got {x!r}")
        if not isinstance(x, numbers.Integral) and not math.isfinite(x):
            raise ValueError(f"{name} must hold finite numbers, got {x!r}")
    return value


def check_cells(what: str, cells: int) -> None:
    """Refuse a computation of more than :data:`MAX_CELLS` table cells or steps."""
    if cells > MAX_CELLS:
        raise ValueError(f"{what} needs {cells} table cells, more than MAX_CELLS = {MAX_CELLS}")
