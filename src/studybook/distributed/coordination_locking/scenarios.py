"""Clients that take the lock, check their lease, pause, and write: the GC-pause scenario.

A :class:`Worker` asks the :class:`~.lease_lock.LockServer` for the lock,
works for ``work_time``, checks that its lease is still valid by its own
clock, and sends its write to the :class:`~.storage.StorageNode` with its
fencing token. A worker can be made to **pause** (a stop-the-world GC, a
swapped-out page, a VM migration) right after the check passes: while paused
its timers and its incoming messages wait, and it sends nothing; on resume
it carries on as if no time had passed. It can also run a slow clock
(``clock_rate < 1``), so that it under-measures how long it has held the
lease.

:func:`run_scenario` runs two workers against one lock server and one
storage node in a seeded :class:`~studybook.distributed.simulator.Simulator`
and returns a :class:`LockRun`: who got which token when, and every write the
storage saw, in arrival order.

Invariant checked by the tests: with fencing, no accepted write carries a
token lower than one accepted before it; without fencing, the paused
worker's stale write lands after the new holder's and wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.distributed.coordination_locking._validate import check_name, check_time
from studybook.distributed.coordination_locking.lease_lock import (
    Acquire,
    Granted,
    LockServer,
    Release,
)
from studybook.distributed.coordination_locking.storage import (
    AppliedWrite,
    StorageNode,
    Write,
    WriteResult,
)
from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["KEY", "LockRun", "Worker", "run_scenario"]

#: The one key both workers write in the scenarios.
KEY = "report"


class Worker(BaseNode):
    """A lock client: acquire, work, check the lease, (maybe pause), write, release.

    Args:
        node_id: its id; it writes the value ``f"from {node_id}"``.
        lock, storage: the ids of the lock server and the storage node.
        start_at: when it asks for the lock (virtual time after start).
        work_time: how long it works after the grant before it writes.
        gc_pause: a pause that strikes right after its lease check passes
            (0 for none).
        clock_rate: how fast its local clock runs against true time (1 is
            exact; 0.5 under-measures elapsed time by half).
        margin: a safety margin it subtracts from the lease before trusting it.
        max_delay: the longest it assumes a grant can spend on the wire; the
            lease is counted from ``max_delay`` before the grant arrived.
        retry: while not yet granted, it re-sends the same :class:`~.lease_lock.Acquire`
            (same request id) every ``retry`` time units, so a lock server
            that crashed and forgot its queue learns it again. It is a
            reminder, not a timeout: the default is longer than a normal wait
            in the queue, and the server drops a request it already served.
        journal: a shared list the worker appends ``(time, text)`` lines to.

    Raises:
        TypeError, ValueError: a bad id, a negative, NaN or infinite time, a
            ``clock_rate`` or ``retry`` that is not ``> 0``.

    Complexity: O(1) per event.
    """

    def __init__(
        self,
        node_id: str,
        *,
        lock: str,
        storage: str,
        start_at: float = 0.0,
        work_time: float = 2.0,
        gc_pause: float = 0.0,
        clock_rate: float = 1.0,
        margin: float = 0.0,
        max_delay: float = 2.0,
        retry: float = 30.0,
        journal: list[tuple[float, str]] | None = None,
    ) -> None:
        super().__init__(check_name(node_id, "node_id"))
        self.lock = check_name(lock, "lock")
        self.storage = check_name(storage, "storage")
        self.start_at = check_time(start_at, "start_at")
        self.work_time = check_time(work_time, "work_time")
        self.gc_pause = check_time(gc_pause, "gc_pause")
        self.clock_rate = check_time(clock_rate, "clock_rate", positive=True)
        self.margin = check_time(margin, "margin")
        self.max_delay = check_time(max_delay, "max_delay")
        self.retry = check_time(retry, "retry", positive=True)
        #: The idempotency key of its one acquisition (a client that locks
        #: again would use 2, 3, ...).
        self.request = 1
        self.journal = journal if journal is not None else []
        self.token: int | None = None
        self.ttl = 0.0
        self.granted_at = 0.0
        self.result: bool | None = None
        self._paused = False
        self._held: list[tuple[str, object]] = []

    def on_start(self, sim: Simulator) -> None:
        """Schedule the request for the lock."""
        sim.set_timer(self.node_id, "acquire", self.start_at)

    def on_timer(self, sim: Simulator, name: str) -> None:
        """Run a step, unless paused: then it waits for the resume."""
        if name == "resume":
            self._resume(sim)
        elif self._paused:
            self._held.append(("timer", name))
        elif name == "acquire":
            self._note(sim, "asks for the lock")
            self._send_acquire(sim)
        elif name == "retry" and self.token is None:
            self._note(sim, "asks again (not granted yet)")
            self._send_acquire(sim)
        elif name == "check":
            self._check_and_write(sim)
        elif name == "write" and self.token is not None:
            self._note(sim, f"sends write with token {self.token}")
            sim.send(self.node_id, self.storage, Write(KEY, f"from {self.node_id}", self.token))

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Start work on a grant; release after the storage answers."""
        if self._paused:
            self._held.append((src, msg))
        elif isinstance(msg, Granted) and self.token is None:
            self.token, self.ttl = msg.token, msg.ttl
            self.granted_at = sim.now
            sim.cancel_timer(self.node_id, "retry")
            self._note(sim, f"granted token {msg.token}")
            sim.set_timer(self.node_id, "check", self.work_time)
        elif isinstance(msg, WriteResult) and self.result is None:
            self.result = msg.accepted
            sim.send(self.node_id, self.lock, Release(msg.token))

    def local_elapsed(self, now: float) -> float:
        """How long the worker believes its lease has run, by its own clock.

        The server started the lease when it sent the grant, which the worker
        cannot see; it assumes the grant took at most ``max_delay`` to arrive
        (a bound on network delay: a timing assumption).
        """
        return (now - self.granted_at) * self.clock_rate + self.max_delay

    def _send_acquire(self, sim: Simulator) -> None:
        sim.send(self.node_id, self.lock, Acquire(self.request))
        sim.set_timer(self.node_id, "retry", self.retry)

    def _check_and_write(self, sim: Simulator) -> None:
        elapsed = self.local_elapsed(sim.now)
        budget = self.ttl - self.margin
        if elapsed >= budget:
            self._note(sim, f"lease check fails ({elapsed:.1f} >= {budget:.1f}); gives up")
            return
        self._note(sim, f"lease check passes ({elapsed:.1f} < {budget:.1f})")
        if self.gc_pause > 0:
            self._paused = True
            self._note(sim, f"GC pause for {self.gc_pause:g}")
            sim.set_timer(self.node_id, "resume", self.gc_pause)
        sim.set_timer(self.node_id, "write", 0.0)

    def _resume(self, sim: Simulator) -> None:
        self._paused = False
        self._note(sim, "resumes, unaware of the pause")
        held, self._held = self._held, []
        for src, item in held:
            if src == "timer":
                assert isinstance(item, str)  # noqa: S101 - only timer names are held so
                self.on_timer(sim, item)
            else:
                self.on_message(sim, src, item)

    def _note(self, sim: Simulator, text: str) -> None:
        self.journal.append((sim.now, f"{self.node_id} {text}"))


@dataclass(frozen=True)
class LockRun:
    """The outcome of one :func:`run_scenario`.

    ``grants`` are ``(time, client, token)``; ``writes`` every write the
    storage saw, in arrival order; ``final`` the value left in storage;
    ``journal`` the time-ordered story, for reading.
    """

    grants: tuple[tuple[float, str, int], ...]
    writes: tuple[AppliedWrite, ...]
    final: str | None
    journal: tuple[tuple[float, str], ...]

    @property
    def stale_writes(self) -> tuple[AppliedWrite, ...]:
        """Accepted writes whose token is lower than one accepted before them (the corruption)."""
        stale, highest = [], -1
        for w in self.writes:
            if w.accepted:
                if w.token < highest:
                    stale.append(w)
                highest = max(highest, w.token)
        return tuple(stale)

    @property
    def refused(self) -> tuple[AppliedWrite, ...]:
        """Writes the storage refused (only fencing refuses)."""
        return tuple(w for w in self.writes if not w.accepted)

    def story(self) -> str:
        """The journal as text, one ``time  event`` line each."""
        return "\n".join(f"{t:7.2f}  {text}" for t, text in self.journal)


def run_scenario(
    seed: int,
    *,
    fencing: bool,
    ttl: float = 10.0,
    gc_pause: float = 15.0,
    clock_rate: float = 1.0,
    margin: float = 0.0,
    work_time: float = 2.0,
    duplicate: float = 0.0,
    lock_outage: tuple[float, float] | None = None,
) -> LockRun:
    """Two workers, one lock server (lease ``ttl``), one storage node; ``c1`` misbehaves.

    ``c1`` asks first; after ``work_time`` it checks its lease and is then hit
    by a pause of ``gc_pause`` (0 for none), with a clock that runs at
    ``clock_rate`` and a safety ``margin``. ``c2`` asks at time 1, waits in
    the queue, and works for 1 time unit once granted. Message delays are
    uniform in ``[1, 2]``; ``duplicate`` is the simulator's duplication rate.
    ``lock_outage=(crash, restart)`` crashes the lock server at ``crash`` and
    restarts it at ``restart``: it forgets its queue, and the workers' retries
    rebuild it.

    Raises:
        TypeError, ValueError: a bad seed (as for the simulator), a non-bool
            ``fencing``, a bad time or rate, an outage that is not two times
            with ``crash <= restart``.

    Complexity: O(e log e) for the few dozen events of a run.

    >>> run = run_scenario(seed=1, fencing=False)
    >>> [(w.client, w.token, w.accepted) for w in run.writes], run.final
    ([('c2', 2, True), ('c1', 1, True)], 'from c1')
    >>> [(w.client, w.token, w.accepted) for w in run_scenario(seed=1, fencing=True).writes]
    [('c2', 2, True), ('c1', 1, False)]
    """
    sim = Simulator(seed, delay=(1.0, 2.0), duplicate=duplicate)
    journal: list[tuple[float, str]] = []
    if lock_outage is not None:
        down, up = _check_outage(lock_outage)

        def crash(s: Simulator) -> None:
            s.crash("lock")
            journal.append((s.now, "lock crashes, forgetting its queue"))

        def restart(s: Simulator) -> None:
            s.restart("lock")
            journal.append((s.now, "lock restarts"))

        sim.at(down, crash)
        sim.at(up, restart)
    server = LockServer("lock", ttl)
    store = StorageNode("storage", fencing=fencing)
    c1 = Worker(
        "c1",
        lock="lock",
        storage="storage",
        work_time=work_time,
        gc_pause=gc_pause,
        clock_rate=clock_rate,
        margin=margin,
        journal=journal,
    )
    c2 = Worker("c2", lock="lock", storage="storage", start_at=1.0, work_time=1.0, journal=journal)
    for node in (server, store, c1, c2):
        sim.add(node)
    sim.run(max_events=10_000)
    for t, client, token in server.grants:
        journal.append((t, f"lock grants token {token} to {client}"))
    for w in store.log:
        verdict = "accepted" if w.accepted else "REFUSED (token < highest seen)"
        journal.append((w.time, f"storage: {w.value!r} token {w.token} {verdict}"))
    journal.sort(key=lambda line: line[0])
    return LockRun(
        grants=tuple(server.grants),
        writes=tuple(store.log),
        final=store.store.get(KEY),
        journal=tuple(journal),
    )


def _check_outage(outage: object) -> tuple[float, float]:
    if not isinstance(outage, tuple) or len(outage) != 2:
        raise TypeError(f"lock_outage must be a (crash, restart) pair, got {outage!r}")
    down = check_time(outage[0], "lock_outage crash time")
    up = check_time(outage[1], "lock_outage restart time")
    if up < down:
        raise ValueError(f"lock_outage must restart after it crashes, got {outage!r}")
    return down, up
