"""The asyncio server: connections, pipelining, pub/sub, MULTI/EXEC/WATCH, timers.

One event loop runs every command to completion before the next starts, so
each command, and each ``EXEC`` block, is atomic without a lock: the same
single-threaded design as Redis (whose I/O threads, when enabled, only read and
write sockets). Per connection, an :class:`asyncio.Protocol` feeds bytes to a
:class:`~studybook.senior.build_redis.protocol.RespParser`, runs every complete
command, appends the batch's changes to the AOF, then writes all replies with
one ``write``: a pipelined client costs one system call per batch, not per command.

A timer runs ten times a second (Redis' default ``hz 10``): active expiry, AOF
fsync for ``everysec``. Bad input closes one connection, never the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from studybook.senior.build_redis.commands import (
    COMMANDS,
    Context,
    arity_error,
    call,
    unknown_command,
)
from studybook.senior.build_redis.persistence import AppendOnlyFile
from studybook.senior.build_redis.protocol import (
    MAX_QUERY_BUFFER,
    NIL_ARRAY,
    OK,
    ProtocolError,
    RespParser,
    encode_array,
    encode_bulk,
    encode_error,
    encode_integer,
)
from studybook.senior.build_redis.store import Store

__all__ = ["PUBSUB_OUTPUT_LIMIT", "MiniRedisServer", "ServerThread"]

log = logging.getLogger(__name__)

PUBSUB_OUTPUT_LIMIT = 32 * 1024 * 1024
"""Close a subscriber with more unsent bytes than this (Redis' pubsub hard limit, 32 MiB)."""

_SUBSCRIBED_OK = {b"subscribe", b"unsubscribe", b"psubscribe", b"punsubscribe", b"ping", b"quit"}
_REPLY_BATCH = 64 * 1024  # write replies out at least this often within one read
_MULTI_IMMEDIATE = {b"exec", b"discard", b"multi", b"watch", b"quit"}


class MiniRedisServer:
    """A RESP2 server over a :class:`~studybook.senior.build_redis.store.Store`.

    Args:
        host: address to bind (use ``127.0.0.1``).
        port: TCP port; 0 picks a free one (read ``port`` after :meth:`start`).
        appendonly: AOF path, or None for no persistence.
        appendfsync: ``always``, ``everysec`` or ``no``.
        maxkeys: LRU-evict beyond this many keys.
        clock: wall clock in seconds, for TTLs.
        max_query_buffer: most unparsed bytes one client may send.

    Complexity: O(1) work per command beyond the command's own cost.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        appendonly: str | Path | None = None,
        appendfsync: str = "everysec",
        maxkeys: int | None = None,
        clock: Callable[[], float] = time.time,
        max_query_buffer: int = MAX_QUERY_BUFFER,
    ) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {port!r}")
        self.host = host
        self.port = port
        self.ctx = Context(store=Store(clock=clock, maxkeys=maxkeys))
        self.ctx.config.update(
            appendonly="yes" if appendonly else "no",
            appendfsync=appendfsync,
            maxkeys=str(maxkeys or 0),
        )
        self.aof = AppendOnlyFile(appendonly, appendfsync) if appendonly else None
        self.max_query_buffer = max_query_buffer
        self.channels: dict[bytes, set[_Connection]] = {}
        self.connections: set[_Connection] = set()
        self.commands_processed = 0
        self._server: asyncio.Server | None = None
        self._cron: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Replay the AOF, bind the port and start the timer. Complexity: O(AOF size)."""
        if self.aof is not None:
            applied = self.aof.load(self.ctx)
            log.info("replayed %d commands from %s", applied, self.aof.path)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Connection(self), self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self.ctx.info["tcp_port"] = str(self.port)
        self._cron = asyncio.create_task(self._cron_loop())

    async def stop(self) -> None:
        """Stop accepting, close every client, flush and close the AOF. Complexity: O(clients)."""
        if self._cron is not None:
            self._cron.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._cron
        if self._server is not None:
            self._server.close()
            for conn in list(self.connections):
                conn.transport.abort()
            await self._server.wait_closed()
        self.flush_effects()
        if self.aof is not None:
            self.aof.close()

    async def _cron_loop(self) -> None:
        last_fsync = time.monotonic()
        while True:
            await asyncio.sleep(0.1)
            self.ctx.store.active_expire_cycle()
            self.flush_effects()
            if self.aof is not None and time.monotonic() - last_fsync >= 1.0:
                if self.aof.fsync_policy == "everysec":
                    self.aof.fsync()
                last_fsync = time.monotonic()

    def flush_effects(self) -> None:
        """Append the changes made since the last call to the AOF (or drop them). O(changes)."""
        effects = self.ctx.store.effects
        if effects:
            if self.aof is not None:
                self.aof.append(effects)
            effects.clear()

    def publish(self, channel: bytes, message: bytes) -> int:
        """Send ``message`` to every subscriber of ``channel``; return how many got it.

        Complexity: O(subscribers of the channel).
        """
        subscribers = self.channels.get(channel, ())
        frame = encode_array([encode_bulk(b"message"), encode_bulk(channel), encode_bulk(message)])
        for conn in list(subscribers):
            if conn.transport.get_write_buffer_size() > PUBSUB_OUTPUT_LIMIT:
                log.warning("closing slow subscriber %s", conn.peer)
                conn.transport.abort()
                continue
            conn.transport.write(frame)
        return len(subscribers)


class _Connection(asyncio.Protocol):
    """One client: its parser, transaction state and subscriptions."""

    def __init__(self, server: MiniRedisServer) -> None:
        self.server = server
        self.parser = RespParser(max_query_buffer=server.max_query_buffer)
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.peer: Any = None
        self.in_multi = False
        self.multi_failed = False
        self.queued: list[list[bytes]] = []
        self.watched: dict[bytes, tuple[int, int]] = {}
        self.subscriptions: dict[bytes, None] = {}  # ordered set of channels
        self.closing = False
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # create_server gives a Transport
        self.peer = transport.get_extra_info("peername")
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        self._unwatch()
        for channel in self.subscriptions:
            self._leave(channel)
        self.subscriptions.clear()

    # Back-pressure: when the socket's send buffer passes asyncio's high-water mark
    # (64 KiB) the transport calls pause_writing; we stop reading and stop running
    # this client's pipelined commands until it drains, so a client that sends
    # requests but never reads replies cannot make the server buffer without bound.
    def pause_writing(self) -> None:
        self.paused = True
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.paused = False
        self.transport.resume_reading()
        self._process()

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        try:
            self.parser.feed(data)
        except ProtocolError as exc:
            self._fail(exc)
            return
        self._process()

    def _process(self) -> None:
        replies: list[bytes] = []
        size = 0
        try:
            while not self.closing and not self.paused:
                command = self.parser.next_command()
                if command is None:
                    break
                reply = self.handle(command)
                replies.append(reply)
                size += len(reply)
                if size > _REPLY_BATCH:  # write now: this may pause us
                    self._send(replies)
                    replies, size = [], 0
        except ProtocolError as exc:
            self._send(replies)
            self._fail(exc)
            return
        self._send(replies)
        if self.closing:
            self.transport.close()

    def _send(self, replies: list[bytes]) -> None:
        self.server.flush_effects()  # log before acknowledging
        if replies:
            self.transport.write(b"".join(replies))

    def _fail(self, exc: ProtocolError) -> None:
        self.closing = True
        self.transport.write(encode_error(f"ERR Protocol error: {exc}"))
        self.transport.close()

    def handle(self, args: list[bytes]) -> bytes:
        """Run one command in this connection's state and return its reply."""
        self.server.commands_processed += 1
        name = args[0].lower()
        if self.subscriptions and name not in _SUBSCRIBED_OK:
            return encode_error(
                f"ERR Can't execute '{name.decode(errors='replace')}': only (P|S)SUBSCRIBE / "
                "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
            )
        if self.in_multi and name not in _MULTI_IMMEDIATE:
            return self._queue(args)
        spec = COMMANDS.get(name)
        if spec is not None and spec.handler is not None:
            if name == b"ping" and self.subscriptions:
                message = args[1] if len(args) > 1 else b""
                return encode_array([encode_bulk(b"pong"), encode_bulk(message)])
            return call(self.server.ctx, spec, args)
        if spec is None:
            return unknown_command(args)
        if not spec.arity_ok(len(args)):
            return arity_error(spec.name)
        method: Callable[[list[bytes]], bytes] = getattr(self, f"_cmd_{spec.name}")
        return method(args)

    # ------------------------------------------------------------ transactions

    def _queue(self, args: list[bytes]) -> bytes:
        spec = COMMANDS.get(args[0].lower())
        if spec is None:
            self.multi_failed = True
            return unknown_command(args)
        if not spec.arity_ok(len(args)):
            self.multi_failed = True
            return arity_error(spec.name)
        self.queued.append(args)
        return b"+QUEUED\r\n"

    def _cmd_multi(self, args: list[bytes]) -> bytes:
        if self.in_multi:
            return encode_error("ERR MULTI calls can not be nested")
        self.in_multi = True
        return OK

    def _cmd_discard(self, args: list[bytes]) -> bytes:
        if not self.in_multi:
            return encode_error("ERR DISCARD without MULTI")
        self._end_multi()
        return OK

    def _cmd_exec(self, args: list[bytes]) -> bytes:
        if not self.in_multi:
            return encode_error("ERR EXEC without MULTI")
        store = self.server.ctx.store
        if self.multi_failed:
            self._end_multi()
            return encode_error("EXECABORT Transaction discarded because of previous errors.")
        if any(store.version(key) != token for key, token in self.watched.items()):
            self._end_multi()
            return NIL_ARRAY
        queued = self.queued
        self._end_multi()
        start = len(store.effects)
        replies = [self.handle(cmd) for cmd in queued]
        if len(store.effects) - start > 1:  # replay all of it or none of it
            store.effects.insert(start, [b"MULTI"])
            store.effects.append([b"EXEC"])
        return encode_array(replies)

    def _end_multi(self) -> None:
        self.in_multi = self.multi_failed = False
        self.queued = []
        self._unwatch()

    def _cmd_watch(self, args: list[bytes]) -> bytes:
        if self.in_multi:
            return encode_error("ERR WATCH inside MULTI is not allowed")
        store = self.server.ctx.store
        for key in args[1:]:
            if key not in self.watched:
                self.watched[key] = store.watch(key)
        return OK

    def _cmd_unwatch(self, args: list[bytes]) -> bytes:
        self._unwatch()
        return OK

    def _unwatch(self) -> None:
        store = self.server.ctx.store
        for key in self.watched:
            store.unwatch(key)
        self.watched.clear()

    # ------------------------------------------------------------ pub/sub

    def _cmd_subscribe(self, args: list[bytes]) -> bytes:
        out = []
        for channel in args[1:]:
            if channel not in self.subscriptions:
                self.subscriptions[channel] = None
                self.server.channels.setdefault(channel, set()).add(self)
            out.append(self._sub_reply(b"subscribe", channel))
        return b"".join(out)

    def _cmd_unsubscribe(self, args: list[bytes]) -> bytes:
        channels = args[1:] or list(self.subscriptions)
        if not channels:
            return self._sub_reply(b"unsubscribe", None)
        out = []
        for channel in channels:
            if self.subscriptions.pop(channel, 0) is None:
                self._leave(channel)
            out.append(self._sub_reply(b"unsubscribe", channel))
        return b"".join(out)

    def _sub_reply(self, kind: bytes, channel: bytes | None) -> bytes:
        count = encode_integer(len(self.subscriptions))
        return encode_array([encode_bulk(kind), encode_bulk(channel), count])

    def _leave(self, channel: bytes) -> None:
        members = self.server.channels.get(channel)
        if members is not None:
            members.discard(self)
            if not members:
                del self.server.channels[channel]

    def _cmd_publish(self, args: list[bytes]) -> bytes:
        return encode_integer(self.server.publish(args[1], args[2]))

    def _cmd_quit(self, args: list[bytes]) -> bytes:
        self.closing = True
        return OK


class ServerThread:
    """Run a :class:`MiniRedisServer` on its own event loop in a background thread.

    For tests, demos and benchmarks that want a server next to blocking code.
    Use as a context manager; keyword arguments go to :class:`MiniRedisServer`.

    >>> import socket
    >>> with ServerThread() as srv, socket.create_connection(("127.0.0.1", srv.port)) as s:
    ...     s.sendall(b"PING\\r\\n")
    ...     s.recv(100)
    b'+PONG\\r\\n'
    """

    def __init__(self, **kwargs: Any) -> None:
        self.server = MiniRedisServer(**kwargs)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="miniredis", daemon=True)

    @property
    def port(self) -> int:
        """The bound port."""
        return self.server.port

    def start(self) -> ServerThread:
        """Start the thread and wait until the server accepts connections."""
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        """Stop the server and join the thread."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.server.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stop.wait()
        await self.server.stop()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
