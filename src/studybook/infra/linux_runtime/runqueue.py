"""Run-queue latency per cgroup from scheduler events: what Netflix's eBPF monitor computes.

Netflix's Titus hosts attach an eBPF program to the ``sched_wakeup`` and
``sched_switch`` tracepoints: at wake-up it stores a timestamp per task, at
switch-in it subtracts it, giving the time the task waited in the run queue,
and it tags each switch-out with the cgroup of the task that took the CPU.
Run-queue latency alone is ambiguous: a container throttled by its own
``cpu.max`` waits in the queue too. The switch-out cause separates the two: a
task switched out while still runnable for *another* container's task points
to a noisy neighbour; one switched out for nothing (the CPU goes idle while it
wants to run) points to throttling. (The post tags switch-outs by who took the
CPU: the same container, another container, or a system service; the ``idle``
cause is this model's way of naming the throttled case.) :class:`RunQueueMonitor` does the same
bookkeeping over the :class:`~.bandwidth.Switch` trace of
:func:`~.bandwidth.simulate`.

Invariant: every recorded latency is the time from a task becoming runnable
(wake-up, or being switched out while runnable) to its next switch-in.

=========================  ===========================  ======
method                     does                         cost
=========================  ===========================  ======
RunQueueMonitor.wakeup     timestamp a runnable task    O(1)
RunQueueMonitor.switch     latency + switch-out cause   O(1)
monitor_run                replay a simulated run       O(e)
=========================  ===========================  ======

>>> m = RunQueueMonitor({"a": "web"})
>>> m.wakeup(0, "a"); m.switch(250, None, "a", prev_runnable=False)
>>> m.latencies_us["web"]
[250.0]

Primary source: J. Fernandez, S. Dabdoub, J. Koch, A. Tkachuk, "Noisy
Neighbor Detection with eBPF", Netflix TechBlog, September 2024.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studybook._validate import check_real, check_str
from studybook.infra.linux_runtime.bandwidth import BandwidthRun, Task

__all__ = ["CAUSES", "RunQueueMonitor", "monitor_run"]

#: Why a runnable task lost its CPU (to its own cgroup, to another, or to nothing,
#: when throttled).
CAUSES = ("same_cgroup", "other_cgroup", "idle")


@dataclass
class RunQueueMonitor:
    """Per-cgroup run-queue latency and switch-out causes from wake-up and switch events.

    Args:
        cgroup_of: the cgroup of every task name the events will mention.
    """

    cgroup_of: Mapping[str, str]
    latencies_us: dict[str, list[float]] = field(default_factory=dict)
    switch_out: dict[str, dict[str, int]] = field(default_factory=dict)
    _queued_at: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.cgroup_of, Mapping):
            raise TypeError(f"cgroup_of must be a mapping, got {self.cgroup_of!r}")
        for task, cgroup in self.cgroup_of.items():
            check_str(task, "task name", nonempty=True)
            check_str(cgroup, f"cgroup of {task!r}", nonempty=True)
        self.cgroup_of = dict(self.cgroup_of)

    def _cgroup(self, task: str) -> str:
        if task not in self.cgroup_of:
            raise ValueError(f"unknown task {task!r}")
        return self.cgroup_of[task]

    def wakeup(self, time_us: float, task: str) -> None:
        """A ``sched_wakeup``: ``task`` became runnable at ``time_us``.

        Raises:
            TypeError, ValueError: an unknown task or a non-finite time.

        Complexity: O(1).
        """
        check_real(time_us, "time_us")
        self._cgroup(task)
        self._queued_at[task] = float(time_us)

    def switch(
        self, time_us: float, prev: str | None, next_task: str | None, *, prev_runnable: bool
    ) -> None:
        """A ``sched_switch`` from ``prev`` to ``next_task`` (``None``: the idle task).

        Records ``next_task``'s run-queue latency; if ``prev`` is still
        runnable, re-queues it and counts its switch-out under the cause.

        Raises:
            TypeError, ValueError: an unknown task, a non-finite time, a
                non-bool ``prev_runnable``, a switch-in of a task that was never
                queued, or one earlier than its wake-up (a clock that stepped back).

        Complexity: O(1).

        >>> m = RunQueueMonitor({"a": "web", "b": "batch"})
        >>> m.wakeup(0, "a"); m.wakeup(0, "b"); m.switch(0, None, "b", prev_runnable=False)
        >>> m.switch(3000, "b", "a", prev_runnable=True); m.switch_out["batch"]
        {'same_cgroup': 0, 'other_cgroup': 1, 'idle': 0}
        >>> m.switch(3000, None, "a", prev_runnable=False)
        Traceback (most recent call last):
        ValueError: task 'a' switched in without being queued
        """
        now = check_real(time_us, "time_us")
        if not isinstance(prev_runnable, bool):
            raise TypeError(f"prev_runnable must be a bool, got {prev_runnable!r}")
        if next_task is not None:
            cg = self._cgroup(next_task)
            if next_task not in self._queued_at:
                raise ValueError(f"task {next_task!r} switched in without being queued")
            if now < self._queued_at[next_task]:
                raise ValueError(
                    f"task {next_task!r} switched in at {now!r}, before it was queued "
                    f"at {self._queued_at[next_task]!r}"
                )
            waited = now - self._queued_at.pop(next_task)
            self.latencies_us.setdefault(cg, []).append(waited)
        if prev is not None and prev_runnable:
            cg = self._cgroup(prev)
            if next_task is None:
                cause = "idle"
            elif self._cgroup(next_task) == cg:
                cause = "same_cgroup"
            else:
                cause = "other_cgroup"
            counts = self.switch_out.setdefault(cg, dict.fromkeys(CAUSES, 0))
            counts[cause] += 1
            self._queued_at[prev] = now

    def worst_us(self, cgroup: str) -> float:
        """The longest run-queue wait seen for ``cgroup`` (0.0 if none).

        >>> RunQueueMonitor({}).worst_us("web")
        0.0
        """
        return max(self.latencies_us.get(cgroup, [0.0]))


def monitor_run(run: BandwidthRun, tasks: Sequence[Task]) -> RunQueueMonitor:
    """Replay a :func:`~.bandwidth.simulate` run into a :class:`RunQueueMonitor`.

    Each task's arrival is its wake-up; the run's switches follow (a wake-up
    at the same instant as a switch comes first, as in the simulation).

    Raises:
        TypeError: ``run`` is not a :class:`~.bandwidth.BandwidthRun`.
        ValueError: the tasks do not match the run.

    Complexity: O(e log e) for e events.

    >>> from studybook.infra.linux_runtime.bandwidth import CpuMax, simulate
    >>> ts = [Task("a", "web", 0, 0, 1), Task("b", "web", 0, 0, 1)]
    >>> m = monitor_run(simulate(ts, {"web": CpuMax(None)}, cpus=1), ts)
    >>> m.latencies_us["web"]
    [0.0, 1000.0]
    """
    if not isinstance(run, BandwidthRun):
        raise TypeError(f"run must be a BandwidthRun, got {run!r}")
    monitor = RunQueueMonitor({t.name: t.cgroup for t in tasks})
    order = [(t.arrival_ms * 1000, 0, i) for i, t in enumerate(tasks)]
    order += [(s.time_us, 1, i) for i, s in enumerate(run.switches)]
    for time_us, kind, i in sorted(order):
        if kind == 0:
            monitor.wakeup(time_us, tasks[i].name)
        else:
            s = run.switches[i]
            monitor.switch(time_us, s.prev, s.next, prev_runnable=s.prev_runnable)
    return monitor
