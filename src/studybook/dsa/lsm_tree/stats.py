"""A snapshot of the tree's shape and of the three amplifications that judge a compaction strategy.

* **Write amplification**: bytes the tree wrote to tables (flushes plus
  compactions) per byte of keys and values the user wrote. The log adds about
  1 more (every write is logged once); it is reported separately as
  ``wal_bytes_written`` because it is the same for every strategy.
* **Space amplification**: bytes on disk (tables and log) per byte of live
  data (the keys and values a full scan returns).
* **Read amplification**: data blocks read per point lookup, i.e. tables that
  passed the key-range and Bloom filter checks and were actually read.

The three cannot all be minimal at once (Athanassoulis et al., "Designing
Access Methods: The RUM Conjecture", EDBT 2016): size-tiered trades read and
space amplification for low write amplification, leveled the reverse.

Counters (``*_written``, ``gets``...) count since the tree was opened.

>>> s = Stats(tables_per_level=(1,), bytes_per_level=(100,), table_bytes=100, wal_bytes=0,
...           memtable_bytes=0, memtable_entries=0, live_bytes=50, user_bytes_written=50,
...           wal_bytes_written=60, flush_bytes_written=100, compaction_bytes_written=0,
...           flushes=1, compactions=0, gets=0, tables_probed=0)
>>> s.write_amplification, s.space_amplification, s.read_amplification
(2.0, 2.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Stats"]


@dataclass(frozen=True)
class Stats:
    """What :meth:`LSMTree.stats() <studybook.dsa.lsm_tree.LSMTree.stats>` returns."""

    tables_per_level: tuple[int, ...]
    bytes_per_level: tuple[int, ...]
    table_bytes: int
    wal_bytes: int
    memtable_bytes: int
    memtable_entries: int
    live_bytes: int
    user_bytes_written: int
    wal_bytes_written: int
    flush_bytes_written: int
    compaction_bytes_written: int
    flushes: int
    compactions: int
    gets: int
    tables_probed: int
    bloom_negatives: int = 0

    @property
    def disk_bytes(self) -> int:
        """Tables plus the live log."""
        return self.table_bytes + self.wal_bytes

    @property
    def write_amplification(self) -> float:
        """``(flush + compaction bytes) / user bytes``; 0.0 before any write."""
        if self.user_bytes_written == 0:
            return 0.0
        return (self.flush_bytes_written + self.compaction_bytes_written) / self.user_bytes_written

    @property
    def space_amplification(self) -> float:
        """``disk bytes / live bytes``; 0.0 when nothing is live."""
        return self.disk_bytes / self.live_bytes if self.live_bytes else 0.0

    @property
    def read_amplification(self) -> float:
        """Data blocks read per ``get``; 0.0 before any ``get``."""
        return self.tables_probed / self.gets if self.gets else 0.0
