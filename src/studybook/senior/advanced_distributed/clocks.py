"""Logical time: Lamport clocks, vector clocks and hybrid logical clocks.

Lamport (CACM 1978) defines *happened-before* (→): ``a → b`` if ``a`` comes
before ``b`` on one process, or ``a`` sends a message that ``b`` receives, or
by transitivity. Two events neither of which happened before the other are
*concurrent*. The three clocks trade size for what they can tell:

- a **Lamport clock** is one integer: ``a → b`` implies ``L(a) < L(b)``, but
  not the converse, so it cannot detect concurrency;
- a **vector clock** (Fidge 1988, Mattern 1989) holds one counter per
  process: ``a → b`` if and only if ``V(a) < V(b)``, so concurrency is
  detected exactly, at O(processes) space;
- a **hybrid logical clock** (Kulkarni, Demirbas et al. 2014) is a pair
  ``(l, c)``: ``l`` is the largest physical time heard of, ``c`` a counter
  for events that share it. ``a → b`` implies ``(l, c)(a) < (l, c)(b)``, and
  ``l`` never runs more than the clock skew ε ahead of the local physical
  clock, so the timestamp reads as wall-clock time.

>>> a, b = VectorClock().increment("a"), VectorClock().increment("b")
>>> a.compare(b), a.compare(a.merge(b).increment("b"))
('concurrent', 'before')
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from studybook._validate import check_callable, check_int, check_str

__all__ = [
    "HLCRun",
    "HLCTimestamp",
    "HybridLogicalClock",
    "LamportClock",
    "Ordering",
    "VectorClock",
    "simulate_hlc",
]

Ordering = Literal["before", "after", "equal", "concurrent"]


class LamportClock:
    """A Lamport clock: one counter, bumped on every event and on every receive.

    >>> p, q = LamportClock(), LamportClock()
    >>> sent = p.tick()
    >>> q.tick(), q.tick(), q.receive(sent), p.time
    (1, 2, 3, 1)
    >>> q.receive(-1)
    Traceback (most recent call last):
        ...
    ValueError: remote time must be >= 0, got -1
    """

    def __init__(self) -> None:
        self.time = 0

    def tick(self) -> int:
        """A local or send event: advance the clock and return the event's time.

        Complexity: O(1).
        """
        self.time += 1
        return self.time

    def receive(self, remote: int) -> int:
        """A receive event of a message stamped ``remote``: ``max(local, remote) + 1``.

        Raises:
            TypeError: ``remote`` is not an int.
            ValueError: ``remote`` is negative.

        Complexity: O(1).
        """
        check_int(remote, "remote time", minimum=0)
        self.time = max(self.time, remote) + 1
        return self.time


class VectorClock:
    """An immutable vector clock: process name to the count of its events seen.

    Missing entries are zero, and zeros are dropped, so two clocks that mean
    the same thing compare equal. Every operation returns a new clock.

    Args:
        entries: the initial counters, each an int >= 0.

    Raises:
        TypeError: a name that is not a str, or a count that is not an int.
        ValueError: an empty name or a negative count.

    >>> VectorClock({"a": 2, "b": 0})
    VectorClock({'a': 2})
    >>> VectorClock({"a": -1})
    Traceback (most recent call last):
        ...
    ValueError: count of 'a' must be >= 0, got -1
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: Mapping[str, int] | None = None) -> None:
        if entries is None:
            entries = {}
        if not isinstance(entries, Mapping):
            raise TypeError(f"entries must be a mapping, got {type(entries).__name__}: {entries!r}")
        clean: dict[str, int] = {}
        for name, count in entries.items():
            check_str(name, "process name", nonempty=True)
            if check_int(count, f"count of {name!r}", minimum=0):
                clean[name] = count
        self._entries = dict(sorted(clean.items()))

    def __repr__(self) -> str:
        return f"VectorClock({self._entries!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VectorClock):
            return NotImplemented
        return self._entries == other._entries

    def __hash__(self) -> int:
        return hash(tuple(self._entries.items()))

    def __getitem__(self, name: str) -> int:
        return self._entries.get(name, 0)

    def as_dict(self) -> dict[str, int]:
        """The non-zero counters, sorted by process name (a copy)."""
        return dict(self._entries)

    def increment(self, name: str) -> VectorClock:
        """The clock after one more event on process ``name``.

        Raises:
            TypeError: ``name`` is not a str.
            ValueError: ``name`` is empty.

        Complexity: O(processes).
        """
        check_str(name, "process name", nonempty=True)
        entries = dict(self._entries)
        entries[name] = entries.get(name, 0) + 1
        return VectorClock(entries)

    def merge(self, other: VectorClock) -> VectorClock:
        """The pointwise maximum: what a receiver knows after reading ``other``'s stamp.

        A receive event is ``local.merge(stamp).increment(me)``.

        Raises:
            TypeError: ``other`` is not a :class:`VectorClock`.

        Complexity: O(processes).
        """
        _check_clock(other)
        names = self._entries.keys() | other._entries.keys()
        return VectorClock({n: max(self[n], other[n]) for n in names})

    def compare(self, other: VectorClock) -> Ordering:
        """How ``self`` relates to ``other`` under happened-before.

        ``"before"``: every counter ``<=`` and one ``<`` (self → other);
        ``"after"``: the mirror; ``"equal"``; otherwise ``"concurrent"``.

        Raises:
            TypeError: ``other`` is not a :class:`VectorClock`.

        Complexity: O(processes).

        >>> VectorClock({"a": 1}).compare(VectorClock({"a": 1, "b": 1}))
        'before'
        >>> VectorClock({"a": 2}).compare(VectorClock({"b": 1}))
        'concurrent'
        """
        _check_clock(other)
        names = self._entries.keys() | other._entries.keys()
        less = any(self[n] < other[n] for n in names)
        more = any(self[n] > other[n] for n in names)
        if less and more:
            return "concurrent"
        if less:
            return "before"
        if more:
            return "after"
        return "equal"

    def happened_before(self, other: VectorClock) -> bool:
        """``True`` if the event stamped ``self`` happened before the one stamped ``other``."""
        return self.compare(other) == "before"

    def concurrent(self, other: VectorClock) -> bool:
        """``True`` if neither event happened before the other (and they differ)."""
        return self.compare(other) == "concurrent"


def _check_clock(value: object) -> None:
    if not isinstance(value, VectorClock):
        raise TypeError(f"expected a VectorClock, got {type(value).__name__}: {value!r}")


class HLCTimestamp(NamedTuple):
    """A hybrid logical timestamp; tuples compare ``l`` first, then ``c``."""

    l: int  # noqa: E741 (the paper's name)
    c: int

    def pack(self) -> int:
        """The timestamp in one 64-bit integer: 48 bits of ``l``, 16 of ``c``.

        This is the layout Kulkarni et al. propose so that an HLC fits where an
        NTP timestamp did; integer order equals timestamp order.

        Raises:
            ValueError: ``l`` does not fit 48 bits or ``c`` 16 bits.

        >>> HLCTimestamp(5, 2).pack()
        327682
        >>> HLCTimestamp(5, 1 << 16).pack()
        Traceback (most recent call last):
            ...
        ValueError: c must be in [0, 65535], got 65536
        """
        check_int(self.l, "l", minimum=0, maximum=(1 << 48) - 1)
        check_int(self.c, "c", minimum=0, maximum=(1 << 16) - 1)
        return (self.l << 16) | self.c


class HybridLogicalClock:
    """A hybrid logical clock over an injected physical clock (Kulkarni et al. 2014).

    The physical clock returns integer ticks (milliseconds, say) and never
    goes backwards on one process; ``l`` is the largest physical time this
    process has heard of, and ``c`` orders events that share one ``l``.

    Args:
        clock: the physical clock, returning an int >= 0.

    Raises:
        TypeError: ``clock`` is not callable.

    >>> ticks = iter([10, 10, 11])
    >>> hlc = HybridLogicalClock(lambda: next(ticks))
    >>> hlc.now(), hlc.now(), hlc.update(HLCTimestamp(20, 3))
    (HLCTimestamp(l=10, c=0), HLCTimestamp(l=10, c=1), HLCTimestamp(l=20, c=4))
    """

    def __init__(self, clock: Callable[[], int]) -> None:
        check_callable(clock, "clock")
        self._clock = clock
        self.l = 0
        self.c = 0

    def _physical(self) -> int:
        return check_int(self._clock(), "physical time", minimum=0)

    def now(self) -> HLCTimestamp:
        """A local or send event: the paper's send rule.

        ``l`` becomes ``max(l, pt)``; ``c`` counts up if ``l`` did not move,
        else restarts at 0.

        Raises:
            TypeError: the physical clock returned something other than an int.
            ValueError: the physical clock returned a negative time.

        Complexity: O(1).
        """
        pt = self._physical()
        old = self.l
        self.l = max(old, pt)
        self.c = self.c + 1 if self.l == old else 0
        return HLCTimestamp(self.l, self.c)

    def update(self, remote: HLCTimestamp) -> HLCTimestamp:
        """A receive event of a message stamped ``remote``: the paper's receive rule.

        ``l`` becomes the largest of the local ``l``, the remote ``l`` and
        ``pt``; ``c`` continues whichever counters share that maximum, plus one,
        or restarts at 0 if physical time alone is the maximum.

        Raises:
            TypeError: ``remote`` is not an :class:`HLCTimestamp` of ints.
            ValueError: negative fields.

        Complexity: O(1).

        >>> HybridLogicalClock(lambda: 0).update((1, 2))
        Traceback (most recent call last):
            ...
        TypeError: remote must be an HLCTimestamp, got tuple: (1, 2)
        """
        if not isinstance(remote, HLCTimestamp):
            raise TypeError(
                f"remote must be an HLCTimestamp, got {type(remote).__name__}: {remote!r}"
            )
        check_int(remote.l, "remote l", minimum=0)
        check_int(remote.c, "remote c", minimum=0)
        pt = self._physical()
        old = self.l
        self.l = max(old, remote.l, pt)
        if self.l == old == remote.l:
            self.c = max(self.c, remote.c) + 1
        elif self.l == old:
            self.c += 1
        elif self.l == remote.l:
            self.c = remote.c + 1
        else:
            self.c = 0
        return HLCTimestamp(self.l, self.c)


@dataclass(frozen=True)
class HLCRun:
    """What :func:`simulate_hlc` observed over every event of every node.

    ``max_drift`` is the largest ``l - pt`` seen, ``min_drift`` the smallest
    (never below 0, since ``l >= pt``), ``max_c`` the largest counter, and
    ``causality_violations`` the receives whose stamp was not above the
    sender's.
    """

    events: int
    messages: int
    max_drift: int
    min_drift: int
    max_c: int
    causality_violations: int


def simulate_hlc(*, nodes: int, epsilon: int, steps: int, seed: int) -> HLCRun:
    """Run ``nodes`` hybrid logical clocks whose physical clocks differ by at most ``epsilon``.

    True time advances one tick per step. Each node's physical clock reads
    ``true time + offset``, its offset drawn once in ``[0, epsilon]`` (the
    first node's is 0 and the last's ``epsilon``, so the full skew occurs):
    any two clocks are within ``epsilon``, and each advances one tick between
    two events of its node, as the paper assumes. Each step every node
    does at most one event: a send to a random peer (delivered after a random
    delay of up to 3 ticks), a receive of a waiting message, or nothing.

    Raises:
        TypeError: an argument is not an int.
        ValueError: ``nodes`` < 2, ``epsilon`` < 0, ``steps`` < 0.

    Complexity: O(nodes * steps).

    >>> run = simulate_hlc(nodes=3, epsilon=4, steps=300, seed=1)
    >>> 0 <= run.min_drift <= run.max_drift <= 4, run.max_c <= 3 * (4 + 1)
    (True, True)
    """
    check_int(nodes, "nodes", minimum=2, maximum=10_000)
    check_int(epsilon, "epsilon", minimum=0)
    check_int(steps, "steps", minimum=0, maximum=10_000_000)
    check_int(seed, "seed")
    rng = random.Random(seed)  # noqa: S311 (a seeded simulation, not cryptography)
    offsets = [0, *(rng.randint(0, epsilon) for _ in range(nodes - 2)), epsilon]
    pt = list(offsets)
    clocks = [HybridLogicalClock(lambda i=i: pt[i]) for i in range(nodes)]  # type: ignore[misc]
    inbox: list[list[tuple[int, HLCTimestamp]]] = [[] for _ in range(nodes)]
    events = messages = max_c = violations = 0
    max_drift, min_drift = 0, epsilon
    for now in range(1, steps + 1):
        for i in range(nodes):
            pt[i] = now + offsets[i]
            due = [m for m in inbox[i] if m[0] <= now]
            action = rng.random()
            if due and action < 0.5:
                inbox[i].remove(due[0])
                sent = due[0][1]
                stamp = clocks[i].update(sent)
                violations += stamp <= sent
            elif action < 0.8:
                stamp = clocks[i].now()
                peer = rng.choice([j for j in range(nodes) if j != i])
                inbox[peer].append((now + rng.randint(1, 3), stamp))
                messages += 1
            else:
                continue
            events += 1
            drift = stamp.l - pt[i]
            max_drift, min_drift = max(max_drift, drift), min(min_drift, drift)
            max_c = max(max_c, stamp.c)
    return HLCRun(events, messages, max_drift, min_drift, max_c, violations)
