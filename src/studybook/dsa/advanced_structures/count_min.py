"""Count-Min Sketch: approximate frequency counts in ``width x depth`` counters.

Cormode & Muthukrishnan (2005): with ``width = ceil(e / eps)`` and
``depth = ceil(ln(1 / delta))``, the estimate ``a_hat`` of an item whose true
count is ``a`` satisfies ``a <= a_hat`` always and ``a_hat <= a + eps * N``
with probability at least ``1 - delta``, where ``N`` is the total of all counts.
Each row uses its own salted BLAKE2b hash, so rows are independent.
"""

from __future__ import annotations

import math

from studybook.dsa.advanced_structures._hashing import Item, encode_item, hash64

__all__ = ["MAX_COUNTERS", "CountMinSketch"]

MAX_COUNTERS = 1 << 24
"""The most counters (``width * depth``) one sketch may allocate, 16,777,216."""


class CountMinSketch:
    """A Count-Min Sketch with ``depth`` rows of ``width`` counters (non-negative updates).

    Args:
        width: counters per row; the additive error is about ``e / width`` of the total.
        depth: rows; the bound fails with probability about ``e ** -depth``.

    Raises:
        ValueError: if ``width`` or ``depth`` is below 1, or ``width * depth``
            exceeds ``MAX_COUNTERS``.
        TypeError: if ``width`` or ``depth`` is not an int (``bool`` included).

    Complexity: O(width * depth) memory; O(depth) per add and estimate.

    >>> cms = CountMinSketch(width=272, depth=5)
    >>> cms.add("apple", 3); cms.add("pear")
    >>> cms.estimate("apple"), cms.estimate("kiwi"), cms.total
    (3, 0, 4)
    >>> CountMinSketch(0, 5)
    Traceback (most recent call last):
    ...
    ValueError: width must be >= 1, got 0
    """

    def __init__(self, width: int, depth: int) -> None:
        for name, value in (("width", width), ("depth", depth)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name} must be an int, got {value!r}")
            if value < 1:
                raise ValueError(f"{name} must be >= 1, got {value!r}")
        if width * depth > MAX_COUNTERS:
            raise ValueError(
                f"a {width}x{depth} sketch has more than MAX_COUNTERS = {MAX_COUNTERS} counters"
            )
        self.width = width
        self.depth = depth
        self.total = 0
        self._rows = [[0] * width for _ in range(depth)]

    @classmethod
    def from_error(cls, epsilon: float, delta: float) -> CountMinSketch:
        """Size a sketch so that ``estimate <= true + epsilon * N`` with probability ``1 - delta``.

        Args:
            epsilon: additive error as a fraction of the total count, in (0, 1).
            delta: failure probability, in (0, 1).

        Returns:
            A sketch with ``width = ceil(e / epsilon)`` and ``depth = ceil(ln(1 / delta))``.

        Raises:
            ValueError: if either argument is outside (0, 1) (NaN included), or
                the sketch would exceed ``MAX_COUNTERS``.
            TypeError: if either argument is not a number (``bool`` included).

        Complexity: O(width * depth).

        >>> cms = CountMinSketch.from_error(0.01, 0.01)
        >>> cms.width, cms.depth
        (272, 5)
        >>> CountMinSketch.from_error(0.01, 1.0)
        Traceback (most recent call last):
        ...
        ValueError: delta must be in (0, 1), got 1.0
        """
        for name, value in (("epsilon", epsilon), ("delta", delta)):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise TypeError(f"{name} must be a number, got {value!r}")
            if not 0 < value < 1:
                raise ValueError(f"{name} must be in (0, 1), got {value!r}")
        # -log(delta), not log(1 / delta): 1 / 5e-324 overflows to inf, and
        # ceil(inf) raised OverflowError instead of the MAX_COUNTERS ValueError.
        return cls(math.ceil(math.e / epsilon), math.ceil(-math.log(delta)))

    @property
    def epsilon(self) -> float:
        """The additive error factor ``e / width`` guaranteed by this sketch's width."""
        return math.e / self.width

    @property
    def delta(self) -> float:
        """The failure probability ``e ** -depth`` guaranteed by this sketch's depth."""
        return math.exp(-self.depth)

    def add(self, item: Item, count: int = 1) -> None:
        """Add ``count`` occurrences of ``item``.

        Args:
            item: a ``str``, ``bytes`` or ``int``.
            count: how many occurrences (>= 0; the never-underestimate guarantee
                holds only for non-negative updates, the "cash register" model).

        Raises:
            ValueError: if ``count`` is negative.
            TypeError: if ``item`` has an unsupported type or ``count`` is not an int.

        Complexity: O(depth).

        >>> cms = CountMinSketch(10, 3)
        >>> cms.add("a", 0); cms.estimate("a")
        0
        >>> cms.add("a", -1)
        Traceback (most recent call last):
        ...
        ValueError: count must be >= 0, got -1
        """
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"count must be an int, got {count!r}")
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count!r}")
        for row, column in enumerate(self._columns(item)):
            self._rows[row][column] += count
        self.total += count

    def estimate(self, item: Item) -> int:
        """Return an upper estimate of ``item``'s count: the minimum of its ``depth`` counters.

        Raises:
            TypeError: if ``item`` has an unsupported type.

        Complexity: O(depth).

        >>> cms = CountMinSketch(1, 2)
        >>> cms.add("a", 2); cms.add("b", 5)
        >>> cms.estimate("a")  # width 1: every item collides with every other
        7
        """
        return min(self._rows[row][column] for row, column in enumerate(self._columns(item)))

    def _columns(self, item: object) -> list[int]:
        data = encode_item(item)
        return [hash64(data, salt=row) % self.width for row in range(self.depth)]

    def merge(self, other: CountMinSketch) -> None:
        """Add ``other``'s counters into this sketch (both must have the same shape).

        The result is the sketch of the concatenated streams, because every
        counter is a sum and the rows use the same hash functions.

        Raises:
            TypeError: if ``other`` is not a :class:`CountMinSketch`.
            ValueError: if the widths or depths differ.

        Complexity: O(width * depth).

        >>> a, b = CountMinSketch(50, 4), CountMinSketch(50, 4)
        >>> a.add("x", 2); b.add("x", 3); a.merge(b); a.estimate("x")
        5
        >>> a.merge(CountMinSketch(10, 4))
        Traceback (most recent call last):
        ...
        ValueError: cannot merge a 10x4 sketch into a 50x4 sketch
        """
        if not isinstance(other, CountMinSketch):
            raise TypeError(f"can only merge a CountMinSketch, got {other!r}")
        if (other.width, other.depth) != (self.width, self.depth):
            raise ValueError(
                f"cannot merge a {other.width}x{other.depth} sketch "
                f"into a {self.width}x{self.depth} sketch"
            )
        for mine, theirs in zip(self._rows, other._rows, strict=True):
            for column, value in enumerate(theirs):
                mine[column] += value
        self.total += other.total

    def _check_invariants(self) -> None:
        if len(self._rows) != self.depth or any(len(r) != self.width for r in self._rows):
            raise AssertionError("counter table does not have shape depth x width")
        for row in self._rows:
            # Every update adds its count to exactly one counter per row.
            if sum(row) != self.total or min(row) < 0:
                raise AssertionError(f"row sums to {sum(row)}, total is {self.total}")
