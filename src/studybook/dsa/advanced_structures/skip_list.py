"""Skip list: a sorted set with expected O(log n) search, insert and delete (Pugh 1990).

Every element lives on level 0, a sorted linked list; each element is also
promoted to the next level up with probability ``p``, so level ``i`` holds
about ``n * p**i`` elements and a search drops down about ``log_{1/p} n``
levels, walking about ``1/p`` nodes on each. Levels come from an injected
:class:`random.Random`, so runs are reproducible and tests can seed them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar, cast

__all__ = ["MAX_LEVEL", "SkipList", "SupportsLessThan"]

MAX_LEVEL = 64
"""The tallest tower allowed; with p = 1/2, 64 levels serve 2**64 elements."""


class SupportsLessThan(Protocol):
    """What a skip list needs of its elements: a strict ordering through ``<``."""

    def __lt__(self, other: Any, /) -> bool:
        """Return whether ``self`` sorts before ``other``."""


T = TypeVar("T", bound=SupportsLessThan)


class _Node(Generic[T]):
    __slots__ = ("forward", "value")

    def __init__(self, value: T, height: int) -> None:
        self.value = value
        self.forward: list[_Node[T] | None] = [None] * height


class SkipList(Generic[T]):
    """A sorted set of mutually comparable elements backed by a skip list.

    Duplicates are ignored: like :class:`set` (and a Redis sorted set's members),
    each element is stored once, and :meth:`insert` reports whether it was new.

    Args:
        items: initial elements.
        p: promotion probability; Pugh (1990) recommends 1/4 (fewer pointers,
            slightly more variable search time) or 1/2.
        max_level: the tallest tower allowed; 32 levels serve ``(1/p)**32`` elements.
        rng: the random generator that picks tower heights (seed it for reproducible runs).

    Raises:
        ValueError: if ``p`` is not in (0, 1), ``max_level`` is not in
            [1, 64], or an element is not equal to itself (NaN).
        TypeError: if ``items`` is a ``str`` or ``bytes`` (pass a list of
            elements), ``p`` is not a number or ``max_level`` not an int.

    Complexity: O(n) expected memory (``1/(1-p)`` pointers per element);
    search, insert and remove O(log n) expected; iteration O(n).

    >>> s = SkipList([30, 10, 20], rng=random.Random(7))
    >>> list(s), 20 in s, len(s)
    ([10, 20, 30], True, 3)
    >>> s.insert(20)  # already present: ignored
    False
    >>> SkipList(p=1.0)
    Traceback (most recent call last):
    ...
    ValueError: p must be in (0, 1), got 1.0
    >>> SkipList([float("nan"), 1.0])
    Traceback (most recent call last):
    ...
    ValueError: skip list elements must be equal to themselves, got nan
    """

    def __init__(
        self,
        items: Iterable[T] = (),
        *,
        p: float = 0.5,
        max_level: int = 32,
        rng: random.Random | None = None,
    ) -> None:
        if isinstance(items, str | bytes | bytearray):
            raise TypeError(f"items must be an iterable of elements, not a string: got {items!r}")
        if not isinstance(p, int | float) or isinstance(p, bool):
            raise TypeError(f"p must be a number, got {p!r}")
        if not 0 < p < 1:  # also rejects NaN, for which every comparison is False
            raise ValueError(f"p must be in (0, 1), got {p!r}")
        if not isinstance(max_level, int) or isinstance(max_level, bool):
            raise TypeError(f"max_level must be an int, got {max_level!r}")
        if not 1 <= max_level <= MAX_LEVEL:
            raise ValueError(f"max_level must be in [1, {MAX_LEVEL}], got {max_level!r}")
        self.p = p
        self.max_level = max_level
        self._rng = rng if rng is not None else random.Random()  # noqa: S311 - not crypto
        # The head is a sentinel tower of full height; its value is never read.
        self._head: _Node[T] = _Node(cast(T, None), max_level)
        self._level = 1  # levels in use: 1 + the tallest tower's top index
        self._size = 0
        self.search_steps = 0
        """Nodes examined by all searches so far (set it to 0 to start a measurement)."""
        for item in items:
            self.insert(item)

    def __del__(self) -> None:
        # Free level 0 node by node. Left alone, dropping the head frees
        # node -> forward list -> node ... as nested C calls, one level per
        # element; under Pyodide (the book's Run buttons) that overflows the
        # browser's stack at a few thousand elements.
        node = getattr(self, "_head", None)  # absent if __init__ raised early
        while node is not None:
            node.forward, node = [], node.forward[0]

    def __len__(self) -> int:
        """Return the number of elements."""
        return self._size

    def __iter__(self) -> Iterator[T]:
        """Yield the elements in ascending order (a walk along level 0)."""
        node = self._head.forward[0]
        while node is not None:
            yield node.value
            node = node.forward[0]

    def __repr__(self) -> str:
        """Return ``SkipList([...])`` with the elements in order."""
        return f"SkipList({list(self)!r})"

    def __contains__(self, x: object) -> bool:
        """Return whether ``x`` is in the list.

        Complexity: O(log n) expected.

        >>> s = SkipList(["b", "a"], rng=random.Random(1))
        >>> "a" in s, "c" in s
        (True, False)
        >>> float("nan") in SkipList([1.0])
        False
        """
        if x != x:
            return False  # NaN: "neither smaller nor larger" would match any node
        node = self._predecessors(cast(T, x))[0].forward[0]
        if node is None or node.value < x or x < node.value:  # type: ignore[operator]
            return False
        return bool(node.value == x)  # incomparable (e.g. {1} and {2}) is not equal

    def _predecessors(self, x: T) -> list[_Node[T]]:
        """For each level, the last node whose value is < ``x`` (the head if none)."""
        update: list[_Node[T]] = [self._head] * self.max_level
        node = self._head
        for level in range(self._level - 1, -1, -1):
            nxt = node.forward[level]
            # One step per node examined (Pugh's search-path length: moves right plus drops).
            while nxt is not None:
                self.search_steps += 1
                if not nxt.value < x:
                    break
                node = nxt
                nxt = node.forward[level]
            update[level] = node
        return update

    def insert(self, x: T) -> bool:
        """Add ``x``; return ``True`` if it was new, ``False`` if already present.

        Raises:
            ValueError: if ``x`` is not equal to itself (a NaN): every comparison
                with it is False, so it would cut the ordered list in two and
                every later element would be lost to searches; or if ``x`` and
                the element where it belongs are neither ``<``, ``>`` nor ``==``
                (sets, a tuple holding a NaN), which would drop ``x`` silently.

        Complexity: O(log n) expected.

        >>> s = SkipList(rng=random.Random(3))
        >>> s.insert(5), s.insert(1), s.insert(5)
        (True, True, False)
        >>> list(s)
        [1, 5]
        >>> SkipList([{1}]).insert({2})
        Traceback (most recent call last):
        ...
        ValueError: skip list elements must be totally ordered: {2} is neither <, > nor == {1}
        """
        if x != x:
            raise ValueError(f"skip list elements must be equal to themselves, got {x!r}")
        update = self._predecessors(x)
        candidate = update[0].forward[0]
        if candidate is not None and not x < candidate.value:
            if candidate.value == x:
                return False  # neither smaller nor larger, and equal: a duplicate
            # Neither smaller, larger nor equal: a partial order (sets, tuples
            # holding a NaN). Treating it as a duplicate would silently drop x.
            raise ValueError(
                f"skip list elements must be totally ordered: {x!r} is neither <, > nor == "
                f"{candidate.value!r}"
            )
        height = self._random_height()
        self._level = max(self._level, height)
        node = _Node(x, height)
        for level in range(height):
            node.forward[level] = update[level].forward[level]
            update[level].forward[level] = node
        self._size += 1
        return True

    def _random_height(self) -> int:
        # Geometric: each extra level with probability p (Pugh 1990, "randomLevel").
        height = 1
        while height < self.max_level and self._rng.random() < self.p:
            height += 1
        return height

    def remove(self, x: T) -> None:
        """Remove ``x``.

        Raises:
            KeyError: if ``x`` is not present (as ``set.remove`` does); a NaN
                never is.

        Complexity: O(log n) expected.

        >>> s = SkipList([1, 2], rng=random.Random(0))
        >>> s.remove(1); list(s)
        [2]
        >>> s.remove(42)
        Traceback (most recent call last):
        ...
        KeyError: 42
        """
        if x != x:
            raise KeyError(x)  # NaN is never stored, and would "equal" any node below
        update = self._predecessors(x)
        node = update[0].forward[0]
        if node is None or x < node.value or node.value < x or node.value != x:
            raise KeyError(x)  # the last test: an incomparable node is not x
        for level in range(len(node.forward)):
            update[level].forward[level] = node.forward[level]
        while self._level > 1 and self._head.forward[self._level - 1] is None:
            self._level -= 1
        self._size -= 1

    def levels(self) -> list[list[T]]:
        """Return the elements on each level, bottom (all elements) first.

        Complexity: O(n) expected.

        >>> SkipList([3, 1, 2, 4], rng=random.Random(3)).levels()
        [[1, 2, 3, 4], [1, 3, 4], [4]]
        >>> SkipList().levels()
        [[]]
        """
        return [[node.value for node in row] for row in self._level_nodes()]

    def _level_nodes(self) -> list[list[_Node[T]]]:
        rows: list[list[_Node[T]]] = []
        for level in range(self._level):
            row: list[_Node[T]] = []
            node = self._head.forward[level]
            while node is not None:
                row.append(node)
                node = node.forward[level]
            rows.append(row)
        return rows

    def _check_invariants(self) -> None:
        rows = self._level_nodes()
        if len(rows[0]) != self._size:
            raise AssertionError(f"level 0 holds {len(rows[0])} nodes, size is {self._size}")
        for i, row in enumerate(rows):
            values = [node.value for node in row]
            if any(not a < b for a, b in itertools.pairwise(values)):
                raise AssertionError(f"level {i} is not strictly increasing: {values!r}")
            if any(len(node.forward) <= i for node in row):
                raise AssertionError(f"level {i} links a node shorter than the level")
            if i and not {id(n) for n in row} <= {id(n) for n in rows[i - 1]}:
                raise AssertionError(f"level {i} is not a sub-list of level {i - 1}")
        if self._level > 1 and not rows[-1]:
            raise AssertionError("the top level in use is empty")
        if any(self._head.forward[i] is not None for i in range(self._level, self.max_level)):
            raise AssertionError("a head pointer above the levels in use is set")
