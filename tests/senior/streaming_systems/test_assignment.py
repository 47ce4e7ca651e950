"""Range, round-robin and cooperative sticky assignment, and rebalance costs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.streaming_systems import (
    STRATEGIES,
    RebalanceCost,
    cooperative_sticky_assign,
    range_assign,
    rebalance_cost,
    round_robin_assign,
)

ASSIGNORS = [range_assign, round_robin_assign, cooperative_sticky_assign]


def test_kafka_javadoc_examples():
    # The two-consumer, two-topic, three-partition examples of Kafka's RangeAssignor
    # and RoundRobinAssignor javadoc.
    topics = {"t0": 3, "t1": 3}
    assert range_assign(["C0", "C1"], topics) == {
        "C0": [("t0", 0), ("t0", 1), ("t1", 0), ("t1", 1)],
        "C1": [("t0", 2), ("t1", 2)],
    }
    assert round_robin_assign(["C0", "C1"], topics) == {
        "C0": [("t0", 0), ("t0", 2), ("t1", 1)],
        "C1": [("t0", 1), ("t1", 0), ("t1", 2)],
    }


def test_more_members_than_partitions_leaves_some_idle():
    for assign in ASSIGNORS:
        result = assign(["a", "b", "c"], {"t": 2})
        assert sorted(len(v) for v in result.values()) == [0, 1, 1]


members_st = st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=5, unique=True)
topics_st = st.dictionaries(
    st.sampled_from(["x", "y", "z"]), st.integers(1, 7), min_size=1, max_size=3
)


@settings(max_examples=100, deadline=None)
@given(members=members_st, topics=topics_st)
def test_every_partition_has_exactly_one_owner(members, topics):
    everything = sorted((t, p) for t, n in topics.items() for p in range(n))
    for assign in ASSIGNORS:
        result = assign(members, topics)
        assert sorted(result) == sorted(members)
        assert sorted(tp for tps in result.values() for tp in tps) == everything


@settings(max_examples=100, deadline=None)
@given(members=members_st, topics=topics_st)
def test_round_robin_and_sticky_balance_within_one_range_per_topic_only(members, topics):
    for assign in (round_robin_assign, cooperative_sticky_assign):
        sizes = [len(v) for v in assign(members, topics).values()]
        assert max(sizes) - min(sizes) <= 1
    for topic in topics:
        sizes = [len(v) for v in range_assign(members, {topic: topics[topic]}).values()]
        assert max(sizes) - min(sizes) <= 1


def _min_moves_brute_force(members, partitions, owner):
    """Fewest owner changes over every balanced assignment: tries them all."""
    q, extra = divmod(len(partitions), len(members))
    best = len(partitions)
    for choice in itertools.product(members, repeat=len(partitions)):
        sizes = sorted((choice.count(m) for m in members), reverse=True)
        if sizes != [q + 1] * extra + [q] * (len(members) - extra):
            continue
        best = min(best, sum(owner.get(tp) != m for tp, m in zip(partitions, choice, strict=True)))
    return best


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.sampled_from("abcd"), min_size=1, max_size=3, unique=True),
    after=st.lists(st.sampled_from("abcd"), min_size=1, max_size=3, unique=True),
    n=st.integers(1, 6),
    seed=st.randoms(use_true_random=False),
)
def test_sticky_moves_no_more_than_balance_forces(before, after, n, seed):
    partitions = [("t", p) for p in range(n)]
    # any previous assignment, balanced or not, even with some partitions unowned
    previous = {m: [] for m in before}
    for tp in partitions:
        m = seed.choice([*before, None])
        if m is not None:
            previous[m].append(tp)
    result = cooperative_sticky_assign(after, {"t": n}, previous)
    owner = {tp: m for m, tps in previous.items() for tp in tps}
    moved = sum(owner.get(tp) != m for m, tps in result.items() for tp in tps)
    assert moved == _min_moves_brute_force(sorted(after), partitions, owner)


def test_rebalance_costs_on_a_join():
    before, after = ["a", "b", "c"], ["a", "b", "c", "d"]
    assert rebalance_cost("range", before, after, {"t": 12}) == RebalanceCost(moved=6, paused=12)
    assert rebalance_cost("round-robin", before, after, {"t": 12}) == RebalanceCost(
        moved=9, paused=12
    )
    assert rebalance_cost("cooperative-sticky", before, after, {"t": 12}) == RebalanceCost(
        moved=3, paused=3
    )


@settings(max_examples=100, deadline=None)
@given(before=members_st, after=members_st, topics=topics_st)
def test_cooperative_never_moves_more_than_eager(before, after, topics):
    costs = {s: rebalance_cost(s, before, after, topics) for s in STRATEGIES}
    assert costs["cooperative-sticky"].moved <= costs["round-robin"].moved
    assert costs["cooperative-sticky"].paused == costs["cooperative-sticky"].moved
    assert costs["range"].paused == costs["round-robin"].paused == sum(topics.values())


@pytest.mark.parametrize(
    ("members", "topics", "error"),
    [
        ([], {"t": 1}, ValueError),
        (["a", "a"], {"t": 1}, ValueError),
        ("ab", {"t": 1}, TypeError),
        ([1], {"t": 1}, TypeError),
        ([""], {"t": 1}, ValueError),
        (["a"], {"t": 0}, ValueError),
        (["a"], {"t": True}, TypeError),
        (["a"], {"t": 1.5}, TypeError),
        (["a"], {"t": 10**12}, ValueError),
        (["a"], [("t", 1)], TypeError),
        (["a"], {"": 1}, ValueError),
    ],
)
def test_bad_input(members, topics, error):
    for assign in ASSIGNORS:
        with pytest.raises(error, match="got"):
            assign(members, topics)


def test_unknown_strategy():
    with pytest.raises(ValueError, match="got 'sticky'"):
        rebalance_cost("sticky", ["a"], ["a"], {"t": 1})  # type: ignore[arg-type]


def test_sticky_rejects_a_previous_that_is_not_a_mapping():
    with pytest.raises(TypeError, match=r"got \[\('t', 0\)\]"):
        cooperative_sticky_assign(["a"], {"t": 1}, [("t", 0)])  # type: ignore[arg-type]
