"""The message queue: fan-out to groups, one consumer per message, retries, DLQ, threads."""

from __future__ import annotations

import math
import random
import threading
import time

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.senior.build_redis.queue import MessageQueue


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _drain(q, topic, group, consumer="c"):
    out = []
    while (d := q.poll(topic, group, consumer)) is not None:
        out.append(d)
    return out


def test_every_group_gets_every_message_and_each_message_one_consumer_per_group():
    q = MessageQueue(clock=FakeClock())
    for group in ("billing", "audit"):
        q.subscribe("orders", group)
    for i in range(10):
        assert q.publish("orders", f"o{i}") == i
    consumers = ["a", "b", "c"]
    for group in ("billing", "audit"):
        got = []
        for i in range(10):
            d = q.poll("orders", group, consumers[i % 3])
            got.append(d.payload)
        assert q.poll("orders", group, "a") is None  # all ten are in flight, none twice
        assert got == [f"o{i}" for i in range(10)]
    late = "late"
    q.subscribe("orders", late, start="latest")
    assert q.poll("orders", late, "x") is None
    q.publish("orders", "new")
    assert q.poll("orders", late, "x").payload == "new"
    q._check_invariants()


def test_redelivery_uses_exponential_backoff_then_dead_letters():
    clock = FakeClock()
    q = MessageQueue(clock=clock, visibility_timeout=10, max_retries=3, backoff_base=1)
    q.subscribe("t", "g")
    q.publish("t", "poison")
    delivered_at = []
    while not q.dead_letters("t", "g"):
        d = q.poll("t", "g", "c")
        if d is not None:
            delivered_at.append((clock.now, d.attempt))
        clock.now += 0.5
    # timeouts at +10 s; retries 1, 2, 4 s after each timeout; the 4th failure is final
    assert delivered_at == [(0.0, 1), (11.0, 2), (23.0, 3), (37.0, 4)]
    (dead,) = q.dead_letters("t", "g")
    assert (dead.offset, dead.payload, dead.attempts, dead.reason) == (
        0,
        "poison",
        4,
        "visibility timeout",
    )
    assert q.pending("t", "g") == 0
    q._check_invariants()


def test_nack_retries_and_stale_acks_are_refused():
    clock = FakeClock()
    q = MessageQueue(clock=clock, visibility_timeout=5, max_retries=1, backoff_base=2)
    q.subscribe("t", "g")
    q.publish("t", "m")
    first = q.poll("t", "g", "a")
    assert q.nack(first, "bad input")
    assert not q.nack(first)
    assert q.poll("t", "g", "a") is None
    clock.now = 2.0
    second = q.poll("t", "g", "b")
    assert second.attempt == 2
    assert q.ack(first) is False  # the earlier delivery no longer owns the message
    assert q.ack(second) is True
    assert q.ack(second) is False
    assert q.pending("t", "g") == 0
    assert q.dead_letters("t", "g") == []


def test_argument_validation_names_the_bad_value():
    with pytest.raises(ValueError, match="visibility_timeout must be positive, got 0"):
        MessageQueue(visibility_timeout=0)
    with pytest.raises(ValueError, match="max_retries must be at least 0, got -1"):
        MessageQueue(max_retries=-1)
    with pytest.raises(ValueError, match="need 0 <= backoff_base <= backoff_max, got 5, 1"):
        MessageQueue(backoff_base=5, backoff_max=1)
    q = MessageQueue()
    with pytest.raises(ValueError, match="start must be 'earliest' or 'latest', got 'middle'"):
        q.subscribe("t", "g", start="middle")
    with pytest.raises(KeyError, match="no consumer group 'g' on topic 't'"):
        q.poll("t", "g", "c")
    q.subscribe("t", "g")
    with pytest.raises(ValueError, match="timeout must be a finite number, got nan"):
        q.poll("t", "g", "c", timeout=float("nan"))  # used to wait for ever
    with pytest.raises(ValueError, match="timeout must be non-negative, got -1"):
        q.poll("t", "g", "c", timeout=-1)
    with pytest.raises(TypeError, match="timeout must be a number, got True"):
        q.poll("t", "g", "c", timeout=True)
    q.publish("t", "m")
    assert q.poll("t", "g", "c", timeout=math.inf).payload == "m"


def test_consumers_killed_mid_message_lose_nothing():
    """Real threads and a real clock; consumers 'crash' by taking a message and never acking."""
    q = MessageQueue(visibility_timeout=0.2, max_retries=4, backoff_base=0.01, backoff_max=0.05)
    q.subscribe("jobs", "workers")
    total = 300
    for i in range(total):
        q.publish("jobs", i)
    acked: list[int] = []
    lock = threading.Lock()
    rng = random.Random(42)
    crash_odds = {i: rng.random() for i in range(total)}

    def consumer(name: str) -> None:
        while q.pending("jobs", "workers"):
            d = q.poll("jobs", "workers", name, timeout=0.05)
            if d is None:
                continue
            # ~40% of deliveries die mid-message; message 7 always kills its consumer
            if d.payload == 7 or crash_odds[d.payload] * d.attempt < 0.4:
                continue  # this consumer instance "dies": no ack, the message times out
            if q.ack(d):  # False only if this delivery timed out first (then it is redone)
                with lock:
                    acked.append(d.payload)

    threads = [threading.Thread(target=consumer, args=(f"c{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    dead = [d.payload for d in q.dead_letters("jobs", "workers")]
    assert 7 in dead
    assert sorted(acked + dead) == list(range(total))  # nothing lost, nothing finished twice
    q._check_invariants()


def test_many_producers_and_consumers_on_two_groups():
    q = MessageQueue(visibility_timeout=5)
    for group in ("g1", "g2"):
        q.subscribe("t", group)
    seen: dict[str, list[int]] = {"g1": [], "g2": []}
    lock = threading.Lock()

    def producer(base: int) -> None:
        for i in range(250):
            q.publish("t", base + i)

    def consumer(group: str, name: str) -> None:
        idle = 0
        while idle < 10:
            d = q.poll("t", group, name, timeout=0.02)
            if d is None:
                idle += 1
                continue
            idle = 0
            with lock:
                seen[group].append(d.payload)
            q.ack(d)

    threads = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(4)]
    threads += [
        threading.Thread(target=consumer, args=(g, f"{g}-{n}")) for g in seen for n in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    expected = sorted(k * 1000 + i for k in range(4) for i in range(250))
    assert sorted(seen["g1"]) == expected
    assert sorted(seen["g2"]) == expected
    q._check_invariants()


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.q = MessageQueue(clock=self.clock, visibility_timeout=3, max_retries=2)
        self.q.subscribe("t", "g")
        self.out: list = []
        self.published = 0
        self.finished: set[int] = set()

    @rule()
    def publish(self):
        self.q.publish("t", self.published)
        self.published += 1

    @rule(consumer=st.sampled_from(["a", "b"]))
    def poll(self, consumer):
        d = self.q.poll("t", "g", consumer)
        if d is not None:
            assert d.offset not in self.finished  # acked or dead messages never come back
            assert all(o.offset != d.offset or not self._current(o) for o in self.out)
            self.out.append(d)

    def _current(self, d) -> bool:
        return self.q._groups["t", "g"].in_flight.get(d.offset, (None,))[0] == d.receipt

    @rule(data=st.data())
    def ack_or_nack(self, data):
        if self.out:
            d = self.out.pop(data.draw(st.integers(0, len(self.out) - 1)))
            if data.draw(st.booleans()):
                if self.q.ack(d):
                    self.finished.add(d.offset)
            else:
                self.q.nack(d)

    @rule(dt=st.floats(0, 5))
    def tick(self, dt):
        self.clock.now += dt

    @invariant()
    def partitioned(self):
        self.q._check_invariants()
        self.finished |= {d.offset for d in self.q.dead_letters("t", "g")}


QueueMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_queue_state_machine = QueueMachine.TestCase


def test_blocking_poll_wakes_when_a_message_arrives():
    q = MessageQueue()
    q.subscribe("t", "g")
    threading.Timer(0.05, q.publish, args=("t", "x")).start()
    start = time.monotonic()
    d = q.poll("t", "g", "c", timeout=5)
    assert d is not None
    assert d.payload == "x"
    assert time.monotonic() - start < 2
