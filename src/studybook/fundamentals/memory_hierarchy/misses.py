"""The three Cs: classify every miss as compulsory, capacity or conflict.

Hill's model (1987) explains a set-associative cache's misses by comparing it
with two idealised caches. A **compulsory** (cold) miss is the first
reference to a line: no cache of any size avoids it. A **capacity** miss is
one that a *fully associative* LRU cache of the same size would also suffer:
the working set does not fit. A **conflict** miss is one the fully
associative cache would have avoided: too many hot lines map to one set.
Interviewers ask because the fix depends on the kind: prefetching or bigger
lines for compulsory, a bigger cache or blocking for capacity, more ways,
padding or a different stride for conflict.

Invariant: ``compulsory + capacity + conflict == misses`` of the
set-associative cache, ``compulsory`` equals the number of distinct lines,
and a fully associative cache has no conflict misses.

======================  ===================================
operation               cost
======================  ===================================
``miss_kinds``          O(n) for n accesses (two caches)
``classify_misses``     O(n)
======================  ===================================

>>> classify_misses([0, 32, 0, 32], size_bytes=32, line_bytes=16, ways=1)
MissBreakdown(accesses=4, hits=0, compulsory=2, capacity=0, conflict=2)

Primary sources: M. D. Hill, *Aspects of Cache Memory and Instruction Buffer
Performance*, PhD thesis, UC Berkeley, 1987; M. D. Hill, A. J. Smith,
"Evaluating Associativity in CPU Caches", *IEEE Transactions on Computers*
38(12), 1989; J. L. Hennessy, D. A. Patterson, *Computer Architecture: A
Quantitative Approach*, appendix B ("the three C's").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from studybook.fundamentals.memory_hierarchy.cache import CacheSimulator

__all__ = ["MissBreakdown", "MissKind", "classify_misses", "miss_kinds"]

MissKind = Literal["hit", "compulsory", "capacity", "conflict"]


@dataclass(frozen=True)
class MissBreakdown:
    """Counts of one trace's hits and of its misses by kind."""

    accesses: int
    hits: int
    compulsory: int
    capacity: int
    conflict: int

    @property
    def misses(self) -> int:
        """The total of compulsory, capacity and conflict misses."""
        return self.compulsory + self.capacity + self.conflict

    @property
    def hit_rate(self) -> float:
        """Hits over accesses (0.0 for an empty trace)."""
        return self.hits / self.accesses if self.accesses else 0.0


def miss_kinds(
    addresses: Iterable[int], size_bytes: int, line_bytes: int, ways: int
) -> list[MissKind]:
    """Label each access of a trace ``hit``, ``compulsory``, ``capacity`` or ``conflict``.

    The trace runs through a
    :class:`~studybook.fundamentals.memory_hierarchy.cache.CacheSimulator` of the given geometry
    and, in step, through a fully associative LRU cache of the same size and
    line size. A miss of the first is compulsory if its line was never seen,
    capacity if the fully associative cache missed too, conflict otherwise.

    Args:
        addresses: byte addresses, non-negative ints.
        size_bytes: total capacity, as for ``CacheSimulator``.
        line_bytes: bytes per line, as for ``CacheSimulator``.
        ways: lines per set, as for ``CacheSimulator``.

    Returns:
        One label per access, in order.

    Raises:
        TypeError: a geometry value or address that is not an ``int``.
        ValueError: a bad geometry or a negative address.

    Complexity: O(n) time, O(distinct lines) memory.

    >>> miss_kinds([0, 8, 0, 6, 8], size_bytes=4, line_bytes=1, ways=1)
    ['compulsory', 'compulsory', 'conflict', 'compulsory', 'conflict']
    >>> miss_kinds([0, 1, 2, 0], size_bytes=2, line_bytes=1, ways=2)
    ['compulsory', 'compulsory', 'compulsory', 'capacity']
    """
    cache = CacheSimulator(size_bytes, line_bytes, ways)
    ideal = CacheSimulator(size_bytes, line_bytes, size_bytes // line_bytes)
    seen: set[int] = set()
    kinds: list[MissKind] = []
    for address in addresses:
        hit = cache.access(address)
        ideal_hit = ideal.access(address)
        line = address >> cache.offset_bits
        if hit:
            kinds.append("hit")
        elif line not in seen:
            kinds.append("compulsory")
        elif not ideal_hit:
            kinds.append("capacity")
        else:
            kinds.append("conflict")
        seen.add(line)
    return kinds


def classify_misses(
    addresses: Iterable[int], size_bytes: int, line_bytes: int, ways: int
) -> MissBreakdown:
    """Count a trace's hits and its compulsory, capacity and conflict misses.

    Args and raises as :func:`miss_kinds`.

    Complexity: O(n).

    >>> trace = [0, 8, 0, 6, 8]                      # block addresses, 1-byte blocks
    >>> [classify_misses(trace, 4, 1, w).misses for w in (1, 2, 4)]
    [5, 4, 3]
    >>> classify_misses(trace, 4, 1, 3)
    Traceback (most recent call last):
    ValueError: size_bytes 4 does not divide into whole sets of 3 x 1 bytes
    """
    kinds = miss_kinds(addresses, size_bytes, line_bytes, ways)
    return MissBreakdown(
        accesses=len(kinds),
        hits=kinds.count("hit"),
        compulsory=kinds.count("compulsory"),
        capacity=kinds.count("capacity"),
        conflict=kinds.count("conflict"),
    )
