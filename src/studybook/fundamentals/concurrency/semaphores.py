"""Synchronisation patterns built from nothing but semaphores.

Downey's *Little Book of Semaphores* shows that one primitive, Dijkstra's
counting semaphore, builds all the others. This module keeps two of its
patterns as working code: the *lightswitch* (the first one into a room locks
it for its whole category, the last one out unlocks it), which turns a
semaphore into a readers-writer lock in a few lines, and the *reusable
barrier* made of two turnstiles, which is what ``threading.Barrier`` offers
ready-made. Interviewers like them because each is three or four lines whose
correctness depends on the exact order of the lines.

Invariants: a lightswitch holds the room exactly while its count is positive;
no thread leaves round *r* of a barrier before all ``parties`` threads have
arrived in round *r*, and none enters round *r* + 1 before all have left
round *r*.

========================  ==================================  ==========
operation                 blocks while                        cost
========================  ==================================  ==========
Lightswitch.lock(room)    first in, and the room is taken     O(1)
Lightswitch.unlock(room)  never                               O(1)
SemaphoreBarrier.wait()   fewer than ``parties`` have come    O(n) wakes
========================  ==================================  ==========

>>> room = threading.Semaphore(1)
>>> readers = Lightswitch()
>>> readers.lock(room); readers.lock(room); readers.count
2
>>> room.acquire(blocking=False)   # a writer cannot get in
False

Primary sources: E. W. Dijkstra, "Cooperating sequential processes", EWD 123,
1965; A. B. Downey, *The Little Book of Semaphores*, 2nd ed., version 2.2.1,
2016, sections 3.7 (reusable barrier) and 4.2 (lightswitch).
"""

from __future__ import annotations

import inspect
import threading
from typing import Protocol

from studybook.fundamentals.concurrency._check import check_count, require

__all__ = ["Lightswitch", "Room", "SemaphoreBarrier"]


class Room(Protocol):
    """What a lightswitch guards: a semaphore or a lock."""

    def acquire(self) -> object: ...  # pragma: no cover
    def release(self) -> None: ...  # pragma: no cover


class Lightswitch:
    """A counter whose first ``lock`` takes a shared ``room`` and whose last ``unlock`` frees it.

    Readers share a room; the first reader in turns the light on (acquires
    the room, keeping writers out) and the last reader out turns it off. The
    mutex protects only the counter; the room is a separate semaphore that
    a writer acquires directly. This is reader preference: a steady stream of
    readers keeps the light on forever and starves writers.

    >>> room, switch = threading.Semaphore(1), Lightswitch()
    >>> switch.lock(room); switch.unlock(room); switch.count
    0
    >>> switch.unlock(room)
    Traceback (most recent call last):
    ValueError: unlock of a lightswitch nobody holds

    While anyone is inside, the switch is bound to the room it took: locking
    or unlocking another room is refused, because releasing a semaphore that
    was never acquired would silently let two writers in.
    """

    def __init__(self) -> None:
        self._count = 0
        self._room: Room | None = None  # the room held while _count > 0
        self._mutex = threading.Semaphore(1)

    @property
    def count(self) -> int:
        """How many threads are in the room through this switch."""
        with self._mutex:
            return self._count

    def lock(self, room: Room) -> None:
        """Enter; the first to enter acquires ``room`` (and may block on it).

        Args:
            room: the semaphore (or lock) that the other category acquires directly.

        Raises:
            TypeError: ``room`` has no synchronous ``acquire``/``release``.
            ValueError: the switch already holds a different room.

        Complexity: O(1) plus the wait for the room.
        """
        _check_room(room)
        with self._mutex:
            if self._count == 0:
                # Holding the mutex while waiting for the room is deliberate:
                # later readers queue on the mutex behind the first one
                # instead of slipping past a room they do not hold yet.
                # The count moves only after acquire returns, so an
                # interrupted acquire leaves the switch off, not half on.
                room.acquire()
                self._room = room
            elif room is not self._room:
                raise ValueError(f"lightswitch holds another room, got {room!r}")
            self._count += 1

    def unlock(self, room: Room) -> None:
        """Leave; the last to leave releases ``room``.

        Raises:
            TypeError: ``room`` has no synchronous ``acquire``/``release``.
            ValueError: nobody is in the room through this switch, or
                ``room`` is not the room it holds.

        Complexity: O(1).
        """
        _check_room(room)
        with self._mutex:
            if self._count == 0:
                raise ValueError("unlock of a lightswitch nobody holds")
            if room is not self._room:
                raise ValueError(f"lightswitch holds another room, got {room!r}")
            if self._count == 1:
                # Release first: if it raises (an RLock released by a thread
                # that does not own it), the switch still says who is inside.
                room.release()
                self._room = None
            self._count -= 1

    def _check_invariants(self) -> None:
        with self._mutex:
            require(self._count >= 0, f"negative lightswitch count {self._count}")
            require((self._count > 0) == (self._room is not None), "room held iff count > 0")


def _check_room(room: object) -> None:
    acquire = getattr(room, "acquire", None)
    if not (callable(acquire) and callable(getattr(room, "release", None))):
        raise TypeError(f"room must be a semaphore or lock, got {room!r}")
    if inspect.iscoroutinefunction(acquire):
        # asyncio.Lock/Semaphore: acquire() would only build a coroutine
        # that nobody awaits, and the room would never be taken.
        raise TypeError(f"room must be a threading semaphore or lock, not an asyncio one: {room!r}")


class SemaphoreBarrier:
    """A reusable barrier for ``parties`` threads, made of a mutex and two turnstiles.

    A *turnstile* is a semaphore at 0 that the last thread to arrive opens by
    releasing it once per party; every thread passes through it. One
    turnstile is not enough for reuse: a fast thread could leave, loop round
    and pass the still-open turnstile again before a slow one has left. So
    there are two phases: everyone passes turnstile 1 when all have
    *arrived*, and turnstile 2 when all have *left* phase one. There is no
    timeout; ``threading.Barrier`` adds one, and a ``broken`` state, which is
    why production code should use it. Like Downey's, this barrier assumes
    the same ``parties`` threads call it every round: an extra concurrent
    caller can be counted into a round that is already emptying, and the
    barrier then never opens (``threading.Barrier`` holds it for the next
    round instead).

    Args:
        parties: how many threads must call :meth:`wait` before any returns.

    Raises:
        TypeError: ``parties`` is not an ``int`` (``bool`` included).
        ValueError: ``parties`` is less than 1.

    >>> b = SemaphoreBarrier(1)
    >>> b.wait(), b.wait(), b.rounds
    (0, 1, 2)
    >>> SemaphoreBarrier(0)
    Traceback (most recent call last):
    ValueError: parties must be at least 1, got 0
    """

    def __init__(self, parties: int) -> None:
        self._parties = check_count(parties, "parties", minimum=1)
        self._mutex = threading.Semaphore(1)
        self._count = 0
        self._rounds = 0
        self._turnstile1 = threading.Semaphore(0)
        self._turnstile2 = threading.Semaphore(0)

    @property
    def parties(self) -> int:
        """How many threads each round waits for."""
        return self._parties

    @property
    def rounds(self) -> int:
        """How many rounds have been released so far."""
        with self._mutex:
            return self._rounds

    def wait(self) -> int:
        """Block until all ``parties`` threads have called ``wait`` in this round.

        Returns:
            The number of the round just completed (0, 1, 2, ...), the same
            for every thread of the round.

        Complexity: O(1) per thread, plus O(parties) releases by the last one.
        """
        with self._mutex:
            round_number = self._rounds
            self._count += 1
            if self._count == self._parties:
                self._turnstile1.release(self._parties)  # phase 1: all have arrived
        self._turnstile1.acquire()
        with self._mutex:
            self._count -= 1
            if self._count == 0:
                self._rounds += 1
                self._turnstile2.release(self._parties)  # phase 2: all have left phase 1
        self._turnstile2.acquire()
        return round_number

    def _check_invariants(self) -> None:
        with self._mutex:
            require(0 <= self._count <= self._parties, f"count {self._count} of {self._parties}")
