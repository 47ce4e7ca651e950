"""A binary min-heap in an array: the smallest element is always at index 0.

A heap is the standard priority queue: Dijkstra, Prim, event simulation,
"k largest", merging k sorted lists, median of a stream, task schedulers.
Interviewers ask for it because it is the structure behind "repeatedly take
the minimum" and because its array layout (children of i at 2i+1 and 2i+2)
and its O(n) bottom-up build are classic follow-ups.

Invariant (heap property): ``a[parent(i)] <= a[i]`` for every ``i > 0``, with
``parent(i) = (i - 1) // 2``.

==========  ============
operation   worst case
==========  ============
push        O(log n)
pop         O(log n)
peek        O(1)
heapify     O(n)
==========  ============

>>> h = MinHeap.heapify([5, 1, 4])
>>> h.push(0)
>>> [h.pop() for _ in range(len(h))]
[0, 1, 4, 5]

Primary source: J. W. J. Williams, "Algorithm 232: Heapsort" (CACM, 1964);
the O(n) build is R. W. Floyd, "Algorithm 245: Treesort 3" (CACM, 1964).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Protocol, TypeVar

from studybook.dsa.data_structures._check import checked_key, require

__all__ = ["MinHeap", "Ordered", "T"]


class Ordered(Protocol):
    """Anything that supports ``<`` (ints, floats, strings, tuples of those)."""

    def __lt__(self, other: Any, /) -> bool:
        """Return True if ``self`` sorts before ``other``."""
        ...


#: The element type, anything :class:`Ordered`.
T = TypeVar("T", bound=Ordered)


class MinHeap(Generic[T]):
    """A priority queue that returns its smallest element first.

    Elements only need ``<``. Ties are popped in no particular order (a heap
    is not stable); push ``(priority, counter, item)`` tuples when order among
    equal priorities matters, as the ``heapq`` documentation recommends.

    Complexity: push and pop O(log n) (one root-to-leaf path); peek O(1);
    memory O(n) with no pointers.

    >>> h = MinHeap()
    >>> h.push(3); h.push(1); h.peek()
    1
    >>> MinHeap().pop()
    Traceback (most recent call last):
    IndexError: pop from empty heap
    """

    def __init__(self) -> None:
        self._a: list[T] = []

    @classmethod
    def heapify(cls, items: Iterable[T]) -> MinHeap[T]:
        """Build a heap from ``items`` bottom-up in O(n) (Floyd's method).

        Sifting down every internal node from the last one to the root costs
        sum over heights h of (n / 2^(h+1)) * O(h) = O(n): most nodes are near
        the leaves and move little. Pushing the items one by one would be
        O(n log n).

        Args:
            items: the elements, in any order (any iterable; it is read once).

        Returns:
            A new heap holding them.

        Raises:
            TypeError: if ``items`` is not iterable, or its elements do not
                support ``<`` with each other.
            ValueError: if an element is NaN, or a tuple or list holding one
                (it would silently break the heap order: every comparison
                with NaN is False).

        Complexity: O(n).

        >>> MinHeap.heapify([3, 2, 1]).peek()
        1
        >>> len(MinHeap.heapify(iter([])))
        0
        >>> MinHeap.heapify([1.0, float("nan")])
        Traceback (most recent call last):
        ValueError: MinHeap keys must not be NaN, got nan
        """
        if not isinstance(items, Iterable):
            raise TypeError(f"heapify needs an iterable, got {type(items).__name__}: {items!r}")
        heap = cls()
        heap._a = [checked_key(item, "MinHeap") for item in items]
        try:
            for i in reversed(range(len(heap._a) // 2)):
                heap._sift_down(i)
        except TypeError:
            raise TypeError(f"heapify: elements cannot be compared: {heap._a!r}") from None
        return heap

    def push(self, value: T) -> None:
        """Add ``value``: append it as the last leaf, then sift it up.

        Raises:
            ValueError: if ``value`` is NaN, or a tuple or list holding one.
            TypeError: if ``value`` cannot be compared with the elements held
                (the heap is left unchanged).

        Complexity: O(log n).

        >>> h = MinHeap()
        >>> for x in [4, 2, 8]:
        ...     h.push(x)
        >>> h.peek()
        2
        >>> h.push("1")
        Traceback (most recent call last):
        TypeError: cannot compare '1' with the elements of this MinHeap
        """
        checked_key(value, "MinHeap")
        self._a.append(value)
        try:
            self._sift_up(len(self._a) - 1)
        except TypeError:
            self._a.pop()  # _sift_up moves nothing until every comparison is made
            raise TypeError(f"cannot compare {value!r} with the elements of this MinHeap") from None

    def _sift_up(self, i: int) -> None:
        # Compare first, move after: the new element's final place is found by
        # comparisons alone, so a comparison that raises leaves the array as it was.
        a = self._a
        item, target = a[i], i
        while target > 0 and item < a[(target - 1) // 2]:
            target = (target - 1) // 2
        while i > target:  # shift each ancestor on the way down one level
            parent = (i - 1) // 2
            a[i] = a[parent]
            i = parent
        a[i] = item

    def pop(self) -> T:
        """Remove and return the smallest element.

        The last leaf moves to the root and sifts down, swapping with its
        smaller child until neither child is smaller.

        Raises:
            IndexError: if the heap is empty.

        Complexity: O(log n).

        >>> h = MinHeap.heapify([2, 1])
        >>> h.pop(), h.pop()
        (1, 2)
        >>> h.pop()
        Traceback (most recent call last):
        IndexError: pop from empty heap
        """
        if not self._a:
            raise IndexError("pop from empty heap")
        last = self._a.pop()
        if not self._a:
            return last
        top, self._a[0] = self._a[0], last
        self._sift_down(0)
        return top

    def _sift_down(self, i: int) -> None:
        a, n = self._a, len(self._a)
        while True:
            smallest = i
            for child in (2 * i + 1, 2 * i + 2):
                if child < n and a[child] < a[smallest]:
                    smallest = child
            if smallest == i:
                return
            a[i], a[smallest] = a[smallest], a[i]
            i = smallest

    def peek(self) -> T:
        """Return the smallest element without removing it.

        Raises:
            IndexError: if the heap is empty.

        Complexity: O(1).

        >>> MinHeap().peek()
        Traceback (most recent call last):
        IndexError: peek at empty heap
        """
        if not self._a:
            raise IndexError("peek at empty heap")
        return self._a[0]

    def __len__(self) -> int:
        """Number of elements."""
        return len(self._a)

    def __repr__(self) -> str:
        return f"MinHeap({self._a!r})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if some element is smaller than its parent."""
        a = self._a
        for i in range(1, len(a)):
            require(not a[i] < a[(i - 1) // 2], f"a[{i}]={a[i]!r} < its parent")
