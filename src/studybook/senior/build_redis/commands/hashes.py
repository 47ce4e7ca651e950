"""Hash commands (Redis' ``t_hash.c``): HSET, HGET, HGETALL, HDEL, HLEN.

A hash is a ``dict``. ``HGETALL`` is a map in RESP3 (``%``) and a flat
field, value, field, value array in RESP2.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import Context, arity_error, get_hash
from studybook.senior.build_redis.protocol import (
    encode_bulk,
    encode_integer,
    encode_map,
    encode_null,
)

__all__ = ["hdel", "hget", "hgetall", "hlen", "hset"]


def hset(ctx: Context, args: list[bytes]) -> bytes:
    """HSET key field value [field value ...]: how many fields were new."""
    if len(args) % 2:
        return arity_error("hset")
    store = ctx.store
    table = get_hash(store, args[1])
    if table is None:
        table = {}
        store.set(args[1], table)
    else:
        store.touch(args[1])
    added = 0
    for i in range(2, len(args), 2):
        added += args[i] not in table
        table[args[i]] = args[i + 1]
    return encode_integer(added)


def hget(ctx: Context, args: list[bytes]) -> bytes:
    """HGET key field."""
    table = get_hash(ctx.store, args[1])
    value = None if table is None else table.get(args[2])
    return encode_null(ctx.proto) if value is None else encode_bulk(value)


def hgetall(ctx: Context, args: list[bytes]) -> bytes:
    """HGETALL key: a map (RESP3) or flat array (RESP2); empty if missing."""
    table = get_hash(ctx.store, args[1]) or {}
    return encode_map([encode_bulk(x) for pair in table.items() for x in pair], ctx.proto)


def hdel(ctx: Context, args: list[bytes]) -> bytes:
    """HDEL key field [field ...]: how many were removed (a field named twice counts once)."""
    store = ctx.store
    table = get_hash(store, args[1])
    if table is None:
        return b":0\r\n"
    removed = sum(table.pop(f, None) is not None for f in dict.fromkeys(args[2:]))
    if removed:
        store.touch(args[1])
    store.drop_if_empty(args[1], table)
    return encode_integer(removed)


def hlen(ctx: Context, args: list[bytes]) -> bytes:
    """HLEN key."""
    table = get_hash(ctx.store, args[1])
    return encode_integer(0 if table is None else len(table))
