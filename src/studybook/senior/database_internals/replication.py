"""Primary/replica log shipping, simulated deterministically on a tick clock.

The primary appends every write to its log and streams the records to each
replica over an ordered channel (as PostgreSQL's walsender streams WAL to a
standby's walreceiver); a replica applies them in LSN order. *Replica lag* is
how far a replica's applied LSN trails the primary's. With asynchronous
replication a write is acknowledged as soon as the primary has it, so a
failover to a lagging replica loses acknowledged writes; with ``synchronous=k``
the primary waits until ``k`` replicas have confirmed the record, which costs
a round trip per commit and loses nothing when one of those replicas is promoted.

=============  =========================  ==================================
operation      cost                       note
=============  =========================  ==================================
write          O(replicas)                plus waiting ticks if synchronous
tick           O(messages delivered)      FIFO per replica
fail_over      O(acknowledged writes)     promotes the most advanced replica
=============  =========================  ==================================

>>> sim = LogShipping(replicas=1, delay=(3, 3))
>>> sim.write("k", "v"), sim.lag(), sim.read(0, "k")
(1, [1], None)
>>> sim.tick(3); sim.lag(), sim.read(0, "k")
([0], 'v')

Primary source: PostgreSQL 15 documentation, chapter 27 "High
Availability, Load Balancing, and Replication" (27.2.5 streaming
replication, 27.2.8 synchronous replication).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = ["LagReport", "LogShipping", "simulate_lag"]


class LogShipping:
    """One primary streaming its log to replicas over delayed FIFO channels.

    Args:
        replicas: how many replicas (at least 1).
        synchronous: how many replica confirmations a write waits for
            (0 = asynchronous, up to ``replicas``).
        delay: ``(low, high)`` one-way message delay in ticks, drawn per
            message from a generator seeded with ``seed``.
        seed: the seed for the delays.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range.

    Complexity: O(replicas).
    """

    def __init__(
        self,
        replicas: int = 1,
        *,
        synchronous: int = 0,
        delay: tuple[int, int] = (1, 5),
        seed: int = 0,
    ) -> None:
        check_int(replicas, "replicas", minimum=1)
        check_int(synchronous, "synchronous", minimum=0, maximum=replicas)
        if not (isinstance(delay, tuple) and len(delay) == 2):
            raise TypeError(f"delay must be a (low, high) tuple, got {delay!r}")
        low = check_int(delay[0], "delay low", minimum=0)
        check_int(delay[1], "delay high", minimum=low)
        check_int(seed, "seed")
        self.synchronous = synchronous
        self._delay = delay
        self._rng = random.Random(seed)  # noqa: S311 (a seeded simulation, not cryptography)
        self.now = 0
        self._log: list[tuple[str, str]] = []  # record i has LSN i + 1
        self.acknowledged: list[int] = []
        self._data: list[dict[str, str]] = [{} for _ in range(replicas)]
        self._applied = [0] * replicas
        self._confirmed = [0] * replicas  # what the primary has heard back
        self._channels: list[deque[tuple[int, int]]] = [deque() for _ in range(replicas)]
        self._acks: list[deque[tuple[int, int]]] = [deque() for _ in range(replicas)]
        self.commit_waits: list[int] = []
        """Ticks each write waited for its acknowledgement."""

    def _arrival(self, channel: deque[tuple[int, int]]) -> int:
        arrival = self.now + self._rng.randint(*self._delay)
        return max(arrival, channel[-1][0]) if channel else arrival  # a stream keeps order

    def write(self, key: str, value: str) -> int:
        """Append ``key = value`` to the primary's log, ship it, and acknowledge it.

        In synchronous mode the clock advances until ``synchronous`` replicas
        have confirmed the record.

        Returns:
            the record's LSN.

        Raises:
            TypeError: ``key`` or ``value`` is not a str.

        Complexity: O(replicas), plus the ticks waited.

        >>> sim = LogShipping(replicas=2, synchronous=2, delay=(1, 1))
        >>> sim.write("k", "v"), sim.now, sim.lag()
        (1, 2, [0, 0])
        >>> sim.write(1, "v")
        Traceback (most recent call last):
            ...
        TypeError: key must be a str, got int: 1
        """
        check_str(key, "key")
        check_str(value, "value")
        self._log.append((key, value))
        lsn = len(self._log)
        for channel in self._channels:
            channel.append((self._arrival(channel), lsn))
        started = self.now
        while sum(c >= lsn for c in self._confirmed) < self.synchronous:
            self.tick()
        self.commit_waits.append(self.now - started)
        self.acknowledged.append(lsn)
        return lsn

    def tick(self, ticks: int = 1) -> None:
        """Advance the clock, delivering the records and confirmations that arrive.

        Raises:
            TypeError: ``ticks`` is not an int.
            ValueError: ``ticks`` is negative.

        Complexity: O(ticks + messages delivered).
        """
        check_int(ticks, "ticks", minimum=0)
        for _ in range(ticks):
            self.now += 1
            for i, channel in enumerate(self._channels):
                while channel and channel[0][0] <= self.now:
                    _, lsn = channel.popleft()
                    key, value = self._log[lsn - 1]
                    self._data[i][key] = value
                    self._applied[i] = lsn
                    self._acks[i].append((self._arrival(self._acks[i]), lsn))
                acks = self._acks[i]
                while acks and acks[0][0] <= self.now:
                    self._confirmed[i] = acks.popleft()[1]

    @property
    def primary_lsn(self) -> int:
        """The LSN of the last record the primary wrote."""
        return len(self._log)

    def lag(self) -> list[int]:
        """How many records each replica has yet to apply. Complexity: O(replicas)."""
        return [self.primary_lsn - applied for applied in self._applied]

    def read(self, replica: int, key: str) -> str | None:
        """Read ``key`` on a replica (``None`` if it has not arrived): a possibly stale read.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: ``replica`` is not a replica's index.

        Complexity: O(1).
        """
        check_int(replica, "replica", minimum=0, maximum=len(self._data) - 1)
        return self._data[replica].get(check_str(key, "key"))

    def fail_over(self) -> tuple[int, list[int]]:
        """The primary dies: promote the most advanced replica.

        Returns:
            the promoted replica's index, and the acknowledged LSNs it never
            received (lost writes).

        Complexity: O(acknowledged writes).

        >>> sim = LogShipping(replicas=2, synchronous=1, delay=(1, 4), seed=3)
        >>> for n in range(5):
        ...     _ = sim.write("k", str(n))
        >>> sim.fail_over()
        (1, [])
        """
        best = max(range(len(self._applied)), key=lambda i: (self._applied[i], -i))
        return best, [lsn for lsn in self.acknowledged if lsn > self._applied[best]]


@dataclass(frozen=True)
class LagReport:
    """What :func:`simulate_lag` measured.

    Attributes:
        max_lag: the most records any replica trailed by, sampled every tick.
        mean_lag: the mean of those samples.
        mean_commit_wait: mean ticks a write waited for its acknowledgement.
        lost_on_failover: acknowledged writes lost if the primary died at the end.
    """

    max_lag: int
    mean_lag: float
    mean_commit_wait: float
    lost_on_failover: int


def simulate_lag(
    writes: int,
    *,
    replicas: int = 2,
    synchronous: int = 0,
    delay: tuple[int, int] = (1, 5),
    seed: int = 0,
) -> LagReport:
    """Run ``writes`` writes, one per tick, then let the primary fail.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range.

    Complexity: O(writes x replicas) plus the waiting ticks.

    >>> simulate_lag(200, synchronous=0, seed=1)
    LagReport(max_lag=5, mean_lag=4.295, mean_commit_wait=0.0, lost_on_failover=3)
    >>> simulate_lag(200, synchronous=1, seed=1).lost_on_failover
    0
    """
    check_int(writes, "writes", minimum=1)
    sim = LogShipping(replicas, synchronous=synchronous, delay=delay, seed=seed)
    samples: list[int] = []
    for n in range(writes):
        sim.write(f"key{n % 10}", str(n))
        samples.append(max(sim.lag()))
        sim.tick()
    _, lost = sim.fail_over()
    return LagReport(
        max_lag=max(samples),
        mean_lag=sum(samples) / len(samples),
        mean_commit_wait=sum(sim.commit_waits) / len(sim.commit_waits),
        lost_on_failover=len(lost),
    )
