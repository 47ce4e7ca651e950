"""The command table, split by data type as Redis' source is (``t_string.c``, ``t_list.c``...).

======================  ==========================================
Module                  Commands
======================  ==========================================
:mod:`.core`            the client context, table entry, parsing
:mod:`.table`           the table and the dispatcher
:mod:`.connection`      PING, HELLO, CLIENT, RESET, INFO, CONFIG
:mod:`.keyspace`        DEL, EXISTS, TYPE, KEYS, FLUSHALL, SELECT
:mod:`.expire`          EXPIRE family, TTL, PTTL, PERSIST
:mod:`.strings`         GET, SET, MGET, MSET, INCR family, APPEND
:mod:`.lists`           LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN
:mod:`.hashes`          HSET, HGET, HGETALL, HDEL, HLEN
:mod:`.sets`            SADD, SREM, SISMEMBER, SCARD, SMEMBERS
:mod:`.zsets`           ZADD, ZRANGE, ZRANGEBYSCORE, ZSCORE, ...
:mod:`.stream_ids`      parsing stream ids and ranges, encoding entries
:mod:`.streams`         XADD, XTRIM, XLEN, XRANGE, XREVRANGE, XDEL
:mod:`.stream_reads`    XREAD, XREADGROUP (with BLOCK)
:mod:`.groups`          XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM
:mod:`.pubsub`          SUBSCRIBE, UNSUBSCRIBE, PUBLISH
:mod:`.multi`           MULTI, EXEC, DISCARD, WATCH, UNWATCH
======================  ==========================================

Handlers return already-encoded RESP for the client's protocol, so a
transaction's reply is the concatenation of its commands' replies behind one
array header. A write command that changed the data (it moved
:attr:`~studybook.senior.build_redis.store.Store.dirty`) is recorded in
:attr:`~studybook.senior.build_redis.store.Store.effects` for the append-only
file, in a form that replays to the same state: relative TTLs become absolute
(``SET k v EX 10`` is logged as ``SET k v PXAT <deadline>``, ``EXPIRE`` as
``PEXPIREAT``), as Redis does when it propagates them.

>>> ctx = Context()
>>> run(ctx, "ZADD", "board", "0x10", "ann"), run(ctx, "ZSCORE", "board", "ann")
(b':1\\r\\n', b'$2\\r\\n16\\r\\n')
>>> run(ctx, "HELLO", "3")[:4], run(ctx, "ZSCORE", "board", "ann")
(b'%7\\r\\n', b',16\\r\\n')
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import (
    CommandError,
    CommandSpec,
    Context,
    arity_error,
    call,
    parse_bound,
    parse_float,
    parse_int,
    unknown_command,
)
from studybook.senior.build_redis.commands.keyspace import glob_match
from studybook.senior.build_redis.commands.table import COMMANDS, execute, run
from studybook.senior.build_redis.protocol import format_double

__all__ = [
    "COMMANDS",
    "CommandError",
    "CommandSpec",
    "Context",
    "arity_error",
    "call",
    "execute",
    "format_double",
    "glob_match",
    "parse_bound",
    "parse_float",
    "parse_int",
    "run",
    "unknown_command",
]
