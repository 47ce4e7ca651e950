"""Differential tests: the same commands against MiniRedis and a real redis-server.

Replies are compared parsed (type byte and value); only replies whose order Redis
leaves unspecified (KEYS, SMEMBERS, HGETALL) are sorted first.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

COMPARED = {"commands": 0}

UNORDERED = {b"keys", b"smembers"}

SCRIPT: list[tuple[str, ...]] = [
    # connection and server
    ("PING",),
    ("PING", "hi"),
    ("PING", "a", "b"),
    ("ECHO", "x"),
    ("ECHO",),
    ("SELECT", "0"),
    ("SELECT", "x"),
    ("DBSIZE",),
    ("NOSUCH", "a", "b"),
    ("nosuch",),
    ("FLUSHALL", "bogus"),
    # strings
    ("GET", "s"),
    ("SET", "s", "v"),
    ("GET", "s"),
    ("SET", "s"),
    ("GET",),
    ("SET", "s", "w", "NX"),
    ("SET", "s", "w", "XX"),
    ("GET", "s"),
    ("SET", "n", "1", "XX"),
    ("SET", "s", "v", "NX", "XX"),
    ("SET", "s", "v", "EX", "0"),
    ("SET", "s", "v", "EX", "-5"),
    ("SET", "s", "v", "EX", "abc"),
    ("SET", "s", "v", "PX", "100000"),
    ("TTL", "s"),
    ("SET", "s", "v", "EX"),
    ("SET", "s", "v", "EX", "10", "PX", "10"),
    ("SET", "s", "v", "KEEPTTL"),
    ("TTL", "s"),
    ("SET", "s", "v2", "GET"),
    ("SET", "s", "v", "BOGUS"),
    ("PERSIST", "s"),
    ("PERSIST", "s"),
    ("TTL", "s"),
    ("TTL", "missing"),
    ("PTTL", "missing"),
    ("MSET", "a", "1", "b", "2"),
    ("MSET", "a", "1", "b"),
    ("MGET", "a", "b", "nope"),
    ("INCR", "a"),
    ("INCRBY", "a", "10"),
    ("DECR", "a"),
    ("DECRBY", "a", "3"),
    ("GET", "a"),
    ("INCRBY", "a", "x"),
    ("INCR", "s"),
    ("SET", "i", "007"),
    ("INCR", "i"),
    ("SET", "i", " 1"),
    ("INCR", "i"),
    ("SET", "i", "-0"),
    ("INCR", "i"),
    ("SET", "big", "9223372036854775807"),
    ("INCR", "big"),
    ("DECRBY", "big", "-9223372036854775808"),
    ("SET", "big", "-9223372036854775808"),
    ("DECR", "big"),
    ("INCRBY", "new", "-5"),
    ("INCRBY", "new", "9223372036854775808"),
    ("APPEND", "ap", "hello"),
    ("APPEND", "ap", " world"),
    ("STRLEN", "ap"),
    ("STRLEN", "none"),
    ("GET", "ap"),
    ("SET", "", "empty key"),
    ("GET", ""),
    # keys
    ("EXISTS", "a", "a", "zz"),
    ("DEL", "a", "zz", "a"),
    ("EXISTS", "a"),
    ("TYPE", "b"),
    ("TYPE", "zz"),
    ("EXPIRE", "b", "100"),
    ("TTL", "b"),
    ("EXPIRE", "b", "100", "NX"),
    ("EXPIRE", "b", "200", "GT"),
    ("TTL", "b"),
    ("EXPIRE", "b", "50", "GT"),
    ("EXPIRE", "b", "50", "LT"),
    ("TTL", "b"),
    ("EXPIRE", "b", "10", "NX", "XX"),
    ("EXPIRE", "b", "10", "GT", "LT"),
    ("EXPIRE", "b", "10", "ZZ"),
    ("EXPIRE", "zz", "10"),
    ("EXPIRE", "b", "x"),
    ("EXPIRE", "b", "9223372036854775807"),
    ("PEXPIRE", "b", "5000000"),
    ("PTTL", "missing"),
    ("EXPIRE", "b", "-1"),
    ("EXISTS", "b"),
    ("SET", "p", "1"),
    ("EXPIRE", "p", "100", "XX"),
    ("EXPIRE", "p", "100", "LT"),
    ("TTL", "p"),
    ("PEXPIREAT", "p", "1"),
    ("EXISTS", "p"),
    ("SET", "u:1", "x"),
    ("SET", "u:2", "x"),
    ("SET", "u:10", "x"),
    ("SET", "v:1", "x"),
    ("KEYS", "u:*"),
    ("KEYS", "u:?"),
    ("KEYS", "[uv]:1"),
    ("KEYS", "[^u]:*"),
    ("KEYS", "u:[0-1]*"),
    ("KEYS", "*"),
    ("KEYS", "nomatch*"),
    ("KEYS", "u\\:1"),
    # lists
    ("LPUSH", "l", "a", "b", "c"),
    ("RPUSH", "l", "d"),
    ("LRANGE", "l", "0", "-1"),
    ("LRANGE", "l", "1", "2"),
    ("LRANGE", "l", "-2", "-1"),
    ("LRANGE", "l", "5", "10"),
    ("LRANGE", "l", "-100", "100"),
    ("LRANGE", "l", "2", "1"),
    ("LRANGE", "l", "x", "1"),
    ("LLEN", "l"),
    ("LPOP", "l"),
    ("RPOP", "l"),
    ("LPOP", "l", "0"),
    ("LPOP", "l", "5"),
    ("LPOP", "l"),
    ("EXISTS", "l"),
    ("LPOP", "nol", "2"),
    ("LPOP", "nol", "0"),
    ("LPOP", "nol"),
    ("RPUSH", "l2", "x"),
    ("LPOP", "l2", "-1"),
    ("LPOP", "l2", "x"),
    ("LPOP", "l2", "1", "2"),
    ("RPOP", "l2", "1"),
    ("LPUSH", "s", "x"),
    ("LRANGE", "s", "0", "1"),
    ("LLEN", "nol"),
    ("LPUSH", "l3"),
    ("TYPE", "l2"),
    # hashes
    ("HSET", "h", "f1", "v1", "f2", "v2"),
    ("HSET", "h", "f1", "v3"),
    ("HSET", "h", "f1"),
    ("HGET", "h", "f1"),
    ("HGET", "h", "nof"),
    ("HGET", "noh", "f"),
    ("HLEN", "h"),
    ("HDEL", "h", "f1", "f1", "zz"),
    ("HGETALL", "h"),
    ("HDEL", "h", "f2"),
    ("EXISTS", "h"),
    ("HGETALL", "noh"),
    ("HGET", "s", "f"),
    ("TYPE", "h"),
    # sets
    ("SADD", "st", "a", "b", "a"),
    ("SADD", "st", "c"),
    ("SCARD", "st"),
    ("SISMEMBER", "st", "a"),
    ("SISMEMBER", "st", "z"),
    ("SMEMBERS", "st"),
    ("SREM", "st", "a", "z"),
    ("SREM", "st", "b", "c"),
    ("EXISTS", "st"),
    ("SMEMBERS", "nost"),
    ("SADD", "s", "x"),
    ("SCARD", "nost"),
    # sorted sets
    ("ZADD", "z", "1", "a", "2", "b", "2", "c", "0.1", "d"),
    ("ZRANGE", "z", "0", "-1"),
    ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
    ("ZRANGE", "z", "1", "2", "withscores"),
    ("ZRANGE", "z", "-2", "-1"),
    ("ZRANGE", "z", "0", "-1", "BOGUS"),
    ("ZSCORE", "z", "d"),
    ("ZSCORE", "z", "none"),
    ("ZRANK", "z", "c"),
    ("ZRANK", "z", "none"),
    ("ZCARD", "z"),
    ("ZADD", "z", "NX", "5", "a", "5", "e"),
    ("ZADD", "z", "XX", "CH", "7", "a", "7", "f"),
    ("ZADD", "z", "GT", "CH", "1", "a", "9", "b"),
    ("ZADD", "z", "LT", "CH", "100", "c"),
    ("ZADD", "z", "INCR", "1.5", "a"),
    ("ZADD", "z", "INCR", "1", "a", "2", "b"),
    ("ZADD", "z", "XX", "NX", "1", "a"),
    ("ZADD", "z", "GT", "LT", "1", "a"),
    ("ZADD", "z", "1", "a", "2"),
    ("ZADD", "z", "x", "a"),
    ("ZADD", "z", "1"),
    ("ZADD", "z", "inf", "top", "-inf", "bottom", "1e3", "sci"),
    ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
    ("ZRANGEBYSCORE", "z", "-inf", "+inf"),
    ("ZRANGEBYSCORE", "z", "(1", "7", "WITHSCORES"),
    ("ZRANGEBYSCORE", "z", "1", "(7"),
    ("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "1", "2"),
    ("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "1", "-1"),
    ("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "-1", "2"),
    ("ZRANGEBYSCORE", "z", "a", "b"),
    ("ZRANGEBYSCORE", "z", "1", "2", "BOGUS"),
    ("ZRANGEBYSCORE", "z", "5", "1"),
    ("ZCOUNT", "z", "-inf", "+inf"),
    ("ZCOUNT", "z", "(2", "9"),
    ("ZCOUNT", "z", "x", "1"),
    ("ZREM", "z", "a", "zz"),
    ("ZREMRANGEBYSCORE", "z", "(0", "5"),
    ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
    ("ZREMRANGEBYSCORE", "z", "-inf", "+inf"),
    ("EXISTS", "z"),
    ("ZADD", "s", "1", "x"),
    ("ZRANGE", "noz", "0", "-1"),
    ("ZSCORE", "noz", "a"),
    ("ZADD", "z2", "XX", "1", "a"),
    ("EXISTS", "z2"),
    ("ZADD", "z2", "XX", "INCR", "1", "a"),
    ("ZADD", "z3", "1", "a"),
    ("ZADD", "z3", "INCR", "-inf", "a"),
    ("ZADD", "z3", "INCR", "inf", "a"),
    ("ZCARD", "noz"),
    ("ZCOUNT", "noz", "0", "1"),
    ("ZREM", "noz", "a"),
    ("TYPE", "z3"),
    # pub/sub and transactions seen from a client that does not subscribe
    ("PUBLISH", "chan", "msg"),
    ("EXEC",),
    ("DISCARD",),
    ("MULTI",),
    ("SET", "t", "1"),
    ("INCR", "t"),
    ("MULTI",),
    ("GET", "t"),
    ("EXEC",),
    ("MULTI",),
    ("SET", "t"),
    ("GET", "t"),
    ("EXEC",),
    ("GET", "t"),
    ("MULTI",),
    ("NOSUCH",),
    ("EXEC",),
    ("MULTI",),
    ("SET", "t", "x"),
    ("DISCARD",),
    ("GET", "t"),
    ("MULTI",),
    ("SET", "w", "1"),
    ("LPUSH", "w", "x"),
    ("GET", "w"),
    ("EXEC",),
    ("WATCH", "w"),
    ("MULTI",),
    ("WATCH", "w"),
    ("INCR", "w"),
    ("EXEC",),
    ("UNWATCH",),
    ("DBSIZE",),
    ("FLUSHALL",),
    ("DBSIZE",),
]


def _normalise(command: tuple[str, ...], reply: object) -> object:
    name = command[0].lower().encode()
    if name in UNORDERED and reply[0] == b"*" and reply[1] is not None:  # type: ignore[index]
        return (b"*", sorted(reply[1]))  # type: ignore[index]
    if name == b"hgetall" and reply[0] == b"*" and reply[1]:  # type: ignore[index]
        items = reply[1]  # type: ignore[index]
        return (b"*", sorted(zip(items[::2], items[1::2], strict=True)))
    return reply


def _compare(mini, real, commands) -> None:
    for command in commands:
        got, got_raw = mini.call(*command)
        want, want_raw = real.call(*command)
        COMPARED["commands"] += 1
        assert _normalise(command, got) == _normalise(command, want), (
            f"{command}: MiniRedis {got_raw!r} vs redis-server {want_raw!r}"
        )


def test_script_replies_match_redis_server_byte_for_byte(mini, real):
    _compare(mini, real, SCRIPT)
    # Unordered replies aside, the bytes themselves are identical too:
    for command in [
        ("SET", "k", "v"),
        ("GET", "k"),
        ("GET",),
        ("ZADD", "z", "0.1", "m"),
        ("ZSCORE", "z", "m"),
        ("LPOP", "none", "2"),
        ("INCR", "k"),
    ]:
        assert mini.call(*command)[1] == real.call(*command)[1]


KEYS = st.sampled_from(["a", "b", "c"])
VALUES = st.sampled_from(["0", "1", "-1", "x", "10", "2.5", "", "9223372036854775807"])
SMALL_INTS = st.sampled_from(["-2", "-1", "0", "1", "2", "100", "x"])
SCORES = st.sampled_from(["0", "1", "-1", "2.5", "inf", "-inf", "(1", "x"])

COMMAND = st.one_of(
    st.tuples(
        st.sampled_from(
            [
                "GET",
                "INCR",
                "DECR",
                "STRLEN",
                "TYPE",
                "EXISTS",
                "DEL",
                "LLEN",
                "HLEN",
                "SCARD",
                "ZCARD",
                "PERSIST",
                "TTL",
                "SMEMBERS",
                "HGETALL",
                "LPOP",
                "RPOP",
            ]
        ),
        KEYS,
    ),
    st.tuples(
        st.sampled_from(
            [
                "SET",
                "APPEND",
                "INCRBY",
                "DECRBY",
                "LPUSH",
                "RPUSH",
                "SADD",
                "SREM",
                "SISMEMBER",
                "ZREM",
                "ZSCORE",
                "ZRANK",
                "HGET",
                "HDEL",
            ]
        ),
        KEYS,
        VALUES,
    ),
    st.tuples(st.just("SET"), KEYS, VALUES, st.sampled_from(["NX", "XX", "GET", "KEEPTTL"])),
    st.tuples(st.just("EXPIRE"), KEYS, st.sampled_from(["100", "1000", "0", "-1", "x"])),
    st.tuples(st.sampled_from(["LRANGE", "ZRANGE"]), KEYS, SMALL_INTS, SMALL_INTS),
    st.tuples(st.just("HSET"), KEYS, VALUES, VALUES),
    st.tuples(st.just("ZADD"), KEYS, SCORES, VALUES),
    st.tuples(
        st.sampled_from(["ZCOUNT", "ZRANGEBYSCORE", "ZREMRANGEBYSCORE"]), KEYS, SCORES, SCORES
    ),
    st.tuples(st.sampled_from(["MGET", "EXISTS", "DEL"]), KEYS, KEYS),
    st.tuples(st.just("LPOP"), KEYS, SMALL_INTS),
    st.tuples(st.just("KEYS"), st.sampled_from(["*", "a", "?", "[ab]", "[^a]*"])),
    st.just(("DBSIZE",)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(COMMAND, min_size=5, max_size=40))
def test_generated_command_sequences_match_redis_server(
    mini_server, real_redis_port, raw_client_class, commands
):
    mini = raw_client_class(mini_server.port)
    real = raw_client_class(real_redis_port)
    try:
        mini.call("FLUSHALL")
        real.call("FLUSHALL")
        _compare(mini, real, commands)
    finally:
        mini.close()
        real.close()


def test_differential_run_compared_many_commands():
    # Runs after the two tests above in file order; prints the total for the chapter's notes.
    print(f"\ndifferential commands compared: {COMPARED['commands']}")
    assert COMPARED["commands"] >= len(SCRIPT)
