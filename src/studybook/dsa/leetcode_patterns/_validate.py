"""Argument checks shared by the solutions: a clear TypeError or ValueError at the entry
point, naming the offending value, instead of a crash deep inside or a wrong answer.

LeetCode guarantees well-formed input; a library does not get that luxury. ``bool`` is
refused where an ``int`` is meant (``True`` is an ``int`` in Python) and NaN where a
real number is meant (every comparison with NaN is false, so ``min`` and ``max``
silently skip or keep it). A sequence argument may be a list or a tuple, unless the
solution works in place (``mutable=True``: a list). Each check is one pass over the
argument, so it never costs more than the solution itself; where even that would
(a binary search is O(log n)), the solution checks only the container.

>>> require_int("capacity", 1.5)
Traceback (most recent call last):
    ...
TypeError: capacity must be an int, got 1.5
>>> require_int_list("nums", [3, True])
Traceback (most recent call last):
    ...
TypeError: nums[1] must be an int, got True
>>> require_grid("grid", [[1, 2], [3]])
Traceback (most recent call last):
    ...
ValueError: grid rows must have equal lengths: row 1 has 1, row 0 has 2
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

__all__ = [
    "require_callable",
    "require_char_grid",
    "require_grid",
    "require_int",
    "require_int_list",
    "require_int_pairs",
    "require_linked_list",
    "require_node",
    "require_real_list",
    "require_seq",
    "require_str",
    "require_str_list",
]


def require_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``), at least ``minimum`` if given.

    Raises:
        TypeError: not an int.
        ValueError: below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def require_str(name: str, value: object) -> str:
    """Return ``value`` if it is a ``str``; else raise ``TypeError``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r}")
    return value


def require_callable(name: str, value: object) -> None:
    """Raise ``TypeError`` unless ``value`` can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {value!r}")


def require_seq(
    name: str, value: object, *, mutable: bool = False, nonempty: bool = False
) -> Sequence[Any]:
    """Return ``value`` if it is a list (or, unless ``mutable``, a tuple).

    Raises:
        TypeError: another type (a ``str`` is not a list of anything here).
        ValueError: empty although ``nonempty``.
    """
    if not isinstance(value, list) and (mutable or not isinstance(value, tuple)):
        raise TypeError(f"{name} must be a list, got {value!r}")
    if nonempty and not value:
        raise ValueError(f"{name} must be non-empty, got {value!r}")
    return value


def require_int_list(
    name: str,
    value: object,
    *,
    minimum: int | None = None,
    nonempty: bool = False,
    mutable: bool = False,
) -> Sequence[int]:
    """Return ``value`` if it is a list of ``int`` (no ``bool``), each at least ``minimum``.

    Raises:
        TypeError: not a list, or an item that is not an int.
        ValueError: empty although ``nonempty``, or an item below ``minimum``.
    """
    items = require_seq(name, value, mutable=mutable, nonempty=nonempty)
    for i, item in enumerate(items):
        require_int(f"{name}[{i}]", item, minimum=minimum)
    return items


def require_real_list(name: str, value: object) -> Sequence[float]:
    """Return ``value`` if it is a list of finite real numbers; else raise.

    Raises:
        TypeError: not a list, or an item that is not an int or float (or is a bool).
        ValueError: an item that is NaN or infinite.
    """
    items = require_seq(name, value)
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise TypeError(f"{name}[{i}] must be a number, got {item!r}")
        if not math.isfinite(item):
            raise ValueError(f"{name}[{i}] must be finite, got {item!r}")
    return items


def require_str_list(name: str, value: object) -> Sequence[str]:
    """Return ``value`` if it is a list of ``str``; else raise ``TypeError``."""
    items = require_seq(name, value)
    for i, item in enumerate(items):
        require_str(f"{name}[{i}]", item)
    return items


def require_int_pairs(name: str, value: object) -> Sequence[Sequence[int]]:
    """Return ``value`` if it is a list of ``[int, int]`` pairs (edges, intervals, points).

    Raises:
        TypeError: not a list of lists of int.
        ValueError: an item that does not hold exactly two values.
    """
    items = require_seq(name, value)
    for i, pair in enumerate(items):
        if len(require_seq(f"{name}[{i}]", pair)) != 2:
            raise ValueError(f"{name}[{i}] must be a pair of ints, got {pair!r}")
        require_int_list(f"{name}[{i}]", pair)
    return items


def require_grid(
    name: str,
    value: object,
    *,
    of: type = int,
    allowed: Sequence[object] | None = None,
    mutable: bool = False,
) -> Sequence[Sequence[Any]]:
    """Return ``value`` if it is a rectangular list of rows of ``of`` items, each in ``allowed``.

    An empty grid (``[]``) passes; each solution says what its answer is.

    Raises:
        TypeError: not a list of lists, or an item of another type (``bool`` is not an int).
        ValueError: rows of different lengths, or an item outside ``allowed``.
    """
    rows = require_seq(name, value, mutable=mutable)
    width = -1
    for r, row in enumerate(rows):
        cells = require_seq(f"{name}[{r}]", row, mutable=mutable)
        if r == 0:
            width = len(cells)
        elif len(cells) != width:
            raise ValueError(
                f"{name} rows must have equal lengths: row {r} has {len(cells)}, row 0 has {width}"
            )
        for c, item in enumerate(cells):
            if isinstance(item, bool) or not isinstance(item, of):
                raise TypeError(f"{name}[{r}][{c}] must be a {of.__name__}, got {item!r}")
            if allowed is not None and item not in allowed:
                choices = ", ".join(map(repr, allowed))
                raise ValueError(f"{name}[{r}][{c}] must be one of {choices}, got {item!r}")
    return cast("Sequence[Sequence[Any]]", rows)


def require_char_grid(name: str, value: object) -> Sequence[Sequence[str]]:
    """Return ``value`` if it is a rectangular grid of one-character strings (a letter board).

    A cell such as ``"ab"`` can never equal one letter of a word, so a search would
    quietly answer ``False``; it is refused instead.

    Raises:
        TypeError: not a list of lists of str.
        ValueError: rows of different lengths, or a cell that is not exactly one character.
    """
    rows = require_grid(name, value, of=str)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if len(cell) != 1:
                raise ValueError(f"{name}[{r}][{c}] must be a single character, got {cell!r}")
    return rows


def require_node(name: str, value: object, kind: type) -> None:
    """Raise ``TypeError`` unless ``value`` is ``None`` or a ``kind`` (the root is checked).

    The node classes check their own fields when built, so the root's type is enough.
    """
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__} or None, got {value!r}")


def require_linked_list(name: str, head: object, kind: type, *, ascending: bool = False) -> None:
    """Check a linked list of ``kind`` nodes: no cycle, and ascending values if asked.

    One walk with Floyd's two pointers: O(n) time, O(1) space, like the solutions.

    Raises:
        TypeError: ``head`` is neither ``None`` nor a ``kind``.
        ValueError: the list loops back on itself (the solutions would never end), or a
            value is smaller than the one before it although ``ascending``.
    """
    require_node(name, head, kind)
    slow: Any = head  # a kind node from here on: it has .val and .next
    fast: Any = head
    while fast is not None and fast.next is not None:
        slow, fast = slow.next, fast.next.next
        if slow is fast:
            raise ValueError(f"{name} has a cycle, got {head!r}")
    node: Any = head
    while ascending and node is not None and node.next is not None:
        if node.next.val < node.val:
            raise ValueError(f"{name} must be sorted ascending, got {head!r}")
        node = node.next
