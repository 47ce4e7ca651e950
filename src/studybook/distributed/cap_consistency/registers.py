"""Quorum registers in the simulator: ABD, which is linearizable, and the same without write-back.

``n`` replicas each store a ``(timestamp, value)`` pair; a timestamp is
``(counter, writer id)``, compared lexicographically, so concurrent writers
never tie. A client operation has two phases, each sent to every replica and
finished by the first ``quorum`` distinct answers:

* **write v**: *query* the timestamps, pick ``(max counter + 1, my id)``;
  *store* ``(ts, v)``; replicas keep whichever timestamp is larger.
* **read**: *query* the ``(ts, value)`` pairs and take the one with the largest
  timestamp; then, in ABD, *write it back* (store it at a quorum) before
  returning it.

This is the multi-writer ABD register: Attiya, Bar-Noy and Dolev (1995) gave
the single-writer version with the read write-back; the query phase for
writers is the multi-writer extension (Lynch & Shvartsman 1997). Any two
majorities intersect, so a read's query sees the latest completed write, and
the write-back makes sure no later read can see anything older than what
this read returned. Drop the write-back (``write_back=False``, still
``R + W > N``) and two reads that both overlap one slow write can return new
then old: the register is no longer linearizable, and
:func:`find_counterexample` finds a seed that shows it.

Clients resend unanswered requests on a timer, so operations survive message
loss and finish once a quorum is reachable; replicas persist their pair on the
simulator's disk before acknowledging, so they survive crashes.

>>> h = run_register(0, write_back=True, clients=2, ops_per_client=2)
>>> len(h), is_linearizable(h)
(4, True)
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

from studybook.distributed.cap_consistency.checker import is_linearizable
from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["Client", "Replica", "Timestamp", "find_counterexample", "run_register"]

#: ``(counter, writer id)``: a total order on writes; ``(0, "")`` is the initial ``None``.
Timestamp = tuple[int, str]
_ZERO: Timestamp = (0, "")
_RETRY = "retry"
_NEXT = "next"


@dataclass(frozen=True)
class _Query:
    op: int


@dataclass(frozen=True)
class _QueryReply:
    op: int
    ts: Timestamp
    value: Hashable


@dataclass(frozen=True)
class _Store:
    op: int
    ts: Timestamp
    value: Hashable


@dataclass(frozen=True)
class _StoreAck:
    op: int


class Replica(BaseNode):
    """Holds one ``(timestamp, value)`` pair; durable on ``sim.disk``, so it survives crashes."""

    def __init__(self, node_id: str) -> None:
        super().__init__(node_id)
        self.ts: Timestamp = _ZERO
        self.value: Hashable = None

    def on_start(self, sim: Simulator) -> None:
        """Reload the pair from disk (nothing there: the initial ``None``)."""
        disk = sim.disk(self.node_id)
        self.ts = disk.get("ts", _ZERO)  # type: ignore[assignment]
        self.value = disk.get("value")

    def on_crash(self) -> None:
        """Forget the in-memory copy; :meth:`on_start` reloads it."""
        self.ts, self.value = _ZERO, None

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Answer a query with the pair; apply a store if its timestamp is newer, then ack."""
        if isinstance(msg, _Query):
            sim.send(self.node_id, src, _QueryReply(msg.op, self.ts, self.value))
        elif isinstance(msg, _Store):
            if msg.ts > self.ts:
                self.ts, self.value = msg.ts, msg.value
                disk = sim.disk(self.node_id)
                disk["ts"], disk["value"] = msg.ts, msg.value  # durable before the ack
            sim.send(self.node_id, src, _StoreAck(msg.op))


class Client(BaseNode):
    """Runs a script of reads and writes one at a time, appending each to ``history``.

    Args:
        node_id: the client's id, also the tie-breaker in its timestamps.
        replicas: the replicas' ids.
        quorum: answers each phase waits for.
        write_back: ABD's read write-back phase on or off.
        script: the operations, ``("write", value)`` or ``("read", None)``.
        history: where finished operations go, as ``(kind, value, start, end)``.

    Raises:
        ValueError: no replicas, a quorum outside ``1..len(replicas)``.
        TypeError: a quorum that is not an ``int``.
    """

    def __init__(
        self,
        node_id: str,
        replicas: list[str],
        quorum: int,
        *,
        write_back: bool,
        script: list[tuple[str, Hashable]],
        history: list[tuple[str, Hashable, float, float]],
    ) -> None:
        super().__init__(node_id)
        if not isinstance(replicas, list) or not replicas:
            raise ValueError(f"replicas must be a non-empty list of ids, got {replicas!r}")
        if isinstance(quorum, bool) or not isinstance(quorum, int):
            raise TypeError(f"quorum must be an int, got {type(quorum).__name__}: {quorum!r}")
        if not 1 <= quorum <= len(replicas):
            raise ValueError(f"quorum must be from 1 to {len(replicas)}, got {quorum!r}")
        self.replicas, self.quorum, self.write_back = replicas, quorum, write_back
        self.script, self.history = list(script), history
        self.op = 0
        self.phase = "idle"  # idle, query or store
        self.current: tuple[str, Hashable] = ("read", None)
        self.started = 0.0
        self.answered: set[str] = set()
        self.best: tuple[Timestamp, Hashable] = (_ZERO, None)

    def on_start(self, sim: Simulator) -> None:
        """Think for a moment, then start the first operation."""
        sim.set_timer(self.node_id, _NEXT, sim.rng.uniform(0, 5))

    def on_timer(self, sim: Simulator, name: str) -> None:
        """``next``: start the next operation; ``retry``: resend to replicas that did not answer."""
        if name == _NEXT and self.script:
            self.current = self.script.pop(0)
            self.op, self.started = self.op + 1, sim.now
            self.best = (_ZERO, None)
            self._begin(sim, "query")
        elif name == _RETRY and self.phase != "idle":
            self._broadcast(sim)

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Count distinct answers to the current phase; a quorum moves the operation on."""
        if getattr(msg, "op", None) != self.op or src in self.answered:
            return  # a late or duplicated answer
        if self.phase == "query" and isinstance(msg, _QueryReply):
            self.answered.add(src)
            self.best = max(self.best, (msg.ts, msg.value), key=lambda pair: pair[0])
            if len(self.answered) >= self.quorum:
                kind, value = self.current
                if kind == "write":
                    self.best = ((self.best[0][0] + 1, self.node_id), value)
                    self._begin(sim, "store")
                elif self.write_back:
                    self._begin(sim, "store")  # ABD: make the value we return safe first
                else:
                    self._finish(sim)
        elif self.phase == "store" and isinstance(msg, _StoreAck):
            self.answered.add(src)
            if len(self.answered) >= self.quorum:
                self._finish(sim)

    def unfinished(self) -> list[tuple[str, Hashable, float, float]]:
        """The write in progress, if any, with ``end = inf``: it may or may not take effect."""
        if self.phase != "idle" and self.current[0] == "write":
            return [("write", self.current[1], self.started, math.inf)]
        return []

    def _begin(self, sim: Simulator, phase: str) -> None:
        self.phase, self.answered = phase, set()
        self._broadcast(sim)

    def _broadcast(self, sim: Simulator) -> None:
        ts, value = self.best
        msg = _Query(self.op) if self.phase == "query" else _Store(self.op, ts, value)
        for r in self.replicas:
            if r not in self.answered:
                sim.send(self.node_id, r, msg)
        sim.set_timer(self.node_id, _RETRY, 20.0)

    def _finish(self, sim: Simulator) -> None:
        kind, value = self.current
        result = value if kind == "write" else self.best[1]
        self.history.append((kind, result, self.started, sim.now))
        self.phase = "idle"
        sim.cancel_timer(self.node_id, _RETRY)
        sim.set_timer(self.node_id, _NEXT, sim.rng.uniform(0, 5))


def run_register(
    seed: int,
    *,
    write_back: bool,
    replicas: int = 3,
    clients: int = 3,
    ops_per_client: int = 3,
    faults: bool = True,
) -> list[tuple[str, Hashable, float, float]]:
    """Run one seeded simulation of a majority-quorum register and return its history.

    Each client runs ``ops_per_client`` operations, each a read or a write
    with equal odds; client ``c``'s ``k``-th write writes ``10 * c + k``, so
    every written value is unique. With ``faults``, the network loses and
    duplicates 5 % of messages, one replica crashes and restarts, and one
    replica is partitioned away for a while and healed.

    Args:
        seed: the simulation seed.
        write_back: ABD (``True``) or the register without read write-back.
        replicas: ``n``; quorums are majorities, ``n // 2 + 1``.
        clients: 1 to 9 clients.
        ops_per_client: operations each client runs, 1 to 9 (so that the
            values ``10 * c + k`` stay unique).
        faults: inject the faults above.

    Returns:
        The history, sorted by start time; an unfinished write has ``end = inf``.

    Raises:
        TypeError: a count that is not an ``int``, ``write_back`` not a ``bool``.
        ValueError: ``replicas`` outside 1..99, ``clients`` or ``ops_per_client``
            outside 1..9.

    Complexity: O(c · k · n log e) simulated events for c clients, k operations each.

    >>> run_register(0, write_back=True, clients=10)
    Traceback (most recent call last):
    ValueError: clients must be from 1 to 9, got 10
    """
    if not isinstance(write_back, bool):
        raise TypeError(f"write_back must be a bool, got {write_back!r}")
    for name, count, low, high in (
        ("replicas", replicas, 1, 99),
        ("clients", clients, 1, 9),
        ("ops_per_client", ops_per_client, 1, 9),  # 10 * c + k stays unique
    ):
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError(f"{name} must be an int, got {type(count).__name__}: {count!r}")
        if not low <= count <= high:
            raise ValueError(f"{name} must be from {low} to {high}, got {count!r}")
    loss = duplicate = 0.05 if faults else 0.0
    sim = Simulator(seed, delay=(1.0, 5.0), loss=loss, duplicate=duplicate)
    names = [f"r{i}" for i in range(1, replicas + 1)]
    for name in names:
        sim.add(Replica(name))
    history: list[tuple[str, Hashable, float, float]] = []
    members: list[Client] = []
    for c in range(1, clients + 1):
        script: list[tuple[str, Hashable]] = [
            ("write", 10 * c + k) if sim.rng.random() < 0.5 else ("read", None)
            for k in range(1, ops_per_client + 1)
        ]
        client = Client(
            f"c{c}", names, replicas // 2 + 1, write_back=write_back, script=script, history=history
        )
        members.append(client)
        sim.add(client)
    if faults:
        _schedule_faults(sim, names)
    sim.run(until=500.0)
    for client in members:
        history.extend(client.unfinished())
    return sorted(history, key=lambda op: (op[2], op[3]))


def _schedule_faults(sim: Simulator, replicas: list[str]) -> None:
    rng = sim.rng
    victim = rng.choice(replicas)
    down = rng.uniform(0, 30)
    sim.at(down, lambda s: s.crash(victim))
    sim.at(down + rng.uniform(5, 30), lambda s: s.restart(victim))
    isolated = rng.choice(replicas)
    cut = rng.uniform(0, 30)
    sim.at(cut, lambda s: s.partition({isolated}))
    sim.at(cut + rng.uniform(5, 30), lambda s: s.heal())


def find_counterexample(
    seeds: range, **options: object
) -> tuple[int, list[tuple[str, Hashable, float, float]]] | None:
    """Return the first seed whose register run without write-back is not linearizable.

    ``options`` go to :func:`run_register` (``write_back`` is forced to
    ``False``). ``None`` if every seed's history is linearizable.

    Complexity: one simulation and one check per seed tried.
    """
    for seed in seeds:
        history = run_register(seed, write_back=False, **options)  # type: ignore[arg-type]
        if not is_linearizable(history):
            return seed, history
    return None
