"""A growable array over a fixed-size block, with the resize cost made visible.

A Python ``list`` is a dynamic array: a contiguous block of slots that is
reallocated, and every element copied, when it fills. :class:`DynamicArray`
does the same over a pre-sized list that it never lets grow by itself, and
counts every element it copies in :attr:`DynamicArray.copies`, so the
amortized analysis can be measured instead of taken on trust.

Invariant: ``0 <= len(a) <= a.capacity``, every slot at or past ``len(a)``
holds ``None`` (a popped element is not kept alive by the array), and with
shrinking on, no block is left at most ``1/g**2`` full if shrinking it would
free a slot.

>>> a = DynamicArray()
>>> for x in range(5):
...     a.append(x)
>>> len(a), a.capacity, a.copies
(5, 8, 7)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Final, Generic, TypeVar

from studybook.dsa.data_structures._check import require

__all__ = ["MAX_GROWTH", "DynamicArray", "T"]

#: The element type.
T = TypeVar("T")

MAX_GROWTH: Final = 16
"""The largest growth factor :class:`DynamicArray` accepts."""


class DynamicArray(Generic[T]):
    """A list-like sequence that doubles (or grows by ``growth_factor``) when full.

    Growth: when an append finds no free slot, capacity becomes
    ``max(capacity + 1, ceil(capacity * growth_factor))`` and every element is
    copied to the new block. With factor 2 the copies of n appends sum to
    1 + 2 + 4 + ... < 2n, so an append costs O(1) amortized.

    Shrink policy (``shrink=True``, the default): after a pop leaves the array
    at most ``1/g**2`` full (g the growth factor: a quarter for doubling), the
    block shrinks to ``ceil(size * g)`` slots, so it is ``1/g`` full, just as
    after a growth. Shrinking at ``1/g`` full instead would thrash: one append
    at the boundary grows the block, the next pop shrinks it, each an O(n)
    copy. The old rule "halve at a quarter" is right only for g = 2: with
    g = 4, an append to a full block of c slots leaves c + 1 of 4c in use, a
    quarter, and the next pop would halve it. With the ``1/g**2`` rule, any
    resize that copies n elements comes at least ``(1 - 1/g) * n - 1``
    appends and pops after the previous resize (the tests check this bound
    on random operation sequences for several g).

    Args:
        growth_factor: multiplier applied to the capacity on growth; a real
            number in ``(1, 16]`` (above 16 a fresh block is more than 15/16
            empty, and capacities explode within a few resizes).
        shrink: shrink the block when a pop leaves it at most ``1/g**2`` full.

    Raises:
        TypeError: if ``growth_factor`` is not an int or float (``bool``
            included), or ``shrink`` is not a bool.
        ValueError: if ``growth_factor`` is NaN or outside ``(1, 16]``.

    Complexity: append and pop O(1) amortized (O(n) for the one that
    resizes); indexing O(1); memory O(capacity).

    >>> a = DynamicArray(growth_factor=1.5)
    >>> a.append("x"); a[0]
    'x'
    >>> DynamicArray(growth_factor=1.0)
    Traceback (most recent call last):
    ValueError: growth_factor must be in (1, 16], got 1.0
    >>> DynamicArray(growth_factor=None)
    Traceback (most recent call last):
    TypeError: growth_factor must be an int or float, got NoneType: None
    """

    def __init__(self, growth_factor: float = 2.0, *, shrink: bool = True) -> None:
        if isinstance(growth_factor, bool) or not isinstance(growth_factor, (int, float)):
            raise TypeError(
                "growth_factor must be an int or float, "
                f"got {type(growth_factor).__name__}: {growth_factor!r}"
            )
        if not 1 < growth_factor <= MAX_GROWTH:  # also rejects NaN and infinity
            raise ValueError(f"growth_factor must be in (1, {MAX_GROWTH}], got {growth_factor!r}")
        if not isinstance(shrink, bool):
            raise TypeError(f"shrink must be a bool, got {type(shrink).__name__}: {shrink!r}")
        self._growth = growth_factor
        self._shrink = shrink
        self._slots: list[T | None] = []
        self._size = 0
        self.copies = 0
        """Total element copies made by all resizes so far."""
        self.resizes = 0
        """Number of resizes (growths and shrinks) so far."""

    @property
    def capacity(self) -> int:
        """Number of slots in the current block (``len(self)`` of them are in use)."""
        return len(self._slots)

    def append(self, value: T) -> None:
        """Add ``value`` at the end, growing the block first if it is full.

        Args:
            value: the element to add.

        Complexity: O(1) amortized; O(n) when it triggers a resize.

        >>> a = DynamicArray()
        >>> a.append(7); a.append(8)
        >>> list(a), a.capacity
        ([7, 8], 2)
        """
        if self._size == len(self._slots):
            grown = math.ceil(len(self._slots) * self._growth)
            self._resize(max(len(self._slots) + 1, grown))
        self._slots[self._size] = value
        self._size += 1

    def _resize(self, new_capacity: int) -> None:
        block: list[T | None] = [None] * new_capacity
        for i in range(self._size):
            block[i] = self._slots[i]
        self.copies += self._size
        self.resizes += 1
        self._slots = block

    def pop(self) -> T:
        """Remove and return the last element (shrinking the block if it is ``1/g**2`` full).

        Returns:
            The element that was last.

        Raises:
            IndexError: if the array is empty.

        Complexity: O(1) amortized.

        >>> a = DynamicArray()
        >>> a.append(1)
        >>> a.pop()
        1
        >>> a.pop()
        Traceback (most recent call last):
        IndexError: pop from empty DynamicArray
        """
        if self._size == 0:
            raise IndexError("pop from empty DynamicArray")
        self._size -= 1
        value = self._slots[self._size]
        self._slots[self._size] = None  # drop the reference so it can be collected
        if self._shrink and self._size * self._growth**2 <= len(self._slots):
            target = math.ceil(self._size * self._growth)  # leaves the block 1/g full
            if target < len(self._slots):
                self._resize(target)
        return value  # type: ignore[return-value]  # slots below _size hold T

    def __getitem__(self, index: int) -> T:
        """Return the element at ``index`` (negative indices count from the end).

        Raises:
            IndexError: if ``index`` is out of range; the message names both
                the index and the length.
            TypeError: if ``index`` is not an int.

        Complexity: O(1): one address computation, the point of an array.

        >>> a = DynamicArray()
        >>> a.append("a"); a.append("b")
        >>> a[-1]
        'b'
        >>> a[2]
        Traceback (most recent call last):
        IndexError: index 2 out of range for DynamicArray of length 2
        """
        return self._slots[self._position(index)]  # type: ignore[return-value]

    def __setitem__(self, index: int, value: T) -> None:
        """Replace the element at ``index``.

        Raises:
            IndexError: if ``index`` is out of range.
            TypeError: if ``index`` is not an int.

        Complexity: O(1).

        >>> a = DynamicArray()
        >>> a.append(0); a[0] = 5; a[0]
        5
        >>> a[-2] = 1
        Traceback (most recent call last):
        IndexError: index -2 out of range for DynamicArray of length 1
        """
        self._slots[self._position(index)] = value

    def _position(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(
                f"DynamicArray indices must be int, got {type(index).__name__}: {index!r}"
            )
        position = index + self._size if index < 0 else index
        if not 0 <= position < self._size:
            raise IndexError(
                f"index {index!r} out of range for DynamicArray of length {self._size}"
            )
        return position

    def __len__(self) -> int:
        """Number of elements in use (not the capacity)."""
        return self._size

    def __iter__(self) -> Iterator[T]:
        """Yield the elements from first to last."""
        for i in range(self._size):
            yield self._slots[i]  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"DynamicArray({list(self)!r}, capacity={self.capacity})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if the size, capacity or empty slots are inconsistent."""
        require(0 <= self._size <= len(self._slots), f"size {self._size} > {self.capacity}")
        require(all(s is None for s in self._slots[self._size :]), "stale reference kept")
        require(self.copies >= 0, f"negative copy count {self.copies}")
        if self._shrink:  # no pop may leave a block that the shrink rule should have cut
            require(
                self._size * self._growth**2 > len(self._slots)
                or math.ceil(self._size * self._growth) >= len(self._slots),
                f"size {self._size} should have shrunk capacity {self.capacity}",
            )
