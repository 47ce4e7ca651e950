"""Failure detection, gossip and membership: phi accrual, SWIM, and epidemic dissemination.

In a distributed system a crashed node and a slow one look the same from
outside: both are silent. Failure detectors turn silence into a suspicion
(the phi accrual detector), membership protocols turn suspicions into an
agreed-enough view (SWIM), and gossip carries that view to everyone in
O(log n) rounds. Interviewers ask about it because every Dynamo-style store,
service mesh and cluster manager (Cassandra, Akka, Consul, Serf) relies on
it, and because "just use a timeout" hides the trade-off between detection
time and false positives.

Layers, one per submodule: :mod:`~.phi` (phi accrual: exact normal model,
Akka's logistic approximation, Cassandra's exponential model),
:mod:`~.swim` (SWIM in the Part III simulator, with loss and a crashed
member), :mod:`~.gossip` (round-based push, pull and push-pull, and the
O(log n) fit) and :mod:`~.bully` (bully leader election in the simulator).

Invariant: phi is non-decreasing in the silence since the last heartbeat;
SWIM's views only move forward (``alive(i) < suspect(i) < alive(i+1)``,
``dead`` final); the informed set in gossip only grows.

=======================  ====================================
function                 cost
=======================  ====================================
PhiAccrualDetector.phi   O(1)
run_swim                 O(n · periods · (1 + k)) messages
spread_rounds            O(n · log n)
=======================  ====================================

>>> spread_rounds(10_000, seed=0, mode="push-pull") < 20
True

Primary sources: N. Hayashibara et al., "The phi Accrual Failure Detector",
SRDS 2004; A. Das, I. Gupta, A. Motivala, "SWIM", DSN 2002; A. Demers et al.,
"Epidemic Algorithms for Replicated Database Maintenance", PODC 1987.
"""

from __future__ import annotations

import math
from typing import TextIO

from studybook.distributed.failure_detection_gossip.bully import BullyNode, BullyRun, run_bully
from studybook.distributed.failure_detection_gossip.gossip import (
    MODES,
    LogFit,
    fit_log2,
    mean_rounds,
    spread_rounds,
)
from studybook.distributed.failure_detection_gossip.phi import (
    MODELS,
    PhiAccrualDetector,
    exponential_phi,
    logistic_phi,
    normal_phi,
)
from studybook.distributed.failure_detection_gossip.swim import (
    Message,
    SwimConfig,
    SwimNode,
    SwimRun,
    first_detection_periods,
    run_swim,
)

__all__ = [
    "DEMO_NS",
    "MODELS",
    "MODES",
    "BullyNode",
    "BullyRun",
    "LogFit",
    "Message",
    "PhiAccrualDetector",
    "SwimConfig",
    "SwimNode",
    "SwimRun",
    "demo",
    "exponential_phi",
    "first_detection_periods",
    "fit_log2",
    "logistic_phi",
    "mean_rounds",
    "normal_phi",
    "run_bully",
    "run_swim",
    "spread_rounds",
    "swim_table",
]

#: Cluster sizes the demo's gossip fit spans.
DEMO_NS = (10, 30, 100, 300, 1000, 3000, 10_000)


def swim_table(seeds: int, loss: float, n: int = 16) -> list[tuple[str, float, float, int, int]]:
    """Run three SWIM variants over ``seeds`` seeds: full, no indirect probe, no suspicion.

    Returns rows ``(variant, mean time to first confirm, mean time until all
    confirm, total false suspicions, total false positives)``; a run whose
    crash is never confirmed by everyone counts as ``inf``.

    Raises:
        ValueError: ``seeds`` not a positive int, and what
            :func:`~studybook.distributed.failure_detection_gossip.swim.run_swim` rejects.

    Complexity: ``3 · seeds`` SWIM runs.
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"seeds must be a positive int, got {seeds!r}")
    variants = (
        ("k=3, suspicion 30", SwimConfig()),
        ("k=0, suspicion 30", SwimConfig(indirect=0)),
        ("k=3, no suspicion", SwimConfig(suspicion_timeout=0)),
    )
    rows = []
    for name, config in variants:
        runs = [run_swim(n, seed=s, loss=loss, config=config) for s in range(seeds)]

        def mean(values: list[float | None]) -> float:
            return sum(math.inf if v is None else v for v in values) / len(values)

        rows.append(
            (
                name,
                mean([r.first_confirm for r in runs]),
                mean([r.all_confirm for r in runs]),
                sum(r.false_suspicions for r in runs),
                sum(r.false_positives for r in runs),
            )
        )
    return rows


def demo(out: TextIO) -> None:
    """Phi under three models, SWIM with loss and a crash, gossip rounds fitted to log2 n.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    phi after a silence, heartbeats every 1.0 s (std 0.1 s)
     silence   normal  logistic  exponential
         0.9    0.075     0.075        0.391
         1.0    0.301     0.301        0.434
         1.1    0.800     0.800        0.478
         1.2    1.643     1.643        0.521
         1.3    2.870     2.909        0.565
         1.4    4.499     4.737        0.608
         1.5    6.543     7.300        0.651
         2.0   23.118    37.585        0.869
    <BLANKLINE>
    SWIM, 16 members, n0 crashes at t=50, 5% loss, 10 seeds, period 10
    variant               confirm  all know  false susp.  false pos.
    k=3, suspicion 30        49.2      60.8            1           0
    k=0, suspicion 30        40.9      61.1          152         137
    k=3, no suspicion        19.2      39.8            0           2
    <BLANKLINE>
    Gossip: mean rounds until all n know (3 seeds each)
          n   push  push-pull  log2 n + ln n
         10    7.3        3.3            5.6
         30    9.3        5.0            8.3
        100   12.3        6.7           11.2
        300   14.0        7.3           13.9
       1000   18.3        9.0           16.9
       3000   19.7       10.3           19.6
      10000   23.7       11.3           22.5
    push: rounds = 1.63 log2 n + 1.48; residuals +0.44 -0.14 +0.03 -0.88 +0.62 -0.63 +0.55
    push-pull: rounds = 0.80 log2 n + 0.99; residuals -0.30 +0.11 +0.39 -0.20 +0.08 +0.15 -0.23
    """
    out.write("phi after a silence, heartbeats every 1.0 s (std 0.1 s)\n")
    out.write(f"{'silence':>8}{'normal':>9}{'logistic':>10}{'exponential':>13}\n")
    for silence in (0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 2.0):
        out.write(
            f"{silence:>8.1f}{normal_phi(silence, 1.0, 0.1):>9.3f}"
            f"{logistic_phi(silence, 1.0, 0.1):>10.3f}{exponential_phi(silence, 1.0):>13.3f}\n"
        )
    out.write("\nSWIM, 16 members, n0 crashes at t=50, 5% loss, 10 seeds, period 10\n")
    out.write(
        f"{'variant':<20}{'confirm':>9}{'all know':>10}{'false susp.':>13}{'false pos.':>12}\n"
    )
    for name, first, every, suspicions, positives in swim_table(10, 0.05):
        out.write(f"{name:<20}{first:>9.1f}{every:>10.1f}{suspicions:>13}{positives:>12}\n")
    out.write("\nGossip: mean rounds until all n know (3 seeds each)\n")
    out.write(f"{'n':>7}{'push':>7}{'push-pull':>11}{'log2 n + ln n':>15}\n")
    push = [mean_rounds(n, trials=3, mode="push") for n in DEMO_NS]
    both = [mean_rounds(n, trials=3, mode="push-pull") for n in DEMO_NS]
    for n, p, b in zip(DEMO_NS, push, both, strict=True):
        out.write(f"{n:>7}{p:>7.1f}{b:>11.1f}{math.log2(n) + math.log(n):>15.1f}\n")
    for mode, rounds in (("push", push), ("push-pull", both)):
        fit = fit_log2(DEMO_NS, rounds)
        residuals = " ".join(f"{r:+.2f}" for r in fit.residuals)
        out.write(
            f"{mode}: rounds = {fit.slope:.2f} log2 n + {fit.intercept:.2f}; "
            f"residuals {residuals}\n"
        )
