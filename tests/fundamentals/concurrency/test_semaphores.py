"""Semaphore patterns: the two-phase barrier against threading.Barrier, the lightswitch."""

from __future__ import annotations

import threading

import pytest

from studybook.fundamentals.concurrency import Lightswitch, SemaphoreBarrier

from .conftest import join_all, start, wait_until


class _StdBarrier:
    """threading.Barrier behind the same wait() -> round interface: the oracle."""

    def __init__(self, parties: int) -> None:
        self._barrier = threading.Barrier(parties)

    def wait(self) -> int:
        self._barrier.wait()
        return -1  # threading.Barrier does not number rounds


@pytest.mark.parametrize("barrier_type", [SemaphoreBarrier, _StdBarrier])
@pytest.mark.parametrize("parties", [1, 2, 5])
def test_no_thread_leaves_a_round_early_or_laps_a_slow_one(barrier_type, parties):
    # A one-turnstile barrier fails this: a fast thread laps round r + 1
    # through the turnstile left open for round r, before the others arrive.
    rounds = 30
    barrier = barrier_type(parties)
    lock = threading.Lock()
    arrived = [0] * rounds
    left = [0] * rounds
    errors: list[str] = []
    returned: list[set[int]] = [set() for _ in range(rounds)]

    def party() -> None:
        for r in range(rounds):
            with lock:
                arrived[r] += 1
            number = barrier.wait()
            with lock:
                if arrived[r] != parties:
                    errors.append(f"left round {r} with only {arrived[r]} arrived")
                returned[r].add(number)
                left[r] += 1

    join_all([start(party) for _ in range(parties)])
    assert errors == []
    assert arrived == left == [parties] * rounds
    if isinstance(barrier, SemaphoreBarrier):
        assert returned == [{r} for r in range(rounds)]
        assert barrier.rounds == rounds
        barrier._check_invariants()


def test_a_barrier_holds_everyone_until_the_last_party_arrives():
    barrier = SemaphoreBarrier(3)
    passed = threading.Event()
    early = [start(barrier.wait) for _ in range(2)]
    # Both early threads are asleep on turnstile 1 once the count reaches 2.
    wait_until(lambda: barrier._count == 2, "two parties have arrived")
    assert all(t.is_alive() for t in early)
    assert barrier.rounds == 0
    last = start(lambda: (barrier.wait(), passed.set()))
    join_all([*early, last])
    assert passed.is_set()
    assert barrier.rounds == 1


def test_lightswitch_keeps_the_room_while_any_reader_is_in():
    room = threading.Semaphore(1)
    readers = Lightswitch()
    readers.lock(room)
    readers.lock(room)
    assert readers.count == 2
    assert not room.acquire(blocking=False)  # a writer is kept out
    readers.unlock(room)
    assert not room.acquire(blocking=False)  # still one reader inside
    readers.unlock(room)
    assert readers.count == 0
    assert room.acquire(blocking=False)  # the last reader out turned off the light
    room.release()
    readers._check_invariants()


def test_first_reader_waits_for_a_writer_and_later_readers_queue_behind_it():
    room = threading.Semaphore(1)
    readers = Lightswitch()
    room.acquire()  # a writer is inside
    entered: list[int] = []

    def reader(i: int) -> None:
        readers.lock(room)
        entered.append(i)

    threads = [start(reader, i) for i in range(3)]
    wait_until(lambda: readers._count == 1, "the first reader blocks on the room")
    assert entered == []
    room.release()  # the writer leaves
    join_all(threads)
    assert sorted(entered) == [0, 1, 2]
    assert readers.count == 3
    for _ in range(3):
        readers.unlock(room)
    assert room.acquire(blocking=False)


def test_readers_writer_lock_from_a_lightswitch_excludes_writers_under_stress():
    room = threading.Semaphore(1)
    readers = Lightswitch()
    state = {"readers": 0, "writers": 0}
    guard = threading.Lock()
    errors: list[str] = []

    def read() -> None:
        for _ in range(200):
            readers.lock(room)
            with guard:
                state["readers"] += 1
                if state["writers"]:
                    errors.append("reader inside with a writer")
            with guard:
                state["readers"] -= 1
            readers.unlock(room)

    def write() -> None:
        for _ in range(100):
            with room:
                with guard:
                    state["writers"] += 1
                    if state["writers"] > 1 or state["readers"]:
                        errors.append(f"writer not alone: {state}")
                with guard:
                    state["writers"] -= 1

    join_all([start(read) for _ in range(3)] + [start(write) for _ in range(2)])
    assert errors == []


@pytest.mark.parametrize(
    ("parties", "error", "message"),
    [
        (0, ValueError, "parties must be at least 1, got 0"),
        (-2, ValueError, "parties must be at least 1, got -2"),
        (True, TypeError, "parties must be an int, got bool: True"),
        (2.0, TypeError, "parties must be an int, got float: 2.0"),
        (float("nan"), TypeError, "parties must be an int, got float: nan"),
        ("3", TypeError, "parties must be an int, got str: '3'"),
    ],
)
def test_barrier_rejects_bad_parties(parties, error, message):
    with pytest.raises(error, match=f"^{message}$".replace("(", r"\(").replace(")", r"\)")):
        SemaphoreBarrier(parties)


@pytest.mark.parametrize("room", [None, 3, "room", object()])
def test_lightswitch_rejects_a_room_that_is_not_a_lock(room):
    switch = Lightswitch()
    with pytest.raises(TypeError, match="^room must be a semaphore or lock, got "):
        switch.lock(room)
    with pytest.raises(TypeError, match="^room must be a semaphore or lock, got "):
        switch.unlock(room)
    assert switch.count == 0


def test_unlock_without_lock_is_an_error():
    with pytest.raises(ValueError, match="^unlock of a lightswitch nobody holds$"):
        Lightswitch().unlock(threading.Semaphore(1))
