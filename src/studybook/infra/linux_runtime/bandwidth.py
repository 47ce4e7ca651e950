"""CFS bandwidth control: cgroup v2 ``cpu.max`` quota and period, and the throttling it causes.

A container's CPU limit is not a smaller CPU. The kernel hands a cgroup
``quota`` microseconds of CPU time every ``period`` microseconds (cgroup v2
``cpu.max``, default period 100 ms), shared by all its threads on all CPUs.
A multi-threaded container burns through the pool quickly: four busy threads
with ``cpu.max = "200000 100000"`` (two CPUs' worth) use it up in 50 ms, and then
every thread of the group, including one that just received a request, waits
for the next period. :func:`simulate` runs a CFS-style scheduler per CPU
(virtual runtime grows by ``ran * 1024 / weight``, weights from nice values via
the operating-systems chapter's
:func:`~studybook.fundamentals.operating_systems.kernel_schedulers.nice_to_weight`)
with the bandwidth pool on top, and reports each group's ``cpu.stat`` as the
kernel does.

Invariant: in every period a group runs for at most its quota plus the burst it
carried in (``u_j + ... + u_k <= B_j + quota * N(j, k)``, the bound the burst
patch series stated for any run of periods j..k), and a CPU never runs a task
of a throttled group.

=====================  =====================================  ==============
function               answers                                cost
=====================  =====================================  ==============
CpuMax.parse           a ``cpu.max`` line, validated          O(1)
simulate               per-task latency, ``cpu.stat``         O(s·(c + n·g))
throttled_window       when n busy threads get throttled      O(1)
=====================  =====================================  ==============

>>> CpuMax.parse("200000 100000").cpus
2.0

Primary sources: the Linux kernel's ``Documentation/scheduler/sched-bwc.rst``
and ``Documentation/admin-guide/cgroup-v2.rst`` (``cpu.max``, ``cpu.max.burst``
since Linux 5.14, ``cpu.stat``), and ``kernel/sched/fair.c``
(``__refill_cfs_bandwidth_runtime``, ``unthrottle_cfs_rq``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from studybook._validate import check_int, check_real, check_str
from studybook.fundamentals.operating_systems import NICE_0_WEIGHT, nice_to_weight

__all__ = [
    "DEFAULT_PERIOD_US",
    "MAX_CPUS",
    "MAX_PERIOD_US",
    "MAX_STEPS",
    "MIN_PERIOD_US",
    "BandwidthRun",
    "CpuMax",
    "CpuStat",
    "Switch",
    "Task",
    "TaskResult",
    "simulate",
    "throttled_window",
]

#: cgroup v2's default ``cpu.max`` period, 100 ms (cgroup-v2.rst: default "max 100000").
DEFAULT_PERIOD_US = 100_000
#: The shortest period, 1 ms ("The minimum quota allowed for the quota or period is 1ms",
#: sched-bwc.rst).
MIN_PERIOD_US = 1_000
#: The longest period, 1 s ("There is also an upper bound on the period length of 1s",
#: sched-bwc.rst).
MAX_PERIOD_US = 1_000_000
#: The default cap on scheduling steps in one :func:`simulate` call.
MAX_STEPS = 100_000
#: The most CPUs :func:`simulate` accepts: x86-64's largest ``CONFIG_NR_CPUS`` (MAXSMP).
MAX_CPUS = 8192


@dataclass(frozen=True)
class CpuMax:
    """A cgroup v2 ``cpu.max`` setting (plus ``cpu.max.burst``), in microseconds.

    ``quota_us=None`` is ``max``: no limit. A quota larger than the period is
    legal and means more than one CPU (``cpus`` = quota / period); sched-bwc.rst
    bounds quota and period below by 1 ms and the period above by 1 s (the
    kernel also caps the quota near 2^44 us, ``max_cfs_runtime``, not modelled).

    Raises:
        TypeError: a quota, period or burst that is not an int (``bool``,
            ``float`` and NaN included).
        ValueError: a quota or period below 1 ms, a period above 1 s, a negative
            burst, or a burst larger than the quota (Linux 5.14 to 6.x refuse it)
            or set without a quota.

    >>> CpuMax(200_000)
    CpuMax(quota_us=200000, period_us=100000, burst_us=0)
    >>> CpuMax(200_000, period_us=2_000_000)
    Traceback (most recent call last):
    ValueError: period_us must be in [1000, 1000000], got 2000000
    """

    quota_us: int | None
    period_us: int = DEFAULT_PERIOD_US
    burst_us: int = 0

    def __post_init__(self) -> None:
        if self.quota_us is not None:
            check_int(self.quota_us, "quota_us", minimum=MIN_PERIOD_US)
        check_int(self.period_us, "period_us", minimum=MIN_PERIOD_US, maximum=MAX_PERIOD_US)
        check_int(self.burst_us, "burst_us", minimum=0)
        if self.burst_us and (self.quota_us is None or self.burst_us > self.quota_us):
            raise ValueError(
                f"burst_us must be at most quota_us ({self.quota_us!r}), got {self.burst_us!r}"
            )

    @classmethod
    def parse(cls, text: str, *, burst_us: int = 0) -> CpuMax:
        """Parse the contents of a ``cpu.max`` file: ``"$MAX $PERIOD"`` or ``"$MAX"``.

        A lone ``$MAX`` gets the default 100 ms period here; the kernel, given a
        lone ``$MAX`` on a write, keeps the cgroup's current period.

        Args:
            text: ``"max 100000"``, ``"50000 100000"``, or a quota alone.
            burst_us: the ``cpu.max.burst`` value, a separate file in the kernel.

        Returns:
            The validated :class:`CpuMax`.

        Raises:
            TypeError: ``text`` is not a str.
            ValueError: not one or two fields, a field that is not a decimal
                integer, or values the kernel refuses (see :class:`CpuMax`).

        Complexity: O(len(text)).

        >>> CpuMax.parse("max 100000").quota_us is None, str(CpuMax.parse("50000"))
        (True, '50000 100000')
        >>> CpuMax.parse("-1 100000")
        Traceback (most recent call last):
        ValueError: cpu.max quota must be 'max' or a decimal integer, got '-1'
        """
        check_str(text, "cpu.max")
        fields = text.split()
        if len(fields) not in (1, 2):
            raise ValueError(f"cpu.max must be '$MAX [$PERIOD]', got {text!r}")
        quota = None if fields[0] == "max" else _decimal(fields[0], "cpu.max quota", "'max' or ")
        period = _decimal(fields[1], "cpu.max period", "") if len(fields) == 2 else None
        return cls(quota, DEFAULT_PERIOD_US if period is None else period, burst_us)

    @property
    def cpus(self) -> float | None:
        """The limit in CPUs (quota / period), or ``None`` for ``max``."""
        return None if self.quota_us is None else self.quota_us / self.period_us

    def __str__(self) -> str:
        quota = "max" if self.quota_us is None else str(self.quota_us)
        return f"{quota} {self.period_us}"


def _decimal(text: str, what: str, alternative: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"{what} must be {alternative}a decimal integer, got {text!r}")
    return int(text)


@dataclass(frozen=True)
class Task:
    """A thread's burst of CPU work: it wakes at ``arrival_ms`` and needs ``work_ms`` of CPU.

    ``cpu`` pins it to one CPU (the model has no load balancing between CPUs);
    ``nice`` sets its CFS weight. A request served by a thread is one task.
    """

    name: str
    cgroup: str
    cpu: int
    arrival_ms: float
    work_ms: float
    nice: int = 0


@dataclass(frozen=True)
class TaskResult:
    """When a task started and finished; ``latency_ms`` = finish - arrival."""

    name: str
    arrival_ms: float
    start_ms: float
    finish_ms: float

    @property
    def latency_ms(self) -> float:
        """Time from wake-up to completion, the request latency the caller sees."""
        return self.finish_ms - self.arrival_ms


@dataclass
class CpuStat:
    """A cgroup's ``cpu.stat`` bandwidth counters, as cgroup-v2.rst names them.

    ``nr_periods`` counts periods in which the group had work, ``nr_throttled``
    those that ended with the group throttled, ``throttled_usec`` sums the time
    each CPU held a runnable task of the group while it was throttled (the
    kernel adds per-CPU run-queue throttled time), and ``nr_bursts`` /
    ``burst_usec`` count periods, and time, spent above quota thanks to burst.
    """

    usage_usec: int = 0
    nr_periods: int = 0
    nr_throttled: int = 0
    throttled_usec: int = 0
    nr_bursts: int = 0
    burst_usec: int = 0

    def __str__(self) -> str:
        return "\n".join(f"{k} {v}" for k, v in vars(self).items())


@dataclass(frozen=True)
class Switch:
    """A context switch on ``cpu`` at ``time_us``, like the ``sched_switch`` tracepoint.

    ``prev`` and ``next`` are task names, ``None`` for the idle task;
    ``prev_runnable`` says whether ``prev`` still had work (preempted or
    throttled, not finished).
    """

    time_us: float
    cpu: int
    prev: str | None
    next: str | None
    prev_runnable: bool


@dataclass
class BandwidthRun:
    """What :func:`simulate` measured: per-task results, ``cpu.stat`` per cgroup, the switches."""

    results: dict[str, TaskResult]
    stats: dict[str, CpuStat]
    switches: list[Switch] = field(repr=False)
    slices: list[tuple[int, str, float, float]] = field(repr=False)


def simulate(
    tasks: Sequence[Task],
    cgroups: Mapping[str, CpuMax | None],
    *,
    cpus: int,
    slice_ms: float = 3.0,
    max_steps: int = MAX_STEPS,
) -> BandwidthRun:
    """Run tasks on ``cpus`` CPUs under CFS with each cgroup's ``cpu.max`` bandwidth limit.

    Each CPU runs, among its tasks that have arrived, are unfinished and whose
    cgroup is not throttled, the one with the smallest virtual runtime, for up
    to ``slice_ms`` (a new task starts at the CPU's minimum virtual runtime).
    Every running task draws on its cgroup's pool; when the pool is empty the
    group is throttled on every CPU until the next period boundary, where the
    pool is refilled to ``min(left + quota, quota + burst)`` as
    ``__refill_cfs_bandwidth_runtime`` does. Periods start at time 0.
    Simplifications: the kernel hands out quota to CPUs in 5 ms slices
    (``sched_cfs_bandwidth_slice_us``), so real exhaustion is a little fuzzy;
    here the pool is exact. Tasks are pinned; there is no group-level CFS
    (``cpu.weight``) between cgroups, only per-task weights. Times are
    rounded to the nanosecond (the kernel's clock unit) and then kept exact.

    Args:
        tasks: the work; names unique.
        cgroups: ``cpu.max`` per cgroup name (``None``: no limit); every
            task's cgroup must be listed.
        cpus: number of CPUs, numbered from 0.
        slice_ms: the longest a task runs before the CPU re-picks.
        max_steps: refuse runs that need more scheduling steps than this.

    Returns:
        A :class:`BandwidthRun` with every task's :class:`TaskResult`, every
        cgroup's :class:`CpuStat` and the :class:`Switch` trace.

    Raises:
        TypeError, ValueError: a bad task field (empty or duplicate name,
            unknown cgroup, CPU out of range, negative or non-finite arrival,
            non-positive work, nice outside -20..19), a non-:class:`CpuMax`
            limit, or a run needing more than ``max_steps`` steps.

    Complexity: O(s·(c + n·g)) for s steps, c CPUs, n tasks and g cgroups,
    plus O(g) per period boundary; a long idle gap is skipped in O(g).

    >>> box = {"app": CpuMax(200_000)}
    >>> busy = [Task(f"w{i}", "app", i, 0, 60) for i in range(4)]
    >>> run = simulate([*busy, Task("req", "app", 4, 60, 5)], box, cpus=8)
    >>> run.results["w0"].finish_ms, run.results["req"].latency_ms
    (110.0, 45.0)
    >>> print(run.stats["app"])
    usage_usec 245000
    nr_periods 2
    nr_throttled 1
    throttled_usec 240000
    nr_bursts 0
    burst_usec 0
    >>> simulate([Task("a", "nope", 0, 0, 1)], box, cpus=1)
    Traceback (most recent call last):
    ValueError: task 'a' names an unknown cgroup 'nope'
    """
    ncpu = check_int(cpus, "cpus", minimum=1, maximum=MAX_CPUS)
    slice_us = _to_us(check_real(slice_ms, "slice_ms", positive=True), "slice_ms")
    steps = check_int(max_steps, "max_steps", minimum=1)
    limits = _check_cgroups(cgroups)
    specs = _check_tasks(tasks, limits, ncpu)
    return _Simulation(specs, limits, ncpu, slice_us).run(steps)


def _check_cgroups(cgroups: Mapping[str, CpuMax | None]) -> dict[str, CpuMax | None]:
    if not isinstance(cgroups, Mapping):
        raise TypeError(f"cgroups must be a mapping of name to CpuMax or None, got {cgroups!r}")
    for name, limit in cgroups.items():
        check_str(name, "cgroup name", nonempty=True)
        if limit is not None and not isinstance(limit, CpuMax):
            raise TypeError(f"cgroup {name!r} limit must be a CpuMax or None, got {limit!r}")
    return dict(cgroups)


def _check_tasks(tasks: Sequence[Task], limits: Mapping[str, object], ncpu: int) -> list[Task]:
    if isinstance(tasks, str | bytes) or not isinstance(tasks, Sequence):  # type: ignore[unreachable]
        raise TypeError(f"tasks must be a sequence of Task, got {tasks!r}")
    seen: set[str] = set()
    for task in tasks:
        if not isinstance(task, Task):
            raise TypeError(f"tasks must hold Task objects, got {task!r}")
        check_str(task.name, "task name", nonempty=True)
        if task.name in seen:
            raise ValueError(f"duplicate task name {task.name!r}")
        seen.add(task.name)
        check_str(task.cgroup, f"cgroup of task {task.name!r}", nonempty=True)
        if task.cgroup not in limits:
            raise ValueError(f"task {task.name!r} names an unknown cgroup {task.cgroup!r}")
        check_int(task.cpu, f"cpu of task {task.name!r}", minimum=0, maximum=ncpu - 1)
        check_real(task.arrival_ms, f"arrival_ms of task {task.name!r}", low=0)
        check_real(task.work_ms, f"work_ms of task {task.name!r}", positive=True)
        _to_us(task.work_ms, f"work_ms of task {task.name!r}")
        nice_to_weight(task.nice)
    return list(tasks)


def _to_us(ms: float, what: str) -> Fraction:
    """Milliseconds to exact microseconds, rounded to the kernel's clock unit, 1 ns.

    Rounding matters: ``Fraction(10 / 3)`` is not 10/3, and the binary remnant
    of a float would leave a task 1e-13 ms short of done, waiting a whole period.
    """
    ns = round(ms * 1_000_000)
    if ms > 0 and ns < 1:
        raise ValueError(f"{what} must be at least 1 ns (1e-06 ms), got {ms!r}")
    return Fraction(ns, 1000)


@dataclass
class _TaskState:
    spec: Task
    index: int
    weight: int
    arrival: Fraction
    remaining: Fraction
    vruntime: Fraction = Fraction(0)
    start: Fraction | None = None
    finish: Fraction | None = None


@dataclass
class _Group:
    name: str
    limit: CpuMax | None
    runtime: Fraction = Fraction(0)
    boundary: Fraction = Fraction(0)  # end of the current period
    throttled: bool = False
    active: bool = False  # had work in the current period
    was_throttled: bool = False  # throttled at some point in the current period
    used: Fraction = Fraction(0)  # run time in the current period
    usage: Fraction = Fraction(0)
    throttled_time: Fraction = Fraction(0)
    burst_time: Fraction = Fraction(0)
    stat: CpuStat = field(default_factory=CpuStat)


class _Simulation:
    def __init__(
        self, tasks: list[Task], limits: dict[str, CpuMax | None], ncpu: int, slice_us: Fraction
    ) -> None:
        self.tasks = [
            _TaskState(
                t,
                i,
                nice_to_weight(t.nice),
                _to_us(t.arrival_ms, "arrival_ms"),
                _to_us(t.work_ms, "work_ms"),
            )
            for i, t in enumerate(tasks)
        ]
        self.incoming = sorted(self.tasks, key=lambda s: (s.arrival, s.index))
        self.groups = {name: _Group(name, limit) for name, limit in limits.items()}
        for g in self.groups.values():
            if g.limit is not None and g.limit.quota_us is not None:
                g.runtime = Fraction(g.limit.quota_us)
                g.boundary = Fraction(g.limit.period_us)
        self.ncpu = ncpu
        self.slice_us = slice_us
        self.runnable: list[list[_TaskState]] = [[] for _ in range(ncpu)]
        self.running: list[_TaskState | None] = [None] * ncpu
        self.slice_end: list[Fraction] = [Fraction(0)] * ncpu
        self.min_vruntime: list[Fraction] = [Fraction(0)] * ncpu
        self.switches: list[Switch] = []
        self.slices: list[tuple[int, str, float, float]] = []
        self.last_slice: dict[int, int] = {}
        self.t = Fraction(0)

    def _limited(self, g: _Group) -> CpuMax | None:
        return g.limit if g.limit is not None and g.limit.quota_us is not None else None

    def run(self, max_steps: int) -> BandwidthRun:
        steps = 0
        while self.incoming or any(self.runnable):
            steps += 1
            if steps > max_steps:
                raise ValueError(
                    f"simulation needs more than {max_steps} steps; use fewer tasks, "
                    f"shorter work or a longer slice_ms, got {len(self.tasks)} tasks"
                )
            self._refill()  # close the old period before arrivals mark the new one active
            self._admit()
            self._pick()
            dt = self._next_event()
            self._advance(dt)
        for g in self.groups.values():
            self._close_period(g)
            g.stat.usage_usec = round(g.usage)
            g.stat.throttled_usec = round(g.throttled_time)
            g.stat.burst_usec = round(g.burst_time)
        results = {
            s.spec.name: TaskResult(
                s.spec.name,
                float(s.arrival / 1000),
                float((s.start or Fraction(0)) / 1000),
                float((s.finish or Fraction(0)) / 1000),
            )
            for s in self.tasks
        }
        stats = {name: g.stat for name, g in self.groups.items()}
        return BandwidthRun(results, stats, self.switches, self.slices)

    def _admit(self) -> None:
        while self.incoming and self.incoming[0].arrival <= self.t:
            s = self.incoming.pop(0)
            s.vruntime = self.min_vruntime[s.spec.cpu]
            self.runnable[s.spec.cpu].append(s)
            g = self.groups[s.spec.cgroup]
            g.active = True
            if self._limited(g) is not None and g.runtime <= 0 and not g.throttled:
                g.throttled = g.was_throttled = True  # enqueued with no quota left

    def _refill(self) -> None:
        for g in self.groups.values():
            limit = self._limited(g)
            if limit is None or limit.quota_us is None:
                continue
            if g.boundary > self.t:
                continue
            # Every boundary up to now is crossed at once: a group with work stops at
            # each boundary (it is an event), so only the first period crossed can have
            # had work, and k refills of min(r + quota, cap) from r <= cap equal one of
            # min(r + k * quota, cap). A long idle gap thus costs O(1), not O(gap).
            crossed = (self.t - g.boundary) // limit.period_us + 1
            self._close_period(g)
            cap = limit.quota_us + limit.burst_us
            g.runtime = min(g.runtime + crossed * limit.quota_us, Fraction(cap))
            g.throttled = False
            g.boundary += crossed * limit.period_us

    def _close_period(self, g: _Group) -> None:
        limit = self._limited(g)
        if limit is None:  # no bandwidth limit: the kernel runs no period timer
            return
        if g.active:
            g.stat.nr_periods += 1
        if g.was_throttled:
            g.stat.nr_throttled += 1
        if limit.quota_us is not None and g.used > limit.quota_us:
            g.stat.nr_bursts += 1
            g.burst_time += g.used - limit.quota_us
        g.active = self._has_work(g.name)
        g.was_throttled = False  # the refill that follows unthrottles it
        g.used = Fraction(0)

    def _has_work(self, cgroup: str) -> bool:
        return any(s.spec.cgroup == cgroup for queue in self.runnable for s in queue)

    def _eligible(self, s: _TaskState) -> bool:
        return not self.groups[s.spec.cgroup].throttled

    def _pick(self) -> None:
        for cpu in range(self.ncpu):
            current = self.running[cpu]
            keep = (
                current is not None
                and current.finish is None
                and self._eligible(current)
                and self.t < self.slice_end[cpu]
            )
            if keep:
                continue
            ready = [s for s in self.runnable[cpu] if self._eligible(s)]
            nxt = min(ready, key=lambda s: (s.vruntime, s.index)) if ready else None
            if nxt is not current:
                prev_runnable = current is not None and current.finish is None
                self.switches.append(
                    Switch(
                        float(self.t),
                        cpu,
                        None if current is None else current.spec.name,
                        None if nxt is None else nxt.spec.name,
                        prev_runnable,
                    )
                )
            self.running[cpu] = nxt
            if nxt is not None:
                self.slice_end[cpu] = self.t + self.slice_us
                if nxt.start is None:
                    nxt.start = self.t

    def _next_event(self) -> Fraction:
        candidates: list[Fraction] = []
        if self.incoming:
            candidates.append(self.incoming[0].arrival - self.t)
        drawing: dict[str, int] = {}
        for cpu, s in enumerate(self.running):
            if s is not None:
                candidates.append(s.remaining)
                candidates.append(self.slice_end[cpu] - self.t)
                drawing[s.spec.cgroup] = drawing.get(s.spec.cgroup, 0) + 1
        for name, g in self.groups.items():
            if self._limited(g) is None:
                continue
            if self._has_work(name):
                candidates.append(g.boundary - self.t)
            if name in drawing:
                candidates.append(g.runtime / drawing[name])
        return min(candidates)

    def _advance(self, dt: Fraction) -> None:
        for cpu in range(self.ncpu):
            for name in {s.spec.cgroup for s in self.runnable[cpu]}:
                if self.groups[name].throttled:
                    self.groups[name].throttled_time += dt
        for cpu, s in enumerate(self.running):
            if s is None or dt == 0:
                continue
            g = self.groups[s.spec.cgroup]
            s.remaining -= dt
            s.vruntime += dt * NICE_0_WEIGHT / s.weight
            g.usage += dt
            g.used += dt
            if self._limited(g) is not None:
                g.runtime -= dt
            self._record(cpu, s.spec.name, self.t, self.t + dt)
        self.t += dt
        for cpu, s in enumerate(self.running):
            if s is not None and s.remaining <= 0 and s.finish is None:
                s.finish = self.t
                self.runnable[cpu].remove(s)
            if self.runnable[cpu]:
                self.min_vruntime[cpu] = max(
                    self.min_vruntime[cpu], min(q.vruntime for q in self.runnable[cpu])
                )
        for g in self.groups.values():
            # Throttle only a group that still wants to run: one whose work ended just
            # as the pool ran dry was never held back (the kernel throttles a run
            # queue when it asks for runtime and gets none).
            limited = self._limited(g) is not None
            if limited and g.runtime <= 0 and not g.throttled and self._has_work(g.name):
                g.throttled = g.was_throttled = True

    def _record(self, cpu: int, name: str, start: Fraction, end: Fraction) -> None:
        s_ms, e_ms = float(start / 1000), float(end / 1000)
        last = self.last_slice.get(cpu)
        if last is not None:
            _, last_name, last_start, last_end = self.slices[last]
            if last_name == name and last_end == s_ms:  # the same task ran on: one slice
                self.slices[last] = (cpu, name, last_start, e_ms)
                return
        self.last_slice[cpu] = len(self.slices)
        self.slices.append((cpu, name, s_ms, e_ms))


def throttled_window(limit: CpuMax, busy_threads: int) -> tuple[float, float] | None:
    """When do ``busy_threads`` always-runnable threads, each on its own CPU, get throttled?

    They drain the pool at ``busy_threads`` CPU-ms per ms, so it lasts
    ``quota / busy_threads``; the group then waits for the period to end. This
    is the closed form the simulation is tested against.

    Args:
        limit: the group's :class:`CpuMax`.
        busy_threads: how many threads want the CPU all the time, at least 1.

    Returns:
        ``(start_ms, end_ms)`` of the throttled part of the first period, or
        ``None`` when the quota covers them all (quota >= threads x period).

    Raises:
        TypeError, ValueError: ``limit`` not a :class:`CpuMax`, or a bad count.

    Complexity: O(1).

    >>> throttled_window(CpuMax(200_000), 4)
    (50.0, 100.0)
    >>> throttled_window(CpuMax(400_000), 4) is None, throttled_window(CpuMax(None), 4)
    (True, None)
    >>> throttled_window(CpuMax(200_000), 0)
    Traceback (most recent call last):
    ValueError: busy_threads must be >= 1, got 0
    """
    if not isinstance(limit, CpuMax):
        raise TypeError(f"limit must be a CpuMax, got {limit!r}")
    n = check_int(busy_threads, "busy_threads", minimum=1)
    if limit.quota_us is None or limit.quota_us >= n * limit.period_us:
        return None
    return (limit.quota_us / n / 1000, limit.period_us / 1000)
