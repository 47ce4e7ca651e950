"""Replication lag: a leader with asynchronous followers, the anomalies it causes, and their fixes.

With asynchronous replication the leader acknowledges a write before any
follower has it; each follower applies the leader's log some time later (its
*lag*). Reads spread over followers then see the past. Two anomalies of
Kleppmann's DDIA chapter 5 (after Terry et al.'s session guarantees, 1994):

* **read-your-writes** is violated when a user writes and then reads from a
  follower that has not applied the write yet: their own update "vanished";
* **monotonic reads** is violated when a user reads from a fresh follower,
  then from a staler one: time went backwards.

The model: one leader and followers ``f1, f2, ...`` with fixed lags; log
entry ``j`` (1-based, its *LSN*) written at time ``t`` is applied on follower
``i`` at ``t + lag_i``. A :class:`Session` routes each read by a ``policy``:

============== ================================================ ===== =====
policy         where a read goes                                RYW   MR
============== ================================================ ===== =====
any            followers in turn (load spread, no guarantee)    no    no
leader-own     the leader for keys this session wrote           yes   no
write-lsn      a follower that has applied the session's last    yes   no
               write (the "remember a timestamp" fix), else
               the leader
sticky         always the same follower, chosen by hashing the  no    yes
               user (DDIA: "each user always reads from the
               same replica")
============== ================================================ ===== =====

Invariant: a follower's applied prefix only grows with time, so a session
that reads one follower never sees time go backwards.

Complexity: a write is O(1) amortised; a read O(log w) for w writes (binary
search of the applied prefix) plus O(w) to find the key's latest entry.

>>> store = ReplicatedStore(lags=[5.0])
>>> me = Session(store, "me", policy="any")
>>> me.write("bio", "new", at=0.0)
>>> print(me.read("bio", at=1.0))  # f1 is 5 time units behind: my write is missing
None
>>> me.violations()
(1, 0)

Primary sources: D. Terry et al., "Session Guarantees for Weakly Consistent
Replicated Data", PDIS 1994; M. Kleppmann, *Designing Data-Intensive
Applications*, 2017, chapter 5, "Problems with Replication Lag".
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from studybook.distributed.replication_partitioning.partitioner import stable_hash

__all__ = ["POLICIES", "AnomalyCounts", "ReplicatedStore", "Session", "count_anomalies"]

POLICIES = ("any", "leader-own", "write-lsn", "sticky")
"""The read-routing policies a :class:`Session` accepts."""

LEADER = "leader"


class ReplicatedStore:
    """A leader and asynchronous followers ``f1..fk`` with fixed replication lags.

    Args:
        lags: each follower's lag, finite and ``>= 0`` (at least one follower).

    Raises:
        TypeError: ``lags`` not a list or tuple, or a lag that is not a number.
        ValueError: no followers, a negative, NaN or infinite lag.

    Complexity: O(k) to create.

    >>> ReplicatedStore(lags=[1.0, 3.0]).replicas
    ('leader', 'f1', 'f2')
    >>> ReplicatedStore(lags=[-1.0])
    Traceback (most recent call last):
    ValueError: lags must be finite and >= 0, got -1.0
    """

    def __init__(self, lags: Sequence[float]) -> None:
        if not isinstance(lags, list | tuple):
            raise TypeError(f"lags must be a list or tuple of numbers, got {lags!r}")
        if not lags:
            raise ValueError(f"need at least one follower lag, got {lags!r}")
        for lag in lags:
            if isinstance(lag, bool) or not isinstance(lag, int | float):
                raise TypeError(f"a lag must be a number, got {type(lag).__name__}: {lag!r}")
            if not math.isfinite(lag) or lag < 0:
                raise ValueError(f"lags must be finite and >= 0, got {lag!r}")
        self.lags = {f"f{i + 1}": float(lag) for i, lag in enumerate(lags)}
        self._times: list[float] = []
        self._entries: list[tuple[str, str]] = []

    @property
    def replicas(self) -> tuple[str, ...]:
        """The leader, then the followers."""
        return (LEADER, *self.lags)

    @property
    def followers(self) -> tuple[str, ...]:
        """The followers, in order."""
        return tuple(self.lags)

    def write(self, key: str, value: str, at: float) -> int:
        """Append ``key = value`` to the leader's log at time ``at``; return its LSN (1-based).

        Raises:
            ValueError: ``at`` is earlier than the previous write, NaN or infinite.
            TypeError: ``key`` or ``value`` is not a ``str``.

        >>> s = ReplicatedStore([1.0]); s.write("k", "v", at=2.0)
        1
        >>> s.write("k", "w", at=1.0)
        Traceback (most recent call last):
        ValueError: writes must come in time order (last at 2.0), got at=1.0
        """
        for name, item in (("key", key), ("value", value)):
            if not isinstance(item, str):
                raise TypeError(f"{name} must be a str, got {type(item).__name__}: {item!r}")
        at = _time(at)
        if self._times and at < self._times[-1]:
            raise ValueError(
                f"writes must come in time order (last at {self._times[-1]}), got at={at!r}"
            )
        self._times.append(at)
        self._entries.append((key, value))
        return len(self._entries)

    def applied(self, replica: str, at: float) -> int:
        """Return how many log entries ``replica`` has applied at time ``at`` (its LSN).

        Raises:
            KeyError: an unknown replica.
        """
        at = _time(at)
        if replica == LEADER:
            return bisect.bisect_right(self._times, at)
        if replica not in self.lags:
            raise KeyError(f"no replica {replica!r}")
        return bisect.bisect_right(self._times, at - self.lags[replica])

    def read(self, key: str, replica: str, at: float) -> tuple[str | None, int]:
        """Return ``(value, lsn)``: the key's value on ``replica`` at ``at`` and its LSN.

        ``lsn`` is 0 and the value ``None`` if the replica has no write of the key yet.

        >>> s = ReplicatedStore([2.0]); s.write("k", "v", at=0.0)
        1
        >>> s.read("k", "f1", at=1.0), s.read("k", "f1", at=2.0)
        ((None, 0), ('v', 1))
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
        upto = self.applied(replica, at)
        for lsn in range(upto, 0, -1):
            if self._entries[lsn - 1][0] == key:
                return self._entries[lsn - 1][1], lsn
        return None, 0


@dataclass(frozen=True)
class AnomalyCounts:
    """How many reads broke each session guarantee."""

    reads: int
    read_your_writes: int
    monotonic_reads: int


class Session:
    """One user's reads and writes, routed by ``policy``, with the anomalies they saw.

    Args:
        store: the replicated store.
        user: the user's name (decides the sticky follower).
        policy: one of ``POLICIES``: ``any``, ``leader-own``, ``write-lsn``, ``sticky``.

    Raises:
        TypeError: ``store`` is not a :class:`ReplicatedStore`, ``user`` not a ``str``.
        ValueError: an unknown policy.

    >>> Session(ReplicatedStore([1.0]), "u", policy="nearest")
    Traceback (most recent call last):
    ValueError: policy must be one of ('any', 'leader-own', 'write-lsn', 'sticky'), got 'nearest'
    """

    def __init__(self, store: ReplicatedStore, user: str, *, policy: str) -> None:
        if not isinstance(store, ReplicatedStore):
            raise TypeError(f"store must be a ReplicatedStore, got {type(store).__name__}")
        if not isinstance(user, str):
            raise TypeError(f"user must be a str, got {type(user).__name__}: {user!r}")
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
        self.store = store
        self.user = user
        self.policy = policy
        self._turn = 0
        self._last_write_lsn = 0
        self._written: dict[str, int] = {}  # key -> LSN of this session's latest write of it
        self._seen: dict[str, int] = {}  # key -> newest LSN this session has read for it
        self._ryw = self._mr = self._reads = 0
        self._last_at = -math.inf

    def write(self, key: str, value: str, at: float) -> None:
        """Write through the leader and remember the write's LSN."""
        self._advance(at)
        lsn = self.store.write(key, value, at)
        self._last_write_lsn = self._written[key] = lsn

    def read(self, key: str, at: float) -> str | None:
        """Read ``key`` from the replica the policy picks; count any anomaly it shows.

        Raises:
            ValueError: ``at`` is earlier than this session's previous operation
                (a clock stepping back would fake a monotonic-reads violation).
        """
        self._advance(at)
        replica = self._route(key, at)
        value, lsn = self.store.read(key, replica, at)
        self._reads += 1
        if lsn < self._written.get(key, 0):
            self._ryw += 1
        if lsn < self._seen.get(key, 0):
            self._mr += 1
        self._seen[key] = max(lsn, self._seen.get(key, 0))
        return value

    def _advance(self, at: float) -> None:
        at = _time(at)
        if at < self._last_at:
            raise ValueError(
                f"a session's operations must come in time order (last at {self._last_at}), "
                f"got at={at!r}"
            )
        self._last_at = at

    def _route(self, key: str, at: float) -> str:
        followers = self.store.followers
        if self.policy == "sticky":
            return followers[stable_hash(self.user) % len(followers)]
        if self.policy == "leader-own" and key in self._written:
            return LEADER
        for _ in followers:
            candidate = followers[self._turn % len(followers)]
            self._turn += 1
            if self.policy != "write-lsn":
                return candidate
            if self.store.applied(candidate, at) >= self._last_write_lsn:
                return candidate
        return LEADER

    def violations(self) -> tuple[int, int]:
        """Return ``(read-your-writes violations, monotonic-reads violations)`` so far."""
        return self._ryw, self._mr

    def counts(self) -> AnomalyCounts:
        """Return the reads made and the anomalies seen, as an :class:`AnomalyCounts`."""
        return AnomalyCounts(self._reads, self._ryw, self._mr)


def count_anomalies(
    policy: str,
    *,
    seed: int,
    operations: int = 400,
    users: int = 3,
    lags: Sequence[float] = (0.5, 2.0, 6.0),
) -> AnomalyCounts:
    """Run a seeded random workload (30% writes, 3 keys) and total the anomalies of every session.

    Operations come one per 0.5 time units on average; each picks a random
    user and key, so a user often reads a key soon after writing it.

    Raises:
        ValueError: an unknown policy, ``operations`` or ``users`` below 1.
        TypeError: ``seed``, ``operations`` or ``users`` not an ``int``.

    Complexity: O(operations²) in the worst case (reads scan the log).

    >>> count_anomalies("sticky", seed=1).monotonic_reads
    0
    >>> count_anomalies("any", seed=1, users=0)
    Traceback (most recent call last):
    ValueError: users must be >= 1, got 0
    """
    for name, number in (("seed", seed), ("operations", operations), ("users", users)):
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"{name} must be an int, got {type(number).__name__}: {number!r}")
        if number < (0 if name == "seed" else 1):
            raise ValueError(f"{name} must be >= {0 if name == 'seed' else 1}, got {number!r}")
    store = ReplicatedStore(list(lags))
    sessions = [Session(store, f"user{u}", policy=policy) for u in range(users)]
    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not crypto
    now = 0.0
    for op in range(operations):
        now += rng.uniform(0.0, 1.0)
        session = rng.choice(sessions)
        key = rng.choice(("a", "b", "c"))
        if rng.random() < 0.3:
            session.write(key, f"v{op}", at=now)
        else:
            session.read(key, at=now)
    totals = [s.counts() for s in sessions]
    return AnomalyCounts(
        sum(t.reads for t in totals),
        sum(t.read_your_writes for t in totals),
        sum(t.monotonic_reads for t in totals),
    )


def _time(at: object) -> float:
    if isinstance(at, bool) or not isinstance(at, int | float):
        raise TypeError(f"at must be a number, got {type(at).__name__}: {at!r}")
    if not math.isfinite(at):
        raise ValueError(f"at must be finite, got {at!r}")
    return float(at)
