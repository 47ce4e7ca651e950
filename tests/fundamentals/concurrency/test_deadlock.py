"""The wait-for-graph detector against networkx on random graphs, and the philosophers."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.concurrency import STRATEGIES, dine, find_deadlock, wait_for_graph

graphs = st.dictionaries(st.integers(0, 7), st.lists(st.integers(0, 7), max_size=3), max_size=8)


def rotations(cycle):
    return {tuple(cycle[i:] + cycle[:i]) for i in range(len(cycle))}


@settings(max_examples=60, deadline=None)
@given(graphs)
def test_agrees_with_networkx(wait_for):
    g = nx.DiGraph()
    g.add_nodes_from(wait_for)
    g.add_edges_from((a, b) for a, targets in wait_for.items() for b in targets)
    cycle = find_deadlock(wait_for)
    if cycle is None:
        assert nx.is_directed_acyclic_graph(g)
        with pytest.raises(nx.NetworkXNoCycle):
            nx.find_cycle(g)
        return
    # A real, simple cycle: distinct nodes, every consecutive wait is an edge.
    assert len(set(cycle)) == len(cycle)
    for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        assert g.has_edge(a, b)
    simple = {r for c in nx.simple_cycles(g) for r in rotations(c)}
    assert tuple(cycle) in simple


def test_long_chain_needs_no_recursion():
    n = 3_000
    chain = {i: [i + 1] for i in range(n)}
    assert find_deadlock(chain) is None
    chain[n] = [0]
    assert find_deadlock(chain) == list(range(n + 1))


def test_unhashable_and_wrong_types():
    with pytest.raises(TypeError, match=r"^wait_for must be a mapping, got list$"):
        find_deadlock([("a", "b")])
    with pytest.raises(TypeError, match=r"waits for must be an iterable of nodes, not a int: 3$"):
        find_deadlock({"a": 3})
    with pytest.raises(TypeError, match=r"^waiting must be a mapping, got NoneType$"):
        wait_for_graph({}, None)


def test_wait_for_graph_ignores_waits_on_free_resources():
    g = wait_for_graph({"r1": "T2"}, {"T1": "r1", "T3": "r9"})
    assert g == {"T1": ["T2"]}
    assert find_deadlock(g) is None


@pytest.mark.parametrize("strategy", ["ordered", "footman"])
@pytest.mark.parametrize("seats", [2, 3, 5, 8])
def test_safe_strategies_finish_every_meal_without_clashes(strategy, seats):
    for _ in range(3):  # repeated: a strategy that can deadlock would eventually show it
        d = dine(seats, meals=15, strategy=strategy, timeout=10)
        assert d.deadlock is None
        assert d.meals == (15,) * seats
        assert d.clashes == 0
        assert 1 <= d.max_eating <= seats // 2


@pytest.mark.parametrize("seats", [2, 3, 5, 8])
def test_naive_strategy_deadlocks_and_the_detector_names_the_whole_table(seats):
    d = dine(seats, meals=4, strategy="naive", timeout=10)
    assert d.deadlock == tuple(range(seats))
    assert d.meals == (0,) * seats


def test_a_huge_host_timeout_still_reports_the_deadlock():
    # A timeout past threading.TIMEOUT_MAX used to raise OverflowError in the
    # host and leave five deadlocked non-daemon threads keeping Python alive.
    d = dine(5, meals=1, strategy="naive", timeout=1e308)
    assert d.deadlock == (0, 1, 2, 3, 4)


def test_zero_meals_is_an_empty_dinner():
    for strategy in STRATEGIES:
        assert dine(3, 0, strategy).meals == (0, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"philosophers": 1}, ValueError, "philosophers must be at least 2, got 1"),
        ({"philosophers": True}, TypeError, "philosophers must be an int, got bool: True"),
        ({"meals": -1}, ValueError, "meals must be at least 0, got -1"),
        ({"strategy": "waiter"}, ValueError, "unknown strategy 'waiter'; expected one of"),
        ({"timeout": float("nan")}, ValueError, "timeout must be positive and finite, got nan"),
        ({"timeout": 0}, ValueError, "timeout must be positive and finite, got 0"),
    ],
)
def test_dine_bad_input(kwargs, error, message):
    with pytest.raises(error, match=f"^{message}"):
        dine(**kwargs)
