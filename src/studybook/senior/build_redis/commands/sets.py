"""Set commands (Redis' ``t_set.c``): SADD, SREM, SISMEMBER, SCARD, SMEMBERS.

A set is a Python ``set``; ``SMEMBERS`` is a RESP3 set (``~``), an array in RESP2.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import Context, get_set
from studybook.senior.build_redis.protocol import encode_bulk, encode_integer, encode_set

__all__ = ["sadd", "scard", "sismember", "smembers", "srem"]


def sadd(ctx: Context, args: list[bytes]) -> bytes:
    """SADD key member [member ...]: how many were new."""
    store = ctx.store
    members = get_set(store, args[1])
    if members is None:
        members = set()
        store.set(args[1], members)
    before = len(members)
    members.update(args[2:])
    if len(members) != before:
        store.touch(args[1])
    return encode_integer(len(members) - before)


def srem(ctx: Context, args: list[bytes]) -> bytes:
    """SREM key member [member ...]: how many were removed."""
    store = ctx.store
    members = get_set(store, args[1])
    if members is None:
        return b":0\r\n"
    before = len(members)
    members.difference_update(args[2:])
    if len(members) != before:
        store.touch(args[1])
    store.drop_if_empty(args[1], members)
    return encode_integer(before - len(members))


def sismember(ctx: Context, args: list[bytes]) -> bytes:
    """SISMEMBER key member: 1 or 0 (an integer in RESP3 too, as in Redis 7)."""
    members = get_set(ctx.store, args[1])
    return b":1\r\n" if members is not None and args[2] in members else b":0\r\n"


def scard(ctx: Context, args: list[bytes]) -> bytes:
    """SCARD key."""
    members = get_set(ctx.store, args[1])
    return encode_integer(0 if members is None else len(members))


def smembers(ctx: Context, args: list[bytes]) -> bytes:
    """SMEMBERS key: order unspecified (sorted here, so replies are reproducible)."""
    members = get_set(ctx.store, args[1]) or set()
    return encode_set([encode_bulk(m) for m in sorted(members)], ctx.proto)
