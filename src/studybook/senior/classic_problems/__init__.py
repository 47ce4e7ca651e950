"""Classic distributed-systems problems, solved in code: stampedes, Byzantine generals, split brain.

Interviewers use these problems to see whether a candidate knows *why* the
standard tools exist: request coalescing and TTL jitter (because a hot key's
expiry sends a herd to the database), ``3f + 1`` replicas for Byzantine
agreement (because with oral messages two loyal generals cannot tell which of
the other two lies), majorities with fencing tokens (because a partitioned old
leader keeps acting), and the impossibility results FLP and the two generals
(because no amount of engineering removes them, only assumptions do).

- :mod:`~studybook.senior.classic_problems.stampede`:
  :class:`~studybook.senior.classic_problems.stampede.SingleFlight`, jittered
  TTLs and a seeded stampede simulation;
- :mod:`~studybook.senior.classic_problems.byzantine`: Lamport, Shostak and
  Pease's OM(m) with pluggable traitors, and the IC1/IC2 checks;
- :mod:`~studybook.senior.classic_problems.split_brain`: a five-replica cluster
  under a partition, naive, with a majority quorum, and with quorum and
  fencing (the fenced external store is
  :class:`~studybook.distributed.coordination_locking.storage.FencedStorage`).

Invariants: one loader call per key in flight; OM(m) meets IC1 and IC2 when
``n >= 3m + 1`` and at most ``m`` generals are traitors; with quorum and
fencing no acknowledged write is lost across a partition.

=========================  ==========================  ==========
operation                  time                        messages
=========================  ==========================  ==========
SingleFlight.do            O(1) + one load per flight  -
oral_messages(n, m)        O(n^(m+1))                  O(n^(m+1))
Cluster.add / elect        O(n)                        O(n)
=========================  ==========================  ==========

>>> oral_messages(4, 1, traitors=[0], strategy=two_faced).ic1
True

Primary sources: L. Lamport, R. Shostak, M. Pease, "The Byzantine Generals
Problem", ACM TOPLAS 4(3), 1982; M. Fischer, N. Lynch, M. Paterson,
"Impossibility of Distributed Consensus with One Faulty Process", JACM 32(2),
1985; J. Gray, "Notes on Data Base Operating Systems", 1978; A. Vattani,
F. Chierichetti, K. Lowenstein, "Optimal Probabilistic Cache Stampede
Prevention", VLDB 2015.
"""

from __future__ import annotations

from typing import TextIO

from studybook.senior.classic_problems.byzantine import (
    ATTACK,
    RETREAT,
    OMRun,
    Strategy,
    check_om,
    liar,
    majority,
    message_count,
    oral_messages,
    random_strategy,
    silent,
    two_faced,
)
from studybook.senior.classic_problems.split_brain import (
    MODES,
    AckedWrite,
    Cluster,
    SplitBrainRun,
    run_split_brain,
)
from studybook.senior.classic_problems.stampede import (
    HerdStats,
    SingleFlight,
    concurrent_misses,
    jittered_ttl,
    simulate_herd,
)

__all__ = [
    "ATTACK",
    "MODES",
    "RETREAT",
    "AckedWrite",
    "Cluster",
    "HerdStats",
    "OMRun",
    "SingleFlight",
    "SplitBrainRun",
    "Strategy",
    "check_om",
    "concurrent_misses",
    "demo",
    "jittered_ttl",
    "liar",
    "majority",
    "message_count",
    "oral_messages",
    "random_strategy",
    "run_split_brain",
    "silent",
    "simulate_herd",
    "two_faced",
]


def demo(out: TextIO) -> None:
    """Show the three problems and their fixes, with every figure computed here.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    1. Cache stampede
    32 threads miss the same key at once (released by a Barrier):
      backend calls without coalescing: 32
      backend calls with SingleFlight:  1
    100 hot keys filled together at t=0, 20 requests/s each, TTL 30 s, backend 0.5 s, 120 s, seed 1:
      TTL jitter  coalescing    calls  peak calls/s
      0%          no             3313          1104
      0%          yes             300           100
      20%         no             4387           294
      20%         yes             400            25
    <BLANKLINE>
    2. Byzantine generals, OM(m)
    n=3, m=1, loyal commander orders attack, lieutenant 2 lies:
      decisions {1: 'retreat', 2: 'attack'}: IC1 True, IC2 False
    n=4, m=1, the same lie from lieutenant 3:
      decisions {1: 'attack', 2: 'attack', 3: 'attack'}: IC1 True, IC2 True
    Every traitor set, both orders, 5 strategies:
        n  m  traitors  guaranteed  runs  fail  messages
        3  1         1          no    30     9         4
        4  1         1         yes    40     0         9
        4  1         2          no    60    20         9
        6  2         2          no   150    48        85
        7  2         2         yes   210     0       156
    <BLANKLINE>
    3. Split brain, five replicas, partition ab | cde then abd | ce
      naive           cart ['milk', 'pen'], acknowledged but lost ['book', 'lamp'], manifest from a
      quorum          cart ['milk', 'pen'], acknowledged but lost ['lamp'], manifest from a
      quorum+fencing  cart ['milk', 'pen'], acknowledged but lost [], manifest from c
    The quorum run, step by step:
      a becomes leader, epoch 1
      t=0 a (epoch 1) adds 'milk' to cart: stored on abcde as ['milk'], acknowledged
      partition: ab | cde
      c becomes leader, epoch 2
      t=3 c (epoch 2) adds 'pen' to cart: stored on cde as ['milk', 'pen'], acknowledged
      t=3 c writes the backup manifest with token 2: accepted
      t=4 a (epoch 1) adds 'book' to cart: NOT acknowledged, 2 < 3
      t=4 a writes the backup manifest with token 1: accepted
      partition: abd | ce
      t=5 a (epoch 1) adds 'lamp' to cart: stored on abd as ['milk', 'lamp'], acknowledged
      heal: per key, the highest epoch wins
      final cart: ['milk', 'pen']
    """
    out.write("1. Cache stampede\n")
    out.write("32 threads miss the same key at once (released by a Barrier):\n")
    out.write(f"  backend calls without coalescing: {concurrent_misses(32, coalesce=False)}\n")
    out.write(f"  backend calls with SingleFlight:  {concurrent_misses(32, coalesce=True)}\n")
    out.write(
        "100 hot keys filled together at t=0, 20 requests/s each, TTL 30 s, "
        "backend 0.5 s, 120 s, seed 1:\n"
    )
    out.write(f"  {'TTL jitter':<12}{'coalescing':<12}{'calls':>7}{'peak calls/s':>14}\n")
    for jitter in (0.0, 0.2):
        for coalesce in (False, True):
            stats = simulate_herd(
                keys=100,
                rate=20,
                ttl=30,
                jitter=jitter,
                latency=0.5,
                horizon=120,
                coalesce=coalesce,
                seed=1,
            )
            out.write(
                f"  {f'{jitter:.0%}':<12}{'yes' if coalesce else 'no':<12}"
                f"{stats.backend_calls:>7}{stats.peak_calls_per_second:>14}\n"
            )
    out.write("\n2. Byzantine generals, OM(m)\n")
    run = oral_messages(3, 1, order=ATTACK, traitors=[2], strategy=liar)
    out.write(
        "n=3, m=1, loyal commander orders attack, lieutenant 2 lies:\n"
        f"  decisions {run.decisions}: IC1 {run.ic1}, IC2 {run.ic2}\n"
    )
    run = oral_messages(4, 1, order=ATTACK, traitors=[3], strategy=liar)
    out.write(
        "n=4, m=1, the same lie from lieutenant 3:\n"
        f"  decisions {run.decisions}: IC1 {run.ic1}, IC2 {run.ic2}\n"
    )
    out.write("Every traitor set, both orders, 5 strategies:\n")
    out.write(f"  {'n':>3}{'m':>3}{'traitors':>10}{'guaranteed':>12}{'runs':>6}{'fail':>6}")
    out.write(f"{'messages':>10}\n")
    for n, m, t in ((3, 1, 1), (4, 1, 1), (4, 1, 2), (6, 2, 2), (7, 2, 2)):
        runs, fails = check_om(n, m, t, seeds=2)
        ok = "yes" if n >= 3 * m + 1 and t <= m else "no"
        out.write(f"  {n:>3}{m:>3}{t:>10}{ok:>12}{runs:>6}{fails:>6}{message_count(n, m):>10}\n")
    out.write("\n3. Split brain, five replicas, partition ab | cde then abd | ce\n")
    for mode in MODES:
        result = run_split_brain(mode)
        lost = [w.value for w in result.lost]
        out.write(
            f"  {mode:<15} cart {list(result.cart)}, acknowledged but lost {lost}, "
            f"manifest from {result.backup_owner}\n"
        )
    out.write("The quorum run, step by step:\n")
    for line in run_split_brain("quorum").story:
        out.write(f"  {line}\n")
