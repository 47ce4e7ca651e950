"""What every compaction strategy shares: the plan, the protocol, and applying a plan.

Flushes only ever add tables, so without compaction reads would probe more
and more tables and deleted or overwritten data would never leave the disk.
A compaction merges some tables into new ones, keeping the newest version of
each key (and dropping tombstones when it is safe). *Which* tables to merge is
the strategy's choice, and it sets the trade-off between write, read and space
amplification (see :mod:`~studybook.dsa.lsm_tree.size_tiered` and
:mod:`~studybook.dsa.lsm_tree.leveled`).

The tree's tables are ``levels: list[list[TableMeta]]``. Level 0 holds flushed
tables, newest first, whose key ranges may overlap. Every deeper level is one
sorted run: tables sorted by key, ranges disjoint. A read trusts this order,
so every plan must keep it: newer data is always in an earlier position of
level 0 or a shallower level.

>>> from studybook.dsa.lsm_tree.sstable import TableMeta
>>> a, b = TableMeta(1, 100, 2, b"a", b"k"), TableMeta(2, 100, 2, b"m", b"z")
>>> key_range([a, b]), [t.number for t in overlapping([a, b], b"n", b"p")]
((b'a', b'z'), [2])
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .sstable import TableMeta

__all__ = [
    "Compaction",
    "CompactionStrategy",
    "Levels",
    "apply_compaction",
    "check_sorted_runs",
    "key_range",
    "overlapping",
]

Levels = Sequence[Sequence[TableMeta]]
"""Level 0 newest first (ranges may overlap); deeper levels sorted and disjoint."""


@dataclass(frozen=True)
class Compaction:
    """A plan: merge ``inputs`` into new tables placed at ``output_level``.

    Attributes:
        inputs: the tables to merge, newest first; on equal keys the earlier
            table wins, so this order *is* the correctness argument.
        output_level: where the outputs go.
        drop_tombstones: true only if no table outside ``inputs`` that is
            older than them can hold a key in their range; then a tombstone
            has nothing left to hide and can be dropped with its key.
        max_output_bytes: start a new output table past this size (``None``:
            one output table).
    """

    inputs: tuple[TableMeta, ...]
    output_level: int
    drop_tombstones: bool
    max_output_bytes: int | None = None


@runtime_checkable
class CompactionStrategy(Protocol):
    """The interface the tree drives: plan a compaction, or report satisfaction."""

    @property
    def name(self) -> str:
        """Recorded in the manifest; reopening with another strategy is refused."""
        ...

    def pick(self, levels: Levels) -> Compaction | None:
        """Return the next compaction the shape of ``levels`` calls for, or ``None``."""
        ...

    def plan_full(self, levels: Levels) -> Compaction | None:
        """Return a plan that merges every table into one run, or ``None`` if none."""
        ...

    def check_shape(self, levels: Levels) -> None:
        """Raise ``AssertionError`` if ``levels`` break this strategy's layout."""
        ...


def key_range(tables: Sequence[TableMeta]) -> tuple[bytes, bytes]:
    """Return the smallest and largest key over ``tables``.

    Args:
        tables: at least one table.

    Returns:
        ``(smallest, largest)``.

    Raises:
        ValueError: if ``tables`` is empty.

    Complexity: O(len(tables)).

    >>> from studybook.dsa.lsm_tree.sstable import TableMeta
    >>> key_range([TableMeta(1, 9, 1, b"c", b"c"), TableMeta(2, 9, 2, b"a", b"b")])
    (b'a', b'c')
    >>> key_range([])
    Traceback (most recent call last):
    ValueError: key_range needs at least one table
    """
    if not tables:
        raise ValueError("key_range needs at least one table")
    return min(t.smallest for t in tables), max(t.largest for t in tables)


def overlapping(tables: Sequence[TableMeta], smallest: bytes, largest: bytes) -> list[TableMeta]:
    """Return the tables whose key range meets ``[smallest, largest]`` (both inclusive).

    Args:
        tables: tables to filter, in any order.
        smallest: lowest key of the range.
        largest: highest key of the range.

    Returns:
        The overlapping tables, in their original order.

    Raises:
        ValueError: if ``smallest > largest``.

    Complexity: O(len(tables)).

    >>> from studybook.dsa.lsm_tree.sstable import TableMeta
    >>> t = TableMeta(1, 9, 2, b"c", b"f")
    >>> overlapping([t], b"f", b"z") == [t], overlapping([t], b"g", b"z")
    (True, [])
    >>> overlapping([t], b"z", b"a")
    Traceback (most recent call last):
    ValueError: smallest must be <= largest, got b'z' > b'a'
    """
    if smallest > largest:
        raise ValueError(f"smallest must be <= largest, got {smallest!r} > {largest!r}")
    return [t for t in tables if t.smallest <= largest and smallest <= t.largest]


def apply_compaction(
    levels: Levels, compaction: Compaction, outputs: Sequence[TableMeta]
) -> list[list[TableMeta]]:
    """Return the levels after replacing ``compaction.inputs`` with ``outputs``.

    At level 0 the outputs take the place of the newest input, which keeps
    level 0 in newest-first order when the inputs were adjacent there. At a
    deeper level they are merged into the run by key.

    Args:
        levels: the current levels (not modified).
        compaction: the plan that produced ``outputs``.
        outputs: the new tables, in key order (possibly none, if every entry
            was a dropped tombstone).

    Returns:
        New levels, with empty trailing levels removed.

    Raises:
        ValueError: if an input is not in ``levels``.

    Complexity: O(total tables).

    >>> from studybook.dsa.lsm_tree.sstable import TableMeta
    >>> t1, t2, t3 = (TableMeta(n, 9, 1, b"a", b"b") for n in (1, 2, 3))
    >>> plan = Compaction(inputs=(t2, t1), output_level=1, drop_tombstones=True)
    >>> [[t.number for t in level] for level in apply_compaction([[t2, t1]], plan, [t3])]
    [[], [3]]
    >>> apply_compaction([[t1]], plan, [t3])
    Traceback (most recent call last):
    ValueError: compaction input 2 is not in the levels
    """
    present = {t.number for level in levels for t in level}
    for table in compaction.inputs:
        if table.number not in present:
            raise ValueError(f"compaction input {table.number} is not in the levels")
    removed = {t.number for t in compaction.inputs}
    result = [[t for t in level if t.number not in removed] for level in levels]
    while len(result) <= compaction.output_level:
        result.append([])
    target = result[compaction.output_level]
    if compaction.output_level == 0:
        position = [t.number for t in levels[0]].index(compaction.inputs[0].number)
        target[position:position] = outputs
    else:
        target.extend(outputs)
        target.sort(key=lambda t: t.smallest)
    while result and not result[-1]:
        result.pop()
    return result


def check_sorted_runs(levels: Levels) -> None:
    """Raise ``AssertionError`` unless every level below 0 is sorted and disjoint.

    Args:
        levels: the levels to check.

    Raises:
        AssertionError: naming the level and the two offending tables.

    Complexity: O(total tables).

    >>> from studybook.dsa.lsm_tree.sstable import TableMeta
    >>> a, b = TableMeta(1, 9, 1, b"a", b"m"), TableMeta(2, 9, 1, b"k", b"z")
    >>> check_sorted_runs([[a, b]])  # level 0 may overlap
    >>> check_sorted_runs([[], [a, b]])
    Traceback (most recent call last):
    AssertionError: level 1: table 1 [b'a', b'm'] overlaps table 2 [b'k', b'z']
    """
    for depth, level in enumerate(levels):
        for table in level:
            if table.smallest > table.largest:
                raise AssertionError(f"table {table.number} has smallest > largest")
        if depth == 0:
            continue
        for left, right in itertools.pairwise(level):
            if left.largest >= right.smallest:
                raise AssertionError(
                    f"level {depth}: table {left.number} [{left.smallest!r}, {left.largest!r}]"
                    f" overlaps table {right.number} [{right.smallest!r}, {right.largest!r}]"
                )
