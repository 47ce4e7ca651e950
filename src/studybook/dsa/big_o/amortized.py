"""Amortized analysis by measurement: a dynamic array that counts its copies.

Growing by a factor g keeps the copies per append below g/(g-1) (amortized
O(1)); growing by a fixed increment makes them grow with n. Tarjan,
"Amortized computational complexity" (1985); CLRS section 17.4.
"""

from __future__ import annotations

import math
from typing import Generic, TypeVar, cast

from studybook.dsa.big_o._check import check_int, check_real

__all__ = ["DynamicArray", "amortized_copies_per_append", "worst_copies_per_append"]

T = TypeVar("T")

_MAX_FACTOR = 8.0
_MAX_INCREMENT = 1 << 16


class DynamicArray(Generic[T]):
    """A growable array that counts the element copies its resizes make.

    When the block is full, ``append`` allocates a bigger one and copies
    every element across. Growing by a *factor* ``g`` makes the copies form a
    geometric series, fewer than ``g/(g-1)`` per append on average: amortized
    O(1). Growing by a fixed *increment* makes them an arithmetic series:
    O(n) per append on average.

    Args:
        growth_factor: new capacity is ``ceil(capacity * growth_factor) + increment``.
        increment: a fixed number of slots added at each resize.

    Raises:
        TypeError: if ``growth_factor`` is not a number or ``increment`` not an int.
        ValueError: if the factor is NaN or infinite, above 8, the increment
            above 65,536, or the policy would not grow (factor < 1,
            increment < 0, or factor == 1 with increment == 0).

    Complexity: append O(1) amortized (geometric growth), O(n) worst case.

    >>> arr = DynamicArray(growth_factor=2.0)
    >>> for x in range(5):
    ...     arr.append(x)
    >>> len(arr), arr.capacity, arr.copies, arr[4]
    (5, 8, 7, 4)
    >>> DynamicArray(growth_factor=1.0)
    Traceback (most recent call last):
    ValueError: the array would never grow: growth_factor=1.0, increment=0
    >>> DynamicArray(growth_factor=float("inf"))
    Traceback (most recent call last):
    ValueError: growth_factor must be finite, got inf
    """

    def __init__(self, growth_factor: float = 2.0, increment: int = 0) -> None:
        check_real("growth_factor", growth_factor)
        check_int("increment", increment, 0)
        # Real arrays grow by 1.125 to 2; the caps keep one resize from
        # asking the allocator for an absurd block.
        if growth_factor > _MAX_FACTOR or increment > _MAX_INCREMENT:
            raise ValueError(
                f"growth policy too large: growth_factor={growth_factor!r} (at most "
                f"{_MAX_FACTOR}), increment={increment!r} (at most {_MAX_INCREMENT})"
            )
        if growth_factor < 1 or (growth_factor == 1 and increment == 0):
            raise ValueError(
                f"the array would never grow: growth_factor={growth_factor!r}, "
                f"increment={increment!r}"
            )
        self._growth_factor = growth_factor
        self._increment = increment
        self._slots: list[T | None] = [None]
        self._size = 0
        #: Elements copied by resizes so far.
        self.copies = 0

    @property
    def capacity(self) -> int:
        """Slots allocated (always >= ``len(self)``)."""
        return len(self._slots)

    def append(self, item: T) -> None:
        """Add ``item`` at the end, growing the block first if it is full.

        Complexity: O(1) amortized, O(n) for the append that triggers a resize.
        """
        if self._size == len(self._slots):
            self._grow()
        self._slots[self._size] = item
        self._size += 1

    def _grow(self) -> None:
        old = len(self._slots)
        new = max(old + 1, math.ceil(old * self._growth_factor) + self._increment)
        slots: list[T | None] = [None] * new
        for i in range(self._size):
            slots[i] = self._slots[i]
        self.copies += self._size
        self._slots = slots

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: int) -> T:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"index must be an int, got {index!r}")
        if not 0 <= index < self._size:
            raise IndexError(f"index {index} out of range for length {self._size}")
        return cast(T, self._slots[index])

    def _check_invariants(self) -> None:
        if not 0 <= self._size <= len(self._slots):
            raise AssertionError(f"size {self._size} outside capacity {len(self._slots)}")
        if any(slot is not None for slot in self._slots[self._size :]):
            raise AssertionError("a slot past the end holds a value")


def amortized_copies_per_append(n: int, growth_factor: float = 2.0, increment: int = 0) -> float:
    """Append ``n`` items to a fresh :class:`DynamicArray`; return copies / n.

    Args:
        n: number of appends (>= 1).
        growth_factor: passed to :class:`DynamicArray`.
        increment: passed to :class:`DynamicArray`.

    Returns:
        The average number of element copies per append.

    Raises:
        TypeError: if ``n`` is not an int, or as :class:`DynamicArray`.
        ValueError: if ``n < 1`` or the growth policy is invalid.

    Complexity: O(n) for geometric growth, O(n^2 / increment) for a fixed increment.

    >>> amortized_copies_per_append(1000, 2.0)
    1.023
    >>> amortized_copies_per_append(1000, 1.0, increment=10)
    49.6
    >>> amortized_copies_per_append(0)
    Traceback (most recent call last):
    ValueError: n must be >= 1, got 0
    """
    check_int("n", n, 1)
    arr: DynamicArray[int] = DynamicArray(growth_factor, increment)
    for i in range(n):
        arr.append(i)
    return arr.copies / n


def worst_copies_per_append(max_n: int, growth_factor: float = 2.0) -> float:
    """The largest copies/n seen over every prefix of ``max_n`` appends.

    The average dips right after a resize and peaks right after the next
    one; the peak is what "amortized O(1)" bounds: below ``g/(g-1)``.

    Args:
        max_n: number of appends (>= 1).
        growth_factor: passed to :class:`DynamicArray`.

    Returns:
        max over n <= max_n of (copies after n appends) / n.

    Raises:
        TypeError: if ``max_n`` is not an int, or as :class:`DynamicArray`.
        ValueError: if ``max_n < 1`` or the growth policy is invalid.

    Complexity: O(max_n).

    >>> worst_copies_per_append(100_000, 2.0) < 2, worst_copies_per_append(100_000, 1.5) < 3
    (True, True)
    >>> worst_copies_per_append(0)
    Traceback (most recent call last):
    ValueError: max_n must be >= 1, got 0
    """
    check_int("max_n", max_n, 1)
    arr: DynamicArray[int] = DynamicArray(growth_factor)
    worst = 0.0
    for i in range(max_n):
        arr.append(i)
        worst = max(worst, arr.copies / (i + 1))
    return worst
