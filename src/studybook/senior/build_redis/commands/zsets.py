"""Sorted-set commands (Redis' ``t_zset.c``): ZADD, ZRANGE, ZRANGEBYSCORE, ZSCORE and more.

Scores are doubles parsed like C's ``strtod`` (so ``0x10`` is 16 and ``1e400``
is refused) and replied as RESP3 doubles (``,2.5``) or RESP2 bulk strings.
``WITHSCORES`` in RESP3 nests each member with its score (``[[m, 1.0], ...]``);
RESP2 flattens them (``[m, "1", ...]``).
"""

from __future__ import annotations

import math

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    CommandError,
    Context,
    get_zset,
    parse_bound,
    parse_float,
    parse_int,
)
from studybook.senior.build_redis.commands.lists import normalise_range
from studybook.senior.build_redis.protocol import (
    encode_array,
    encode_bulk,
    encode_double,
    encode_integer,
    encode_null,
)
from studybook.senior.build_redis.store import SortedSet

__all__ = [
    "zadd",
    "zcard",
    "zcount",
    "zincrby",
    "zrange",
    "zrangebyscore",
    "zrank",
    "zrem",
    "zremrangebyscore",
    "zrevrange",
    "zrevrank",
    "zscore",
]

_ZADD_FLAGS = (b"nx", b"xx", b"gt", b"lt", b"ch", b"incr")


def zadd(ctx: Context, args: list[bytes]) -> bytes:
    """ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]."""
    store = ctx.store
    flags: set[bytes] = set()
    i = 2
    while i < len(args) and args[i].lower() in _ZADD_FLAGS:
        flags.add(args[i].lower())
        i += 1
    pairs = args[i:]
    if not pairs or len(pairs) % 2:
        raise CommandError(ERR_SYNTAX)
    if {b"nx", b"xx"} <= flags:
        raise CommandError("ERR XX and NX options at the same time are not compatible")
    if len(flags & {b"gt", b"lt", b"nx"}) > 1:
        raise CommandError("ERR GT, LT, and/or NX options at the same time are not compatible")
    if b"incr" in flags and len(pairs) > 2:
        raise CommandError("ERR INCR option supports a single increment-element pair")
    scores = [parse_float(pairs[j]) for j in range(0, len(pairs), 2)]
    null = encode_null(ctx.proto)
    zset = get_zset(store, args[1])
    if zset is None:
        if b"xx" in flags:
            return null if b"incr" in flags else b":0\r\n"
        zset = SortedSet()
        store.set(args[1], zset)
    added = changed = 0
    result: float | None = None
    for score, member in zip(scores, pairs[1::2], strict=True):
        old = zset.scores.get(member)
        if b"incr" in flags and old is not None:
            score += old
            if math.isnan(score):
                store.drop_if_empty(args[1], zset)
                raise CommandError("ERR resulting score is not a number (NaN)")
        if (old is None and b"xx" in flags) or (old is not None and b"nx" in flags):
            continue
        if old is not None and (
            (b"gt" in flags and score <= old) or (b"lt" in flags and score >= old)
        ):
            continue
        result = score
        if old is None:
            added += 1
        elif old != score:
            changed += 1
        else:
            continue
        # + 0.0 turns -0.0 into 0.0: Redis 7.0 stores a small sorted set's -0 as 0
        # (ZSCORE answers 0), though ZADD INCR's own reply still shows -0.
        zset.add(member, score + 0.0)
    if added or changed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    if b"incr" in flags:
        return null if result is None else encode_double(result, ctx.proto)
    return encode_integer(added + changed if b"ch" in flags else added)


def zrange(ctx: Context, args: list[bytes]) -> bytes:
    """ZRANGE key start stop [WITHSCORES] (by index; not BYSCORE, BYLEX, REV or LIMIT)."""
    withscores = False
    for opt in args[4:]:
        if opt.lower() != b"withscores":
            raise CommandError(ERR_SYNTAX)
        withscores = True
    start, stop = parse_int(args[2]), parse_int(args[3])
    zset = get_zset(ctx.store, args[1])
    if zset is None:
        return b"*0\r\n"
    lo, hi = normalise_range(start, stop, len(zset))
    return _encode_members(zset.items(lo, hi), withscores, ctx.proto)


def _encode_members(items: list[tuple[float, bytes]], withscores: bool, proto: int) -> bytes:
    if not withscores:
        return encode_array([encode_bulk(member) for _, member in items])
    if proto == 3:
        pairs = [encode_array([encode_bulk(m), encode_double(s, 3)]) for s, m in items]
        return encode_array(pairs)
    return encode_array([x for s, m in items for x in (encode_bulk(m), encode_double(s, 2))])


def _score_slice(zset: SortedSet, lo_raw: bytes, hi_raw: bytes) -> tuple[int, int]:
    lo, lo_open = parse_bound(lo_raw)
    hi, hi_open = parse_bound(hi_raw)
    return zset.score_range(lo, lo_open, hi, hi_open)


def zrangebyscore(ctx: Context, args: list[bytes]) -> bytes:
    """ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]; ``(`` excludes a bound."""
    withscores = False
    offset, count = 0, -1
    i = 4
    while i < len(args):
        opt = args[i].lower()
        if opt == b"withscores":
            withscores = True
        elif opt == b"limit" and i + 2 < len(args):
            offset, count = parse_int(args[i + 1]), parse_int(args[i + 2])
            i += 2
        else:
            raise CommandError(ERR_SYNTAX)
        i += 1
    parse_bound(args[2]), parse_bound(args[3])  # bad bounds are errors even on a missing key
    zset = get_zset(ctx.store, args[1])
    if zset is None or offset < 0:
        return b"*0\r\n"
    lo, hi = _score_slice(zset, args[2], args[3])
    lo += offset
    if count >= 0:
        hi = min(hi, lo + count)
    return _encode_members(zset.items(lo, max(lo, hi)), withscores, ctx.proto)


def zscore(ctx: Context, args: list[bytes]) -> bytes:
    """ZSCORE key member: a double, or null."""
    zset = get_zset(ctx.store, args[1])
    score = None if zset is None else zset.scores.get(args[2])
    return encode_null(ctx.proto) if score is None else encode_double(score, ctx.proto)


def zrank(ctx: Context, args: list[bytes]) -> bytes:
    """ZRANK key member: 0-based rank by score, or null."""
    zset = get_zset(ctx.store, args[1])
    rank = None if zset is None else zset.rank(args[2])
    return encode_null(ctx.proto) if rank is None else encode_integer(rank)


def zrem(ctx: Context, args: list[bytes]) -> bytes:
    """ZREM key member [member ...]: how many were removed."""
    store = ctx.store
    zset = get_zset(store, args[1])
    if zset is None:
        return b":0\r\n"
    removed = sum(zset.remove(m) for m in args[2:])
    if removed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    return encode_integer(removed)


def zremrangebyscore(ctx: Context, args: list[bytes]) -> bytes:
    """ZREMRANGEBYSCORE key min max: how many were removed."""
    store = ctx.store
    parse_bound(args[2]), parse_bound(args[3])
    zset = get_zset(store, args[1])
    if zset is None:
        return b":0\r\n"
    lo, hi = _score_slice(zset, args[2], args[3])
    doomed = [member for _, member in zset.items(lo, hi)]
    for member in doomed:
        zset.remove(member)
    if doomed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    return encode_integer(len(doomed))


def zcard(ctx: Context, args: list[bytes]) -> bytes:
    """ZCARD key."""
    zset = get_zset(ctx.store, args[1])
    return encode_integer(0 if zset is None else len(zset))


def zcount(ctx: Context, args: list[bytes]) -> bytes:
    """ZCOUNT key min max."""
    parse_bound(args[2]), parse_bound(args[3])
    zset = get_zset(ctx.store, args[1])
    if zset is None:
        return b":0\r\n"
    lo, hi = _score_slice(zset, args[2], args[3])
    return encode_integer(hi - lo)


def zincrby(ctx: Context, args: list[bytes]) -> bytes:
    """ZINCRBY key increment member: ``ZADD key INCR increment member``; the new score."""
    return zadd(ctx, [b"zadd", args[1], b"incr", args[2], args[3]])


def zrevrange(ctx: Context, args: list[bytes]) -> bytes:
    """ZREVRANGE key start stop [WITHSCORES]: by index, highest score first (a leaderboard)."""
    withscores = False
    for opt in args[4:]:
        if opt.lower() != b"withscores":
            raise CommandError(ERR_SYNTAX)
        withscores = True
    start, stop = parse_int(args[2]), parse_int(args[3])
    zset = get_zset(ctx.store, args[1])
    if zset is None:
        return b"*0\r\n"
    size = len(zset)
    lo, hi = normalise_range(start, stop, size)
    items = zset.items(size - hi, size - lo)
    items.reverse()
    return _encode_members(items, withscores, ctx.proto)


def zrevrank(ctx: Context, args: list[bytes]) -> bytes:
    """ZREVRANK key member: 0-based rank from the highest score, or null."""
    zset = get_zset(ctx.store, args[1])
    rank = None if zset is None else zset.rank(args[2])
    return encode_null(ctx.proto) if rank is None else encode_integer(len(zset) - 1 - rank)  # type: ignore[arg-type]
