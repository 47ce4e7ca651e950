"""Concurrency and parallelism: the primitives, their classic problems, and measurements.

One concern per submodule: a race made visible (:mod:`~.races`), a bounded
blocking queue for producer/consumer (:mod:`~.queue`), readers-writer locks,
fair and unfair (:mod:`~.rwlock`), Downey's lightswitch and two-phase barrier built from
semaphores alone (:mod:`~.semaphores`), dining philosophers with deadlock-free
strategies (:mod:`~.philosophers`), a wait-for-graph deadlock detector
(:mod:`~.deadlock`), an asyncio crawler with a concurrency limit and a rate
limit on an injected clock (:mod:`~.workers`), and the GIL measured with
threads, processes and coroutines (:mod:`~.measure`). Interviewers ask about
concurrency because its bugs (lost updates, deadlocks, starvation) are the
hardest to reproduce, so they test whether a candidate can reason about
every interleaving, not just the ones that happened.

Invariants: nothing put in a queue is lost or delivered twice; no writer
shares a readers-writer lock; no two neighbours eat at once; a reported
deadlock is a real cycle of waits; in-flight fetches never exceed the limit.

=====================  ================================  =================
name                   what                              cost
=====================  ================================  =================
BoundedBlockingQueue   put/get with timeouts, close      O(1) per op
ReadWriteLock          FIFO-fair shared/exclusive lock   O(1) + wake-ups
dine                   philosophers on threads           O(n · meals)
find_deadlock          a cycle in the wait-for graph     O(V + E)
crawl                  semaphore + token bucket          O(pages + links)
measure                GIL: threads vs processes         ~1 s of wall time
=====================  ================================  =================

>>> find_deadlock({"T1": ["T2"], "T2": ["T1"]})
['T1', 'T2']

Primary sources: E. W. Dijkstra, "Cooperating sequential processes", EWD 123,
1965; E. G. Coffman, M. J. Elphick, A. Shoshani, "System Deadlocks", ACM
Computing Surveys 3(2), 1971; each submodule names the papers it follows.
"""

from __future__ import annotations

import platform
from typing import TextIO

from studybook.fundamentals.concurrency.deadlock import find_deadlock, wait_for_graph
from studybook.fundamentals.concurrency.measure import (
    Measurement,
    cpu_count,
    gil_enabled,
    measure,
)
from studybook.fundamentals.concurrency.philosophers import STRATEGIES, Dinner, dine
from studybook.fundamentals.concurrency.queue import BoundedBlockingQueue, QueueClosed
from studybook.fundamentals.concurrency.races import lost_update
from studybook.fundamentals.concurrency.rwlock import (
    ReaderPreferringLock,
    ReadWriteLock,
    RWLock,
)
from studybook.fundamentals.concurrency.semaphores import Lightswitch, SemaphoreBarrier
from studybook.fundamentals.concurrency.workers import (
    CrawlResult,
    TokenBucket,
    VirtualTimeLoop,
    crawl,
    run_virtual,
)

__all__ = [
    "STRATEGIES",
    "BoundedBlockingQueue",
    "CrawlResult",
    "Dinner",
    "Lightswitch",
    "Measurement",
    "QueueClosed",
    "RWLock",
    "ReadWriteLock",
    "ReaderPreferringLock",
    "SemaphoreBarrier",
    "TokenBucket",
    "VirtualTimeLoop",
    "cpu_count",
    "crawl",
    "demo",
    "dine",
    "find_deadlock",
    "gil_enabled",
    "lost_update",
    "measure",
    "run_virtual",
    "wait_for_graph",
]


def demo(out: TextIO) -> None:
    """Run every piece once and narrate it to ``out``; the last table is measured live.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Lost update, 4 threads each adding 1: without a lock 1, with a lock 4
    BoundedBlockingQueue(4): 3 producers x 500 items, 2 consumers: 1500 got, 0 lost, 0 duplicated
    Try-read while a writer waits: ReadWriteLock False, ReaderPreferringLock True
    Dining philosophers, 5 seats, 20 meals each:
      ordered   meals 20 20 20 20 20, neighbours never ate together
      footman   meals 20 20 20 20 20, neighbours never ate together
      naive     deadlock, wait-for cycle 0 -> 1 -> 2 -> 3 -> 4 -> 0
    Crawl of 15 pages (1 s each), concurrency 3, 4 starts/s, burst 2 (virtual clock):
      finished at t = 6.25 s, at most 3 in flight
      starts: 0 1 1 2 2 2.25 3 3 3.25 4 4 4.25 5 5 5.25
    <BLANKLINE>
    Measured on this machine: CPython ..., GIL ..., ... CPU(s); best of 3
    workload              runner          seconds   speedup
    cpu 2 x 250k steps    serial          ...
    cpu 2 x 250k steps    2 threads       ...
    cpu 2 x 250k steps    2 processes     ...
    io 8 x sleep(5 ms)    serial          ...
    io 8 x sleep(5 ms)    8 threads       ...
    io 8 x sleep(5 ms)    8 coroutines    ...
    """
    out.write(
        f"Lost update, 4 threads each adding 1: without a lock {lost_update(4, locked=False)}, "
        f"with a lock {lost_update(4, locked=True)}\n"
    )
    _queue_demo(out)
    out.write(
        f"Try-read while a writer waits: ReadWriteLock {_reader_overtakes(ReadWriteLock())}, "
        f"ReaderPreferringLock {_reader_overtakes(ReaderPreferringLock())}\n"
    )
    out.write("Dining philosophers, 5 seats, 20 meals each:\n")
    for strategy in STRATEGIES:
        d = dine(5, 20, strategy)
        if d.deadlock is not None:
            cycle = " -> ".join(map(str, (*d.deadlock, d.deadlock[0])))
            out.write(f"  {strategy:<9} deadlock, wait-for cycle {cycle}\n")
        else:
            clash = "neighbours never ate together" if d.clashes == 0 else f"{d.clashes} CLASHES"
            out.write(f"  {strategy:<9} meals {' '.join(map(str, d.meals))}, {clash}\n")
    _crawl_demo(out)

    build = "GIL enabled" if gil_enabled() else "GIL disabled (free-threaded)"
    out.write(
        f"\nMeasured on this machine: {platform.python_implementation()} "
        f"{platform.python_version()}, {build}, {cpu_count()} CPU(s); best of 3\n"
    )
    out.write(f"{'workload':<22}{'runner':<16}{'seconds':>7}{'speedup':>10}\n")
    labels = {"cpu": "cpu 2 x 250k steps", "io": "io 8 x sleep(5 ms)"}
    for r in measure(cpu_loops=250_000, io_wait=0.005):
        out.write(f"{labels[r.workload]:<22}{r.runner:<16}{r.seconds:>7.3f}{r.speedup:>9.2f}x\n")


def _queue_demo(out: TextIO) -> None:
    import threading

    q: BoundedBlockingQueue[tuple[int, int]] = BoundedBlockingQueue(4)
    got: list[tuple[int, int]] = []
    got_lock = threading.Lock()

    def produce(p: int) -> None:
        for i in range(500):
            q.put((p, i))

    def consume() -> None:
        while True:
            try:
                item = q.get()
            except QueueClosed:
                return
            with got_lock:
                got.append(item)

    producers = [threading.Thread(target=produce, args=(p,)) for p in range(3)]
    consumers = [threading.Thread(target=consume) for _ in range(2)]
    for t in producers + consumers:
        t.start()
    for t in producers:
        t.join()
    q.close()
    for t in consumers:
        t.join()
    sent = {(p, i) for p in range(3) for i in range(500)}
    out.write(
        f"BoundedBlockingQueue(4): 3 producers x 500 items, 2 consumers: {len(got)} got, "
        f"{len(sent - set(got))} lost, {len(got) - len(set(got))} duplicated\n"
    )


def _reader_overtakes(rw: RWLock) -> bool:
    """Hold a read lock, queue a writer behind it, and see if a new reader gets in."""
    import threading
    import time

    rw.acquire_read()

    def write_once() -> None:
        rw.acquire_write()
        rw.release_write()

    writer = threading.Thread(target=write_once)
    writer.start()
    while rw.waiting == 0:  # until the writer is blocked behind our read lock
        time.sleep(0.001)
    overtook = rw.acquire_read(timeout=0)
    if overtook:
        rw.release_read()
    rw.release_read()
    writer.join()
    return overtook


def _crawl_demo(out: TextIO) -> None:
    import asyncio

    # A binary tree of 15 pages: page k links to 2k + 1 and 2k + 2.
    async def fetch(url: str) -> list[str]:
        await asyncio.sleep(1.0)
        k = int(url.removeprefix("/p"))
        return [f"/p{c}" for c in (2 * k + 1, 2 * k + 2) if c < 15]

    async def timed() -> tuple[CrawlResult, float]:
        r = await crawl(["/p0"], fetch, concurrency=3, rate=4, burst=2)
        return r, asyncio.get_running_loop().time()

    result, end = run_virtual(timed())
    out.write(
        f"Crawl of {len(result.pages)} pages (1 s each), concurrency 3, 4 starts/s, burst 2 "
        f"(virtual clock):\n  finished at t = {end:g} s, at most {result.max_in_flight} "
        f"in flight\n  starts: {' '.join(f'{t:g}' for t, _ in result.started)}\n"
    )
