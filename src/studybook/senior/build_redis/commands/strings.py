"""String commands (Redis' ``t_string.c``): GET, SET and its options, counters, APPEND.

A string value is ``bytes``. Counters are strings that parse as 64-bit
integers, exactly as ``string2ll`` reads them (``"007"`` is not a number), and
an overflow is an error, never a wrap-around.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    INT64_MAX,
    INT64_MIN,
    CommandError,
    Context,
    arity_error,
    get_string,
    parse_int,
)
from studybook.senior.build_redis.protocol import (
    OK,
    encode_array,
    encode_bulk,
    encode_integer,
    encode_null,
)
from studybook.senior.build_redis.store import Store, WrongTypeError

__all__ = [
    "absolute_deadline",
    "append",
    "decr",
    "decrby",
    "get",
    "incr",
    "incrby",
    "mget",
    "mset",
    "set_",
    "set_effect",
    "strlen",
]


def get(ctx: Context, args: list[bytes]) -> bytes:
    """GET key."""
    value = get_string(ctx.store, args[1])
    return encode_null(ctx.proto) if value is None else encode_bulk(value)


def set_(ctx: Context, args: list[bytes]) -> bytes:
    """SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]."""
    store = ctx.store
    key, value = args[1], args[2]
    nx = xx = get_old = keep_ttl = False
    unit: bytes | None = None
    raw_when = b""
    i = 3
    while i < len(args):
        opt = args[i].lower()
        if opt == b"nx" and not xx:
            nx = True
        elif opt == b"xx" and not nx:
            xx = True
        elif opt == b"get":
            get_old = True
        elif opt == b"keepttl" and unit is None:
            keep_ttl = True
        elif opt in (b"ex", b"px", b"exat", b"pxat") and unit is None and not keep_ttl:
            if i + 1 >= len(args):
                raise CommandError(ERR_SYNTAX)
            unit, raw_when = opt, args[i + 1]
            i += 1
        else:
            raise CommandError(ERR_SYNTAX)
        i += 1
    deadline = None if unit is None else absolute_deadline(store, unit, raw_when, "set")
    old = store.get(key)
    if get_old and old is not None and not isinstance(old, bytes):
        raise WrongTypeError
    null = encode_null(ctx.proto)
    reply_old = (null if old is None else encode_bulk(old)) if get_old else None  # type: ignore[arg-type]
    if (nx and old is not None) or (xx and old is None):
        return reply_old if reply_old is not None else null
    store.set(key, value, keep_ttl=keep_ttl)
    if deadline is not None:
        store.set_deadline(key, deadline)
    return reply_old if reply_old is not None else OK


def absolute_deadline(store: Store, unit: bytes, raw: bytes, command: str) -> int:
    """Absolute deadline in ms from EX/PX/EXAT/PXAT and its argument; errors as Redis words them.

    >>> store = Store(clock=lambda: 100.0)
    >>> absolute_deadline(store, b"ex", b"10", "set"), absolute_deadline(store, b"pxat", b"5", "px")
    (110000, 5)
    >>> try:
    ...     absolute_deadline(store, b"ex", b"0", "set")
    ... except CommandError as exc:
    ...     print(exc)
    ERR invalid expire time in 'set' command
    """
    when = parse_int(raw)
    invalid = CommandError(f"ERR invalid expire time in '{command}' command")
    if when <= 0 or (unit in (b"ex", b"exat") and when > INT64_MAX // 1000):
        raise invalid
    if unit in (b"ex", b"exat"):
        when *= 1000
    if unit in (b"ex", b"px"):
        if when > INT64_MAX - store.now_ms():
            raise invalid
        when += store.now_ms()
    return when


def set_effect(store: Store, args: list[bytes]) -> list[bytes]:
    """SET as the AOF logs it: with an absolute ``PXAT`` deadline, or ``DEL`` if already gone."""
    if store.get(args[1]) is None:  # e.g. PXAT in the past: the key is already gone
        return [b"DEL", args[1]]
    deadline = store.deadline(args[1])
    effect = [b"SET", args[1], args[2]]
    return effect if deadline is None else [*effect, b"PXAT", b"%d" % deadline]


def mget(ctx: Context, args: list[bytes]) -> bytes:
    """MGET key [key ...]: a non-string counts as missing, never WRONGTYPE."""
    null = encode_null(ctx.proto)
    out = []
    for key in args[1:]:
        value = ctx.store.get(key)
        out.append(encode_bulk(value) if isinstance(value, bytes) else null)
    return encode_array(out)


def mset(ctx: Context, args: list[bytes]) -> bytes:
    """MSET key value [key value ...]."""
    if len(args) % 2 == 0:
        return arity_error("mset")
    for i in range(1, len(args), 2):
        ctx.store.set(args[i], args[i + 1])
    return OK


def incr(ctx: Context, args: list[bytes]) -> bytes:
    """INCR key."""
    return _incr_by(ctx.store, args[1], 1)


def decr(ctx: Context, args: list[bytes]) -> bytes:
    """DECR key."""
    return _incr_by(ctx.store, args[1], -1)


def incrby(ctx: Context, args: list[bytes]) -> bytes:
    """INCRBY key delta."""
    return _incr_by(ctx.store, args[1], parse_int(args[2]))


def decrby(ctx: Context, args: list[bytes]) -> bytes:
    """DECRBY key delta (``-INT64_MIN`` does not fit, so Redis refuses it)."""
    delta = parse_int(args[2])
    if delta == INT64_MIN:
        raise CommandError("ERR decrement would overflow")
    return _incr_by(ctx.store, args[1], -delta)


def _incr_by(store: Store, key: bytes, delta: int) -> bytes:
    old = get_string(store, key)
    current = 0 if old is None else parse_int(old)
    result = current + delta
    if not INT64_MIN <= result <= INT64_MAX:
        raise CommandError("ERR increment or decrement would overflow")
    store.set(key, b"%d" % result, keep_ttl=True)
    return encode_integer(result)


def append(ctx: Context, args: list[bytes]) -> bytes:
    """APPEND key value: the new length."""
    old = get_string(ctx.store, args[1])
    value = args[2] if old is None else old + args[2]
    ctx.store.set(args[1], value, keep_ttl=True)
    return encode_integer(len(value))


def strlen(ctx: Context, args: list[bytes]) -> bytes:
    """STRLEN key."""
    value = get_string(ctx.store, args[1])
    return encode_integer(0 if value is None else len(value))
