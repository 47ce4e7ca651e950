"""A single-CPU scheduler simulator: the textbook policies FCFS, SJF, SRTF and round robin.

Each policy turns a list of jobs ``(name, arrival, burst)`` into a
:class:`Schedule`: the timeline of CPU slices, and per job its completion,
turnaround (completion - arrival), waiting (turnaround - burst: time spent
ready but not running) and response (first run - arrival) times. Jobs are
pure CPU bursts: no I/O, no context-switch cost, one CPU. Interviewers ask
for these four because computing a Gantt chart by hand shows whether you know
what each policy optimises; :mod:`~.kernel_schedulers` adds the MLFQ and
CFS-style schedulers that real kernels use, on the same :class:`Schedule`.

Invariant (checked by the tests for every policy): the slices never overlap,
each job receives exactly its burst, and the CPU is never idle while an
arrived job is unfinished (every policy here is work-conserving), so all
policies finish the same jobs at the same final time; they differ only in
*who waits*.

==============  ==========  ===============================================
policy          preemptive  picks
==============  ==========  ===============================================
``fcfs``        no          earliest arrival
``sjf``         no          shortest burst among the arrived jobs
``srtf``        yes         shortest remaining time (preempts on arrival)
``rr``          yes         FIFO queue, at most ``quantum`` per turn
==============  ==========  ===============================================

Every simulation is O(n log n + s·n) for n jobs and s slices. Time is kept
as exact fractions inside, a float read as the decimal it prints as (0.1 is
1/10), so three quanta of 0.3 use up a burst of 0.9 with no rounding residue
to leave a phantom slice; results come back as ``int`` when they are whole
numbers and as ``float`` otherwise.

>>> average_waiting_time([("P1", 0, 24), ("P2", 0, 3), ("P3", 0, 3)], "fcfs")
17.0

Primary sources: A. Silberschatz, P. B. Galvin, G. Gagne, *Operating System
Concepts*, 10th ed. (2018), ch. 5; R. H. Arpaci-Dusseau, A. C. Arpaci-Dusseau,
*Operating Systems: Three Easy Pieces* (OSTEP, v1.10), ch. 7; L. Schrage, "A
proof of the optimality of the shortest remaining processing time
discipline", *Operations Research* 16(3), 1968.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from studybook.fundamentals.operating_systems._check import as_fraction, check_choice, check_time

__all__ = [
    "MAX_SLICES",
    "POLICIES",
    "JobSpec",
    "Schedule",
    "Slice",
    "average_waiting_time",
    "schedule",
]

#: A job as the caller writes it, ``(name, arrival time, CPU burst)``.
JobSpec = tuple[str, float, float]

#: The policies :func:`average_waiting_time` and :func:`schedule` accept.
POLICIES = ("fcfs", "sjf", "srtf", "rr")


@dataclass(frozen=True)
class Slice:
    """One stretch of CPU time given to one job, from ``start`` to ``end``."""

    job: str
    start: float
    end: float


@dataclass(frozen=True)
class Schedule:
    """The outcome of one simulation.

    ``slices`` is the timeline (contiguous runs of the same job merged, idle
    gaps omitted); the four mappings are keyed by job name in the caller's
    order. ``dispatches`` is the number of slices: how many times a job was
    put on the CPU, so ``dispatches - len(jobs)`` counts the preemptions that
    a real kernel would pay a context switch for.
    """

    policy: str
    slices: tuple[Slice, ...]
    completion: Mapping[str, float]
    turnaround: Mapping[str, float]
    waiting: Mapping[str, float]
    response: Mapping[str, float]

    @property
    def average_waiting(self) -> float:
        """Mean waiting time over the jobs."""
        return _mean(self.waiting)

    @property
    def average_turnaround(self) -> float:
        """Mean turnaround time over the jobs."""
        return _mean(self.turnaround)

    @property
    def average_response(self) -> float:
        """Mean response time (first run minus arrival) over the jobs."""
        return _mean(self.response)

    @property
    def dispatches(self) -> int:
        """Number of times a job was dispatched onto the CPU."""
        return len(self.slices)

    def gantt(self) -> str:
        """The timeline as text, one ``job start-end`` cell per slice.

        >>> schedule([("A", 0, 2), ("B", 3, 1)], "fcfs").gantt()
        '| A 0-2 | B 3-4 |'
        """
        cells = " | ".join(f"{s.job} {s.start:g}-{s.end:g}" for s in self.slices)
        return f"| {cells} |"


def _mean(values: Mapping[str, float]) -> float:
    return math.fsum(values.values()) / len(values)


def average_waiting_time(
    jobs: Sequence[JobSpec], policy: str, quantum: float | None = None
) -> float:
    """Return the mean waiting time of ``jobs`` under ``policy`` on one CPU.

    Waiting time is turnaround minus burst: the time a job spends ready but
    not running. See :func:`schedule` for the exact rules of each policy.

    Args:
        jobs: ``(name, arrival, burst)`` triples; names unique, arrival ``>= 0``,
            burst ``> 0``, both finite ints or floats.
        policy: ``'fcfs'``, ``'sjf'`` (non-preemptive), ``'srtf'`` or ``'rr'``.
        quantum: the round-robin time slice; required for ``'rr'`` only.

    Returns:
        The mean of the jobs' waiting times.

    Raises:
        ValueError: empty ``jobs``, a duplicate name, a negative or NaN time,
            a non-positive burst, an unknown policy, a missing or non-positive
            quantum for ``'rr'``, a quantum so small that the schedule would
            need more than :data:`MAX_SLICES` slices, or a quantum given to
            another policy.
        TypeError: a job that is not a 3-tuple, a name that is not a ``str``,
            a time that is not an int or float (``bool`` included).

    Complexity: O(n log n + s·n) time for n jobs and s slices; O(n + s) space.

    >>> jobs = [("P1", 0, 8), ("P2", 1, 4), ("P3", 2, 9), ("P4", 3, 5)]
    >>> average_waiting_time(jobs, "srtf"), average_waiting_time(jobs, "fcfs")
    (6.5, 8.75)
    >>> average_waiting_time(jobs, "rr")
    Traceback (most recent call last):
    ValueError: policy 'rr' needs a quantum, got None
    """
    return schedule(jobs, policy, quantum).average_waiting


def schedule(jobs: Sequence[JobSpec], policy: str, quantum: float | None = None) -> Schedule:
    """Simulate ``jobs`` under ``policy`` and return the full :class:`Schedule`.

    Rules, so that every result is reproducible by hand:

    * ``fcfs``: run jobs to completion in arrival order.
    * ``sjf``: whenever the CPU is free, run the arrived job with the
      shortest burst to completion.
    * ``srtf``: at every arrival and completion, run the arrived job with the
      least remaining time; a newcomer preempts only if it is *strictly*
      shorter than what the running job has left (Silberschatz's rule).
    * ``rr``: a FIFO ready queue; a job runs for at most ``quantum`` and then
      goes to the tail. **Jobs that arrive at the instant a quantum expires
      enter the queue before the preempted job.**

    Ties (equal arrival, burst or remaining time) go to the job listed first.
    Tie-breaking never changes an *average* here: swapping two equal jobs
    swaps their completion times.

    Raises:
        ValueError, TypeError: as :func:`average_waiting_time`.

    Complexity: O(n log n + s·n) time for n jobs and s slices.

    >>> schedule([("P1", 0, 24), ("P2", 0, 3), ("P3", 0, 3)], "rr", 4).gantt()
    '| P1 0-4 | P2 4-7 | P3 7-10 | P1 10-30 |'
    >>> schedule([("A", 0, 1)], "fifo")
    Traceback (most recent call last):
    ValueError: unknown policy 'fifo'; expected one of 'fcfs', 'sjf', 'srtf', 'rr'
    """
    specs = _check_jobs(jobs)
    check_choice(policy, "policy", POLICIES)
    if policy == "rr":
        if quantum is None:
            raise ValueError(f"policy 'rr' needs a quantum, got {quantum!r}")
        q = as_fraction(check_time(quantum, "quantum", positive=True))
        # Round robin's slice count is known up front: ceil(burst / quantum) per job.
        if sum(-(-j.burst // q) for j in specs) > MAX_SLICES:
            raise ValueError(
                f"quantum {quantum!r} needs more than {MAX_SLICES:,} slices for these bursts;"
                " use a larger quantum"
            )
        return _finish(specs, "rr", _round_robin(specs, q))
    if quantum is not None:
        raise ValueError(f"quantum applies only to policy 'rr', got quantum={quantum!r}")
    if policy == "srtf":
        return _finish(specs, policy, _srtf(specs))
    return _finish(specs, policy, _non_preemptive(specs, shortest_first=policy == "sjf"))


#: The most CPU slices one simulation may produce. A run that needs more was
#: given a slice far smaller than the work (a quantum of 1e-9 for a burst of 1)
#: and would compute for hours; it is refused with a ValueError instead.
#: 100,000 exact-fraction slices take a few seconds.
MAX_SLICES = 100_000


def _check_slice_count(runs: list[_Run], knob: str) -> None:
    """Raise if a simulation has produced more than :data:`MAX_SLICES` raw slices."""
    if len(runs) > MAX_SLICES:
        raise ValueError(f"simulation needs more than {MAX_SLICES:,} slices; use a larger {knob}")


@dataclass(frozen=True)
class _Job:
    name: str
    arrival: Fraction  # exact; a float is read as the decimal it prints as
    burst: Fraction
    index: int  # position in the caller's list: the tie-breaker


def _check_jobs(jobs: object) -> list[_Job]:
    if isinstance(jobs, str | bytes) or not isinstance(jobs, Sequence):
        raise TypeError(f"jobs must be a list of (name, arrival, burst), got {jobs!r}")
    if not jobs:
        raise ValueError(f"jobs must not be empty, got {jobs!r}")
    seen: set[str] = set()
    out: list[_Job] = []
    for i, job in enumerate(jobs):
        if not isinstance(job, tuple | list) or len(job) != 3:
            raise TypeError(f"each job must be a (name, arrival, burst) tuple, got {job!r}")
        name, arrival, burst = job
        if not isinstance(name, str):
            raise TypeError(f"job name must be a str, got {type(name).__name__}: {name!r}")
        if name in seen:
            raise ValueError(f"duplicate job name {name!r}")
        seen.add(name)
        a = as_fraction(check_time(arrival, f"arrival of job {name!r}", positive=False))
        b = as_fraction(check_time(burst, f"burst of job {name!r}", positive=True))
        out.append(_Job(name, a, b, i))
    return out


# A raw run: (job index, start, end). _finish merges and derives the metrics.
_Run = tuple[int, Fraction, Fraction]


def _finish(jobs: list[_Job], policy: str, runs: list[_Run]) -> Schedule:
    merged: list[tuple[int, Fraction, Fraction]] = []
    first: dict[int, Fraction] = {}
    done: dict[int, Fraction] = {}
    for index, start, end in runs:
        if end <= start:
            continue
        first.setdefault(index, start)
        done[index] = end
        if merged and merged[-1][0] == index and merged[-1][2] == start:
            merged[-1] = (index, merged[-1][1], end)
        else:
            merged.append((index, start, end))
    slices = tuple(Slice(jobs[i].name, _number(s), _number(e)) for i, s, e in merged)
    completion = {j.name: _number(done[j.index]) for j in jobs}
    turnaround = {j.name: _number(done[j.index] - j.arrival) for j in jobs}
    waiting = {j.name: _number(done[j.index] - j.arrival - j.burst) for j in jobs}
    response = {j.name: _number(first[j.index] - j.arrival) for j in jobs}
    return Schedule(policy, slices, completion, turnaround, waiting, response)


def _number(x: Fraction) -> float:
    # Whole results stay ints (as hand-computed textbook answers are).
    return int(x) if x.denominator == 1 else float(x)


def _by_arrival(jobs: list[_Job]) -> deque[_Job]:
    return deque(sorted(jobs, key=lambda j: (j.arrival, j.index)))


def _non_preemptive(jobs: list[_Job], *, shortest_first: bool) -> list[_Run]:
    incoming = _by_arrival(jobs)
    ready: list[tuple[Fraction, int, _Job]] = []  # heap keyed (burst or arrival, index)
    runs: list[_Run] = []
    t = Fraction(0)
    while incoming or ready:
        while incoming and incoming[0].arrival <= t:
            j = incoming.popleft()
            heapq.heappush(ready, (j.burst if shortest_first else j.arrival, j.index, j))
        if not ready:
            t = incoming[0].arrival  # idle until the next arrival
            continue
        _, _, job = heapq.heappop(ready)
        runs.append((job.index, t, t + job.burst))
        t += job.burst
    return runs


def _srtf(jobs: list[_Job]) -> list[_Run]:
    incoming = _by_arrival(jobs)
    remaining: dict[int, Fraction] = {}
    runs: list[_Run] = []
    running: int | None = None
    t = Fraction(0)
    while incoming or remaining:
        while incoming and incoming[0].arrival <= t:
            j = incoming.popleft()
            remaining[j.index] = j.burst
        if not remaining:
            t = incoming[0].arrival
            continue
        # Least remaining time; on a tie the running job keeps the CPU, then list order.
        current = min(remaining, key=lambda i: (remaining[i], i != running, i))
        # Run until it finishes or the next arrival, whichever is first.
        ran, end = remaining[current], t + remaining[current]
        if incoming and incoming[0].arrival < end:
            ran, end = incoming[0].arrival - t, incoming[0].arrival
        runs.append((current, t, end))
        remaining[current] -= ran  # exactly 0 when it ran to completion
        t = end
        running = current
        if remaining[current] <= 0:
            del remaining[current]
            running = None
    return runs


def _round_robin(jobs: list[_Job], quantum: Fraction) -> list[_Run]:
    incoming = _by_arrival(jobs)
    remaining = {j.index: j.burst for j in jobs}
    queue: deque[int] = deque()
    runs: list[_Run] = []
    t = Fraction(0)

    def admit(now: Fraction) -> None:
        while incoming and incoming[0].arrival <= now:
            queue.append(incoming.popleft().index)

    while incoming or queue:
        admit(t)
        if not queue:
            t = incoming[0].arrival
            continue
        current = queue.popleft()
        run = min(quantum, remaining[current])
        runs.append((current, t, t + run))
        t += run
        remaining[current] -= run
        admit(t)  # arrivals up to now queue up before the preempted job
        if remaining[current] > 0:
            queue.append(current)
    return runs
