"""A deterministic discrete-event network simulator, shared by every chapter of Part III.

Distributed protocols fail in the interleavings nobody thought of: a message
that arrives twice, a reply that overtakes a request, a node that restarts
between two steps. Interviewers ask how you would *test* Raft or a quorum
store; the answer the industry converged on (FoundationDB's simulation,
Jepsen's fault injection, TigerBeetle's VOPR) is to run the real protocol code
against a simulated network whose every choice comes from one seeded random
generator, so any failure replays exactly from its seed.

The model:

* **Nodes** are objects with a ``node_id`` and four callbacks (the
  :class:`Node` protocol; subclass :class:`BaseNode`): ``on_start(sim)`` at
  start and after each restart, ``on_message(sim, src, msg)``,
  ``on_timer(sim, name)`` and ``on_crash()``.
* **Virtual time**: a heap of events ordered by ``(time, sequence number)``;
  :meth:`Simulator.run` pops them in order and ``sim.now`` jumps from one to the
  next. Nothing waits for the wall clock, so a minute of protocol time costs
  microseconds.
* **The network** delays each message by a uniform draw from ``delay``, loses
  it with probability ``loss``, delivers a second copy with probability
  ``duplicate``, and so reorders whenever two draws cross. A message is dropped
  if, when it would arrive, its destination is down or the link is cut
  (:meth:`~Simulator.partition`, :meth:`~Simulator.cut`, :meth:`~Simulator.heal`).
* **Crashes** (:meth:`~Simulator.crash`) cancel the node's timers and call
  ``on_crash()``, where the node must forget its volatile state; a restart
  (:meth:`~Simulator.restart`) calls ``on_start(sim)`` again, where the node
  reloads what it saved in ``sim.disk(node_id)``, a dict that survives crashes
  (writes to it are durable at once, as if every write were fsynced).
* **Timers** are named per node; setting one again replaces it
  (:meth:`~Simulator.set_timer`, :meth:`~Simulator.cancel_timer`).
* **The trace** (``sim.trace``) records starts, deliveries, drops, timers,
  crashes and restarts. Same seed, same trace: that is the invariant the
  tests check. :func:`run_schedules` runs a check over many seeds and names
  the first seed that fails.

Not modelled: clock skew (every node reads the same ``sim.now``), Byzantine
nodes, bandwidth. A node that wants randomness (Raft's election timeouts)
draws it from ``sim.rng`` so that it, too, replays from the seed.

=======================  ==========================================
operation                cost
=======================  ==========================================
send, set_timer, at      O(log e) for e pending events
step (one event)         O(log e) plus the callback
partition                O(n²) for n nodes
=======================  ==========================================

Two nodes play ping-pong:

>>> class Ping(BaseNode):
...     def on_start(self, sim):
...         if self.node_id == "a":
...             sim.send("a", "b", 1)
...     def on_message(self, sim, src, msg):
...         if msg < 3:
...             sim.send(self.node_id, src, msg + 1)
>>> sim = Simulator(seed=7, delay=(1.0, 2.0))
>>> sim.add(Ping("a")); sim.add(Ping("b"))
>>> sim.run()
5
>>> print(*sim.trace, sep="\\n")
   0.000  start    a
   0.000  start    b
   1.651  deliver  a -> b: 1
   3.017  deliver  b -> a: 2
   4.054  deliver  a -> b: 3

Primary sources: the event-queue design of discrete-event simulation
(Fujimoto, *Parallel and Distributed Simulation Systems*, 2000); the testing
approach of FoundationDB (Zhou et al., "FoundationDB: A Distributed Unbundled
Transactional Key Value Store", SIGMOD 2021, section 4).
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["BaseNode", "Node", "Simulator", "TraceEvent", "run_schedules"]


class Node(Protocol):
    """What the simulator needs from a node: an id and four callbacks."""

    node_id: str

    def on_start(self, sim: Simulator) -> None:
        """Called when the node starts and after every restart: reload ``sim.disk``."""

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Called when a message from ``src`` is delivered."""

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Called when the node's timer ``name`` fires."""

    def on_crash(self) -> None:
        """Called when the node crashes: drop every piece of volatile state."""


class BaseNode:
    """A node that ignores every event; subclass it and override what you need.

    >>> BaseNode("n1").node_id
    'n1'
    """

    def __init__(self, node_id: str) -> None:
        self.node_id = node_id

    def on_start(self, sim: Simulator) -> None:
        """Do nothing at start."""

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Ignore the message."""

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Ignore the timer."""

    def on_crash(self) -> None:
        """Nothing volatile to forget."""


@dataclass(frozen=True)
class TraceEvent:
    """One line of the trace: what happened, where and when (virtual time).

    ``kind`` is one of ``start``, ``restart``, ``crash``, ``deliver``, ``drop``
    and ``timer``; ``src`` is the sender for ``deliver`` and ``drop``, else
    ``None``; ``what`` is the message's ``repr``, the timer's name, or for a
    drop the message and the reason.
    """

    time: float
    kind: str
    node: str
    src: str | None = None
    what: str = ""

    def __str__(self) -> str:
        where = self.node if self.src is None else f"{self.src} -> {self.node}"
        what = f": {self.what}" if self.what else ""
        return f"{self.time:8.3f}  {self.kind:<8} {where}{what}".rstrip()


@dataclass(order=True)
class _Event:
    time: float
    seq: int
    action: Callable[[], None] = field(compare=False)


class Simulator:
    """A seeded network of nodes on a virtual clock.

    Args:
        seed: seeds ``sim.rng``, the only source of randomness; an ``int``
            ``>= 0`` (``random.Random`` seeds with ``abs(seed)``, so ``-5``
            would silently replay seed ``5``).
        delay: ``(low, high)``, each message's delay is uniform in it;
            ``0 <= low <= high``, finite.
        loss: probability that a message is lost, in ``[0, 1]``.
        duplicate: probability that a message is delivered twice, in ``[0, 1]``.

    Raises:
        TypeError: a seed that is not an ``int`` (or is a ``bool``), a
            probability or delay that is not a number.
        ValueError: a negative seed, NaN, infinities, negative delays,
            ``low > high``, a probability outside ``[0, 1]``.

    Complexity: O(1) to create.

    >>> Simulator(seed=1).now
    0.0
    >>> Simulator(seed=1, delay=(5, 2))
    Traceback (most recent call last):
    ValueError: delay must be (low, high) with 0 <= low <= high, got (5, 2)
    """

    def __init__(
        self,
        seed: int,
        *,
        delay: tuple[float, float] = (1.0, 5.0),
        loss: float = 0.0,
        duplicate: float = 0.0,
    ) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}: {seed!r}")
        if seed < 0:
            raise ValueError(f"seed must be >= 0 (-s and s give the same run), got {seed!r}")
        if not isinstance(delay, tuple) or len(delay) != 2:
            raise TypeError(f"delay must be a (low, high) tuple, got {delay!r}")
        low, high = (_number(d, "delay") for d in delay)
        if not 0 <= low <= high:
            raise ValueError(f"delay must be (low, high) with 0 <= low <= high, got {delay!r}")
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not crypto
        self.delay = (low, high)
        self.loss = _probability(loss, "loss")
        self.duplicate = _probability(duplicate, "duplicate")
        self.now = 0.0
        self.trace: list[TraceEvent] = []
        self._nodes: dict[str, Node] = {}
        self._up: set[str] = set()
        self._disks: dict[str, dict[str, object]] = {}
        self._timers: dict[str, dict[str, int]] = {}
        self._blocked: set[tuple[str, str]] = set()
        self._queue: list[_Event] = []
        self._seq = 0

    # -- nodes -------------------------------------------------------------

    def add(self, node: Node) -> None:
        """Add a node; its ``on_start`` runs at the current time, once :meth:`run` runs.

        Raises:
            TypeError: ``node.node_id`` is not a non-empty ``str``.
            ValueError: a node with that id exists.

        Complexity: O(log e).
        """
        node_id = getattr(node, "node_id", None)
        if not isinstance(node_id, str) or not node_id:
            raise TypeError(f"node_id must be a non-empty str, got {node_id!r}")
        if node_id in self._nodes:
            raise ValueError(f"node {node_id!r} already exists")
        self._nodes[node_id] = node
        self._up.add(node_id)
        self._disks[node_id] = {}
        self._timers[node_id] = {}

        def start() -> None:
            if node_id in self._up:
                self._record("start", node_id)
                node.on_start(self)

        self._push(self.now, start)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The node ids, in the order they were added."""
        return tuple(self._nodes)

    def node(self, node_id: str) -> Node:
        """Return the node object with this id (``KeyError`` if none)."""
        return self._nodes[self._known(node_id)]

    def is_up(self, node_id: str) -> bool:
        """Whether the node is running (not crashed)."""
        return self._known(node_id) in self._up

    def disk(self, node_id: str) -> dict[str, object]:
        """The node's durable storage: a dict that survives its crashes and restarts."""
        return self._disks[self._known(node_id)]

    def crash(self, node_id: str) -> None:
        """Crash a node now: its timers are cancelled and ``on_crash()`` is called.

        A message to it is dropped if it is still down when the message
        arrives; one that arrives after a :meth:`restart` is delivered to the
        new incarnation, as a datagram would be. Crashing a node that is down
        does nothing.

        Complexity: O(1) plus the callback.
        """
        if self._known(node_id) not in self._up:
            return
        self._up.discard(node_id)
        self._timers[node_id].clear()
        self._record("crash", node_id)
        self._nodes[node_id].on_crash()

    def restart(self, node_id: str) -> None:
        """Restart a crashed node now: ``on_start(sim)`` runs again. A running node is left alone.

        Complexity: O(1) plus the callback.
        """
        if self._known(node_id) in self._up:
            return
        self._up.add(node_id)
        self._record("restart", node_id)
        self._nodes[node_id].on_start(self)

    # -- the network -------------------------------------------------------

    def send(self, src: str, dst: str, msg: object) -> None:
        """Put ``msg`` on the wire from ``src`` to ``dst``: delayed, maybe lost or duplicated.

        Raises:
            KeyError: an unknown node.
            RuntimeError: ``src`` is down (a crashed node cannot send).

        Complexity: O(log e).

        >>> sim = Simulator(seed=0)
        >>> sim.add(BaseNode("a"))
        >>> sim.send("a", "z", "hi")
        Traceback (most recent call last):
        KeyError: "no node 'z'"
        """
        self._known(dst)
        if self._known(src) not in self._up:
            raise RuntimeError(f"node {src!r} is down and cannot send")
        if self.rng.random() < self.loss:
            self._record("drop", dst, src, f"{msg!r} (lost)")
            return
        copies = 2 if self.rng.random() < self.duplicate else 1
        for _ in range(copies):
            arrival = self.now + self.rng.uniform(*self.delay)
            self._push(arrival, lambda: self._deliver(src, dst, msg))

    def _deliver(self, src: str, dst: str, msg: object) -> None:
        if dst not in self._up:
            self._record("drop", dst, src, f"{msg!r} (destination down)")
        elif not self.reachable(src, dst):
            self._record("drop", dst, src, f"{msg!r} (partitioned)")
        else:
            self._record("deliver", dst, src, repr(msg))
            self._nodes[dst].on_message(self, src, msg)

    def partition(self, *groups: Iterable[str]) -> None:
        """Cut every link between different groups; nodes named in no group form one more group.

        Replaces any earlier partition or cut. ``partition({"a"})`` isolates
        ``a`` from everyone else. The cut is computed over the nodes that
        exist now: a node added later is on no side and reaches everyone
        until the next ``partition`` (Part III's Raft adds servers this way).

        Raises:
            KeyError: an unknown node.
            TypeError: a group that is a ``str`` (a set of ids is meant).
            ValueError: a node named in two groups.

        Complexity: O(n²) for n nodes.

        >>> sim = Simulator(seed=0)
        >>> for n in "abc":
        ...     sim.add(BaseNode(n))
        >>> sim.partition({"a"})
        >>> sim.reachable("b", "c"), sim.reachable("a", "b"), sim.reachable("b", "a")
        (True, False, False)
        """
        side: dict[str, int] = {}
        for number, group in enumerate(groups):
            if isinstance(group, str):
                raise TypeError(f"a group must be a set of node ids, not the str {group!r}")
            for node_id in group:
                if self._known(node_id) in side:
                    raise ValueError(f"node {node_id!r} is in two groups")
                side[node_id] = number
        self._blocked = {
            (a, b) for a in self._nodes for b in self._nodes if side.get(a, -1) != side.get(b, -1)
        }

    def cut(self, src: str, dst: str) -> None:
        """Cut the one-way link from ``src`` to ``dst`` (an asymmetric fault)."""
        self._blocked.add((self._known(src), self._known(dst)))

    def heal(self) -> None:
        """Restore every link."""
        self._blocked.clear()

    def reachable(self, src: str, dst: str) -> bool:
        """Whether a message from ``src`` to ``dst`` gets through now (always to itself)."""
        return src == dst or (self._known(src), self._known(dst)) not in self._blocked

    # -- timers and scheduled actions -----------------------------------------

    def set_timer(self, node_id: str, name: str, delay: float) -> None:
        """Fire ``on_timer(sim, name)`` at ``node_id`` after ``delay``, replacing a timer ``name``.

        Raises:
            KeyError: an unknown node.
            RuntimeError: the node is down.
            TypeError: a name that is not a ``str``.
            ValueError: a negative, NaN or infinite delay.

        Complexity: O(log e).
        """
        if not isinstance(name, str):
            raise TypeError(f"timer name must be a str, got {name!r}")
        delay = _number(delay, "timer delay")
        if delay < 0:
            raise ValueError(f"timer delay must not be negative, got {delay!r}")
        if self._known(node_id) not in self._up:
            raise RuntimeError(f"node {node_id!r} is down and cannot set a timer")
        self._seq += 1
        token = self._seq
        self._timers[node_id][name] = token

        def fire() -> None:
            if self._timers[node_id].get(name) == token:
                del self._timers[node_id][name]
                self._record("timer", node_id, None, name)
                self._nodes[node_id].on_timer(self, name)

        self._push(self.now + delay, fire)

    def cancel_timer(self, node_id: str, name: str) -> None:
        """Cancel the node's timer ``name``; cancelling a timer that is not set does nothing."""
        self._timers[self._known(node_id)].pop(name, None)

    def at(self, time: float, action: Callable[[Simulator], None]) -> None:
        """Run ``action(sim)`` at virtual ``time`` (a fault schedule: crash, partition, heal...).

        Raises:
            ValueError: ``time`` is in the past, NaN or infinite.
            TypeError: ``action`` is not callable.

        Complexity: O(log e).

        >>> sim = Simulator(seed=0)
        >>> sim.add(BaseNode("a"))
        >>> sim.at(10, lambda s: s.crash("a"))
        >>> sim.run(), sim.now, sim.is_up("a")
        (2, 10.0, False)
        """
        if not callable(action):
            raise TypeError(f"action must be callable, got {action!r}")
        time = _number(time, "time")
        if time < self.now:
            raise ValueError(f"time must not be in the past (now {self.now}), got {time!r}")
        self._push(time, lambda: action(self))

    # -- running ---------------------------------------------------------------

    def step(self) -> bool:
        """Process the next event; return ``False`` if there was none.

        Complexity: O(log e) plus the callback.
        """
        if not self._queue:
            return False
        event = heapq.heappop(self._queue)
        self.now = event.time
        event.action()
        return True

    def run(
        self,
        until: float | None = None,
        *,
        stop: Callable[[Simulator], bool] | None = None,
        max_events: int = 1_000_000,
    ) -> int:
        """Process events in time order; return how many ran.

        Args:
            until: stop before the first event later than this virtual time and
                set ``now`` to it; ``None`` runs until no event is left.
            stop: checked after every event; the run ends when it returns true
                (a place to assert invariants after every step, too).
            max_events: a bound on the run, against protocols that never go quiet.

        Raises:
            RuntimeError: more than ``max_events`` events.
            ValueError: ``until`` in the past or NaN, ``max_events`` not a positive int.

        Complexity: O(k log e) for k events, plus the callbacks.
        """
        if isinstance(max_events, bool) or not isinstance(max_events, int) or max_events < 1:
            raise ValueError(f"max_events must be a positive int, got {max_events!r}")
        if until is not None:
            until = _number(until, "until", allow_inf=True)
            if until < self.now:
                raise ValueError(f"until must not be in the past (now {self.now}), got {until!r}")
        count = 0
        while self._queue and (until is None or self._queue[0].time <= until):
            if count == max_events:
                raise RuntimeError(f"more than {max_events} events (seed {self.seed})")
            self.step()
            count += 1
            if stop is not None and stop(self):
                return count
        if until is not None and math.isfinite(until):
            self.now = until
        return count

    # -- helpers -------------------------------------------------------------

    def _push(self, time: float, action: Callable[[], None]) -> None:
        self._seq += 1
        heapq.heappush(self._queue, _Event(time, self._seq, action))

    def _record(self, kind: str, node: str, src: str | None = None, what: str = "") -> None:
        self.trace.append(TraceEvent(self.now, kind, node, src, what))

    def _known(self, node_id: str) -> str:
        if node_id not in self._nodes:
            raise KeyError(f"no node {node_id!r}")
        return node_id


def _number(value: object, what: str, *, allow_inf: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range, such as 10**400
        raise ValueError(f"{what} must be finite, got an int too large for a float") from None
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return number


def _probability(value: object, what: str) -> float:
    p = _number(value, what)
    if not 0 <= p <= 1:
        raise ValueError(f"{what} must be a probability in [0, 1], got {value!r}")
    return p


def run_schedules(count: int, check: Callable[[int], object], *, first_seed: int = 0) -> int:
    """Run ``check(seed)`` for ``count`` consecutive seeds; name the first seed that fails.

    ``check`` builds a simulator from the seed, runs a fault schedule and
    asserts; any exception it raises is re-raised as an ``AssertionError``
    whose message names the seed, so ``check(seed)`` replays the failure.

    Returns:
        ``count``, the number of schedules that passed.

    Raises:
        AssertionError: a check failed; the message names its seed.
        TypeError, ValueError: ``count`` is not a positive ``int``, or
            ``first_seed`` is negative.

    Complexity: ``count`` runs of ``check``.

    >>> def check(seed):
    ...     assert seed != 3, "three is unlucky"
    >>> run_schedules(3, check)
    3
    >>> run_schedules(5, check)
    Traceback (most recent call last):
    AssertionError: seed 3 failed: AssertionError: three is unlucky (replay with check(3))
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"count must be an int, got {type(count).__name__}: {count!r}")
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count!r}")
    if isinstance(first_seed, bool) or not isinstance(first_seed, int):
        raise TypeError(f"first_seed must be an int, got {first_seed!r}")
    if first_seed < 0:
        raise ValueError(f"first_seed must be >= 0, got {first_seed!r}")
    for seed in range(first_seed, first_seed + count):
        try:
            check(seed)
        except Exception as exc:
            raise AssertionError(
                f"seed {seed} failed: {type(exc).__name__}: {exc} (replay with check({seed}))"
            ) from exc
    return count
