"""Server and connection commands (Redis' ``server.c``, ``networking.c``, ``config.c``).

PING, ECHO, HELLO, CLIENT, RESET, QUIT, INFO, CONFIG GET and COMMAND. ``HELLO``
is where a client picks its protocol: ``HELLO 3`` switches the connection to
RESP3 and answers with a map describing the server; ``HELLO 2`` switches back.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import (
    REDIS_VERSION,
    CommandError,
    Context,
    arity_error,
    parse_int,
)
from studybook.senior.build_redis.commands.keyspace import glob_match
from studybook.senior.build_redis.commands.multi import end_multi
from studybook.senior.build_redis.commands.pubsub import leave_all
from studybook.senior.build_redis.protocol import (
    OK,
    encode_array,
    encode_bulk,
    encode_integer,
    encode_map,
    encode_null,
    encode_verbatim,
)

__all__ = ["client", "command", "config", "echo", "hello", "info", "ping", "quit_", "reset"]


def ping(ctx: Context, args: list[bytes]) -> bytes:
    """PING [message]; a subscribed RESP2 client gets ``["pong", message]`` instead."""
    if len(args) > 2:
        return arity_error("ping")
    if ctx.subscriptions and ctx.proto == 2:
        message = args[1] if len(args) == 2 else b""
        return encode_array([encode_bulk(b"pong"), encode_bulk(message)])
    return b"+PONG\r\n" if len(args) == 1 else encode_bulk(args[1])


def echo(ctx: Context, args: list[bytes]) -> bytes:
    """ECHO message."""
    return encode_bulk(args[1])


def hello(ctx: Context, args: list[bytes]) -> bytes:
    """HELLO [protover [AUTH username password] [SETNAME name]], as Redis 7 answers it.

    MiniRedis has one user, ``default``, with no password (Redis' default
    ``nopass``): AUTH as ``default`` succeeds with any password, any other
    user is refused. Everything is checked before anything changes.
    """
    proto = ctx.proto
    if len(args) >= 2:
        proto = parse_int(args[1], "ERR Protocol version is not an integer or out of range")
        if proto not in (2, 3):
            raise CommandError("NOPROTO unsupported protocol version")
    name: bytes | None = None
    i = 2
    while i < len(args):
        more = len(args) - 1 - i
        option = args[i].lower()
        if option == b"auth" and more >= 2:
            user = args[i + 1]
            i += 3
            if user != b"default":
                raise CommandError("WRONGPASS invalid username-password pair or user is disabled.")
        elif option == b"setname" and more >= 1:
            name = _valid_name(args[i + 1])
            i += 2
        else:
            text = args[i].decode(errors="replace")
            raise CommandError(f"ERR Syntax error in HELLO option '{text}'")
    if name is not None:
        ctx.name = name
    ctx.proto = proto
    fields = [
        (b"server", encode_bulk(b"redis")),
        (b"version", encode_bulk(REDIS_VERSION.encode())),
        (b"proto", encode_integer(proto)),
        (b"id", encode_integer(ctx.client_id)),
        (b"mode", encode_bulk(b"standalone")),
        (b"role", encode_bulk(b"master")),
        (b"modules", encode_array([])),
    ]
    return encode_map([x for key, value in fields for x in (encode_bulk(key), value)], proto)


def _valid_name(name: bytes) -> bytes:
    """Redis' rule for client names: printable ASCII without spaces ('!' to '~')."""
    if any(not 0x21 <= byte <= 0x7E for byte in name):
        raise CommandError(
            "ERR Client names cannot contain spaces, newlines or special characters."
        )
    return name


def client(ctx: Context, args: list[bytes]) -> bytes:
    """CLIENT ID | GETNAME | SETNAME name | SETINFO attr value."""
    sub = args[1].lower()
    if sub == b"id" and len(args) == 2:
        return encode_integer(ctx.client_id)
    if sub == b"getname" and len(args) == 2:
        return encode_bulk(ctx.name) if ctx.name else encode_null(ctx.proto)
    if sub == b"setname" and len(args) == 3:
        ctx.name = _valid_name(args[2])
        return OK
    if sub == b"setinfo" and len(args) == 4:  # redis-py sends library name and version
        return OK
    if sub in (b"id", b"getname", b"setname", b"setinfo"):
        return arity_error(f"client|{sub.decode()}")
    name = args[1].decode(errors="replace")
    raise CommandError(f"ERR unknown subcommand '{name}'. Try CLIENT HELP.")


def reset(ctx: Context, args: list[bytes]) -> bytes:
    """RESET: leave MULTI, unwatch, unsubscribe, forget the name, go back to RESP2."""
    end_multi(ctx)
    leave_all(ctx)
    ctx.name = b""
    ctx.proto = 2
    return b"+RESET\r\n"


def quit_(ctx: Context, args: list[bytes]) -> bytes:
    """QUIT: reply OK, then the server closes the connection."""
    ctx.closing = True
    return OK


def info(ctx: Context, args: list[bytes]) -> bytes:
    """INFO: a few fields of Redis' sections; verbatim text in RESP3."""
    store = ctx.store
    lines = ["# Server", f"redis_version:{REDIS_VERSION}", "redis_mode:standalone"]
    lines += ["server_name:miniredis"]
    lines += [f"{k}:{v}" for k, v in sorted(ctx.info.items())]
    lines += ["", "# Stats", f"expired_keys:{store.expired}", f"evicted_keys:{store.evicted}"]
    lines += ["", "# Keyspace"]
    if len(store):
        lines.append(f"db0:keys={len(store)},expires={store.volatile_count()},avg_ttl=0")
    return encode_verbatim(("\r\n".join(lines) + "\r\n").encode(), ctx.proto)


def config(ctx: Context, args: list[bytes]) -> bytes:
    """CONFIG GET pattern [pattern ...]: a map of matching parameters (read-only here)."""
    sub = args[1].lower()
    if sub == b"get" and len(args) >= 3:
        found: dict[str, str] = {}
        for pattern in args[2:]:
            for name, value in ctx.config.items():
                if glob_match(pattern.lower(), name.encode()):
                    found[name] = value
        items = [encode_bulk(x.encode()) for name, value in found.items() for x in (name, value)]
        return encode_map(items, ctx.proto)
    if sub == b"get":
        return arity_error("config|get")
    name = args[1].decode(errors="replace")
    raise CommandError(f"ERR unknown subcommand '{name}'. Try CONFIG HELP.")


def command(ctx: Context, args: list[bytes]) -> bytes:
    """COMMAND [DOCS ...]: redis-cli asks for docs to show hints; an empty answer is valid."""
    if len(args) >= 2 and args[1].lower() == b"docs":
        return encode_map([], ctx.proto)
    return encode_array([])
