"""Semaphore patterns: the two-phase barrier against threading.Barrier, the lightswitch."""

from __future__ import annotations

import asyncio
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
    class WatchedRoom:
        """A Semaphore(1) that counts the threads that have called acquire."""

        def __init__(self) -> None:
            self._sem = threading.Semaphore(1)
            self.callers = 0

        def acquire(self) -> bool:
            self.callers += 1
            return self._sem.acquire()

        def release(self) -> None:
            self._sem.release()

    room = WatchedRoom()
    readers = Lightswitch()
    room.acquire()  # a writer is inside
    entered: list[int] = []

    def reader(i: int) -> None:
        readers.lock(room)
        entered.append(i)

    threads = [start(reader, i) for i in range(3)]
    wait_until(lambda: room.callers == 2, "the first reader blocks on the room")
    assert entered == []
    # The first reader holds the switch's mutex while it waits, so read the
    # count without it: nobody is counted inside until the room is taken.
    assert readers._count == 0
    room.release()  # the writer leaves
    join_all(threads)
    assert sorted(entered) == [0, 1, 2]
    assert readers.count == 3
    assert room.callers == 2  # only the first reader asked for the room
    for _ in range(3):
        readers.unlock(room)
    assert room._sem.acquire(blocking=False)


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


def test_a_lightswitch_refuses_a_second_room_instead_of_releasing_it():
    # Releasing a room the switch never took would raise a Semaphore(1) to 2
    # and let two writers in at once.
    room, other = threading.Semaphore(1), threading.Semaphore(1)
    switch = Lightswitch()
    switch.lock(room)
    with pytest.raises(ValueError, match="^lightswitch holds another room, got "):
        switch.lock(other)
    with pytest.raises(ValueError, match="^lightswitch holds another room, got "):
        switch.unlock(other)
    assert switch.count == 1
    assert other.acquire(blocking=False)
    assert not other.acquire(blocking=False)
    other.release()  # the refused calls left it untouched at 1
    switch.unlock(room)
    switch._check_invariants()
    switch.lock(other)  # once empty, the switch may guard another room
    assert not other.acquire(blocking=False)


def test_a_lightswitch_refuses_an_asyncio_room():
    # asyncio.Semaphore.acquire() only builds a coroutine: the room would
    # never be taken and writers would walk in.
    with pytest.raises(
        TypeError, match="^room must be a threading semaphore or lock, not an asyncio"
    ):
        Lightswitch().lock(asyncio.Semaphore(1))


def test_a_failing_release_leaves_the_switch_consistent():
    # An RLock may be released only by its owner; the last reader out is
    # another thread, so release raises. The switch must still count the
    # reader as inside rather than claim the room is free.
    room = threading.RLock()
    switch = Lightswitch()
    switch.lock(room)
    errors: list[BaseException] = []

    def leave() -> None:
        try:
            switch.unlock(room)
        except RuntimeError as e:
            errors.append(e)

    join_all([start(leave)])
    assert [type(e) for e in errors] == [RuntimeError]
    assert switch.count == 1
    switch._check_invariants()
    switch.unlock(room)  # the owner can
    assert switch.count == 0
    switch._check_invariants()


def test_an_interrupted_room_acquire_leaves_the_switch_off():
    class FailingRoom:
        def acquire(self) -> bool:
            raise KeyboardInterrupt

        def release(self) -> None:  # pragma: no cover - never reached
            raise AssertionError("released a room that was never taken")

    switch = Lightswitch()
    with pytest.raises(KeyboardInterrupt):
        switch.lock(FailingRoom())
    assert switch.count == 0
    switch._check_invariants()
