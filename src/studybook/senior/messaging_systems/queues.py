"""SQS-like queues: a visibility-timeout queue with a dead-letter queue, and a FIFO queue.

:class:`VisibilityQueue` behaves like an Amazon SQS *standard* queue seen by
one process: ``receive`` hands out a message and hides it for the visibility
timeout; ``delete`` (the ack) removes it for good; a message that is not
deleted in time becomes visible again and is delivered again, with its
receive count raised. Once a message has been received ``max_receive_count``
times, the next attempt moves it to the dead-letter queue instead, keeping its
original send time as SQS does for standard queues (so retention keeps counting
from the first send). Messages older than the retention period are dropped
unread. ``change_visibility`` extends an in-flight message, but never beyond
12 hours after the receive that handed it out, the SQS limit.

:class:`FifoQueue` adds what an SQS *FIFO* queue promises: order within a
*message group*, one group's messages never in flight to two consumers at
once (a group is locked while any of its messages is in flight), and a
*deduplication window*: a second send with the same deduplication id within
the window is accepted but not enqueued.

Both run on an injected clock (:class:`ManualClock` in tests), so every
timeout in a doctest is exact. Unlike SQS, delivery here is in send order and
never duplicated by the queue itself: every duplicate in this chapter comes
from a consumer that failed to delete in time, which is the case that matters.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = [
    "FifoQueue",
    "FifoReceived",
    "FifoSendResult",
    "ManualClock",
    "Received",
    "VisibilityQueue",
]

MAX_VISIBILITY_TIMEOUT = 43_200.0  # 12 hours, the SQS maximum
DEFAULT_RETENTION = 345_600.0  # 4 days, the SQS default (maximum 14 days)
MAX_RETENTION = 1_209_600.0
MAX_BATCH = 10  # SQS ReceiveMessage returns at most 10 messages


class ManualClock:
    """A clock that moves only when told to: ``clock()`` reads it, ``advance(s)`` moves it.

    >>> clock = ManualClock(); clock.advance(2.5); clock()
    2.5
    >>> clock.advance(-1)
    Traceback (most recent call last):
        ...
    ValueError: seconds must be a finite number >= 0, got -1
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = check_real(start, "start")

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (never backward). Complexity: O(1)."""
        self.now += check_real(seconds, "seconds", low=0)


@dataclass(frozen=True)
class Received:
    """One delivery of a message: delete it with ``receipt_handle`` to acknowledge it."""

    message_id: str
    body: Any
    receipt_handle: str
    receive_count: int


@dataclass
class _Message:
    message_id: str
    body: Any
    sent_at: float
    visible_at: float
    receive_count: int = 0
    receipt: str | None = None  # the current receipt handle while in flight
    received_at: float = 0.0  # when the current receipt was handed out


class VisibilityQueue:
    """An SQS-like standard queue: receive hides, delete acks, expiry redelivers, then a DLQ.

    Args:
        clock: seconds, monotonic; inject a :class:`ManualClock` in tests.
        visibility_timeout: seconds a received message stays hidden, 0 to 43200 (12 h);
            30 is the SQS default.
        retention_period: seconds a message is kept, 60 to 1209600 (14 days); the
            default is the SQS default of 4 days.
        max_receive_count: receives allowed before a message moves to the dead-letter
            queue (the redrive policy's ``maxReceiveCount``); ``None`` for no limit.
        dead_letter_queue: where such messages go; required with ``max_receive_count``.

    Complexity: send, delete O(1); receive O(n) in the messages held (a scan, for clarity).

    >>> clock = ManualClock(); dlq = VisibilityQueue(clock=clock)
    >>> q = VisibilityQueue(clock=clock, visibility_timeout=30, max_receive_count=2,
    ...                     dead_letter_queue=dlq)
    >>> q.send("job-1", message_id="m1")
    'm1'
    >>> r = q.receive()[0]; r.receive_count, q.receive()      # hidden for 30 s
    (1, [])
    >>> clock.advance(30); q.receive()[0].receive_count      # not deleted: back again
    2
    >>> clock.advance(30); q.receive(), len(q), len(dlq)     # third try: dead-lettered
    ([], 0, 1)
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        visibility_timeout: float = 30.0,
        retention_period: float = DEFAULT_RETENTION,
        max_receive_count: int | None = None,
        dead_letter_queue: VisibilityQueue | None = None,
    ) -> None:
        check_callable(clock, "clock")
        self.clock = clock
        self.visibility_timeout = check_real(
            visibility_timeout, "visibility_timeout", low=0, high=MAX_VISIBILITY_TIMEOUT
        )
        self.retention_period = check_real(
            retention_period, "retention_period", low=60, high=MAX_RETENTION
        )
        if max_receive_count is not None:
            check_int(max_receive_count, "max_receive_count", minimum=1)
        if (max_receive_count is None) != (dead_letter_queue is None):
            raise ValueError(
                "max_receive_count and dead_letter_queue go together, got "
                f"{max_receive_count!r} and {dead_letter_queue!r}"
            )
        if dead_letter_queue is not None and not isinstance(dead_letter_queue, VisibilityQueue):
            raise TypeError(
                f"dead_letter_queue must be a VisibilityQueue, got {dead_letter_queue!r}"
            )
        if dead_letter_queue is self:
            raise ValueError("a queue cannot be its own dead-letter queue")
        self.max_receive_count = max_receive_count
        self.dead_letter_queue = dead_letter_queue
        self._messages: dict[str, _Message] = {}  # insertion order is send order
        self._next_id = 0
        self.expired = 0
        """Messages dropped because they outlived the retention period."""

    def send(self, body: Any, *, message_id: str | None = None) -> str:
        """Enqueue ``body``; return its message id (generated as ``m<n>`` if not given).

        Raises:
            ValueError: ``message_id`` is empty or already held by this queue.

        Complexity: O(1) (a generated id skips ids a caller chose, amortised).
        """
        if message_id is None:
            message_id = self._fresh_id()
        check_str(message_id, "message_id", nonempty=True)
        if message_id in self._messages:
            raise ValueError(f"message_id already in the queue, got {message_id!r}")
        now = self.clock()
        self._messages[message_id] = _Message(message_id, body, now, now)
        return message_id

    def _fresh_id(self) -> str:
        while True:  # skip ids that a caller chose explicitly
            self._next_id += 1
            message_id = f"m{self._next_id}"
            if message_id not in self._messages:
                return message_id

    def receive(
        self, max_messages: int = 1, *, visibility_timeout: float | None = None
    ) -> list[Received]:
        """Take up to ``max_messages`` (1 to 10) visible messages and hide them.

        A message whose receive count has reached ``max_receive_count`` is moved
        to the dead-letter queue rather than delivered again.

        Raises:
            ValueError: ``max_messages`` outside 1..10, or a bad ``visibility_timeout``.

        Complexity: O(n) in the messages held.
        """
        check_int(max_messages, "max_messages", minimum=1, maximum=MAX_BATCH)
        timeout = self.visibility_timeout
        if visibility_timeout is not None:
            timeout = check_real(
                visibility_timeout, "visibility_timeout", low=0, high=MAX_VISIBILITY_TIMEOUT
            )
        now = self.clock()
        self._expire(now)
        out: list[Received] = []
        for message in list(self._messages.values()):
            if len(out) == max_messages:
                break
            if message.visible_at > now:
                continue
            if self.max_receive_count is not None and (
                message.receive_count >= self.max_receive_count
            ):
                self._dead_letter(message)
                continue
            message.receive_count += 1
            message.receipt = f"{message.message_id}#{message.receive_count}"
            message.visible_at = now + timeout
            message.received_at = now
            out.append(
                Received(message.message_id, message.body, message.receipt, message.receive_count)
            )
        return out

    def delete(self, receipt_handle: str) -> bool:
        """Acknowledge a delivery; False (nothing changes) if the handle is not current.

        A handle stops being current once its visibility timeout has passed (the
        message may be with another consumer by then) or the message is deleted.

        Complexity: O(1).
        """
        message = self._current(receipt_handle)
        if message is None:
            return False
        del self._messages[message.message_id]
        return True

    def change_visibility(self, receipt_handle: str, timeout: float) -> None:
        """Hide an in-flight message for ``timeout`` more seconds from now (a heartbeat).

        As in SQS, the total stays within 12 hours of the receive: a heartbeat
        cannot keep a message hidden for ever.

        Raises:
            KeyError: the handle is not current.
            ValueError: ``timeout`` outside 0..43200, or past 12 hours after the receive.

        Complexity: O(1).

        >>> clock = ManualClock(); q = VisibilityQueue(clock=clock); _ = q.send("job")
        >>> h = q.receive()[0].receipt_handle; clock.advance(20); q.change_visibility(h, 60)
        >>> clock.advance(59); q.receive(), q.in_flight      # hidden until t=80, not t=30
        ([], 1)
        >>> q.change_visibility(h, 43_200)
        Traceback (most recent call last):
            ...
        ValueError: visibility would end 43279 s after the receive, past the 43200 s limit
        """
        check_real(timeout, "timeout", low=0, high=MAX_VISIBILITY_TIMEOUT)
        message = self._current(receipt_handle)
        if message is None:
            raise KeyError(f"receipt handle is not current: {receipt_handle!r}")
        now = self.clock()
        total = now + timeout - message.received_at
        if total > MAX_VISIBILITY_TIMEOUT:
            raise ValueError(
                f"visibility would end {total:g} s after the receive, "
                f"past the {MAX_VISIBILITY_TIMEOUT:g} s limit"
            )
        message.visible_at = now + timeout

    @property
    def in_flight(self) -> int:
        """How many messages are received and neither deleted nor visible again, in O(n)."""
        now = self.clock()
        return sum(1 for m in self._messages.values() if m.receive_count and m.visible_at > now)

    def __len__(self) -> int:
        return len(self._messages)

    def _current(self, receipt_handle: str) -> _Message | None:
        check_str(receipt_handle, "receipt_handle")
        message_id = receipt_handle.rpartition("#")[0]
        message = self._messages.get(message_id)
        if message is None or message.receipt != receipt_handle:
            return None
        if message.visible_at <= self.clock():
            return None  # the timeout passed: another consumer may hold it now
        return message

    def _expire(self, now: float) -> None:
        for message in list(self._messages.values()):
            if now - message.sent_at >= self.retention_period:
                del self._messages[message.message_id]
                self.expired += 1

    def _dead_letter(self, message: _Message) -> None:
        dlq = self.dead_letter_queue
        assert dlq is not None  # noqa: S101 - set with max_receive_count
        # Several source queues may share one DLQ, so the id may be taken there:
        # keep the message under a fresh id rather than lose it.
        new_id = message.message_id if message.message_id not in dlq._messages else dlq._fresh_id()
        # A standard queue keeps the original send time (SQS: "the enqueue
        # timestamp is unchanged"), so retention counts from the first send.
        dlq._messages[new_id] = _Message(new_id, message.body, message.sent_at, self.clock())
        del self._messages[message.message_id]

    def _check_invariants(self) -> None:
        for key, message in self._messages.items():
            if key != message.message_id:
                raise AssertionError(f"message stored under the wrong id {key!r}")
            if message.receive_count < 0 or (message.receipt is None) != (
                message.receive_count == 0
            ):
                raise AssertionError(f"receipt and receive count disagree for {key!r}")
            if self.max_receive_count is not None and (
                message.receive_count > self.max_receive_count
            ):
                raise AssertionError(f"{key!r} received more than max_receive_count times")


@dataclass(frozen=True)
class FifoSendResult:
    """What a FIFO send returns; ``duplicate`` is True when the window swallowed it."""

    message_id: str
    sequence_number: int
    duplicate: bool


@dataclass(frozen=True)
class FifoReceived:
    """One delivery from a :class:`FifoQueue`."""

    message_id: str
    body: str
    group_id: str
    sequence_number: int
    receipt_handle: str
    receive_count: int


@dataclass
class _FifoMessage:
    message_id: str
    body: str
    group_id: str
    sequence_number: int
    visible_at: float = -math.inf
    receive_count: int = 0
    receipt: str | None = None


class FifoQueue:
    """An SQS-like FIFO queue: ordered message groups and a deduplication window.

    Args:
        clock: seconds, monotonic.
        visibility_timeout: as for :class:`VisibilityQueue`.
        dedup_window: seconds a deduplication id is remembered; 300 (5 minutes) in SQS.
        content_based_deduplication: derive the id from the SHA-256 of the body
            when the sender gives none (the SQS queue attribute of that name).

    Complexity: send O(1) amortised; receive O(n) in the messages held.

    >>> clock = ManualClock(); q = FifoQueue(clock=clock)
    >>> [q.send(b, group_id=g, dedup_id=b).duplicate
    ...  for b, g in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("a1", "A")]]
    [False, False, False, True]
    >>> [m.body for m in q.receive(10)]        # group A's run first, then B
    ['a1', 'a2', 'b1']
    >>> q.receive(10)                          # both groups locked while in flight
    []
    >>> q.send("x", group_id="A")
    Traceback (most recent call last):
        ...
    ValueError: dedup_id is required unless content_based_deduplication is on, got None
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        visibility_timeout: float = 30.0,
        dedup_window: float = 300.0,
        content_based_deduplication: bool = False,
    ) -> None:
        check_callable(clock, "clock")
        self.clock = clock
        self.visibility_timeout = check_real(
            visibility_timeout, "visibility_timeout", low=0, high=MAX_VISIBILITY_TIMEOUT
        )
        self.dedup_window = check_real(dedup_window, "dedup_window", low=0)
        if not isinstance(content_based_deduplication, bool):
            raise TypeError(
                f"content_based_deduplication must be a bool, got {content_based_deduplication!r}"
            )
        self.content_based_deduplication = content_based_deduplication
        self._messages: list[_FifoMessage] = []  # send order
        # dedup id -> (time accepted, result); insertion order is time order
        self._seen: dict[str, tuple[float, FifoSendResult]] = {}
        self._sequence = 0

    def send(self, body: str, *, group_id: str, dedup_id: str | None = None) -> FifoSendResult:
        """Append ``body`` to ``group_id``'s sequence unless ``dedup_id`` was seen in the window.

        A duplicate returns the first send's result with ``duplicate=True``.

        Raises:
            ValueError: empty ``group_id``, or no ``dedup_id`` without content-based dedup.

        Complexity: O(1) amortised (old ids are forgotten lazily).
        """
        check_str(body, "body")
        check_str(group_id, "group_id", nonempty=True)
        if dedup_id is None:
            if not self.content_based_deduplication:
                raise ValueError(
                    "dedup_id is required unless content_based_deduplication is on, got None"
                )
            dedup_id = hashlib.sha256(body.encode()).hexdigest()
        check_str(dedup_id, "dedup_id", nonempty=True)
        now = self.clock()
        self._forget_expired_ids(now)
        seen = self._seen.get(dedup_id)
        if seen is not None and now - seen[0] < self.dedup_window:
            first = seen[1]
            return FifoSendResult(first.message_id, first.sequence_number, duplicate=True)
        self._seen.pop(dedup_id, None)  # re-inserted below, at the end: the newest
        self._sequence += 1
        result = FifoSendResult(f"f{self._sequence}", self._sequence, duplicate=False)
        self._seen[dedup_id] = (now, result)
        self._messages.append(_FifoMessage(result.message_id, body, group_id, self._sequence))
        return result

    def _forget_expired_ids(self, now: float) -> None:
        # Ids were stored in time order (the clock never steps back), so the
        # expired ones are at the front: each id is dropped once, O(1) amortised.
        while self._seen:
            oldest = next(iter(self._seen))
            if now - self._seen[oldest][0] < self.dedup_window:
                break
            del self._seen[oldest]

    def receive(self, max_messages: int = 1) -> list[FifoReceived]:
        """Take up to ``max_messages`` (1 to 10), in order, from groups with nothing in flight.

        As SQS does, a receive first takes as many messages of one group as it
        can, then moves to the next group.

        Complexity: O(n) in the messages held.
        """
        check_int(max_messages, "max_messages", minimum=1, maximum=MAX_BATCH)
        now = self.clock()
        locked = {m.group_id for m in self._messages if m.visible_at > now}
        by_group: dict[str, list[_FifoMessage]] = {}
        for message in self._messages:
            if message.group_id not in locked:
                by_group.setdefault(message.group_id, []).append(message)
        out: list[FifoReceived] = []
        for run in by_group.values():
            for message in run:
                if len(out) == max_messages:
                    return out
                message.receive_count += 1
                message.receipt = f"{message.message_id}#{message.receive_count}"
                message.visible_at = now + self.visibility_timeout
                out.append(
                    FifoReceived(
                        message.message_id,
                        message.body,
                        message.group_id,
                        message.sequence_number,
                        message.receipt,
                        message.receive_count,
                    )
                )
        return out

    def delete(self, receipt_handle: str) -> bool:
        """Acknowledge a delivery; False if the handle is not current. Complexity: O(n)."""
        check_str(receipt_handle, "receipt_handle")
        now = self.clock()
        for i, message in enumerate(self._messages):
            if message.receipt == receipt_handle and message.visible_at > now:
                del self._messages[i]
                return True
        return False

    def __len__(self) -> int:
        return len(self._messages)

    def _check_invariants(self) -> None:
        sequences = [m.sequence_number for m in self._messages]
        if sequences != sorted(sequences) or len(set(sequences)) != len(sequences):
            raise AssertionError("messages out of send order")
