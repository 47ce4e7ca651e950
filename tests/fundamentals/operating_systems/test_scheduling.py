"""The scheduler simulator against textbook worked examples and independent models."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.operating_systems import (
    Schedule,
    average_waiting_time,
    cfs,
    mlfq,
    nice_to_weight,
    schedule,
    scheduling,
)

# ---------------------------------------------------------------- textbook examples

OSC_SRTF = [("P1", 0, 8), ("P2", 1, 4), ("P3", 2, 9), ("P4", 3, 5)]


@pytest.mark.parametrize(
    ("jobs", "policy", "quantum", "expected"),
    [
        # Silberschatz, Galvin, Gagne, OSC 10th ed., section 5.3 (times in ms).
        ([("P1", 0, 24), ("P2", 0, 3), ("P3", 0, 3)], "fcfs", None, 17),
        ([("P2", 0, 3), ("P3", 0, 3), ("P1", 0, 24)], "fcfs", None, 3),
        ([("P1", 0, 6), ("P2", 0, 8), ("P3", 0, 7), ("P4", 0, 3)], "sjf", None, 7),
        (OSC_SRTF, "srtf", None, 6.5),
        ([("P1", 0, 24), ("P2", 0, 3), ("P3", 0, 3)], "rr", 4, 17 / 3),
    ],
)
def test_silberschatz_examples(jobs, policy, quantum, expected):
    assert average_waiting_time(jobs, policy, quantum) == pytest.approx(expected)


def test_silberschatz_srtf_gantt_chart():
    s = schedule(OSC_SRTF, "srtf")
    assert s.gantt() == "| P1 0-1 | P2 1-5 | P4 5-10 | P1 10-17 | P3 17-26 |"
    assert s.waiting == {"P1": 9, "P2": 0, "P3": 15, "P4": 2}


@pytest.mark.parametrize(
    ("jobs", "policy", "quantum", "turnaround", "response"),
    [
        # OSTEP ch. 7: three 10 s jobs at t=0 under FIFO: turnaround 20.
        ([("A", 0, 10), ("B", 0, 10), ("C", 0, 10)], "fcfs", None, 20, 10),
        # The convoy effect: A=100 first makes FIFO 110, SJF 50.
        ([("A", 0, 100), ("B", 0, 10), ("C", 0, 10)], "fcfs", None, 110, 70),
        ([("A", 0, 100), ("B", 0, 10), ("C", 0, 10)], "sjf", None, 50, 10),
        # STCF (= SRTF) with B and C arriving at 10: turnaround 50.
        ([("A", 0, 100), ("B", 10, 10), ("C", 10, 10)], "srtf", None, 50, 10 / 3),
        # RR with a 1 s slice on three 5 s jobs: response 1, SJF response 5.
        ([("A", 0, 5), ("B", 0, 5), ("C", 0, 5)], "rr", 1, 14, 1),
        ([("A", 0, 5), ("B", 0, 5), ("C", 0, 5)], "sjf", None, 10, 5),
    ],
)
def test_ostep_chapter_7_examples(jobs, policy, quantum, turnaround, response):
    s = schedule(jobs, policy, quantum)
    assert s.average_turnaround == pytest.approx(turnaround)
    assert s.average_response == pytest.approx(response)


def test_round_robin_arrivals_at_expiry_queue_before_the_preempted_job():
    # B arrives exactly when A's quantum ends: B runs first.
    assert schedule([("A", 0, 4), ("B", 2, 2)], "rr", 2).gantt() == "| A 0-2 | B 2-4 | A 4-6 |"
    # B arrives just after: the queue was empty, so A keeps the CPU for another quantum.
    assert schedule([("A", 0, 4), ("B", 2.5, 2)], "rr", 2).gantt() == "| A 0-4 | B 4-6 |"


def test_ties_go_to_the_job_listed_first_and_running_job_keeps_cpu_on_equal_remaining():
    assert schedule([("B", 0, 2), ("A", 0, 2)], "fcfs").gantt() == "| B 0-2 | A 2-4 |"
    assert schedule([("B", 0, 3), ("A", 0, 3)], "sjf").gantt() == "| B 0-3 | A 3-6 |"
    # At t=1 the newcomer has 2 left, exactly what A has left: A keeps the CPU.
    assert schedule([("N", 1, 2), ("A", 0, 3)], "srtf").gantt() == "| A 0-3 | N 3-5 |"


def test_idle_gaps_are_not_slices():
    s = schedule([("A", 5, 1), ("B", 0, 1)], "fcfs")
    assert s.gantt() == "| B 0-1 | A 5-6 |"
    assert s.waiting == {"A": 0, "B": 0}


def test_mlfq_ostep_figure_8_3_short_job_finishes_in_two_slices():
    s = mlfq([("A", 0, 200), ("B", 100, 20)], (10, 10, 10))
    assert s.completion == {"A": 220, "B": 120}
    assert s.response["B"] == 0


def test_mlfq_demotes_a_long_job_one_level_per_allotment():
    # Fig. 8.2: a lone long job spends 10 ms at each of the top levels.
    # With a short job arriving at 15 the long job (now at level 1) is preempted at once.
    s = mlfq([("A", 0, 40), ("B", 15, 5)], (10, 10, 10))
    assert s.gantt() == "| A 0-15 | B 15-20 | A 20-45 |"


def test_mlfq_boost_stops_starvation():
    # A long job plus a stream of short jobs, each arriving as the last finishes.
    shorts = [(f"S{i}", 10 + 5 * i, 5) for i in range(40)]
    jobs = [("A", 0, 50), *shorts]
    starved = mlfq(jobs, (10, 10))
    boosted = mlfq(jobs, (10, 10), boost=50)
    a_runs = [x for x in starved.slices if x.job == "A"]
    assert a_runs[0].end == 10
    assert a_runs[1].start >= 210  # A waits for every short job
    assert boosted.completion["A"] < starved.completion["A"]
    gaps = [
        b.start - a.end for a, b in itertools.pairwise(x for x in boosted.slices if x.job == "A")
    ]
    assert max(gaps) <= 50


def test_cfs_ostep_chapter_9_weighted_slices():
    # OSTEP ch. 9: sched_latency 48 ms, A at nice -5 (3121), B at nice 0 (1024):
    # A's slice is about 36 ms and B's about 12 ms.
    s = cfs([("A", 0, 1000), ("B", 0, 1000)], {"A": -5}, sched_latency=48, min_granularity=6)
    first, second = s.slices[:2]
    assert (first.job, second.job) == ("A", "B")
    assert first.end - first.start == pytest.approx(48 * 3121 / 4145)
    assert second.end - second.start == pytest.approx(48 * 1024 / 4145)


def test_cfs_period_stretches_to_min_granularity_per_task():
    # 12 jobs > 6 ms / 0.75 ms = 8: each slice is min_granularity, not 6/12 = 0.5 ms.
    jobs = [(f"J{i}", 0, 10) for i in range(12)]
    s = cfs(jobs)
    assert s.slices[0].end - s.slices[0].start == pytest.approx(0.75)


def test_cfs_late_arrival_starts_at_min_vruntime_and_does_not_monopolise():
    s = cfs([("A", 0, 100), ("B", 50, 100)])
    after = [x for x in s.slices if x.start >= 50]
    # B does not get 50 ms of catch-up: the two alternate 3 ms slices.
    assert all(x.end - x.start <= 3 + 1e-9 for x in after[:10])
    assert {x.job for x in after[:4]} == {"A", "B"}


def test_nice_weights_are_the_kernel_table():
    assert [nice_to_weight(n) for n in (-20, -1, 0, 1, 19)] == [88761, 1277, 1024, 820, 15]
    ratios = [nice_to_weight(n) / nice_to_weight(n + 1) for n in range(-20, 19)]
    assert all(1.19 < r < 1.29 for r in ratios)  # about 1.25: the "10% effect" per step


# ---------------------------------------------------------------- models and invariants

times = st.integers(0, 12)
bursts = st.integers(1, 9)


@st.composite
def job_lists(draw, *, max_size=6, simultaneous=False):
    n = draw(st.integers(1, max_size))
    return [(f"J{i}", 0 if simultaneous else draw(times), draw(bursts)) for i in range(n)]


def all_schedules(jobs) -> list[Schedule]:
    return [
        schedule(jobs, "fcfs"),
        schedule(jobs, "sjf"),
        schedule(jobs, "srtf"),
        schedule(jobs, "rr", 2),
        schedule(jobs, "rr", 0.5),
        mlfq(jobs, (1, 2, 4)),
        mlfq(jobs, (2, 3), boost=7),
        cfs(jobs),
        cfs(jobs, {jobs[0][0]: -7}),
    ]


def check_schedule(jobs, s: Schedule) -> None:
    spec = {name: (arrival, burst) for name, arrival, burst in jobs}
    got = dict.fromkeys(spec, 0.0)
    for a, b in itertools.pairwise(s.slices):
        assert a.end <= b.start + 1e-9, f"{s.policy}: overlapping slices {a} {b}"
    for x in s.slices:
        assert x.start < x.end
        assert x.start >= spec[x.job][0], f"{s.policy}: {x.job} ran before it arrived"
        got[x.job] += x.end - x.start
    for name, (arrival, burst) in spec.items():
        assert got[name] == pytest.approx(burst), f"{s.policy}: work not conserved"
        assert s.turnaround[name] == pytest.approx(s.completion[name] - arrival)
        assert s.waiting[name] == pytest.approx(s.turnaround[name] - burst)
        assert -1e-9 <= s.response[name] <= s.waiting[name] + 1e-9
    # Work-conserving: the CPU idles only when every arrived job is finished.
    busy_until = 0.0
    for x in s.slices:
        if x.start > busy_until + 1e-9:
            ready = [
                n
                for n, (a, _) in spec.items()
                if a <= busy_until + 1e-9 and s.completion[n] > x.start
            ]
            assert not ready, f"{s.policy}: idle at {busy_until} with {ready} ready"
        busy_until = x.end


@settings(max_examples=50)
@given(job_lists())
def test_every_policy_conserves_work_and_never_idles_with_work(jobs):
    schedules = all_schedules(jobs)
    for s in schedules:
        check_schedule(jobs, s)
    # Work-conserving policies all finish at the same instant.
    makespans = {round(max(s.completion.values()), 6) for s in schedules}
    assert len(makespans) == 1


@settings(max_examples=50)
@given(job_lists())
def test_srtf_minimises_average_waiting_among_all_policies(jobs):
    best = schedule(jobs, "srtf").average_waiting
    for s in all_schedules(jobs):
        assert best <= s.average_waiting + 1e-9, s.policy


@settings(max_examples=50)
@given(job_lists(simultaneous=True))
def test_sjf_is_optimal_for_simultaneous_arrivals_by_brute_force(jobs):
    # Every non-preemptive order: waiting of the k-th job is the sum of earlier bursts.
    best = min(
        sum(sum(b for _, _, b in order[:k]) for k in range(len(order))) / len(order)
        for order in itertools.permutations(jobs)
    )
    assert average_waiting_time(jobs, "sjf") == pytest.approx(best)
    assert average_waiting_time(jobs, "srtf") == pytest.approx(best)


def unit_step_srtf(jobs) -> float:
    """An independent SRTF: advance one time unit at a time, ties to the list order."""
    remaining = {name: burst for name, _, burst in jobs}
    arrival = {name: a for name, a, _ in jobs}
    order = [name for name, _, _ in jobs]
    done = {}
    t = 0
    while remaining:
        ready = [n for n in order if n in remaining and arrival[n] <= t]
        if ready:
            n = min(ready, key=lambda m: remaining[m])  # min keeps the first of equals
            remaining[n] -= 1
            if remaining[n] == 0:
                del remaining[n]
                done[n] = t + 1
        t += 1
    return sum(done[n] - arrival[n] - b for n, _, b in jobs) / len(jobs)


@given(job_lists(max_size=7))
def test_srtf_matches_a_unit_step_model(jobs):
    # The model even breaks ties differently (a listed-first newcomer preempts);
    # averages do not depend on how ties are broken.
    assert average_waiting_time(jobs, "srtf") == pytest.approx(unit_step_srtf(jobs))


@given(job_lists(max_size=7))
def test_fcfs_matches_the_closed_form(jobs):
    t = 0
    total = 0
    for _, arrival, burst in sorted(jobs, key=lambda j: j[1]):  # sorted() is stable
        t = max(t, arrival)
        total += t - arrival
        t += burst
    assert average_waiting_time(jobs, "fcfs") == pytest.approx(total / len(jobs))


@given(job_lists(), st.integers(1, 5))
def test_single_level_mlfq_is_round_robin(jobs, quantum):
    one_level, rr = mlfq(jobs, (quantum,)), schedule(jobs, "rr", quantum)
    assert one_level.slices == rr.slices
    assert one_level.waiting == rr.waiting


@given(job_lists())
def test_round_robin_with_a_huge_quantum_is_fcfs(jobs):
    assert schedule(jobs, "rr", 100).slices == schedule(jobs, "fcfs").slices


@settings(max_examples=30)
@given(st.integers(-20, 19), st.integers(-20, 19))
def test_cfs_shares_cpu_in_proportion_to_weight(nice_a, nice_b):
    s = cfs([("A", 0, 600), ("B", 0, 600)], {"A": nice_a, "B": nice_b})
    horizon = min(s.completion.values())  # both runnable until the first finishes
    ran = {"A": 0.0, "B": 0.0}
    for x in s.slices:
        ran[x.job] += max(0.0, min(x.end, horizon) - x.start)
    wa, wb = nice_to_weight(nice_a), nice_to_weight(nice_b)
    # Off by at most one period (6 ms, stretched to 2 * 0.75 = 1.5 ms floor) at the cut.
    assert ran["A"] / horizon == pytest.approx(wa / (wa + wb), abs=6 / horizon + 1e-9)


# ---------------------------------------------------------------- bad input

NAN = float("nan")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: average_waiting_time([], "fcfs"), ValueError, "jobs must not be empty, got []"),
        (
            lambda: average_waiting_time([("A", 0, 1), ("A", 1, 1)], "fcfs"),
            ValueError,
            "duplicate job name 'A'",
        ),
        (
            lambda: average_waiting_time([("A", NAN, 1)], "fcfs"),
            ValueError,
            "arrival of job 'A' must be a finite number, got nan",
        ),
        (
            lambda: average_waiting_time([("A", 0, math.inf)], "fcfs"),
            ValueError,
            "burst of job 'A' must be a finite number, got inf",
        ),
        (
            lambda: average_waiting_time([("A", 0, -2)], "sjf"),
            ValueError,
            "burst of job 'A' must be positive, got -2",
        ),
        (
            lambda: average_waiting_time([("A", 0, 0)], "sjf"),
            ValueError,
            "burst of job 'A' must be positive, got 0",
        ),
        (
            lambda: average_waiting_time([("A", -1, 2)], "sjf"),
            ValueError,
            "arrival of job 'A' must not be negative, got -1",
        ),
        (
            lambda: average_waiting_time([("A", 0, True)], "fcfs"),
            TypeError,
            "burst of job 'A' must be an int or float, got bool: True",
        ),
        (
            lambda: average_waiting_time([("A", "0", 1)], "fcfs"),
            TypeError,
            "arrival of job 'A' must be an int or float, got str: '0'",
        ),
        (
            lambda: average_waiting_time([(1, 0, 1)], "fcfs"),
            TypeError,
            "job name must be a str, got int: 1",
        ),
        (
            lambda: average_waiting_time([("A", 0)], "fcfs"),
            TypeError,
            "each job must be a (name, arrival, burst) tuple, got ('A', 0)",
        ),
        (
            lambda: average_waiting_time("ABC", "fcfs"),
            TypeError,
            "jobs must be a list of (name, arrival, burst), got 'ABC'",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "lottery"),
            ValueError,
            "unknown policy 'lottery'; expected one of 'fcfs', 'sjf', 'srtf', 'rr'",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], None),
            ValueError,
            "unknown policy None; expected one of 'fcfs', 'sjf', 'srtf', 'rr'",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "rr"),
            ValueError,
            "policy 'rr' needs a quantum, got None",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "rr", 0),
            ValueError,
            "quantum must be positive, got 0",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "rr", -1.5),
            ValueError,
            "quantum must be positive, got -1.5",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "rr", NAN),
            ValueError,
            "quantum must be a finite number, got nan",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "rr", True),
            TypeError,
            "quantum must be an int or float, got bool: True",
        ),
        (
            lambda: average_waiting_time([("A", 0, 1)], "fcfs", 4),
            ValueError,
            "quantum applies only to policy 'rr', got quantum=4",
        ),
        (lambda: mlfq([("A", 0, 1)], ()), ValueError, "quanta must not be empty, got ()"),
        (lambda: mlfq([("A", 0, 1)], (10, 0)), ValueError, "quanta[1] must be positive, got 0"),
        (
            lambda: mlfq([("A", 0, 1)], 10),
            TypeError,
            "quanta must be a sequence of numbers, got 10",
        ),
        (
            lambda: mlfq([("A", 0, 1)], boost=NAN),
            ValueError,
            "boost must be a finite number, got nan",
        ),
        (
            lambda: cfs([("A", 0, 1)], {"A": 20}),
            ValueError,
            "nice must be between -20 and 19, got 20",
        ),
        (
            lambda: cfs([("A", 0, 1)], {"A": False}),
            TypeError,
            "nice must be an int, got bool: False",
        ),
        (lambda: cfs([("A", 0, 1)], {"B": 0}), ValueError, "nice given for unknown job 'B'"),
        (
            lambda: cfs([("A", 0, 1)], [("A", 0)]),
            TypeError,
            "nice must be a mapping of job name to nice value, got [('A', 0)]",
        ),
        (
            lambda: cfs([("A", 0, 1)], sched_latency=0),
            ValueError,
            "sched_latency must be positive, got 0",
        ),
        (
            lambda: cfs([("A", 0, 1)], min_granularity=math.inf),
            ValueError,
            "min_granularity must be a finite number, got inf",
        ),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


def test_huge_and_float_times_work():
    jobs = [("A", 0.5, 1e9), ("B", 0.25, 0.125)]
    assert average_waiting_time(jobs, "srtf") == pytest.approx(0)
    assert average_waiting_time(jobs, "rr", 1e8) == pytest.approx(0)


# ---------------------------------------------------------------- decimal times


def tenths(jobs):
    return [(name, arrival / 10, burst / 10) for name, arrival, burst in jobs]


def policies_at_scale(jobs, divisor):
    """Every simulator, with each quantum-like parameter divided by ``divisor``."""
    return [
        schedule(jobs, "fcfs"),
        schedule(jobs, "sjf"),
        schedule(jobs, "srtf"),
        schedule(jobs, "rr", 3 / divisor),
        mlfq(jobs, (1 / divisor, 2 / divisor, 4 / divisor)),
        mlfq(jobs, (3 / divisor, 2 / divisor), boost=7 / divisor),
        cfs(jobs, sched_latency=6 / divisor, min_granularity=1 / divisor),
    ]


@settings(max_examples=50)
@given(job_lists())
def test_decimal_times_schedule_exactly_like_scaled_integers(jobs):
    # 0.1 + 0.2 != 0.3 in binary floating point; the simulators read 0.3 as 3/10,
    # so a schedule in tenths is the integer schedule divided by ten, slice for
    # slice, with no rounding residue left as a phantom slice.
    for whole, tenth in zip(
        policies_at_scale(jobs, 1), policies_at_scale(tenths(jobs), 10), strict=True
    ):
        assert [x.job for x in tenth.slices] == [x.job for x in whole.slices], whole.policy
        for a, b in zip(whole.slices, tenth.slices, strict=True):
            # a.end / 10 itself rounds (2.2 / 10 == 0.22000000000000003): compare closely.
            assert (b.start, b.end) == pytest.approx((a.start / 10, a.end / 10), abs=1e-12)
        check_schedule(tenths(jobs), tenth)


def test_float_boost_period_terminates():
    # 3 * 0.7 rounds to 2.0999999999999996 in floats, which once made the next
    # boost land on the current instant and the loop spin forever.
    assert mlfq([("A", 0, 3)], (0.1,), boost=0.7).gantt() == "| A 0-3 |"
    s = mlfq([("A", 0, 2.2), ("B", 0, 0.9)], (0.1, 0.2), boost=0.7)
    assert s.completion == {"A": 3.1, "B": 2}  # whole results come back as ints


def test_round_robin_in_tenths_leaves_no_sliver():
    s = schedule([("A", 0, 0.9), ("B", 0, 0.6)], "rr", 0.3)
    assert s.gantt() == "| A 0-0.3 | B 0.3-0.6 | A 0.6-0.9 | B 0.9-1.2 | A 1.2-1.5 |"
    assert s.completion == {"A": 1.5, "B": 1.2}
    # In binary floats 1.4 + 0.6 < 2.0, which once gave J1 a 1e-16 slice at t = 2.
    s = schedule([("J0", 1.4, 0.6), ("J1", 1.2, 1.4), ("J2", 2.0, 0.2)], "srtf")
    assert s.gantt() == "| J1 1.2-1.4 | J0 1.4-2 | J2 2-2.2 | J1 2.2-3.4 |"


def test_an_int_too_large_for_a_float_is_rejected():
    with pytest.raises(ValueError, match=r"^burst of job 'A' must be at most 1\.79"):
        average_waiting_time([("A", 0, 10**400)], "fcfs")
    assert average_waiting_time([("A", 0, 10**300), ("B", 0, 1)], "srtf") == 0.5


def test_a_slice_far_smaller_than_the_work_is_refused_not_run_for_hours(monkeypatch):
    # A quantum of 1e-9 for a burst of 1 once meant a billion loop iterations.
    with pytest.raises(
        ValueError,
        match=r"^quantum 1e-09 needs more than 100,000 slices for these bursts; "
        r"use a larger quantum$",
    ):
        schedule([("A", 0, 1)], "rr", 1e-9)
    # Exactly at the limit is allowed: 100,000 quanta of 1e-5 make a burst of 1.
    assert schedule([("A", 0, 1)], "rr", 1e-5).completion == {"A": 1}
    # MLFQ and CFS count slices as they go; a small limit keeps the test fast.
    monkeypatch.setattr(scheduling, "MAX_SLICES", 10)
    with pytest.raises(
        ValueError,
        match=r"^simulation needs more than 10 slices; use a larger quanta or boost period$",
    ):
        mlfq([("A", 0, 100), ("B", 0, 100)], (1,))
    with pytest.raises(
        ValueError,
        match=r"^simulation needs more than 10 slices; "
        r"use a larger sched_latency or min_granularity$",
    ):
        cfs([("A", 0, 100), ("B", 0, 100)], sched_latency=6, min_granularity=0.75)
    assert mlfq([("A", 0, 5)], (1,)).completion == {"A": 5}  # 5 slices, under 10
