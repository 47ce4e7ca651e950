"""Delivery semantics made visible: one queue, one consumer, crashes injected where you say.

A consumer does two things with each message: it *processes* it (applies a
side effect, here adding the message's amount to a total) and it
*acknowledges* it (deletes it from a :class:`~.queues.VisibilityQueue`). The
order of the two, and what the effect does with a repeat, decide the
guarantee:

=====================  ======================  =====================================
mode                   order                   a crash between the two steps
=====================  ======================  =====================================
``at-most-once``       ack, then process       the message is gone, never applied: lost
``at-least-once``      process, then ack       redelivered and applied again: duplicate
``effectively-once``   process with a dedup    redelivered, the dedup table (keyed by
                       table, then ack         message id) skips it: applied once
``idempotent-upsert``  upsert, then ack        redelivered and written again, but the
                                               write sets a value: same final state
=====================  ======================  =====================================

Crash points are given per *delivery* (the n-th receive, counting from 0):
``"before"`` (crash right after receiving), ``"between"`` (after the first
step) or ``"after"`` (after both, harmless). A crashed consumer is replaced by
a fresh one; the queue redelivers whatever was not deleted once its
visibility timeout has passed.

The dedup table and the effect must change together (one database
transaction in real life); here both live in one Python object and are
updated in one step, which is the assumption ``effectively-once`` rests on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from studybook._validate import check_int, check_real
from studybook.senior.messaging_systems.queues import ManualClock, VisibilityQueue

__all__ = ["CRASH_POINTS", "MODES", "CrashPoint", "Mode", "SemanticsReport", "run_semantics"]

Mode = Literal["at-most-once", "at-least-once", "effectively-once", "idempotent-upsert"]
"""A delivery mode's name, as listed in
:data:`~studybook.senior.messaging_systems.semantics.MODES`."""
CrashPoint = Literal["before", "between", "after"]
"""Where a consumer crashes in handling one delivery, as listed in
:data:`~studybook.senior.messaging_systems.semantics.CRASH_POINTS`."""
MODES: tuple[Mode, ...] = (
    "at-most-once",
    "at-least-once",
    "effectively-once",
    "idempotent-upsert",
)
"""The four delivery modes, in the order of the table above."""
CRASH_POINTS: tuple[CrashPoint, ...] = ("before", "between", "after")
"""The crash points, in the order the consumer reaches them."""


@dataclass(frozen=True)
class SemanticsReport:
    """What one run did, counted exactly.

    ``applied`` counts executions of the side effect; ``lost`` the messages
    never applied; ``duplicated`` the executions beyond the first per message;
    ``deduplicated`` the redeliveries the dedup table turned away; ``correct``
    whether the final state equals applying every message exactly once.
    """

    mode: Mode
    messages: int
    deliveries: int
    crashes: int
    applied: int
    lost: int
    duplicated: int
    deduplicated: int
    correct: bool
    applications: dict[str, int] = field(repr=False)
    """Per message id, how many times the side effect ran."""


def run_semantics(
    mode: Mode,
    messages: int,
    crashes: Mapping[int, CrashPoint],
    *,
    visibility_timeout: float = 30.0,
) -> SemanticsReport:
    """Deliver ``messages`` messages to a consumer that crashes as ``crashes`` says; count.

    Message ``m<i>`` carries amount ``i + 1``; the right final total is
    ``messages * (messages + 1) // 2``.

    Args:
        mode: one of :data:`~studybook.senior.messaging_systems.semantics.MODES`.
        messages: how many messages to send, 0 or more.
        crashes: delivery number (0-based) -> crash point, one of
            :data:`~studybook.senior.messaging_systems.semantics.CRASH_POINTS`.
        visibility_timeout: seconds before an unacknowledged message is redelivered.

    Raises:
        ValueError: unknown mode or crash point, negative counts.
        TypeError: wrong types (a bool for ``messages``, a non-int delivery number).

    Complexity: O((messages + crashes) * messages): each receive scans the queue.

    >>> r = run_semantics("at-most-once", 3, {1: "between"})
    >>> r.deliveries, r.applied, r.lost, r.duplicated, r.correct
    (3, 2, 1, 0, False)
    >>> r = run_semantics("at-least-once", 3, {1: "between"})
    >>> r.deliveries, r.applied, r.lost, r.duplicated, r.correct
    (4, 4, 0, 1, False)
    >>> run_semantics("exactly-once", 3, {})
    Traceback (most recent call last):
        ...
    ValueError: mode must be one of MODES, got 'exactly-once'
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of MODES, got {mode!r}")
    check_int(messages, "messages", minimum=0)
    check_real(visibility_timeout, "visibility_timeout", positive=True)
    if not isinstance(crashes, Mapping):
        raise TypeError(
            f"crashes must be a mapping of delivery number to crash point, got {crashes!r}"
        )
    for number, point in crashes.items():
        check_int(number, "delivery number", minimum=0)
        if point not in CRASH_POINTS:
            raise ValueError(f"crash point must be one of {CRASH_POINTS}, got {point!r}")

    clock = ManualClock()
    queue = VisibilityQueue(clock=clock, visibility_timeout=visibility_timeout)
    for i in range(messages):
        queue.send(i + 1, message_id=f"m{i}")
    consumer = _Consumer(mode)
    deliveries = crashed = 0
    while len(queue):
        batch = queue.receive()
        if not batch:  # everything left is in flight with a dead consumer: wait it out
            clock.advance(visibility_timeout)
            continue
        delivery = batch[0]
        crash = crashes.get(deliveries)
        deliveries += 1
        crashed += crash is not None
        ack = lambda d=delivery: queue.delete(d.receipt_handle)  # noqa: E731
        process = lambda d=delivery: consumer.process(d.message_id, d.body)  # noqa: E731
        steps = (ack, process) if mode == "at-most-once" else (process, ack)
        if crash == "before":
            continue
        steps[0]()
        if crash == "between":
            continue
        steps[1]()

    expected = messages * (messages + 1) // 2
    runs = consumer.applications
    return SemanticsReport(
        mode=mode,
        messages=messages,
        deliveries=deliveries,
        crashes=crashed,
        applied=sum(runs.values()),
        lost=sum(1 for i in range(messages) if runs[f"m{i}"] == 0),
        duplicated=sum(n - 1 for n in runs.values() if n > 1),
        deduplicated=consumer.deduplicated,
        correct=consumer.total() == expected,
        applications={f"m{i}": runs[f"m{i}"] for i in range(messages)},
    )


class _Consumer:
    """The consumer's durable state: it survives the consumer process, as a database would."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.running_total = 0
        self.rows: dict[str, int] = {}  # the upsert target, keyed by message id
        self.seen: set[str] = set()  # the dedup table
        self.applications: Counter[str] = Counter()
        self.deduplicated = 0

    def process(self, message_id: str, amount: int) -> None:
        if self.mode == "effectively-once":
            if message_id in self.seen:
                self.deduplicated += 1
                return
            self.seen.add(message_id)  # same "transaction" as the effect below
        self.applications[message_id] += 1
        if self.mode == "idempotent-upsert":
            self.rows[message_id] = amount  # INSERT ... ON CONFLICT DO UPDATE
        else:
            self.running_total += amount

    def total(self) -> int:
        if self.mode == "idempotent-upsert":
            return sum(self.rows.values())
        return self.running_total
