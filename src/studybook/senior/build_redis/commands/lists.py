"""List commands (Redis' ``t_list.c``): LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN, LREM, LMOVE, BLMOVE.

A list is a ``collections.deque``: O(1) at both ends, like Redis' quicklist,
but O(n) to index in the middle, so LRANGE walks from the nearer end instead of
indexing: O(S + N) for S elements skipped and N returned, as in Redis.
"""

from __future__ import annotations

import math
from collections import deque
from itertools import islice

from studybook.senior.build_redis.commands.core import (
    ERR_POSITIVE,
    ERR_SYNTAX,
    CommandError,
    Context,
    Handler,
    arity_error,
    get_list,
    parse_float,
    parse_int,
)
from studybook.senior.build_redis.protocol import (
    encode_array,
    encode_bulk,
    encode_integer,
    encode_null,
)

__all__ = [
    "blmove",
    "llen",
    "lmove",
    "lrange",
    "lrem",
    "normalise_range",
    "parse_timeout",
    "pop",
    "push",
    "range_of",
]


def push(*, left: bool) -> Handler:
    """The handler of LPUSH (``left``) or RPUSH: key element [element ...], the new length."""

    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        items = get_list(store, args[1])
        if items is None:
            items = deque()
            store.set(args[1], items)
        else:
            store.touch(args[1])
        if left:
            items.extendleft(args[2:])
        else:
            items.extend(args[2:])
        return encode_integer(len(items))

    return handler


def pop(*, left: bool) -> Handler:
    """The handler of LPOP (``left``) or RPOP: key [count]; with a count, an array."""
    name = "lpop" if left else "rpop"

    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        if len(args) > 3:
            return arity_error(name)
        count = None if len(args) == 2 else parse_int(args[2], ERR_POSITIVE)
        if count is not None and count < 0:
            raise CommandError(ERR_POSITIVE)
        items = get_list(store, args[1])
        if items is None:
            # RESP2 tells the two apart ($-1 vs *-1); RESP3 has a single null.
            return encode_null(ctx.proto) if count is None else _null_array(ctx.proto)
        take = items.popleft if left else items.pop
        popped = [take() for _ in range(1 if count is None else min(count, len(items)))]
        if popped:
            store.touch(args[1])
        store.drop_if_empty(args[1], items)
        if count is None:
            return encode_bulk(popped[0])
        return encode_array([encode_bulk(p) for p in popped])

    return handler


def _null_array(proto: int) -> bytes:
    return b"_\r\n" if proto == 3 else b"*-1\r\n"


def lrange(ctx: Context, args: list[bytes]) -> bytes:
    """LRANGE key start stop: inclusive, negative indexes count from the end."""
    start, stop = parse_int(args[2]), parse_int(args[3])
    items = get_list(ctx.store, args[1])
    if items is None:
        return b"*0\r\n"
    return encode_array([encode_bulk(x) for x in range_of(items, start, stop)])


def range_of(items: deque[bytes], start: int, stop: int) -> list[bytes]:
    """The elements of ``items`` from ``start`` to ``stop`` inclusive, Redis-style.

    Walks from whichever end is nearer the range (``deque[i]`` is O(n) in the
    middle, so indexing each element would make a long range quadratic).

    Complexity: O(S + N): S elements skipped to reach the range, N returned.

    >>> items = deque(b"abcdef")
    >>> bytes(range_of(items, 1, 2)), bytes(range_of(items, -2, -1)), range_of(items, 4, 1)
    (b'bc', b'ef', [])
    """
    lo, hi = normalise_range(start, stop, len(items))
    if lo <= len(items) - hi:
        return list(islice(items, lo, hi))
    tail = list(islice(reversed(items), len(items) - hi, len(items) - lo))
    tail.reverse()
    return tail


def normalise_range(start: int, stop: int, size: int) -> tuple[int, int]:
    """Redis' inclusive, negative-friendly [start, stop] as a Python half-open range.

    >>> normalise_range(0, -1, 5), normalise_range(-100, 1, 5), normalise_range(3, 1, 5)
    ((0, 5), (0, 2), (0, 0))
    """
    if start < 0:
        start += size
    if stop < 0:
        stop += size
    start = max(start, 0)
    if start > stop or start >= size:
        return 0, 0
    return start, min(stop, size - 1) + 1


def llen(ctx: Context, args: list[bytes]) -> bytes:
    """LLEN key."""
    items = get_list(ctx.store, args[1])
    return encode_integer(0 if items is None else len(items))


def lrem(ctx: Context, args: list[bytes]) -> bytes:
    """LREM key count element: remove up to ``count`` copies (from the tail if negative, all if 0).

    O(n): the reliable-queue recipe acknowledges a job with it.
    """
    count = parse_int(args[2])
    items = get_list(ctx.store, args[1])
    if items is None:
        return encode_integer(0)
    limit = abs(count) or len(items)
    order = reversed(items) if count < 0 else iter(items)
    kept: list[bytes] = []
    removed = 0
    for item in order:
        if item == args[3] and removed < limit:
            removed += 1
        else:
            kept.append(item)
    if removed:
        if count < 0:
            kept.reverse()
        items.clear()
        items.extend(kept)
        ctx.store.touch(args[1])
        ctx.store.drop_if_empty(args[1], items)
    return encode_integer(removed)


def _side(raw: bytes) -> bool:
    """``LEFT`` -> True, ``RIGHT`` -> False (any case), else a syntax error."""
    side = raw.lower()
    if side not in (b"left", b"right"):
        raise CommandError(ERR_SYNTAX)
    return side == b"left"


def lmove(ctx: Context, args: list[bytes]) -> bytes:
    """LMOVE source destination LEFT|RIGHT LEFT|RIGHT: pop one end, push the other, atomically.

    Null if ``source`` is missing; WRONGTYPE if either key holds another type.
    ``source`` and ``destination`` may be the same list (a rotation).
    """
    from_left, to_left = _side(args[3]), _side(args[4])
    return _move(ctx, args[1], args[2], from_left, to_left)


def _move(ctx: Context, source: bytes, destination: bytes, from_left: bool, to_left: bool) -> bytes:
    store = ctx.store
    items = get_list(store, source)
    if items is None:
        return encode_null(ctx.proto)
    target = get_list(store, destination)  # WRONGTYPE before anything moves
    element = items.popleft() if from_left else items.pop()
    store.touch(source)
    if target is None:
        target = deque()
        store.set(destination, target)
    else:
        store.touch(destination)
    if to_left:
        target.appendleft(element)
    else:
        target.append(element)
    # Only now: when source is destination, the list is non-empty again (a
    # rotation of a one-element list must not delete the key).
    store.drop_if_empty(source, items)
    return encode_bulk(element)


def blmove(ctx: Context, args: list[bytes]) -> bytes:
    """BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: LMOVE, or wait for ``source``.

    With ``source`` empty, a connection that may block sets ``ctx.block_timeout``
    (seconds, 0 = forever) and the server parks it, retrying the command after
    each write until it succeeds or the timeout passes (then a null array).
    Inside ``MULTI`` nothing may block, so the reply is null at once, as in Redis.
    A parked client whose source key is overwritten by another type keeps
    waiting (Redis wakes list waiters only for a list), but a wrong-typed
    destination fails it with WRONGTYPE when an element arrives.
    """
    from_left, to_left = _side(args[3]), _side(args[4])
    timeout = parse_timeout(args[5])
    if ctx.waiting and not isinstance(ctx.store.get(args[1]), deque):
        ctx.block_timeout = timeout
        return b""
    if get_list(ctx.store, args[1]) is not None:
        return _move(ctx, args[1], args[2], from_left, to_left)
    if not ctx.can_block:
        return encode_null(ctx.proto)
    ctx.block_timeout = timeout
    return b""


def parse_timeout(raw: bytes) -> float:
    """A blocking command's timeout in seconds, as Redis' ``getTimeoutFromObjectOrReply``.

    >>> parse_timeout(b"0.5"), parse_timeout(b"0")
    (0.5, 0.0)
    >>> try:
    ...     parse_timeout(b"-1")
    ... except CommandError as exc:
    ...     print(exc)
    ERR timeout is negative
    """
    value = parse_float(raw, "ERR timeout is not a float or out of range")
    if value * 1000 > 2**63 - 1:
        raise CommandError("ERR timeout is out of range")
    if math.ceil(value * 1000) < 0:
        raise CommandError("ERR timeout is negative")
    return value


def blmove_effect(store: object, args: list[bytes]) -> list[bytes]:
    """What the AOF logs for a BLMOVE that moved an element: the equivalent LMOVE."""
    return [b"LMOVE", *args[1:5]]
