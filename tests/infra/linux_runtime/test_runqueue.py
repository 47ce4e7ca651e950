"""Run-queue latency and switch-out causes, consistent with the simulation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.linux_runtime import CpuMax, RunQueueMonitor, Task, monitor_run, simulate


def test_throttling_shows_as_runqueue_latency_with_idle_switch_outs() -> None:
    tasks = [Task(f"w{i}", "app", i, 0, 80) for i in range(4)]
    tasks.append(Task("req", "app", 4, 65, 5))
    run = simulate(tasks, {"app": CpuMax(200_000)}, cpus=8)
    m = monitor_run(run, tasks)
    assert m.switch_out["app"] == {"same_cgroup": 0, "other_cgroup": 0, "idle": 4}
    assert sorted(m.latencies_us["app"]) == [0.0] * 4 + [35_000.0] + [50_000.0] * 4


def test_noisy_neighbour_shows_as_switch_outs_to_another_cgroup() -> None:
    tasks = [Task("req", "web", 0, 0, 9), Task("hog", "batch", 0, 0, 100)]
    run = simulate(tasks, {"web": None, "batch": None}, cpus=1)
    m = monitor_run(run, tasks)
    assert m.switch_out["web"] == {"same_cgroup": 0, "other_cgroup": 2, "idle": 0}
    assert m.worst_us("web") == 3000.0


@settings(max_examples=30, deadline=None)
@given(
    specs=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), min_size=1, max_size=5),
    quota=st.one_of(st.none(), st.integers(2, 9)),
)
def test_a_tasks_runqueue_waits_add_up_to_its_total_wait(
    specs: list[tuple[int, int]], quota: int | None
) -> None:
    tasks = [Task(f"t{i}", f"g{i}", 0, arr, work) for i, (arr, work) in enumerate(specs)]
    limit = CpuMax(None if quota is None else quota * 1000, 10_000)
    run = simulate(tasks, {t.cgroup: limit for t in tasks}, cpus=1)
    m = monitor_run(run, tasks)
    for t in tasks:
        r = run.results[t.name]
        waited = r.finish_ms - r.arrival_ms - t.work_ms
        assert sum(m.latencies_us[t.cgroup]) / 1000 == pytest.approx(waited, abs=1e-6)


def test_monitor_refuses_bad_input() -> None:
    with pytest.raises(TypeError, match="cgroup_of must be a mapping"):
        RunQueueMonitor([("a", "web")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cgroup of 'a' must be a non-empty str"):
        RunQueueMonitor({"a": ""})
    m = RunQueueMonitor({"a": "web"})
    with pytest.raises(ValueError, match="unknown task 'z'"):
        m.wakeup(0, "z")
    with pytest.raises(ValueError, match="time_us must be a finite number, got nan"):
        m.wakeup(math.nan, "a")
    with pytest.raises(TypeError, match="got bool"):
        m.switch(True, None, "a", prev_runnable=False)
    with pytest.raises(ValueError, match="switched in without being queued"):
        m.switch(1, None, "a", prev_runnable=False)
    with pytest.raises(ValueError, match="unknown task 'a'"):
        monitor_run(simulate([Task("a", "web", 0, 0, 1)], {"web": None}, cpus=1), [])
    with pytest.raises(TypeError, match="run must be a BandwidthRun"):
        monitor_run("run", [])  # type: ignore[arg-type]
    m.wakeup(100, "a")
    with pytest.raises(TypeError, match="prev_runnable must be a bool, got 1"):
        m.switch(150, None, "a", prev_runnable=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="switched in at 50.0, before it was queued at 100.0"):
        m.switch(50, None, "a", prev_runnable=False)
    assert m.latencies_us == {}  # nothing recorded by the refused events
