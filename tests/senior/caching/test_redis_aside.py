"""Cache-aside through redis-py against MiniRedis, and bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from studybook.senior.build_redis.server import ServerThread
from studybook.senior.caching import RedisCacheAside


@pytest.fixture(scope="module")
def client() -> Iterator[redis.Redis]:
    with ServerThread() as srv:
        c = redis.Redis(port=srv.port, protocol=2, decode_responses=True, socket_timeout=5)
        yield c
        c.close()


def test_cache_aside_through_redis(client: redis.Redis) -> None:
    db = {"user:1": "Ada"}
    loads: list[str] = []

    def loader(key: str) -> str | None:
        loads.append(key)
        return db.get(key)

    cache = RedisCacheAside(client, loader, ttl=60, prefix="t1:")
    assert [cache.get("user:1"), cache.get("user:1"), cache.get("user:9")] == ["Ada", "Ada", None]
    assert (cache.hits, cache.misses, loads) == (1, 2, ["user:1", "user:9"])
    assert 0 < client.ttl("t1:user:1") <= 60  # every cached value carries a TTL
    assert client.exists("t1:user:9") == 0  # a miss in the source is not cached
    db["user:1"] = "Grace"
    assert cache.get("user:1") == "Ada"  # stale until invalidated
    cache.invalidate("user:1")
    assert cache.get("user:1") == "Grace"


def test_bytes_replies_are_decoded() -> None:
    with ServerThread() as srv:
        raw = redis.Redis(port=srv.port, protocol=2)
        cache = RedisCacheAside(raw, lambda k: "é", ttl=5)
        assert cache.get("k") == "é"
        assert cache.get("k") == "é"
        assert cache.hits == 1
        raw.close()


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda c: RedisCacheAside(object(), lambda k: k), TypeError, "get"),
        (lambda c: RedisCacheAside(c, "loader"), TypeError, "loader"),
        (lambda c: RedisCacheAside(c, lambda k: k, ttl=0), ValueError, "ttl"),
        (lambda c: RedisCacheAside(c, lambda k: k, ttl=1.5), TypeError, "ttl"),
        (lambda c: RedisCacheAside(c, lambda k: k, prefix=None), TypeError, "prefix"),
        (lambda c: RedisCacheAside(c, lambda k: k).get(b"k"), TypeError, "key"),
        (
            lambda c: RedisCacheAside(c, lambda k: 42, prefix="t2:").get("k"),
            TypeError,
            "loader result",
        ),
        (lambda c: RedisCacheAside(c, lambda k: k).invalidate(None), TypeError, "key"),
    ],
)
def test_bad_input(client: redis.Redis, make: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        make(client)  # type: ignore[operator]
