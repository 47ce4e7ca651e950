"""Coordination, leases and distributed locks: a lease lock with fencing tokens, and why.

A lease is a lock that expires, so a crashed holder cannot block everyone
forever; the price is that a holder that is merely *slow* (a GC pause, a
long network delay, a clock that runs slow) can go on acting after its lease
ran out and someone else was granted the lock. No check on the client side
closes that window, because the pause can strike right after the check. The
fix is on the resource's side: the lock service hands out a **fencing
token** that grows with every grant, the client sends it with every write,
and the storage refuses a token lower than the highest it has seen.
Interviewers ask about it because "use Redis SETNX as a lock" is a common
answer and the GC-pause failure is the classic follow-up.

Layers: :mod:`~.lease_lock` (the lease core and the lock server node),
:mod:`~.storage` (the protected store, with and without the token check),
:mod:`~.scenarios` (workers that pause or run a slow clock, and
:func:`~.scenarios.run_scenario`), all on
:mod:`studybook.distributed.simulator`.

Invariant: tokens strictly increase, one per grant; with fencing, the tokens
of the writes a key accepts never decrease, whatever the clients' pauses.

======================  =================================
operation               cost
======================  =================================
LeaseLock methods       O(1)
FencedStorage.write     O(1)
run_scenario            O(e log e), e = a few dozen events
======================  =================================

>>> run_scenario(seed=1, fencing=False).final, run_scenario(seed=1, fencing=True).final
('from c1', 'from c2')

Primary sources: C. Gray, D. Cheriton, "Leases: An Efficient Fault-Tolerant
Mechanism for Distributed File Cache Consistency", SOSP 1989; M. Burrows,
"The Chubby Lock Service for Loosely-Coupled Distributed Systems", OSDI 2006
(sequencers, lock-delay); M. Kleppmann, "How to do distributed locking",
2016.
"""

from __future__ import annotations

from typing import Any, TextIO

from studybook.distributed.coordination_locking.lease_lock import (
    Acquire,
    Granted,
    Lease,
    LeaseLock,
    LockServer,
    Release,
)
from studybook.distributed.coordination_locking.scenarios import (
    KEY,
    LockRun,
    Worker,
    run_scenario,
)
from studybook.distributed.coordination_locking.storage import (
    AppliedWrite,
    FencedStorage,
    StorageNode,
    Write,
    WriteResult,
)

__all__ = [
    "KEY",
    "Acquire",
    "AppliedWrite",
    "FencedStorage",
    "Granted",
    "Lease",
    "LeaseLock",
    "LockRun",
    "LockServer",
    "Release",
    "StorageNode",
    "Worker",
    "Write",
    "WriteResult",
    "demo",
    "run_scenario",
]

#: Seeds the demo runs each variant over (the tests run more).
DEMO_SEEDS = 200


def demo(out: TextIO) -> None:
    """Run the GC-pause scenario without and with fencing, then count over many seeds.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Lease 10, c1 paused for 15 right after its lease check; seed 1
    <BLANKLINE>
    Without fencing:
       0.00  c1 asks for the lock
       1.00  c2 asks for the lock
       1.76  lock grants token 1 to c1
       2.86  c1 granted token 1
       4.86  c1 lease check passes (4.0 < 10.0)
       4.86  c1 GC pause for 15
      11.76  lock grants token 2 to c2
      13.20  c2 granted token 2
      14.20  c2 lease check passes (3.0 < 10.0)
      14.20  c2 sends write with token 2
      15.64  storage: 'from c2' token 2 accepted
      19.86  c1 resumes, unaware of the pause
      19.86  c1 sends write with token 1
      21.24  storage: 'from c1' token 1 accepted
    final value: 'from c1' (stale: c2's write is lost)
    <BLANKLINE>
    With fencing, the same run ends:
      21.24  storage: 'from c1' token 1 REFUSED (token < highest seen)
    final value: 'from c2'
    <BLANKLINE>
    Over 200 seeds (10% duplicated messages):
    variant                             stale write lands  refused
    pause, no fencing                                 200        0
    pause, fencing                                      0      200
    clock at half speed, no fencing                   190        0
    clock at half speed, margin 5                       0        0
    """
    out.write("Lease 10, c1 paused for 15 right after its lease check; seed 1\n\n")
    unsafe = run_scenario(1, fencing=False)
    out.write(f"Without fencing:\n{unsafe.story()}\n")
    out.write(f"final value: {unsafe.final!r} (stale: c2's write is lost)\n\n")
    safe = run_scenario(1, fencing=True)
    out.write("With fencing, the same run ends:\n")
    out.write(f"{safe.story().splitlines()[-1]}\nfinal value: {safe.final!r}\n\n")
    out.write(f"Over {DEMO_SEEDS} seeds (10% duplicated messages):\n")
    out.write(f"{'variant':<32}{'stale write lands':>21}{'refused':>9}\n")
    drift = {"gc_pause": 0.0, "clock_rate": 0.5, "work_time": 12.0}
    variants: list[tuple[str, dict[str, Any], bool]] = [
        ("pause, no fencing", {}, False),
        ("pause, fencing", {}, True),
        ("clock at half speed, no fencing", drift, False),
        ("clock at half speed, margin 5", {**drift, "margin": 5.0}, False),
    ]
    for name, params, fencing in variants:
        runs = [
            run_scenario(seed, fencing=fencing, duplicate=0.1, **params)
            for seed in range(DEMO_SEEDS)
        ]
        stale = sum(bool(r.stale_writes) for r in runs)
        refused = sum(bool(r.refused) for r in runs)
        out.write(f"{name:<32}{stale:>21}{refused:>9}\n")
