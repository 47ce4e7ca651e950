"""A race condition made deterministic: the lost update.

``counter += 1`` is three steps (read, add, write). If two threads both read
before either writes, one increment is lost. Real races depend on timing,
which makes them rare and unrepeatable; here a barrier *forces* the bad
interleaving, so the loss happens on every run and can be shown in a doctest.
With a lock around the read-modify-write, the steps of different threads
cannot interleave and nothing is lost.

>>> lost_update(4, locked=False), lost_update(4, locked=True)
(1, 4)

Primary source: E. W. Dijkstra, "Solution of a problem in concurrent
programming control", Communications of the ACM 8(9), 1965 (mutual exclusion).
"""

from __future__ import annotations

import threading

from studybook.fundamentals.concurrency._check import check_count

__all__ = ["lost_update"]


def lost_update(threads: int, *, locked: bool) -> int:
    """Let ``threads`` threads each add 1 to a shared counter; return the final value.

    Without the lock, every thread reads the counter, then all wait at a
    barrier, then all write what they read plus one: the result is 1,
    whatever ``threads`` is. With the lock the result is ``threads``.
    (The barrier cannot be used with the lock: a thread holding the lock at
    a barrier would wait for threads that wait for the lock, a deadlock.)

    Args:
        threads: how many threads, from 1 to 64.
        locked: whether each read-modify-write holds a ``threading.Lock``.

    Returns:
        The counter after every thread has finished.

    Raises:
        ValueError, TypeError: ``threads`` outside 1..64 or not an ``int``.

    Complexity: O(threads).

    >>> lost_update(1, locked=False)
    1
    >>> lost_update(0, locked=True)
    Traceback (most recent call last):
    ValueError: threads must be at least 1, got 0
    """
    check_count(threads, "threads", minimum=1)
    if threads > 64:
        raise ValueError(f"threads must be at most 64, got {threads!r}")
    counter = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def racy() -> None:
        seen = counter[0]  # read
        barrier.wait()  # every thread has read the same value
        counter[0] = seen + 1  # write: all but one increment are lost

    def safe() -> None:
        with lock:
            counter[0] += 1

    workers = [threading.Thread(target=safe if locked else racy) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return counter[0]
