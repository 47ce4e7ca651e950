"""Cache-aside through a Redis client: ``GET``, load on a miss, ``SET ... EX ttl``.

The application-level cache most services run (coverage: "application
caching, Memcached / Redis"). Works with any client that has redis-py's
``get``, ``set(name, value, ex=...)`` and ``delete``: a real Redis, or the
book's MiniRedis. This module does not import ``redis`` itself.

Invariant: a value in Redis always carries a TTL, so a missed invalidation
heals within ``ttl`` seconds.

Primary source: Redis documentation, "SET" (the ``EX`` and ``NX`` options) and
"Client-side caching"; AWS, "Database Caching Strategies Using Redis", 2017.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studybook._validate import check_callable, check_int, check_str

__all__ = ["RedisCacheAside"]


class RedisCacheAside:
    """Cache-aside over Redis: read the cache, load misses from ``loader``, fill with a TTL.

    Args:
        client: a redis-py ``Redis`` (``decode_responses`` either way).
        loader: returns the value for a key from the source of truth, or ``None``.
        ttl: seconds a cached value lives, >= 1 (Redis ``EX`` takes whole seconds).
        prefix: prepended to every key, so the cache's keys are easy to find and flush.

    Attributes:
        hits: reads answered by Redis.
        misses: reads that called the loader.

    Complexity: one round trip per hit, two plus the loader per miss.
    """

    def __init__(
        self,
        client: Any,
        loader: Callable[[str], str | None],
        *,
        ttl: int = 300,
        prefix: str = "cache:",
    ) -> None:
        for method in ("get", "set", "delete"):
            if not callable(getattr(client, method, None)):
                raise TypeError(
                    f"client must have a {method}() method, got {type(client).__name__}: {client!r}"
                )
        check_callable(loader, "loader")
        self.client = client
        self.loader = loader
        self.ttl = check_int(ttl, "ttl", minimum=1)
        self.prefix = check_str(prefix, "prefix")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        """Return the value for ``key``: from Redis, or from ``loader`` and then cached.

        A ``None`` from the loader is not cached (a real service would cache a
        short-lived "not found" marker to stop repeated misses for absent keys).

        Raises:
            TypeError: ``key`` is not a str, or the loader returned a non-str.
        """
        name = self.prefix + check_str(key, "key")
        cached = self.client.get(name)
        if cached is not None:
            self.hits += 1
            return cached.decode() if isinstance(cached, bytes) else str(cached)
        self.misses += 1
        value = self.loader(key)
        if value is None:
            return None
        check_str(value, "loader result")
        self.client.set(name, value, ex=self.ttl)
        return value

    def invalidate(self, key: str) -> None:
        """Delete the cached copy of ``key`` (call it after writing the source of truth)."""
        self.client.delete(self.prefix + check_str(key, "key"))
