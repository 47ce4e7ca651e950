"""Readers-writer locks: a FIFO-fair one that starves nobody, and the naive one that does.

Many readers may hold a readers-writer lock at once; a writer holds it alone.
The hard part is fairness. The first solution of Courtois, Heymans and Parnas
(1971) lets a reader in whenever no writer *holds* the lock, so a steady
stream of overlapping readers keeps a writer out forever; their second
solution prefers writers and starves readers instead.

:class:`ReadWriteLock` starves neither side. Every request takes a place in
one FIFO line (a ticket). The request at the head enters as soon as it is
compatible with the holders: a reader when no writer holds the lock, a writer
when nobody does. A reader that enters leaves the head to the next request,
so a run of consecutive readers enters together; a reader that arrives after
a waiting writer queues behind it. Each request therefore waits only for the
requests ahead of it: writers are never starved by readers arriving later,
and readers never by writers arriving later.

Invariant: never a writer together with anyone else; ``readers >= 0``.

=================  ============================  =====================
lock               a writer waits for             a reader waits for
=================  ============================  =====================
ReadWriteLock      requests ahead of it           requests ahead of it
ReaderPreferring   every overlapping reader, ∞    the current writer
=================  ============================  =====================

>>> rw = ReadWriteLock()
>>> rw.acquire_read(), rw.acquire_read(), rw.readers
(True, True, 2)
>>> rw.acquire_write(timeout=0)
False

Primary source: P. J. Courtois, F. Heymans, D. L. Parnas, "Concurrent control
with 'readers' and 'writers'", Communications of the ACM 14(10), 1971.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Protocol

from studybook.fundamentals.concurrency._check import check_timeout, remaining, require

__all__ = ["RWLock", "ReadWriteLock", "ReadWriteLockBase", "ReaderPreferringLock"]


class RWLock(Protocol):
    """What both locks offer: timed acquires, releases and context managers."""

    def acquire_read(self, timeout: float | None = None) -> bool: ...
    def release_read(self) -> None: ...
    def acquire_write(self, timeout: float | None = None) -> bool: ...
    def release_write(self) -> None: ...
    @property
    def waiting(self) -> int: ...
    def read_locked(
        self, timeout: float | None = None
    ) -> contextlib.AbstractContextManager[None]: ...
    def write_locked(
        self, timeout: float | None = None
    ) -> contextlib.AbstractContextManager[None]: ...


class _Request:
    """One place in the line; compared by identity."""

    __slots__ = ("write",)

    def __init__(self, write: bool) -> None:
        self.write = write


class ReadWriteLockBase:
    """State and releases shared by both locks; subclasses decide who may enter."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False

    @property
    def readers(self) -> int:
        """How many threads hold the lock for reading now."""
        with self._cond:
            return self._readers

    @property
    def writing(self) -> bool:
        """Whether a writer holds the lock now."""
        with self._cond:
            return self._writer

    def acquire_read(self, timeout: float | None = None) -> bool:
        """Wait for shared access; return whether it was granted before ``timeout``.

        Args:
            timeout: seconds to wait; ``None`` waits forever, ``0`` tries once.

        Raises:
            ValueError, TypeError: a NaN, negative or non-numeric timeout.

        Complexity: O(1) plus the wait (O(w) for w waiters on each wake-up).
        """
        return self._acquire(write=False, timeout=check_timeout(timeout))

    def acquire_write(self, timeout: float | None = None) -> bool:
        """Wait for exclusive access; return whether it was granted before ``timeout``.

        Args:
            timeout: seconds to wait; ``None`` waits forever, ``0`` tries once.

        Raises:
            ValueError, TypeError: a NaN, negative or non-numeric timeout.

        Complexity: O(1) plus the wait (O(w) for w waiters on each wake-up).
        """
        return self._acquire(write=True, timeout=check_timeout(timeout))

    def _acquire(self, *, write: bool, timeout: float | None) -> bool:
        raise NotImplementedError

    def release_read(self) -> None:
        """Give back shared access.

        Raises:
            RuntimeError: no reader holds the lock.
        """
        with self._cond:
            if self._readers == 0:
                raise RuntimeError("release_read() without a matching acquire_read()")
            self._readers -= 1
            if self._readers == 0:
                self._cond.notify_all()

    def release_write(self) -> None:
        """Give back exclusive access.

        Raises:
            RuntimeError: no writer holds the lock.
        """
        with self._cond:
            if not self._writer:
                raise RuntimeError("release_write() without a matching acquire_write()")
            self._writer = False
            self._cond.notify_all()

    @contextlib.contextmanager
    def read_locked(self, timeout: float | None = None) -> Iterator[None]:
        """``with rw.read_locked():`` holds shared access for the block.

        Raises:
            TimeoutError: not granted within ``timeout`` seconds.
        """
        if not self.acquire_read(timeout):
            raise TimeoutError(f"no read access within {timeout} s")
        try:
            yield
        finally:
            self.release_read()

    @contextlib.contextmanager
    def write_locked(self, timeout: float | None = None) -> Iterator[None]:
        """``with rw.write_locked():`` holds exclusive access for the block.

        Raises:
            TimeoutError: not granted within ``timeout`` seconds.
        """
        if not self.acquire_write(timeout):
            raise TimeoutError(f"no write access within {timeout} s")
        try:
            yield
        finally:
            self.release_write()

    def _check_invariants(self) -> None:
        with self._cond:
            require(self._readers >= 0, f"{self._readers} readers")
            require(not (self._writer and self._readers), f"a writer with {self._readers} readers")


class ReadWriteLock(ReadWriteLockBase):
    """A readers-writer lock that admits requests in FIFO order (a ticket line).

    >>> rw = ReadWriteLock()
    >>> with rw.write_locked():
    ...     rw.writing, rw.acquire_read(timeout=0)
    (True, False)
    >>> rw.release_write()
    Traceback (most recent call last):
    RuntimeError: release_write() without a matching acquire_write()
    """

    def __init__(self) -> None:
        super().__init__()
        self._line: deque[_Request] = deque()

    @property
    def waiting(self) -> int:
        """How many requests are queued, not yet admitted."""
        with self._cond:
            return len(self._line)

    def _acquire(self, *, write: bool, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        me = _Request(write)
        with self._cond:
            self._line.append(me)
            try:
                while not self._may_enter(me):
                    left = remaining(deadline)
                    if left is not None and left <= 0:
                        self._leave_line(me)
                        return False
                    self._cond.wait(left)
            except BaseException:
                # KeyboardInterrupt or an error inside wait(): a request left
                # in the line would block everyone behind it forever.
                self._leave_line(me)
                raise
            self._line.popleft()
            if write:
                self._writer = True
            else:
                self._readers += 1
                # The next request in line may be a reader that can join us.
                self._cond.notify_all()
            return True

    def _leave_line(self, me: _Request) -> None:
        # Leaving the line may unblock the request behind us.
        if me in self._line:
            self._line.remove(me)
            self._cond.notify_all()

    def _may_enter(self, me: _Request) -> bool:
        if self._line[0] is not me or self._writer:
            return False
        return not me.write or self._readers == 0


class ReaderPreferringLock(ReadWriteLockBase):
    """Courtois et al.'s first solution: readers enter whenever no writer holds the lock.

    Kept as the counter-example: a writer waiting here does not stop new
    readers, so overlapping readers can starve it indefinitely.

    >>> rw = ReaderPreferringLock()
    >>> rw.acquire_read(), rw.acquire_write(timeout=0), rw.acquire_read(timeout=0)
    (True, False, True)
    """

    def __init__(self) -> None:
        super().__init__()
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """How many acquires are blocked now."""
        with self._cond:
            return self._waiting

    def _acquire(self, *, write: bool, timeout: float | None) -> bool:
        def admissible() -> bool:
            return not self._writer and (not write or self._readers == 0)

        with self._cond:
            self._waiting += 1
            try:
                if not self._cond.wait_for(admissible, timeout):
                    return False
            finally:
                self._waiting -= 1
            if write:
                self._writer = True
            else:
                self._readers += 1
            return True
