"""The replicated partition: ISR, high watermark, acks, and what each election loses."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.streaming_systems import (
    NotEnoughReplicasError,
    PartitionOfflineError,
    ProduceResult,
    ReplicatedPartition,
    durability_table,
)


def test_durability_table_counts_every_scenario():
    rows = [
        (
            r.scenario,
            r.acks,
            r.min_insync_replicas,
            r.unclean,
            r.acknowledged,
            r.refused,
            r.timed_out,
            r.lost,
            r.online,
        )
        for r in durability_table()
    ]
    assert rows == [
        ("followers lag", "all", 1, False, 6, 0, 0, 0, False),
        ("followers lag", "all", 1, True, 6, 0, 0, 3, True),
        ("followers lag", "all", 2, True, 3, 2, 1, 0, True),
        ("leader dies first", 1, 1, False, 6, 0, 0, 3, True),
        ("leader dies first", "all", 1, False, 3, 0, 3, 0, True),
    ]


def test_acks_all_waits_for_the_isr_and_acks_1_does_not():
    p = ReplicatedPartition(3)
    assert p.produce("x", acks="all") == ProduceResult(0, False)
    assert p.produce("y", acks=1) == ProduceResult(1, True)
    assert p.acknowledged == ["y"]
    assert p.high_watermark == 0
    assert p.committed() == []
    p.replicate()
    assert p.high_watermark == 2
    assert p.committed() == ["x", "y"]
    assert p.acknowledged == ["y", "x"]
    p._check_invariants()


def test_lagging_follower_leaves_the_isr_then_rejoins_after_catching_up():
    p = ReplicatedPartition(3, replica_lag_max=2)
    p.stall(2)
    p.produce("a")
    p.replicate()
    assert p.isr == {0, 1, 2}
    assert p.high_watermark == 0
    p.advance(2)
    assert p.isr == {0, 1, 2}
    p.advance(1)
    assert p.isr == {0, 1}
    assert p.high_watermark == 1
    assert p.acknowledged == ["a"]
    p.resume(2)
    p.replicate()
    assert p.isr == {0, 1, 2}
    assert p.logs[2] == p.logs[0]
    p._check_invariants()


def test_clean_election_waits_offline_then_the_last_isr_member_returns_with_everything():
    p = ReplicatedPartition(3)
    p.stall(1)
    p.stall(2)
    p.produce("a")
    p.advance(p.replica_lag_max + 1)
    assert p.isr == {0}
    assert p.acknowledged == ["a"]
    p.crash(0)
    assert p.leader is None
    assert p.lost == []
    with pytest.raises(PartitionOfflineError):
        p.produce("b")
    with pytest.raises(PartitionOfflineError):
        p.committed()
    p.restart(1)  # out of sync: may not lead
    assert p.leader is None
    p.restart(0)
    assert p.leader == 0
    assert p.committed() == ["a"]
    assert p.lost == []
    p.resume(1)
    p.resume(2)
    p.replicate()
    assert p.isr == {0, 1, 2}
    p._check_invariants()


def test_unclean_election_loses_acknowledged_records_and_truncates_the_old_leader():
    p = ReplicatedPartition(3, unclean_leader_election=True)
    p.stall(1)
    p.stall(2)
    p.produce("a")
    p.advance(p.replica_lag_max + 1)
    p.crash(0)
    assert p.leader == 1
    assert p.unclean_elections == 1
    assert p.lost == ["a"]
    p.produce("b", acks=1)
    p.restart(0)
    p.resume(2)
    p.replicate()
    assert [r.value for r in p.logs[0]] == ["b"]  # the divergent "a" was truncated away
    p._check_invariants()


def test_min_insync_replicas_refuses_acks_all_but_not_acks_1():
    p = ReplicatedPartition(3, min_insync_replicas=2)
    p.crash(1)
    p.crash(2)
    with pytest.raises(
        NotEnoughReplicasError, match=r"ISR \[0\] is smaller than min_insync_replicas=2"
    ):
        p.produce("x", acks="all")
    assert p.produce("y", acks=1) == ProduceResult(0, True)


def test_isr_shrinking_after_the_append_is_an_error_not_an_ack_before_kafka_3_7():
    p = ReplicatedPartition(3, min_insync_replicas=2, strict_min_isr=False)
    p.stall(1)
    p.stall(2)
    p.produce("x")  # ISR still 3 at append time
    p.advance(p.replica_lag_max + 1)
    assert p.isr == {0}
    assert p.high_watermark == 1
    assert p.acknowledged == []
    assert p.failed_after_append == 1


def test_strict_min_isr_holds_the_high_watermark_until_the_isr_recovers():
    p = ReplicatedPartition(3, min_insync_replicas=2)
    p.stall(1)
    p.stall(2)
    p.produce("x")  # ISR still 3 at append time
    p.advance(p.replica_lag_max + 1)
    assert p.isr == {0}
    assert p.high_watermark == 0  # under min ISR: not committed, not acknowledged
    assert p.acknowledged == []
    assert p.failed_after_append == 0
    assert p.produce("y", acks=1) == ProduceResult(1, True)  # the leader acks acks=1 ...
    assert p.committed() == []  # ... but consumers cannot see it yet
    p.resume(1)
    p.replicate()
    assert p.isr == {0, 1}
    assert p.high_watermark == 2
    assert p.acknowledged == ["y", "x"]
    assert p.committed() == ["x", "y"]
    p._check_invariants()


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("produce"), st.sampled_from([1, "all"])),
        st.tuples(st.just("replicate"), st.just(0)),
        st.tuples(st.just("advance"), st.integers(1, 3)),
        st.tuples(st.sampled_from(["crash", "restart", "stall", "resume"]), st.integers(0, 2)),
    ),
    max_size=40,
)


def _run(ops, *, unclean: bool, min_isr: int, strict: bool = True) -> ReplicatedPartition:
    p = ReplicatedPartition(
        3,
        min_insync_replicas=min_isr,
        unclean_leader_election=unclean,
        replica_lag_max=2,
        strict_min_isr=strict,
    )
    for i, (op, arg) in enumerate(ops):
        if op == "produce":
            with contextlib.suppress(PartitionOfflineError, NotEnoughReplicasError):
                p.produce(f"v{i}", acks=arg)
        elif op in ("replicate",):
            p.replicate()
        else:
            getattr(p, op)(arg)
        p._check_invariants()
    return p


@settings(max_examples=100, deadline=None)
@given(ops=OPS, min_isr=st.integers(1, 3), strict=st.booleans())
def test_clean_election_never_loses_an_acks_all_record(ops, min_isr, strict):
    ops = [(op, "all") if op == "produce" else (op, a) for op, a in ops]
    p = _run(ops, unclean=False, min_isr=min_isr, strict=strict)
    if strict:
        assert p.failed_after_append == 0
    assert p.lost == []
    assert p.unclean_elections == 0


@settings(max_examples=100, deadline=None)
@given(ops=OPS)
def test_clean_election_loses_only_acks_1_records(ops):
    p = _run(ops, unclean=False, min_isr=1)
    acks_of = {f"v{i}": a for i, (op, a) in enumerate(ops) if op == "produce"}
    assert all(acks_of[v] == 1 for v in p.lost)


@settings(max_examples=100, deadline=None)
@given(ops=OPS)
def test_loss_with_acks_all_needs_an_unclean_election(ops):
    ops = [(op, "all") if op == "produce" else (op, a) for op, a in ops]
    p = _run(ops, unclean=True, min_isr=1)
    if p.lost:
        assert p.unclean_elections > 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"replicas": 0}, ValueError),
        ({"replicas": True}, TypeError),
        ({"replicas": 2.0}, TypeError),
        ({"replicas": 10**9}, ValueError),
        ({"min_insync_replicas": 0}, ValueError),
        ({"min_insync_replicas": math.nan}, TypeError),
        ({"unclean_leader_election": 1}, TypeError),
        ({"strict_min_isr": None}, TypeError),
        ({"replica_lag_max": -1}, ValueError),
    ],
)
def test_bad_construction(kwargs, error):
    with pytest.raises(error, match="got"):
        ReplicatedPartition(**kwargs)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda p: p.produce(3), TypeError),
        (lambda p: p.produce("x", acks=0), ValueError),
        (lambda p: p.produce("x", acks=True), ValueError),
        (lambda p: p.produce("x", acks="ALL"), ValueError),
        (lambda p: p.crash(3), ValueError),
        (lambda p: p.crash(-1), ValueError),
        (lambda p: p.stall(True), TypeError),
        (lambda p: p.restart(1.0), TypeError),
        (lambda p: p.advance(-1), ValueError),
        (lambda p: p.advance(math.inf), TypeError),
    ],
)
def test_bad_calls(call, error):
    with pytest.raises(error, match="got"):
        call(ReplicatedPartition(3))
