"""Leveled compaction: each level below 0 is one sorted run, ten times larger than the last.

Level 0 collects flushed tables (their ranges overlap). Once it holds
``l0_trigger`` tables, all of them are merged with the overlapping tables of
level 1. Level ``i >= 1`` may hold ``base_level_bytes * level_ratio**(i-1)``
bytes; past that, one of its tables (chosen round-robin through the key
space) is merged into the overlapping tables of level ``i+1``. Outputs are
split into files of about ``target_file_bytes`` so later merges stay small.

Because a level is one run, a point read checks at most one table per level
below 0 and about 90 % of the data sits in the last level, so read and space
amplification are low (space about 1.11x, once the last level is full). The
price is write amplification: a byte is rewritten about ``level_ratio`` times
per level it descends. This is LevelDB's design (``doc/impl.md``,
"Compactions"), with level limits fixed from the top down. RocksDB's leveled
compaction (its default) has sized levels from the bottom up since 8.4
(``level_compaction_dynamic_level_bytes = true``): the last level's actual
size sets the others, and level 0 flushes into a base level whose target
lies in ``(max_bytes_for_level_base / multiplier, max_bytes_for_level_base]``,
so the last level really does hold about 90 % of the data.

Defaults are RocksDB's divided by 1024 to match the tree's 64 KiB memtable
(RocksDB: ``write_buffer_size`` 64 MiB, ``max_bytes_for_level_base`` 256 MiB
(the base level's target, usually not level 1's),
``target_file_size_base`` 64 MiB, ``max_bytes_for_level_multiplier`` 10,
``level0_file_num_compaction_trigger`` 4; see RocksDB's tuning guide).

>>> from studybook.dsa.lsm_tree.sstable import TableMeta
>>> level0 = [TableMeta(n, 64, 9, b"a", b"z") for n in (4, 3, 2, 1)]
>>> Leveled().pick([level0]).output_level
1
"""

from __future__ import annotations

from collections.abc import Sequence

from .checks import require_int
from .compaction import Compaction, Levels, check_sorted_runs, key_range, overlapping
from .sstable import TableMeta

__all__ = ["Leveled"]


class Leveled:
    """Leveled compaction strategy (LevelDB/RocksDB style).

    Args:
        l0_trigger: compact level 0 once it holds this many tables.
        level_ratio: each level may hold this many times the previous one.
        base_level_bytes: the size limit of level 1.
        target_file_bytes: split compaction outputs into files of about this size.

    Raises:
        TypeError: if an argument is not an ``int`` (``bool`` and ``float`` included).
        ValueError: if ``l0_trigger < 1``, ``level_ratio < 2``, or a size is < 1.

    Note: the round-robin cursor per level (LevelDB's ``compact_pointer_``)
    is state, so use one instance per tree; it is not persisted, so after a
    reopen the rotation restarts from the smallest key.

    >>> Leveled()
    Leveled(l0_trigger=4, level_ratio=10, base_level_bytes=262144, target_file_bytes=65536)
    >>> Leveled(level_ratio=1)
    Traceback (most recent call last):
    ValueError: level_ratio must be >= 2, got 1
    >>> Leveled(l0_trigger=float("nan"))
    Traceback (most recent call last):
    TypeError: l0_trigger must be int, got float nan
    """

    def __init__(
        self,
        l0_trigger: int = 4,
        level_ratio: int = 10,
        base_level_bytes: int = 256 * 1024,
        target_file_bytes: int = 64 * 1024,
    ) -> None:
        self.l0_trigger = require_int("l0_trigger", l0_trigger, minimum=1)
        # With ratio 1 the last level could never absorb its parent.
        self.level_ratio = require_int("level_ratio", level_ratio, minimum=2)
        self.base_level_bytes = require_int("base_level_bytes", base_level_bytes, minimum=1)
        self.target_file_bytes = require_int("target_file_bytes", target_file_bytes, minimum=1)
        self._cursor: dict[int, bytes] = {}

    def __repr__(self) -> str:
        return (
            f"Leveled(l0_trigger={self.l0_trigger}, level_ratio={self.level_ratio},"
            f" base_level_bytes={self.base_level_bytes},"
            f" target_file_bytes={self.target_file_bytes})"
        )

    @property
    def name(self) -> str:
        """``"leveled"``, as recorded in the manifest."""
        return "leveled"

    def max_bytes(self, level: int) -> int:
        """Return the size limit of ``level`` (level 0 is limited by table count instead).

        Args:
            level: a level number >= 1.

        Returns:
            ``base_level_bytes * level_ratio ** (level - 1)``.

        Raises:
            TypeError: if ``level`` is not an ``int``.
            ValueError: if ``level < 1``.

        Complexity: O(1).

        >>> Leveled(base_level_bytes=100).max_bytes(1), Leveled(base_level_bytes=100).max_bytes(3)
        (100, 10000)
        >>> Leveled().max_bytes(0)
        Traceback (most recent call last):
        ValueError: level must be >= 1, got 0
        """
        require_int("level", level, minimum=1)
        # int ** int is typed as Any (a negative exponent gives a float); ours is >= 0.
        growth: int = self.level_ratio ** (level - 1)
        return self.base_level_bytes * growth

    def pick(self, levels: Levels) -> Compaction | None:
        """Plan the next compaction: level 0 first, then the shallowest oversized level.

        Args:
            levels: the tree's levels.

        Returns:
            A plan, or ``None`` when level 0 is under its trigger and every
            deeper level is within its size limit.

        Complexity: O(tables).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> big = [TableMeta(n, 200, 9, bytes([k]), bytes([k])) for n, k in ((5, 97), (6, 98))]
        >>> plan = Leveled(base_level_bytes=300).pick([[], big])
        >>> [t.number for t in plan.inputs], plan.output_level, plan.drop_tombstones
        ([5], 2, True)
        >>> Leveled().pick([]) is None
        True
        """
        level0 = list(levels[0]) if levels else []
        if len(level0) >= self.l0_trigger:
            smallest, largest = key_range(level0)
            below = overlapping(_level(levels, 1), smallest, largest)
            return self._plan((*level0, *below), 1, levels)
        for depth in range(1, len(levels)):
            if sum(t.file_bytes for t in levels[depth]) > self.max_bytes(depth):
                table = self._next_in_rotation(depth, levels[depth])
                below = overlapping(_level(levels, depth + 1), table.smallest, table.largest)
                return self._plan((table, *below), depth + 1, levels)
        return None

    def _next_in_rotation(self, depth: int, tables: Sequence[TableMeta]) -> TableMeta:
        # Round-robin through the key space, so every part of the level is
        # pushed down in turn rather than the same hot range again and again.
        cursor = self._cursor.get(depth)
        table = next((t for t in tables if cursor is None or t.smallest > cursor), tables[0])
        self._cursor[depth] = table.largest
        return table

    def _plan(self, inputs: tuple[TableMeta, ...], output_level: int, levels: Levels) -> Compaction:
        smallest, largest = key_range(inputs)
        deeper = [t for level in levels[output_level + 1 :] for t in level]
        # A tombstone may go only if no older table could still hold its key:
        # everything older than the inputs lives in the levels below the output.
        drop = not overlapping(deeper, smallest, largest)
        return Compaction(inputs, output_level, drop, self.target_file_bytes)

    def plan_full(self, levels: Levels) -> Compaction | None:
        """Plan a merge of every table into the deepest level, dropping every tombstone.

        Args:
            levels: the tree's levels.

        Returns:
            The plan (output at the deepest existing level, at least 1), or
            ``None`` if there are no tables.

        Complexity: O(tables).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> plan = Leveled().plan_full([[TableMeta(1, 9, 1, b"a", b"a")]])
        >>> plan.output_level, plan.drop_tombstones, Leveled().plan_full([[]])
        (1, True, None)
        """
        tables = tuple(t for level in levels for t in level)
        if not tables:
            return None
        return Compaction(tables, max(1, len(levels) - 1), True, self.target_file_bytes)

    def check_shape(self, levels: Levels) -> None:
        """Raise ``AssertionError`` if a level below 0 is not one sorted, disjoint run.

        Complexity: O(tables).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> Leveled().check_shape([[], [TableMeta(1, 9, 1, b"b", b"a")]])
        Traceback (most recent call last):
        AssertionError: table 1 has smallest > largest
        """
        check_sorted_runs(levels)


def _level(levels: Levels, depth: int) -> Sequence[TableMeta]:
    return levels[depth] if depth < len(levels) else []
