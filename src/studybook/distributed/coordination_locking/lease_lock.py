"""A lease lock that hands out fencing tokens, and the simulator node that serves it.

:class:`LeaseLock` is the pure core: who holds the lock, until when, and the
last fencing token issued. Time is passed in (``now``), never read, so tests
drive it by hand. :class:`LockServer` puts the core on the network of
:mod:`studybook.distributed.simulator`: clients send :class:`Acquire`, wait in
a FIFO queue, get a :class:`Granted` with a token, and send :class:`Release`
(or just stop, and the lease runs out).

Invariant: tokens strictly increase, one per grant, across releases, expiries
and server restarts (the last token is on disk); at most one unexpired lease
exists at any ``now``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from studybook.distributed.coordination_locking._validate import (
    check_name,
    check_time,
    check_token,
)
from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["Acquire", "Granted", "Lease", "LeaseLock", "LockServer", "Release"]


@dataclass(frozen=True)
class Lease:
    """A grant: ``holder`` may act until ``expires`` (server time), fenced by ``token``."""

    holder: str
    token: int
    expires: float


class LeaseLock:
    """A single lock with leases of ``ttl`` time units and a fencing-token counter.

    Args:
        ttl: lease length, a finite number ``> 0``.
        last_token: the last token already issued (restore it after a crash
            so no token is ever issued twice).

    Raises:
        TypeError, ValueError: a bad ``ttl`` or ``last_token``.

    Complexity: every method is O(1).

    >>> lock = LeaseLock(ttl=10)
    >>> lock.acquire("a", now=0)
    Lease(holder='a', token=1, expires=10.0)
    >>> lock.acquire("b", now=5) is None, lock.acquire("b", now=10)
    (True, Lease(holder='b', token=2, expires=20.0))
    >>> LeaseLock(ttl=0)
    Traceback (most recent call last):
    ValueError: ttl must be a finite number > 0, got 0
    """

    def __init__(self, ttl: float, *, last_token: int = 0) -> None:
        self.ttl = check_time(ttl, "ttl", positive=True)
        self.last_token = check_token(last_token)
        self._lease: Lease | None = None
        self._now = 0.0

    def current(self, now: float) -> Lease | None:
        """The lease in force at ``now``, or ``None`` if the lock is free or the lease ran out.

        Raises:
            ValueError: ``now`` is NaN, infinite, negative, or earlier than a
                time already seen (the server's clock must not go back).

        Complexity: O(1).
        """
        self._advance(now)
        if self._lease is not None and self._now >= self._lease.expires:
            self._lease = None
        return self._lease

    def acquire(self, client: str, now: float) -> Lease | None:
        """Grant a new lease with the next token if the lock is free at ``now``, else ``None``.

        A client that already holds the lock gets its lease back unchanged (a
        retried request must not mint a second token).

        Raises:
            TypeError, ValueError: an empty or non-``str`` client, a bad ``now``.

        Complexity: O(1).
        """
        check_name(client, "client")
        lease = self.current(now)
        if lease is not None:
            return lease if lease.holder == client else None
        self.last_token += 1
        self._lease = Lease(client, self.last_token, self._now + self.ttl)
        return self._lease

    def renew(self, client: str, token: int, now: float) -> Lease | None:
        """Extend the holder's unexpired lease by ``ttl`` from ``now`` (same token); else ``None``.

        Complexity: O(1).

        >>> lock = LeaseLock(ttl=10)
        >>> lease = lock.acquire("a", now=0)
        >>> lock.renew("a", lease.token, now=9), lock.renew("a", lease.token, now=30)
        (Lease(holder='a', token=1, expires=19.0), None)
        """
        check_name(client, "client")
        check_token(token)
        lease = self.current(now)
        if lease is None or (lease.holder, lease.token) != (client, token):
            return None
        self._lease = Lease(client, token, self._now + self.ttl)
        return self._lease

    def release(self, client: str, token: int, now: float) -> bool:
        """Free the lock if ``client`` holds it with ``token``; a stale release is ignored.

        Complexity: O(1).
        """
        check_name(client, "client")
        check_token(token)
        lease = self.current(now)
        if lease is None or (lease.holder, lease.token) != (client, token):
            return False
        self._lease = None
        return True

    def _advance(self, now: float) -> None:
        number = check_time(now, "now")
        if number < self._now:
            raise ValueError(f"now must not go back (last {self._now}), got {now!r}")
        self._now = number


@dataclass(frozen=True)
class Acquire:
    """Client -> server: put me in the queue for the lock.

    ``request`` is an idempotency key: the client numbers its acquisitions
    1, 2, 3... and sends a retry (or the network a duplicate) with the same
    number, so the server can tell a new request from an old one.
    """

    request: int


@dataclass(frozen=True)
class Granted:
    """Server -> client: the lock is yours with ``token``, for ``ttl`` from when this was sent."""

    token: int
    ttl: float


@dataclass(frozen=True)
class Release:
    """Client -> server: I am done with the lease fenced by ``token``."""

    token: int


class LockServer(BaseNode):
    """A lock service node: a :class:`LeaseLock`, a FIFO queue of waiters, tokens on disk.

    After a restart it knows the last token (from ``sim.disk``) but not who
    held the lock, so it grants nothing for one ``ttl`` (the Redis
    documentation's "delayed restart"): any lease issued before the crash has
    run out by then. A malformed :class:`Release` (a token that is not an
    ``int >= 0``) or :class:`Acquire` (a request id that is not an
    ``int >= 1``) is dropped: a server must not crash on a client's bad message.

    Each client's highest *served* request id is kept with the token on disk.
    An :class:`Acquire` whose id is not above it is an old request (a late
    duplicate, or a retry of a request already granted) and queues nothing:
    otherwise a duplicate that arrives after the client released would queue
    it again and win it a *phantom grant*, a lease nobody uses that blocks
    everyone else for a whole ``ttl``. Like any idempotency key, it gets the
    stored answer instead: if its lease is still live, the :class:`Granted`
    is sent again with the time left (the first copy may have been lost).

    ``grants`` lists ``(time, client, token)`` for every grant, for tests and
    the chapter's timeline.

    Complexity: O(1) per message, plus the simulator's O(log e) per send.
    """

    def __init__(self, node_id: str, ttl: float) -> None:
        super().__init__(node_id)
        self.ttl = check_time(ttl, "ttl", positive=True)
        self.grants: list[tuple[float, str, int]] = []
        self.lock = LeaseLock(self.ttl)
        self.served: dict[str, int] = {}
        self.waiting: deque[tuple[str, int]] = deque()
        self.quiet_until = 0.0

    def on_start(self, sim: Simulator) -> None:
        """Reload the last token and served ids; after a restart, wait out old leases."""
        disk = sim.disk(self.node_id)
        last = disk.get("last_token", 0)
        served = disk.get("served", {})
        assert isinstance(last, int)  # noqa: S101 - only this class writes it
        assert isinstance(served, dict)  # noqa: S101 - only this class writes it
        self.lock = LeaseLock(self.ttl, last_token=last)
        self.lock.current(sim.now)
        self.served = dict(served)
        self.waiting = deque()
        self.quiet_until = sim.now + self.ttl if last > 0 else sim.now

    def on_crash(self) -> None:
        """Forget the holder and the queue (they were in memory; clients re-send)."""
        self.waiting.clear()

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Queue a new :class:`Acquire`; apply a :class:`Release`; grant if the lock is free."""
        if isinstance(msg, Acquire) and _is_int(msg.request, low=1):
            lease = self.lock.current(sim.now)
            is_new = msg.request > self.served.get(src, 0)
            queued = any(client == src for client, _ in self.waiting)
            holds = lease is not None and lease.holder == src
            if is_new and not queued and not holds:
                self.waiting.append((src, msg.request))
            elif lease is not None and holds and msg.request == self.served.get(src):
                # A retry of the request this lease answered: answer it again.
                sim.send(self.node_id, src, Granted(lease.token, lease.expires - sim.now))
        elif isinstance(msg, Release) and _is_int(msg.token, low=0):
            self.lock.release(src, msg.token, sim.now)
        self._grant_next(sim)

    def on_timer(self, sim: Simulator, name: str) -> None:
        """The lease ran out (or the quiet period ended): grant to the next waiter."""
        self._grant_next(sim)

    def _grant_next(self, sim: Simulator) -> None:
        if sim.now < self.quiet_until:
            sim.set_timer(self.node_id, "wake", self.quiet_until - sim.now)
            return
        current = self.lock.current(sim.now)
        if current is not None:
            sim.set_timer(self.node_id, "wake", current.expires - sim.now)
            return
        if not self.waiting:
            return
        client, request = self.waiting.popleft()
        lease = self.lock.acquire(client, sim.now)
        assert lease is not None  # noqa: S101 - the lock was free a line above
        self.served[client] = request
        # Durable before the grant leaves: a restart must never reissue this
        # token, nor serve this request again.
        disk = sim.disk(self.node_id)
        disk["last_token"] = lease.token
        disk["served"] = dict(self.served)
        self.grants.append((sim.now, lease.holder, lease.token))
        sim.send(self.node_id, lease.holder, Granted(lease.token, self.lock.ttl))
        sim.set_timer(self.node_id, "wake", lease.expires - sim.now)


def _is_int(value: object, *, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low
