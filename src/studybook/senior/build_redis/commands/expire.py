"""Expiry commands (Redis' ``expire.c``): EXPIRE and friends, TTL, PTTL, PERSIST.

Deadlines are absolute milliseconds on the wall clock, as in Redis, so a TTL
survives a restart; the AOF logs every relative form as ``PEXPIREAT``.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import (
    INT64_MAX,
    INT64_MIN,
    CommandError,
    Context,
    Handler,
    parse_int,
)
from studybook.senior.build_redis.protocol import encode_integer
from studybook.senior.build_redis.store import Store

__all__ = ["expire_effect", "expire_generic", "persist", "ttl_generic"]


def expire_generic(unit: bytes, name: str) -> Handler:
    """The handler of EXPIRE (``ex``), PEXPIRE (``px``), EXPIREAT (``exat``), PEXPIREAT (``pxat``).

    Each takes ``key time [NX | XX | GT | LT]``; a time in the past deletes the key.
    """

    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        flags = {a.lower() for a in args[3:]}
        for arg in args[3:]:
            if arg.lower() not in (b"nx", b"xx", b"gt", b"lt"):
                raise CommandError(f"ERR Unsupported option {arg.decode(errors='replace')}")
        if b"nx" in flags and flags & {b"xx", b"gt", b"lt"}:
            raise CommandError(
                "ERR NX and XX, GT or LT options at the same time are not compatible"
            )
        if {b"gt", b"lt"} <= flags:
            raise CommandError("ERR GT and LT options at the same time are not compatible")
        when = parse_int(args[2])
        invalid = CommandError(f"ERR invalid expire time in '{name}' command")
        if unit in (b"ex", b"exat"):
            if not INT64_MIN // 1000 <= when <= INT64_MAX // 1000:
                raise invalid
            when *= 1000
        if unit in (b"ex", b"px"):
            if when > INT64_MAX - store.now_ms():
                raise invalid
            when += store.now_ms()
        key = args[1]
        if not store.contains(key):
            return b":0\r\n"
        current = store.deadline(key)
        if (
            (b"nx" in flags and current is not None)
            or (b"xx" in flags and current is None)
            or (b"gt" in flags and (current is None or when <= current))
            or (b"lt" in flags and current is not None and when >= current)
        ):
            return b":0\r\n"
        store.set_deadline(key, when)
        return b":1\r\n"

    return handler


def expire_effect(store: Store, args: list[bytes]) -> list[bytes]:
    """Any EXPIRE form as the AOF logs it: ``PEXPIREAT`` with the absolute deadline, or ``DEL``."""
    deadline = store.deadline(args[1])
    if deadline is None:
        return [b"DEL", args[1]]
    return [b"PEXPIREAT", args[1], b"%d" % deadline]


def ttl_generic(divisor: int) -> Handler:
    """The handler of TTL (``divisor`` 1000) and PTTL (1): -2 if missing, -1 if no TTL."""

    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        if not store.contains(args[1]):
            return b":-2\r\n"
        deadline = store.deadline(args[1])
        if deadline is None:
            return b":-1\r\n"
        remaining = max(0, deadline - store.now_ms())
        return encode_integer((remaining + divisor // 2) // divisor)

    return handler


def persist(ctx: Context, args: list[bytes]) -> bytes:
    """PERSIST key: 1 if a TTL was removed."""
    store = ctx.store
    return encode_integer(int(store.contains(args[1]) and store.persist(args[1])))
