"""The five limiters over Redis, atomic under concurrency without Lua.

Several application servers share one Redis, so the check and the update must
be one atomic step, or two servers can both read "9 of 10 used" and both admit a
request. Production limiters usually run a Lua script with ``EVAL``: the script
executes atomically on the server, in one round trip, and can read the server's
clock with ``TIME``. MiniRedis has no Lua, so this module uses the two other
tools Redis offers, and each limiter says which:

- **Single atomic commands, optimistically** (fixed window, sliding window
  counter, sliding log): a ``MULTI``/``EXEC`` block applies the request
  (``INCRBY`` or ``ZADD``) and reads the resulting count in one atomic step;
  if the count is over the limit, the request is denied and its increment is
  undone. The count each request sees is unique, so the limit can never be
  exceeded; a concurrent request may be denied while an undo is in flight
  (the error is on the safe side).
- **Check-and-set with** ``WATCH`` (token bucket, leaky bucket): read the
  state, compute, and write it back inside ``MULTI``/``EXEC`` only if no other
  client changed the key since ``WATCH``; otherwise retry. Correct for any
  read-modify-write, at the cost of retries under contention.

Each client supplies the time from its own clock (``time.time`` by default),
so clients' clocks must agree; a Lua script would use the server's ``TIME``.
Every key gets a TTL so idle limiters cost nothing. The client's key is wrapped
in a hash tag, ``rl:RedisFixedWindow:{alice}:...``, so that every Redis key one
request touches lands in the same Redis Cluster hash slot: a ``MULTI`` over keys
in different slots fails with ``CROSSSLOT``.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from studybook.senior.rate_limiting.local import (
    BaseLimiter,
    Decision,
    gcra_fits,
    retry_wait,
    sliding_counter_decision,
)

__all__ = [
    "RedisFixedWindow",
    "RedisLeakyBucket",
    "RedisLimiter",
    "RedisSlidingLog",
    "RedisSlidingWindowCounter",
    "RedisTokenBucket",
]

MAX_CAS_ATTEMPTS = 1000
"""Give up a WATCH/MULTI/EXEC loop after this many conflicts (it never happens in the tests)."""


class RedisLimiter(BaseLimiter):
    """What the Redis limiters share: the client, a key prefix and a TTL of two windows.

    Raises:
        TypeError: ``prefix`` is not a str.
        ValueError: ``prefix`` contains ``{`` or ``}`` (it would move the hash tag).
    """

    def __init__(
        self,
        client: Any,
        limit: int,
        window: float,
        *,
        prefix: str = "rl",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(limit, window, clock)
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, got {prefix!r}")
        if "{" in prefix or "}" in prefix:
            raise ValueError(f"prefix must not contain braces (hash tags), got {prefix!r}")
        self.client = client
        self.prefix = prefix
        self.ttl_ms = math.ceil(self.window * 2000)  # two windows: enough for every algorithm

    def _key(self, key: str, suffix: str = "") -> str:
        # Redis Cluster hashes only the part between the first "{" and the next "}":
        # the prefix has no braces, so every key of one client shares one slot.
        return f"{self.prefix}:{type(self).__name__}:{{{key}}}{suffix}"


class RedisFixedWindow(RedisLimiter):
    """Fixed window on ``INCRBY`` + ``PEXPIRE`` in one ``MULTI``/``EXEC``; undo if over.

    Args:
        client: a ``redis.Redis`` (``protocol=2`` for MiniRedis).
        limit: requests per window.
        window: seconds.
        prefix: key prefix in Redis.
        clock: seconds since the epoch.

    Complexity: one round trip (two when denied); O(1) memory per key.
    """

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Count ``cost`` in the current window; deny and undo if it overflows."""
        now = self._start(key, cost)
        index = math.floor(now / self.window)
        name = self._key(key, f":{index}")
        pipe = self.client.pipeline(transaction=True)
        pipe.incrby(name, cost)
        pipe.pexpire(name, self.ttl_ms)
        count = int(pipe.execute()[0])
        if count <= self.limit:
            return Decision(True, self.limit, self.limit - count, 0.0)
        self.client.decrby(name, cost)
        remaining = max(0, self.limit - (count - cost))
        wait = retry_wait(
            self._reading,
            (index + 1) * self.window,
            lambda t: math.floor(self._at(t) / self.window) > index,
        )
        return Decision(False, self.limit, remaining, wait)


class RedisSlidingWindowCounter(RedisLimiter):
    """Sliding window counter: ``INCRBY`` the current window, read the previous one, undo if over.

    The previous window's counter no longer changes once its window is over,
    so reading it in the same ``MULTI`` as the increment gives a consistent
    estimate ``prev * (1 - elapsed / window) + current``.

    Complexity: one round trip (two when denied); O(1) memory per key.
    """

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Increment the current window's count; deny and undo if the estimate overflows."""
        now = self._start(key, cost)
        index = math.floor(now / self.window)
        current_name = self._key(key, f":{index}")
        pipe = self.client.pipeline(transaction=True)
        pipe.incrby(current_name, cost)
        pipe.pexpire(current_name, self.ttl_ms)
        pipe.get(self._key(key, f":{index - 1}"))
        count, _, prev_raw = pipe.execute()
        prev = int(prev_raw or 0)
        decision = sliding_counter_decision(
            self.limit,
            self.window,
            prev,
            int(count) - cost,
            now,
            cost,
            at=self._at,
            reading=self._reading,
        )
        if not decision.allowed:
            self.client.decrby(current_name, cost)
        return decision


class RedisSlidingLog(RedisLimiter):
    """Sliding log in a sorted set scored by time: trim, add, count, all in one ``MULTI``.

    Each request adds ``cost`` unique members; if the set then holds more than
    ``limit``, the request removes its own members and is denied.

    Complexity: one round trip (two when denied); O(log n) per member; O(limit) memory per key.
    """

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Log ``cost`` entries at ``now`` if the window has room; otherwise remove them."""
        now = self._start(key, cost)
        name = self._key(key)
        token = uuid.uuid4().hex
        members = {f"{now!r}:{token}:{i}": now for i in range(cost)}
        pipe = self.client.pipeline(transaction=True)
        pipe.zremrangebyscore(name, "-inf", now - self.window)  # t <= now - window has left
        pipe.zadd(name, members)
        pipe.zcard(name)
        pipe.pexpire(name, self.ttl_ms)
        _, _, count, _ = pipe.execute()
        count = int(count)
        if count <= self.limit:
            return Decision(True, self.limit, self.limit - count, 0.0)
        self.client.zrem(name, *members)
        used = count - cost
        # The oldest entries leave first; wait until enough have gone.
        must_leave = used + cost - self.limit
        oldest = (
            self.client.zrange(name, 0, must_leave - 1, withscores=True) if must_leave > 0 else []
        )
        last_to_leave = float(oldest[-1][1]) if oldest else -math.inf
        wait = retry_wait(
            self._reading,
            last_to_leave + self.window,
            lambda t: last_to_leave <= self._at(t) - self.window,  # ZREMRANGEBYSCORE's test
        )
        return Decision(False, self.limit, max(0, self.limit - used), wait)


class RedisTokenBucket(RedisLimiter):
    """Token bucket as a hash ``{tokens, ts}`` updated with ``WATCH``/``MULTI``/``EXEC``.

    Complexity: two round trips without contention; retries under contention.
    """

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Take ``cost`` tokens with an optimistic check-and-set."""
        self._start(key, cost)
        name = self._key(key)
        rate = self.limit / self.window

        def step(state: dict[bytes, bytes], now: float) -> tuple[Decision, dict[str, str] | None]:
            stored = float(state.get(b"tokens", self.limit))
            last = float(state.get(b"ts", now))

            def tokens_at(t: float) -> float:
                return min(float(self.limit), stored + max(0.0, t - last) * rate)

            tokens = tokens_at(now)
            if tokens >= cost:
                decision = Decision(True, self.limit, math.floor(tokens - cost), 0.0)
                return decision, {"tokens": repr(tokens - cost), "ts": repr(now)}
            wait = retry_wait(
                self._reading,
                now + (cost - tokens) / rate,
                lambda t: tokens_at(self._at(t)) >= cost,
            )
            return Decision(False, self.limit, math.floor(tokens), wait), None

        return _check_and_set(self, name, lambda pipe: pipe.hgetall(name), step, hash_value=True)


class RedisLeakyBucket(RedisLimiter):
    """Leaky bucket as a meter (GCRA): one string key holding the theoretical arrival time.

    Complexity: two round trips without contention; retries under contention.
    """

    def allow(self, key: str, cost: int = 1) -> Decision:
        """Advance the theoretical arrival time if the bucket does not overflow."""
        self._start(key, cost)
        name = self._key(key)
        interval = self.window / self.limit

        def step(raw: bytes | None, now: float) -> tuple[Decision, str | None]:
            stored = float(raw) if raw is not None else None
            tat = now if stored is None else max(stored, now)
            new_tat = tat + cost * interval
            if not gcra_fits(stored, now, cost, interval, self.window):
                remaining = max(0, math.floor((self.window - (tat - now)) / interval + 1e-9))

                def admits(t: float) -> bool:
                    return gcra_fits(stored, self._at(t), cost, interval, self.window)

                wait = retry_wait(self._reading, new_tat - self.window, admits)
                return Decision(False, self.limit, remaining, wait), None
            remaining = max(0, math.floor((self.window - (new_tat - now)) / interval + 1e-9))
            return Decision(True, self.limit, remaining, 0.0), repr(new_tat)

        return _check_and_set(self, name, lambda pipe: pipe.get(name), step, hash_value=False)


def _check_and_set(
    limiter: RedisLimiter,
    name: str,
    read: Callable[[Any], Any],
    step: Callable[[Any, float], tuple[Decision, Any]],
    *,
    hash_value: bool,
) -> Decision:
    """WATCH ``name``, read, compute with ``step``, write back in MULTI/EXEC; retry on conflict."""
    import redis  # the client library is a test/extra dependency, not a library one

    rng = random.Random()  # noqa: S311 - jitter, not security
    with limiter.client.pipeline(transaction=True) as pipe:
        for _ in range(MAX_CAS_ATTEMPTS):
            try:
                pipe.watch(name)
                state = read(pipe)
                decision, new_state = step(state, limiter.now())
                if new_state is None:  # denied: nothing to write
                    pipe.unwatch()
                    return decision
                pipe.multi()
                if hash_value:
                    pipe.hset(name, mapping=new_state)
                else:
                    pipe.set(name, new_state)
                pipe.pexpire(name, limiter.ttl_ms)
                pipe.execute()
                return decision
            except redis.WatchError:
                time.sleep(rng.random() / 1000)  # jitter: contenders stop colliding in step
    raise RuntimeError(f"gave up on {name!r} after {MAX_CAS_ATTEMPTS} conflicting updates")
