"""The RFC 9293 state machine: every transition taken, every other event refused."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.design.tcp_protocol import (
    FIGURE_5,
    TRANSITIONS,
    Event,
    InvalidTransition,
    State,
    TcpConnection,
    Transition,
    state_diagram,
)

PAGE = Path(__file__).resolve().parents[3] / "docs" / "design" / "tcp-protocol.md"

# RFC 9293 Figure 5, typed from the figure as (from, event, to): the oracle.
FIGURE_5_ARROWS = {
    ("CLOSED", "passive OPEN", "LISTEN"),
    ("CLOSED", "active OPEN", "SYN-SENT"),
    ("LISTEN", "CLOSE", "CLOSED"),
    ("LISTEN", "rcv SYN", "SYN-RECEIVED"),
    ("LISTEN", "SEND", "SYN-SENT"),
    ("SYN-SENT", "CLOSE", "CLOSED"),
    ("SYN-SENT", "rcv SYN", "SYN-RECEIVED"),
    ("SYN-SENT", "rcv SYN,ACK", "ESTABLISHED"),
    ("SYN-RECEIVED", "rcv ACK of SYN", "ESTABLISHED"),
    ("SYN-RECEIVED", "CLOSE", "FIN-WAIT-1"),
    ("SYN-RECEIVED", "rcv RST", "LISTEN"),
    ("ESTABLISHED", "CLOSE", "FIN-WAIT-1"),
    ("ESTABLISHED", "rcv FIN", "CLOSE-WAIT"),
    ("FIN-WAIT-1", "rcv ACK of FIN", "FIN-WAIT-2"),
    ("FIN-WAIT-1", "rcv FIN", "CLOSING"),
    ("FIN-WAIT-1", "rcv FIN + ACK of FIN", "TIME-WAIT"),
    ("CLOSE-WAIT", "CLOSE", "LAST-ACK"),
    ("FIN-WAIT-2", "rcv FIN", "TIME-WAIT"),
    ("CLOSING", "rcv ACK of FIN", "TIME-WAIT"),
    ("LAST-ACK", "rcv ACK of FIN", "CLOSED"),
    ("TIME-WAIT", "Timeout=2MSL", "CLOSED"),
}
# Section 3.10.7: a RST closes every state that can receive one (LISTEN ignores it).
RST_CLOSES = {
    "SYN-SENT",
    "ESTABLISHED",
    "FIN-WAIT-1",
    "FIN-WAIT-2",
    "CLOSE-WAIT",
    "CLOSING",
    "LAST-ACK",
    "TIME-WAIT",
}
# Sections 3.10.5 (ABORT) and 3.10.8 (USER TIMEOUT): every state but CLOSED
# (which has no connection to abort) goes to CLOSED.
OPEN_STATES = {s.label for s in State} - {"CLOSED"}
ORACLE = (
    FIGURE_5_ARROWS
    | {(s, "rcv RST", "CLOSED") for s in RST_CLOSES}
    | {(s, "ABORT", "CLOSED") for s in OPEN_STATES}
    | {(s, "USER TIMEOUT", "CLOSED") for s in OPEN_STATES}
)
# Section 3.10.5: ABORT sends a RST exactly where the peer has seen our SYN and
# has not yet been sent our FIN's acknowledgement of closing.
ABORT_SENDS_RST = {"SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT"}


def path_to(target: State) -> list[Event]:
    """The shortest event sequence from CLOSED to ``target`` (breadth-first over the table)."""
    queue: deque[tuple[State, list[Event]]] = deque([(State.CLOSED, [])])
    seen = {State.CLOSED}
    while queue:
        state, events = queue.popleft()
        if state is target:
            return events
        for t in TRANSITIONS:
            if t.source is state and t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, [*events, t.event]))
    raise AssertionError(f"{target} is unreachable")


def test_eleven_states_and_the_table_is_the_rfc() -> None:
    assert len(State) == 11
    assert {(t.source.label, t.event.value, t.target.label) for t in TRANSITIONS} == ORACLE
    assert {(t.source.label, t.event.value, t.target.label) for t in FIGURE_5} == FIGURE_5_ARROWS
    assert len({(t.source, t.event) for t in TRANSITIONS}) == len(TRANSITIONS), "deterministic"


def test_abort_sends_a_rst_only_from_the_synchronized_states_before_our_fin_is_acked() -> None:
    for t in TRANSITIONS:
        if t.event is Event.ABORT:
            assert ("snd RST" in t.action) == (t.source.label in ABORT_SENDS_RST), t


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.label)
def test_every_state_is_reachable_from_closed(state: State) -> None:
    conn = TcpConnection()
    conn.run(path_to(state))
    assert conn.state is state


@pytest.mark.parametrize(
    "transition", TRANSITIONS, ids=lambda t: f"{t.source.label}-{t.event.value}"
)
def test_every_transition_is_taken_from_a_reachable_state(transition: Transition) -> None:
    conn = TcpConnection()
    conn.run(path_to(transition.source))
    taken = conn.handle(transition.event)
    assert taken == transition
    assert conn.state is transition.target
    assert conn.history[-1] == transition


def test_every_missing_transition_is_refused_and_leaves_the_state_alone() -> None:
    table = {(t.source, t.event) for t in TRANSITIONS}
    refused = 0
    for state in State:
        for event in Event:
            if (state, event) in table:
                continue
            conn = TcpConnection()
            conn.run(path_to(state))
            before = list(conn.history)
            with pytest.raises(InvalidTransition, match=re.escape(f"from {state.label} on")):
                conn.handle(event)
            assert conn.state is state
            assert conn.history == before
            refused += 1
    assert refused == len(State) * len(Event) - len(TRANSITIONS)


def test_the_three_way_handshake_and_the_four_way_close() -> None:
    client, server = TcpConnection(), TcpConnection()
    server.handle(Event.PASSIVE_OPEN)
    assert client.handle(Event.ACTIVE_OPEN).action == "create TCB; snd SYN"
    assert server.handle(Event.RCV_SYN).action == "snd SYN,ACK"
    assert client.handle(Event.RCV_SYN_ACK).action == "snd ACK"
    server.handle(Event.RCV_ACK_OF_SYN)
    assert client.state is server.state is State.ESTABLISHED
    client.handle(Event.CLOSE)
    server.handle(Event.RCV_FIN)
    client.handle(Event.RCV_ACK_OF_FIN)
    server.handle(Event.CLOSE)
    client.handle(Event.RCV_FIN)
    server.handle(Event.RCV_ACK_OF_FIN)
    # The side that closed first waits in TIME-WAIT; the other is gone.
    assert (client.state, server.state) == (State.TIME_WAIT, State.CLOSED)


def test_simultaneous_open_and_simultaneous_close() -> None:
    a, b = TcpConnection(), TcpConnection()
    for end in (a, b):
        end.handle(Event.ACTIVE_OPEN)
    for end in (a, b):
        assert end.handle(Event.RCV_SYN).target is State.SYN_RECEIVED
    for end in (a, b):
        end.handle(Event.RCV_ACK_OF_SYN)
    for end in (a, b):
        end.handle(Event.CLOSE)
    for end in (a, b):
        assert end.handle(Event.RCV_FIN).target is State.CLOSING
    for end in (a, b):
        assert end.handle(Event.RCV_ACK_OF_FIN).target is State.TIME_WAIT


def test_reset_in_syn_received_depends_on_how_it_got_there() -> None:
    passive = TcpConnection()
    passive.run([Event.PASSIVE_OPEN, Event.RCV_SYN])
    assert passive.handle(Event.RCV_RST).target is State.LISTEN  # note 1
    active = TcpConnection()
    active.run([Event.ACTIVE_OPEN, Event.RCV_SYN])
    refused = active.handle(Event.RCV_RST)
    assert refused.target is State.CLOSED
    assert refused.source_ref == "§3.10.7.4"
    # LISTEN -> SEND makes the connection active: a later RST closes it.
    turned = TcpConnection()
    turned.run([Event.PASSIVE_OPEN, Event.SEND, Event.RCV_SYN])
    assert turned.handle(Event.RCV_RST).target is State.CLOSED


@given(st.lists(st.sampled_from(list(Event)), max_size=40))
def test_random_event_sequences_follow_the_oracle(events: list[Event]) -> None:
    conn = TcpConnection()
    passive = False
    for event in events:
        before = conn.state
        allowed = {(s, to) for s, e, to in ORACLE if e == event.value}
        targets = {to for s, to in allowed if s == before.label}
        if not targets:
            with pytest.raises(InvalidTransition):
                conn.handle(event)
            assert conn.state is before
            continue
        conn.handle(event)
        if before is State.SYN_RECEIVED and event is Event.RCV_RST:
            expected = "LISTEN" if passive else "CLOSED"
        else:
            (expected,) = targets
        assert conn.state.label == expected
        if conn.state is State.LISTEN:
            passive = True
        elif conn.state in (State.SYN_SENT, State.CLOSED):
            passive = False


@pytest.mark.parametrize("bad", ["CLOSE", None, 3, State.CLOSED])
def test_handle_rejects_what_is_not_an_event(bad: Any) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        TcpConnection().handle(bad)


@pytest.mark.parametrize("bad", ["CLOSED", None, 0, Event.CLOSE])
def test_constructor_rejects_what_is_not_a_state(bad: Any) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        TcpConnection(bad)


def test_the_chapter_state_diagram_is_this_codes_output() -> None:
    page = PAGE.read_text(encoding="utf-8")
    block = re.search(r"```\{mermaid\}\n(stateDiagram-v2\n.*?)\n```", page, re.S)
    assert block is not None, "the page has no state diagram"
    assert block.group(1) == state_diagram()
