"""The redis client library from PyPI, unchanged, against MiniRedis, over RESP2 and RESP3.

redis-py 8 speaks RESP3 unless told ``protocol=2``, and decodes replies by their
RESP3 type (a double becomes a float, a map a dict), so these tests also show
MiniRedis sends the types a real server sends.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest
import redis

from studybook.senior.build_redis.server import ServerThread


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request):
    return request.param


@pytest.fixture
def r(mini_server, protocol):
    client = redis.Redis(port=mini_server.port, protocol=protocol)
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
    pairs = r.zrange("z", 0, -1, withscores=True)  # RESP3: lists of two, as from redis-server
    assert [tuple(p) for p in pairs] == [(b"a", 1.0), (b"c", 2.0), (b"b", 2.5)]
    assert r.zrangebyscore("z", "(1", "+inf") == [b"c", b"b"]
    assert r.zscore("z", "b") == 2.5
    assert r.zadd("z", {"b": 0.5}, incr=True) == 3.0
    assert r.zrank("z", "b") == 2
    assert r.zcount("z", 2, 3) == 2
    assert r.zcard("z") == 3
    assert r.zremrangebyscore("z", 0, 1) == 1
    assert r.zrem("z", "c") == 1
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.lpush("h", "x")


def test_pipeline_transaction_and_watch_conflict(r, mini_server, protocol):
    with r.pipeline() as pipe:  # MULTI/EXEC
        pipe.set("n", 1).incr("n").get("n")
        assert pipe.execute() == [True, 2, b"2"]
    other = redis.Redis(port=mini_server.port, protocol=protocol)
    with r.pipeline() as pipe:
        pipe.watch("n")
        other.set("n", 100)  # another client changes the watched key
        pipe.multi()
        pipe.incr("n")
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert r.get("n") == b"100"
    other.close()


def test_pubsub_delivers_to_every_subscriber(r, mini_server, protocol):
    subs = [redis.Redis(port=mini_server.port, protocol=protocol).pubsub() for _ in range(3)]
    for sub in subs:
        sub.subscribe("news")
        assert sub.get_message(timeout=2)["type"] == "subscribe"
    assert r.publish("news", "hello") == 3
    assert r.publish("other", "x") == 0
    for sub in subs:
        msg = sub.get_message(timeout=2)
        assert (msg["type"], msg["channel"], msg["data"]) == ("message", b"news", b"hello")
        sub.unsubscribe()
        assert sub.get_message(timeout=2)["type"] == "unsubscribe"  # processed by the server
        sub.close()
    assert r.publish("news", "again") == 0


def test_resp3_subscriber_runs_commands_between_messages(mini_server):
    sub = redis.Redis(port=mini_server.port, protocol=3)
    pubsub = sub.pubsub()
    pubsub.subscribe("news")
    assert pubsub.get_message(timeout=2)["type"] == "subscribe"
    conn = pubsub.connection
    conn.send_command("SET", "k", "v")  # not allowed on a RESP2 subscriber
    assert conn.read_response() == b"OK"
    redis.Redis(port=mini_server.port).publish("news", "hi")
    assert pubsub.get_message(timeout=2)["data"] == b"hi"  # a push, told apart from replies
    pubsub.close()
    sub.close()


def test_hello_switches_protocol_and_describes_the_server(mini_server):
    client = redis.Redis(port=mini_server.port, protocol=3)
    hello = client.execute_command("HELLO", "3")
    assert {k: v for k, v in hello.items() if k != b"id"} == {
        b"server": b"redis",
        b"version": b"7.0.15",
        b"proto": 3,
        b"mode": b"standalone",
        b"role": b"master",
        b"modules": [],
    }
    with pytest.raises(redis.ResponseError, match="^NOPROTO unsupported protocol version$"):
        client.execute_command("HELLO", "4")
    client.close()


def test_many_concurrent_clients_increment_atomically(mini_server):
    redis.Redis(port=mini_server.port).delete("counter")

    def worker():
        client = redis.Redis(port=mini_server.port)
        for _ in range(200):
            client.incr("counter")
        client.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert redis.Redis(port=mini_server.port).get("counter") == b"4000"


def test_maxkeys_evicts_lru_through_the_client():
    with ServerThread(maxkeys=3) as srv:
        r = redis.Redis(port=srv.port)
        for key in "abc":
            r.set(key, 1)
        r.get("a")
        r.set("d", 1)
        assert sorted(r.keys()) == [b"a", b"c", b"d"]
        assert r.info()["evicted_keys"] == 1
        r.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_client_decodes_the_same_types_from_miniredis_and_redis_server(
    mini_server, real_redis_port, protocol
):
    script = [
        ("ZADD", "z", "1", "one", "2.5", "two"),
        ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
        ("ZSCORE", "z", "two"),
        ("ZADD", "z", "INCR", "1", "one"),
        ("HSET", "h", "f", "v"),
        ("HGETALL", "h"),
        ("SADD", "s", "a"),
        ("SMEMBERS", "s"),
        ("GET", "missing"),
        ("LPOP", "missing", "2"),
        ("CONFIG", "GET", "appendonly"),
    ]
    results = []
    for port in (mini_server.port, real_redis_port):
        client = redis.Redis(port=port, protocol=protocol)
        client.flushall()
        results.append([client.execute_command(*command) for command in script])
        client.close()
    mini, real = results
    assert mini == real
    assert [type(x) for x in mini] == [type(x) for x in real]


def test_redis_cli_speaks_resp3_to_miniredis(mini_server, real_redis_port):
    exe = shutil.which("redis-cli")
    assert exe is not None, "redis-cli missing (Debian package redis-tools)"
    commands = b"FLUSHALL\nZADD z 1.5 a\nZSCORE z a\nHSET h f v\nHGETALL h\nGET nope\nSMEMBERS h\n"
    outputs = []
    for port in (mini_server.port, real_redis_port):
        result = subprocess.run(
            [exe, "-3", "-p", str(port)],
            input=commands,
            capture_output=True,
            timeout=10,
            check=True,
        )
        outputs.append(result.stdout.decode())
    assert outputs[0] == outputs[1]
    wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert outputs[0] == f"OK\n1\n1.5\n1\nf v\n\n{wrongtype}\n\n"
