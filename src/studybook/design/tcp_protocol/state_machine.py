"""The TCP connection state machine of RFC 9293, section 3.3.2, as a transition table.

Every arrow of RFC 9293's Figure 5 is one row of :data:`TRANSITIONS`, plus the
arrows its notes describe but leave out of the picture: note 2 (FIN-WAIT-1 to
TIME-WAIT when a FIN arrives that also acknowledges our FIN) and the reset
rules of section 3.10.7 (a RST returns SYN-RECEIVED to LISTEN after a passive
OPEN, note 1, and closes every other state that can receive one), the user's
ABORT call of section 3.10.5 and the user timeout of section 3.10.8. A
:class:`TcpConnection` walks the table; an event with no row for the current
state raises :class:`InvalidTransition` naming both, so a test can drive every
transition and every refusal.

>>> conn = TcpConnection()
>>> [conn.handle(e).target.label for e in (Event.ACTIVE_OPEN, Event.RCV_SYN_ACK)]
['SYN-SENT', 'ESTABLISHED']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "FIGURE_5",
    "TRANSITIONS",
    "Event",
    "InvalidTransition",
    "State",
    "TcpConnection",
    "Transition",
    "state_diagram",
]


class State(Enum):
    """The eleven connection states of RFC 9293, section 3.3.2."""

    CLOSED = "CLOSED"
    LISTEN = "LISTEN"
    SYN_SENT = "SYN-SENT"
    SYN_RECEIVED = "SYN-RECEIVED"
    ESTABLISHED = "ESTABLISHED"
    FIN_WAIT_1 = "FIN-WAIT-1"
    FIN_WAIT_2 = "FIN-WAIT-2"
    CLOSE_WAIT = "CLOSE-WAIT"
    CLOSING = "CLOSING"
    LAST_ACK = "LAST-ACK"
    TIME_WAIT = "TIME-WAIT"

    @property
    def label(self) -> str:
        """The state's name as the RFC spells it (``"SYN-SENT"``)."""
        return self.value


class Event(Enum):
    """What moves a connection: a user call, an arriving segment, or a timeout."""

    PASSIVE_OPEN = "passive OPEN"
    ACTIVE_OPEN = "active OPEN"
    SEND = "SEND"
    CLOSE = "CLOSE"
    RCV_SYN = "rcv SYN"
    RCV_SYN_ACK = "rcv SYN,ACK"
    RCV_ACK_OF_SYN = "rcv ACK of SYN"
    RCV_FIN = "rcv FIN"
    RCV_ACK_OF_FIN = "rcv ACK of FIN"
    RCV_FIN_ACK_OF_FIN = "rcv FIN + ACK of FIN"
    RCV_RST = "rcv RST"
    TIMEOUT_2MSL = "Timeout=2MSL"
    ABORT = "ABORT"
    USER_TIMEOUT = "USER TIMEOUT"


@dataclass(frozen=True)
class Transition:
    """One arrow: in ``source``, ``event`` sends ``action`` and moves to ``target``.

    ``source_ref`` says where in RFC 9293 the arrow is specified.
    """

    source: State
    event: Event
    target: State
    action: str
    source_ref: str = "Figure 5"


class InvalidTransition(ValueError):
    """An event that has no transition from the connection's current state."""

    # Shown (and documented) under the package that re-exports it, whatever
    # path the module was imported by.
    __module__ = "studybook.design.tcp_protocol"


_S, _E = State, Event
_RST_CLOSES = (
    "§3.10.7.3 (SYN-SENT, with an acceptable ACK) and §3.10.7.4 "
    "(a RST in a synchronized state closes the connection)"
)

#: Every transition, in the order of RFC 9293's Figure 5, then its notes.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(_S.CLOSED, _E.PASSIVE_OPEN, _S.LISTEN, "create TCB"),
    Transition(_S.CLOSED, _E.ACTIVE_OPEN, _S.SYN_SENT, "create TCB; snd SYN"),
    Transition(_S.LISTEN, _E.CLOSE, _S.CLOSED, "delete TCB"),
    Transition(_S.LISTEN, _E.RCV_SYN, _S.SYN_RECEIVED, "snd SYN,ACK"),
    Transition(_S.LISTEN, _E.SEND, _S.SYN_SENT, "snd SYN"),
    Transition(_S.SYN_SENT, _E.CLOSE, _S.CLOSED, "delete TCB"),
    Transition(_S.SYN_SENT, _E.RCV_SYN, _S.SYN_RECEIVED, "snd SYN,ACK"),
    Transition(_S.SYN_SENT, _E.RCV_SYN_ACK, _S.ESTABLISHED, "snd ACK"),
    Transition(_S.SYN_RECEIVED, _E.RCV_ACK_OF_SYN, _S.ESTABLISHED, "x"),
    Transition(_S.SYN_RECEIVED, _E.CLOSE, _S.FIN_WAIT_1, "snd FIN"),
    Transition(
        _S.SYN_RECEIVED, _E.RCV_RST, _S.LISTEN, "x", "Figure 5, note 1 (after a passive OPEN)"
    ),
    Transition(_S.ESTABLISHED, _E.CLOSE, _S.FIN_WAIT_1, "snd FIN"),
    Transition(_S.ESTABLISHED, _E.RCV_FIN, _S.CLOSE_WAIT, "snd ACK"),
    Transition(_S.FIN_WAIT_1, _E.RCV_ACK_OF_FIN, _S.FIN_WAIT_2, "x"),
    Transition(_S.FIN_WAIT_1, _E.RCV_FIN, _S.CLOSING, "snd ACK"),
    Transition(_S.CLOSE_WAIT, _E.CLOSE, _S.LAST_ACK, "snd FIN"),
    Transition(_S.FIN_WAIT_2, _E.RCV_FIN, _S.TIME_WAIT, "snd ACK"),
    Transition(_S.CLOSING, _E.RCV_ACK_OF_FIN, _S.TIME_WAIT, "x"),
    Transition(_S.LAST_ACK, _E.RCV_ACK_OF_FIN, _S.CLOSED, "x"),
    Transition(_S.TIME_WAIT, _E.TIMEOUT_2MSL, _S.CLOSED, "delete TCB"),
    Transition(_S.FIN_WAIT_1, _E.RCV_FIN_ACK_OF_FIN, _S.TIME_WAIT, "snd ACK", "Figure 5, note 2"),
    *(
        Transition(state, _E.RCV_RST, _S.CLOSED, "delete TCB", _RST_CLOSES)
        for state in (
            _S.SYN_SENT,
            _S.ESTABLISHED,
            _S.FIN_WAIT_1,
            _S.FIN_WAIT_2,
            _S.CLOSE_WAIT,
            _S.CLOSING,
            _S.LAST_ACK,
            _S.TIME_WAIT,
        )
    ),
)

_SYNCHRONIZED_ABORT = (_S.SYN_RECEIVED, _S.ESTABLISHED, _S.FIN_WAIT_1, _S.FIN_WAIT_2, _S.CLOSE_WAIT)

# Section 3.10.5 (ABORT): in LISTEN and SYN-SENT nothing has been synchronized,
# so the TCB is simply deleted; in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
# FIN-WAIT-2 and CLOSE-WAIT a RST tells the peer; in CLOSING, LAST-ACK and
# TIME-WAIT our FIN is already out, so the call answers "ok" and deletes the
# TCB. In CLOSED the call is an error ("connection does not exist").
TRANSITIONS += tuple(
    Transition(
        state,
        _E.ABORT,
        _S.CLOSED,
        "snd RST; delete TCB" if state in _SYNCHRONIZED_ABORT else "delete TCB",
        "§3.10.5 (ABORT call)",
    )
    for state in State
    if state is not _S.CLOSED
)
# Section 3.10.8: "For any state if the user timeout expires, flush all queues,
# signal the user ... delete the TCB, enter the CLOSED state" (CLOSED has no TCB).
TRANSITIONS += tuple(
    Transition(state, _E.USER_TIMEOUT, _S.CLOSED, "delete TCB", "§3.10.8 (USER TIMEOUT)")
    for state in State
    if state is not _S.CLOSED
)

#: The arrows drawn in RFC 9293's Figure 5 and its notes 1 and 2 (no RST-to-CLOSED,
#: ABORT or user-timeout rows).
FIGURE_5: tuple[Transition, ...] = tuple(
    t for t in TRANSITIONS if t.source_ref.startswith("Figure")
)

_TABLE: dict[tuple[State, Event], Transition] = {(t.source, t.event): t for t in TRANSITIONS}


class TcpConnection:
    """One endpoint's connection state, driven by :class:`Event` values.

    The machine remembers whether it reached SYN-RECEIVED from LISTEN (a
    passive OPEN) or from SYN-SENT (an active OPEN, i.e. a simultaneous open),
    because RFC 9293 requires it (MUST-11): a RST then returns to LISTEN in
    the first case and refuses the connection (CLOSED) in the second.

    Complexity: O(1) per event.

    >>> conn = TcpConnection()
    >>> for e in (Event.PASSIVE_OPEN, Event.RCV_SYN, Event.RCV_ACK_OF_SYN):
    ...     _ = conn.handle(e)
    >>> conn.state, [t.action for t in conn.history]
    (<State.ESTABLISHED: 'ESTABLISHED'>, ['create TCB', 'snd SYN,ACK', 'x'])
    >>> conn.handle(Event.RCV_SYN_ACK)
    Traceback (most recent call last):
        ...
    studybook.design.tcp_protocol.InvalidTransition: no transition from ESTABLISHED on 'rcv SYN,ACK'
    """

    def __init__(self, state: State = State.CLOSED) -> None:
        if not isinstance(state, State):
            raise TypeError(f"state must be a State, got {type(state).__name__}: {state!r}")
        self.state = state
        self.history: list[Transition] = []
        self._passive = state is State.LISTEN

    def handle(self, event: Event) -> Transition:
        """Apply ``event`` and return the transition taken.

        Raises:
            TypeError: ``event`` is not an :class:`Event`.
            InvalidTransition: the event has no transition from the current state.
        """
        if not isinstance(event, Event):
            raise TypeError(f"event must be an Event, got {type(event).__name__}: {event!r}")
        transition = _TABLE.get((self.state, event))
        if transition is None:
            raise InvalidTransition(f"no transition from {self.state.label} on {event.value!r}")
        if transition.source is State.SYN_RECEIVED and event is Event.RCV_RST and not self._passive:
            # Note 1: only a passive open goes back to LISTEN; a simultaneous
            # open that is reset was refused (section 3.10.7.4).
            transition = Transition(
                State.SYN_RECEIVED, Event.RCV_RST, State.CLOSED, "delete TCB", "§3.10.7.4"
            )
        if transition.target is State.LISTEN:
            self._passive = True
        elif transition.target in (State.SYN_SENT, State.CLOSED):
            self._passive = False
        self.state = transition.target
        self.history.append(transition)
        return transition

    def run(self, events: Iterable[Event]) -> list[State]:
        """Apply each event in turn and return the states visited after each one.

        Raises:
            InvalidTransition: at the first event with no transition (the
                states before it have been applied).
        """
        return [self.handle(e).target for e in events]


def state_diagram(transitions: Sequence[Transition] = FIGURE_5) -> str:
    """Return a mermaid ``stateDiagram-v2`` of ``transitions``, one arrow per row.

    Arrows that share source and target are merged into one label. The
    chapter's state diagram is this function's output, and a test checks
    that the page and the code agree.

    Complexity: O(t) for t transitions.

    >>> print(state_diagram(TRANSITIONS[:2]))
    stateDiagram-v2
        state "CLOSED" as CLOSED
        state "LISTEN" as LISTEN
        state "SYN-SENT" as SYN_SENT
        [*] --> CLOSED
        CLOSED --> LISTEN: passive OPEN
        CLOSED --> SYN_SENT: active OPEN / snd SYN
    """
    states: list[State] = []
    arrows: dict[tuple[State, State], list[str]] = {}
    for t in transitions:
        for s in (t.source, t.target):
            if s not in states:
                states.append(s)
        action = "" if t.action in ("x", "create TCB", "delete TCB") else t.action
        action = action.removeprefix("create TCB; ")
        label = t.event.value + (f" / {action}" if action else "")
        if "note" in t.source_ref:
            label += f" ({t.source_ref.split(', ')[1].split(' (')[0]})"
        arrows.setdefault((t.source, t.target), [])
        if label not in arrows[(t.source, t.target)]:
            arrows[(t.source, t.target)].append(label)
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{s.label}" as {s.name}' for s in states]
    lines.append("    [*] --> CLOSED")
    for (source, target), labels in arrows.items():
        lines.append(f"    {source.name} --> {target.name}: {' or '.join(labels)}")
    return "\n".join(lines)
