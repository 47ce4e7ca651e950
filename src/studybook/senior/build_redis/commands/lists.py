"""List commands (Redis' ``t_list.c``): LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN.

A list is a ``collections.deque``: O(1) at both ends, like Redis' quicklist,
but O(n) to index in the middle, so LRANGE walks from the nearer end instead of
indexing: O(S + N) for S elements skipped and N returned, as in Redis.
"""

from __future__ import annotations

from collections import deque
from itertools import islice

from studybook.senior.build_redis.commands.core import (
    ERR_POSITIVE,
    CommandError,
    Context,
    Handler,
    arity_error,
    get_list,
    parse_int,
)
from studybook.senior.build_redis.protocol import (
    encode_array,
    encode_bulk,
    encode_integer,
    encode_null,
)

__all__ = ["llen", "lrange", "normalise_range", "pop", "push", "range_of"]


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
