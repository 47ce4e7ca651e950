"""A fixed-capacity FIFO queue in a circular array (a ring buffer).

A queue hands elements out in arrival order. A ring buffer implements one in a
preallocated array with a head index that wraps around, so it never allocates
after construction and never shifts elements: the shape of network driver
queues, audio buffers and log tails. Interviewers ask it to test index
arithmetic (the ``% capacity`` wrap) and the full/empty distinction.

Invariant: the elements, oldest first, are at slots ``head, head+1, ...,
head+size-1`` (mod capacity); every other slot holds ``None``.

>>> q = RingBuffer(2)
>>> q.append(1); q.append(2)
>>> q.is_full(), q.popleft(), len(q)
(True, 1, 1)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from studybook.dsa.data_structures._check import require

__all__ = ["BufferFullError", "RingBuffer", "T"]

#: The element type.
T = TypeVar("T")


class BufferFullError(IndexError):
    """Raised by :meth:`RingBuffer.append` on a full buffer created with ``overwrite=False``.

    It subclasses :class:`IndexError`, which ``collections.deque`` raises for
    the mirror-image case (popping from an empty deque): no slot available.
    """


class RingBuffer(Generic[T]):
    """A bounded FIFO queue: ``append`` at the tail, ``popleft`` at the head.

    When the buffer is full, ``append`` either raises :class:`BufferFullError`
    (``overwrite=False``, the default: losing data silently is a policy the
    caller must choose) or drops the oldest element (``overwrite=True``, like
    ``collections.deque(maxlen=n)``: keep the most recent n).

    Args:
        capacity: maximum number of elements; must be a positive int.
        overwrite: on a full buffer, replace the oldest element instead of raising.

    Raises:
        TypeError: if ``capacity`` is not an int (``bool`` included) or
            ``overwrite`` is not a bool.
        ValueError: if ``capacity < 1``.

    Complexity: every operation O(1) worst case; memory O(capacity).

    >>> q = RingBuffer(2, overwrite=True)
    >>> for x in "abc":
    ...     q.append(x)
    >>> list(q)
    ['b', 'c']
    >>> RingBuffer(0)
    Traceback (most recent call last):
    ValueError: capacity must be a positive int, got 0
    >>> RingBuffer(2.0)
    Traceback (most recent call last):
    TypeError: capacity must be an int, got float: 2.0
    """

    def __init__(self, capacity: int, *, overwrite: bool = False) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise TypeError(f"capacity must be an int, got {type(capacity).__name__}: {capacity!r}")
        if capacity < 1:
            raise ValueError(f"capacity must be a positive int, got {capacity!r}")
        if not isinstance(overwrite, bool):
            raise TypeError(
                f"overwrite must be a bool, got {type(overwrite).__name__}: {overwrite!r}"
            )
        self._slots: list[T | None] = [None] * capacity
        self._head = 0  # index of the oldest element
        self._size = 0
        self._overwrite = overwrite

    @property
    def capacity(self) -> int:
        """Maximum number of elements the buffer holds."""
        return len(self._slots)

    def append(self, value: T) -> None:
        """Add ``value`` at the tail.

        Raises:
            BufferFullError: if the buffer is full and ``overwrite`` is False.

        Complexity: O(1).

        >>> q = RingBuffer(1)
        >>> q.append("x")
        >>> q.append("y")
        Traceback (most recent call last):
        studybook.dsa.data_structures.ring_buffer.BufferFullError: RingBuffer is full (capacity 1)
        """
        capacity = len(self._slots)
        if self._size == capacity:
            if not self._overwrite:
                raise BufferFullError(f"RingBuffer is full (capacity {capacity})")
            # The tail slot is the head slot: overwrite the oldest, advance the head.
            self._slots[self._head] = value
            self._head = (self._head + 1) % capacity
            return
        self._slots[(self._head + self._size) % capacity] = value
        self._size += 1

    def popleft(self) -> T:
        """Remove and return the oldest element.

        Raises:
            IndexError: if the buffer is empty.

        Complexity: O(1).

        >>> q = RingBuffer(3)
        >>> q.append(1); q.popleft()
        1
        >>> q.popleft()
        Traceback (most recent call last):
        IndexError: popleft from empty RingBuffer
        """
        if self._size == 0:
            raise IndexError("popleft from empty RingBuffer")
        value = self._slots[self._head]
        self._slots[self._head] = None
        self._head = (self._head + 1) % len(self._slots)
        self._size -= 1
        return value  # type: ignore[return-value]  # occupied slots hold T

    def peek(self) -> T:
        """Return the oldest element without removing it.

        Raises:
            IndexError: if the buffer is empty.

        Complexity: O(1).

        >>> RingBuffer(3).peek()
        Traceback (most recent call last):
        IndexError: peek at empty RingBuffer
        """
        if self._size == 0:
            raise IndexError("peek at empty RingBuffer")
        return self._slots[self._head]  # type: ignore[return-value]

    def is_full(self) -> bool:
        """True if ``len(self) == capacity`` (the next append raises or overwrites)."""
        return self._size == len(self._slots)

    def __len__(self) -> int:
        """Number of elements held."""
        return self._size

    def __iter__(self) -> Iterator[T]:
        """Yield the elements from oldest to newest."""
        for i in range(self._size):
            yield self._slots[(self._head + i) % len(self._slots)]  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"RingBuffer({list(self)!r}, capacity={self.capacity})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if head, size or the free slots are inconsistent."""
        capacity = len(self._slots)
        require(0 <= self._size <= capacity, f"size {self._size} outside [0, {capacity}]")
        require(0 <= self._head < capacity, f"head {self._head} outside [0, {capacity})")
        free = [(self._head + self._size + i) % capacity for i in range(capacity - self._size)]
        require(all(self._slots[i] is None for i in free), "a free slot holds a reference")
