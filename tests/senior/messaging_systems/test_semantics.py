"""Delivery semantics under injected consumer crashes: exact counts, fixed and random schedules."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.messaging_systems import CRASH_POINTS, MODES, run_semantics


@pytest.mark.parametrize("mode", MODES)
def test_no_crash_applies_each_message_once(mode):
    r = run_semantics(mode, 5, {})
    assert (r.deliveries, r.applied, r.lost, r.duplicated, r.deduplicated) == (5, 5, 0, 0, 0)
    assert r.correct
    assert r.applications == {f"m{i}": 1 for i in range(5)}


# (mode, crash point at delivery 1)
#   -> (deliveries, applied, lost, duplicated, deduplicated, correct)
EXPECTED = {
    ("at-most-once", "before"): (5, 4, 0, 0, 0, True),
    ("at-most-once", "between"): (4, 3, 1, 0, 0, False),
    ("at-most-once", "after"): (4, 4, 0, 0, 0, True),
    ("at-least-once", "before"): (5, 4, 0, 0, 0, True),
    ("at-least-once", "between"): (5, 5, 0, 1, 0, False),
    ("at-least-once", "after"): (4, 4, 0, 0, 0, True),
    ("effectively-once", "before"): (5, 4, 0, 0, 0, True),
    ("effectively-once", "between"): (5, 4, 0, 0, 1, True),
    ("effectively-once", "after"): (4, 4, 0, 0, 0, True),
    ("idempotent-upsert", "before"): (5, 4, 0, 0, 0, True),
    ("idempotent-upsert", "between"): (5, 5, 0, 1, 0, True),
    ("idempotent-upsert", "after"): (4, 4, 0, 0, 0, True),
}


@pytest.mark.parametrize(("mode", "point"), sorted(EXPECTED))
def test_one_deterministic_crash(mode, point):
    r = run_semantics(mode, 4, {1: point})
    got = (r.deliveries, r.applied, r.lost, r.duplicated, r.deduplicated, r.correct)
    assert got == EXPECTED[mode, point]
    assert r.crashes == 1


def test_at_most_once_loses_exactly_the_message_in_hand():
    r = run_semantics("at-most-once", 4, {1: "between"})
    assert r.applications == {"m0": 1, "m1": 0, "m2": 1, "m3": 1}


def test_repeated_crashes_on_one_message():
    # m0 crashes "between" at delivery 0 and again when it comes back at delivery 3
    r = run_semantics("at-least-once", 3, {0: "between", 3: "between"})
    assert r.applications["m0"] == 3
    assert r.duplicated == 2
    assert r.deliveries == 5


schedules = st.dictionaries(st.integers(0, 40), st.sampled_from(CRASH_POINTS), max_size=12)


@settings(max_examples=60, deadline=None)
@given(mode=st.sampled_from(MODES), n=st.integers(0, 12), crashes=schedules)
def test_random_crash_schedule_counts_exactly(mode, n, crashes):
    r = run_semantics(mode, n, crashes)
    hit = [p for d, p in crashes.items() if d < r.deliveries]
    between, before = hit.count("between"), hit.count("before")
    assert r.crashes == len(hit)
    assert r.applied == sum(r.applications.values())
    if mode == "at-most-once":
        assert (r.lost, r.duplicated, r.deduplicated) == (between, 0, 0)
        assert r.deliveries == n + before
        assert r.correct == (between == 0)
    elif mode == "effectively-once":
        assert (r.lost, r.duplicated, r.applied, r.deduplicated) == (0, 0, n, between)
        assert r.deliveries == n + before + between
        assert r.correct
    else:
        assert (r.lost, r.duplicated, r.deduplicated) == (0, between, 0)
        assert r.deliveries == n + before + between
        assert r.correct == (mode == "idempotent-upsert" or between == 0)
    assert all(count >= (0 if mode == "at-most-once" else 1) for count in r.applications.values())


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (("exactly-once", 3, {}), {}, ValueError, "exactly-once"),
        (("at-least-once", -1, {}), {}, ValueError, "-1"),
        (("at-least-once", True, {}), {}, TypeError, "True"),
        (("at-least-once", 2.0, {}), {}, TypeError, "2.0"),
        (("at-least-once", 3, [0]), {}, TypeError, r"\[0\]"),
        (("at-least-once", 3, {0: "midway"}), {}, ValueError, "midway"),
        (("at-least-once", 3, {-1: "before"}), {}, ValueError, "-1"),
        (("at-least-once", 3, {"0": "before"}), {}, TypeError, "'0'"),
        (("at-least-once", 3, {}), {"visibility_timeout": 0}, ValueError, "0"),
        (("at-least-once", 3, {}), {"visibility_timeout": math.nan}, ValueError, "nan"),
        (("at-least-once", 3, {}), {"visibility_timeout": math.inf}, ValueError, "inf"),
    ],
)
def test_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        run_semantics(*args, **kwargs)
