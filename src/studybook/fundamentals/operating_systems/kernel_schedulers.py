"""Schedulers real kernels use: a multi-level feedback queue and a CFS-style fair scheduler.

The textbook policies of :mod:`~.scheduling` need to know each job's burst
(SJF, SRTF) or ignore it (FCFS, RR). Real kernels do neither: the
multi-level feedback queue (CTSS 1962, later BSD, Solaris and Windows NT)
*learns* which jobs are short from how they use the CPU, and Linux's
Completely Fair Scheduler (2.6.23 to 6.5) shares the CPU in proportion to
weights derived from nice values. Both return the same
:class:`~.scheduling.Schedule` as the textbook policies, so the tests hold
them to the same invariants (work conserved, never idle with work).

Invariant: a job at a lower MLFQ level never runs while a higher level has a
ready job; a CFS pick always has the smallest weighted virtual runtime.

======  =================================================  ==============
policy  picks                                              cost per pick
======  =================================================  ==============
mlfq    head of the highest non-empty level                O(L) levels
cfs     smallest virtual runtime (ran * 1024 / weight)     O(n) here
======  =================================================  ==============

>>> nice_to_weight(0), nice_to_weight(-5)
(1024, 3121)

Primary sources: R. H. Arpaci-Dusseau, A. C. Arpaci-Dusseau, *Operating
Systems: Three Easy Pieces* (v1.10), ch. 8 (MLFQ) and 9 (CFS); F. J.
Corbató, M. Merwin-Daggett, R. C. Daley, "An Experimental Time-Sharing
System", AFIPS SJCC 1962; the Linux kernel's
``Documentation/scheduler/sched-design-CFS.rst`` and ``kernel/sched/core.c``
(``sched_prio_to_weight``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from studybook.fundamentals.operating_systems._check import as_fraction, check_time

# The job model and timeline are shared with the textbook policies.
from studybook.fundamentals.operating_systems.scheduling import (
    JobSpec,
    Schedule,
    _by_arrival,
    _check_jobs,
    _check_slice_count,
    _finish,
    _Job,
    _Run,
)

__all__ = ["NICE_0_WEIGHT", "cfs", "mlfq", "nice_to_weight"]


def mlfq(
    jobs: Sequence[JobSpec],
    quanta: Sequence[float] = (10, 10, 10),
    *,
    boost: float | None = None,
) -> Schedule:
    """Simulate a multi-level feedback queue (OSTEP ch. 8, rules 1-5).

    Level 0 is the highest priority. The rules, for CPU-only jobs:

    1. A job at a higher level always runs before one at a lower level; an
       arrival at level 0 preempts a job running at a lower level at once.
    2. Within a level, jobs take turns (round robin).
    3. A new job enters level 0.
    4. A job that has used ``quanta[level]`` of CPU at its level (in total,
       over however many turns) moves down one level; the lowest level keeps
       it. A job preempted by a higher level keeps its used allotment and
       resumes at the head of its level's queue.
    5. Every ``boost`` time units (if given) every job moves back to level 0
       with a fresh allotment, ordered by its old level then its queue place.

    With one level and no boost this is exactly round robin with that quantum.

    Args:
        jobs: as :func:`~.scheduling.average_waiting_time`.
        quanta: the time allotment of each level, highest first; non-empty,
            each a positive finite number.
        boost: the priority-boost period, or ``None`` for no boost.

    Returns:
        The :class:`~.scheduling.Schedule`, with ``policy='mlfq'``.

    Raises:
        ValueError, TypeError: bad jobs (as :func:`~.scheduling.average_waiting_time`),
            empty ``quanta``, a non-positive or NaN quantum or boost, or
            quanta so small that the run needs more than
            :data:`~.scheduling.MAX_SLICES` slices.

    Complexity: O(s·(n + L)) time for s slices, n jobs and L levels.

    >>> long_then_short = [("A", 0, 200), ("B", 100, 20)]  # OSTEP fig. 8.3
    >>> s = mlfq(long_then_short, (10, 10, 10))
    >>> s.gantt(), s.completion["B"]
    ('| A 0-100 | B 100-120 | A 120-220 |', 120)
    >>> mlfq(long_then_short, ())
    Traceback (most recent call last):
    ValueError: quanta must not be empty, got ()
    """
    specs = _check_jobs(jobs)
    if isinstance(quanta, str | bytes) or not isinstance(quanta, Sequence):
        raise TypeError(f"quanta must be a sequence of numbers, got {quanta!r}")
    if not quanta:
        raise ValueError(f"quanta must not be empty, got {quanta!r}")
    allot = [
        as_fraction(check_time(q, f"quanta[{i}]", positive=True)) for i, q in enumerate(quanta)
    ]
    period = None if boost is None else as_fraction(check_time(boost, "boost", positive=True))
    return _finish(specs, "mlfq", _mlfq_runs(specs, allot, period))


def _mlfq_runs(jobs: list[_Job], allot: list[Fraction], period: Fraction | None) -> list[_Run]:
    incoming = _by_arrival(jobs)
    remaining = {j.index: j.burst for j in jobs}
    left = {j.index: allot[0] for j in jobs}  # allotment left at the current level
    queues: list[deque[int]] = [deque() for _ in allot]
    bottom = len(allot) - 1
    runs: list[_Run] = []
    t = Fraction(0)
    next_boost = period  # None: never

    def admit(now: Fraction) -> None:
        while incoming and incoming[0].arrival <= now:
            queues[0].append(incoming.popleft().index)

    while incoming or any(queues):
        admit(t)
        if period is not None and next_boost is not None and t >= next_boost:  # Rule 5
            everyone = [i for q in queues for i in q]
            for q in queues:
                q.clear()
            queues[0].extend(everyone)
            left.update(dict.fromkeys(everyone, allot[0]))
            # Exact: with floats, k * period could round back onto t and stall the loop.
            next_boost = (math.floor(t / period) + 1) * period
        top = next((lv for lv, q in enumerate(queues) if q), None)
        if top is None:
            t = incoming[0].arrival
            continue
        current = queues[top].popleft()
        ran = min(left[current], remaining[current])
        end = t + ran
        preempted = False
        if top > 0 and incoming and incoming[0].arrival < end:  # Rule 1
            ran, end, preempted = incoming[0].arrival - t, incoming[0].arrival, True
        if next_boost is not None and next_boost < end:
            ran, end, preempted = next_boost - t, next_boost, True
        runs.append((current, t, end))
        _check_slice_count(runs, "quanta or boost period")
        remaining[current] -= ran
        left[current] -= ran
        t = end
        admit(t)
        if remaining[current] <= 0:
            continue
        if preempted and left[current] > 0:
            queues[top].appendleft(current)  # interrupted, not expired: resume first
        else:  # Rule 4: allotment spent, move down a level (the bottom keeps it)
            lower = min(top + 1, bottom)
            left[current] = allot[lower]
            queues[lower].append(current)
    return runs


#: The weight of a nice-0 task in Linux's ``sched_prio_to_weight`` table.
NICE_0_WEIGHT = 1024

# kernel/sched/core.c, sched_prio_to_weight[40] (Linux 2.6.23 onwards, unchanged
# by EEVDF): each nice step is about 1.25x, so one step moves about 10% of CPU
# share between two competing tasks.
_PRIO_TO_WEIGHT = (
    88761, 71755, 56483, 46273, 36291,  # nice -20 .. -16
    29154, 23254, 18705, 14949, 11916,  # -15 .. -11
    9548, 7620, 6100, 4904, 3906,  # -10 .. -6
    3121, 2501, 1991, 1586, 1277,  # -5 .. -1
    1024, 820, 655, 526, 423,  # 0 .. 4
    335, 272, 215, 172, 137,  # 5 .. 9
    110, 87, 70, 56, 45,  # 10 .. 14
    36, 29, 23, 18, 15,  # 15 .. 19
)  # fmt: skip


def nice_to_weight(nice: int) -> int:
    """Return the Linux load weight of a task with this nice value (-20 to 19).

    Raises:
        TypeError: ``nice`` is not an int (``bool`` included).
        ValueError: ``nice`` outside -20..19.

    Complexity: O(1).

    >>> nice_to_weight(0), nice_to_weight(-5), nice_to_weight(19)
    (1024, 3121, 15)
    >>> nice_to_weight(20)
    Traceback (most recent call last):
    ValueError: nice must be between -20 and 19, got 20
    """
    if isinstance(nice, bool) or not isinstance(nice, int):
        raise TypeError(f"nice must be an int, got {type(nice).__name__}: {nice!r}")
    if not -20 <= nice <= 19:
        raise ValueError(f"nice must be between -20 and 19, got {nice!r}")
    return _PRIO_TO_WEIGHT[nice + 20]


@dataclass
class _Entity:
    job: _Job
    weight: int
    remaining: Fraction
    vruntime: Fraction


def cfs(
    jobs: Sequence[JobSpec],
    nice: Mapping[str, int] | None = None,
    *,
    sched_latency: float = 6.0,
    min_granularity: float = 0.75,
) -> Schedule:
    """Simulate a CFS-style weighted fair scheduler (Linux 2.6.23 to 6.5).

    Each runnable job has a virtual runtime that grows by
    ``ran * 1024 / weight``; the job with the smallest one runs next (ties to
    the job listed first). It runs for its share of the scheduling period,
    ``period * weight / total weight``, where the period is ``sched_latency``,
    stretched to ``n * min_granularity`` when n runnable jobs would otherwise
    get less than ``min_granularity`` each (``__sched_period`` and
    ``sched_slice`` in the kernel's pre-6.6 ``kernel/sched/fair.c``). A new
    job starts at the smallest virtual runtime on the queue, so it neither
    starves the others nor is starved. Simplifications: arrivals wait for the
    current slice to end (no wake-up preemption), and there is no sleeper
    credit, group scheduling or multi-CPU balancing.

    Args:
        jobs: as :func:`~.scheduling.average_waiting_time`; times are in milliseconds if
            the defaults are kept.
        nice: a nice value (-20..19) per job name; missing names get 0.
        sched_latency: the target period; Linux's unscaled default is 6 ms.
        min_granularity: the smallest slice; Linux's unscaled default is 0.75 ms.

    Returns:
        The :class:`~.scheduling.Schedule`, with ``policy='cfs'``.

    Raises:
        ValueError, TypeError: bad jobs, a nice value for an unknown job or
            outside -20..19, a non-positive or NaN latency or granularity, or
            slices so short that the run needs more than
            :data:`~.scheduling.MAX_SLICES` of them.

    Complexity: O(s·n) time for s slices and n jobs (the kernel uses a
    red-black tree for O(log n) per pick).

    >>> s = cfs([("A", 0, 100), ("B", 0, 100)], {"A": -5}, sched_latency=48, min_granularity=6)
    >>> [(x.job, round(x.end - x.start, 2)) for x in s.slices[:3]]
    [('A', 36.14), ('B', 11.86), ('A', 36.14)]
    >>> cfs([("A", 0, 1)], {"Z": 0})
    Traceback (most recent call last):
    ValueError: nice given for unknown job 'Z'
    """
    specs = _check_jobs(jobs)
    nice = {} if nice is None else nice
    if not isinstance(nice, Mapping):
        raise TypeError(f"nice must be a mapping of job name to nice value, got {nice!r}")
    names = {j.name for j in specs}
    for name in nice:
        if name not in names:
            raise ValueError(f"nice given for unknown job {name!r}")
    latency = as_fraction(check_time(sched_latency, "sched_latency", positive=True))
    granularity = as_fraction(check_time(min_granularity, "min_granularity", positive=True))
    weights = {j.name: nice_to_weight(nice.get(j.name, 0)) for j in specs}
    return _finish(specs, "cfs", _cfs_runs(specs, weights, latency, granularity))


def _cfs_runs(
    jobs: list[_Job], weights: dict[str, int], latency: Fraction, granularity: Fraction
) -> list[_Run]:
    incoming = _by_arrival(jobs)
    runnable: list[_Entity] = []
    runs: list[_Run] = []
    t = Fraction(0)
    min_vruntime = Fraction(0)  # monotonic, like cfs_rq->min_vruntime
    while incoming or runnable:
        while incoming and incoming[0].arrival <= t:
            j = incoming.popleft()
            runnable.append(_Entity(j, weights[j.name], j.burst, min_vruntime))
        if not runnable:
            t = incoming[0].arrival
            continue
        current = min(runnable, key=lambda e: (e.vruntime, e.job.index))
        total = sum(e.weight for e in runnable)
        period = max(latency, len(runnable) * granularity)
        run = min(period * current.weight / total, current.remaining)
        runs.append((current.job.index, t, t + run))
        _check_slice_count(runs, "sched_latency or min_granularity")
        t += run
        current.remaining -= run
        current.vruntime += run * NICE_0_WEIGHT / current.weight
        if current.remaining <= 0:
            runnable.remove(current)
        if runnable:
            min_vruntime = max(min_vruntime, min(e.vruntime for e in runnable))
    return runs
