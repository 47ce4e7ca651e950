"""Replication lag: the anomalies appear with naive routing and vanish under each fix."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.replication_partitioning import (
    POLICIES,
    ReplicatedStore,
    Session,
    count_anomalies,
)


def test_read_your_writes_violated_then_fixed_by_reading_own_keys_from_the_leader():
    for policy, expected in (("any", None), ("leader-own", "new"), ("write-lsn", "new")):
        store = ReplicatedStore([5.0])
        me = Session(store, "me", policy=policy)
        me.write("bio", "new", at=0.0)
        assert me.read("bio", at=1.0) == expected
        assert me.violations() == ((1, 0) if expected is None else (0, 0))


def test_monotonic_reads_violated_then_fixed_by_sticky_routing():
    store = ReplicatedStore([0.5, 5.0])
    Session(store, "writer", policy="any").write("score", "3-1", at=0.0)
    naive = Session(store, "reader", policy="any")  # f1 (fresh), then f2 (stale)
    assert [naive.read("score", at=t) for t in (1.0, 2.0)] == ["3-1", None]
    assert naive.violations() == (0, 1)
    sticky = Session(store, "reader", policy="sticky")
    assert [sticky.read("score", at=t) for t in (1.0, 2.0, 3.0, 6.0)] in (
        [None, None, None, "3-1"],
        ["3-1"] * 4,
    )
    assert sticky.violations() == (0, 0)


def test_the_write_lsn_fix_uses_a_follower_once_it_has_caught_up():
    store = ReplicatedStore([1.0])
    me = Session(store, "me", policy="write-lsn")
    me.write("k", "v", at=0.0)
    assert store.applied("f1", 0.5) == 0
    assert store.applied("leader", 0.5) == 1
    assert me.read("k", at=0.5) == "v"  # from the leader
    assert me.read("k", at=1.5) == "v"  # f1 has LSN 1 now
    assert me.violations() == (0, 0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_each_fix_removes_its_anomaly_on_random_workloads(seed):
    assert count_anomalies("leader-own", seed=seed, operations=120).read_your_writes == 0
    assert count_anomalies("write-lsn", seed=seed, operations=120).read_your_writes == 0
    assert count_anomalies("sticky", seed=seed, operations=120).monotonic_reads == 0


def test_naive_routing_shows_both_anomalies():
    counts = count_anomalies("any", seed=1)
    assert counts.read_your_writes > 0
    assert counts.monotonic_reads > 0
    # ...and each fix leaves the other anomaly possible: they are different guarantees.
    assert count_anomalies("sticky", seed=1).read_your_writes > 0
    assert count_anomalies("write-lsn", seed=1).monotonic_reads > 0


def test_a_follower_with_zero_lag_behaves_like_the_leader():
    store = ReplicatedStore([0.0])
    store.write("k", "v", at=2.0)
    assert store.read("k", "f1", at=2.0) == store.read("k", "leader", at=2.0) == ("v", 1)


def _read_after_a_later_op() -> None:
    # A session clock that steps back must not be counted as a monotonic-reads violation.
    me = Session(ReplicatedStore([0.0]), "u", policy="sticky")
    me.read("k", at=2.0)
    me.read("k", at=0.5)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: ReplicatedStore([]), ValueError, "need at least one follower lag"),
        (
            lambda: ReplicatedStore(x for x in [1.0]),
            TypeError,
            "lags must be a list or tuple of numbers",
        ),
        (lambda: Session(None, "u", policy="any"), TypeError, "store must be a ReplicatedStore"),
        (
            lambda: Session(ReplicatedStore([1.0]), 5, policy="sticky"),
            TypeError,
            "user must be a str, got int: 5",
        ),
        (lambda: ReplicatedStore([math.nan]), ValueError, "lags must be finite and >= 0, got nan"),
        (lambda: ReplicatedStore([math.inf]), ValueError, "lags must be finite"),
        (lambda: ReplicatedStore([True]), TypeError, "a lag must be a number, got bool"),
        (lambda: ReplicatedStore([1.0]).write("k", 3, at=0), TypeError, "value must be a str"),
        (
            lambda: ReplicatedStore([1.0]).write("k", "v", at=math.nan),
            ValueError,
            "at must be finite",
        ),
        (lambda: ReplicatedStore([1.0]).applied("f9", 0), KeyError, "no replica 'f9'"),
        (
            lambda: ReplicatedStore([1.0]).read("k", "f1", at="now"),
            TypeError,
            "at must be a number",
        ),
        (
            lambda: Session(ReplicatedStore([1.0]), "u", policy="x"),
            ValueError,
            "policy must be one of",
        ),
        (lambda: count_anomalies("any", seed=-1), ValueError, "seed must be >= 0, got -1"),
        (lambda: count_anomalies("any", seed=1.5), TypeError, "seed must be an int"),
        (
            lambda: count_anomalies("any", seed=0, operations=0),
            ValueError,
            "operations must be >= 1",
        ),
        (lambda: count_anomalies("nope", seed=0), ValueError, "policy must be one of"),
        (lambda: ReplicatedStore([1.0]).read(5, "f1", at=0), TypeError, "key must be a str"),
        (_read_after_a_later_op, ValueError, "must come in time order"),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_policies_are_the_documented_four():
    assert POLICIES == ("any", "leader-own", "write-lsn", "sticky")
