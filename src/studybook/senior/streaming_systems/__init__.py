"""Streaming systems: a replicated log, consumer groups, idempotent producers, windows.

Interviewers probe Kafka-style logs past "it is a queue": what ``acks=all``
really waits for, what an unclean leader election loses, why a consumer group
stops during a rebalance, how retries avoid duplicates, and how a stream
processor counts per minute when records arrive late. One submodule per concern:

- :mod:`~.replication`: one partition with a leader, followers, the ISR and
  the high watermark, ``acks=1``/``"all"``, ``min.insync.replicas``, clean and
  unclean leader election, on a tick clock with injected crashes;
- :mod:`~.partitioning`: a topic of such partitions, keys routed by Kafka's
  ``murmur2`` exactly as the Java producer does;
- :mod:`~.assignment`: range, round-robin and cooperative sticky (KIP-429)
  assignment, and rebalances measured in partitions moved and paused;
- :mod:`~.idempotence`: KIP-98 producer ids and sequence numbers;
- :mod:`~.windows`: tumbling, hopping and session windows with watermarks,
  allowed lateness and a side output, and a brute-force oracle.

Invariant: with unclean election off, an acknowledged ``acks="all"`` record is
never lost while some in-sync replica's disk survives (the partition goes
offline instead).

=================================  ======================  ================================
operation                          cost                    note
=================================  ======================  ================================
ReplicatedPartition.produce        O(replicas)             high watermark recomputed
ReplicatedPartition.replicate      O(replicas + copied)
cooperative_sticky_assign          O(P log P + M log M)
IdempotentLog.append               O(1)
WindowedAggregator.process         O(W + S)                W windows per record, S sessions
=================================  ======================  ================================

>>> rebalance_cost("cooperative-sticky", ["a", "b"], ["a", "b", "c"], {"t": 6})
RebalanceCost(moved=2, paused=2)

Primary sources: the Apache Kafka documentation, design section
(replication); KIP-98 and KIP-429; T. Akidau et al., "The Dataflow Model",
VLDB 2015.
"""

from __future__ import annotations

from typing import TextIO

from studybook.senior.streaming_systems.assignment import (
    STRATEGIES,
    Assignment,
    RebalanceCost,
    Strategy,
    TopicPartition,
    cooperative_sticky_assign,
    range_assign,
    rebalance_cost,
    round_robin_assign,
)
from studybook.senior.streaming_systems.idempotence import (
    AppendOutcome,
    IdempotentLog,
    OutOfOrderSequenceError,
    ProducerFencedError,
    send_with_retries,
)
from studybook.senior.streaming_systems.partitioning import Topic, murmur2, partition_for_key
from studybook.senior.streaming_systems.replication import (
    Acks,
    DurabilityRow,
    NotEnoughReplicasError,
    PartitionOfflineError,
    ProduceResult,
    Record,
    ReplicatedPartition,
    durability_table,
)
from studybook.senior.streaming_systems.windows import (
    Hopping,
    Session,
    Tumbling,
    WindowedAggregator,
    WindowResult,
    brute_force_windows,
)

__all__ = [
    "STRATEGIES",
    "Acks",
    "AppendOutcome",
    "Assignment",
    "DurabilityRow",
    "Hopping",
    "IdempotentLog",
    "NotEnoughReplicasError",
    "OutOfOrderSequenceError",
    "PartitionOfflineError",
    "ProduceResult",
    "ProducerFencedError",
    "RebalanceCost",
    "Record",
    "ReplicatedPartition",
    "Session",
    "Strategy",
    "Topic",
    "TopicPartition",
    "Tumbling",
    "WindowResult",
    "WindowedAggregator",
    "brute_force_windows",
    "cooperative_sticky_assign",
    "demo",
    "durability_table",
    "murmur2",
    "partition_for_key",
    "range_assign",
    "rebalance_cost",
    "round_robin_assign",
    "send_with_retries",
]

# The stream the demo windows, as (key, event time, value), out of order.
_DEMO_STREAM = [
    ("a", 1, 1),
    ("a", 7, 1),
    ("a", 12, 1),
    ("a", 5, 1),
    ("a", 23, 1),
    ("a", 8, 1),
    ("a", 3, 1),
]


def demo(out: TextIO) -> None:
    """Crash a partition five ways, rebalance three assignors, retry a producer, window a stream.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    3 replicas; r0-r2 fully replicated, then r3-r5; then the leader (broker 0) crashes
    scenario           acks  min.isr  unclean  acked  refused  timed out  lost  partition
    followers lag      all         1  false        6        0          0     0  offline
    followers lag      all         1  true         6        0          0     3  online
    followers lag      all         2  true         3        2          1     0  online
    leader dies first  1           1  false        6        0          0     3  online
    leader dies first  all         1  false        3        0          3     0  online
    <BLANKLINE>
    topics orders and payments, 6 partitions each
    strategy            event              moved  paused  partitions per member
    range               c3 joins (3 -> 4)      2      12  4 4 2 2
    round-robin         c3 joins (3 -> 4)      9      12  3 3 3 3
    cooperative-sticky  c3 joins (3 -> 4)      3       3  3 3 3 3
    range               c1 leaves (4 -> 3)     6      12  4 4 4
    round-robin         c1 leaves (4 -> 3)     9      12  4 4 4
    cooperative-sticky  c1 leaves (4 -> 3)     3       3  4 4 4
    <BLANKLINE>
    5 records, the acks of records 1 and 3 lost, each retried once
    without idempotence: 7 in the log ['v0', 'v1', 'v1', 'v2', 'v3', 'v3', 'v4']
    with idempotence:    5 in the log ['v0', 'v1', 'v2', 'v3', 'v4']
    <BLANKLINE>
    tumbling 10, watermark = max event time - 2, allowed lateness 5
    event (t=1): watermark -1
    event (t=7): watermark 5
    event (t=12): watermark 10  fires [0, 10) count 2
    event (t=5): watermark 10  fires [0, 10) count 3 (late update 1)
    event (t=23): watermark 21  fires [10, 20) count 1
    event (t=8): watermark 21  dropped: late by more than 5, to the side output
    event (t=3): watermark 21  dropped: late by more than 5, to the side output
    end of input  fires [20, 30) count 1
    brute force over the records kept: {(0, 10): 3, (10, 20): 1, (20, 30): 1}
    """
    out.write(
        "3 replicas; r0-r2 fully replicated, then r3-r5; then the leader (broker 0) crashes\n"
    )
    out.write(
        f"{'scenario':<19}{'acks':<6}{'min.isr':>7}  {'unclean':<9}"
        f"{'acked':>5}{'refused':>9}{'timed out':>11}{'lost':>6}  partition\n"
    )
    for r in durability_table():
        out.write(
            f"{r.scenario:<19}{r.acks!s:<6}{r.min_insync_replicas:>7}  {str(r.unclean).lower():<9}"
            f"{r.acknowledged:>5}{r.refused:>9}{r.timed_out:>11}{r.lost:>6}"
            f"  {'online' if r.online else 'offline'}\n"
        )

    topics = {"orders": 6, "payments": 6}
    out.write("\ntopics orders and payments, 6 partitions each\n")
    out.write(f"{'strategy':<20}{'event':<19}{'moved':>5}{'paused':>8}  partitions per member\n")
    events = [
        ("c3 joins (3 -> 4)", ["c0", "c1", "c2"], ["c0", "c1", "c2", "c3"]),
        ("c1 leaves (4 -> 3)", ["c0", "c1", "c2", "c3"], ["c0", "c2", "c3"]),
    ]
    for event, before, after in events:
        for strategy in STRATEGIES:
            cost = rebalance_cost(strategy, before, after, topics)
            sizes = " ".join(str(len(v)) for v in _assign(strategy, before, after, topics).values())
            out.write(f"{strategy:<20}{event:<19}{cost.moved:>5}{cost.paused:>8}  {sizes}\n")

    values = [f"v{i}" for i in range(5)]
    plain = send_with_retries(values, {1, 3}, idempotent=False)
    dedup = send_with_retries(values, {1, 3}, idempotent=True)
    out.write("\n5 records, the acks of records 1 and 3 lost, each retried once\n")
    out.write(f"without idempotence: {len(plain)} in the log {plain}\n")
    out.write(f"with idempotence:    {len(dedup)} in the log {dedup}\n")

    agg = WindowedAggregator(Tumbling(10), max_delay=2, allowed_lateness=5)
    out.write("\ntumbling 10, watermark = max event time - 2, allowed lateness 5\n")
    for key, t, v in _DEMO_STREAM:
        fired = agg.process(key, t, v)
        line = f"event (t={t}): watermark {agg.watermark:g}"
        if agg.late and agg.late[-1] == (key, t, v):
            line += f"  dropped: late by more than {agg.allowed_lateness}, to the side output"
        out.write(line + "".join(_fired(r) for r in fired) + "\n")
    out.write("end of input" + "".join(_fired(r) for r in agg.close()) + "\n")
    kept = [r for r in _DEMO_STREAM if r not in agg.late]
    truth = {(s, e): c for (_, s, e), (c, _) in brute_force_windows(Tumbling(10), kept).items()}
    out.write(f"brute force over the records kept: {truth}\n")


def _assign(
    strategy: Strategy, before: list[str], after: list[str], topics: dict[str, int]
) -> Assignment:
    if strategy == "range":
        return range_assign(after, topics)
    if strategy == "round-robin":
        return round_robin_assign(after, topics)
    return cooperative_sticky_assign(after, topics, cooperative_sticky_assign(before, topics))


def _fired(r: WindowResult) -> str:
    update = f" (late update {r.firing})" if r.firing else ""
    return f"  fires [{r.start}, {r.end}) count {r.count}{update}"
