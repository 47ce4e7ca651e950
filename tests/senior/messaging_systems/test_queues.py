"""The SQS-like queues: visibility lifecycle, DLQ, retention, FIFO groups and dedup window."""

from __future__ import annotations

import math

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.senior.messaging_systems import FifoQueue, ManualClock, VisibilityQueue


def test_visibility_lifecycle_and_stale_receipt():
    clock = ManualClock()
    q = VisibilityQueue(clock=clock, visibility_timeout=10)
    q.send("a", message_id="a")
    first = q.receive()[0]
    assert q.in_flight == 1
    assert q.receive() == []
    clock.advance(9.999)
    assert q.receive() == []
    clock.advance(0.001)
    second = q.receive()[0]
    assert (second.receive_count, second.receipt_handle) == (2, "a#2")
    assert q.delete(first.receipt_handle) is False  # the first consumer was too late
    assert q.delete(second.receipt_handle) is True
    assert len(q) == 0
    assert q.delete(second.receipt_handle) is False
    q._check_invariants()


def test_change_visibility_extends_and_expired_handle_is_refused():
    clock = ManualClock()
    q = VisibilityQueue(clock=clock, visibility_timeout=5)
    q.send("job")
    r = q.receive()[0]
    clock.advance(4)
    q.change_visibility(r.receipt_handle, 20)  # heartbeat: hidden until t=24
    clock.advance(19)
    assert q.receive() == []
    clock.advance(1)
    assert q.receive()[0].receive_count == 2
    with pytest.raises(KeyError, match="m1#1"):
        q.change_visibility(r.receipt_handle, 5)


def test_dead_letter_after_max_receive_count():
    clock = ManualClock()
    dlq = VisibilityQueue(clock=clock)
    q = VisibilityQueue(
        clock=clock, visibility_timeout=1, max_receive_count=3, dead_letter_queue=dlq
    )
    q.send("poison", message_id="p")
    q.send("fine", message_id="f")
    counts = []
    for _ in range(3):
        batch = q.receive(10)
        counts.append([r.receive_count for r in batch])
        for r in batch:
            if r.body == "fine":
                q.delete(r.receipt_handle)
        q._check_invariants()
        clock.advance(1)
    assert counts == [[1, 1], [2], [3]]
    assert q.receive(10) == []
    assert len(q) == 0
    moved = dlq.receive()[0]
    assert (moved.message_id, moved.body, moved.receive_count) == ("p", "poison", 1)


def test_retention_drops_old_messages():
    clock = ManualClock()
    q = VisibilityQueue(clock=clock, retention_period=60)
    q.send("old")
    clock.advance(30)
    q.send("new")
    clock.advance(30)
    assert [r.body for r in q.receive(10)] == ["new"]
    assert q.expired == 1


def test_batch_size_and_order():
    q = VisibilityQueue(clock=ManualClock())
    for i in range(12):
        q.send(i)
    assert [r.body for r in q.receive(10)] == list(range(10))
    assert [r.body for r in q.receive(10)] == [10, 11]


class QueueModel(RuleBasedStateMachine):
    """Every message sent is, at each step, exactly one of: visible, in flight, deleted, dead."""

    def __init__(self):
        super().__init__()
        self.clock = ManualClock()
        self.dlq = VisibilityQueue(clock=self.clock)
        self.q = VisibilityQueue(
            clock=self.clock, visibility_timeout=3, max_receive_count=2, dead_letter_queue=self.dlq
        )
        self.sent: set[str] = set()
        self.deleted: set[str] = set()
        self.receipts: list[str] = []
        self.hidden_until: dict[str, float] = {}
        self.receives: dict[str, int] = {}

    @rule()
    def send(self):
        mid = self.q.send("x")
        self.sent.add(mid)
        self.receives[mid] = 0

    @rule(n=st.integers(1, 10))
    def receive(self, n):
        now = self.clock()
        for r in self.q.receive(n):
            assert self.hidden_until.get(r.message_id, -1) <= now  # never two holders at once
            self.receives[r.message_id] += 1
            assert r.receive_count == self.receives[r.message_id] <= 2
            self.hidden_until[r.message_id] = now + 3
            self.receipts.append(r.receipt_handle)

    @rule(i=st.integers(0, 50))
    def delete(self, i):
        if self.receipts:
            handle = self.receipts[i % len(self.receipts)]
            mid = handle.rpartition("#")[0]
            current = (
                mid not in self.deleted
                and handle == f"{mid}#{self.receives[mid]}"
                and self.hidden_until[mid] > self.clock()
                and mid not in {m.message_id for m in self._dead()}
            )
            assert self.q.delete(handle) is current
            if current:
                self.deleted.add(mid)

    @rule(dt=st.sampled_from([0.5, 1, 3]))
    def tick(self, dt):
        self.clock.advance(dt)

    def _dead(self):
        return list(self.dlq._messages.values())

    @invariant()
    def partition(self):
        self.q._check_invariants()
        held = set(self.q._messages)
        dead = {m.message_id for m in self._dead()}
        assert held | self.deleted | dead == self.sent
        assert not (held & self.deleted)
        assert not (held & dead)
        assert not (dead & self.deleted)


TestQueueModel = QueueModel.TestCase
TestQueueModel.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)


def test_fifo_group_lock_and_redelivery_in_order():
    clock = ManualClock()
    q = FifoQueue(clock=clock, visibility_timeout=10)
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]:
        q.send(body, group_id=group, dedup_id=body)
    first = q.receive(1)
    assert [m.body for m in first] == ["a1"]
    assert [m.body for m in q.receive(10)] == ["b1", "b2"]  # A is locked by a1
    assert q.delete(first[0].receipt_handle)
    assert [m.body for m in q.receive(10)] == ["a2"]
    clock.advance(10)  # b1, b2 and a2 time out: redelivered in order
    again = q.receive(10)
    # one group's run first (B's oldest message is older than A's), each group in order
    assert [(m.body, m.receive_count) for m in again] == [("b1", 2), ("b2", 2), ("a2", 2)]
    q._check_invariants()


def test_fifo_dedup_window_expires_and_content_based():
    clock = ManualClock()
    q = FifoQueue(clock=clock, content_based_deduplication=True)
    first = q.send("pay 10", group_id="acct-1")
    clock.advance(299.9)
    dup = q.send("pay 10", group_id="acct-1")
    assert dup.duplicate
    assert dup.message_id == first.message_id
    assert len(q) == 1
    clock.advance(0.1)  # 300 s after the first send: the window has closed
    assert not q.send("pay 10", group_id="acct-1").duplicate
    assert len(q) == 2


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda: VisibilityQueue(visibility_timeout=43_201), ValueError, "43201"),
        (lambda: VisibilityQueue(visibility_timeout=-1), ValueError, "-1"),
        (lambda: VisibilityQueue(visibility_timeout=math.nan), ValueError, "nan"),
        (lambda: VisibilityQueue(visibility_timeout=True), TypeError, "True"),
        (lambda: VisibilityQueue(retention_period=59), ValueError, "59"),
        (lambda: VisibilityQueue(retention_period=1_209_601), ValueError, "1209601"),
        (lambda: VisibilityQueue(max_receive_count=3), ValueError, "3"),
        (
            lambda: VisibilityQueue(max_receive_count=0, dead_letter_queue=VisibilityQueue()),
            ValueError,
            "0",
        ),
        (lambda: VisibilityQueue(max_receive_count=1, dead_letter_queue="dlq"), TypeError, "dlq"),
        (lambda: VisibilityQueue(clock=42), TypeError, "42"),
        (lambda: VisibilityQueue().receive(0), ValueError, "0"),
        (lambda: VisibilityQueue().receive(11), ValueError, "11"),
        (lambda: VisibilityQueue().receive(1.5), TypeError, "1.5"),
        (lambda: VisibilityQueue().receive(visibility_timeout=math.inf), ValueError, "inf"),
        (lambda: VisibilityQueue().send("x", message_id=""), ValueError, "''"),
        (lambda: VisibilityQueue().send("x", message_id=7), TypeError, "7"),
        (lambda: VisibilityQueue().delete(None), TypeError, "None"),
        (lambda: FifoQueue(dedup_window=-1), ValueError, "-1"),
        (lambda: FifoQueue(content_based_deduplication=1), TypeError, "1"),
        (lambda: FifoQueue().send("x", group_id="", dedup_id="d"), ValueError, "''"),
        (lambda: FifoQueue().send(b"x", group_id="g", dedup_id="d"), TypeError, "b'x'"),
        (lambda: FifoQueue().receive(11), ValueError, "11"),
        (lambda: ManualClock(math.inf), ValueError, "inf"),
        (lambda: ManualClock().advance(-0.5), ValueError, "-0.5"),
        (lambda: VisibilityQueue().change_visibility("m1#1", 43_201), ValueError, "43201"),
        (lambda: VisibilityQueue().change_visibility("m1#1", math.nan), ValueError, "nan"),
        (lambda: FifoQueue().delete(3), TypeError, "3"),
        (lambda: FifoQueue(visibility_timeout=-5), ValueError, "-5"),
    ],
)
def test_bad_input(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_duplicate_message_id_refused():
    q = VisibilityQueue()
    q.send("x", message_id="a")
    with pytest.raises(ValueError, match="'a'"):
        q.send("y", message_id="a")


def test_queue_cannot_dead_letter_to_itself():
    q = VisibilityQueue()
    with pytest.raises(ValueError, match="own"):
        VisibilityQueue.__init__(q, max_receive_count=1, dead_letter_queue=q)


def test_shared_dead_letter_queue_loses_nothing_when_ids_collide():
    # SQS lets several source queues share one DLQ; both sources here number
    # their messages m1, m2, ... so the ids collide in the DLQ.
    clock = ManualClock()
    dlq = VisibilityQueue(clock=clock)
    sources = [
        VisibilityQueue(
            clock=clock, visibility_timeout=1, max_receive_count=1, dead_letter_queue=dlq
        )
        for _ in range(2)
    ]
    for name, q in zip("ab", sources, strict=True):
        q.send(f"{name}-poison")
        assert q.receive()[0].message_id == "m1"
    clock.advance(1)
    for q in sources:
        assert q.receive() == []
        assert len(q) == 0
    moved = dlq.receive(10)
    assert sorted((m.message_id, m.body) for m in moved) == [("m1", "a-poison"), ("m2", "b-poison")]


def test_generated_id_skips_an_id_the_caller_chose():
    q = VisibilityQueue(clock=ManualClock())
    assert q.send("x", message_id="m1") == "m1"
    assert q.send("y") == "m2"
    assert [r.message_id for r in q.receive(10)] == ["m1", "m2"]


def test_dead_lettered_message_keeps_its_original_send_time():
    # SQS standard queues: "the enqueue timestamp is unchanged" on the move, so
    # the DLQ's retention counts from the first send.
    clock = ManualClock()
    dlq = VisibilityQueue(clock=clock, retention_period=100)
    q = VisibilityQueue(
        clock=clock, visibility_timeout=60, max_receive_count=1, dead_letter_queue=dlq
    )
    q.send("poison")
    q.receive()
    clock.advance(60)
    assert q.receive() == []  # moved at t=60
    clock.advance(39)
    assert dlq.receive()[0].body == "poison"  # t=99: still within 100 s of the send
    clock.advance(1)
    assert dlq.receive() == []  # in flight; once visible again it is past retention
    clock.advance(30)
    assert dlq.receive() == []
    assert (len(dlq), dlq.expired) == (0, 1)


def test_change_visibility_total_is_capped_at_12_hours_after_the_receive():
    clock = ManualClock()
    q = VisibilityQueue(clock=clock)
    q.send("long job")
    handle = q.receive()[0].receipt_handle
    q.change_visibility(handle, 43_200)  # exactly 12 h after the receive: allowed
    clock.advance(43_000)
    q.change_visibility(handle, 200)  # still ends at 12 h
    with pytest.raises(ValueError, match="43201 s after the receive"):
        q.change_visibility(handle, 201)
    clock.advance(200)
    again = q.receive()[0]  # visible again at 12 h; a new receive starts a new 12 h
    assert again.receive_count == 2
    q.change_visibility(again.receipt_handle, 43_200)


def test_fifo_forgets_dedup_ids_after_the_window():
    clock = ManualClock()
    q = FifoQueue(clock=clock, content_based_deduplication=True)
    for i in range(1_000):
        q.send(f"order {i}", group_id="g")
        for m in q.receive(10):
            q.delete(m.receipt_handle)
        clock.advance(100)
    assert len(q._seen) <= 4  # only the ids of the last 300 s are remembered
    assert q.send("order 999", group_id="g").duplicate  # sent 100 s ago
    assert not q.send("order 996", group_id="g").duplicate  # sent 400 s ago
