"""Single-decree Paxos in the same simulator, and its one safety property: at most one value chosen.

Lamport's synod protocol ("Paxos Made Simple", 2001) agrees on one value.
Ballots are ``(round, proposer id)``, so two proposers never use the same one.

* **Phase 1** (prepare/promise): a proposer sends ``Prepare(b)``; an acceptor
  that has not promised a higher ballot promises ``b`` and answers with the
  highest-ballot proposal it has accepted, if any.
* **Phase 2** (accept/accepted): with promises from a majority, the proposer
  sends ``Accept(b, v)`` where ``v`` is **the value of the highest-ballot
  proposal among the promises**, or its own value if there is none; an
  acceptor accepts unless it has promised a higher ballot.
* A value is **chosen** once a majority accepted the same ballot.

Acceptors persist their promise and acceptance on ``sim.disk`` before
answering. Proposers retry with a higher ballot after a randomized timeout,
so with several proposers the protocol may livelock for a while (FLP says no
deterministic protocol can avoid that), but it is never unsafe.
:class:`PaxosSafety` records every acceptance ever made and asserts that the
set of chosen values never holds two values.

>>> result = run_paxos(3)
>>> result.chosen, sorted(set(result.decided.values()))
(('v2',), ['v2'])
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["Acceptor", "PaxosResult", "PaxosSafety", "Proposer", "run_paxos"]

Ballot = tuple[int, str]
_NONE: Ballot = (0, "")


@dataclass(frozen=True)
class _Prepare:
    ballot: Ballot


@dataclass(frozen=True)
class _Promise:
    ballot: Ballot
    accepted: Ballot
    value: object


@dataclass(frozen=True)
class _Accept:
    ballot: Ballot
    value: object


@dataclass(frozen=True)
class _Accepted:
    ballot: Ballot


@dataclass(frozen=True)
class _Nack:
    ballot: Ballot
    promised: Ballot


class Acceptor(BaseNode):
    """Promises and accepts; its promise and acceptance survive crashes."""

    def __init__(self, node_id: str, observer: PaxosSafety | None = None) -> None:
        super().__init__(node_id)
        self.observer = observer
        self.promised: Ballot = _NONE
        self.accepted: Ballot = _NONE
        self.value: object = None

    def on_start(self, sim: Simulator) -> None:
        """Reload the promise and the accepted proposal from disk."""
        disk = sim.disk(self.node_id)
        self.promised = disk.get("promised", _NONE)  # type: ignore[assignment]
        self.accepted = disk.get("accepted", _NONE)  # type: ignore[assignment]
        self.value = disk.get("value")

    def on_crash(self) -> None:
        """Forget; :meth:`on_start` reloads."""
        self.promised, self.accepted, self.value = _NONE, _NONE, None

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Answer Prepare with a promise and Accept with an acceptance, unless outbid."""
        disk = sim.disk(self.node_id)
        if isinstance(msg, _Prepare):
            if msg.ballot > self.promised:
                self.promised = disk["promised"] = msg.ballot
                sim.send(self.node_id, src, _Promise(msg.ballot, self.accepted, self.value))
            else:
                sim.send(self.node_id, src, _Nack(msg.ballot, self.promised))
        elif isinstance(msg, _Accept):
            if msg.ballot >= self.promised:
                self.promised = disk["promised"] = msg.ballot
                self.accepted = disk["accepted"] = msg.ballot
                self.value = disk["value"] = msg.value
                if self.observer is not None:
                    self.observer.accepted(self.node_id, msg.ballot, msg.value)
                sim.send(self.node_id, src, _Accepted(msg.ballot))
            else:
                sim.send(self.node_id, src, _Nack(msg.ballot, self.promised))


class Proposer(BaseNode):
    """Drives ballots for its own ``value`` until it learns a value was chosen."""

    def __init__(
        self, node_id: str, value: object, acceptors: tuple[str, ...], *, retry: float = 40.0
    ) -> None:
        super().__init__(node_id)
        self.value = value
        self.acceptors = acceptors
        self.retry = retry
        self.round = 0
        self.decided: object = None
        self.done = False
        self._reset()

    def _reset(self) -> None:
        self.ballot: Ballot = _NONE
        self.promises: dict[str, _Promise] = {}
        self.accepts: set[str] = set()
        self.phase = 0
        self.proposed: object = None

    def on_start(self, sim: Simulator) -> None:
        """Start a ballot after a short random pause."""
        self.round = int(sim.disk(self.node_id).get("round", 0))  # type: ignore[call-overload]
        sim.set_timer(self.node_id, "retry", sim.rng.uniform(0, self.retry))

    def on_crash(self) -> None:
        """Forget the ballot in progress."""
        self._reset()

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Start (or restart) phase 1 with a higher ballot."""
        if self.done:
            return
        self.round += 1
        sim.disk(self.node_id)["round"] = self.round  # a restarted proposer never reuses a ballot
        self._reset()
        self.ballot, self.phase = (self.round, self.node_id), 1
        for a in self.acceptors:
            sim.send(self.node_id, a, _Prepare(self.ballot))
        sim.set_timer(self.node_id, "retry", sim.rng.uniform(self.retry, 2 * self.retry))

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Collect promises (then send Accept) and acceptances (then decide)."""
        majority = len(self.acceptors) // 2 + 1
        if isinstance(msg, _Nack) and msg.promised[0] >= self.round:
            self.round = msg.promised[0]  # next ballot will beat it
        elif isinstance(msg, _Promise) and msg.ballot == self.ballot and self.phase == 1:
            self.promises[src] = msg
            if len(self.promises) >= majority:
                self.phase = 2
                value = self._choose_value()
                for a in self.acceptors:
                    sim.send(self.node_id, a, _Accept(self.ballot, value))
                self.proposed = value
        elif isinstance(msg, _Accepted) and msg.ballot == self.ballot and self.phase == 2:
            self.accepts.add(src)
            if len(self.accepts) >= majority and not self.done:
                self.done, self.decided = True, self.proposed

    def _choose_value(self) -> object:
        """The constraint that makes Paxos safe: adopt the highest accepted proposal's value."""
        best = max(self.promises.values(), key=lambda p: p.accepted)
        return best.value if best.accepted != _NONE else self.value


@dataclass
class PaxosSafety:
    """Records every acceptance ever made; a value is chosen once a majority accepted one ballot."""

    acceptors: int
    votes: dict[Ballot, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: dict[Ballot, object] = field(default_factory=dict)
    chosen: set[object] = field(default_factory=set)

    def accepted(self, acceptor: str, ballot: Ballot, value: object) -> None:
        """Record one acceptance; raise ``AssertionError`` if a second value becomes chosen."""
        first = self.values.setdefault(ballot, value)
        if first != value:
            raise AssertionError(f"two values in ballot {ballot}: {first!r} and {value!r}")
        self.votes[ballot].add(acceptor)
        if len(self.votes[ballot]) > self.acceptors // 2:
            self.chosen.add(value)
        if len(self.chosen) > 1:
            raise AssertionError(f"two values chosen: {sorted(map(repr, self.chosen))}")


@dataclass(frozen=True)
class PaxosResult:
    """The values chosen (at most one) and what each proposer decided."""

    chosen: tuple[object, ...]
    decided: dict[str, object]


def run_paxos(
    seed: int,
    *,
    acceptors: int = 3,
    proposers: int = 3,
    proposer_class: type[Proposer] = Proposer,
    faults: bool = True,
) -> PaxosResult:
    """Run competing proposers against acceptors under loss, duplication, crashes and partitions.

    Raises:
        AssertionError: two values were chosen, or a proposer decided a value that was not chosen.
        ValueError: fewer than one acceptor or proposer.

    Complexity: O(events).
    """
    for name, count in (("acceptors", acceptors), ("proposers", proposers)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"{name} must be an int >= 1, got {count!r}")
    plan = random.Random(seed)  # noqa: S311 - reproducible test schedule
    sim = Simulator(
        seed, delay=(1.0, 10.0), loss=0.1 if faults else 0.0, duplicate=0.1 if faults else 0.0
    )
    safety = PaxosSafety(acceptors)
    names = tuple(f"a{i}" for i in range(acceptors))
    for name in names:
        sim.add(Acceptor(name, safety))
    for i in range(proposers):
        sim.add(proposer_class(f"p{i}", f"v{i}", names))
    if faults:
        for _ in range(plan.randint(1, 4)):
            victim = plan.choice(names)
            at = plan.uniform(0, 200)
            sim.at(at, _crash(victim))
            sim.at(at + plan.uniform(10, 200), _restart(victim))
        side = set(plan.sample(names, max(1, acceptors // 2)))
        sim.at(plan.uniform(0, 100), lambda s: s.partition(side))
        sim.at(300, lambda s: s.heal())
    sim.run(until=3000)
    decided = {}
    for i in range(proposers):
        p = sim.node(f"p{i}")
        if not isinstance(p, Proposer):
            raise TypeError(f"node p{i} is not a Proposer, got {type(p).__name__}")
        if p.done:
            decided[p.node_id] = p.decided
            if p.decided not in safety.chosen:
                raise AssertionError(f"{p.node_id} decided {p.decided!r}, which was not chosen")
    return PaxosResult(tuple(sorted(safety.chosen, key=repr)), decided)


def _crash(node_id: str) -> Callable[[Simulator], None]:
    return lambda sim: sim.crash(node_id)


def _restart(node_id: str) -> Callable[[Simulator], None]:
    return lambda sim: sim.restart(node_id)
