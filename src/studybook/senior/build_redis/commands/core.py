"""What every command module shares: the client context, the table entry, errors, argument parsing.

Redis' own split is the model: ``server.h`` declares the client and the command
table entry, ``object.c`` and ``util.c`` parse numbers, and each ``t_*.c`` file
holds the commands of one type. A handler receives the client's
:class:`Context` and the arguments as sent, and returns its reply already
encoded for the client's protocol (``ctx.proto``, 2 or 3), as Redis'
``addReply*`` functions do.
"""

from __future__ import annotations

import logging
import math
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook.senior.build_redis.protocol import encode_error
from studybook.senior.build_redis.store import SortedSet, Store, WrongTypeError
from studybook.senior.build_redis.stream import Stream

__all__ = [
    "ERR_FLOAT",
    "ERR_INT",
    "ERR_MINMAX",
    "ERR_POSITIVE",
    "ERR_SYNTAX",
    "INT64_MAX",
    "INT64_MIN",
    "REDIS_VERSION",
    "CommandError",
    "CommandSpec",
    "Context",
    "Handler",
    "arity_error",
    "c_text",
    "call",
    "parse_bound",
    "parse_float",
    "parse_int",
    "unknown_command",
]

log = logging.getLogger(__name__)

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
REDIS_VERSION = "7.0.15"
"""The redis-server version MiniRedis is checked against, and reports in HELLO and INFO."""

ERR_INT = "ERR value is not an integer or out of range"
ERR_FLOAT = "ERR value is not a valid float"
ERR_SYNTAX = "ERR syntax error"
ERR_POSITIVE = "ERR value is out of range, must be positive"
ERR_MINMAX = "ERR min or max is not a float"


class CommandError(ValueError):
    """A command failed; ``str(error)`` is the reply text, starting with its code.

    >>> error = CommandError("ERR syntax error")
    >>> call(Context(), CommandSpec("demo", 1, lambda ctx, args: _raise(error)), [b"demo"])
    b'-ERR syntax error\\r\\n'
    """


def _raise(error: Exception) -> bytes:
    raise error


@dataclass(eq=False)  # a client is itself, not equal to another with the same state
class Context:
    """One client as the commands see it: the shared keyspace plus its own connection state.

    ``store``, ``config``, ``info`` and ``channels`` are shared by every client of a
    server (:meth:`for_client` makes a new client on the same data); the rest
    belongs to one connection, like the fields of Redis' ``client`` struct.

    >>> ctx = Context()
    >>> ctx.config["appendonly"], ctx.proto
    ('no', 2)
    >>> other = ctx.for_client(2, deliver=lambda frame: True)
    >>> other.store is ctx.store, other.client_id, other.proto
    (True, 2, 2)
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
    channels: dict[bytes, dict[Context, None]] = field(default_factory=dict)
    """Each pub/sub channel's subscribers (an ordered set), shared by all clients."""
    proto: int = 2
    """RESP version this client speaks, switched by ``HELLO``."""
    client_id: int = 1
    name: bytes = b""
    deliver: Callable[[bytes], bool] | None = None
    """Send a push frame to this client's socket; False if the client was dropped."""
    closing: bool = False
    in_multi: bool = False
    multi_failed: bool = False
    queued: list[tuple[CommandSpec, list[bytes]]] = field(default_factory=list)
    watched: dict[bytes, int] = field(default_factory=dict)
    subscriptions: dict[bytes, None] = field(default_factory=dict)
    """This client's channels, an ordered set (replies list them in subscription order)."""
    can_block: bool = False
    """Whether a blocking command may park this client (a server connection, outside ``EXEC``)."""
    block_timeout: float | None = None
    """Set by a blocking command that must wait (seconds, 0 = forever); the server
    parks the connection and retries the command (see ``server.py``)."""
    waiting: bool = False
    """Set while the server retries this client's parked command, so that a source
    key of another type keeps the client waiting instead of failing, as in Redis."""
    own_pushes: list[bytes] = field(default_factory=list)
    """Messages this client published to itself while a command ran; :func:`call` sends
    them just before that command's reply, where Redis puts them, not ahead of the
    replies still waiting in the same pipelined batch."""

    def for_client(self, client_id: int, deliver: Callable[[bytes], bool]) -> Context:
        """A new client (RESP2, no name) sharing this one's keyspace, config and channels."""
        return Context(
            store=self.store,
            config=self.config,
            info=self.info,
            channels=self.channels,
            client_id=client_id,
            deliver=deliver,
        )


Handler = Callable[[Context, list[bytes]], bytes]


@dataclass(frozen=True)
class CommandSpec:
    """One entry of the command table, as in Redis' ``redisCommand``.

    ``arity`` counts the command name: positive means exactly, negative at least.
    ``effect`` rewrites a write for the AOF (``EXPIRE`` becomes ``PEXPIREAT``).
    """

    name: str
    arity: int
    handler: Handler
    write: bool = False
    effect: Callable[[Store, list[bytes]], list[bytes]] | None = None

    def arity_ok(self, argc: int) -> bool:
        """True if ``argc`` arguments (command name included) fit the arity.

        >>> spec = CommandSpec("get", 2, lambda ctx, args: b"")
        >>> spec.arity_ok(2), spec.arity_ok(3)
        (True, False)
        """
        return argc == self.arity if self.arity > 0 else argc >= -self.arity


def call(ctx: Context, spec: CommandSpec, args: list[bytes]) -> bytes:
    """Run a looked-up, arity-checked command; turn errors into replies; log its effect.

    A write that changed the data (moved ``store.dirty``) is appended to
    ``store.effects`` for the AOF. An unexpected exception in a handler costs
    one ``ERR internal error`` reply, never the server. A message the client
    published to itself (``ctx.own_pushes``) goes out right before the reply,
    so a pipelined ``SUBSCRIBE c`` / ``PUBLISH c m`` reads back in order.

    Complexity: that of the command.
    """
    store = ctx.store
    before = store.dirty
    try:
        reply = spec.handler(ctx, args)
    except (CommandError, WrongTypeError) as exc:
        return encode_error(str(exc.args[0]))
    except Exception:
        log.exception("command %r failed", args[0])
        return encode_error("ERR internal error")
    if spec.write and store.record_effects and store.dirty != before:
        store.effects.append(spec.effect(store, args) if spec.effect else args)
    if ctx.own_pushes:
        reply = b"".join(ctx.own_pushes) + reply
        ctx.own_pushes.clear()
    return reply


def arity_error(name: str) -> bytes:
    """The reply for a wrong argument count.

    >>> arity_error("get")
    b"-ERR wrong number of arguments for 'get' command\\r\\n"
    """
    return encode_error(f"ERR wrong number of arguments for '{name}' command")


def unknown_command(args: list[bytes]) -> bytes:
    """Redis 7's reply for a command it does not know.

    The name is cut to 128 bytes and the quoted arguments *together* to about
    128 (each is cut to what is left of the 128), as ``processCommand`` does; CR
    and LF become spaces so the reply stays one line; bytes are sent as they came.

    >>> unknown_command([b"NOSUCH", b"a", b"b"])
    b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \\r\\n"
    >>> unknown_command([b"NOSUCH", b"x" * 100, b"y" * 100]).count(b"y")  # 128 - len("'x...x' ")
    25
    """
    rest = b""
    for arg in args[1:]:
        if len(rest) >= 128:
            break
        rest += b"'" + _c_string(arg)[: 128 - len(rest)] + b"' "
    name = _c_string(args[0])[:128]
    text = b"ERR unknown command '" + name + b"', with args beginning with: " + rest
    return b"-" + text.replace(b"\r", b" ").replace(b"\n", b" ") + b"\r\n"


def _c_string(raw: bytes) -> bytes:
    """What C's ``%s`` prints of ``raw``: everything before the first NUL byte."""
    return raw.partition(b"\0")[0]


def c_text(raw: bytes) -> str:
    """A key or name as an error message built with C's ``%s`` shows it (text before a NUL).

    >>> c_text(b"orders\\0tail")
    'orders'
    """
    return _c_string(raw).decode(errors="replace")


# ---------------------------------------------------------------- numbers


def parse_int(raw: bytes, error: str = ERR_INT) -> int:
    """Parse a signed 64-bit integer exactly as Redis' ``string2ll`` does.

    No sign but ``-``, no leading zeros, no spaces, no ``-0``.

    Complexity: O(len(raw)).

    >>> parse_int(b"-42")
    -42
    >>> try:
    ...     parse_int(b"007")
    ... except CommandError as exc:
    ...     print(exc)
    ERR value is not an integer or out of range
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
    """Parse a score as Redis' ``getDoubleFromObject``: C ``strtod`` on the whole string.

    Decimal and hexadecimal (``0x10``) forms and ``inf`` are accepted; NaN,
    spaces, empty input, and a value that overflows (``1e400``) or underflows
    to zero (``1e-400``) are not.

    Complexity: O(len(raw)).

    >>> parse_float(b"0x10"), parse_float(b"-inf"), parse_float(b"2.5e1")
    (16.0, -inf, 25.0)
    >>> try:
    ...     parse_float(b"1e400")
    ... except CommandError as exc:
    ...     print(exc)
    ERR value is not a valid float
    """
    value, end, out_of_range = _strtod(raw)
    if not raw or raw[:1].isspace() or end != len(raw) or out_of_range or math.isnan(value):
        raise CommandError(error)
    return value


def parse_bound(raw: bytes) -> tuple[float, bool]:
    """Parse a ``ZRANGEBYSCORE`` bound as Redis' ``zslParseRange``: ``(`` makes it exclusive.

    Laxer than :func:`parse_float`, as in Redis: ``strtod`` skips leading
    spaces, and an overflow is simply infinite.

    Complexity: O(len(raw)).

    >>> parse_bound(b"(1.5"), parse_bound(b"1e400"), parse_bound(b" 2")
    ((1.5, True), (inf, False), (2.0, False))
    >>> try:
    ...     parse_bound(b"x")
    ... except CommandError as exc:
    ...     print(exc)
    ERR min or max is not a float
    """
    exclusive = raw[:1] == b"("
    text = raw[1:] if exclusive else raw
    value, end, _ = _strtod(text)
    if end != len(text) or math.isnan(value):
        raise CommandError(ERR_MINMAX)
    return value, exclusive


_DECIMAL = re.compile(rb"[+-]?(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE][+-]?\d+)?")
_HEX = re.compile(rb"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?")
_SPECIAL = re.compile(rb"[+-]?(?:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)", re.IGNORECASE)


def _strtod(raw: bytes) -> tuple[float, int, bool]:
    """C's ``strtod``: (value, bytes consumed, ERANGE with an infinite or zero result)."""
    start = len(raw) - len(raw.lstrip(b" \t\n\v\f\r"))
    for pattern in (_HEX, _DECIMAL, _SPECIAL):  # hex first: "0x1" would match "0"
        match = pattern.match(raw, start)
        if match is None:
            continue
        text = match.group().decode("ascii")
        if pattern is _SPECIAL:
            return float(text.split("(")[0]), match.end(), False
        try:
            value = float.fromhex(text) if pattern is _HEX else float(text)
        except OverflowError:
            return math.copysign(math.inf, -1.0 if text[0] == "-" else 1.0), match.end(), True
        mantissa = re.split(r"[eEpP]", text)[0]
        nonzero = any(c not in "0.+-xX" for c in mantissa)
        out_of_range = math.isinf(value) or (value == 0.0 and nonzero)
        return value, match.end(), out_of_range
    return 0.0, 0, False


# ---------------------------------------------------------------- typed access


def get_string(store: Store, key: bytes) -> bytes | None:
    """The string at ``key``, None if missing; WRONGTYPE for another type. O(1)."""
    return store.get_typed(key, bytes)  # type: ignore[return-value]


def get_list(store: Store, key: bytes) -> deque[bytes] | None:
    """The list at ``key`` (a ``deque``), None if missing. O(1)."""
    return store.get_typed(key, deque)  # type: ignore[return-value]


def get_hash(store: Store, key: bytes) -> dict[bytes, bytes] | None:
    """The hash at ``key``, None if missing. O(1)."""
    return store.get_typed(key, dict)  # type: ignore[return-value]


def get_set(store: Store, key: bytes) -> set[bytes] | None:
    """The set at ``key``, None if missing. O(1)."""
    return store.get_typed(key, set)  # type: ignore[return-value]


def get_zset(store: Store, key: bytes) -> SortedSet | None:
    """The sorted set at ``key``, None if missing. O(1)."""
    return store.get_typed(key, SortedSet)  # type: ignore[return-value]


def get_stream(store: Store, key: bytes) -> Stream | None:
    """The stream at ``key``, None if missing. O(1)."""
    return store.get_typed(key, Stream)  # type: ignore[return-value]
