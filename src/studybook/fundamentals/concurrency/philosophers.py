"""Dining philosophers: two deadlock-free strategies, and the naive one caught deadlocking.

``n`` philosophers sit at a round table with one fork between each pair;
philosopher ``i`` needs fork ``i`` (left) and fork ``(i + 1) % n`` (right) to
eat. If each picks up the left fork and then waits for the right, all four
Coffman conditions hold (forks are exclusive, a philosopher holds one while
waiting for the other, nobody snatches a fork, and the waits form a circle),
and the table can deadlock. Each strategy breaks one condition:

- ``"ordered"`` (resource ordering, breaks circular wait): number the forks
  and always take the lower-numbered one first. The last philosopher takes
  the right fork (0) first, so the circle of waits cannot close.
- ``"footman"`` (an arbitrator limiting diners, breaks the circle by
  admission): a counting semaphore of ``n - 1`` seats; with at most
  ``n - 1`` philosophers reaching for forks, one of them always gets both.
- ``"naive"`` (left, then right) is included to be caught: everyone takes the
  left fork, then a barrier forces the deadly interleaving, and the host
  finds the cycle in the wait-for graph and calls the dinner off.

Invariant: a fork has at most one holder; two neighbours never eat at once.

>>> dine(5, meals=2, strategy="ordered").meals
(2, 2, 2, 2, 2)
>>> dine(5, meals=2, strategy="naive").deadlock
(0, 1, 2, 3, 4)

Primary sources: E. W. Dijkstra, "Hierarchical ordering of sequential
processes", Acta Informatica 1(2), 1971 (the dining philosophers); C. A. R.
Hoare, *Communicating Sequential Processes*, 1985 (the footman);
Coffman, Elphick, Shoshani, "System Deadlocks", Computing Surveys 3(2), 1971.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from studybook.fundamentals.concurrency._check import check_choice, check_count, check_rate
from studybook.fundamentals.concurrency.deadlock import find_deadlock, wait_for_graph

__all__ = ["STRATEGIES", "Dinner", "dine"]

STRATEGIES = ("ordered", "footman", "naive")
#: How often a blocked philosopher looks up to see whether the dinner was called off.
_POLL = 0.01


@dataclass(frozen=True)
class Dinner:
    """What happened at the table."""

    strategy: str
    #: meals eaten by each philosopher, by seat.
    meals: tuple[int, ...]
    #: the most philosophers seen eating at the same moment.
    max_eating: int
    #: times a philosopher started eating while a neighbour ate (must be 0).
    clashes: int
    #: the wait-for cycle (seats) if the dinner deadlocked, else ``None``.
    deadlock: tuple[int, ...] | None


def dine(
    philosophers: int = 5,
    meals: int = 3,
    strategy: str = "ordered",
    *,
    timeout: float = 10.0,
) -> Dinner:
    """Seat ``philosophers`` threads at a table until each has eaten ``meals`` times.

    A host (the calling thread) watches a table of fork holders and waiters
    and, whenever someone starts waiting, looks for a cycle in the wait-for
    graph; if it finds one it calls the dinner off and reports the cycle.

    Args:
        philosophers: seats at the table, at least 2 (one philosopher would
            need the same fork twice).
        meals: meals each philosopher eats, at least 0.
        strategy: ``"ordered"``, ``"footman"`` or ``"naive"``.
        timeout: seconds before the host gives up on a dinner that neither
            finished nor deadlocked.

    Returns:
        A :class:`Dinner`.

    Raises:
        ValueError, TypeError: bad counts, an unknown strategy, a bad timeout.
        TimeoutError: the dinner neither finished nor deadlocked in time.

    Complexity: O(n · meals) fork operations; O(n) per deadlock check.

    >>> dine(3, meals=1, strategy="footman").clashes
    0
    >>> dine(1)
    Traceback (most recent call last):
    ValueError: philosophers must be at least 2, got 1
    """
    n = check_count(philosophers, "philosophers", minimum=2)
    check_count(meals, "meals", minimum=0)
    check_choice(strategy, "strategy", STRATEGIES)
    # Condition.wait refuses timeouts past threading.TIMEOUT_MAX (OverflowError).
    limit = min(check_rate(timeout, "timeout"), threading.TIMEOUT_MAX)
    table = _Table(n, strategy)
    threads = [
        threading.Thread(target=table.philosopher, args=(i, meals), name=f"philosopher-{i}")
        for i in range(n)
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + limit
    try:
        with table.cond:
            ended = table.cond.wait_for(
                lambda: table.finished == n or table.cycle() is not None,
                timeout=max(0.0, deadline - time.monotonic()),
            )
            cycle = table.cycle()
    finally:
        # Whatever happened to the host (even Ctrl-C), send everyone home:
        # a deadlocked table of non-daemon threads would keep the process alive.
        with table.cond:
            table.called_off = True
        table.barrier.abort()  # nobody may wait at the barrier for the ones who left
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic()))
    if not ended or any(t.is_alive() for t in threads):
        raise TimeoutError(f"the {strategy} dinner did not end within {timeout} s")
    return Dinner(
        strategy=strategy,
        meals=tuple(table.eaten),
        max_eating=table.max_eating,
        clashes=table.clashes,
        deadlock=None if cycle is None else _from_lowest(cycle),
    )


def _from_lowest(cycle: list[int]) -> tuple[int, ...]:
    # The same cycle whoever the DFS started from: rotate it to its lowest seat.
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


class _CalledOff(Exception):
    pass


class _Table:
    """Forks, a footman and the host's book of who holds and who waits."""

    def __init__(self, n: int, strategy: str) -> None:
        self.n = n
        self.strategy = strategy
        self.forks = [threading.Lock() for _ in range(n)]
        self.footman = threading.Semaphore(n - 1)
        self.barrier = threading.Barrier(n)
        # Everything below is guarded by cond.
        self.cond = threading.Condition()
        self.holder: dict[int, int] = {}  # fork -> seat
        self.wants: dict[int, int] = {}  # seat -> fork
        self.eating: set[int] = set()
        self.eaten = [0] * n
        self.max_eating = 0
        self.clashes = 0
        self.finished = 0
        self.called_off = False

    def cycle(self) -> list[int] | None:
        return find_deadlock(wait_for_graph(self.holder, self.wants))

    def philosopher(self, seat: int, meals: int) -> None:
        left, right = seat, (seat + 1) % self.n
        first, second = (left, right) if self.strategy != "ordered" else sorted((left, right))
        held: list[int] = []
        try:
            for _ in range(meals):
                time.sleep(0)  # think: give the others a chance to interleave
                with self.cond:
                    if self.called_off:
                        return
                if self.strategy == "footman":
                    self._seat_me()
                try:
                    held.append(self._take(seat, first))
                    if self.strategy == "naive":
                        self.barrier.wait()  # everyone now holds the left fork
                    held.append(self._take(seat, second))
                    self._eat(seat)
                finally:
                    while held:
                        self._put_down(held.pop())
                    if self.strategy == "footman":
                        self.footman.release()
        except (_CalledOff, threading.BrokenBarrierError):
            pass
        finally:
            with self.cond:
                self.finished += 1
                self.cond.notify_all()

    def _seat_me(self) -> None:
        while not self.footman.acquire(timeout=_POLL):
            with self.cond:
                if self.called_off:
                    raise _CalledOff

    def _take(self, seat: int, fork: int) -> int:
        with self.cond:
            self.wants[seat] = fork
            self.cond.notify_all()  # the host re-checks the wait-for graph
        while not self.forks[fork].acquire(timeout=_POLL):
            with self.cond:
                if self.called_off:
                    del self.wants[seat]
                    raise _CalledOff
        with self.cond:
            del self.wants[seat]
            if self.called_off:  # got it, but too late: nobody eats after the call-off
                self.forks[fork].release()
                raise _CalledOff
            self.holder[fork] = seat
        return fork

    def _put_down(self, fork: int) -> None:
        with self.cond:
            del self.holder[fork]
        self.forks[fork].release()

    def _eat(self, seat: int) -> None:
        neighbours = {(seat - 1) % self.n, (seat + 1) % self.n}
        with self.cond:
            if self.eating & neighbours:
                self.clashes += 1
            self.eating.add(seat)
            self.max_eating = max(self.max_eating, len(self.eating))
        time.sleep(0)
        with self.cond:
            self.eating.discard(seat)
            self.eaten[seat] += 1
