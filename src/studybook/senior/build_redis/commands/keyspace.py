"""Keyspace commands (Redis' ``db.c``): DEL, EXISTS, TYPE, KEYS, DBSIZE, FLUSHALL, SELECT.

``KEYS`` matches every key against a glob pattern with Redis' ``stringmatchlen``
rules, implemented here without recursion: a pattern of thousands of ``*``
costs time proportional to its length, never a deep call stack.
"""

from __future__ import annotations

from collections import deque

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    CommandError,
    Context,
    parse_int,
)
from studybook.senior.build_redis.protocol import OK, encode_array, encode_bulk, encode_integer
from studybook.senior.build_redis.store import SortedSet
from studybook.senior.build_redis.stream import Stream

__all__ = [
    "MAX_GLOB_STARS",
    "dbsize",
    "del_",
    "exists",
    "flush",
    "glob_match",
    "keys",
    "select",
    "type_",
]

MAX_GLOB_STARS = 1000
"""Redis gives up (no match) past 1,000 nested ``*`` (``stringmatchlen``'s nesting limit)."""


def del_(ctx: Context, args: list[bytes]) -> bytes:
    """DEL key [key ...]: how many existed."""
    return encode_integer(sum(ctx.store.delete(key) for key in args[1:]))


def exists(ctx: Context, args: list[bytes]) -> bytes:
    """EXISTS key [key ...]: a key named twice counts twice."""
    return encode_integer(sum(ctx.store.contains(key) for key in args[1:]))


_TYPE_NAMES: dict[type, bytes] = {
    bytes: b"+string\r\n",
    deque: b"+list\r\n",
    dict: b"+hash\r\n",
    set: b"+set\r\n",
    SortedSet: b"+zset\r\n",
    Stream: b"+stream\r\n",
}


def type_(ctx: Context, args: list[bytes]) -> bytes:
    """TYPE key: a status reply, ``none`` if missing."""
    value = ctx.store.get(args[1])
    return b"+none\r\n" if value is None else _TYPE_NAMES[type(value)]


def keys(ctx: Context, args: list[bytes]) -> bytes:
    """KEYS pattern: O(n) over the whole keyspace, which is why production uses SCAN."""
    pattern = args[1]
    every = pattern == b"*"  # Redis' shortcut; it also matches the empty key
    found = [k for k in ctx.store.live_keys() if every or glob_match(pattern, k)]
    return encode_array([encode_bulk(k) for k in found])


def dbsize(ctx: Context, args: list[bytes]) -> bytes:
    """DBSIZE."""
    return encode_integer(len(ctx.store))


def flush(ctx: Context, args: list[bytes]) -> bytes:
    """FLUSHALL / FLUSHDB [SYNC | ASYNC] (MiniRedis always frees synchronously)."""
    if len(args) > 2 or (len(args) == 2 and args[1].lower() not in (b"sync", b"async")):
        raise CommandError(ERR_SYNTAX)
    ctx.store.flush()
    return OK


def select(ctx: Context, args: list[bytes]) -> bytes:
    """SELECT index: MiniRedis has one database (Redis has ``databases 16`` by default)."""
    if parse_int(args[1]) != 0:
        raise CommandError("ERR DB index is out of range")
    return OK


def glob_match(pattern: bytes, text: bytes) -> bool:
    """Redis' glob: ``*``, ``?``, ``[abc]``, ``[^a-z]``, ``\\`` escapes, as ``stringmatchlen``.

    Two quirks of Redis 7.0 are kept: the empty string matches only the empty
    pattern (``KEYS *`` still lists an empty key, through a shortcut in
    :func:`~studybook.senior.build_redis.commands.keyspace.keys`), and a pattern
    whose match would nest more than
    :data:`~studybook.senior.build_redis.commands.keyspace.MAX_GLOB_STARS` stars
    matches nothing. Backtracking goes only to the
    last ``*`` seen, which is enough because every other token matches exactly one byte.

    Complexity: O(len(pattern) * len(text)) time, O(1) extra space.

    >>> glob_match(b"user:*", b"user:42"), glob_match(b"h?llo", b"hallo")
    (True, True)
    >>> glob_match(b"h[^e]llo", b"hello"), glob_match(b"h[a-b]llo", b"hbllo")
    (False, True)
    >>> glob_match(b"*", b""), glob_match(b"*a" * 1500, b"a" * 1500)
    (False, False)
    """
    if not text:
        return not pattern
    while b"**" in pattern:  # adjacent stars are one star
        pattern = pattern.replace(b"**", b"*")
    stars = pattern.count(b"*") - pattern.endswith(b"*")  # a final star does not recurse
    if stars > MAX_GLOB_STARS:
        return False
    p = t = 0
    star_p = star_t = -1  # where the last '*' was, and where its match began
    while t < len(text):
        if p < len(pattern) and pattern[p] == 0x2A:  # '*': first try matching nothing
            star_p, star_t = p, t
            p += 1
            continue
        if p < len(pattern):
            step = _match_one(pattern, p, text[t])
            if step:
                p, t = p + step, t + 1
                continue
        if star_p < 0:
            return False
        star_t += 1  # let the last '*' swallow one more byte
        p, t = star_p + 1, star_t
    return pattern[p:].strip(b"*") == b""


def _match_one(pattern: bytes, p: int, ch: int) -> int:
    """Match byte ``ch`` against the token at ``pattern[p]``; return the token's length or 0."""
    c = pattern[p]
    if c == 0x3F:  # '?'
        return 1
    if c == 0x5B:  # '['
        end, ok = _class_match(pattern, p + 1, ch)
        return end - p + 1 if ok else 0
    if c == 0x5C and p + 1 < len(pattern):  # backslash escapes the next byte
        return 2 if pattern[p + 1] == ch else 0
    return 1 if c == ch else 0


def _class_match(pattern: bytes, p: int, ch: int) -> tuple[int, bool]:
    """Match ``ch`` against a ``[...]`` class starting after ``[``; return (index of ``]``, ok)."""
    negate = p < len(pattern) and pattern[p] == 0x5E  # '^'
    if negate:
        p += 1
    found = False
    while p < len(pattern) and pattern[p] != 0x5D:  # ']'
        if pattern[p] == 0x5C and p + 1 < len(pattern):
            p += 1
            found |= pattern[p] == ch
        elif p + 2 < len(pattern) and pattern[p + 1] == 0x2D:  # a-z (even a-])
            lo, hi = sorted((pattern[p], pattern[p + 2]))
            found |= lo <= ch <= hi
            p += 2
        else:
            found |= pattern[p] == ch
        p += 1
    if p >= len(pattern):  # unterminated class: Redis treats the end as ']'
        p = len(pattern) - 1
    return p, found != negate
