"""Database internals: a B+ tree, a write-ahead log, MVCC and log shipping.

Interviewers at the senior level ask how a database keeps an index sorted on
disk, why a committed write survives a crash, how readers avoid blocking
writers, and what a replica's lag costs in a failover. One submodule per
concern, each the smallest honest model of what PostgreSQL and InnoDB do:

- :mod:`~.bplustree`: a B+ tree with splits, borrowing and merging, and linked leaves;
- :mod:`~.wal`: a durable key-value store, write-ahead log first, redo
  recovery and checkpoints, proved against ``kill -9``;
- :mod:`~.mvcc`: versioned rows with snapshot isolation, first-committer-wins and vacuum;
- :mod:`~.replication`: primary/replica log shipping on a simulated clock, with lag.

Invariant: nothing acknowledged is lost (the log is durable before the
acknowledgement), and a reader sees exactly the commits before its snapshot.

=====================  =====================  ===============================
structure              key operation cost     note
=====================  =====================  ===============================
BPlusTree              O(log n) per op        range: O(log n + k)
WALStore               O(record) + fsync      recovery O(log since checkpoint)
MVCCStore              O(versions) per read   commit O(write set)
LogShipping            O(replicas) per write  sync waits a round trip
=====================  =====================  ===============================

>>> tree = BPlusTree(); tree.insert(1, "a")
>>> tree.get(1), len(tree)
('a', 1)

Primary sources: R. Bayer, E. McCreight, Acta Informatica 1, 1972; C. Mohan
et al., "ARIES", ACM TODS 17(1), 1992; H. Berenson et al., "A Critique of
ANSI SQL Isolation Levels", SIGMOD 1995; PostgreSQL 15 documentation.
"""

from __future__ import annotations

import tempfile
from typing import TextIO

from studybook.senior.database_internals.bplustree import BPlusTree
from studybook.senior.database_internals.mvcc import MVCCStore, Transaction, Version, WriteConflict
from studybook.senior.database_internals.replication import LagReport, LogShipping, simulate_lag
from studybook.senior.database_internals.wal import (
    WALCorruptionError,
    WALStore,
    decode_records,
    encode_record,
)

__all__ = [
    "BPlusTree",
    "LagReport",
    "LogShipping",
    "MVCCStore",
    "Transaction",
    "Version",
    "WALCorruptionError",
    "WALStore",
    "WriteConflict",
    "decode_records",
    "demo",
    "encode_record",
    "simulate_lag",
]


def demo(out: TextIO) -> None:
    """Run each structure once and narrate what happens to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    B+ tree, order 4, keys 1..20 inserted in order
      height 3, 20 keys; range(5, 9) -> [5, 6, 7, 8]
      after deleting 1..15: height 2, 5 keys
    WAL: 3 writes, crash before close, reopen
      redid 3 records -> [('a', '1'), ('c', '3')]
      after a checkpoint and 1 more write, a reopen redoes 1 record
    MVCC, two doctors on call, each goes off call if the other is on
      both commit: on call now [] (write skew)
      lost update refused: transaction 6 aborted: 'counter' was committed at 4, after its snapshot 3
    Log shipping, 2 replicas, delay 1-5 ticks, 200 writes
      synchronous=0: max lag 5, mean lag 4.29, mean commit wait 0.00, lost on failover 3
      synchronous=1: max lag 1, mean lag 0.18, mean commit wait 4.97, lost on failover 0
      synchronous=2: max lag 0, mean lag 0.00, mean commit wait 7.29, lost on failover 0
    """
    tree = BPlusTree(order=4)
    for k in range(1, 21):
        tree.insert(k, str(k))
    out.write("B+ tree, order 4, keys 1..20 inserted in order\n")
    scan = [k for k, _ in tree.range(5, 9)]
    out.write(f"  height {tree.height}, {len(tree)} keys; range(5, 9) -> {scan}\n")
    for k in range(1, 16):
        tree.delete(k)
    out.write(f"  after deleting 1..15: height {tree.height}, {len(tree)} keys\n")

    out.write("WAL: 3 writes, crash before close, reopen\n")
    with tempfile.TemporaryDirectory(prefix="wal-demo-") as directory:
        db = WALStore(directory, sync=False)
        db.put("a", "1")
        db.put("b", "2")
        db.write_batch([("b", None), ("c", "3")])
        db._log.close()  # the crash: the in-memory state is simply dropped
        with WALStore(directory) as db:
            out.write(f"  redid {db.recovered} records -> {db.items()}\n")
            db.checkpoint()
            db.put("d", "4")
        with WALStore(directory) as db:
            plural = "" if db.recovered == 1 else "s"
            redone = f"{db.recovered} record{plural}"
            out.write(f"  after a checkpoint and 1 more write, a reopen redoes {redone}\n")

    out.write("MVCC, two doctors on call, each goes off call if the other is on\n")
    store = MVCCStore()
    setup = store.begin()
    setup.put("alice", "on")
    setup.put("bob", "on")
    setup.commit()
    t1, t2 = store.begin(), store.begin()
    if t1.get("bob") == "on":
        t1.put("alice", "off")
    if t2.get("alice") == "on":
        t2.put("bob", "off")
    t1.commit()
    t2.commit()
    check = store.begin()
    on_call = [d for d in ("alice", "bob") if check.get(d) == "on"]
    out.write(f"  both commit: on call now {on_call} (write skew)\n")
    a, b = store.begin(), store.begin()
    for txn in (a, b):
        txn.put("counter", str(int(txn.get("counter", "0")) + 1))
    a.commit()
    try:
        b.commit()
    except WriteConflict as error:
        out.write(f"  lost update refused: {error}\n")

    out.write("Log shipping, 2 replicas, delay 1-5 ticks, 200 writes\n")
    for sync in (0, 1, 2):
        r = simulate_lag(200, replicas=2, synchronous=sync, delay=(1, 5), seed=1)
        out.write(
            f"  synchronous={sync}: max lag {r.max_lag}, mean lag {r.mean_lag:.2f}, "
            f"mean commit wait {r.mean_commit_wait:.2f}, lost on failover {r.lost_on_failover}\n"
        )
