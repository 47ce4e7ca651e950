"""One Kafka-style partition: a leader, followers, the ISR and the high watermark.

The model runs on a deterministic tick clock with crashes and stalls injected
by the caller, so every scenario replays exactly:

- every write goes to the **leader**, which appends it to its log;
- followers **fetch** from the leader (:meth:`ReplicatedPartition.replicate`);
  a follower that has not caught up with the leader's log end for more than
  ``replica_lag_max`` ticks is dropped from the **ISR** (in-sync replicas), and
  rejoins once it catches up;
- the **high watermark** is the smallest log end offset in the ISR: records
  below it are *committed* (on every in-sync replica) and visible to consumers.
  Since Kafka 3.7 (KAFKA-15583, the "strict min ISR" rule) it advances only
  while the ISR has at least ``min_insync_replicas`` members
  (``strict_min_isr=True``, the default here); ``strict_min_isr=False`` is the
  older rule;
- ``acks=1`` acknowledges a write once the leader has it; ``acks="all"``
  acknowledges it once it is committed, and is refused up front while the ISR
  is smaller than ``min_insync_replicas``;
- when the leader crashes, a live ISR member takes over (a *clean* election).
  If none is alive, the partition goes **offline**, unless
  ``unclean_leader_election`` lets an out-of-sync replica lead: its log becomes
  the truth, and whatever it lacked is gone, acknowledged or not.

:attr:`ReplicatedPartition.lost` measures the damage: acknowledged records
that are no longer in the leader's log.

Simplifications, said once: a follower fetches everything up to the leader's
log end in one step and learns the high watermark at once (real Kafka needs a
second fetch for that, the gap that KIP-101's leader epochs close); a crashed
broker leaves the ISR at once (in KRaft the controller fences it after
``broker.session.timeout.ms``); truncation on rejoin is to the longest prefix
shared with the leader, which is what the leader-epoch check achieves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_int

__all__ = [
    "Acks",
    "DurabilityRow",
    "NotEnoughReplicasError",
    "PartitionOfflineError",
    "ProduceResult",
    "Record",
    "ReplicatedPartition",
    "durability_table",
]

Acks = Literal[1, "all"]


class NotEnoughReplicasError(RuntimeError):
    """``acks="all"`` refused: the ISR is smaller than ``min_insync_replicas``."""


class PartitionOfflineError(RuntimeError):
    """No leader: every in-sync replica is down and unclean election is off."""


@dataclass(frozen=True)
class Record:
    """One log entry; ``epoch`` is the leader epoch that wrote it (it makes entries unique)."""

    epoch: int
    value: str


@dataclass(frozen=True)
class ProduceResult:
    """Where a write landed and whether the producer has been told it succeeded yet."""

    offset: int
    acknowledged: bool


class ReplicatedPartition:
    """A partition on ``replicas`` brokers (ids ``0 .. replicas-1``; broker 0 leads first).

    Args:
        replicas: the replication factor, 1 to 16.
        min_insync_replicas: the ISR size ``acks="all"`` needs (Kafka's default is 1).
        unclean_leader_election: let an out-of-sync replica lead (Kafka's default is off).
        replica_lag_max: ticks a follower may stay behind before it leaves the ISR.
        strict_min_isr: the high watermark stands still while the ISR is smaller
            than ``min_insync_replicas`` (Kafka 3.7 and later); ``False`` lets it
            advance anyway, as before 3.7.

    Raises:
        TypeError, ValueError: an argument of the wrong type or out of range.

    Complexity: produce O(replicas); replicate O(replicas + records copied).

    >>> p = ReplicatedPartition(3, min_insync_replicas=2)
    >>> p.produce("a", acks="all"), p.high_watermark
    (ProduceResult(offset=0, acknowledged=False), 0)
    >>> p.replicate(); p.high_watermark, p.committed()
    (1, ['a'])
    >>> ReplicatedPartition(3, min_insync_replicas=4)
    Traceback (most recent call last):
        ...
    ValueError: min_insync_replicas must be in [1, 3], got 4
    """

    def __init__(
        self,
        replicas: int = 3,
        *,
        min_insync_replicas: int = 1,
        unclean_leader_election: bool = False,
        replica_lag_max: int = 3,
        strict_min_isr: bool = True,
    ) -> None:
        check_int(replicas, "replicas", minimum=1, maximum=16)
        self.min_insync_replicas = check_int(
            min_insync_replicas, "min_insync_replicas", minimum=1, maximum=replicas
        )
        if not isinstance(unclean_leader_election, bool):
            raise TypeError(
                f"unclean_leader_election must be a bool, got {unclean_leader_election!r}"
            )
        self.unclean_leader_election = unclean_leader_election
        if not isinstance(strict_min_isr, bool):
            raise TypeError(f"strict_min_isr must be a bool, got {strict_min_isr!r}")
        self.strict_min_isr = strict_min_isr
        self.replica_lag_max = check_int(replica_lag_max, "replica_lag_max", minimum=1)
        self.logs: list[list[Record]] = [[] for _ in range(replicas)]
        self.alive = [True] * replicas
        self.stalled = [False] * replicas
        self.leader: int | None = 0
        self.epoch = 0
        self.isr: set[int] = set(range(replicas))
        self.high_watermark = 0
        self.now = 0
        self.unclean_elections = 0
        self.failed_after_append = 0
        self._caught_up_at = [0] * replicas
        self._pending: dict[int, Record] = {}  # acks=all writes not yet committed
        self._acked: list[tuple[int, Record]] = []

    # -- the producer's side ------------------------------------------------------

    def produce(self, value: str, *, acks: Acks = "all") -> ProduceResult:
        """Append ``value`` at the leader; ack now (``acks=1``) or once committed (``"all"``).

        If the ISR shrinks below ``min_insync_replicas`` after the append, the
        write waits uncommitted under the strict rule; without it, the write is
        committed but answered with an error, counted in ``failed_after_append``.

        Raises:
            PartitionOfflineError: no leader.
            NotEnoughReplicasError: ``acks="all"`` with ``len(isr) < min_insync_replicas``.
            TypeError: ``value`` not a str.
            ValueError: ``acks`` not 1 or ``"all"``.
        """
        if not isinstance(value, str):
            raise TypeError(f"value must be a str, got {type(value).__name__}: {value!r}")
        if acks != "all" and (acks != 1 or isinstance(acks, bool)):
            raise ValueError(f"acks must be 1 or 'all', got {acks!r}")
        if self.leader is None:
            raise PartitionOfflineError(
                f"partition offline: no live in-sync replica among {sorted(self.isr)}"
            )
        if acks == "all" and len(self.isr) < self.min_insync_replicas:
            raise NotEnoughReplicasError(
                f"ISR {sorted(self.isr)} is smaller than "
                f"min_insync_replicas={self.min_insync_replicas}"
            )
        log = self.logs[self.leader]
        record = Record(self.epoch, value)
        log.append(record)
        offset = len(log) - 1
        if acks == 1:
            self._acked.append((offset, record))
        else:
            self._pending[offset] = record
        self._advance_high_watermark()
        return ProduceResult(offset, acks == 1 or offset < self.high_watermark)

    # -- replication ----------------------------------------------------------------

    def replicate(self) -> None:
        """Every live follower that is not stalled fetches the leader's log up to its end."""
        if self.leader is None:
            return
        leader_log = self.logs[self.leader]
        for b in range(len(self.logs)):
            if b == self.leader or not self.alive[b] or self.stalled[b]:
                continue
            log = self.logs[b]
            del log[_common_prefix(log, leader_log) :]  # drop a divergent tail first
            log.extend(leader_log[len(log) :])
            self._caught_up_at[b] = self.now
            self.isr.add(b)  # caught up to the log end: (back) in sync
        self._advance_high_watermark()

    def advance(self, ticks: int = 1) -> None:
        """Move the clock; the leader drops followers lagging more than ``replica_lag_max``."""
        self.now += check_int(ticks, "ticks", minimum=0)
        if self.leader is None:
            return
        end = len(self.logs[self.leader])
        for b in sorted(self.isr - {self.leader}):
            if len(self.logs[b]) < end and self.now - self._caught_up_at[b] > self.replica_lag_max:
                self.isr.discard(b)
        self._advance_high_watermark()

    def _advance_high_watermark(self) -> None:
        if self.leader is None:
            return
        if self.strict_min_isr and len(self.isr) < self.min_insync_replicas:
            return  # under min ISR: the high watermark stands still (Kafka >= 3.7)
        self.high_watermark = max(self.high_watermark, min(len(self.logs[b]) for b in self.isr))
        for offset in sorted(o for o in self._pending if o < self.high_watermark):
            record = self._pending.pop(offset)
            if len(self.isr) >= self.min_insync_replicas:
                self._acked.append((offset, record))
            else:  # committed by a shrunken ISR (only without the strict rule):
                # Kafka answers NOT_ENOUGH_REPLICAS_AFTER_APPEND
                self.failed_after_append += 1

    # -- failures ---------------------------------------------------------------------

    def stall(self, broker: int) -> None:
        """Cut ``broker`` off from the leader: alive, but it stops fetching."""
        self.stalled[self._broker(broker)] = True

    def resume(self, broker: int) -> None:
        """Let ``broker`` fetch again."""
        self.stalled[self._broker(broker)] = False

    def crash(self, broker: int) -> None:
        """Stop ``broker`` (its log survives on disk); if it led, elect a new leader."""
        b = self._broker(broker)
        self.alive[b] = False
        if b != self.leader:
            self.isr.discard(b)
            self._advance_high_watermark()
            return
        self._pending.clear()  # the producer sees a timeout for these
        live_isr = sorted(r for r in self.isr if self.alive[r])
        if live_isr:
            self.isr.discard(b)
            self._elect(live_isr[0])
        elif self.unclean_leader_election and any(self.alive):
            self.unclean_elections += 1
            self.isr = set()
            self._elect(self.alive.index(True))
        else:
            self.leader = None  # offline; the ISR keeps its last members, the only safe leaders

    def restart(self, broker: int) -> None:
        """Bring ``broker`` back; an offline partition takes it as leader if it was in the ISR."""
        b = self._broker(broker)
        self.alive[b] = True
        self._caught_up_at[b] = self.now
        if self.leader is not None:
            del self.logs[b][_common_prefix(self.logs[b], self.logs[self.leader]) :]
        if self.leader is None and b in self.isr:
            self._elect(b)
        elif self.leader is None and self.unclean_leader_election:
            self.unclean_elections += 1
            self.isr = set()
            self._elect(b)

    def _elect(self, broker: int) -> None:
        self.leader = broker
        self.epoch += 1
        self.isr.add(broker)
        self.isr = {r for r in self.isr if self.alive[r]}
        for b in range(len(self.logs)):
            if self.alive[
                b
            ]:  # followers drop any tail the new leader lacks (the leader-epoch check)
                del self.logs[b][_common_prefix(self.logs[b], self.logs[broker]) :]
        self.high_watermark = min(self.high_watermark, len(self.logs[broker]))
        self._advance_high_watermark()

    def _broker(self, broker: int) -> int:
        return check_int(broker, "broker", minimum=0, maximum=len(self.logs) - 1)

    # -- what consumers and the producer see --------------------------------------------

    def committed(self) -> list[str]:
        """The values a consumer can read: the leader's log below the high watermark.

        Raises:
            PartitionOfflineError: no leader.
        """
        if self.leader is None:
            raise PartitionOfflineError("partition offline: nothing can be read")
        return [r.value for r in self.logs[self.leader][: self.high_watermark]]

    @property
    def acknowledged(self) -> list[str]:
        """Values the producer was told were written, in acknowledgement order."""
        return [r.value for _, r in self._acked]

    @property
    def lost(self) -> list[str]:
        """Acknowledged values missing from their offset in the leader's log (none if offline)."""
        if self.leader is None:
            return []
        log = self.logs[self.leader]
        return [r.value for o, r in self._acked if o >= len(log) or log[o] != r]

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if the leader, the ISR or the high watermark is inconsistent."""
        if self.leader is not None:
            _expect(self.alive[self.leader], f"leader {self.leader} is down")
            _expect(self.leader in self.isr, f"leader {self.leader} not in ISR {self.isr}")
            _expect(all(self.alive[b] for b in self.isr), f"a crashed broker in ISR {self.isr}")
            prefix = self.logs[self.leader][: self.high_watermark]
            _expect(
                all(self.logs[b][: self.high_watermark] == prefix for b in self.isr),
                "an in-sync replica disagrees below the high watermark",
            )
        _expect(
            all(o >= self.high_watermark for o in self._pending), "a committed write still pending"
        )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _common_prefix(a: list[Record], b: list[Record]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


@dataclass(frozen=True)
class DurabilityRow:
    """One crash scenario's outcome, counted.

    Of the six writes, each is ``acknowledged``, ``refused`` with an error
    (``NotEnoughReplicas``, or ``NOT_ENOUGH_REPLICAS_AFTER_APPEND`` without the
    strict rule) or ``timed_out`` (never answered: the producer would retry).
    """

    scenario: str
    acks: Acks
    min_insync_replicas: int
    unclean: bool
    acknowledged: int
    refused: int
    timed_out: int
    lost: int
    online: bool


def durability_table() -> list[DurabilityRow]:
    """Run five crash scenarios on 3 replicas; count acknowledged, refused and lost writes.

    Each writes ``r0 r1 r2`` with full replication, then three more records
    either after both followers have stalled and left the ISR ("followers
    lag"), or with no fetch before the leader crashes ("leader dies first").
    Then broker 0, the leader, crashes.

    Complexity: O(1) (a fixed script).

    >>> for r in durability_table():
    ...     print(r.acknowledged, r.refused, r.timed_out, r.lost, r.online)
    6 0 0 0 False
    6 0 0 3 True
    3 2 1 0 True
    6 0 0 3 True
    3 0 3 0 True
    """
    cases: list[tuple[str, Acks, int, bool]] = [
        ("followers lag", "all", 1, False),
        ("followers lag", "all", 1, True),
        ("followers lag", "all", 2, True),
        ("leader dies first", 1, 1, False),
        ("leader dies first", "all", 1, False),
    ]
    rows = []
    for scenario, acks, min_isr, unclean in cases:
        p = ReplicatedPartition(3, min_insync_replicas=min_isr, unclean_leader_election=unclean)
        for i in range(3):
            p.produce(f"r{i}", acks=acks)
        p.replicate()
        if scenario == "followers lag":
            p.stall(1)
            p.stall(2)
            p.advance(p.replica_lag_max + 1)
        refused = 0
        for i in range(3, 6):
            try:
                p.produce(f"r{i}", acks=acks)
            except NotEnoughReplicasError:
                refused += 1
            p.advance()
        p.crash(0)
        refused += p.failed_after_append
        rows.append(
            DurabilityRow(
                scenario,
                acks,
                min_isr,
                unclean,
                len(p.acknowledged),
                refused,
                6 - len(p.acknowledged) - refused,
                len(p.lost),
                p.leader is not None,
            )
        )
    return rows
