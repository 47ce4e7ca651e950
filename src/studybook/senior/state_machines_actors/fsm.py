"""A table-driven finite state machine: the transitions are data, not ``if`` chains.

The whole behaviour is one mapping ``state -> {event: next_state}``. Firing an
event looks the pair up; a pair missing from the table is an illegal
transition and raises :class:`IllegalTransition` without changing the state.
Because the table is data it can be validated once (every target is a known
state, every state is reachable, final states have no way out), drawn as a
diagram, and checked against the code by a test.

>>> order = StateMachine(ORDER_LIFECYCLE, "created")
>>> order.fire("pay"), order.fire("ship"), order.state
('paid', 'shipped', 'shipped')
>>> try:
...     order.fire("pay")
... except IllegalTransition as error:
...     print(error)
illegal event 'pay' in state 'shipped'; allowed: ['deliver', 'return']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from studybook._validate import check_str

__all__ = ["ORDER_LIFECYCLE", "IllegalTransition", "StateMachine", "Transition", "transitions"]

ORDER_LIFECYCLE: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "created": MappingProxyType({"pay": "paid", "cancel": "cancelled"}),
        "paid": MappingProxyType({"ship": "shipped", "cancel": "refunded"}),
        "shipped": MappingProxyType({"deliver": "delivered", "return": "returned"}),
        "returned": MappingProxyType({"refund": "refunded"}),
        "delivered": MappingProxyType({}),
        "cancelled": MappingProxyType({}),
        "refunded": MappingProxyType({}),
    }
)
"""The order lifecycle drawn in the chapter, as state -> {event -> next state}."""


class IllegalTransition(ValueError):
    """An event that the current state has no transition for."""


Transition = tuple[str, str, str]
"""One step of a machine's history, as ``(from_state, event, to_state)``."""


class StateMachine:
    """A finite state machine driven by a transition table.

    Args:
        table: ``state -> {event: next_state}``; a state with an empty mapping is final.
        initial: the starting state, a key of ``table``.

    Raises:
        TypeError: the table is not a mapping of str to mappings of str to str.
        ValueError: an empty table, an unknown target or initial state, or a
            state that cannot be reached from ``initial``.

    Complexity: ``fire`` is O(1) (two dict lookups); construction is
    O(states + transitions) (one graph search for reachability).

    >>> m = StateMachine({"off": {"toggle": "on"}, "on": {"toggle": "off"}}, "off")
    >>> [m.fire("toggle") for _ in range(3)], m.history[0]
    (['on', 'off', 'on'], ('off', 'toggle', 'on'))
    >>> StateMachine({"a": {"go": "b"}}, "a")
    Traceback (most recent call last):
        ...
    ValueError: transition 'a' --go--> 'b' targets an unknown state 'b'
    """

    def __init__(self, table: Mapping[str, Mapping[str, str]], initial: str) -> None:
        self._table = _checked_table(table)
        check_str(initial, "initial", nonempty=True)
        if initial not in self._table:
            raise ValueError(f"initial state must be one of {sorted(self._table)}, got {initial!r}")
        unreachable = set(self._table) - _reachable(self._table, initial)
        if unreachable:
            raise ValueError(f"states unreachable from {initial!r}: {sorted(unreachable)}")
        self._state = initial
        self.history: list[Transition] = []

    @property
    def state(self) -> str:
        """The current state."""
        return self._state

    @property
    def is_final(self) -> bool:
        """Whether the current state has no outgoing transitions."""
        return not self._table[self._state]

    def allowed(self) -> list[str]:
        """The events the current state accepts, sorted."""
        return sorted(self._table[self._state])

    def can(self, event: str) -> bool:
        """Whether ``event`` is legal now (does not fire it)."""
        check_str(event, "event")
        return event in self._table[self._state]

    def fire(self, event: str) -> str:
        """Apply ``event`` and return the new state.

        Raises:
            TypeError: ``event`` is not a str.
            IllegalTransition: the current state has no transition for ``event``;
                the state is left unchanged.

        Complexity: O(1).
        """
        check_str(event, "event")
        targets = self._table[self._state]
        if event not in targets:
            raise IllegalTransition(
                f"illegal event {event!r} in state {self._state!r}; allowed: {self.allowed()}"
            )
        target = targets[event]
        self.history.append((self._state, event, target))
        self._state = target
        return target

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` unless the history is a legal path ending in the state."""
        state = self.history[0][0] if self.history else self._state
        for before, event, after in self.history:
            if before != state or self._table[before].get(event) != after:
                raise AssertionError(f"history step {(before, event, after)} is not legal")
            state = after
        if state != self._state or state not in self._table:
            raise AssertionError(f"state {self._state!r} does not follow the history")


def _checked_table(table: object) -> dict[str, dict[str, str]]:
    if not isinstance(table, Mapping):
        raise TypeError(f"table must be a mapping, got {type(table).__name__}: {table!r}")
    if not table:
        raise ValueError(f"table must have at least one state, got {table!r}")
    checked: dict[str, dict[str, str]] = {}
    for state, row in table.items():
        check_str(state, "state", nonempty=True)
        if not isinstance(row, Mapping):
            raise TypeError(f"transitions of {state!r} must be a mapping, got {row!r}")
        checked[state] = {}
        for event, target in row.items():
            check_str(event, "event", nonempty=True)
            check_str(target, "target state", nonempty=True)
            checked[state][event] = target
    for state, row in checked.items():
        for event, target in row.items():
            if target not in checked:
                raise ValueError(
                    f"transition {state!r} --{event}--> {target!r} "
                    f"targets an unknown state {target!r}"
                )
    return checked


def _reachable(table: Mapping[str, Mapping[str, str]], start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for target in table[stack.pop()].values():
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def transitions(table: Mapping[str, Mapping[str, str]]) -> Iterable[Transition]:
    """Every ``(state, event, target)`` of a table, in table order (for diagrams and tests)."""
    for state, row in table.items():
        for event, target in row.items():
            yield state, event, target
