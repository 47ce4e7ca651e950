"""A Kafka-like message queue: topics, consumer groups, acks, retries with backoff, a DLQ.

Each topic is an append-only log: :meth:`MessageQueue.publish` appends and
returns the message's offset. A *consumer group* reads the whole log, and its
consumers share the work: every group sees every message (fan-out), and within
a group each message is handed to one consumer at a time (load balancing).
That is Kafka's model; Kafka assigns whole partitions to consumers and tracks
one committed offset per partition, whereas this queue acknowledges message by
message, as SQS or RabbitMQ do, so one slow message does not block the others.

Delivery is **at least once**. A delivered message is invisible to the group
until its *visibility timeout* passes; if the consumer acks in time it is done,
otherwise (the consumer crashed, hung, or called :meth:`~MessageQueue.nack`)
it is delivered again after an exponential backoff, ``backoff_base * 2**(n-1)``
seconds after its n-th failed delivery, capped at ``backoff_max``. After
``max_retries`` redeliveries have failed too, it moves to the group's
dead-letter queue. A consumer must therefore be idempotent: a message can be
processed twice if an ack is lost or late.

Invariant: for each group, every offset in the log is in exactly one state:
not yet delivered, in flight, waiting for a retry, acknowledged or dead.

Thread-safe: one lock guards all state; :meth:`~MessageQueue.poll` can block on a
condition variable. Time comes from an injected clock, so tests run on a fake one.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studybook.senior.build_redis._validate import check_int, check_real

__all__ = ["DeadLetter", "Delivery", "MessageQueue"]


@dataclass(frozen=True)
class Delivery:
    """One hand-over of a message to a consumer; ack it with :meth:`MessageQueue.ack`."""

    topic: str
    group: str
    offset: int
    payload: Any
    attempt: int
    """1 for the first delivery, 2 for the first retry, and so on."""
    consumer: str
    receipt: int
    """Identifies this delivery, so an ack from an earlier, timed-out delivery is refused."""


@dataclass(frozen=True)
class DeadLetter:
    """A message that failed ``1 + max_retries`` deliveries."""

    offset: int
    payload: Any
    attempts: int
    reason: str


@dataclass
class _Group:
    next_offset: int = 0  # first offset never delivered to this group
    in_flight: dict[int, tuple[int, float, int, str]] = field(default_factory=dict)
    # offset -> (receipt, deadline, attempt, consumer)
    deadlines: list[tuple[float, int, int]] = field(
        default_factory=list
    )  # (deadline, offset, receipt)
    retries: list[tuple[float, int, int]] = field(default_factory=list)  # (due, offset, attempts)
    acked: set[int] = field(default_factory=set)
    dead: list[DeadLetter] = field(default_factory=list)


class MessageQueue:
    """Topics of messages read by consumer groups with at-least-once delivery.

    Args:
        clock: seconds, monotonic (``time.monotonic``); inject a fake for tests.
        visibility_timeout: seconds a consumer has to ack a delivery.
        max_retries: redeliveries after the first delivery before dead-lettering.
        backoff_base: delay before the first redelivery, in seconds; doubles each time.
        backoff_max: cap on that delay.

    Complexity: publish O(1); poll, ack and nack O(log n) in the messages in flight.

    >>> now = [0.0]
    >>> q = MessageQueue(clock=lambda: now[0], visibility_timeout=5, max_retries=1)
    >>> q.publish("orders", "o-1")
    0
    >>> q.subscribe("orders", "billing")
    >>> d = q.poll("orders", "billing", "worker-a")
    >>> d.payload, d.attempt, q.poll("orders", "billing", "worker-b")
    ('o-1', 1, None)
    >>> now[0] = 5.5                  # worker-a died; its 5 s timeout has passed
    >>> q.poll("orders", "billing", "worker-b") is None   # backoff: retry at 5 + 1 s
    True
    >>> now[0] = 6.0
    >>> d2 = q.poll("orders", "billing", "worker-b"); d2.attempt, q.ack(d), q.ack(d2)
    (2, False, True)
    >>> q.poll("orders", "nobody", "w")
    Traceback (most recent call last):
        ...
    KeyError: "no consumer group 'nobody' on topic 'orders'"
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        visibility_timeout: float = 30.0,
        max_retries: int = 3,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        check_real("visibility_timeout", visibility_timeout, positive=True)
        check_int("max_retries", max_retries, 0)
        check_real("backoff_base", backoff_base, positive=False)
        check_real("backoff_max", backoff_max, positive=False)
        if backoff_max < backoff_base:
            raise ValueError(
                f"need 0 <= backoff_base <= backoff_max, got {backoff_base!r}, {backoff_max!r}"
            )
        self.clock = clock
        self.visibility_timeout = visibility_timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._topics: dict[str, list[Any]] = {}
        self._groups: dict[tuple[str, str], _Group] = {}
        self._receipts = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    # ------------------------------------------------------------ producers

    def publish(self, topic: str, payload: Any) -> int:
        """Append ``payload`` to ``topic`` (created on first use); return its offset.

        Complexity: O(1).
        """
        with self._changed:
            log = self._topics.setdefault(topic, [])
            log.append(payload)
            self._changed.notify_all()
            return len(log) - 1

    # ------------------------------------------------------------ consumers

    def subscribe(self, topic: str, group: str, *, start: str = "earliest") -> None:
        """Create consumer group ``group`` on ``topic``, reading from the start or the end.

        Joining an existing group is a no-op: its consumers simply call :meth:`poll`.

        Raises:
            ValueError: ``start`` is not ``"earliest"`` or ``"latest"``.

        Complexity: O(1); O(length) for ``"latest"`` (earlier offsets are marked done).
        """
        if start not in ("earliest", "latest"):
            raise ValueError(f"start must be 'earliest' or 'latest', got {start!r}")
        with self._changed:
            log = self._topics.setdefault(topic, [])
            if (topic, group) not in self._groups:
                first = 0 if start == "earliest" else len(log)
                self._groups[topic, group] = _Group(next_offset=first, acked=set(range(first)))

    def poll(
        self, topic: str, group: str, consumer: str, *, timeout: float = 0.0
    ) -> Delivery | None:
        """Take the next message for ``consumer`` in ``group``, waiting up to ``timeout`` s.

        Due retries come first (oldest due first), then new messages in log order.
        ``timeout=math.inf`` waits until a message is available.

        Raises:
            KeyError: the group does not exist on that topic.
            ValueError: ``timeout`` is negative or NaN (NaN would wait for ever).
            TypeError: ``timeout`` is not a number, or is a bool.

        Complexity: O(log n) plus expired deliveries reclaimed.
        """
        if timeout != math.inf:
            check_real("timeout", timeout, positive=False)
        with self._changed:
            state = self._group(topic, group)
            deadline = time.monotonic() + timeout
            while True:
                delivery = self._take(topic, group, state, consumer)
                if delivery is not None:
                    return delivery
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                # wake for new messages, or when the next retry or timeout may be due
                self._changed.wait(min(remaining, 0.05))

    def ack(self, delivery: Delivery) -> bool:
        """Mark the message done; False if this delivery had already timed out or was acked.

        Complexity: O(1).
        """
        with self._changed:
            state = self._group(delivery.topic, delivery.group)
            current = state.in_flight.get(delivery.offset)
            if current is None or current[0] != delivery.receipt:
                return False
            del state.in_flight[delivery.offset]
            state.acked.add(delivery.offset)
            return True

    def nack(self, delivery: Delivery, reason: str = "nack") -> bool:
        """Give the message back now (processing failed): retry after backoff, or dead-letter.

        Returns False, changing nothing, if this delivery is no longer current.

        Complexity: O(log n) (a heap push).
        """
        with self._changed:
            state = self._group(delivery.topic, delivery.group)
            current = state.in_flight.get(delivery.offset)
            if current is None or current[0] != delivery.receipt:
                return False
            del state.in_flight[delivery.offset]
            self._fail(
                delivery.topic, state, delivery.offset, delivery.attempt, reason, self.clock()
            )
            self._changed.notify_all()
            return True

    def dead_letters(self, topic: str, group: str) -> list[DeadLetter]:
        """The group's dead-letter queue, in the order messages died. Complexity: O(dead)."""
        with self._changed:
            self._reclaim(topic, self._group(topic, group))
            return list(self._group(topic, group).dead)

    def pending(self, topic: str, group: str) -> int:
        """Messages the group has neither acknowledged nor dead-lettered. Complexity: O(1)."""
        with self._changed:
            state = self._group(topic, group)
            done = len(state.acked) + len(state.dead)
            return len(self._topics[topic]) - done

    def backoff(self, failures: int) -> float:
        """Delay before redelivery after ``failures`` failed deliveries.

        >>> q = MessageQueue(backoff_base=0.5, backoff_max=3)
        >>> [q.backoff(n) for n in (1, 2, 3, 4, 5)]
        [0.5, 1.0, 2.0, 3, 3]
        """
        return min(self.backoff_max, self.backoff_base * 2.0 ** (failures - 1))

    # ------------------------------------------------------------ internals

    def _group(self, topic: str, group: str) -> _Group:
        state = self._groups.get((topic, group))
        if state is None:
            raise KeyError(f"no consumer group {group!r} on topic {topic!r}")
        return state

    def _take(self, topic: str, group: str, state: _Group, consumer: str) -> Delivery | None:
        now = self._reclaim(topic, state)
        if state.retries and state.retries[0][0] <= now:
            _, offset, failures = heapq.heappop(state.retries)
            attempt = failures + 1
        elif state.next_offset < len(self._topics[topic]):
            offset, attempt = state.next_offset, 1
            state.next_offset += 1
        else:
            return None
        self._receipts += 1
        deadline = now + self.visibility_timeout
        state.in_flight[offset] = (self._receipts, deadline, attempt, consumer)
        heapq.heappush(state.deadlines, (deadline, offset, self._receipts))
        payload = self._topics[topic][offset]
        return Delivery(topic, group, offset, payload, attempt, consumer, self._receipts)

    def _reclaim(self, topic: str, state: _Group) -> float:
        """Fail every in-flight delivery whose visibility timeout has passed."""
        now = self.clock()
        while state.deadlines and state.deadlines[0][0] <= now:
            deadline, offset, receipt = heapq.heappop(state.deadlines)
            current = state.in_flight.get(offset)
            if current is None or current[0] != receipt:
                continue  # acked or nacked already: a stale heap entry
            del state.in_flight[offset]
            self._fail(topic, state, offset, current[2], "visibility timeout", deadline)
        return now

    def _fail(
        self, topic: str, state: _Group, offset: int, attempt: int, reason: str, failed_at: float
    ) -> None:
        if attempt > self.max_retries:
            payload = self._topics[topic][offset]
            state.dead.append(DeadLetter(offset, payload, attempt, reason))
        else:
            due = failed_at + self.backoff(attempt)
            heapq.heappush(state.retries, (due, offset, attempt))

    def _check_invariants(self) -> None:
        with self._changed:
            for (topic, _group), state in self._groups.items():
                size = len(self._topics[topic])
                parts = [
                    set(range(state.next_offset, size)),
                    set(state.in_flight),
                    {offset for _, offset, _ in state.retries},
                    state.acked,
                    {d.offset for d in state.dead},
                ]
                if sum(len(p) for p in parts) != size or set().union(*parts) != set(range(size)):
                    raise AssertionError(f"offsets not partitioned for {(topic, _group)}")
                if len(state.retries) != len(parts[2]):
                    raise AssertionError("a message is scheduled for retry twice")
                for _, _, attempt, _ in state.in_flight.values():
                    if not 1 <= attempt <= self.max_retries + 1:
                        raise AssertionError(f"attempt {attempt} out of range")
