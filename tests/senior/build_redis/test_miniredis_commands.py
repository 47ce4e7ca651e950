"""Command internals: glob and strtod against redis-server, LRANGE cost, bad input everywhere."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.senior.build_redis.commands import Context, glob_match, parse_float, run
from studybook.senior.build_redis.commands.lists import range_of
from studybook.senior.build_redis.persistence import AppendOnlyFile
from studybook.senior.build_redis.protocol import RespParser, encode_map
from studybook.senior.build_redis.queue import MessageQueue
from studybook.senior.build_redis.server import MiniRedisServer
from studybook.senior.build_redis.store import Store

GLOB_KEYS = st.lists(st.text("ab-]\\", min_size=0, max_size=5), min_size=1, max_size=6)
GLOB_PATTERNS = st.text("ab*?[]^-\\", max_size=8)


@settings(max_examples=100, deadline=None)
@given(keys=GLOB_KEYS, pattern=GLOB_PATTERNS)
@example(keys=["", "a"], pattern="**")  # the empty key matches only the "*" shortcut
@example(keys=["-", "]", "b"], pattern="[a-]")  # a range may end in ']'
@example(keys=["a", "b"], pattern="[^a")  # an unterminated class
@example(keys=["\\", "a"], pattern="a\\")  # a trailing backslash is a literal
def test_keys_glob_matches_redis_server(
    mini_server, real_redis_port, raw_client_class, keys, pattern
):
    """KEYS over random keys and patterns (classes, ranges, escapes, the empty key)."""
    clients = [raw_client_class(port) for port in (mini_server.port, real_redis_port)]
    try:
        replies = []
        for client in clients:
            client.call("FLUSHALL")
            client.call("MSET", *[x for key in keys for x in (key, "v")])
            _, value = client.call("KEYS", pattern)[0]
            replies.append(sorted(value))
        assert replies[0] == replies[1], f"KEYS {pattern!r} over {keys!r}"
    finally:
        for client in clients:
            client.close()


SCORE_TEXT = st.one_of(
    st.text("0123456789.eE+-xXpPinfINFa ", min_size=0, max_size=8),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(["0x10", "0X1P-3", "1e400", "-1e400", "1e-400", "4e-320", "inf", "-Infinity"]),
)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(SCORE_TEXT, min_size=1, max_size=4))
def test_scores_and_bounds_parse_as_redis_server_strtod(
    mini_server, real_redis_port, raw_client_class, texts
):
    """ZADD (strict) and ZCOUNT (lax) on arbitrary numeric-looking text, both protocols' bytes."""
    clients = [raw_client_class(port, 3) for port in (mini_server.port, real_redis_port)]
    try:
        replies = []
        for client in clients:
            client.call("DEL", "z")
            got = [client.call("ZADD", "z", text, f"m{i}")[1] for i, text in enumerate(texts)]
            got.append(client.call("ZRANGE", "z", "0", "-1", "WITHSCORES")[1])
            got += [client.call("ZCOUNT", "z", text, "+inf")[1] for text in texts]
            replies.append(got)
        assert replies[0] == replies[1], texts
    finally:
        for client in clients:
            client.close()


def test_lrange_walks_from_the_nearer_end_in_linear_time():
    class NoIndexing(deque):  # deque[i] is O(n) in the middle: range_of must not use it
        def __getitem__(self, index):
            raise AssertionError("indexed a deque")

    items = NoIndexing(b"%d" % i for i in range(320_000))
    assert range_of(items, 5, 7) == [b"5", b"6", b"7"]
    assert range_of(items, -3, -1) == [b"319997", b"319998", b"319999"]
    # No wall-clock bound: the deque that refuses indexing is what proves the walk linear
    # (the old quadratic code took 1.19 s here, issue 9); a timer would only add noise.
    assert len(range_of(items, 0, -1)) == 320_000
    assert range_of(items, 200_000, 200_001) == [b"200000", b"200001"]
    ctx = Context()
    run(ctx, "RPUSH", "l", *range(1000))
    assert run(ctx, "LRANGE", "l", 998, 5000) == b"*2\r\n$3\r\n998\r\n$3\r\n999\r\n"


def test_glob_does_not_recurse_on_thousands_of_stars():
    assert glob_match(b"*" * 100_000, b"abc")  # adjacent stars are one star
    assert not glob_match(b"*a" * 1001, b"a" * 2000)  # Redis' nesting limit: no match
    assert glob_match(b"*a" * 1000, b"a" * 1000)
    assert parse_float(b"0x1p-2") == 0.25


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Store(maxkeys=True), TypeError, "maxkeys must be an int, got True"),
        (lambda: Store(maxkeys=1.5), TypeError, "maxkeys must be an int, got 1.5"),
        (lambda: Store(maxkeys=float("nan")), TypeError, "maxkeys must be an int, got nan"),
        (
            lambda: RespParser(max_bulk_len=-1),
            ValueError,
            "max_bulk_len must be at least 0, got -1",
        ),
        (lambda: RespParser(max_query_buffer=False), TypeError, "max_query_buffer must be an int"),
        (lambda: MiniRedisServer(port=70000), ValueError, "port must be in 0..65535, got 70000"),
        (lambda: MiniRedisServer(port=True), TypeError, "port must be an int, got True"),
        (lambda: MiniRedisServer(port="6379"), TypeError, "port must be an int, got '6379'"),
        (lambda: MiniRedisServer(maxkeys=0), ValueError, "maxkeys must be at least 1, got 0"),
        (
            lambda: MiniRedisServer(appendfsync="sometimes"),
            ValueError,
            "appendfsync must be one of ('always', 'everysec', 'no'), got 'sometimes'",
        ),
        (
            lambda: MessageQueue(visibility_timeout=float("nan")),
            ValueError,
            "visibility_timeout must be a finite number, got nan",
        ),
        (
            lambda: MessageQueue(visibility_timeout=float("inf")),
            ValueError,
            "visibility_timeout must be a finite number, got inf",
        ),
        (lambda: MessageQueue(max_retries=2.5), TypeError, "max_retries must be an int, got 2.5"),
        (lambda: MessageQueue(max_retries=True), TypeError, "max_retries must be an int, got True"),
        (
            lambda: MessageQueue(backoff_base=-1),
            ValueError,
            "backoff_base must be non-negative, got -1",
        ),
        (
            lambda: MessageQueue(backoff_max=float("nan")),
            ValueError,
            "backoff_max must be a finite number, got nan",
        ),
        (lambda: encode_map([b":1\r\n"], 3), ValueError, "a map needs an even number"),
        (lambda: AppendOnlyFile("x.aof", fsync="Always"), ValueError, "got 'Always'"),
    ],
)
def test_bad_arguments_are_refused_with_the_value_in_the_message(make, error, message):
    with pytest.raises(
        error, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        make()


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (("ZADD", "z", "nan", "m"), b"-ERR value is not a valid float\r\n"),
        (("ZADD", "z", "", "m"), b"-ERR value is not a valid float\r\n"),
        (
            ("LRANGE", "l", "0", "99999999999999999999"),
            b"-ERR value is not an integer or out of range\r\n",
        ),
        (
            ("EXPIRE", "k", "9223372036854775807"),
            b"-ERR invalid expire time in 'expire' command\r\n",
        ),
        (
            ("HELLO", "3", "SETNAME", "a\nb"),
            b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
        ),
        (
            ("CLIENT", "SETNAME", "\u00e9"),
            b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
        ),
        (
            ("NOSUCH", "a\r\nb"),
            b"-ERR unknown command 'NOSUCH', with args beginning with: 'a  b' \r\n",
        ),
    ],
)
def test_bad_command_arguments_get_redis_error_replies(command, reply):
    ctx = Context()
    run(ctx, "SET", "k", "v")
    assert run(ctx, *command) == reply
    assert (ctx.proto, ctx.name) == (2, b"")  # a refused HELLO changes nothing
