"""Helpers for thread tests: every thread is joined with a bound, never forever."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

#: Generous: a healthy run takes milliseconds; this only stops a deadlocked test.
JOIN_TIMEOUT = 10.0


def start(target: Callable[..., object], *args: object) -> threading.Thread:
    t = threading.Thread(target=target, args=args, daemon=True)
    t.start()
    return t


def join_all(threads: list[threading.Thread]) -> None:
    deadline = time.monotonic() + JOIN_TIMEOUT
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    alive = [t.name for t in threads if t.is_alive()]
    assert not alive, f"threads still running after {JOIN_TIMEOUT} s (deadlock?): {alive}"


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + JOIN_TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.001)
