"""A bounded blocking queue built from one lock and two condition variables.

The producer/consumer problem in its most useful form: producers block while
the queue is full (back pressure), consumers block while it is empty, and
``close`` lets every blocked thread go home. The standard library's
``queue.Queue`` is built the same way (one mutex, ``not_empty`` and
``not_full`` conditions); this version adds ``close``, which Go channels have
and ``queue.Queue`` only gained in Python 3.13 as ``shutdown``.

Invariant: ``0 <= len(q) <= capacity``; every item put is got exactly once,
in FIFO order; after ``close`` no put succeeds and gets drain what is left.

=========  =====================================  ======
operation  blocks while                           cost
=========  =====================================  ======
put        full and open                          O(1)
get        empty and open                         O(1)
close      never (wakes every waiter)             O(w)
=========  =====================================  ======

>>> q = BoundedBlockingQueue(2)
>>> q.put("a"); q.put("b")
>>> q.put("c", timeout=0)
Traceback (most recent call last):
TimeoutError: put timed out: the queue is full (2 items)

Primary sources: E. W. Dijkstra, "Cooperating sequential processes", EWD 123,
1965 (the bounded buffer with semaphores); C. A. R. Hoare, "Monitors: an
operating system structuring concept", CACM 17(10), 1974; B. W. Lampson and
D. D. Redell, "Experience with processes and monitors in Mesa", CACM 23(2),
1980 (why a woken waiter must re-check its condition).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Generic, TypeVar

from studybook.fundamentals.concurrency._check import (
    check_count,
    check_timeout,
    remaining,
    require,
)

__all__ = ["BoundedBlockingQueue", "QueueClosed"]

T = TypeVar("T")


class QueueClosed(RuntimeError):
    """Raised by ``put`` on a closed queue and by ``get`` on a closed, drained one."""


class BoundedBlockingQueue(Generic[T]):
    """A FIFO queue of at most ``capacity`` items whose ``put`` and ``get`` block.

    Args:
        capacity: the most items the queue holds; ``put`` blocks beyond it.

    Raises:
        TypeError: ``capacity`` is not an ``int`` (``bool`` included).
        ValueError: ``capacity`` is less than 1.

    >>> q: BoundedBlockingQueue[int] = BoundedBlockingQueue(3)
    >>> for i in range(3):
    ...     q.put(i)
    >>> [q.get() for _ in range(3)], len(q)
    ([0, 1, 2], 0)
    >>> BoundedBlockingQueue(0)
    Traceback (most recent call last):
    ValueError: capacity must be at least 1, got 0
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = check_count(capacity, "capacity", minimum=1)
        self._items: deque[T] = deque()
        self._closed = False
        self._waiting = 0  # threads asleep in put or get, for tests and monitoring
        # Two conditions on ONE lock: the state they guard is the same deque,
        # but putters and getters wait for different things, so each side
        # can wake exactly one waiter of the other kind with notify().
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)

    @property
    def capacity(self) -> int:
        """The most items the queue holds."""
        return self._capacity

    @property
    def closed(self) -> bool:
        """Whether ``close`` has been called."""
        with self._lock:
            return self._closed

    @property
    def waiting(self) -> int:
        """How many threads are blocked in ``put`` or ``get`` right now.

        A test can poll it to know that its threads really are asleep before
        it acts, instead of sleeping and hoping.

        >>> BoundedBlockingQueue(1).waiting
        0
        """
        with self._lock:
            return self._waiting

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def put(self, item: T, timeout: float | None = None) -> None:
        """Append ``item``, waiting while the queue is full.

        Args:
            item: any object (``None`` included).
            timeout: seconds to wait for room; ``None`` waits forever, ``0``
                does not wait.

        Raises:
            TimeoutError: still full when the timeout expired.
            QueueClosed: the queue is closed (before or while waiting).
            ValueError, TypeError: a NaN, negative or non-numeric timeout.

        Complexity: O(1) plus the wait.

        >>> q = BoundedBlockingQueue(1)
        >>> q.put(None)
        >>> q.close()
        >>> q.put(1)
        Traceback (most recent call last):
        studybook.fundamentals.concurrency.queue.QueueClosed: put on a closed queue
        """
        deadline = _deadline(check_timeout(timeout))
        with self._not_full:
            # A while, not an if: a woken waiter must re-check, because another
            # thread may have filled the slot first (Mesa semantics) and
            # because wait() may return for no reason at all (a spurious
            # wakeup, allowed by POSIX condition variables).
            while len(self._items) >= self._capacity and not self._closed:
                left = remaining(deadline)
                if left is not None and left <= 0:
                    raise TimeoutError(f"put timed out: the queue is full ({self._capacity} items)")
                self._sleep(self._not_full, left)
            if self._closed:
                raise QueueClosed("put on a closed queue")
            self._items.append(item)
            self._not_empty.notify()

    def get(self, timeout: float | None = None) -> T:
        """Remove and return the oldest item, waiting while the queue is empty.

        Items put before ``close`` can still be got after it: ``close`` stops
        producers, not consumers.

        Args:
            timeout: seconds to wait for an item; ``None`` waits forever, ``0``
                does not wait.

        Returns:
            The oldest item.

        Raises:
            TimeoutError: still empty when the timeout expired.
            QueueClosed: the queue is closed and empty.
            ValueError, TypeError: a NaN, negative or non-numeric timeout.

        Complexity: O(1) plus the wait.

        >>> q = BoundedBlockingQueue(2)
        >>> q.put("last"); q.close()
        >>> q.get()
        'last'
        >>> q.get()
        Traceback (most recent call last):
        studybook.fundamentals.concurrency.queue.QueueClosed: get on a closed, empty queue
        """
        deadline = _deadline(check_timeout(timeout))
        with self._not_empty:
            while not self._items and not self._closed:
                left = remaining(deadline)
                if left is not None and left <= 0:
                    raise TimeoutError("get timed out: the queue is empty")
                self._sleep(self._not_empty, left)
            if not self._items:
                raise QueueClosed("get on a closed, empty queue")
            item = self._items.popleft()
            self._not_full.notify()
            return item

    def _sleep(self, condition: threading.Condition, timeout: float | None) -> None:
        # Called with the lock held; wait() releases it while asleep, so the
        # counter is exact whenever another thread can read it.
        self._waiting += 1
        try:
            condition.wait(timeout)
        finally:
            self._waiting -= 1

    def close(self) -> None:
        """Refuse further puts and wake every waiting thread; idempotent.

        Complexity: O(w) for w waiting threads.
        """
        with self._lock:
            self._closed = True
            self._not_empty.notify_all()
            self._not_full.notify_all()

    def _check_invariants(self) -> None:
        with self._lock:
            n = len(self._items)
            require(0 <= n <= self._capacity, f"{n} items in a queue of capacity {self._capacity}")
            require(self._waiting >= 0, f"{self._waiting} waiting threads")


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout
