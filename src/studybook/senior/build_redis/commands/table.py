"""The command table and the dispatcher: name -> arity, handler, write flag.

:func:`execute` is Redis' ``processCommand`` in small: look the command up by
its lower-cased name, check its arity (positive: exact; negative: a minimum),
refuse it in a RESP2 subscribed connection unless it is one of the few allowed
there, queue it inside ``MULTI``, otherwise run it. A refused command inside
``MULTI`` makes ``EXEC`` fail, and a refused ``EXEC`` itself discards the
transaction at once, as Redis' ``rejectCommand`` does.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands import (
    connection,
    expire,
    groups,
    hashes,
    keyspace,
    lists,
    multi,
    pubsub,
    sets,
    stream_reads,
    streams,
    strings,
    zsets,
)
from studybook.senior.build_redis.commands.core import (
    CommandSpec,
    Context,
    call,
    unknown_command,
)
from studybook.senior.build_redis.commands.multi import end_multi
from studybook.senior.build_redis.protocol import encode_error

__all__ = ["COMMANDS", "execute", "run"]

_SPECS = [
    # connection and server
    CommandSpec("ping", -1, connection.ping),
    CommandSpec("echo", 2, connection.echo),
    CommandSpec("hello", -1, connection.hello),
    CommandSpec("client", -2, connection.client),
    CommandSpec("reset", 1, connection.reset),
    CommandSpec("quit", -1, connection.quit_),
    CommandSpec("info", -1, connection.info),
    CommandSpec("config", -2, connection.config),
    CommandSpec("command", -1, connection.command),
    # keyspace
    CommandSpec("select", 2, keyspace.select),
    CommandSpec("dbsize", 1, keyspace.dbsize),
    CommandSpec("flushall", -1, keyspace.flush, write=True),
    CommandSpec("flushdb", -1, keyspace.flush, write=True),
    CommandSpec("del", -2, keyspace.del_, write=True),
    CommandSpec("exists", -2, keyspace.exists),
    CommandSpec("type", 2, keyspace.type_),
    CommandSpec("keys", 2, keyspace.keys),
    # expiry
    CommandSpec("expire", -3, expire.expire_generic(b"ex", "expire"), True, expire.expire_effect),
    CommandSpec("pexpire", -3, expire.expire_generic(b"px", "pexpire"), True, expire.expire_effect),
    CommandSpec(
        "expireat", -3, expire.expire_generic(b"exat", "expireat"), True, expire.expire_effect
    ),
    CommandSpec(
        "pexpireat", -3, expire.expire_generic(b"pxat", "pexpireat"), True, expire.expire_effect
    ),
    CommandSpec("ttl", 2, expire.ttl_generic(1000)),
    CommandSpec("pttl", 2, expire.ttl_generic(1)),
    CommandSpec("persist", 2, expire.persist, write=True),
    # strings
    CommandSpec("get", 2, strings.get),
    CommandSpec("set", -3, strings.set_, write=True, effect=strings.set_effect),
    CommandSpec("mget", -2, strings.mget),
    CommandSpec("mset", -3, strings.mset, write=True),
    CommandSpec("incr", 2, strings.incr, write=True),
    CommandSpec("decr", 2, strings.decr, write=True),
    CommandSpec("incrby", 3, strings.incrby, write=True),
    CommandSpec("decrby", 3, strings.decrby, write=True),
    CommandSpec("append", 3, strings.append, write=True),
    CommandSpec("strlen", 2, strings.strlen),
    # lists
    CommandSpec("lpush", -3, lists.push(left=True), write=True),
    CommandSpec("rpush", -3, lists.push(left=False), write=True),
    CommandSpec("lpop", -2, lists.pop(left=True), write=True),
    CommandSpec("rpop", -2, lists.pop(left=False), write=True),
    CommandSpec("lrange", 4, lists.lrange),
    CommandSpec("llen", 2, lists.llen),
    CommandSpec("lrem", 4, lists.lrem, write=True),
    CommandSpec("lmove", 5, lists.lmove, write=True),
    CommandSpec("blmove", 6, lists.blmove, write=True, effect=lists.blmove_effect),
    # hashes
    CommandSpec("hset", -4, hashes.hset, write=True),
    CommandSpec("hget", 3, hashes.hget),
    CommandSpec("hgetall", 2, hashes.hgetall),
    CommandSpec("hdel", -3, hashes.hdel, write=True),
    CommandSpec("hlen", 2, hashes.hlen),
    # sets
    CommandSpec("sadd", -3, sets.sadd, write=True),
    CommandSpec("srem", -3, sets.srem, write=True),
    CommandSpec("sismember", 3, sets.sismember),
    CommandSpec("scard", 2, sets.scard),
    CommandSpec("smembers", 2, sets.smembers),
    # sorted sets
    CommandSpec("zadd", -4, zsets.zadd, write=True),
    CommandSpec("zrange", -4, zsets.zrange),
    CommandSpec("zrangebyscore", -4, zsets.zrangebyscore),
    CommandSpec("zscore", 3, zsets.zscore),
    CommandSpec("zrank", 3, zsets.zrank),
    CommandSpec("zrevrank", 3, zsets.zrevrank),
    CommandSpec("zrevrange", -4, zsets.zrevrange),
    CommandSpec("zincrby", 4, zsets.zincrby, write=True),
    CommandSpec("zrem", -3, zsets.zrem, write=True),
    CommandSpec("zremrangebyscore", 4, zsets.zremrangebyscore, write=True),
    CommandSpec("zcard", 2, zsets.zcard),
    CommandSpec("zcount", 4, zsets.zcount),
    # streams: handlers that log their own AOF effects are not marked write
    CommandSpec("xadd", -5, streams.xadd),
    CommandSpec("xtrim", -4, streams.xtrim, write=True),
    CommandSpec("xlen", 2, streams.xlen),
    CommandSpec("xrange", -4, streams.xrange),
    CommandSpec("xrevrange", -4, streams.xrevrange),
    CommandSpec("xdel", -3, streams.xdel, write=True),
    CommandSpec("xread", -4, stream_reads.xread),
    CommandSpec("xreadgroup", -7, stream_reads.xreadgroup),
    CommandSpec("xgroup", -2, groups.xgroup, write=True),
    CommandSpec("xack", -4, groups.xack, write=True),
    CommandSpec("xpending", -3, groups.xpending),
    CommandSpec("xclaim", -6, groups.xclaim),
    CommandSpec("xautoclaim", -6, groups.xautoclaim),
    # pub/sub
    CommandSpec("subscribe", -2, pubsub.subscribe),
    CommandSpec("unsubscribe", -1, pubsub.unsubscribe),
    CommandSpec("publish", 3, pubsub.publish),
    # transactions
    CommandSpec("multi", 1, multi.multi),
    CommandSpec("exec", 1, multi.exec_),
    CommandSpec("discard", 1, multi.discard),
    CommandSpec("watch", -2, multi.watch),
    CommandSpec("unwatch", 1, multi.unwatch),
]

COMMANDS: dict[bytes, CommandSpec] = {spec.name.encode(): spec for spec in _SPECS}
"""Every command MiniRedis knows, by lower-case name."""

_SUBSCRIBED_OK = frozenset([b"subscribe", b"unsubscribe", b"ping", b"quit", b"reset"])
_RUN_IN_MULTI = frozenset([b"exec", b"discard", b"multi", b"watch", b"quit", b"reset"])


def execute(ctx: Context, args: list[bytes]) -> bytes:
    """Run one command as client ``ctx`` and return its reply, encoded for ``ctx.proto``.

    Args:
        ctx: the client (its protocol, transaction and subscriptions) and the keyspace.
        args: the command name followed by its arguments, as sent.

    Returns:
        The reply; errors are replies too, never exceptions.

    Complexity: that of the command.

    >>> ctx = Context()
    >>> execute(ctx, [b"SET", b"k", b"v"]), execute(ctx, [b"get", b"k"])
    (b'+OK\\r\\n', b'$1\\r\\nv\\r\\n')
    >>> execute(ctx, [b"GET"])
    b"-ERR wrong number of arguments for 'get' command\\r\\n"
    >>> execute(ctx, [b"HELLO", b"3"])[:4], execute(ctx, [b"GET", b"nope"])
    (b'%7\\r\\n', b'_\\r\\n')
    >>> execute(ctx, [b"MULTI"]), ctx.in_multi
    (b'+OK\\r\\n', True)
    >>> print(execute(ctx, [b"EXEC", b"now"]).decode().strip())  # a refused EXEC discards
    -EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command
    >>> ctx.in_multi
    False
    """
    name = args[0].lower()
    spec = COMMANDS.get(name)
    if spec is None:
        ctx.multi_failed |= ctx.in_multi  # a bad command aborts the whole transaction
        return unknown_command(args)
    if not spec.arity_ok(len(args)):
        return _reject(ctx, name, f"wrong number of arguments for '{spec.name}' command")
    if ctx.subscriptions and ctx.proto == 2 and name not in _SUBSCRIBED_OK:
        return _reject(
            ctx,
            name,
            f"Can't execute '{spec.name}': only (P|S)SUBSCRIBE / "
            "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        )
    if ctx.in_multi and name not in _RUN_IN_MULTI:
        ctx.queued.append((spec, args))
        return b"+QUEUED\r\n"
    return call(ctx, spec, args)


def _reject(ctx: Context, name: bytes, message: str) -> bytes:
    """Refuse a command before it runs, as Redis' ``rejectCommand``.

    Inside ``MULTI`` the refusal makes ``EXEC`` fail. A refused ``EXEC`` itself
    ends the transaction at once, even outside ``MULTI`` (``execCommandAbort``:
    the queue is dropped and every ``WATCH`` forgotten).
    """
    if name == b"exec":
        end_multi(ctx)
        return encode_error(f"EXECABORT Transaction discarded because of: {message}")
    ctx.multi_failed |= ctx.in_multi
    return encode_error(f"ERR {message}")


def run(ctx: Context, *words: str | bytes | int) -> bytes:
    """Convenience for examples: :func:`execute` with str/int arguments.

    >>> ctx = Context()
    >>> run(ctx, "RPUSH", "l", "a", "b"), run(ctx, "LRANGE", "l", 0, -1)
    (b':2\\r\\n', b'*2\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n')
    >>> run(ctx, "INCR", "l")
    b'-WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n'
    """
    return execute(ctx, [w if isinstance(w, bytes) else str(w).encode() for w in words])
