"""Windowed aggregation with watermarks checked against a brute-force recomputation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.streaming_systems import (
    Hopping,
    Session,
    Tumbling,
    WindowedAggregator,
    WindowResult,
    brute_force_windows,
)

streams = st.lists(
    st.tuples(st.sampled_from("ab"), st.integers(0, 60), st.integers(-5, 5)), max_size=30
)
assigners = st.one_of(
    st.builds(Tumbling, st.integers(1, 12)),
    st.integers(1, 4).flatmap(lambda s: st.integers(1, 4).map(lambda k: Hopping(s * k, s))),
)


def _run(agg: WindowedAggregator, records) -> list[WindowResult]:
    emitted: list[WindowResult] = []
    for key, t, v in records:
        fired = agg.process(key, t, v)
        assert all(
            agg.watermark >= r.end for r in fired
        )  # never before the watermark passes the end
        emitted += fired
    return emitted + agg.close()


def _final(emitted: list[WindowResult]) -> dict[tuple[str, int, int], tuple[int, int]]:
    last = {(r.key, r.start, r.end): (r.count, r.total) for r in emitted}
    return {
        w: c
        for w, c in last.items()
        if not any(o != w and o[0] == w[0] and o[1] <= w[1] and w[2] <= o[2] for o in last)
    }


@settings(max_examples=100, deadline=None)
@given(assigner=assigners, records=streams, delay=st.integers(0, 10), lateness=st.integers(0, 10))
def test_fixed_windows_match_brute_force_over_what_each_window_still_accepted(
    assigner, records, delay, lateness
):
    agg = WindowedAggregator(assigner, max_delay=delay, allowed_lateness=lateness)
    emitted = _run(agg, records)
    # Independent recomputation: record i counts in window w iff the watermark before it,
    # max(earlier event times) - delay, had not passed w.end + lateness.
    expected: dict[tuple[str, int, int], tuple[int, int]] = {}
    late = []
    for i, (key, t, v) in enumerate(records):
        wm = max((x[1] for x in records[:i]), default=-math.inf) - delay
        kept = False
        for start, end in assigner.windows(t):
            if wm < end + lateness:
                c, s = expected.get((key, start, end), (0, 0))
                expected[(key, start, end)] = (c + 1, s + v)
                kept = True
        if not kept:
            late.append((key, t, v))
    assert _final(emitted) == expected
    assert agg.late == late
    if delay >= 60:  # nothing can be late: the brute force over everything
        assert expected == brute_force_windows(assigner, records)


@settings(max_examples=100, deadline=None)
@given(records=streams, gap=st.integers(1, 10), delay=st.integers(0, 10))
def test_sessions_with_unbounded_lateness_match_brute_force(records, gap, delay):
    agg = WindowedAggregator(Session(gap), max_delay=delay, allowed_lateness=10**6)
    emitted = _run(agg, records)
    assert agg.late == []
    assert _final(emitted) == brute_force_windows(Session(gap), records)


@settings(max_examples=100, deadline=None)
@given(
    records=streams, gap=st.integers(1, 10), delay=st.integers(0, 10), lateness=st.integers(0, 10)
)
def test_sessions_with_finite_lateness_lose_nothing_silently(records, gap, delay, lateness):
    agg = WindowedAggregator(Session(gap), max_delay=delay, allowed_lateness=lateness)
    final = _final(_run(agg, records))
    assert sum(c for c, _ in final.values()) + len(agg.late) == len(records)
    assert sum(s for _, s in final.values()) + sum(v for _, _, v in agg.late) == sum(
        v for _, _, v in records
    )


@settings(max_examples=50, deadline=None)
@given(times=st.lists(st.integers(0, 100), max_size=30), size=st.integers(1, 10))
def test_in_order_input_fires_each_window_exactly_once(times, size):
    records = [("k", t, 1) for t in sorted(times)]
    emitted = _run(WindowedAggregator(Tumbling(size)), records)
    assert [r.firing for r in emitted] == [0] * len(emitted)
    assert {(r.key, r.start, r.end): (r.count, r.total) for r in emitted} == brute_force_windows(
        Tumbling(size), records
    )


def test_late_update_then_drop_then_side_output():
    agg = WindowedAggregator(Tumbling(10), max_delay=0, allowed_lateness=5)
    assert agg.process("k", 2, 1) == []
    assert agg.process("k", 10, 1) == [WindowResult("k", 0, 10, 1, 1, 0)]
    assert agg.process("k", 3, 4) == [WindowResult("k", 0, 10, 2, 5, 1)]  # late, within 5
    assert agg.process("k", 15, 1) == []  # watermark 15 = end + lateness: [0, 10) purged
    assert agg.process("k", 4, 1) == []
    assert agg.late == [("k", 4, 1)]


def test_hopping_windows_of_a_record():
    assert Hopping(10, 5).windows(12) == [(5, 15), (10, 20)]
    assert Hopping(6, 2).windows(0) == [(-4, 2), (-2, 4), (0, 6)]
    assert Tumbling(10).windows(-1) == [(-10, 0)]


def test_a_late_record_can_bridge_two_sessions():
    agg = WindowedAggregator(Session(4), max_delay=0, allowed_lateness=100)
    agg.process("k", 0, 1)
    assert agg.process("k", 8, 1) == [WindowResult("k", 0, 4, 1, 1, 0)]
    assert agg.process("k", 4, 1) == []  # [4, 8) touches both: one session [0, 12), not yet due
    assert agg.close() == [WindowResult("k", 0, 12, 3, 3, 1)]  # an update of the fired [0, 4)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: Tumbling(0), ValueError),
        (lambda: Tumbling(True), TypeError),
        (lambda: Tumbling(1.5), TypeError),
        (lambda: Hopping(10, 3), ValueError),
        (lambda: Hopping(10, 20), ValueError),
        (lambda: Hopping(10, 0), ValueError),
        (lambda: Session(-1), ValueError),
        (lambda: Session(math.inf), TypeError),
        (lambda: WindowedAggregator("tumbling"), TypeError),
        (lambda: WindowedAggregator(Tumbling(1), max_delay=-1), ValueError),
        (lambda: WindowedAggregator(Tumbling(1), allowed_lateness=math.nan), TypeError),
        (lambda: WindowedAggregator(Tumbling(1)).process(1, 0, 0), TypeError),
        (lambda: WindowedAggregator(Tumbling(1)).process("k", 0.5, 0), TypeError),
        (lambda: WindowedAggregator(Tumbling(1)).process("k", 0, math.nan), TypeError),
        (lambda: WindowedAggregator(Tumbling(1)).process("k", False, 0), TypeError),
    ],
)
def test_bad_input(make, error):
    with pytest.raises(error, match="got"):
        make()
