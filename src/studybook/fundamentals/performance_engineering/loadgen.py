"""Coordinated omission, shown for real: a load generator, a loopback server and a stall.

A load generator that sends a request, waits for the answer, then sends the
next one *coordinates* with the system it measures: when the server stalls,
the generator stops sending, so the requests that would have arrived during
the stall are never issued, and the one slow answer is a single sample among
thousands. Gil Tene named this *coordinated omission*: the percentiles come
out as if the stall had hurt one user, when every user who arrived during it
waited.

The fix is to measure against a schedule. At a constant rate r, request i is
*intended* to go at t₀ + i/r; its latency is its completion time minus that
intended time, however late the generator got round to sending it. wrk2
measures this way; HdrHistogram's ``recordValueWithExpectedInterval`` repairs
an uncorrected log after the fact by adding the samples the stall swallowed
(:func:`hdr_corrected`).

=====================  ==================================  ===========================
latency measured from  what a stall of S does to it        reports
=====================  ==================================  ===========================
actual send time       one sample of S                     p99 unchanged: wrong
intended send time     every request due during S waits,   p99 near S: what users saw
                       from S down to 0
hdr_corrected (post)   adds S/T - 1 synthetic samples      close to the intended-time
                       S - T, S - 2T, ... ≥ T              figures
=====================  ==================================  ===========================

>>> hdr_corrected([0.001, 0.005], expected_interval=0.001)
[0.001, 0.005, 0.004, 0.003, 0.002, 0.001]

Primary sources: G. Tene, "How NOT to Measure Latency", talk, QCon and
Strange Loop, 2013-2016; wrk2's README (github.com/giltene/wrk2); HdrHistogram's
``AbstractHistogram.recordValueWithExpectedInterval`` (Java reference
implementation).
"""

from __future__ import annotations

import math
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from studybook.fundamentals.performance_engineering._check import (
    check_count,
    check_positive,
    check_real,
    check_samples,
)
from studybook.fundamentals.performance_engineering.percentiles import (
    LatencySummary,
    latency_summary,
)

__all__ = [
    "MAX_BACKFILL",
    "MAX_REQUESTS",
    "MAX_TIMEOUT",
    "LoadTestResult",
    "hdr_corrected",
    "run_load_test",
]

#: Upper bound on the requests of one :func:`run_load_test`: it is a lesson, not a benchmark.
MAX_REQUESTS = 100_000
#: Upper bound on ``timeout``, seconds: a run that needs longer is not a lesson.
MAX_TIMEOUT = 60.0
#: Upper bound on the synthetic samples :func:`hdr_corrected` adds, for one value and in all.
MAX_BACKFILL = 1_000_000
_FRAME = struct.Struct("!I")  # one request or reply: the request's index, 4 bytes


def hdr_corrected(latencies: Iterable[float], expected_interval: float) -> list[float]:
    """Return ``latencies`` with HdrHistogram's coordinated-omission back-fill.

    For each value v larger than the expected interval T between requests,
    the requests that a constant-rate client would have sent while waiting
    are added as v - T, v - 2T, ... down to (but not below) T. This is the
    at-recording correction of HdrHistogram's Java
    ``recordValueWithExpectedInterval``.

    Args:
        latencies: the measured latencies (finite, ≥ 0), in any unit.
        expected_interval: T, the intended gap between requests (> 0), same unit.

    Returns:
        Every original value, each followed by its synthetic ones.

    Raises:
        ValueError: empty ``latencies``, a negative or non-finite value,
            ``expected_interval`` not positive and finite, a value more than
            :data:`MAX_BACKFILL` intervals long, or more than :data:`MAX_BACKFILL`
            synthetic samples in all (each a sign of a unit mistake).
        TypeError: a non-number, or ``bool``.

    Complexity: O(n + Σ v/T) time and space.

    >>> hdr_corrected([3, 1, 10], expected_interval=4)
    [3.0, 1.0, 10.0, 6.0]
    >>> hdr_corrected([1.0], expected_interval=0)
    Traceback (most recent call last):
    ValueError: expected_interval must be positive, got 0
    """
    values = check_samples(latencies, "latencies")
    interval = check_positive(expected_interval, "expected_interval")
    synthetic = 0
    for i, value in enumerate(values):
        if value < 0:
            raise ValueError(f"latencies[{i}] must not be negative, got {value!r}")
        if value / interval > MAX_BACKFILL:
            raise ValueError(
                f"latencies[{i}] = {value!r} is more than {MAX_BACKFILL} expected "
                f"intervals of {expected_interval!r}; is the unit right?"
            )
        synthetic += max(0, math.floor(value / interval) - 1)
    # Checked before anything is built: a thousand values each just under the
    # per-value bound would otherwise ask for a billion floats.
    if synthetic > MAX_BACKFILL:
        raise ValueError(
            f"the back-fill would add about {synthetic} samples, more than {MAX_BACKFILL} "
            f"in all, for an expected_interval of {expected_interval!r}; is the unit right?"
        )
    corrected: list[float] = []
    for value in values:
        corrected.append(value)
        # v - k·T rather than repeated subtraction, which drifts by a rounding per step.
        k = 1
        while value - k * interval >= interval:
            corrected.append(value - k * interval)
            k += 1
    return corrected


@dataclass(frozen=True)
class LoadTestResult:
    """Timestamps of every request of one run, in seconds from the start of the schedule."""

    rate: float
    stall: float
    stall_at: int
    intended: tuple[float, ...]
    sent: tuple[float, ...]
    done: tuple[float, ...]

    @property
    def uncorrected(self) -> tuple[float, ...]:
        """Latency measured from the actual send, as a naive closed-loop tool reports it."""
        return tuple(d - s for d, s in zip(self.done, self.sent, strict=True))

    @property
    def corrected(self) -> tuple[float, ...]:
        """Latency from the intended send of the constant-rate schedule (wrk2's way)."""
        return tuple(d - i for d, i in zip(self.done, self.intended, strict=True))

    @property
    def max_lateness(self) -> float:
        """How far behind its schedule the generator ever sent a request."""
        return max(s - i for s, i in zip(self.sent, self.intended, strict=True))

    def summary(self, *, corrected: bool) -> LatencySummary:
        """Nearest-rank summary of the corrected or the uncorrected latencies."""
        return latency_summary(self.corrected if corrected else self.uncorrected)


def run_load_test(
    rate: float = 1000.0,
    requests: int = 600,
    *,
    stall: float = 0.2,
    stall_at: int | None = None,
    timeout: float = 10.0,
) -> LoadTestResult:
    """Drive a loopback server at a constant rate through one injected stall.

    A server thread listens on 127.0.0.1 (a free port chosen by the kernel)
    and answers each 4-byte request with its index, at once, except that it
    sleeps ``stall`` seconds before answering request ``stall_at``. The
    client, on this thread, uses one connection and sends request i at its
    intended time i / ``rate`` (or at once, if it is already late because it
    was waiting for an earlier answer) and records when it was intended,
    sent and answered. Everything is closed and joined before returning,
    also on error.

    Args:
        rate: requests per second of the schedule, > 0.
        requests: how many requests, 1 to :data:`MAX_REQUESTS`.
        stall: how long the server freezes, seconds, ≥ 0.
        stall_at: the index of the request whose answer is delayed;
            ``requests // 3`` by default.
        timeout: the whole run must end within this many seconds, > 0 and
            at most :data:`MAX_TIMEOUT`.

    Returns:
        The :class:`LoadTestResult`, with every timestamp.

    Raises:
        ValueError: a bad number; a schedule plus stall that cannot end
            within ``timeout``.
        TypeError: a wrong type (``bool`` included).
        TimeoutError: the run did not finish within ``timeout``.

    Complexity: O(requests) time and space; wall time about
    requests / rate + stall.

    >>> r = run_load_test(rate=2000, requests=200, stall=0.05, stall_at=50)
    >>> len(r.done), r.uncorrected[50] >= 0.05, r.corrected[70] > 0.03
    (200, True, True)
    >>> run_load_test(rate=10, requests=100, timeout=5)
    Traceback (most recent call last):
    ValueError: 100 requests at 10/s plus a 0.2 s stall need 10.2 s, more than timeout=5
    """
    per_second = check_positive(rate, "rate")
    count = check_count(requests, "requests", minimum=1)
    if count > MAX_REQUESTS:
        raise ValueError(f"requests must be at most {MAX_REQUESTS}, got {requests!r}")
    pause = check_real(stall, "stall")
    if pause < 0:
        raise ValueError(f"stall must not be negative, got {stall!r}")
    victim = count // 3 if stall_at is None else check_count(stall_at, "stall_at", minimum=0)
    if victim >= count:
        raise ValueError(f"stall_at must be below requests ({count}), got {stall_at!r}")
    limit = check_positive(timeout, "timeout")
    if limit > MAX_TIMEOUT:
        raise ValueError(f"timeout must be at most {MAX_TIMEOUT:g} s, got {timeout!r}")
    needed = count / per_second + pause
    if needed >= limit:
        raise ValueError(
            f"{count} requests at {rate:g}/s plus a {pause:g} s stall need {needed:g} s, "
            f"more than timeout={timeout!r}"
        )

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(limit)
    server = threading.Thread(
        target=_serve, args=(listener, victim, pause), name="loadgen-server", daemon=True
    )
    server.start()
    try:
        with socket.create_connection(listener.getsockname(), timeout=limit) as conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            intended, sent, done = _drive(conn, per_second, count, limit)
    finally:
        listener.close()
        server.join(limit)
    return LoadTestResult(per_second, pause, victim, intended, sent, done)


def _serve(listener: socket.socket, stall_at: int, stall: float) -> None:
    """Answer one connection: echo each index, sleeping ``stall`` before ``stall_at``'s."""
    try:
        conn, _ = listener.accept()
    except OSError:  # the client gave up, or the listener was closed
        return
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            try:
                frame = _recv_exact(conn, _FRAME.size)
            except OSError:
                return
            if not frame:
                return  # the client closed: the run is over
            if _FRAME.unpack(frame)[0] == stall_at:
                time.sleep(stall)  # the injected stall: a GC pause, a lock, a full disk
            try:
                conn.sendall(frame)
            except OSError:  # the client gave up during the stall
                return


def _drive(
    conn: socket.socket, rate: float, count: int, limit: float
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Send ``count`` requests on schedule and wait for each answer (one in flight at a time)."""
    intended: list[float] = []
    sent: list[float] = []
    done: list[float] = []
    start = time.perf_counter()
    for i in range(count):
        due = i / rate
        delay = due - (time.perf_counter() - start)
        if delay > 0:
            time.sleep(delay)
        now = time.perf_counter() - start
        if now > limit:
            raise TimeoutError(f"load test passed its timeout of {limit:g} s at request {i}")
        conn.sendall(_FRAME.pack(i))
        reply = _recv_exact(conn, _FRAME.size)
        if reply != _FRAME.pack(i):
            raise ConnectionError(f"request {i}: unexpected reply {reply!r}")
        intended.append(due)
        sent.append(now)
        done.append(time.perf_counter() - start)
    return tuple(intended), tuple(sent), tuple(done)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    """Read exactly ``size`` bytes, or b"" if the peer closed first."""
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return b""
        data += chunk
    return data
