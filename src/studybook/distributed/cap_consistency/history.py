"""Register histories: operations with invocation and response times, validated.

A history of one read/write register is a list of operations ``(kind, value,
start, end)``: ``kind`` is ``"write"`` (``value`` is what was written) or
``"read"`` (``value`` is what the read returned), ``start`` and ``end`` the
virtual times of invocation and response. A write that never returned (its
client timed out, its messages were lost) has ``end = math.inf``: it may or may
not have taken effect, and a checker must allow both. The register starts as
``None``.

>>> h = to_ops([("write", 1, 0, 2), ("read", 1, 1, 3)])
>>> h[0]
Op(kind='write', value=1, start=0, end=2)
>>> print(format_history(h))
write 1       [0.000, 2.000]
read  -> 1    [1.000, 3.000]
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import NamedTuple

__all__ = ["KINDS", "Op", "format_history", "to_ops"]

#: The two operations of a read/write register.
KINDS = ("write", "read")


class Op(NamedTuple):
    """One operation of a register history; a plain 4-tuple is accepted wherever an Op is."""

    kind: str
    value: Hashable
    start: float
    end: float


def to_ops(history: Iterable[tuple[str, Hashable, float, float]]) -> tuple[Op, ...]:
    """Validate a history and return it as a tuple of :class:`Op`.

    Args:
        history: an iterable of ``(kind, value, start, end)``.

    Returns:
        The operations, in the order given.

    Raises:
        TypeError: not an iterable of 4-tuples, a time that is not a number
            (``bool`` included), a value that is not hashable.
        ValueError: an unknown kind, a NaN time or value, ``end < start``, an
            infinite start, a time too large for a float, a read with no
            response (``end`` infinite).

    Complexity: O(n).

    >>> to_ops([("read", None, 0, math.inf)])
    Traceback (most recent call last):
    ValueError: a read with no response has no value; drop it (operation 0: ('read', None, 0, inf))
    """
    ops = []
    for i, item in enumerate(_items(history)):
        if not isinstance(item, tuple) or len(item) != 4:
            raise TypeError(
                f"operation {i} must be a (kind, value, start, end) tuple, got {item!r}"
            )
        kind, value, start, end = item
        where = f"(operation {i}: {item!r})"
        if kind not in KINDS:
            raise ValueError(f"kind must be 'write' or 'read', got {kind!r} {where}")
        try:
            hash(value)  # a tuple holding a list passes isinstance(..., Hashable)
        except TypeError:
            raise TypeError(f"value must be hashable, got {type(value).__name__} {where}") from None
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"value must not be NaN (NaN != NaN) {where}")
        for name, t in (("start", start), ("end", end)):
            if isinstance(t, bool) or not isinstance(t, int | float):
                raise TypeError(f"{name} must be a number, got {type(t).__name__} {where}")
            try:
                float(t)  # an int such as 10**400 would make math.isnan overflow
            except OverflowError:
                raise ValueError(f"{name} must fit in a float {where}") from None
            if math.isnan(t):
                raise ValueError(f"{name} must not be NaN {where}")
        if math.isinf(start):
            raise ValueError(f"start must be finite {where}")
        if end < start:
            raise ValueError(f"end must not be before start {where}")
        if kind == "read" and math.isinf(end):
            raise ValueError(f"a read with no response has no value; drop it {where}")
        ops.append(Op(kind, value, start, end))
    return tuple(ops)


def _items(history: object) -> Iterable[object]:
    if isinstance(history, str | bytes) or not isinstance(history, Iterable):
        raise TypeError(
            f"history must be an iterable of (kind, value, start, end), got {history!r}"
        )
    return history


def format_history(history: Iterable[tuple[str, Hashable, float, float]]) -> str:
    """Render a history one operation a line, sorted by start time, for reading.

    >>> print(format_history([("read", None, 4, 5), ("write", "x", 1, math.inf)]))
    write 'x'     [1.000, never returned]
    read  -> None [4.000, 5.000]

    Complexity: O(n log n).
    """
    lines = []
    for op in sorted(to_ops(history), key=lambda o: (o.start, o.end)):
        what = f"write {op.value!r}" if op.kind == "write" else f"read  -> {op.value!r}"
        end = "never returned" if math.isinf(op.end) else f"{op.end:.3f}"
        lines.append(f"{what:<13} [{op.start:.3f}, {end}]")
    return "\n".join(lines)
