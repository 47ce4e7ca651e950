"""A bounded, thread-safe connection pool with checkout health checks.

Opening a database connection costs a TCP (and often TLS) handshake,
authentication and, in PostgreSQL, a new server process; a pool pays that
once and lends connections out. The invariant the tests hammer with many
threads: **never more than** ``max_size`` **connections open, and every
borrowed connection comes back** (or is closed and its slot freed), even when
the borrower raises.

=====================  ====================================================
operation              behaviour
=====================  ====================================================
acquire                idle one (health-checked), else a new one if below
                       ``max_size``, else wait up to ``timeout``
release                reset (e.g. rollback) and park; closed if reset fails
connection()           acquire + release in a ``with`` block
close                  close idle now, the rest as they come back
=====================  ====================================================

>>> import sqlite3
>>> pool = ConnectionPool(lambda: sqlite3.connect(":memory:"), max_size=2)
>>> with pool.connection() as conn:
...     conn.execute("SELECT 1").fetchone()
(1,)
>>> pool.stats()
PoolStats(open=1, idle=1, in_use=0, created=1, discarded=0, peak_open=1)
>>> pool.close()
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Generic, TypeVar

from studybook._validate import check_callable, check_int, check_real

__all__ = ["ConnectionPool", "PoolClosedError", "PoolStats", "PoolTimeoutError"]

C = TypeVar("C")


class PoolTimeoutError(TimeoutError):
    """No connection became free within the acquire timeout."""


class PoolClosedError(RuntimeError):
    """The pool was closed."""


@dataclass(frozen=True)
class PoolStats:
    """A snapshot of the pool's counters.

    Attributes:
        open: connections open now (idle plus lent out).
        idle: connections parked in the pool.
        in_use: connections lent out.
        created: connections ever opened.
        discarded: connections closed because a check or reset failed (or the
            pool was closed while they were being opened).
        peak_open: the most connections ever open at once.
    """

    open: int
    idle: int
    in_use: int
    created: int
    discarded: int
    peak_open: int


def _close_quietly(conn: object) -> None:
    close = getattr(conn, "close", None)
    if callable(close):
        with suppress(Exception):  # a broken connection may fail to close
            close()


def _rollback(conn: object) -> None:
    rollback = getattr(conn, "rollback", None)
    if callable(rollback):
        rollback()


class ConnectionPool(Generic[C]):
    """Lend at most ``max_size`` connections made by ``factory``.

    Args:
        factory: opens a new connection.
        max_size: the bound on open connections (>= 1).
        timeout: default seconds :meth:`acquire` waits for a free connection.
        check: returns ``True`` if an idle connection still works; run on
            every checkout (a connection that fails it, or raises, is closed
            and replaced). ``None`` skips the check.
        reset: run on every return (default: ``rollback()`` if the
            connection has it), so no transaction leaks to the next borrower.
        close: closes a connection (default: its ``close()``).
        clock: the monotonic clock for timeouts.

    Raises:
        TypeError: a callable that is not, ``max_size`` not an int.
        ValueError: ``max_size < 1`` or ``timeout`` negative, NaN or infinite.
    """

    def __init__(
        self,
        factory: Callable[[], C],
        *,
        max_size: int,
        timeout: float = 5.0,
        check: Callable[[C], bool] | None = None,
        reset: Callable[[C], None] = _rollback,
        close: Callable[[C], None] = _close_quietly,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, value in (
            ("factory", factory),
            ("reset", reset),
            ("close", close),
            ("clock", clock),
        ):
            check_callable(value, name)
        if check is not None:
            check_callable(check, "check")
        self._factory = factory
        self._max_size = check_int(max_size, "max_size", minimum=1)
        self._timeout = check_real(timeout, "timeout", low=0)
        self._check = check
        self._reset = reset
        self._close = close
        self._clock = clock
        self._lock = threading.Condition()
        self._idle: deque[C] = deque()
        self._lent: set[int] = set()
        self._open = 0
        self._created = 0
        self._discarded = 0
        self._peak = 0
        self._closed = False

    def acquire(self, timeout: float | None = None) -> C:
        """Borrow a connection; the caller must :meth:`release` it.

        Args:
            timeout: seconds to wait when all ``max_size`` are lent out
                (``None``: the pool's default).

        Returns:
            A connection that passed the health check (or is new).

        Raises:
            PoolTimeoutError: none became free in time.
            PoolClosedError: the pool is closed.
            ValueError: ``timeout`` negative, NaN or infinite.

        Complexity: O(1) plus the health check; a new connection costs the factory.
        """
        wait = self._timeout if timeout is None else check_real(timeout, "timeout", low=0)
        deadline = self._clock() + wait
        while True:
            conn, fresh = self._take(deadline, wait)
            try:
                usable = fresh or self._healthy(conn)
            except BaseException:  # KeyboardInterrupt in the check: free the slot, then stop
                self._discard(conn)
                raise
            if usable:
                with self._lock:
                    self._lent.add(id(conn))
                return conn
            self._discard(conn)

    def _take(self, deadline: float, wait: float) -> tuple[C, bool]:
        with self._lock:
            while True:
                if self._closed:
                    raise PoolClosedError("pool is closed")
                if self._idle:
                    return self._idle.pop(), False
                if self._open < self._max_size:
                    self._open += 1  # reserve the slot before the slow connect
                    self._peak = max(self._peak, self._open)
                    break
                remaining = deadline - self._clock()
                if remaining <= 0:
                    raise PoolTimeoutError(
                        f"no connection free within {wait:g} s (max_size={self._max_size})"
                    )
                self._lock.wait(min(remaining, threading.TIMEOUT_MAX))
        try:
            conn = self._factory()
        except BaseException:
            with self._lock:
                self._open -= 1
                self._lock.notify()
            raise
        with self._lock:
            self._created += 1
            closed = self._closed_now()  # a fresh read: close() may have run meanwhile
        if closed:  # close() ran while we were connecting: do not lend from a closed pool
            self._discard(conn)
            raise PoolClosedError("pool is closed")
        return conn, True

    def _closed_now(self) -> bool:
        return self._closed

    def _healthy(self, conn: C) -> bool:
        if self._check is None:
            return True
        try:
            return bool(self._check(conn))
        except Exception:
            return False

    def _discard(self, conn: C) -> None:
        try:
            self._close(conn)
        finally:  # the slot is freed even if a custom close raises
            with self._lock:
                self._open -= 1
                self._discarded += 1
                self._lock.notify()

    def release(self, conn: C) -> None:
        """Give back a borrowed connection.

        It is reset (default: rolled back); if the reset raises it is closed
        and its slot freed. After :meth:`close`, it is closed.

        Raises:
            ValueError: ``conn`` is not lent out by this pool (a double release).

        Complexity: O(1) plus the reset.
        """
        with self._lock:
            if id(conn) not in self._lent:
                raise ValueError(f"connection was not borrowed from this pool, got {conn!r}")
            self._lent.remove(id(conn))
        try:
            self._reset(conn)
        except Exception:
            self._discard(conn)
            return
        except BaseException:  # interrupted mid-reset: the connection's state is unknown
            self._discard(conn)
            raise
        with self._lock:
            if not self._closed:
                self._idle.append(conn)
                self._lock.notify()
                return
            self._open -= 1
        self._close(conn)

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[C]:
        """Borrow a connection for a ``with`` block; it comes back even if the block raises.

        Raises:
            PoolTimeoutError: as :meth:`acquire`.
            PoolClosedError: as :meth:`acquire`.

        Complexity: as :meth:`acquire` plus :meth:`release`.
        """
        conn = self.acquire(timeout)
        try:
            yield conn
        finally:
            self.release(conn)

    def close(self) -> None:
        """Close idle connections now and lent ones when they return; wake every waiter.

        Idempotent. Later :meth:`acquire` calls raise :class:`PoolClosedError`.

        Complexity: O(idle).
        """
        with self._lock:
            self._closed = True
            idle = list(self._idle)
            self._idle.clear()
            self._open -= len(idle)
            self._lock.notify_all()
        errors = []
        for conn in idle:  # close them all even if a custom close raises, then report the first
            try:
                self._close(conn)
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]

    def stats(self) -> PoolStats:
        """Return the counters now. Complexity: O(1)."""
        with self._lock:
            return PoolStats(
                open=self._open,
                idle=len(self._idle),
                in_use=len(self._lent),
                created=self._created,
                discarded=self._discarded,
                peak_open=self._peak,
            )

    def _check_invariants(self) -> None:
        with self._lock:
            parked_or_lent = len(self._idle) + len(self._lent)
            if not 0 <= parked_or_lent <= self._open <= self._max_size:
                raise AssertionError(
                    f"idle={len(self._idle)} open={self._open} max={self._max_size}"
                )
            if self._peak > self._max_size:
                raise AssertionError(f"peak {self._peak} > max {self._max_size}")
