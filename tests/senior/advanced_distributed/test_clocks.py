"""Lamport and vector clocks against happened-before computed by networkx; HLC bounds."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.advanced_distributed import (
    HLCTimestamp,
    HybridLogicalClock,
    LamportClock,
    VectorClock,
    simulate_hlc,
)


def random_execution(seed: int, processes: int = 4, steps: int = 60) -> tuple[nx.DiGraph, dict]:
    """A random run of local, send and receive events, stamped by all three clocks.

    Returns the happened-before graph (program order plus message edges) and,
    per event, its (Lamport, vector, hybrid) stamps. The physical clocks behind
    the HLCs are deliberately bad: unsynchronised and sometimes stepping back,
    since the HLC's causality theorem must not depend on them.
    """
    rng = random.Random(seed)
    names = [f"p{i}" for i in range(processes)]
    lamport = {n: LamportClock() for n in names}
    vector = {n: VectorClock() for n in names}
    physical = {n: rng.randint(0, 50) for n in names}
    hybrid = {n: HybridLogicalClock(lambda n=n: physical[n]) for n in names}  # type: ignore[misc]
    last: dict[str, str | None] = dict.fromkeys(names)
    # (to, event, L, V, H, from)
    in_flight: list[tuple[str, str, int, VectorClock, HLCTimestamp, str]] = []
    graph = nx.DiGraph()
    stamps: dict[str, tuple[int, VectorClock, HLCTimestamp]] = {}
    for step in range(steps):
        me = rng.choice(names)
        event = f"{me}#{step}"
        physical[me] = max(0, physical[me] + rng.randint(-3, 5))
        mine = [m for m in in_flight if m[0] == me]
        kind = rng.random()
        if mine and kind < 0.4:
            message = rng.choice(mine)
            in_flight.remove(message)
            stamp_l = lamport[me].receive(message[2])
            vector[me] = vector[me].merge(message[3]).increment(me)
            stamp_h = hybrid[me].update(message[4])
            graph.add_edge(message[1], event)
        else:
            stamp_l = lamport[me].tick()
            vector[me] = vector[me].increment(me)
            stamp_h = hybrid[me].now()
            if kind < 0.7:
                to = rng.choice([n for n in names if n != me])
                in_flight.append((to, event, stamp_l, vector[me], stamp_h, me))
        graph.add_node(event)
        if last[me] is not None:
            graph.add_edge(last[me], event)
        last[me] = event
        stamps[event] = (stamp_l, vector[me], stamp_h)
    return graph, stamps


@pytest.mark.parametrize("seed", range(12))
def test_vector_clocks_characterise_happened_before_exactly(seed: int) -> None:
    graph, stamps = random_execution(seed)
    reach = {e: nx.descendants(graph, e) for e in graph}
    concurrent_pairs = 0
    for e in graph:
        for f in graph:
            if e == f:
                continue
            hb = f in reach[e]
            assert stamps[e][1].happened_before(stamps[f][1]) == hb, (e, f)
            both_unordered = not hb and e not in reach[f]
            assert stamps[e][1].concurrent(stamps[f][1]) == both_unordered, (e, f)
            concurrent_pairs += both_unordered
            if hb:  # Lamport, and HLC (Theorem 1): the clock condition, one way only
                assert stamps[e][0] < stamps[f][0]
                assert stamps[e][2] < stamps[f][2], (e, f)
    assert concurrent_pairs > 0  # the executions do exercise concurrency


def test_lamport_clocks_do_not_detect_concurrency() -> None:
    p, q = LamportClock(), LamportClock()
    a, b, c = p.tick(), q.tick(), q.tick()
    assert a < c  # yet a and c are concurrent: L(a) < L(c) does not imply a -> c
    assert (a, b, c) == (1, 1, 2)


def test_vector_clock_compare_cases_and_normal_form() -> None:
    x = VectorClock({"a": 1, "b": 0})
    assert x == VectorClock({"a": 1})
    assert hash(x) == hash(VectorClock({"a": 1}))
    assert x.compare(x) == "equal"
    y = x.increment("b")
    assert (x.compare(y), y.compare(x)) == ("before", "after")
    z = x.increment("c")
    assert y.concurrent(z)
    assert z.concurrent(y)
    assert y.merge(z) == VectorClock({"a": 1, "b": 1, "c": 1})
    assert y["zz"] == 0
    assert y.as_dict() == {"a": 1, "b": 1}


@pytest.mark.parametrize(
    ("nodes", "epsilon", "seed"),
    [(2, 0, 1), (3, 1, 2), (4, 5, 3), (5, 20, 4), (8, 3, 5), (3, 100, 6)],
)
def test_hlc_bounds_hold_under_bounded_skew(nodes: int, epsilon: int, seed: int) -> None:
    run = simulate_hlc(nodes=nodes, epsilon=epsilon, steps=800, seed=seed)
    assert run.events > nodes * 400
    assert run.messages > 0
    assert run.min_drift >= 0  # l never behind physical time
    assert run.max_drift <= epsilon  # Kulkarni et al.: l - pt <= epsilon
    assert run.max_c <= nodes * (epsilon + 1)  # c is bounded: Corollary 3
    # Corollary 4: if every message takes at least d ticks, c <= epsilon / d + 1;
    # simulate_hlc delivers after at least d = 1 tick
    assert run.max_c <= epsilon + 1
    assert run.causality_violations == 0
    if epsilon >= 2:
        assert run.max_drift >= 1  # skew really pulled some l ahead of its pt


def test_hlc_rules_step_by_step() -> None:
    pt = [10]
    hlc = HybridLogicalClock(lambda: pt[0])
    assert hlc.now() == HLCTimestamp(10, 0)
    assert hlc.now() == HLCTimestamp(10, 1)  # physical clock did not move
    assert hlc.update(HLCTimestamp(10, 7)) == HLCTimestamp(10, 8)  # same l: max(c) + 1
    assert hlc.update(HLCTimestamp(15, 2)) == HLCTimestamp(15, 3)  # remote ahead: its c + 1
    assert hlc.update(HLCTimestamp(3, 9)) == HLCTimestamp(15, 4)  # local ahead: own c + 1
    pt[0] = 20
    assert hlc.update(HLCTimestamp(12, 5)) == HLCTimestamp(20, 0)  # physical time wins
    pt[0] = 5  # the physical clock steps back: l does not
    assert hlc.now() == HLCTimestamp(20, 1)


@given(
    st.tuples(st.integers(0, 2**48 - 1), st.integers(0, 2**16 - 1)),
    st.tuples(st.integers(0, 2**48 - 1), st.integers(0, 2**16 - 1)),
)
@settings(max_examples=200, deadline=None)
def test_packed_order_equals_timestamp_order(a: tuple[int, int], b: tuple[int, int]) -> None:
    x, y = HLCTimestamp(*a), HLCTimestamp(*b)
    assert (x.pack() < y.pack()) == (x < y)
    assert (x.pack() >> 16, x.pack() & 0xFFFF) == a


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: LamportClock().receive(True), TypeError, "got bool: True"),
        (lambda: LamportClock().receive(1.5), TypeError, "got float: 1.5"),
        (lambda: VectorClock({"": 1}), ValueError, "got ''"),
        (lambda: VectorClock({"a": float("nan")}), TypeError, "got float: nan"),
        (lambda: VectorClock([("a", 1)]), TypeError, "got list"),  # type: ignore[arg-type]
        (lambda: VectorClock().merge({"a": 1}), TypeError, "got dict"),  # type: ignore[arg-type]
        (lambda: VectorClock().compare(None), TypeError, "got NoneType"),  # type: ignore[arg-type]
        (lambda: VectorClock().increment(3), TypeError, "got int: 3"),  # type: ignore[arg-type]
        (lambda: HybridLogicalClock(5), TypeError, "clock"),  # type: ignore[arg-type]
        (lambda: HybridLogicalClock(lambda: -1).now(), ValueError, "got -1"),
        (lambda: HybridLogicalClock(lambda: float("inf")).now(), TypeError, "got float: inf"),
        (lambda: HybridLogicalClock(lambda: 0).update(HLCTimestamp(-1, 0)), ValueError, "got -1"),
        (lambda: HLCTimestamp(2**48, 0).pack(), ValueError, "got 281474976710656"),
        (lambda: simulate_hlc(nodes=1, epsilon=1, steps=1, seed=0), ValueError, "got 1"),
        (lambda: simulate_hlc(nodes=2, epsilon=-1, steps=1, seed=0), ValueError, "got -1"),
        (lambda: simulate_hlc(nodes=2, epsilon=1, steps=True, seed=0), TypeError, "bool"),
    ],
)
def test_bad_input(call: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        call()  # type: ignore[operator]
