"""Processes vs threads vs coroutines, measured: what the GIL does and does not stop.

CPython's global interpreter lock lets one thread at a time run Python
bytecode. A thread releases it when it blocks (``sleep``, a socket read, a
file read) and the interpreter asks the running thread to drop it every
*switch interval* (``sys.getswitchinterval()``, 5 ms by default) so others
get a turn. Hence the two results every interviewer expects, measured here
rather than asserted:

- **CPU-bound** pure-Python work gains nothing from threads (they take turns
  on the lock) but scales with processes, each with its own interpreter and
  its own GIL, at the price of starting them and pickling arguments;
- **I/O-bound** work scales with threads *and* with coroutines, because a
  waiting thread holds no lock and a waiting coroutine holds no thread.

The free-threaded build of CPython (PEP 703; ``python3.13t``, experimental in
3.13 and officially supported but still optional from 3.14 under PEP 779)
removes the GIL, and there CPU-bound threads do scale. :func:`gil_enabled`
says which build is running.

>>> rows = measure(cpu_loops=10_000, io_tasks=2, io_wait=0.001)
>>> [(r.workload, r.runner) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[('cpu', 'serial'), ('cpu', '2 threads'), ('cpu', '2 processes'),
 ('io', 'serial'), ('io', '2 threads'), ('io', '2 coroutines')]

Primary sources: PEP 703, "Making the Global Interpreter Lock Optional in
CPython" (S. Gross, 2023); PEP 779, "Criteria for supported status for
free-threaded Python" (2025); the Python documentation for ``sys.setswitchinterval``,
``concurrent.futures`` and ``asyncio``; A. Pitrou's new GIL (Python 3.2).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from studybook.fundamentals.concurrency._check import check_count, check_rate

__all__ = ["Measurement", "gil_enabled", "measure"]


@dataclass(frozen=True)
class Measurement:
    """One timed run of a workload."""

    #: ``"cpu"`` (a pure-Python loop) or ``"io"`` (a sleep standing for a wait).
    workload: str
    #: ``"serial"``, ``"N threads"``, ``"N processes"`` or ``"N coroutines"``.
    runner: str
    #: wall-clock seconds (``time.perf_counter``).
    seconds: float
    #: the serial time of the same workload divided by this one.
    speedup: float


def gil_enabled() -> bool:
    """Whether this interpreter runs with a GIL (always ``True`` before Python 3.13).

    >>> isinstance(gil_enabled(), bool)
    True
    """
    probe: Callable[[], bool] | None = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def measure(
    *,
    workers: int = 2,
    cpu_loops: int = 400_000,
    io_tasks: int = 8,
    io_wait: float = 0.01,
) -> list[Measurement]:
    """Time the same work serially, on threads, on processes and on coroutines.

    Each figure is the best of three runs. CPU: ``workers`` calls of a
    ``cpu_loops``-step pure-Python loop, run one after another, on
    ``workers`` threads and on ``workers`` processes (the process pool is
    started and warmed up before the clock starts, so the
    figure is the work, not the ``spawn``). I/O: ``io_tasks`` waits of
    ``io_wait`` seconds, serially, on ``io_tasks`` threads and as
    ``io_tasks`` coroutines.

    Args:
        workers: threads and processes for the CPU work, 1 to 32.
        cpu_loops: loop steps per CPU task, at least 1.
        io_tasks: number of waits, 1 to 256.
        io_wait: seconds per wait, positive and at most 1.

    Returns:
        Six :class:`Measurement` rows: cpu serial, threads, processes; io
        serial, threads, coroutines.

    Raises:
        ValueError, TypeError: arguments out of range.

    Complexity: O(workers · cpu_loops + io_tasks) work; wall time about
    ``3 * (2.5 * workers * t_loop + io_tasks * io_wait)`` plus process start-up.
    """
    check_count(workers, "workers", minimum=1)
    check_count(cpu_loops, "cpu_loops", minimum=1)
    check_count(io_tasks, "io_tasks", minimum=1)
    wait = check_rate(io_wait, "io_wait")
    if workers > 32 or io_tasks > 256 or wait > 1:
        raise ValueError(
            f"keep the measurement small: workers <= 32, io_tasks <= 256, io_wait <= 1; "
            f"got {workers!r}, {io_tasks!r}, {io_wait!r}"
        )
    jobs = [cpu_loops] * workers
    cpu_serial = _timed(lambda: [_spin(n) for n in jobs])
    with ThreadPoolExecutor(workers) as pool:
        cpu_threads = _timed(lambda: list(pool.map(_spin, jobs)))
    # fork copies this process in milliseconds, but a child forked while other
    # threads run may inherit a lock one of them held, forever locked; spawn
    # starts a fresh interpreter (slow, always safe). Fork only when alone.
    alone = threading.active_count() == 1
    method = "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(workers, mp_context=context) as procs:
        # Start every worker and import this module in it before the clock runs.
        list(procs.map(_warm_up, [0.05] * workers))
        cpu_procs = _timed(lambda: list(procs.map(_spin, jobs)))

    def wait_serially() -> None:
        for _ in range(io_tasks):
            time.sleep(wait)

    io_serial = _timed(wait_serially)
    with ThreadPoolExecutor(io_tasks) as pool:
        io_threads = _timed(lambda: list(pool.map(time.sleep, [wait] * io_tasks)))
    io_coros = _timed(lambda: asyncio.run(_sleep_all(io_tasks, wait)))

    def row(workload: str, runner: str, seconds: float, serial: float) -> Measurement:
        return Measurement(workload, runner, seconds, serial / seconds)

    return [
        row("cpu", "serial", cpu_serial, cpu_serial),
        row("cpu", f"{workers} threads", cpu_threads, cpu_serial),
        row("cpu", f"{workers} processes", cpu_procs, cpu_serial),
        row("io", "serial", io_serial, io_serial),
        row("io", f"{io_tasks} threads", io_threads, io_serial),
        row("io", f"{io_tasks} coroutines", io_coros, io_serial),
    ]


def _spin(n: int) -> int:
    """Pure-Python arithmetic that never releases the GIL voluntarily."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _warm_up(wait: float) -> int:
    time.sleep(wait)
    return os.getpid()


def _timed(work: Callable[[], object], repeat: int = 3) -> float:
    # The best of a few runs, as timeit recommends: noise only ever adds time.
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-9)


async def _sleep_all(tasks: int, wait: float) -> None:
    await asyncio.gather(*(asyncio.sleep(wait) for _ in range(tasks)))


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
