"""A LIFO stack: the last element pushed is the first popped.

Stacks are everywhere an interview goes: the call stack behind recursion,
depth-first search, undo, matching brackets, evaluating expressions, the
"monotonic stack" pattern. The structure is trivial; the skill being tested is
recognising that a problem is last-in-first-out.

Invariant: ``peek()`` is the most recent push not yet popped.

>>> s = Stack()
>>> s.push("a"); s.push("b")
>>> s.pop(), s.pop(), bool(s)
('b', 'a', False)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from studybook.dsa.data_structures._check import require

__all__ = ["Stack", "T"]

#: The element type.
T = TypeVar("T")


class Stack(Generic[T]):
    """A stack over a Python list whose end is the top (O(1) amortized push and pop).

    The top is the *end* of the list because ``list.append``/``list.pop()``
    touch one slot, while inserting at index 0 shifts every element.

    Complexity: push, pop, peek O(1) amortized; memory O(n).

    >>> s = Stack()
    >>> len(s), bool(s)
    (0, False)
    """

    def __init__(self) -> None:
        self._items: list[T] = []

    def push(self, value: T) -> None:
        """Put ``value`` on top.

        Complexity: O(1) amortized.

        >>> s = Stack()
        >>> s.push(1); s.peek()
        1
        """
        self._items.append(value)

    def pop(self) -> T:
        """Remove and return the top element.

        Raises:
            IndexError: if the stack is empty.

        Complexity: O(1) amortized.

        >>> s = Stack()
        >>> s.push(3); s.pop()
        3
        >>> s.pop()
        Traceback (most recent call last):
        IndexError: pop from empty stack
        """
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()

    def peek(self) -> T:
        """Return the top element without removing it.

        Raises:
            IndexError: if the stack is empty.

        Complexity: O(1).

        >>> Stack().peek()
        Traceback (most recent call last):
        IndexError: peek at empty stack
        """
        if not self._items:
            raise IndexError("peek at empty stack")
        return self._items[-1]

    def __len__(self) -> int:
        """Number of elements on the stack."""
        return len(self._items)

    def __bool__(self) -> bool:
        """True if the stack holds at least one element."""
        return bool(self._items)

    def __iter__(self) -> Iterator[T]:
        """Yield the elements from top to bottom (the order ``pop`` would return them)."""
        return reversed(self._items)

    def __repr__(self) -> str:
        return f"Stack(top->bottom {list(self)!r})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if the backing list is not a list."""
        require(isinstance(self._items, list), "backing store must be a list")
