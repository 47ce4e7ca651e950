"""Redis recipes through the redis client library, against MiniRedis or a real redis-server.

Interviewers ask "where would you use Redis, and how?" more often than "how does
Redis work inside" (:doc:`/senior/build-redis` answers that). Each class here is
one production pattern written with ``redis-py`` (``redis.Redis``), so the same
code runs against MiniRedis in the doctests and against ``redis-server`` in CI:

- cache-aside: reused from :doc:`/senior/caching`
  (:class:`~studybook.senior.caching.redis_aside.RedisCacheAside`), run here
  against a real server too;
- :class:`SessionStore`: a hash per session, expiring, refreshed on use (sliding TTL);
- :class:`Leaderboard`: a sorted set: ``ZINCRBY``, ``ZREVRANGE``, ``ZREVRANK``;
- :class:`ReliableQueue`: ``BLMOVE`` into a per-worker processing list, ``LREM``
  to acknowledge, requeue on a worker's death (no job lost between pop and work);
- :class:`StreamGroup`: a stream with a consumer group (``XADD``, ``XREADGROUP``,
  ``XACK``, ``XAUTOCLAIM``), against MiniRedis and a real server alike.

Invariant (queue): every pushed job is, at every moment, in exactly one of the
queue, one worker's processing list, or acknowledged.

=================  ==================================  ====================
Recipe             Redis commands                      Cost per call
=================  ==================================  ====================
cache-aside get    GET, then SET key value EX ttl      O(1)
session touch      HGETALL + EXPIRE in one MULTI       O(fields)
leaderboard top k  ZREVRANGE 0 k-1 WITHSCORES          O(log n + k)
queue claim / ack  BLMOVE / LREM                       O(1) / O(processing)
=================  ==================================  ====================

>>> from studybook.senior.build_redis.server import ServerThread
>>> import redis
>>> with ServerThread() as srv:
...     board = Leaderboard(redis.Redis(port=srv.port, decode_responses=True), "scores")
...     _ = board.add("ann", 30), board.add("bob", 50), board.add("ann", 25)
...     board.top(2), board.rank("bob")
([('ann', 55.0), ('bob', 50.0)], 1)

Primary source: the Redis command reference, redis.io/docs/latest/commands
(LMOVE's "Pattern: Reliable queue", ZADD, XREADGROUP), Redis 7.0.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TextIO

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = ["Leaderboard", "ReliableQueue", "SessionStore", "StreamGroup", "demo"]

Client = Any
"""A ``redis.Redis`` created with ``decode_responses=True`` (typed loosely: redis-py's
stubs are partial, and the recipes take any client with the same methods)."""


class SessionStore:
    """Sessions as Redis hashes that expire after ``ttl`` seconds of inactivity.

    :meth:`create` writes the hash and its TTL in one ``MULTI``/``EXEC`` (a
    crash between ``HSET`` and ``EXPIRE`` would leave a session that never
    expires); :meth:`get` reads it and pushes the deadline back (a sliding TTL).

    Args:
        client: a redis-py client with ``decode_responses=True``.
        ttl: idle seconds before a session disappears.
        token: makes session ids (default: 128 random bits, ``secrets.token_urlsafe(16)``).

    Complexity: O(fields) per call.

    >>> from studybook.senior.build_redis.server import ServerThread
    >>> import redis
    >>> with ServerThread() as srv:
    ...     client = redis.Redis(port=srv.port, decode_responses=True)
    ...     sessions = SessionStore(client, ttl=1800, token=lambda: "s1")
    ...     sid = sessions.create({"user": "ann"})
    ...     sessions.get(sid), client.ttl("session:s1"), sessions.get("nope")
    ({'user': 'ann'}, 1800, None)
    """

    def __init__(self, client: Client, *, ttl: int, token: Callable[[], str] | None = None) -> None:
        self.client = client
        self.ttl = check_int(ttl, "ttl", minimum=1)
        if token is not None:
            check_callable(token, "token")
        self.token = token if token is not None else lambda: secrets.token_urlsafe(16)

    def create(self, data: dict[str, str]) -> str:
        """Store ``data`` (non-empty) under a new session id and return the id. O(fields)."""
        if not isinstance(data, dict) or not data:
            raise ValueError(f"session data must be a non-empty dict, got {data!r}")
        sid = check_str(self.token(), "token()", nonempty=True)  # "" would be unreadable by get()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(f"session:{sid}", mapping=data)
            pipe.expire(f"session:{sid}", self.ttl)
            pipe.execute()
        return sid

    def get(self, sid: str) -> dict[str, str] | None:
        """The session's data, refreshing its TTL; None if it expired or never existed."""
        check_str(sid, "sid", nonempty=True)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(f"session:{sid}")
            pipe.expire(f"session:{sid}", self.ttl)
            data, _ = pipe.execute()
        return dict(data) or None

    def destroy(self, sid: str) -> bool:
        """Log out: delete the session; True if it existed. O(fields)."""
        check_str(sid, "sid", nonempty=True)
        return bool(self.client.delete(f"session:{sid}"))


class Leaderboard:
    """A game leaderboard as one sorted set: score updates and top-k in O(log n).

    Ties are ordered by member name, descending in :meth:`top` (Redis orders
    equal scores lexicographically and ``ZREVRANGE`` reverses that order).

    Complexity: :meth:`add` and :meth:`rank` O(log n), :meth:`top` O(log n + k)
    in Redis (a skip list); MiniRedis' sorted list makes inserts O(n).
    """

    def __init__(self, client: Client, key: str) -> None:
        self.client = client
        self.key = check_str(key, "key", nonempty=True)

    def add(self, player: str, points: float) -> float:
        """Add ``points`` (may be negative) to ``player``'s score; return the new score."""
        check_str(player, "player", nonempty=True)
        check_real(points, "points")
        return float(self.client.zincrby(self.key, points, player))

    def top(self, k: int) -> list[tuple[str, float]]:
        """The ``k`` best players with their scores, best first."""
        check_int(k, "k", minimum=1, maximum=2**63 - 1)  # Redis indexes are signed 64-bit
        return [
            (str(m), float(s))
            for m, s in self.client.zrevrange(self.key, 0, k - 1, withscores=True)
        ]

    def rank(self, player: str) -> int | None:
        """``player``'s 0-based rank from the top, or None if unranked."""
        check_str(player, "player", nonempty=True)
        rank = self.client.zrevrank(self.key, player)
        return None if rank is None else int(rank)


class ReliableQueue:
    """A work queue that loses no job when a worker dies (the ``LMOVE`` "reliable queue").

    ``RPOP`` hands a job over and forgets it: a worker that crashes before
    finishing loses it. :meth:`claim` instead moves the job atomically into the
    worker's own processing list with ``BLMOVE`` (waiting up to ``timeout``
    seconds); :meth:`ack` removes it from there with ``LREM``; :meth:`requeue`
    puts back everything a dead worker held. Delivery is at least once: a
    requeued job may have been half done, so jobs must be idempotent.

    Complexity: push/claim O(1); ack O(jobs the worker holds); requeue O(held).

    >>> from studybook.senior.build_redis.server import ServerThread
    >>> import redis
    >>> with ServerThread() as srv:
    ...     q = ReliableQueue(redis.Redis(port=srv.port, decode_responses=True), "jobs")
    ...     _ = q.push("j1"), q.push("j2")
    ...     job = q.claim("w1", timeout=1)      # w1 takes j1, then crashes
    ...     job, q.held("w1"), q.requeue("w1"), q.claim("w2", timeout=1), q.ack("w2", "j1")
    ('j1', ['j1'], 1, 'j1', True)
    """

    def __init__(self, client: Client, name: str) -> None:
        self.client = client
        self.name = check_str(name, "name", nonempty=True)

    def _processing(self, worker: str) -> str:
        check_str(worker, "worker", nonempty=True)
        return f"{self.name}:processing:{worker}"

    def push(self, job: str) -> int:
        """Enqueue ``job`` (FIFO); return the queue's length. O(1)."""
        check_str(job, "job")
        return int(self.client.lpush(self.name, job))

    def claim(self, worker: str, *, timeout: float) -> str | None:
        """Move the oldest job into ``worker``'s processing list; None after ``timeout`` seconds."""
        key = self._processing(worker)
        check_real(timeout, "timeout", low=0)
        job = self.client.blmove(self.name, key, timeout, "RIGHT", "LEFT")
        return None if job is None else str(job)

    def ack(self, worker: str, job: str) -> bool:
        """``worker`` finished ``job``: drop it from its processing list; False if not held."""
        return bool(self.client.lrem(self._processing(worker), 1, check_str(job, "job")))

    def held(self, worker: str) -> list[str]:
        """The jobs ``worker`` claimed and has not acknowledged, newest first."""
        return [str(j) for j in self.client.lrange(self._processing(worker), 0, -1)]

    def requeue(self, worker: str) -> int:
        """Give a dead worker's jobs back to the queue (to be taken next); return how many."""
        key = self._processing(worker)
        moved = 0
        while self.client.lmove(key, self.name, "LEFT", "RIGHT") is not None:  # oldest ends up next
            moved += 1
        return moved


class StreamGroup:
    """A Redis stream read by a consumer group: each entry to one consumer, acked, reclaimable.

    Unlike the list queue, the stream keeps entries after they are read (other
    groups can read them too, and they can be replayed); the group tracks each
    delivered, unacknowledged entry in its pending entries list (PEL), and
    :meth:`reclaim` hands entries idle longer than ``min_idle_ms`` to another
    consumer (``XAUTOCLAIM``, Redis 6.2+).

    Complexity: add O(1); read O(count); ack O(1) per id (Redis' command reference).
    """

    def __init__(self, client: Client, stream: str, group: str) -> None:
        self.client = client
        self.stream = check_str(stream, "stream", nonempty=True)
        self.group = check_str(group, "group", nonempty=True)

    def create(self) -> None:
        """Create the group reading new entries only (``$``), creating the stream too."""
        self.client.xgroup_create(self.stream, self.group, id="$", mkstream=True)

    def add(self, fields: dict[str, str]) -> str:
        """Append an entry; return its id (``<ms>-<seq>``)."""
        if not isinstance(fields, dict) or not fields:
            raise ValueError(f"fields must be a non-empty dict, got {fields!r}")
        return str(self.client.xadd(self.stream, fields))

    def read(self, consumer: str, count: int) -> list[tuple[str, dict[str, str]]]:
        """Up to ``count`` never-delivered entries for ``consumer`` (they become pending)."""
        check_str(consumer, "consumer", nonempty=True)
        check_int(count, "count", minimum=1)
        reply = self.client.xreadgroup(self.group, consumer, {self.stream: ">"}, count=count)
        return [(str(i), dict(f)) for _, entries in reply for i, f in entries]

    def ack(self, *ids: str) -> int:
        """Acknowledge entries (drop them from the PEL); return how many were pending."""
        if not ids:
            raise ValueError("ack needs at least one id, got none")
        return int(self.client.xack(self.stream, self.group, *ids))

    def pending(self) -> int:
        """How many entries were delivered and not yet acknowledged."""
        return int(self.client.xpending(self.stream, self.group)["pending"])

    def reclaim(self, consumer: str, min_idle_ms: int) -> list[str]:
        """Give ``consumer`` the entries idle at least ``min_idle_ms``; return their ids."""
        check_str(consumer, "consumer", nonempty=True)
        check_int(min_idle_ms, "min_idle_ms", minimum=0)
        _, claimed, *_ = self.client.xautoclaim(self.stream, self.group, consumer, min_idle_ms)
        return [str(i) for i, _ in claimed]


def demo(out: TextIO) -> None:
    """Run the list-based recipes against MiniRedis through redis-py and narrate.

    >>> import sys
    >>> demo(sys.stdout)
    cache-aside: get('user:1') -> 'ANN' (miss), again -> 'ANN' (hit); hits 1, misses 1
    session: created 'demo', data {'user': 'ann'}, ttl 1800 s
    leaderboard: top 2 [('bob', 70.0), ('ann', 55.0)], ann ranks 1
    queue: w1 claims 'resize:1' and dies; requeued 1; w2 claims 'resize:1' and acks: True
    queue: lengths afterwards [0, 0, 0] (jobs, jobs:processing:w1, jobs:processing:w2)
    """
    import redis

    from studybook.senior.build_redis.server import ServerThread
    from studybook.senior.caching.redis_aside import RedisCacheAside

    with ServerThread() as srv:
        client = redis.Redis(port=srv.port, decode_responses=True)
        cache = RedisCacheAside(client, lambda key: "ANN", ttl=60)
        first, second = cache.get("user:1"), cache.get("user:1")
        out.write(
            f"cache-aside: get('user:1') -> {first!r} (miss), again -> {second!r} (hit); "
            f"hits {cache.hits}, misses {cache.misses}\n"
        )
        sessions = SessionStore(client, ttl=1800, token=lambda: "demo")
        sid = sessions.create({"user": "ann"})
        ttl = client.ttl("session:demo")
        out.write(f"session: created {sid!r}, data {sessions.get(sid)}, ttl {ttl} s\n")
        board = Leaderboard(client, "board")
        for player, points in [("ann", 30), ("bob", 70), ("ann", 25), ("cy", 10)]:
            board.add(player, points)
        out.write(f"leaderboard: top 2 {board.top(2)}, ann ranks {board.rank('ann')}\n")
        queue = ReliableQueue(client, "jobs")
        queue.push("resize:1")
        job = queue.claim("w1", timeout=1)
        requeued = queue.requeue("w1")
        again = queue.claim("w2", timeout=1)
        acked = queue.ack("w2", "resize:1")
        out.write(
            f"queue: w1 claims {job!r} and dies; requeued {requeued}; "
            f"w2 claims {again!r} and acks: {acked}\n"
        )
        lists = ("jobs", "jobs:processing:w1", "jobs:processing:w2")
        lengths = [client.llen(key) for key in lists]
        out.write(f"queue: lengths afterwards {lengths} ({', '.join(lists)})\n")
        client.close()
