"""Size-tiered compaction: merge several tables of similar size into one bigger table.

Tables form tiers of roughly equal size; when a tier has ``min_threshold``
tables they become one table of the next tier. Each byte is rewritten about
once per tier, and tiers grow geometrically, so write amplification is about
``log_T(N)`` for ``T = min_threshold``: low. The price is read and space
amplification: many tables may hold a key, and until the biggest tier is
merged, overwritten and deleted data stays on disk (up to about 2x during a
large merge). This is Cassandra's default strategy (STCS); the parameter names
and defaults below are Cassandra's ("Size Tiered Compaction Strategy",
https://cassandra.apache.org/doc/latest/cassandra/managing/operating/compaction/stcs.html).

One deliberate difference from Cassandra: a bucket here is a run of
*adjacent* tables in the newest-to-oldest list. Cassandra may merge any
tables of similar size because every cell carries a write timestamp, so the
merge can pick the newest version by timestamp. Our entries carry no sequence
number, so the newest version is identified by table *position*; merging only
adjacent tables and putting the output where they were keeps that order true.

>>> from studybook.dsa.lsm_tree.sstable import TableMeta
>>> tables = [TableMeta(n, 1000, 10, b"a", b"z") for n in (9, 8, 7, 6)]
>>> [t.number for t in SizeTiered(min_sstable_bytes=0).pick([tables]).inputs]
[9, 8, 7, 6]
"""

from __future__ import annotations

from .checks import require_int, require_real
from .compaction import Compaction, Levels
from .sstable import TableMeta

__all__ = ["SizeTiered"]


class SizeTiered:
    """Size-tiered compaction strategy (Cassandra's STCS, restricted to adjacent tables).

    Args:
        min_threshold: merge a bucket once it has this many tables (Cassandra: 4).
        max_threshold: merge at most this many tables at once (Cassandra: 32).
        bucket_low: a table joins a bucket if its size is at least this
            fraction of the bucket's average size (Cassandra: 0.5).
        bucket_high: ... and at most this multiple of it (Cassandra: 1.5).
        min_sstable_bytes: tables smaller than this all count as similar,
            so a burst of tiny flushes is merged together (Cassandra's
            ``min_sstable_size``, 50 MiB; scale it with ``memtable_bytes``).

    Raises:
        TypeError: if a count is not an ``int`` (``bool`` included) or a
            bucket bound is not a number.
        ValueError: if ``min_threshold < 2``, ``max_threshold < min_threshold``,
            a bucket bound is NaN or infinite, ``not 0 < bucket_low <= 1 <= bucket_high``,
            or ``min_sstable_bytes < 0``.

    >>> SizeTiered().name
    'size-tiered'
    >>> SizeTiered(min_threshold=1)
    Traceback (most recent call last):
    ValueError: min_threshold must be >= 2, got 1
    >>> SizeTiered(bucket_high=float("nan"))
    Traceback (most recent call last):
    ValueError: bucket_high must be a finite number, got nan
    """

    def __init__(
        self,
        min_threshold: int = 4,
        max_threshold: int = 32,
        bucket_low: float = 0.5,
        bucket_high: float = 1.5,
        *,
        min_sstable_bytes: int = 50 * 1024 * 1024,
    ) -> None:
        # Merging one table into itself would never reduce the table count.
        self.min_threshold = require_int("min_threshold", min_threshold, minimum=2)
        self.max_threshold = require_int("max_threshold", max_threshold, minimum=2)
        if max_threshold < min_threshold:
            raise ValueError(
                f"max_threshold must be >= min_threshold ({min_threshold}), got {max_threshold!r}"
            )
        self.bucket_low = require_real("bucket_low", bucket_low)
        self.bucket_high = require_real("bucket_high", bucket_high)
        if not 0 < self.bucket_low <= 1 <= self.bucket_high:
            raise ValueError(
                f"need 0 < bucket_low <= 1 <= bucket_high, got {bucket_low!r}, {bucket_high!r}"
            )
        self.min_sstable_bytes = require_int("min_sstable_bytes", min_sstable_bytes, minimum=0)

    def __repr__(self) -> str:
        return (
            f"SizeTiered(min_threshold={self.min_threshold}, max_threshold={self.max_threshold},"
            f" bucket_low={self.bucket_low}, bucket_high={self.bucket_high},"
            f" min_sstable_bytes={self.min_sstable_bytes})"
        )

    @property
    def name(self) -> str:
        """``"size-tiered"``, as recorded in the manifest."""
        return "size-tiered"

    def pick(self, levels: Levels) -> Compaction | None:
        """Plan a merge of the bucket with the smallest average size, if one is full.

        Args:
            levels: the tree's levels (size-tiered uses level 0 only).

        Returns:
            A plan whose inputs are ``min_threshold`` to ``max_threshold``
            adjacent tables of similar size, or ``None``. Tombstones are
            dropped only if the window reaches the oldest table.

        Complexity: O(tables).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> def tables(*sizes): return [TableMeta(n, s, 1, b"a", b"z") for n, s in enumerate(sizes)]
        >>> plan = SizeTiered(min_threshold=2, min_sstable_bytes=0).pick([tables(10, 10, 100)])
        >>> [t.number for t in plan.inputs], plan.drop_tombstones
        ([0, 1], False)
        >>> SizeTiered(min_sstable_bytes=0).pick([tables(10, 100, 10, 100)]) is None
        True
        """
        tables = list(levels[0]) if levels else []
        best: tuple[float, int, int] | None = None  # (average size, start, stop)
        for start, stop in self._buckets(tables):
            stop = min(stop, start + self.max_threshold)
            if stop - start < self.min_threshold:
                continue
            average = sum(t.file_bytes for t in tables[start:stop]) / (stop - start)
            # Cassandra also prefers the cheapest bucket: small merges first.
            if best is None or average < best[0]:
                best = (average, start, stop)
        if best is None:
            return None
        _, start, stop = best
        return Compaction(tuple(tables[start:stop]), 0, drop_tombstones=stop == len(tables))

    def _buckets(self, tables: list[TableMeta]) -> list[tuple[int, int]]:
        """Split the newest-first list into maximal runs of similar-sized tables."""
        buckets: list[tuple[int, int]] = []
        start, total = 0, 0
        for i, table in enumerate(tables):
            if i > start and not self._similar(table.file_bytes, total / (i - start)):
                buckets.append((start, i))
                start, total = i, 0
            total += table.file_bytes
        if tables:
            buckets.append((start, len(tables)))
        return buckets

    def _similar(self, size: int, average: float) -> bool:
        if size < self.min_sstable_bytes and average < self.min_sstable_bytes:
            return True
        return self.bucket_low * average <= size <= self.bucket_high * average

    def plan_full(self, levels: Levels) -> Compaction | None:
        """Plan a merge of every table into one, dropping every tombstone.

        Args:
            levels: the tree's levels.

        Returns:
            The plan, or ``None`` if there are no tables.

        Complexity: O(tables).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> plan = SizeTiered().plan_full([[TableMeta(1, 9, 1, b"a", b"a")]])
        >>> len(plan.inputs), plan.drop_tombstones, SizeTiered().plan_full([])
        (1, True, None)
        """
        tables = tuple(t for level in levels for t in level)
        return Compaction(tables, 0, drop_tombstones=True) if tables else None

    def check_shape(self, levels: Levels) -> None:
        """Raise ``AssertionError`` if any table lives below level 0.

        Complexity: O(levels).

        >>> from studybook.dsa.lsm_tree.sstable import TableMeta
        >>> SizeTiered().check_shape([[], [TableMeta(1, 9, 1, b"a", b"a")]])
        Traceback (most recent call last):
        AssertionError: size-tiered keeps every table in level 0, found 2 levels
        """
        if len(levels) > 1:
            raise AssertionError(
                f"size-tiered keeps every table in level 0, found {len(levels)} levels"
            )
