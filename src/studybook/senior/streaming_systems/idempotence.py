"""The idempotent producer of KIP-98: a producer id and a sequence number per partition.

A producer that retries after a lost acknowledgement writes the record twice,
unless the broker can tell a retry from a new record. KIP-98 gives every
producer a **producer id** (and an epoch) and numbers its records per
partition from 0. The broker remembers, per producer and partition, the last
sequence it appended:

- ``seq == last + 1``: the next record; append it;
- ``seq <= last``: a retry of a record already in the log; acknowledge it
  again and do **not** append (a duplicate dropped);
- ``seq > last + 1``: a gap, so something in between was lost; **reject** with
  an out-of-order error rather than write out of order;
- a lower epoch than the broker has seen: a zombie instance; **fence** it.

Real Kafka numbers batches rather than records and keeps the metadata of the
last five batches per producer and partition, which is why
``max.in.flight.requests.per.connection`` may be at most 5 with idempotence
on. This model numbers single records and dedups against the last sequence,
which gives the same answers when retries arrive within that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_int, check_str

__all__ = [
    "AppendOutcome",
    "IdempotentLog",
    "OutOfOrderSequenceError",
    "ProducerFencedError",
    "send_with_retries",
]

AppendOutcome = Literal["appended", "duplicate"]


class OutOfOrderSequenceError(ValueError):
    """A sequence number skipped ahead: an earlier record of this producer never arrived."""


class ProducerFencedError(ValueError):
    """A producer epoch older than the newest seen for this producer id: a zombie."""


@dataclass(frozen=True)
class _Entry:
    producer_id: int
    sequence: int
    value: str


class IdempotentLog:
    """A partitioned log that deduplicates by (producer id, partition, sequence).

    Args:
        partitions: the number of partitions, at least 1.

    Complexity: append O(1).

    >>> log = IdempotentLog(1)
    >>> [log.append(7, 0, 0, s, v) for s, v in [(0, "a"), (1, "b"), (1, "b")]]
    ['appended', 'appended', 'duplicate']
    >>> log.values(0)
    ['a', 'b']
    >>> try:
    ...     log.append(7, 0, 0, 3, "d")
    ... except OutOfOrderSequenceError as e:
    ...     print(type(e).__name__, e)
    OutOfOrderSequenceError producer 7 partition 0: expected sequence 2, got 3
    """

    def __init__(self, partitions: int = 1) -> None:
        check_int(partitions, "partitions", minimum=1, maximum=100_000)
        self._logs: list[list[_Entry]] = [[] for _ in range(partitions)]
        self._last: dict[tuple[int, int], int] = {}  # (producer id, partition) -> last sequence
        self._epoch: dict[int, int] = {}
        self.duplicates_dropped = 0

    def append(
        self, producer_id: int, epoch: int, partition: int, sequence: int, value: str
    ) -> AppendOutcome:
        """Append ``value`` unless it is a retry; refuse gaps and fenced epochs.

        Args:
            producer_id: the id the broker gave the producer (``>= 0``).
            epoch: the producer's epoch; a newer epoch restarts sequences at 0.
            partition: the partition index.
            sequence: this record's number for (producer, partition), from 0.
            value: the payload.

        Returns:
            ``"appended"``, or ``"duplicate"`` for a retry already in the log.

        Raises:
            OutOfOrderSequenceError: ``sequence`` skips ahead of the next expected one.
            ProducerFencedError: ``epoch`` older than the newest seen.
            TypeError, ValueError: arguments of the wrong type or out of range.
        """
        check_int(producer_id, "producer_id", minimum=0)
        check_int(epoch, "epoch", minimum=0)
        check_int(partition, "partition", minimum=0, maximum=len(self._logs) - 1)
        check_int(sequence, "sequence", minimum=0)
        check_str(value, "value")
        newest = self._epoch.get(producer_id, -1)
        if epoch < newest:
            raise ProducerFencedError(
                f"producer {producer_id}: epoch {epoch} is fenced by epoch {newest}"
            )
        if epoch > newest:
            self._epoch[producer_id] = epoch
            for key in [k for k in self._last if k[0] == producer_id]:
                del self._last[key]  # a new epoch numbers from 0 again
        last = self._last.get((producer_id, partition), -1)
        if sequence <= last:
            self.duplicates_dropped += 1
            return "duplicate"
        if sequence > last + 1:
            raise OutOfOrderSequenceError(
                f"producer {producer_id} partition {partition}: "
                f"expected sequence {last + 1}, got {sequence}"
            )
        self._logs[partition].append(_Entry(producer_id, sequence, value))
        self._last[(producer_id, partition)] = sequence
        return "appended"

    def values(self, partition: int) -> list[str]:
        """The payloads of ``partition`` in log order."""
        check_int(partition, "partition", minimum=0, maximum=len(self._logs) - 1)
        return [e.value for e in self._logs[partition]]


def send_with_retries(values: list[str], lost_acks: set[int], *, idempotent: bool) -> list[str]:
    """Send ``values`` to one partition, losing the acks of the indices in ``lost_acks``.

    The producer retries each record whose ack it did not get, once, as any
    producer with ``retries > 0`` would. Without idempotence the broker appends
    the retry again; with it, the broker recognises the sequence number.

    Returns:
        the partition's contents afterwards.

    Complexity: O(len(values)).

    >>> send_with_retries(["a", "b", "c"], {1}, idempotent=False)
    ['a', 'b', 'b', 'c']
    >>> send_with_retries(["a", "b", "c"], {1}, idempotent=True)
    ['a', 'b', 'c']
    """
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"values must be a list of str, got {values!r}")
    if not isinstance(lost_acks, set | frozenset):
        raise TypeError(f"lost_acks must be a set of indices, got {lost_acks!r}")
    if not isinstance(idempotent, bool):
        raise TypeError(f"idempotent must be a bool, got {idempotent!r}")
    for i in lost_acks:
        check_int(i, "lost ack index", minimum=0, maximum=len(values) - 1)
    log = IdempotentLog(1)
    for seq, value in enumerate(values):
        attempts = 2 if seq in lost_acks else 1  # the append happened; only the ack was lost
        for _ in range(attempts):
            if idempotent:
                log.append(1, 0, 0, seq, value)
            else:
                log.append(1, 0, 0, len(log.values(0)), value)  # a fresh number each time: no dedup
    return log.values(0)
