"""LSM tree: a key-value store that turns random writes into sequential ones.

A log-structured merge tree buffers writes in a sorted in-memory *memtable*
(made durable by a *write-ahead log*), flushes it as an immutable sorted file
(an *SSTable*) when it fills, and merges those files in the background
(*compaction*). Every disk write is a sequential append or a whole new file;
nothing is updated in place. LevelDB, RocksDB, Cassandra, ScyllaDB, HBase and
the storage engines of many databases (CockroachDB's Pebble, TiKV) work this way.

Why interviewers ask: it is the standard answer to "design a write-heavy
store" and the contrast to the B-tree. It tests durability (what fsync really
guarantees), crash recovery, merging sorted runs, Bloom filters, and the
trade-off between write, read and space amplification that every compaction
strategy makes.

Invariant: for every key, the newest version is found first on the read path
(memtable, then level 0 newest to oldest, then levels 1, 2, ...); a tombstone
hides every older version; and the files named by ``MANIFEST`` plus the log it
names hold every acknowledged write.

==========================  ===================================================
operation                   cost (n keys, T tables, B entries per block)
==========================  ===================================================
``put`` / ``delete``        one log append (and fsync), then O(1) to overwrite
                            or O(m) to insert into a memtable of m keys;
                            each byte is later rewritten by compaction
                            (write amplification: ~log_T n tiered, ~10/level leveled)
``get``                     memtable O(1); then one block read per table that
                            passes its key-range and Bloom checks (~1 read)
``scan`` of k results       O((k + T) log T): a k-way heap merge
flush                       O(memtable), sequential
recovery                    O(log size + table indexes)
==========================  ===================================================

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as directory:
...     with LSMTree(directory, sync="none") as db:
...         db.put(b"apple", b"red"); db.put(b"kiwi", b"green"); db.delete(b"apple")
...     with LSMTree(directory, sync="none") as db:  # recovered from the log
...         list(db.scan())
[(b'kiwi', b'green')]

Primary source: Patrick O'Neil, Edward Cheng, Dieter Gawlick, Elizabeth
O'Neil, "The Log-Structured Merge-Tree (LSM-Tree)", Acta Informatica 33(4),
1996. SSTables and the memtable as used today: Chang et al., "Bigtable",
OSDI 2006.
"""

from __future__ import annotations

import tempfile
from typing import TextIO

from .compaction import Compaction, CompactionStrategy
from .errors import CorruptionError, DirectoryLockedError
from .leveled import Leveled
from .size_tiered import SizeTiered
from .stats import Stats
from .tree import LSMTree

__all__ = [
    "Compaction",
    "CompactionStrategy",
    "CorruptionError",
    "DirectoryLockedError",
    "LSMTree",
    "Leveled",
    "SizeTiered",
    "Stats",
    "demo",
]


def demo(out: TextIO) -> None:
    """Narrate a short run in a temporary directory: writes, flush, reads, compaction, recovery.

    Args:
        out: the stream the narration is written to.

    Raises:
        TypeError: if ``out`` has no ``write`` method.

    Complexity: O(1): a few dozen small operations.

    >>> import sys
    >>> demo(sys.stdout)
    put 3 users: they go to the write-ahead log, then the memtable (3 entries, 0 tables)
    flush: the memtable becomes a level-0 SSTable (1,)
    get(b'user:2') = b'bob', read from the table (1 block read, the Bloom filter let it through)
    delete(b'user:2') writes a tombstone; get now returns None
    the second flush reached l0_trigger=2: level 0 merged into level 1, tables per level (0, 1)
    40 more puts: 6 flushes, 3 compactions so far, tables per level (0, 3)
    compact(): one sorted run, tombstones dropped; tables per level (0, 2), write amplification 5.2
    put(b'user:4') then close(): the memtable is not flushed, the log holds it
    reopen: recovery replayed the log; get(b'user:4') = b'dee', get(b'user:2') = None
    >>> demo("stdout")
    Traceback (most recent call last):
    TypeError: out must be a writable text stream, got str
    """
    if not callable(getattr(out, "write", None)):
        raise TypeError(f"out must be a writable text stream, got {type(out).__name__}")
    strategy = Leveled(l0_trigger=2, level_ratio=10, base_level_bytes=4096, target_file_bytes=1024)
    with tempfile.TemporaryDirectory() as directory:
        with LSMTree(directory, memtable_bytes=256, sync="none", compaction=strategy) as db:
            _narrate_writes(db, out)
        out.write("put(b'user:4') then close(): the memtable is not flushed, the log holds it\n")
        with LSMTree(directory, memtable_bytes=256, sync="none", compaction=strategy) as db:
            out.write(
                f"reopen: recovery replayed the log; get(b'user:4') = {db.get(b'user:4')!r},"
                f" get(b'user:2') = {db.get(b'user:2')!r}\n"
            )


def _narrate_writes(db: LSMTree, out: TextIO) -> None:
    for user, name in ((b"user:1", b"ada"), (b"user:2", b"bob"), (b"user:3", b"cy")):
        db.put(user, name)
    stats = db.stats()
    out.write(
        f"put 3 users: they go to the write-ahead log, then the memtable"
        f" ({stats.memtable_entries} entries, {sum(stats.tables_per_level)} tables)\n"
    )
    db.flush()
    out.write(f"flush: the memtable becomes a level-0 SSTable {db.stats().tables_per_level}\n")
    value = db.get(b"user:2")
    out.write(
        f"get(b'user:2') = {value!r}, read from the table"
        f" ({db.stats().tables_probed} block read, the Bloom filter let it through)\n"
    )
    db.delete(b"user:2")
    out.write(f"delete(b'user:2') writes a tombstone; get now returns {db.get(b'user:2')!r}\n")
    db.flush()
    out.write(
        f"the second flush reached l0_trigger=2: level 0 merged into level 1,"
        f" tables per level {db.stats().tables_per_level}\n"
    )
    for i in range(40):
        db.put(b"item:%02d" % i, b"x" * 20)
    stats = db.stats()
    out.write(
        f"40 more puts: {stats.flushes} flushes, {stats.compactions} compactions so far,"
        f" tables per level {stats.tables_per_level}\n"
    )
    db.compact()
    stats = db.stats()
    out.write(
        f"compact(): one sorted run, tombstones dropped; tables per level"
        f" {stats.tables_per_level}, write amplification {stats.write_amplification:.1f}\n"
    )
    db.put(b"user:4", b"dee")
