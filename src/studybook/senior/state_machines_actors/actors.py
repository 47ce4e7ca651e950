"""An actor system with mailboxes and a supervision tree, as Erlang/OTP and Akka define them.

An actor is private state plus a mailbox; the only way to touch the state is
to send a message, and the actor handles its messages one at a time, so its
code needs no locks. Actors that fail are not repaired in place: they crash,
and their supervisor restarts them from a known-good initial state ("let it
crash"). A supervisor follows a strategy:

- ``one_for_one``: restart only the child that failed;
- ``one_for_all``: restart every child of this supervisor (for children that
  are useless without each other).

and a restart limit, the *intensity* and *period* of Erlang's supervisor
flags: if more than ``intensity`` restarts happen within ``period`` seconds,
the supervisor stops all its children and fails itself, which **escalates** the
failure to its own supervisor. A child that fails again while being restarted
(its factory or ``pre_start`` raises) counts as one more crash. A root
supervisor that gives up stops the system (:class:`SupervisionError`). The
defaults, 1 restart in 5 seconds, are Erlang/OTP's (``supervisor`` module
documentation), and so is the window: a restart exactly ``period`` seconds old
still counts (OTP keeps every restart ``R`` with ``R >= Now - Period``).

This dispatcher is single-threaded and deterministic: :meth:`ActorSystem.run`
delivers one message at a time, round-robin over the actors whose mailbox is
not empty. A real runtime runs mailboxes on a thread pool, but the guarantee
that matters, one message at a time per actor, is the same.

>>> class Counter(Actor):
...     def __init__(self) -> None:
...         self.count = 0
...     def receive(self, message: object, ctx: Context) -> None:
...         if message == "boom":
...             raise RuntimeError("boom")
...         self.count += 1
>>> system = ActorSystem(clock=lambda: 0.0)
>>> root = system.supervisor("root")
>>> c = system.spawn("counter", Counter, supervisor=root)
>>> for m in ("tick", "tick", "boom", "tick"):
...     system.tell(c, m)
>>> system.run(), system.actor(c).count, system.log
(4, 1, ["counter failed on 'boom': RuntimeError('boom')", 'root restarts counter'])
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = [
    "STRATEGIES",
    "Actor",
    "ActorSystem",
    "Context",
    "Strategy",
    "SupervisionError",
]

Strategy = Literal["one_for_one", "one_for_all"]
STRATEGIES: tuple[Strategy, ...] = ("one_for_one", "one_for_all")


class SupervisionError(RuntimeError):
    """The root supervisor exceeded its restart intensity: the whole tree is stopped."""


class Actor:
    """Base class: override :meth:`receive` (and optionally :meth:`pre_start`)."""

    def pre_start(self, ctx: Context) -> None:
        """Called on every (re)start, before the first message."""

    def receive(self, message: object, ctx: Context) -> None:
        """Handle one message; raising an exception is a crash the supervisor handles."""
        raise NotImplementedError


@dataclass(frozen=True)
class Context:
    """What an actor may do while it handles a message: know its name, send messages."""

    system: ActorSystem
    name: str

    def tell(self, to: str, message: object) -> None:
        """Send ``message`` to the actor named ``to`` (fire and forget)."""
        self.system.tell(to, message)


@dataclass
class _Node:
    name: str
    parent: str | None
    factory: Callable[[], Actor] | None = None  # None for a supervisor
    instance: Actor | None = None
    alive: bool = True
    mailbox: deque[object] = field(default_factory=deque)
    children: list[str] = field(default_factory=list)
    strategy: Strategy = "one_for_one"
    intensity: int = 1
    period: float = 5.0
    restarts: list[float] = field(default_factory=list)


class ActorSystem:
    """Actors, their mailboxes, and the supervision tree over them.

    Args:
        clock: seconds, monotonic; the restart window is measured with it.

    Complexity: ``tell`` is O(1); each delivered message costs O(1) plus the
    handler; a restart costs O(size of the restarted subtree).
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        check_callable(clock, "clock")
        self._clock = clock
        self._nodes: dict[str, _Node] = {}
        self._ready: deque[str] = deque()
        self.log: list[str] = []
        """What the supervisors did, in order (failures, restarts, escalations)."""
        self.dead_letters: list[tuple[str, object]] = []
        """Messages sent to stopped actors, as (recipient, message)."""

    def supervisor(
        self,
        name: str,
        *,
        strategy: Strategy = "one_for_one",
        intensity: int = 1,
        period: float = 5.0,
        parent: str | None = None,
    ) -> str:
        """Create a supervisor (a root one if ``parent`` is None) and return its name.

        Args:
            name: unique among actors and supervisors.
            strategy: ``"one_for_one"`` or ``"one_for_all"``.
            intensity: restarts allowed within ``period``; one more escalates.
            period: the window, in seconds, in which restarts are counted.
            parent: the supervisor above this one, if any.

        Raises:
            TypeError: an argument of the wrong type.
            ValueError: a bad value, a duplicate name or an unknown parent.

        >>> ActorSystem().supervisor("s", strategy="rest_for_one")
        Traceback (most recent call last):
            ...
        ValueError: strategy must be one of ('one_for_one', 'one_for_all'), got 'rest_for_one'
        """
        self._check_new_name(name)
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
        check_int(intensity, "intensity", minimum=0)
        period = check_real(period, "period", positive=True)
        if parent is not None:
            self._supervisor_node(parent)
        node = _Node(name, parent, strategy=strategy, intensity=intensity, period=period)
        self._nodes[name] = node
        if parent is not None:
            self._nodes[parent].children.append(name)
        return name

    def spawn(self, name: str, factory: Callable[[], Actor], *, supervisor: str) -> str:
        """Start an actor under ``supervisor`` and return its name (its address).

        ``factory`` is called now and again on every restart: a restart gives a
        fresh instance, so state is rebuilt from a known-good start.

        Raises:
            TypeError: ``factory`` is not callable or does not return an :class:`Actor`.
            ValueError: a duplicate name or an unknown supervisor.
            Exception: whatever the factory or ``pre_start`` raised; the actor is
                then not added (as Erlang's ``start_child`` returns an error).
        """
        self._check_new_name(name)
        check_callable(factory, "factory")
        self._supervisor_node(supervisor)
        node = _Node(name, supervisor, factory=factory)
        self._start(node)  # a child that cannot start is not added (Erlang's start_child error)
        self._nodes[name] = node
        self._nodes[supervisor].children.append(name)
        return name

    def tell(self, to: str, message: object) -> None:
        """Put ``message`` in the mailbox of ``to``; a stopped actor's mail is a dead letter."""
        check_str(to, "to")
        node = self._nodes.get(to)
        if node is None or node.factory is None:
            raise ValueError(f"no actor named {to!r}")
        if not node.alive:
            self.dead_letters.append((to, message))
            return
        if not node.mailbox:
            self._ready.append(to)
        node.mailbox.append(message)

    def run(self, max_messages: int = 1_000_000) -> int:
        """Deliver messages until every mailbox is empty; return how many were handled.

        Raises:
            SupervisionError: a root supervisor exceeded its restart intensity.
            RuntimeError: more than ``max_messages`` deliveries (a message loop).
        """
        check_int(max_messages, "max_messages", minimum=1)
        handled = 0
        while self._ready:
            if handled >= max_messages:
                raise RuntimeError(f"more than {max_messages} messages: a message loop?")
            node = self._nodes[self._ready.popleft()]
            if not node.alive or not node.mailbox:
                continue
            message = node.mailbox.popleft()
            if node.mailbox:
                self._ready.append(node.name)
            handled += 1
            instance = node.instance
            if instance is None:  # cannot happen: a live actor always has an instance
                raise RuntimeError(f"live actor {node.name!r} has no instance")
            try:
                instance.receive(message, Context(self, node.name))
            except Exception as error:
                self.log.append(f"{node.name} failed on {message!r}: {error!r}")
                self._child_failed(node)
        return handled

    def actor(self, name: str) -> Actor:
        """The current instance of a live actor (for inspection in tests and demos)."""
        node = self._nodes.get(name)
        if node is None or node.instance is None or not node.alive:
            raise ValueError(f"no live actor named {name!r}")
        return node.instance

    def is_alive(self, name: str) -> bool:
        """Whether the actor or supervisor ``name`` is running."""
        node = self._nodes.get(name)
        if node is None:
            raise ValueError(f"no actor or supervisor named {name!r}")
        return node.alive

    # The supervision algorithm ------------------------------------------------

    def _child_failed(self, child: _Node) -> None:
        failed = deque([child])
        while failed:
            child = failed.popleft()
            if child.parent is None:  # cannot happen: only supervisors are roots
                raise RuntimeError(f"{child.name!r} has no supervisor")
            sup = self._nodes[child.parent]
            if not sup.alive:  # its supervisor already gave up: the whole subtree is handled
                continue
            now = self._clock()
            # OTP keeps the restarts at most `period` old (supervisor.erl: R >= Now - Period).
            sup.restarts = [t for t in sup.restarts if now - t <= sup.period]
            sup.restarts.append(now)
            if len(sup.restarts) > sup.intensity:
                self.log.append(
                    f"{sup.name} gives up: {len(sup.restarts)} restarts within {sup.period:g} s"
                )
                self._stop(sup)
                if sup.parent is None:
                    raise SupervisionError(
                        f"root supervisor {sup.name!r} exceeded {sup.intensity} restarts "
                        f"in {sup.period:g} s"
                    )
                failed.append(sup)  # escalate: to its parent, sup is a child that crashed
                continue
            targets = [child.name] if sup.strategy == "one_for_one" else list(sup.children)
            for name in targets:
                self.log.append(f"{sup.name} restarts {name}")
                failed.extend(self._restart(self._nodes[name]))  # a failed start is a crash too

    def _restart(self, node: _Node) -> list[_Node]:
        """Restart ``node`` (a subtree, for a supervisor); return the actors that did not start."""
        if node.factory is None:
            node.alive = True
            node.restarts = []
            failed: list[_Node] = []
            for name in node.children:
                failed.extend(self._restart(self._nodes[name]))
            return failed
        try:
            self._start(node)
        except Exception as error:
            node.alive, node.instance = False, None
            self.log.append(f"{node.name} failed to start: {error!r}")
            return [node]
        return []

    def _start(self, node: _Node) -> None:
        if node.factory is None:  # cannot happen: only actors are started
            raise RuntimeError(f"{node.name!r} is a supervisor, not an actor")
        instance = node.factory()
        if not isinstance(instance, Actor):
            raise TypeError(f"factory of {node.name!r} must return an Actor, got {instance!r}")
        node.instance = instance
        node.alive = True
        # Like Akka, the mailbox survives a restart (Erlang's new process starts empty);
        # the message that caused the crash has already been taken out of it.
        if node.mailbox and node.name not in self._ready:
            self._ready.append(node.name)
        instance.pre_start(Context(self, node.name))

    def _stop(self, node: _Node) -> None:
        node.alive = False
        node.instance = None if node.factory is not None else node.instance
        for name in node.children:
            self._stop(self._nodes[name])

    def _check_new_name(self, name: str) -> None:
        check_str(name, "name", nonempty=True)
        if name in self._nodes:
            raise ValueError(f"name already taken, got {name!r}")

    def _supervisor_node(self, name: str) -> _Node:
        node = self._nodes.get(name)
        if node is None or node.factory is not None:
            raise ValueError(f"no supervisor named {name!r}")
        return node
