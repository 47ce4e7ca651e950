"""The connection pool: bounded, thread-safe, health-checked, leak-free, closable."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_design import (
    ConnectionPool,
    PoolClosedError,
    PoolStats,
    PoolTimeoutError,
)


class Tracker:
    """Makes sqlite3 connections and counts how many are open at once, independently of the pool."""

    def __init__(self, fail_check_every: int = 0, connect_delay: float = 0.002) -> None:
        self.lock = threading.Lock()
        self.connect_delay = connect_delay  # a real connect is slow: widens any check-then-act race
        self.open = 0
        self.peak = 0
        self.made = 0
        self.fail_check_every = fail_check_every
        self.checks = 0

    def factory(self) -> sqlite3.Connection:
        time.sleep(self.connect_delay)
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        with self.lock:
            self.open += 1
            self.made += 1
            self.peak = max(self.peak, self.open)
        return conn

    def close(self, conn: sqlite3.Connection) -> None:
        conn.close()
        with self.lock:
            self.open -= 1

    def check(self, conn: sqlite3.Connection) -> bool:
        with self.lock:
            self.checks += 1
            failing = self.fail_check_every and self.checks % self.fail_check_every == 0
        if failing:
            return False
        return bool(conn.execute("SELECT 1").fetchone() == (1,))


def _pool(
    tracker: Tracker, max_size: int, timeout: float = 5.0
) -> ConnectionPool[sqlite3.Connection]:
    return ConnectionPool(
        tracker.factory,
        max_size=max_size,
        timeout=timeout,
        check=tracker.check,
        close=tracker.close,
    )


def _hammer(pool: ConnectionPool[sqlite3.Connection], threads: int, rounds: int, seed: int) -> int:
    """Each thread borrows ``rounds`` times and raises in a seeded fraction of them."""
    raised = 0
    lock = threading.Lock()
    start = threading.Barrier(threads)  # every thread asks at once: the burst a pool must survive

    def worker(n: int) -> None:
        nonlocal raised
        rng = random.Random(seed * 1000 + n)
        start.wait(timeout=10)
        for _ in range(rounds):
            try:
                with pool.connection() as conn:
                    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
                    conn.execute(
                        "INSERT INTO t VALUES (1)"
                    )  # left uncommitted: reset must roll back
                    pool._check_invariants()
                    if rng.random() < 0.2:
                        raise KeyError("the borrower failed")
            except KeyError:
                with lock:
                    raised += 1

    with ThreadPoolExecutor(max_workers=threads) as workers:
        for future in [workers.submit(worker, n) for n in range(threads)]:
            future.result()
    return raised


def test_many_threads_never_exceed_max_and_return_everything() -> None:
    tracker = Tracker(fail_check_every=7)
    pool = _pool(tracker, max_size=4)
    raised = _hammer(pool, threads=16, rounds=30, seed=1)
    assert raised > 0  # the borrowers really did fail
    stats = pool.stats()
    assert tracker.peak <= 4
    assert stats.peak_open <= 4
    assert stats.in_use == 0
    assert stats.idle == stats.open == tracker.open
    assert stats.discarded > 0
    assert stats.created == tracker.made
    pool._check_invariants()
    pool.close()
    assert tracker.open == 0
    assert pool.stats().open == 0


@settings(max_examples=15, deadline=None)
@given(
    max_size=st.integers(1, 5),
    threads=st.integers(1, 8),
    fail_every=st.integers(0, 5),
    seed=st.integers(0, 1000),
)
def test_invariant_holds_for_any_sizes(
    max_size: int, threads: int, fail_every: int, seed: int
) -> None:
    tracker = Tracker(fail_check_every=fail_every)
    pool = _pool(tracker, max_size=max_size)
    _hammer(pool, threads=threads, rounds=10, seed=seed)
    assert tracker.peak <= max_size
    assert pool.stats().in_use == 0
    pool.close()
    assert tracker.open == 0


def test_reset_rolls_back_what_the_borrower_left_open() -> None:
    tracker = Tracker()
    pool = _pool(tracker, max_size=1)
    with pool.connection() as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.execute("INSERT INTO t VALUES (1)")
    with pool.connection() as again:
        assert again is conn
        assert again.execute("SELECT count(*) FROM t").fetchone() == (0,)
    pool.close()


def test_acquire_times_out_when_all_are_lent() -> None:
    ticks = iter(range(1000))  # a clock that moves 0.03 s per reading

    def clock() -> float:
        return next(ticks) * 0.03

    pool = ConnectionPool(lambda: object(), max_size=1, timeout=0.05, clock=clock)
    held = pool.acquire()
    with pytest.raises(PoolTimeoutError, match=r"no connection free within 0.05 s \(max_size=1\)"):
        pool.acquire()
    with pytest.raises(PoolTimeoutError):
        pool.acquire(timeout=0)
    pool.release(held)
    assert pool.acquire(timeout=0) is held


def test_a_waiter_gets_the_connection_released_by_another_thread() -> None:
    pool = ConnectionPool(lambda: object(), max_size=1, timeout=10)
    held = pool.acquire()
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire()))
    waiter.start()
    waiter.join(timeout=0.05)
    assert waiter.is_alive()
    assert not got
    pool.release(held)
    waiter.join(timeout=10)
    assert got == [held]


def test_unhealthy_idle_connection_is_closed_and_replaced() -> None:
    tracker = Tracker()
    pool = _pool(tracker, max_size=1)
    first = pool.acquire()
    pool.release(first)
    first.close()  # it died while idle (server restart, firewall timeout)
    with pool.connection() as conn:
        assert conn is not first
        assert conn.execute("SELECT 2").fetchone() == (2,)
    assert pool.stats() == PoolStats(open=1, idle=1, in_use=0, created=2, discarded=1, peak_open=1)


def test_failing_factory_frees_its_slot() -> None:
    calls = [0]

    def flaky() -> object:
        calls[0] += 1
        if calls[0] == 1:
            raise ConnectionRefusedError("database down")
        return object()

    pool = ConnectionPool(flaky, max_size=1, timeout=0)
    with pytest.raises(ConnectionRefusedError):
        pool.acquire()
    assert pool.stats().open == 0
    assert pool.acquire() is not None


def test_reset_failure_discards_the_connection() -> None:
    def broken_reset(conn: object) -> None:
        raise OSError("connection reset by peer")

    pool = ConnectionPool(lambda: object(), max_size=1, reset=broken_reset)
    conn = pool.acquire()
    pool.release(conn)
    assert pool.stats() == PoolStats(open=0, idle=0, in_use=0, created=1, discarded=1, peak_open=1)


def test_double_release_and_foreign_connection_are_refused() -> None:
    pool = ConnectionPool(lambda: object(), max_size=2)
    conn = pool.acquire()
    pool.release(conn)
    with pytest.raises(ValueError, match="not borrowed from this pool"):
        pool.release(conn)
    with pytest.raises(ValueError, match="not borrowed from this pool"):
        pool.release(object())


def test_close_wakes_waiters_and_closes_lent_connections_on_return() -> None:
    tracker = Tracker()
    pool = _pool(tracker, max_size=1, timeout=10)
    held = pool.acquire()
    errors: list[BaseException] = []

    def wait() -> None:
        try:
            pool.acquire()
        except PoolClosedError as exc:
            errors.append(exc)

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiter.join(timeout=0.05)
    pool.close()
    waiter.join(timeout=10)
    assert [str(e) for e in errors] == ["pool is closed"]
    assert tracker.open == 1
    pool.release(held)
    assert tracker.open == 0
    pool.close()  # idempotent
    with pytest.raises(PoolClosedError):
        pool.acquire()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"factory": None, "max_size": 1}, TypeError, "factory must be callable"),
        ({"max_size": 0}, ValueError, "max_size must be >= 1, got 0"),
        ({"max_size": True}, TypeError, "max_size must be an int, got bool"),
        ({"max_size": 1.5}, TypeError, "max_size must be an int, got float"),
        ({"max_size": 1, "timeout": float("nan")}, ValueError, "got nan"),
        ({"max_size": 1, "timeout": float("inf")}, ValueError, "got inf"),
        ({"max_size": 1, "timeout": -1}, ValueError, "got -1"),
        ({"max_size": 1, "check": 3}, TypeError, "check must be callable"),
        ({"max_size": 1, "clock": "now"}, TypeError, "clock must be callable"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    arguments: dict[str, object] = {"factory": object, **kwargs}
    with pytest.raises(error, match=message):
        ConnectionPool(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [float("nan"), -0.5, "1", True])
def test_bad_acquire_timeout(timeout: object) -> None:
    pool = ConnectionPool(object, max_size=1)
    with pytest.raises((TypeError, ValueError), match="timeout"):
        pool.acquire(timeout)  # type: ignore[arg-type]


def test_a_timeout_beyond_the_platform_limit_still_waits() -> None:
    """1e300 s passes the finite check; the wait is capped at threading.TIMEOUT_MAX.

    (Uncapped, ``Condition.wait(1e300)`` raises OverflowError.)
    """
    pool = ConnectionPool(lambda: object(), max_size=1, timeout=1e300)
    held = pool.acquire()
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire()))
    waiter.start()
    waiter.join(timeout=0.05)
    assert waiter.is_alive()
    pool.release(held)
    waiter.join(timeout=10)
    assert got == [held]


def test_an_interrupt_in_the_health_check_frees_the_slot() -> None:
    def interrupted(conn: object) -> bool:
        raise KeyboardInterrupt

    pool = ConnectionPool(lambda: object(), max_size=1, timeout=0, check=interrupted)
    pool.release(pool.acquire())  # a fresh connection is not checked
    with pytest.raises(KeyboardInterrupt):
        pool.acquire()  # the idle one is checked, and the check is interrupted
    assert pool.stats() == PoolStats(open=0, idle=0, in_use=0, created=1, discarded=1, peak_open=1)
    pool._check_invariants()


def test_an_interrupt_in_the_reset_frees_the_slot() -> None:
    def interrupted(conn: object) -> None:
        raise KeyboardInterrupt

    pool = ConnectionPool(lambda: object(), max_size=1, timeout=0, reset=interrupted)
    conn = pool.acquire()
    with pytest.raises(KeyboardInterrupt):
        pool.release(conn)
    assert pool.stats().open == 0
    assert pool.acquire() is not conn  # the slot is free again


def test_a_close_function_that_raises_still_frees_the_slot() -> None:
    def failing_close(conn: object) -> None:
        raise OSError("close failed")

    pool = ConnectionPool(
        lambda: object(), max_size=1, timeout=0, check=lambda c: False, close=failing_close
    )
    pool.release(pool.acquire())
    with pytest.raises(OSError, match="close failed"):
        pool.acquire()  # the failed check discards it; the failing close is reported
    assert pool.stats().open == 0
    assert pool.acquire(timeout=0) is not None  # and the slot was freed


def test_close_during_a_slow_connect_does_not_lend_from_a_closed_pool() -> None:
    tracker = Tracker(connect_delay=0.2)
    pool = _pool(tracker, max_size=1)
    errors: list[BaseException] = []

    def borrow() -> None:
        try:
            pool.acquire()
        except PoolClosedError as exc:
            errors.append(exc)

    borrower = threading.Thread(target=borrow)
    borrower.start()
    time.sleep(0.05)  # the borrower is inside the factory
    pool.close()
    borrower.join(timeout=10)
    assert [str(e) for e in errors] == ["pool is closed"]
    assert tracker.open == 0
    assert pool.stats().open == 0
