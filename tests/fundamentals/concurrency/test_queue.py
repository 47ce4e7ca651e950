"""BoundedBlockingQueue: a model check, many-thread stress tests, timeouts, close, bad input."""

from __future__ import annotations

import random
from collections import deque

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.fundamentals.concurrency import BoundedBlockingQueue, QueueClosed

from .conftest import join_all, start, wait_until


class QueueMachine(RuleBasedStateMachine):
    """Single-threaded: with timeout=0 the queue must behave exactly like a bounded deque."""

    def __init__(self) -> None:
        super().__init__()
        self.q: BoundedBlockingQueue[int] = BoundedBlockingQueue(3)
        self.model: deque[int] = deque()
        self.closed = False

    @rule(item=st.integers())
    def put(self, item: int) -> None:
        if self.closed:
            with pytest.raises(QueueClosed):
                self.q.put(item, timeout=0)
        elif len(self.model) == 3:
            with pytest.raises(
                TimeoutError, match=r"^put timed out: the queue is full \(3 items\)$"
            ):
                self.q.put(item, timeout=0)
        else:
            self.q.put(item, timeout=0)
            self.model.append(item)

    @rule()
    def get(self) -> None:
        if self.model:
            assert self.q.get(timeout=0) == self.model.popleft()
        elif self.closed:
            with pytest.raises(QueueClosed):
                self.q.get(timeout=0)
        else:
            with pytest.raises(TimeoutError):
                self.q.get(timeout=0)

    @rule()
    def close(self) -> None:
        self.q.close()
        self.closed = True

    @invariant()
    def same_as_model(self) -> None:
        self.q._check_invariants()
        assert len(self.q) == len(self.model)
        assert self.q.closed == self.closed


TestQueueMachine = QueueMachine.TestCase
TestQueueMachine.settings = settings(max_examples=15, stateful_step_count=25, deadline=None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_many_producers_and_consumers_nothing_lost_or_duplicated(seed):
    rng = random.Random(seed)
    producers, consumers, per_producer = 6, 5, 300
    q: BoundedBlockingQueue[tuple[int, int]] = BoundedBlockingQueue(rng.randint(1, 4))
    received: list[list[tuple[int, int]]] = [[] for _ in range(consumers)]

    def produce(p: int) -> None:
        for i in range(per_producer):
            q.put((p, i), timeout=10)

    def consume(c: int) -> None:
        while True:
            try:
                received[c].append(q.get(timeout=10))
            except QueueClosed:
                return

    prods = [start(produce, p) for p in range(producers)]
    cons = [start(consume, c) for c in range(consumers)]
    join_all(prods)
    q.close()
    join_all(cons)
    everything = [item for part in received for item in part]
    assert len(everything) == producers * per_producer  # nothing duplicated ...
    assert set(everything) == {(p, i) for p in range(producers) for i in range(per_producer)}
    for part in received:  # ... and FIFO per producer, as each consumer saw it
        for p in range(producers):
            seq = [i for pp, i in part if pp == p]
            assert seq == sorted(seq)
    q._check_invariants()


def test_close_wakes_blocked_getters_and_putters():
    empty: BoundedBlockingQueue[int] = BoundedBlockingQueue(1)
    full: BoundedBlockingQueue[int] = BoundedBlockingQueue(1)
    full.put(0)
    outcomes: list[str] = []

    def blocked(fn) -> None:
        try:
            fn()
        except QueueClosed as exc:
            outcomes.append(str(exc))

    threads = [start(blocked, empty.get) for _ in range(3)]
    threads += [start(blocked, lambda: full.put(1)) for _ in range(3)]
    # Close only once all six threads are asleep inside the queue, so the test
    # exercises the wake-up path and not the "already closed" fast path.
    wait_until(lambda: empty.waiting == 3 and full.waiting == 3, "all six threads block")
    assert outcomes == []
    empty.close()
    full.close()
    join_all(threads)
    assert sorted(outcomes) == ["get on a closed, empty queue"] * 3 + ["put on a closed queue"] * 3
    assert full.get(timeout=0) == 0  # items put before close are still delivered
    assert empty.waiting == full.waiting == 0


def test_a_blocked_put_completes_when_a_slot_frees():
    q: BoundedBlockingQueue[str] = BoundedBlockingQueue(1)
    q.put("a")
    t = start(q.put, "b", 10)
    assert q.get(timeout=10) == "a"
    join_all([t])
    assert q.get(timeout=0) == "b"


def test_timeout_expires_without_an_item():
    q: BoundedBlockingQueue[int] = BoundedBlockingQueue(2)
    with pytest.raises(TimeoutError, match=r"^get timed out: the queue is empty$"):
        q.get(timeout=0.01)


@pytest.mark.parametrize(
    ("capacity", "error", "message"),
    [
        (0, ValueError, "capacity must be at least 1, got 0"),
        (-3, ValueError, "capacity must be at least 1, got -3"),
        (True, TypeError, "capacity must be an int, got bool: True"),
        (2.0, TypeError, "capacity must be an int, got float: 2.0"),
        ("4", TypeError, "capacity must be an int, got str: '4'"),
    ],
)
def test_bad_capacity(capacity, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        BoundedBlockingQueue(capacity)


@pytest.mark.parametrize(
    ("timeout", "error"),
    [(float("nan"), ValueError), (-1, ValueError), (True, TypeError), ("1", TypeError)],
)
def test_bad_timeouts_are_rejected_before_touching_the_queue(timeout, error):
    q: BoundedBlockingQueue[int] = BoundedBlockingQueue(1)
    with pytest.raises(error, match=repr(timeout).replace("(", r"\(")):
        q.put(1, timeout=timeout)
    with pytest.raises(error):
        q.get(timeout=timeout)
    assert len(q) == 0


@pytest.mark.parametrize("forever", [float("inf"), 1e308, 10**400], ids=["inf", "1e308", "10**400"])
def test_infinite_or_huge_timeout_means_forever(forever):
    # Past threading.TIMEOUT_MAX, Condition.wait raises OverflowError; the
    # queue must treat such a timeout as "wait forever" instead.
    q: BoundedBlockingQueue[int] = BoundedBlockingQueue(1)
    q.put(7, timeout=forever)
    t = start(q.put, 8, forever)  # blocks: the queue is full
    assert q.get(timeout=forever) == 7
    join_all([t])
    assert q.get(timeout=forever) == 8
