"""Replication and partitioning: a Dynamo-style store, replication lag, three partitioners.

Replication keeps copies of each key on several nodes (for availability and
read throughput); partitioning spreads the keys over nodes (for size and
write throughput). Interviewers ask about both because every design beyond
one machine uses them, and the hard parts are the failure cases: a replica
that missed writes, a reader that sees the past, a resize that moves every
key.

Layers, one per submodule: :mod:`~.leaderless` (N/R/W quorums, sloppy quorums
and hinted handoff, read repair, Merkle anti-entropy, run in the part's
:mod:`~studybook.distributed.simulator`), :mod:`~.lag` (a leader with
asynchronous followers; read-your-writes and monotonic reads broken and
fixed) and :mod:`~.partitioner` (hash mod N, consistent hashing, fixed
partitions, and the fraction of keys each moves on a resize).

Invariant: once the network heals and failed nodes return, hinted handoff and
anti-entropy bring every home replica of every key to the same newest
version.

=========================  ==============================
operation                  cost
=========================  ==============================
DynamoCluster.put / get    O(N) messages, O(N log e) time
keys_moved                 O(k) lookups for k keys
count_anomalies            O(ops²) worst case
=========================  ==============================

>>> DynamoCluster(["a", "b", "c"], seed=0).put("k", "v", via="a").ok
True

Primary sources: G. DeCandia et al., "Dynamo: Amazon's Highly Available
Key-value Store", SOSP 2007; D. Terry et al., "Session Guarantees for Weakly
Consistent Replicated Data", PDIS 1994; M. Kleppmann, *Designing
Data-Intensive Applications*, 2017, chapters 5 and 6.
"""

from __future__ import annotations

from typing import TextIO

from studybook.distributed.replication_partitioning.lag import (
    POLICIES,
    AnomalyCounts,
    ReplicatedStore,
    Session,
    count_anomalies,
)
from studybook.distributed.replication_partitioning.leaderless import (
    DynamoCluster,
    ReadResult,
    StoreNode,
    SyncStats,
    Versioned,
    WriteResult,
    preference_list,
)
from studybook.distributed.replication_partitioning.partitioner import (
    FixedPartitioner,
    ModNPartitioner,
    Partitioner,
    RingPartitioner,
    keys_moved,
    stable_hash,
)

__all__ = [
    "POLICIES",
    "AnomalyCounts",
    "DynamoCluster",
    "FixedPartitioner",
    "ModNPartitioner",
    "Partitioner",
    "ReadResult",
    "ReplicatedStore",
    "RingPartitioner",
    "Session",
    "StoreNode",
    "SyncStats",
    "Versioned",
    "WriteResult",
    "count_anomalies",
    "demo",
    "keys_moved",
    "moved_table",
    "preference_list",
    "stable_hash",
]

NODES = ("a", "b", "c", "d", "e")


def moved_table(
    sizes: tuple[int, ...] = (4, 8, 16), keys: int = 10_000
) -> list[tuple[str, list[float]]]:
    """Return, per scheme, the fraction of ``keys`` keys that move when node ``n + 1`` joins ``n``.

    Raises:
        ValueError: an empty ``sizes`` or a size below 1, ``keys`` below 1.

    >>> moved_table(sizes=(0,))
    Traceback (most recent call last):
    ValueError: sizes must be non-empty ints >= 1 and keys >= 1, got (0,) and 10000
    """
    if (
        not sizes
        or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in sizes)
        or isinstance(keys, bool)
        or not isinstance(keys, int)
        or keys < 1
    ):
        raise ValueError(
            f"sizes must be non-empty ints >= 1 and keys >= 1, got {sizes!r} and {keys!r}"
        )
    names = [f"user:{i}" for i in range(keys)]
    rows: list[tuple[str, list[float]]] = []
    for label in ("hash mod N", "consistent hashing, 100 vnodes", "fixed, 256 partitions"):
        fractions = []
        for n in sizes:
            nodes = [f"n{i:02d}" for i in range(n)]
            part: Partitioner
            if label == "hash mod N":
                part = ModNPartitioner(nodes)
            elif label.startswith("consistent"):
                part = RingPartitioner(nodes, vnodes=100)
            else:
                part = FixedPartitioner(nodes, partitions=256)
            fractions.append(keys_moved(part, names, add=f"n{n:02d}"))
        rows.append((label, fractions))
    return rows


def demo(out: TextIO) -> None:
    """Resize three partitioners, run the Dynamo store through a partition and a crash, then lag.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Fraction of 10,000 keys moved when node n+1 joins n nodes
    scheme                            n=4    n=8   n=16
    hash mod N                      0.793  0.890  0.940
    consistent hashing, 100 vnodes  0.175  0.112  0.051
    fixed, 256 partitions           0.200  0.110  0.058
    1 - 1/(n+1)                     0.800  0.889  0.941
    1/(n+1)                         0.200  0.111  0.059
    <BLANKLINE>
    Leaderless store: 5 nodes, N = 3, R = W = 2; 'cart' lives on e, c, a
    c crashed, a partitioned away; put through e:
      strict quorum: ok=False, acked by e
      sloppy quorum: ok=True, acked by b, e; hints: b for c
    heal, restart c, wait 200: replicas {'e': 'eggs', 'c': 'eggs', 'a': 'eggs'}, hints left 0
    40 puts while c is down, then c restarts (no hints, strict quorum):
      c holds 0 of its 31 keys; after 1000 of anti-entropy: 31, converged True
    <BLANKLINE>
    Replication lag: leader + followers lagging 0.5, 2, 6; 3 users, 400 ops (seed 1)
    policy       reads  read-your-writes  monotonic-reads
    any            283                47               19
    leader-own     283                 0                1
    write-lsn      283                 0                6
    sticky         283                61                0
    """
    out.write("Fraction of 10,000 keys moved when node n+1 joins n nodes\n")
    sizes = (4, 8, 16)
    out.write(f"{'scheme':<30}" + "".join(f"{'n=' + str(n):>7}" for n in sizes) + "\n")
    for label, fractions in moved_table(sizes):
        out.write(f"{label:<30}" + "".join(f"{f:>7.3f}" for f in fractions) + "\n")
    out.write(f"{'1 - 1/(n+1)':<30}" + "".join(f"{1 - 1 / (n + 1):>7.3f}" for n in sizes) + "\n")
    out.write(f"{'1/(n+1)':<30}" + "".join(f"{1 / (n + 1):>7.3f}" for n in sizes) + "\n\n")

    home, down, cut, *_ = preference_list("cart", NODES)
    out.write(
        f"Leaderless store: 5 nodes, N = 3, R = W = 2; 'cart' lives on {home}, {down}, {cut}\n"
    )
    out.write(f"{down} crashed, {cut} partitioned away; put through {home}:\n")
    for sloppy in (False, True):
        cluster = DynamoCluster(NODES, seed=3, sloppy=sloppy)
        cluster.sim.crash(down)
        cluster.sim.partition({cut})
        result = cluster.put("cart", "eggs", via=home)
        hints = ", ".join(f"{s} for {h}" for s, h in result.hinted)
        kind = "sloppy" if sloppy else "strict"
        out.write(f"  {kind} quorum: ok={result.ok}, acked by {', '.join(result.acked)}")
        out.write(f"; hints: {hints}\n" if hints else "\n")
    sloppy_cluster = cluster  # the sloppy run, continued: heal and wait for the handoff
    sloppy_cluster.sim.heal()
    sloppy_cluster.sim.restart(down)
    sloppy_cluster.run(200)
    out.write(
        f"heal, restart {down}, wait 200: replicas {sloppy_cluster.replicas('cart')}, "
        f"hints left {sloppy_cluster.hints_held()}\n"
    )

    cluster = DynamoCluster(NODES, seed=4, sloppy=False)
    cluster.sim.crash("c")
    keys = [f"k{i}" for i in range(40)]
    for key in keys:
        cluster.put(key, key.upper(), via="a")
    cluster.sim.restart("c")
    mine = [k for k in keys if "c" in preference_list(k, NODES)[:3]]
    out.write("40 puts while c is down, then c restarts (no hints, strict quorum):\n")
    before = sum(k in cluster.node("c").data for k in mine)
    cluster.run(1000)
    after = sum(k in cluster.node("c").data for k in mine)
    out.write(
        f"  c holds {before} of its {len(mine)} keys; after 1000 of anti-entropy: {after}, "
        f"converged {cluster.converged()}\n\n"
    )

    out.write("Replication lag: leader + followers lagging 0.5, 2, 6; 3 users, 400 ops (seed 1)\n")
    out.write(f"{'policy':<11}{'reads':>7}{'read-your-writes':>18}{'monotonic-reads':>17}\n")
    for policy in POLICIES:
        c = count_anomalies(policy, seed=1)
        out.write(f"{policy:<11}{c.reads:>7}{c.read_your_writes:>18}{c.monotonic_reads:>17}\n")
