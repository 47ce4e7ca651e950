"""Transactions (Redis' ``multi.c``): MULTI, EXEC, DISCARD, WATCH, UNWATCH.

``MULTI`` makes the client queue its commands (the dispatcher in
:mod:`~studybook.senior.build_redis.commands.table` does the queueing, after
checking each command's name and arity); ``EXEC`` runs the queue back to back,
which is atomic because nothing else runs on the one thread meanwhile. A
command that fails inside ``EXEC`` does not undo the others: Redis has no
rollback. ``WATCH`` is optimistic locking: ``EXEC`` returns a null array,
running nothing, if a watched key changed since it was watched.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import CommandError, Context, call
from studybook.senior.build_redis.protocol import OK, encode_array, encode_null_array

__all__ = ["discard", "end_multi", "exec_", "multi", "unwatch", "unwatch_all", "watch"]


def multi(ctx: Context, args: list[bytes]) -> bytes:
    """MULTI: start queueing."""
    if ctx.in_multi:
        raise CommandError("ERR MULTI calls can not be nested")
    ctx.in_multi = True
    return OK


def discard(ctx: Context, args: list[bytes]) -> bytes:
    """DISCARD: drop the queue and every WATCH."""
    if not ctx.in_multi:
        raise CommandError("ERR DISCARD without MULTI")
    end_multi(ctx)
    return OK


def exec_(ctx: Context, args: list[bytes]) -> bytes:
    """EXEC: run the queue and reply with an array of its replies, or abort."""
    if not ctx.in_multi:
        raise CommandError("ERR EXEC without MULTI")
    store = ctx.store
    if ctx.multi_failed:
        end_multi(ctx)
        raise CommandError("EXECABORT Transaction discarded because of previous errors.")
    if any(store.version(key) != token for key, token in ctx.watched.items()):
        end_multi(ctx)
        return encode_null_array(ctx.proto)
    queued = ctx.queued
    end_multi(ctx)
    start = len(store.effects)
    could_block, ctx.can_block = ctx.can_block, False  # nothing blocks inside EXEC
    try:
        replies = [call(ctx, spec, command) for spec, command in queued]
    finally:
        ctx.can_block = could_block
    if len(store.effects) - start > 1:  # the AOF replays all of it or none of it
        store.effects.insert(start, [b"MULTI"])
        store.effects.append([b"EXEC"])
    return encode_array(replies)


def end_multi(ctx: Context) -> None:
    """Leave MULTI state: empty the queue, forget errors, unwatch everything. O(watched)."""
    ctx.in_multi = ctx.multi_failed = False
    ctx.queued = []
    unwatch_all(ctx)


def watch(ctx: Context, args: list[bytes]) -> bytes:
    """WATCH key [key ...]."""
    if ctx.in_multi:
        raise CommandError("ERR WATCH inside MULTI is not allowed")
    for key in args[1:]:
        if key not in ctx.watched:
            ctx.watched[key] = ctx.store.watch(key)
    return OK


def unwatch(ctx: Context, args: list[bytes]) -> bytes:
    """UNWATCH."""
    unwatch_all(ctx)
    return OK


def unwatch_all(ctx: Context) -> None:
    """Forget every key ``ctx`` watches (also on disconnect). O(watched)."""
    for key in ctx.watched:
        ctx.store.unwatch(key)
    ctx.watched.clear()
