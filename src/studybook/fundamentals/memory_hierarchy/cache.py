"""A set-associative cache with LRU replacement within each set, counting hits and misses.

A cache of ``size_bytes`` is cut into lines of ``line_bytes``; the lines are
grouped into ``sets`` of ``ways`` lines each. An address is split into three
fields: the low ``offset`` bits pick a byte within a line, the next ``index``
bits pick the one set the line may live in, and the remaining high bits are
the ``tag`` stored to tell apart the many memory lines that share the set.
Direct-mapped (one way) and fully associative (one set) caches are the two
extremes of the same structure. Interviewers ask because it explains cache
lines, locality, conflict misses and why strides of a power of two hurt.

Invariant: every set holds at most ``ways`` distinct tags, ordered from least
to most recently used; ``hits + misses`` equals the number of accesses.

=========================  ==============================
operation                  cost
=========================  ==============================
``access``                 O(1) (a dict per set)
``split``                  O(1), shifts and masks
memory                     O(lines touched), at most size_bytes / line_bytes
=========================  ==============================

>>> cache = CacheSimulator(size_bytes=8, line_bytes=2, ways=1)
>>> [cache.access(a) for a in (0, 1, 13, 8, 0)], (cache.hits, cache.misses)
([False, True, False, False, False], (1, 4))

Primary sources: R. E. Bryant, D. R. O'Hallaron, *Computer Systems: A
Programmer's Perspective*, 3rd ed., 2016, section 6.4 (the (S, E, B, m)
notation and the trace above); D. A. Patterson, J. L. Hennessy, *Computer
Organization and Design*, section 5.3-5.4 (direct-mapped and set-associative
examples).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

__all__ = ["AddressParts", "CacheSimulator", "check_address", "check_size"]


class AddressParts(NamedTuple):
    """An address split the way a cache indexes it: ``tag | set_index | offset``."""

    tag: int
    set_index: int
    offset: int


class CacheSimulator:
    """A set-associative cache with LRU replacement within each set.

    Args:
        size_bytes: total data capacity, a power of two.
        line_bytes: bytes per line (block), a power of two, at most ``size_bytes``.
        ways: lines per set (associativity), at least 1; ``size_bytes`` must
            divide into whole sets of ``ways * line_bytes`` bytes. ``ways=1``
            is direct-mapped; ``ways=size_bytes // line_bytes`` is fully
            associative.

    Attributes:
        hits: accesses that found their line resident.
        misses: accesses that had to bring their line in.
        evictions: misses that first had to throw a resident line out.

    Raises:
        TypeError: an argument that is not an ``int`` (``bool`` included).
        ValueError: a size that is not a positive power of two, ``ways < 1``,
            or a geometry that does not divide into whole sets.

    Complexity: ``access`` O(1); memory O(lines touched), at most
    ``size_bytes / line_bytes``: a set is created on its first access, so
    simulating a 1 GiB cache costs nothing until the trace fills it.

    >>> c = CacheSimulator(16, 4, 2)          # 4 lines, 2 sets of 2 ways
    >>> c.sets, c.split(0b110101)
    (2, AddressParts(tag=6, set_index=1, offset=1))
    >>> CacheSimulator(24, 4, 2)
    Traceback (most recent call last):
    ValueError: size_bytes must be a power of two, got 24
    """

    def __init__(self, size_bytes: int, line_bytes: int, ways: int) -> None:
        check_size(size_bytes, "size_bytes")
        check_size(line_bytes, "line_bytes")
        if isinstance(ways, bool) or not isinstance(ways, int):
            raise TypeError(f"ways must be an int, got {type(ways).__name__}: {ways!r}")
        if ways < 1:
            raise ValueError(f"ways must be at least 1, got {ways!r}")
        set_bytes = line_bytes * ways
        if size_bytes % set_bytes:
            raise ValueError(
                f"size_bytes {size_bytes} does not divide into whole sets of "
                f"{ways} x {line_bytes} bytes"
            )
        self.size_bytes = size_bytes
        self.line_bytes = line_bytes
        self.ways = ways
        # A power of two divided by a divisor that is a multiple of a power
        # of two is itself a power of two, so the set index is a bit field.
        self.sets = size_bytes // set_bytes
        self.offset_bits = line_bytes.bit_length() - 1
        self.index_bits = self.sets.bit_length() - 1
        # One ordered dict of tags per set, least recently used first, made on
        # first use: building all of them up front took 6 s and 150 MB for a
        # 64 MiB direct-mapped cache, and a 1 GiB one ran out of memory.
        self._sets: dict[int, OrderedDict[int, None]] = {}
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    def access(self, address: int) -> bool:
        """Read or write the byte at ``address``; return True on a hit.

        On a miss the line is brought in, evicting the least recently used
        line of its set if the set is full. Reads and writes behave alike: a
        write-allocate cache brings the line in on a write miss too.

        Raises:
            TypeError: ``address`` not an ``int`` (``bool``, float, NaN included).
            ValueError: ``address`` negative.

        Complexity: O(1).

        >>> c = CacheSimulator(16, 4, 1)
        >>> c.access(0), c.access(3), c.access(16), c.access(0)
        (False, True, False, False)
        >>> c.access(-4)
        Traceback (most recent call last):
        ValueError: address must not be negative, got -4
        """
        check_address(address)
        line = address >> self.offset_bits
        index = line & (self.sets - 1)
        lines = self._sets.get(index)
        if lines is None:
            lines = self._sets[index] = OrderedDict()
        tag = line >> self.index_bits
        if tag in lines:
            lines.move_to_end(tag)
            self.hits += 1
            return True
        self.misses += 1
        if len(lines) == self.ways:
            lines.popitem(last=False)
            self.evictions += 1
        lines[tag] = None
        return False

    def split(self, address: int) -> AddressParts:
        """Return the ``(tag, set_index, offset)`` fields of ``address``.

        Raises:
            TypeError, ValueError: as :meth:`access`.

        Complexity: O(1).

        >>> CacheSimulator(32 * 1024, 64, 8).split(0x7F3A_12C5)
        AddressParts(tag=521121, set_index=11, offset=5)
        """
        check_address(address)
        line = address >> self.offset_bits
        return AddressParts(
            line >> self.index_bits, line & (self.sets - 1), address & (self.line_bytes - 1)
        )

    @property
    def accesses(self) -> int:
        """Hits plus misses so far."""
        return self.hits + self.misses

    @property
    def hit_rate(self) -> float:
        """Hits over accesses so far (0.0 before the first access)."""
        return self.hits / self.accesses if self.accesses else 0.0

    def resident(self, set_index: int) -> tuple[int, ...]:
        """Tags resident in one set, least recently used first.

        Raises:
            IndexError: ``set_index`` outside ``range(sets)``.

        >>> c = CacheSimulator(8, 2, 2)       # 2 sets: lines 0, 2, 4 all map to set 0
        >>> for a in (0, 4, 0, 8):          # tags 0, 1, 0, 2: tag 1 is evicted
        ...     _ = c.access(a)
        >>> c.resident(0)
        (0, 2)
        """
        if isinstance(set_index, bool) or not isinstance(set_index, int):
            raise TypeError(f"set_index must be an int, got {set_index!r}")
        if not 0 <= set_index < self.sets:
            raise IndexError(f"set_index must be in range({self.sets}), got {set_index!r}")
        return tuple(self._sets.get(set_index, ()))

    def __repr__(self) -> str:
        return (
            f"CacheSimulator(size_bytes={self.size_bytes}, line_bytes={self.line_bytes}, "
            f"ways={self.ways})"
        )

    def _check_invariants(self) -> None:
        for i, lines in self._sets.items():
            if not 0 <= i < self.sets:
                raise AssertionError(f"set {i} outside range({self.sets})")
            if len(lines) > self.ways:
                raise AssertionError(f"set {i} holds {len(lines)} > {self.ways} lines")
        if self.evictions > self.misses:
            raise AssertionError(f"{self.evictions} evictions > {self.misses} misses")
        resident = sum(len(lines) for lines in self._sets.values())
        if resident != self.misses - self.evictions:
            raise AssertionError(f"{resident} lines resident, expected misses - evictions")


def check_size(value: object, what: str) -> int:
    """Return ``value`` if it is an ``int`` that is a positive power of two, else raise.

    >>> check_size(64, "line_bytes")
    64
    >>> check_size(48, "line_bytes")
    Traceback (most recent call last):
    ValueError: line_bytes must be a power of two, got 48
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < 1 or value & (value - 1):
        raise ValueError(f"{what} must be a power of two, got {value!r}")
    return value


def check_address(address: object) -> int:
    """Return ``address`` if it is a non-negative ``int`` (not ``bool``), else raise.

    >>> check_address(float("nan"))
    Traceback (most recent call last):
    TypeError: address must be an int, got float: nan
    """
    if isinstance(address, bool) or not isinstance(address, int):
        raise TypeError(f"address must be an int, got {type(address).__name__}: {address!r}")
    if address < 0:
        raise ValueError(f"address must not be negative, got {address!r}")
    return address
