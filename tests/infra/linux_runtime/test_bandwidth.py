"""CFS bandwidth control: the throttling scenario, the closed form, the quota invariant."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.operating_systems import nice_to_weight
from studybook.infra.linux_runtime import (
    MAX_STEPS,
    CpuMax,
    Task,
    simulate,
    throttled_window,
)


def test_four_threads_run_50_ms_then_the_group_is_throttled_for_the_rest_of_the_period() -> None:
    tasks = [Task(f"w{i}", "app", i, 0, 300) for i in range(4)]
    run = simulate(tasks, {"app": CpuMax(200_000, 100_000)}, cpus=4)
    first = {name: (start, end) for cpu, name, start, end in run.slices if start < 100}
    assert first == {f"w{i}": (0.0, 50.0) for i in range(4)}
    # 300 ms each at 50 ms per period: six periods, throttled in all but the last,
    # where the work ends exactly as the pool runs dry and nothing is held back.
    assert all(r.finish_ms == 550.0 for r in run.results.values())
    stat = run.stats["app"]
    assert (stat.nr_periods, stat.nr_throttled) == (6, 5)
    assert stat.usage_usec == 1_200_000
    assert stat.throttled_usec == 4 * 5 * 50_000  # 4 CPUs x 5 full throttled windows (+ none after)


def test_request_arriving_in_the_throttled_window_waits_for_the_next_period() -> None:
    busy = [Task(f"w{i}", "app", i, 0, 500) for i in range(4)]
    run = simulate([*busy, Task("req", "app", 4, 70, 5)], {"app": CpuMax(200_000)}, cpus=8)
    assert run.results["req"].start_ms == 100.0
    assert run.results["req"].latency_ms == 35.0
    unlimited = simulate([*busy, Task("req", "app", 4, 70, 5)], {"app": CpuMax(None)}, cpus=8)
    assert unlimited.results["req"].latency_ms == 5.0
    assert unlimited.stats["app"].nr_throttled == 0


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 6),
    quota_ms=st.integers(1, 50),
    period_ms=st.sampled_from([10, 20, 50, 100]),
    frac=st.sampled_from([0.0625, 0.25, 0.5, 0.75, 0.9375]),  # dyadic: small exact Fractions
    work_frac=st.sampled_from([0.125, 0.5, 0.75]),
)
def test_request_latency_matches_the_closed_form(
    n: int, quota_ms: int, period_ms: int, frac: float, work_frac: float
) -> None:
    quota_ms = min(quota_ms * n, n * period_ms - 1)  # below n CPUs, so they get throttled
    limit = CpuMax(quota_ms * 1000, period_ms * 1000)
    # The oracle is written here, not taken from the module: n CPUs drain the
    # pool at n ms per ms, so it is empty at quota / n and refilled at the period.
    start, end = quota_ms / n, float(period_ms)
    assert throttled_window(limit, n) == pytest.approx((start, end))
    arrival = start + frac * (end - start)
    work = work_frac * quota_ms / (n + 1)  # fits in the next period's pool
    busy = [Task(f"w{i}", "app", i, 0, 10 * period_ms) for i in range(n)]
    run = simulate([*busy, Task("req", "app", n, arrival, work)], {"app": limit}, cpus=n + 1)
    assert run.results["req"].latency_ms == pytest.approx(end - arrival + work, abs=1e-6)


tasks_strategy = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.integers(0, 2),
        st.integers(0, 60),
        st.integers(1, 40),
        st.integers(-5, 5),
    ),
    min_size=1,
    max_size=7,
)


def _usage_per_period(slices: Any, names: set[str], period: float) -> dict[int, float]:
    used: dict[int, float] = {}
    for _, name, start, end in slices:
        if name not in names:
            continue
        k = math.floor(start / period)
        while start < end:
            cut = min(end, (k + 1) * period)
            used[k] = used.get(k, 0.0) + cut - start
            start, k = cut, k + 1
    return used


@settings(max_examples=40, deadline=None)
@given(specs=tasks_strategy, quota=st.integers(1, 30), burst=st.integers(0, 30))
def test_quota_per_period_is_never_exceeded_and_every_task_gets_its_work(
    specs: list[tuple[str, int, int, int, int]], quota: int, burst: int
) -> None:
    burst = min(burst, quota)
    tasks = [
        Task(f"t{i}", g, cpu, arr, work, nice) for i, (g, cpu, arr, work, nice) in enumerate(specs)
    ]
    limits = {"a": CpuMax(quota * 1000, 10_000, burst * 1000), "b": CpuMax(None)}
    run = simulate(tasks, limits, cpus=3)
    a_names = {t.name for t in tasks if t.cgroup == "a"}
    for k, used in _usage_per_period(run.slices, a_names, 10.0).items():
        assert used <= quota + burst + 1e-6, k
    # The pool starts at quota with nothing banked and each refill adds at most quota.
    per_period = _usage_per_period(run.slices, a_names, 10.0)
    total = 0.0
    for k in range(max(per_period, default=-1) + 1):
        total += per_period.get(k, 0.0)
        assert total <= quota * (k + 1) + 1e-6, k
    ran: dict[str, float] = {}
    by_cpu: dict[int, list[tuple[float, float]]] = {}
    for cpu, name, start, end in run.slices:
        ran[name] = ran.get(name, 0.0) + end - start
        by_cpu.setdefault(cpu, []).append((start, end))
    for t in tasks:
        assert ran[t.name] == pytest.approx(t.work_ms)
        r = run.results[t.name]
        assert r.arrival_ms <= r.start_ms < r.finish_ms
    for spans in by_cpu.values():
        spans.sort()
        assert all(a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(spans))


@settings(max_examples=40, deadline=None)
@given(specs=st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), min_size=1, max_size=6))
def test_one_unlimited_cpu_is_work_conserving(specs: list[tuple[int, int]]) -> None:
    tasks = [Task(f"t{i}", "g", 0, arr, work) for i, (arr, work) in enumerate(specs)]
    run = simulate(tasks, {"g": None}, cpus=1)
    end = 0.0
    for arr, work in sorted(specs):  # a work-conserving CPU's busy periods, in any order
        end = max(end, arr) + work
    assert max(r.finish_ms for r in run.results.values()) == pytest.approx(end)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 4),
    per_thread_ms=st.integers(1, 60),
    period_ms=st.sampled_from([10, 20, 50]),
    periods=st.integers(2, 5),
)
def test_always_busy_threads_get_exactly_their_quota_in_every_period(
    n: int, per_thread_ms: int, period_ms: int, periods: int
) -> None:
    # Work conservation within the quota: the pool is not wasted while threads wait.
    quota_ms = n * min(per_thread_ms, period_ms)  # a multiple of n: exact shares
    work = periods * quota_ms  # all n threads together need `periods` full quotas
    tasks = [Task(f"w{i}", "app", i, 0, work / n) for i in range(n)]
    run = simulate(tasks, {"app": CpuMax(quota_ms * 1000, period_ms * 1000)}, cpus=n)
    used = _usage_per_period(run.slices, {t.name for t in tasks}, float(period_ms))
    assert sorted(used) == list(range(periods))
    assert all(u == pytest.approx(quota_ms) for u in used.values())
    assert run.stats["app"].nr_periods == periods


def test_a_long_idle_gap_is_skipped_at_once_and_banks_at_most_the_burst() -> None:
    # 10**7 periods of 1 ms pass before the tasks arrive: crossed in O(1), not one by one.
    tasks = [Task(f"t{i}", "g", i, 10_000_000, 1) for i in range(2)]
    banked = simulate(tasks, {"g": CpuMax(1000, 1000, burst_us=1000)}, cpus=2)
    # The pool holds quota + burst = 2 ms when they arrive: 2 ms in one period, no throttle.
    assert [r.finish_ms for r in banked.results.values()] == [10_000_001.0] * 2
    stat = banked.stats["g"]
    assert (stat.nr_periods, stat.nr_throttled, stat.nr_bursts, stat.burst_usec) == (1, 0, 1, 1000)
    plain = simulate(tasks, {"g": CpuMax(1000, 1000)}, cpus=2)
    assert [r.finish_ms for r in plain.results.values()] == [10_000_001.5] * 2


def test_cpu_share_follows_nice_weights() -> None:
    tasks = [Task("fast", "g", 0, 0, 1000, nice=0), Task("slow", "g", 0, 0, 1000, nice=5)]
    run = simulate(tasks, {"g": None}, cpus=1, slice_ms=1.0)
    ran = {"fast": 0.0, "slow": 0.0}
    for _, name, start, end in run.slices:
        if start < 500:
            ran[name] += min(end, 500) - start
    expected = nice_to_weight(0) / nice_to_weight(5)
    assert ran["fast"] / ran["slow"] == pytest.approx(expected, rel=0.02)


def test_burst_carries_unused_quota_into_a_later_period() -> None:
    tasks = [Task(f"w{i}", "app", i, 100, 60) for i in range(4)]
    plain = simulate(tasks, {"app": CpuMax(200_000)}, cpus=4)
    burst = simulate(tasks, {"app": CpuMax(200_000, burst_us=200_000)}, cpus=4)
    assert plain.stats["app"].nr_throttled == 1
    assert burst.stats["app"].nr_throttled == 0
    assert (burst.stats["app"].nr_bursts, burst.stats["app"].burst_usec) == (1, 40_000)
    assert max(r.finish_ms for r in burst.results.values()) == 160.0


def test_quota_above_period_times_cpus_is_allowed_and_never_throttles() -> None:
    tasks = [Task(f"w{i}", "app", i, 0, 250) for i in range(2)]
    run = simulate(tasks, {"app": CpuMax(10_000_000)}, cpus=2)
    assert run.stats["app"].nr_throttled == 0
    assert CpuMax(10_000_000).cpus == 100.0


def test_cpu_stat_and_cpu_max_render_like_the_kernel_files() -> None:
    run = simulate([Task("a", "g", 0, 0, 1)], {"g": CpuMax.parse("max 100000")}, cpus=1)
    assert str(run.stats["g"]).splitlines()[:4] == [
        "usage_usec 1000",
        "nr_periods 0",
        "nr_throttled 0",
        "throttled_usec 0",
    ]
    assert str(CpuMax.parse("50000 20000")) == "50000 20000"
    assert CpuMax.parse("max").quota_us is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"quota_us": 0}, ValueError, "quota_us must be >= 1000, got 0"),
        ({"quota_us": -5}, ValueError, "quota_us must be >= 1000, got -5"),
        ({"quota_us": 999}, ValueError, "got 999"),
        ({"quota_us": True}, TypeError, "quota_us must be an int, got bool: True"),
        ({"quota_us": float("nan")}, TypeError, "got float: nan"),
        (
            {"quota_us": 1000, "period_us": 999},
            ValueError,
            "period_us must be in [1000, 1000000], got 999",
        ),
        ({"quota_us": 1000, "period_us": 1_000_001}, ValueError, "got 1000001"),
        ({"quota_us": 1000, "period_us": False}, TypeError, "period_us must be an int, got bool"),
        ({"quota_us": 1000, "burst_us": -1}, ValueError, "burst_us must be >= 0, got -1"),
        (
            {"quota_us": 1000, "burst_us": 2000},
            ValueError,
            "burst_us must be at most quota_us (1000), got 2000",
        ),
        ({"quota_us": None, "burst_us": 5}, ValueError, "got 5"),
    ],
)
def test_cpu_max_refuses_bad_values(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        CpuMax(**kwargs)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "error"),
    [("", ValueError), ("1 2 3", ValueError), ("abc 100000", ValueError), ("max max", ValueError),
     ("1e5 100000", ValueError), ("500 100000", ValueError), (42, TypeError)],
)  # fmt: skip
def test_cpu_max_parse_refuses_bad_text(text: Any, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        CpuMax.parse(text)
    assert str(text).split()[0] in str(info.value) if str(text).strip() else "''" in str(info.value)


GOOD = [Task("a", "g", 0, 0, 1)]


@pytest.mark.parametrize(
    ("tasks", "cgroups", "kwargs", "error", "message"),
    [
        (GOOD, {"g": None}, {"cpus": 0}, ValueError, "cpus must be in [1, 8192], got 0"),
        (GOOD, {"g": None}, {"cpus": True}, TypeError, "cpus must be an int, got bool"),
        (GOOD, {"g": None}, {"cpus": 1, "slice_ms": float("nan")}, ValueError, "slice_ms"),
        (GOOD, {"g": None}, {"cpus": 1, "slice_ms": 0}, ValueError, "got 0"),
        (GOOD, {"g": None}, {"cpus": 1, "slice_ms": 1e-7}, ValueError, "at least 1 ns"),
        ([Task("a", "g", 0, 0, 1e-300)], {"g": None}, {"cpus": 1}, ValueError, "at least 1 ns"),
        ("ab", {"g": None}, {"cpus": 1}, TypeError, "tasks must be a sequence"),
        ([("a", "g")], {"g": None}, {"cpus": 1}, TypeError, "Task objects"),
        (GOOD * 2, {"g": None}, {"cpus": 1}, ValueError, "duplicate task name 'a'"),
        ([Task("a", "g", 3, 0, 1)], {"g": None}, {"cpus": 2}, ValueError, "got 3"),
        ([Task("a", "g", 0, float("nan"), 1)], {"g": None}, {"cpus": 1}, ValueError, "got nan"),
        ([Task("a", "g", 0, -1, 1)], {"g": None}, {"cpus": 1}, ValueError, "got -1"),
        ([Task("a", "g", 0, 0, 0)], {"g": None}, {"cpus": 1}, ValueError, "work_ms"),
        ([Task("a", "g", 0, 0, math.inf)], {"g": None}, {"cpus": 1}, ValueError, "got inf"),
        ([Task("a", "g", 0, 0, 1, nice=20)], {"g": None}, {"cpus": 1}, ValueError, "got 20"),
        ([Task("", "g", 0, 0, 1)], {"g": None}, {"cpus": 1}, ValueError, "task name"),
        (GOOD, [("g", None)], {"cpus": 1}, TypeError, "cgroups must be a mapping"),
        (GOOD, {"g": "200000 100000"}, {"cpus": 1}, TypeError, "must be a CpuMax or None"),
        (GOOD, {"g": None}, {"cpus": 8193}, ValueError, "cpus must be in [1, 8192], got 8193"),
        (
            [Task("a", ["g"], 0, 0, 1)],  # type: ignore[arg-type]
            {"g": None},
            {"cpus": 1},
            TypeError,
            "cgroup of task 'a' must be a str",
        ),
    ],
)
def test_simulate_refuses_bad_input(
    tasks: Any, cgroups: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        simulate(tasks, cgroups, **kwargs)
    assert message in str(info.value)


def test_simulate_refuses_runs_longer_than_max_steps() -> None:
    tasks = [Task("a", "g", 0, 0, 1000), Task("b", "g", 0, 0, 1000)]
    with pytest.raises(ValueError, match="more than 100 steps"):
        simulate(tasks, {"g": None}, cpus=1, slice_ms=1, max_steps=100)
    assert MAX_STEPS >= 10_000
    with pytest.raises(ValueError, match="max_steps must be >= 1, got 0"):
        simulate(tasks, {"g": None}, cpus=1, max_steps=0)


def test_throttled_window_refuses_bad_input() -> None:
    with pytest.raises(TypeError, match="limit must be a CpuMax"):
        throttled_window("200000 100000", 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got bool"):
        throttled_window(CpuMax(200_000), True)


def test_a_wake_up_after_the_pool_ran_dry_is_throttled_until_the_refill() -> None:
    # "a" spends the whole quota and finishes exactly as it runs out: nothing throttled.
    # "b" wakes later in the same period with the pool at zero: throttled at enqueue.
    first = [Task("a", "g", 0, 0, 10)]
    alone = simulate(first, {"g": CpuMax(10_000)}, cpus=2)
    assert (alone.stats["g"].nr_throttled, alone.stats["g"].throttled_usec) == (0, 0)
    run = simulate([*first, Task("b", "g", 1, 20, 1)], {"g": CpuMax(10_000)}, cpus=2)
    assert (run.results["b"].start_ms, run.results["b"].finish_ms) == (100.0, 101.0)
    assert (run.stats["g"].nr_throttled, run.stats["g"].throttled_usec) == (1, 80_000)
