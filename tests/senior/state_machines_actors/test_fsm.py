"""The table-driven FSM: legal paths accepted, illegal events rejected without a state change."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.state_machines_actors import (
    ORDER_LIFECYCLE,
    IllegalTransition,
    StateMachine,
    transitions,
)

EVENTS = [*sorted({event for _, event, _ in transitions(ORDER_LIFECYCLE)}), "teleport"]


def _graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(ORDER_LIFECYCLE)
    for state, event, target in transitions(ORDER_LIFECYCLE):
        graph.add_edge(state, target, key=event)
    return graph


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(EVENTS), max_size=12))
def test_random_event_sequences_follow_the_graph(events: list[str]) -> None:
    graph = _graph()
    machine = StateMachine(ORDER_LIFECYCLE, "created")
    state = "created"
    for event in events:
        legal = [t for _, t, k in graph.out_edges(state, keys=True) if k == event]
        if legal:
            assert machine.fire(event) == legal[0]
            state = legal[0]
        else:
            with pytest.raises(IllegalTransition, match=repr(event)):
                machine.fire(event)
            assert machine.state == state  # nothing half-applied
        machine._check_invariants()
    assert machine.is_final == (graph.out_degree(state) == 0)


def test_every_state_is_reachable_and_final_states_are_the_sinks() -> None:
    graph = _graph()
    assert nx.descendants(graph, "created") | {"created"} == set(ORDER_LIFECYCLE)
    sinks = {s for s in graph if graph.out_degree(s) == 0}
    assert sinks == {"delivered", "cancelled", "refunded"}


def test_history_records_each_transition() -> None:
    m = StateMachine(ORDER_LIFECYCLE, "created")
    for event in ("pay", "ship", "return", "refund"):
        m.fire(event)
    assert m.history == [
        ("created", "pay", "paid"),
        ("paid", "ship", "shipped"),
        ("shipped", "return", "returned"),
        ("returned", "refund", "refunded"),
    ]
    assert m.is_final
    assert m.allowed() == []
    assert not m.can("pay")


def test_unreachable_state_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unreachable from 'a': \['z'\]"):
        StateMachine({"a": {}, "z": {}}, "a")


@pytest.mark.parametrize(
    ("table", "initial", "error", "match"),
    [
        ([("a", "b")], "a", TypeError, "table must be a mapping"),
        ({}, "a", ValueError, "at least one state"),
        ({"a": ["go"]}, "a", TypeError, "transitions of 'a' must be a mapping"),
        ({"a": {"go": 3}}, "a", TypeError, "target state must be a str, got int: 3"),
        ({"a": {"": "a"}}, "a", ValueError, "event must be a non-empty str"),
        ({"a": {}}, "b", ValueError, "initial state must be one of \\['a'\\], got 'b'"),
        ({"a": {}}, None, TypeError, "initial must be a str, got NoneType"),
        ({1: {}}, 1, TypeError, "state must be a str, got int: 1"),
    ],
)
def test_bad_tables_are_refused(table: object, initial: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        StateMachine(table, initial)  # type: ignore[arg-type]


@pytest.mark.parametrize("event", [None, 1, True, b"pay"])
def test_fire_and_can_refuse_non_str_events(event: object) -> None:
    m = StateMachine(ORDER_LIFECYCLE, "created")
    with pytest.raises(TypeError, match="event must be a str"):
        m.fire(event)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="event must be a str"):
        m.can(event)  # type: ignore[arg-type]
    assert m.state == "created"
