"""Consensus: Raft (leader election, log replication, membership changes) and single-decree Paxos.

Consensus lets a group of servers agree on a sequence of commands despite
crashes and an unreliable network, so that each runs the same deterministic
state machine: the core of etcd, Consul, CockroachDB, TiKV, Kafka's KRaft
controllers and Spanner's Paxos groups. Interviewers ask about it because it
is where "it works on the happy path" and "it is correct" differ most.

This package is a Raft as the extended paper's Figure 2 specifies it, one
layer per module: :mod:`~.messages` (the RPCs), :mod:`~.log` (consistency
check, conflict truncation, election restriction), :mod:`~.node` (the
server), :mod:`~.checks` (Figure 3's five safety properties, asserted after
every event), :mod:`~.cluster` (a harness over the shared simulator: random
fault schedules, Figure 16's election-time measurement) and :mod:`~.paxos`.

Invariants: at most one leader per term; committed entries are never lost
or changed; every server applies the same command at each index.

====================  ===========================================
operation             cost
====================  ===========================================
commit one command    one round trip to a majority, O(s) messages
election              one round trip after a timeout, O(s) messages
leader's commit rule  O(n·s) in this code (n entries scanned)
====================  ===========================================

>>> cluster = RaftCluster(3, seed=4)
>>> leader = cluster.run_until_leader()
>>> cluster.node(leader).role, cluster.submit("x=1")
('leader', 2)

Primary sources: D. Ongaro and J. Ousterhout, "In Search of an
Understandable Consensus Algorithm (Extended Version)", 2014; D. Ongaro,
"Consensus: Bridging Theory and Practice", PhD thesis, Stanford, 2014;
L. Lamport, "Paxos Made Simple", 2001.
"""

from __future__ import annotations

from typing import TextIO

from studybook.distributed.consensus_raft.checks import PROPERTIES, RaftSafety, SafetyViolation
from studybook.distributed.consensus_raft.cluster import (
    LIVENESS_BOUND,
    ElectionTimes,
    RaftCluster,
    ScheduleResult,
    election_times,
    random_schedule,
)
from studybook.distributed.consensus_raft.log import RaftLog
from studybook.distributed.consensus_raft.messages import (
    AppendEntries,
    AppendReply,
    Config,
    Entry,
    RequestVote,
    VoteReply,
)
from studybook.distributed.consensus_raft.node import RaftNode, Role
from studybook.distributed.consensus_raft.paxos import (
    Acceptor,
    PaxosResult,
    PaxosSafety,
    Proposer,
    run_paxos,
)

__all__ = [
    "LIVENESS_BOUND",
    "PROPERTIES",
    "Acceptor",
    "AppendEntries",
    "AppendReply",
    "Config",
    "ElectionTimes",
    "Entry",
    "PaxosResult",
    "PaxosSafety",
    "Proposer",
    "RaftCluster",
    "RaftLog",
    "RaftNode",
    "RaftSafety",
    "RequestVote",
    "Role",
    "SafetyViolation",
    "ScheduleResult",
    "VoteReply",
    "demo",
    "election_times",
    "random_schedule",
    "run_paxos",
]

#: Figure 16's timeout ranges (ms): the top graph varies randomness, the bottom the minimum.
FIGURE_16_RANGES = (
    (150, 150),
    (150, 151),
    (150, 155),
    (150, 175),
    (150, 200),
    (150, 300),
    (12, 24),
    (25, 50),
    (50, 100),
    (100, 200),
)


def demo(out: TextIO, trials: int = 4, schedules: int = 10) -> None:
    """Measure election time against the timeout range (Figure 16), then run fault schedules.

    Virtual milliseconds, one-way message delay uniform in 2-8 ms, five
    servers, the leader crashed after leading for 500 ms; ``inf`` means split
    votes that never ended (timers in lockstep). Every run is seeded, so the
    output is the same each time.

    Raises:
        ValueError: ``trials`` or ``schedules`` below 1 or not an int.

    >>> import sys
    >>> demo(sys.stdout)
    Time without a leader after a crash, 4 trials per range (ms)
    timeout     median     p90   worst
    150-150        inf     inf     inf
    150-151        inf     inf     inf
    150-155     1152.4  1834.8  3973.7
    150-175      168.6   172.8   175.1
    150-200      173.0   179.2   181.4
    150-300      190.6   204.9   205.7
     12-24        50.4    52.6    61.2
     25-50        37.8    39.5    70.9
     50-100       68.5    69.1   171.7
    100-200      112.1   115.4   126.8
    <BLANKLINE>
    10 random fault schedules: 36 faults, 14 terms with a leader, 71 entries committed;
    Figure 3 held after every event.
    Slowest recovery after the faults stopped: 259.6 ms
    Paxos, 10 seeds: at most one value chosen in each; decided in 10 of 10.
    """
    for name, count in (("trials", trials), ("schedules", schedules)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"{name} must be an int >= 1, got {count!r}")
    out.write(f"Time without a leader after a crash, {trials} trials per range (ms)\n")
    out.write("timeout     median     p90   worst\n")
    for timeout in FIGURE_16_RANGES:
        t = election_times(timeout, trials)
        out.write(
            f"{timeout[0]:>3}-{timeout[1]:<3}  {t.median:>9.1f} {t.p90:>7.1f} {t.worst:>7.1f}\n"
        )
    results = [random_schedule(seed) for seed in range(schedules)]
    out.write(
        f"\n{schedules} random fault schedules: {sum(r.faults for r in results)} faults, "
        f"{sum(r.terms for r in results)} terms with a leader, "
        f"{sum(r.committed for r in results)} entries committed;\n"
        "Figure 3 held after every event.\n"
    )
    out.write(
        f"Slowest recovery after the faults stopped: {max(r.recovery for r in results):.1f} ms\n"
    )
    paxos = [run_paxos(seed) for seed in range(schedules)]
    out.write(
        f"Paxos, {schedules} seeds: at most one value chosen in each; decided in "
        f"{sum(1 for p in paxos if p.decided)} of {schedules}.\n"
    )
