"""The redis client library from PyPI, unchanged, against MiniRedis."""

from __future__ import annotations

import threading
import time

import pytest
import redis

from studybook.senior.build_redis.server import ServerThread


@pytest.fixture
def r(mini_server):
    # redis-py >= 8 asks for RESP3 by default; MiniRedis speaks RESP2 only.
    client = redis.Redis(port=mini_server.port, protocol=2)
    client.flushall()
    yield client
    client.close()


def test_strings_keys_and_ttl(r):
    assert r.set("k", "v") is True
    assert r.get("k") == b"v"
    assert r.set("k", "w", nx=True) is None
    assert r.mset({"a": 1, "b": 2}) is True
    assert r.mget("a", "b", "zz") == [b"1", b"2", None]
    assert r.incrby("a", 41) == 42
    assert r.decr("a") == 41
    assert r.append("k", "xyz") == 4
    assert r.strlen("k") == 4
    assert r.expire("k", 100) is True
    assert 99 <= r.ttl("k") <= 100
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.type("k") == b"string"
    assert sorted(r.keys("*")) == [b"a", b"b", b"k"]
    assert r.exists("a", "b", "nope") == 2
    assert r.delete("a", "b") == 2
    assert r.dbsize() == 1
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.incr("k")


def test_key_with_short_ttl_disappears_in_real_time(r):
    r.set("short", "v", px=50)
    time.sleep(0.15)
    assert r.get("short") is None
    r.set("active", "v", px=50)
    time.sleep(0.4)  # never touched: the 100 ms active-expiry timer removes it
    assert r.dbsize() == 0


def test_lists_hashes_sets_sorted_sets(r):
    assert r.rpush("l", "a", "b", "c") == 3
    assert r.lpush("l", "z") == 4
    assert r.lrange("l", 0, -1) == [b"z", b"a", b"b", b"c"]
    assert r.lpop("l") == b"z"
    assert r.rpop("l", 2) == [b"c", b"b"]
    assert r.llen("l") == 1
    assert r.hset("h", mapping={"f": "1", "g": "2"}) == 2
    assert r.hgetall("h") == {b"f": b"1", b"g": b"2"}
    assert r.hdel("h", "f") == 1
    assert r.hlen("h") == 1
    assert r.hget("h", "g") == b"2"
    assert r.sadd("s", "x", "y") == 2
    assert r.sismember("s", "x")
    assert r.scard("s") == 2
    assert r.smembers("s") == {b"x", b"y"}
    assert r.srem("s", "x") == 1
    assert r.zadd("z", {"a": 1, "b": 2.5, "c": 2}) == 3
    assert r.zrange("z", 0, -1, withscores=True) == [(b"a", 1.0), (b"c", 2.0), (b"b", 2.5)]
    assert r.zrangebyscore("z", "(1", "+inf") == [b"c", b"b"]
    assert r.zscore("z", "b") == 2.5
    assert r.zrank("z", "b") == 2
    assert r.zcount("z", 2, 3) == 2
    assert r.zcard("z") == 3
    assert r.zremrangebyscore("z", 0, 1) == 1
    assert r.zrem("z", "c") == 1
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.lpush("h", "x")


def test_pipeline_transaction_and_watch_conflict(r, mini_server):
    with r.pipeline() as pipe:  # MULTI/EXEC
        pipe.set("n", 1).incr("n").get("n")
        assert pipe.execute() == [True, 2, b"2"]
    other = redis.Redis(port=mini_server.port, protocol=2)
    with r.pipeline() as pipe:
        pipe.watch("n")
        other.set("n", 100)  # another client changes the watched key
        pipe.multi()
        pipe.incr("n")
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.get("n") == b"100"
    other.close()


def test_pubsub_delivers_to_every_subscriber(r, mini_server):
    subs = [redis.Redis(port=mini_server.port, protocol=2).pubsub() for _ in range(3)]
    for sub in subs:
        sub.subscribe("news")
        assert sub.get_message(timeout=2)["type"] == "subscribe"
    assert r.publish("news", "hello") == 3
    assert r.publish("other", "x") == 0
    for sub in subs:
        msg = sub.get_message(timeout=2)
        assert (msg["channel"], msg["data"]) == (b"news", b"hello")
        sub.unsubscribe()
        sub.close()
    assert r.publish("news", "again") == 0


def test_many_concurrent_clients_increment_atomically(mini_server):
    redis.Redis(port=mini_server.port, protocol=2).delete("counter")

    def worker():
        client = redis.Redis(port=mini_server.port, protocol=2)
        for _ in range(200):
            client.incr("counter")
        client.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert redis.Redis(port=mini_server.port, protocol=2).get("counter") == b"4000"


def test_maxkeys_evicts_lru_through_the_client():
    with ServerThread(maxkeys=3) as srv:
        r = redis.Redis(port=srv.port, protocol=2)
        for key in "abc":
            r.set(key, 1)
        r.get("a")
        r.set("d", 1)
        assert sorted(r.keys()) == [b"a", b"c", b"d"]
        assert r.info()["evicted_keys"] == 1
        r.close()


def test_resp3_hello_is_refused_with_noproto(mini_server):
    with pytest.raises(redis.ResponseError, match="unsupported protocol version"):
        redis.Redis(port=mini_server.port).ping()  # default protocol=3 sends HELLO 3
