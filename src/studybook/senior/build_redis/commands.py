"""The command table: arity, write flag and handler for each command, with Redis' replies.

:func:`execute` looks a command up by its lower-cased name, checks its arity the
way Redis does (a positive arity is exact, a negative one is a minimum), runs
the handler and turns exceptions into error replies with Redis' exact text.
Handlers return already-encoded RESP, so a transaction's reply is just the
concatenation of its commands' replies behind one array header.

A write command that changed the data (it moved
:attr:`~studybook.senior.build_redis.store.Store.dirty`) is recorded in
:attr:`~studybook.senior.build_redis.store.Store.effects` for the append-only
file, in a form that replays to the same state: relative TTLs become absolute (``SET k v EX 10``
is logged as ``SET k v PXAT <deadline>``, ``EXPIRE`` as ``PEXPIREAT``), as Redis
does when it propagates them.

Connection-level commands (``MULTI``, ``WATCH``, ``SUBSCRIBE``, ``PUBLISH``,
``QUIT``, ...) are listed here for their arity but run by the server.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook.senior.build_redis.protocol import (
    NIL,
    NIL_ARRAY,
    OK,
    encode_array,
    encode_bulk,
    encode_error,
    encode_integer,
)
from studybook.senior.build_redis.store import SortedSet, Store, WrongTypeError

__all__ = [
    "COMMANDS",
    "CommandError",
    "CommandSpec",
    "Context",
    "arity_error",
    "call",
    "execute",
    "format_double",
    "glob_match",
    "parse_int",
    "run",
    "unknown_command",
]

Handler = Callable[["Context", list[bytes]], bytes]

log = logging.getLogger(__name__)

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

ERR_INT = "ERR value is not an integer or out of range"
ERR_FLOAT = "ERR value is not a valid float"
ERR_SYNTAX = "ERR syntax error"
ERR_POSITIVE = "ERR value is out of range, must be positive"
ERR_MINMAX = "ERR min or max is not a float"


class CommandError(ValueError):
    """A command failed; ``str(error)`` is the reply text, starting with its code.

    >>> str(CommandError("ERR syntax error"))
    'ERR syntax error'
    """


@dataclass
class Context:
    """What a handler may use: the keyspace and the server's configuration.

    >>> Context().config["appendonly"]
    'no'
    """

    store: Store = field(default_factory=Store)
    config: dict[str, str] = field(
        default_factory=lambda: {
            "appendonly": "no",
            "appendfsync": "everysec",
            "save": "",
            "databases": "1",
            "maxmemory": "0",
            "maxkeys": "0",
        }
    )
    info: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CommandSpec:
    """One entry of the command table."""

    name: str
    arity: int
    handler: Handler | None  # None: run by the server (connection state)
    write: bool = False
    effect: Callable[[Store, list[bytes]], list[bytes]] | None = None

    def arity_ok(self, argc: int) -> bool:
        """True if ``argc`` arguments (command name included) fit the arity."""
        return argc == self.arity if self.arity > 0 else argc >= -self.arity


def arity_error(name: str) -> bytes:
    """The reply for a wrong argument count.

    >>> arity_error("get")
    b"-ERR wrong number of arguments for 'get' command\\r\\n"
    """
    return encode_error(f"ERR wrong number of arguments for '{name}' command")


def execute(ctx: Context, args: list[bytes]) -> bytes:
    """Run one command against ``ctx`` and return its encoded reply.

    Args:
        ctx: the keyspace and configuration.
        args: the command name followed by its arguments, as sent.

    Returns:
        The RESP reply, an error reply included (errors never escape as exceptions).

    Complexity: that of the command (see each command's Redis documentation).

    >>> ctx = Context()
    >>> execute(ctx, [b"SET", b"k", b"v"]), execute(ctx, [b"get", b"k"])
    (b'+OK\\r\\n', b'$1\\r\\nv\\r\\n')
    >>> execute(ctx, [b"GET"])
    b"-ERR wrong number of arguments for 'get' command\\r\\n"
    """
    spec = COMMANDS.get(args[0].lower())
    if spec is None or spec.handler is None:
        return unknown_command(args)
    return call(ctx, spec, args)


def call(ctx: Context, spec: CommandSpec, args: list[bytes]) -> bytes:
    """Run ``args`` with an already looked-up ``spec`` (whose handler is not None).

    The server uses this to avoid a second table lookup per command.

    Complexity: that of the command.
    """
    if not spec.arity_ok(len(args)):
        return arity_error(spec.name)
    if spec.handler is None:
        raise ValueError(f"{spec.name!r} is run by the server, not by call()")
    store = ctx.store
    before = store.dirty
    try:
        reply = spec.handler(ctx, args)
    except (CommandError, WrongTypeError) as exc:
        return encode_error(str(exc.args[0]))
    except Exception:  # a bug in one handler costs one error reply, never the server
        log.exception("command %r failed", args[0])
        return encode_error("ERR internal error")
    if spec.write and store.dirty != before:
        store.effects.append(spec.effect(store, args) if spec.effect else args)
    return reply


def run(ctx: Context, *words: str | bytes | int) -> bytes:
    """Convenience for examples: :func:`execute` with str/int arguments.

    >>> ctx = Context()
    >>> run(ctx, "RPUSH", "l", "a", "b"), run(ctx, "LRANGE", "l", 0, -1)
    (b':2\\r\\n', b'*2\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n')
    >>> run(ctx, "INCR", "l")
    b'-WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n'
    """
    return execute(ctx, [w if isinstance(w, bytes) else str(w).encode() for w in words])


def unknown_command(args: list[bytes]) -> bytes:
    """Redis 7's reply for a command it does not know (first 128 bytes of each word)."""
    name = args[0][:128].decode(errors="replace")
    rest = "".join(f"'{a[:128].decode(errors='replace')}' " for a in args[1:])
    return encode_error(f"ERR unknown command '{name}', with args beginning with: {rest}")


# ---------------------------------------------------------------- parsing helpers


def parse_int(raw: bytes, error: str = ERR_INT) -> int:
    """Parse a signed 64-bit integer exactly as Redis' ``string2ll`` does.

    No sign but ``-``, no leading zeros, no spaces, no ``-0``.

    Complexity: O(len(raw)).

    >>> parse_int(b"-42")
    -42
    >>> parse_int(b"007")
    Traceback (most recent call last):
        ...
    studybook.senior.build_redis.commands.CommandError: ERR value is not an integer or out of range
    """
    if raw == b"0":
        return 0
    digits = raw[1:] if raw[:1] == b"-" else raw
    if not digits or len(raw) > 20 or not digits.isdigit() or digits[:1] == b"0":
        raise CommandError(error)
    value = int(raw)
    if not INT64_MIN <= value <= INT64_MAX:
        raise CommandError(error)
    return value


def parse_float(raw: bytes, error: str = ERR_FLOAT) -> float:
    """Parse a score like Redis (``strtod``, no spaces, no NaN; ``inf`` and ``-inf`` allowed)."""
    try:
        text = raw.decode("ascii")
        if not text or text != text.strip() or "_" in text:
            raise ValueError(text)
        value = float(text)
    except (UnicodeDecodeError, ValueError):
        raise CommandError(error) from None
    if math.isnan(value):
        raise CommandError(error)
    return value


def format_double(value: float) -> bytes:
    """Format a score the way Redis 7.0 replies with it (``%.17g``).

    >>> format_double(2.5), format_double(1.0), format_double(0.1), format_double(-math.inf)
    (b'2.5', b'1', b'0.10000000000000001', b'-inf')
    """
    return b"%.17g" % value


def glob_match(pattern: bytes, text: bytes) -> bool:
    """Redis' glob matching for ``KEYS``: ``*``, ``?``, ``[abc]``, ``[^a-z]``, ``\\`` escapes.

    Complexity: O(len(pattern) * len(text)) with memoised backtracking.

    >>> glob_match(b"user:*", b"user:42"), glob_match(b"h?llo", b"hallo")
    (True, True)
    >>> glob_match(b"h[^e]llo", b"hello"), glob_match(b"h[a-b]llo", b"hbllo")
    (False, True)
    """
    memo: dict[tuple[int, int], bool] = {}

    def match(p: int, t: int) -> bool:
        key = (p, t)
        if key in memo:
            return memo[key]
        result = _match_from(p, t)
        memo[key] = result
        return result

    def _match_from(p: int, t: int) -> bool:
        while p < len(pattern):
            c = pattern[p]
            if c == 0x2A:  # '*'
                while p + 1 < len(pattern) and pattern[p + 1] == 0x2A:
                    p += 1
                if p + 1 == len(pattern):
                    return True
                return any(match(p + 1, i) for i in range(t, len(text) + 1))
            if t >= len(text):
                return False
            if c == 0x3F:  # '?'
                pass
            elif c == 0x5B:  # '['
                p, ok = _class_match(pattern, p + 1, text[t])
                if not ok:
                    return False
            else:
                if c == 0x5C and p + 1 < len(pattern):  # backslash escape
                    p += 1
                    c = pattern[p]
                if c != text[t]:
                    return False
            p += 1
            t += 1
        return t == len(text)

    return match(0, 0)


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
        elif p + 2 < len(pattern) and pattern[p + 1] == 0x2D and pattern[p + 2] != 0x5D:
            lo, hi = sorted((pattern[p], pattern[p + 2]))
            found |= lo <= ch <= hi
            p += 2
        else:
            found |= pattern[p] == ch
        p += 1
    if p >= len(pattern):  # unterminated class: Redis treats the end as ']'
        p = len(pattern) - 1
    return p, found != negate


# ---------------------------------------------------------------- typed access


def _string(store: Store, key: bytes) -> bytes | None:
    value = store.get_typed(key, bytes)
    return value if value is None else bytes(value)  # type: ignore[arg-type]


def _list(store: Store, key: bytes) -> deque[bytes] | None:
    return store.get_typed(key, deque)  # type: ignore[return-value]


def _hash(store: Store, key: bytes) -> dict[bytes, bytes] | None:
    return store.get_typed(key, dict)  # type: ignore[return-value]


def _members(store: Store, key: bytes) -> set[bytes] | None:
    return store.get_typed(key, set)  # type: ignore[return-value]


def _zset(store: Store, key: bytes) -> SortedSet | None:
    return store.get_typed(key, SortedSet)  # type: ignore[return-value]


# ---------------------------------------------------------------- server commands


def _ping(ctx: Context, args: list[bytes]) -> bytes:
    if len(args) > 2:
        return arity_error("ping")
    return b"+PONG\r\n" if len(args) == 1 else encode_bulk(args[1])


def _echo(ctx: Context, args: list[bytes]) -> bytes:
    return encode_bulk(args[1])


def _select(ctx: Context, args: list[bytes]) -> bytes:
    index = parse_int(args[1])
    if index != 0:  # MiniRedis has one database; Redis has 16 by default
        raise CommandError("ERR DB index is out of range")
    return OK


def _dbsize(ctx: Context, args: list[bytes]) -> bytes:
    return encode_integer(len(ctx.store))


def _flush(ctx: Context, args: list[bytes]) -> bytes:
    if len(args) > 2 or (len(args) == 2 and args[1].lower() not in (b"sync", b"async")):
        raise CommandError(ERR_SYNTAX)
    ctx.store.flush()
    return OK


def _info(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    lines = ["# Server", "redis_version:7.0.15", "redis_mode:standalone", "server_name:miniredis"]
    lines += [f"{k}:{v}" for k, v in sorted(ctx.info.items())]
    lines += ["", "# Stats", f"expired_keys:{store.expired}", f"evicted_keys:{store.evicted}"]
    lines += ["", "# Keyspace"]
    if len(store):
        lines.append(f"db0:keys={len(store)},expires={len(store._deadlines)},avg_ttl=0")
    return encode_bulk(("\r\n".join(lines) + "\r\n").encode())


def _config(ctx: Context, args: list[bytes]) -> bytes:
    sub = args[1].lower()
    if sub == b"get" and len(args) >= 3:
        found: dict[str, str] = {}
        for pattern in args[2:]:
            for name, value in ctx.config.items():
                if glob_match(pattern.lower(), name.encode()):
                    found[name] = value
        return encode_array(
            [encode_bulk(x.encode()) for name, value in found.items() for x in (name, value)]
        )
    if sub == b"get":
        return arity_error("config|get")
    name = args[1].decode(errors="replace")
    raise CommandError(f"ERR unknown subcommand '{name}'. Try CONFIG HELP.")


def _command(ctx: Context, args: list[bytes]) -> bytes:
    # redis-cli asks for COMMAND DOCS to offer hints; an empty answer is valid.
    return encode_array([])


def _client(ctx: Context, args: list[bytes]) -> bytes:
    sub = args[1].lower()
    if sub in (b"setinfo", b"setname"):
        return OK
    if sub == b"getname":
        return NIL
    name = args[1].decode(errors="replace")
    raise CommandError(f"ERR unknown subcommand '{name}'. Try CLIENT HELP.")


def _hello(ctx: Context, args: list[bytes]) -> bytes:
    if len(args) > 1 and args[1] != b"2":
        # redis-py >= 8 asks for RESP3 unless given protocol=2; MiniRedis speaks RESP2 only.
        raise CommandError("NOPROTO unsupported protocol version")
    pairs: list[tuple[bytes, bytes | int]] = [(b"server", b"redis"), (b"version", b"7.0.15")]
    pairs += [(b"proto", 2), (b"id", 1)]
    pairs += [(b"mode", b"standalone"), (b"role", b"master")]
    items = []
    for name, value in pairs:
        items.append(encode_bulk(name))
        items.append(encode_integer(value) if isinstance(value, int) else encode_bulk(value))
    return encode_array([*items, encode_bulk(b"modules"), encode_array([])])


# ---------------------------------------------------------------- strings


def _get(ctx: Context, args: list[bytes]) -> bytes:
    return encode_bulk(_string(ctx.store, args[1]))


def _set(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    key, value = args[1], args[2]
    nx = xx = get = keep_ttl = False
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
            get = True
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
    deadline = None if unit is None else _deadline(store, unit, raw_when, "set")
    old = store.get(key)
    if get and old is not None and not isinstance(old, bytes):
        raise WrongTypeError
    reply_old = encode_bulk(old) if get else None  # type: ignore[arg-type]
    if (nx and old is not None) or (xx and old is None):
        return reply_old if reply_old is not None else NIL
    store.set(key, value, keep_ttl=keep_ttl)
    if deadline is not None:
        store.set_deadline(key, deadline)
    return reply_old if reply_old is not None else OK


def _deadline(store: Store, unit: bytes, raw: bytes, command: str) -> int:
    """Absolute deadline in ms from EX/PX/EXAT/PXAT; errors as Redis words them."""
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


def _set_effect(store: Store, args: list[bytes]) -> list[bytes]:
    if store.get(args[1]) is None:  # e.g. PXAT in the past: the key is already gone
        return [b"DEL", args[1]]
    deadline = store.deadline(args[1])
    effect = [b"SET", args[1], args[2]]
    return effect if deadline is None else [*effect, b"PXAT", b"%d" % deadline]


def _mget(ctx: Context, args: list[bytes]) -> bytes:
    out = []
    for key in args[1:]:
        value = ctx.store.get(key)
        out.append(encode_bulk(value if isinstance(value, bytes) else None))
    return encode_array(out)


def _mset(ctx: Context, args: list[bytes]) -> bytes:
    if len(args) % 2 == 0:
        return arity_error("mset")
    for i in range(1, len(args), 2):
        ctx.store.set(args[i], args[i + 1])
    return OK


def _incr(ctx: Context, args: list[bytes]) -> bytes:
    return _incr_by(ctx.store, args[1], 1)


def _decr(ctx: Context, args: list[bytes]) -> bytes:
    return _incr_by(ctx.store, args[1], -1)


def _incrby(ctx: Context, args: list[bytes]) -> bytes:
    return _incr_by(ctx.store, args[1], parse_int(args[2]))


def _decrby(ctx: Context, args: list[bytes]) -> bytes:
    delta = parse_int(args[2])
    if delta == INT64_MIN:
        raise CommandError("ERR decrement would overflow")
    return _incr_by(ctx.store, args[1], -delta)


def _incr_by(store: Store, key: bytes, delta: int) -> bytes:
    old = _string(store, key)
    current = 0 if old is None else parse_int(old)
    result = current + delta
    if not INT64_MIN <= result <= INT64_MAX:
        raise CommandError("ERR increment or decrement would overflow")
    store.set(key, b"%d" % result, keep_ttl=True)
    return encode_integer(result)


def _append(ctx: Context, args: list[bytes]) -> bytes:
    old = _string(ctx.store, args[1])
    value = args[2] if old is None else old + args[2]
    ctx.store.set(args[1], value, keep_ttl=True)
    return encode_integer(len(value))


def _strlen(ctx: Context, args: list[bytes]) -> bytes:
    value = _string(ctx.store, args[1])
    return encode_integer(0 if value is None else len(value))


# ---------------------------------------------------------------- keys


def _del(ctx: Context, args: list[bytes]) -> bytes:
    return encode_integer(sum(ctx.store.delete(key) for key in args[1:]))


def _exists(ctx: Context, args: list[bytes]) -> bytes:
    return encode_integer(sum(ctx.store.contains(key) for key in args[1:]))


def _expire_generic(unit: bytes, name: str) -> Handler:
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


def _expire_effect(store: Store, args: list[bytes]) -> list[bytes]:
    deadline = store.deadline(args[1])
    if deadline is None:
        return [b"DEL", args[1]]
    return [b"PEXPIREAT", args[1], b"%d" % deadline]


def _ttl_generic(divisor: int) -> Handler:
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


def _persist(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    return encode_integer(int(store.contains(args[1]) and store.persist(args[1])))


_TYPE_NAMES: dict[type, bytes] = {
    bytes: b"+string\r\n",
    deque: b"+list\r\n",
    dict: b"+hash\r\n",
    set: b"+set\r\n",
    SortedSet: b"+zset\r\n",
}


def _type(ctx: Context, args: list[bytes]) -> bytes:
    value = ctx.store.get(args[1])
    return b"+none\r\n" if value is None else _TYPE_NAMES[type(value)]


def _keys(ctx: Context, args: list[bytes]) -> bytes:
    pattern = args[1]
    return encode_array([encode_bulk(k) for k in ctx.store.live_keys() if glob_match(pattern, k)])


# ---------------------------------------------------------------- lists


def _push(left: bool) -> Handler:
    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        items = _list(store, args[1])
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


def _pop(left: bool) -> Handler:
    def handler(ctx: Context, args: list[bytes]) -> bytes:
        store = ctx.store
        if len(args) > 3:
            return arity_error("lpop" if left else "rpop")
        count = None if len(args) == 2 else parse_int(args[2], ERR_POSITIVE)
        if count is not None and count < 0:
            raise CommandError(ERR_POSITIVE)
        items = _list(store, args[1])
        if items is None:
            return NIL if count is None else NIL_ARRAY
        popped = []
        for _ in range(1 if count is None else min(count, len(items))):
            popped.append(items.popleft() if left else items.pop())
        if popped:
            store.touch(args[1])
        store.drop_if_empty(args[1], items)
        if count is None:
            return encode_bulk(popped[0])
        return encode_array([encode_bulk(p) for p in popped])

    return handler


def _lrange(ctx: Context, args: list[bytes]) -> bytes:
    start, stop = parse_int(args[2]), parse_int(args[3])
    items = _list(ctx.store, args[1])
    if items is None:
        return b"*0\r\n"
    lo, hi = _normalise_range(start, stop, len(items))
    return encode_array([encode_bulk(items[i]) for i in range(lo, hi)])


def _normalise_range(start: int, stop: int, size: int) -> tuple[int, int]:
    """Redis' inclusive, negative-friendly [start, stop] as a Python half-open range."""
    if start < 0:
        start += size
    if stop < 0:
        stop += size
    start = max(start, 0)
    if start > stop or start >= size:
        return 0, 0
    return start, min(stop, size - 1) + 1


def _llen(ctx: Context, args: list[bytes]) -> bytes:
    items = _list(ctx.store, args[1])
    return encode_integer(0 if items is None else len(items))


# ---------------------------------------------------------------- hashes


def _hset(ctx: Context, args: list[bytes]) -> bytes:
    if len(args) % 2:
        return arity_error("hset")
    store = ctx.store
    table = _hash(store, args[1])
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


def _hget(ctx: Context, args: list[bytes]) -> bytes:
    table = _hash(ctx.store, args[1])
    return encode_bulk(None if table is None else table.get(args[2]))


def _hgetall(ctx: Context, args: list[bytes]) -> bytes:
    table = _hash(ctx.store, args[1]) or {}
    return encode_array([encode_bulk(x) for pair in table.items() for x in pair])


def _hdel(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    table = _hash(store, args[1])
    if table is None:
        return b":0\r\n"
    removed = sum(table.pop(f, None) is not None for f in dict.fromkeys(args[2:]))
    if removed:
        store.touch(args[1])
    store.drop_if_empty(args[1], table)
    return encode_integer(removed)


def _hlen(ctx: Context, args: list[bytes]) -> bytes:
    table = _hash(ctx.store, args[1])
    return encode_integer(0 if table is None else len(table))


# ---------------------------------------------------------------- sets


def _sadd(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    members = _members(store, args[1])
    if members is None:
        members = set()
        store.set(args[1], members)
    before = len(members)
    members.update(args[2:])
    if len(members) != before:
        store.touch(args[1])
    return encode_integer(len(members) - before)


def _srem(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    members = _members(store, args[1])
    if members is None:
        return b":0\r\n"
    before = len(members)
    members.difference_update(args[2:])
    if len(members) != before:
        store.touch(args[1])
    store.drop_if_empty(args[1], members)
    return encode_integer(before - len(members))


def _sismember(ctx: Context, args: list[bytes]) -> bytes:
    members = _members(ctx.store, args[1])
    return b":1\r\n" if members is not None and args[2] in members else b":0\r\n"


def _scard(ctx: Context, args: list[bytes]) -> bytes:
    members = _members(ctx.store, args[1])
    return encode_integer(0 if members is None else len(members))


def _smembers(ctx: Context, args: list[bytes]) -> bytes:
    members = _members(ctx.store, args[1]) or set()
    return encode_array([encode_bulk(m) for m in sorted(members)])


# ---------------------------------------------------------------- sorted sets


def _zadd(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    flags: set[bytes] = set()
    i = 2
    while i < len(args) and args[i].lower() in (b"nx", b"xx", b"gt", b"lt", b"ch", b"incr"):
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
    zset = _zset(store, args[1])
    if zset is None:
        if b"xx" in flags:
            return NIL if b"incr" in flags else b":0\r\n"
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
        zset.add(member, score)
    if added or changed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    if b"incr" in flags:
        return NIL if result is None else encode_bulk(format_double(result))
    return encode_integer(added + changed if b"ch" in flags else added)


def _zrange(ctx: Context, args: list[bytes]) -> bytes:
    # MiniRedis supports ZRANGE by index with WITHSCORES (not BYSCORE/BYLEX/REV/LIMIT).
    withscores = False
    for opt in args[4:]:
        if opt.lower() != b"withscores":
            raise CommandError(ERR_SYNTAX)
        withscores = True
    start, stop = parse_int(args[2]), parse_int(args[3])
    zset = _zset(ctx.store, args[1])
    if zset is None:
        return b"*0\r\n"
    lo, hi = _normalise_range(start, stop, len(zset))
    return _encode_members(zset.items(lo, hi), withscores)


def _encode_members(items: list[tuple[float, bytes]], withscores: bool) -> bytes:
    out = []
    for score, member in items:
        out.append(encode_bulk(member))
        if withscores:
            out.append(encode_bulk(format_double(score)))
    return encode_array(out)


def _score_bound(raw: bytes) -> tuple[float, bool]:
    is_open = raw[:1] == b"("
    return parse_float(raw[1:] if is_open else raw, ERR_MINMAX), is_open


def _score_slice(zset: SortedSet, args: list[bytes]) -> tuple[int, int]:
    lo, lo_open = _score_bound(args[2])
    hi, hi_open = _score_bound(args[3])
    return zset.score_range(lo, lo_open, hi, hi_open)


def _zrangebyscore(ctx: Context, args: list[bytes]) -> bytes:
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
    _score_bound(args[2]), _score_bound(args[3])
    zset = _zset(ctx.store, args[1])
    if zset is None or offset < 0:
        return b"*0\r\n"
    lo, hi = _score_slice(zset, args)
    lo += offset
    if count >= 0:
        hi = min(hi, lo + count)
    return _encode_members(zset.items(lo, max(lo, hi)), withscores)


def _zscore(ctx: Context, args: list[bytes]) -> bytes:
    zset = _zset(ctx.store, args[1])
    score = None if zset is None else zset.scores.get(args[2])
    return NIL if score is None else encode_bulk(format_double(score))


def _zrank(ctx: Context, args: list[bytes]) -> bytes:
    zset = _zset(ctx.store, args[1])
    rank = None if zset is None else zset.rank(args[2])
    return NIL if rank is None else encode_integer(rank)


def _zrem(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    zset = _zset(store, args[1])
    if zset is None:
        return b":0\r\n"
    removed = sum(zset.remove(m) for m in args[2:])
    if removed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    return encode_integer(removed)


def _zremrangebyscore(ctx: Context, args: list[bytes]) -> bytes:
    store = ctx.store
    _score_bound(args[2]), _score_bound(args[3])
    zset = _zset(store, args[1])
    if zset is None:
        return b":0\r\n"
    lo, hi = _score_slice(zset, args)
    doomed = [member for _, member in zset.items(lo, hi)]
    for member in doomed:
        zset.remove(member)
    if doomed:
        store.touch(args[1])
    store.drop_if_empty(args[1], zset)
    return encode_integer(len(doomed))


def _zcard(ctx: Context, args: list[bytes]) -> bytes:
    zset = _zset(ctx.store, args[1])
    return encode_integer(0 if zset is None else len(zset))


def _zcount(ctx: Context, args: list[bytes]) -> bytes:
    _score_bound(args[2]), _score_bound(args[3])
    zset = _zset(ctx.store, args[1])
    if zset is None:
        return b":0\r\n"
    lo, hi = _score_slice(zset, args)
    return encode_integer(hi - lo)


# ---------------------------------------------------------------- the table


def _spec(
    name: str, arity: int, handler: Handler | None, **kw: object
) -> tuple[bytes, CommandSpec]:
    return name.encode(), CommandSpec(name, arity, handler, **kw)  # type: ignore[arg-type]


COMMANDS: dict[bytes, CommandSpec] = dict(
    [
        _spec("ping", -1, _ping),
        _spec("echo", 2, _echo),
        _spec("select", 2, _select),
        _spec("dbsize", 1, _dbsize),
        _spec("flushall", -1, _flush, write=True),
        _spec("flushdb", -1, _flush, write=True),
        _spec("info", -1, _info),
        _spec("config", -2, _config),
        _spec("command", -1, _command),
        _spec("client", -2, _client),
        _spec("hello", -1, _hello),
        _spec("get", 2, _get),
        _spec("set", -3, _set, write=True, effect=_set_effect),
        _spec("mget", -2, _mget),
        _spec("mset", -3, _mset, write=True),
        _spec("incr", 2, _incr, write=True),
        _spec("decr", 2, _decr, write=True),
        _spec("incrby", 3, _incrby, write=True),
        _spec("decrby", 3, _decrby, write=True),
        _spec("append", 3, _append, write=True),
        _spec("strlen", 2, _strlen),
        _spec("del", -2, _del, write=True),
        _spec("exists", -2, _exists),
        _spec("expire", -3, _expire_generic(b"ex", "expire"), write=True, effect=_expire_effect),
        _spec("pexpire", -3, _expire_generic(b"px", "pexpire"), write=True, effect=_expire_effect),
        _spec(
            "expireat", -3, _expire_generic(b"exat", "expireat"), write=True, effect=_expire_effect
        ),
        _spec(
            "pexpireat",
            -3,
            _expire_generic(b"pxat", "pexpireat"),
            write=True,
            effect=_expire_effect,
        ),
        _spec("ttl", 2, _ttl_generic(1000)),
        _spec("pttl", 2, _ttl_generic(1)),
        _spec("persist", 2, _persist, write=True),
        _spec("type", 2, _type),
        _spec("keys", 2, _keys),
        _spec("lpush", -3, _push(left=True), write=True),
        _spec("rpush", -3, _push(left=False), write=True),
        _spec("lpop", -2, _pop(left=True), write=True),
        _spec("rpop", -2, _pop(left=False), write=True),
        _spec("lrange", 4, _lrange),
        _spec("llen", 2, _llen),
        _spec("hset", -4, _hset, write=True),
        _spec("hget", 3, _hget),
        _spec("hgetall", 2, _hgetall),
        _spec("hdel", -3, _hdel, write=True),
        _spec("hlen", 2, _hlen),
        _spec("sadd", -3, _sadd, write=True),
        _spec("srem", -3, _srem, write=True),
        _spec("sismember", 3, _sismember),
        _spec("scard", 2, _scard),
        _spec("smembers", 2, _smembers),
        _spec("zadd", -4, _zadd, write=True),
        _spec("zrange", -4, _zrange),
        _spec("zrangebyscore", -4, _zrangebyscore),
        _spec("zscore", 3, _zscore),
        _spec("zrank", 3, _zrank),
        _spec("zrem", -3, _zrem, write=True),
        _spec("zremrangebyscore", 4, _zremrangebyscore, write=True),
        _spec("zcard", 2, _zcard),
        _spec("zcount", 4, _zcount),
        # run by the server: they read or change connection state
        _spec("subscribe", -2, None),
        _spec("unsubscribe", -1, None),
        _spec("publish", 3, None),
        _spec("multi", 1, None),
        _spec("exec", 1, None),
        _spec("discard", 1, None),
        _spec("watch", -2, None),
        _spec("unwatch", 1, None),
        _spec("quit", -1, None),
    ]
)
"""Every command MiniRedis knows, by lower-case name."""
