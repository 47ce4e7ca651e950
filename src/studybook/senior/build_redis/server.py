"""The asyncio server: connections, pipelining, back-pressure, the AOF and timers.

One event loop runs every command to completion before the next starts, so
each command, and each ``EXEC`` block, is atomic without a lock: the same
single-threaded design as Redis (whose I/O threads, off by default as
``io-threads 1``, only read and write sockets when enabled). Per connection, an
:class:`asyncio.Protocol` feeds bytes to a
:class:`~studybook.senior.build_redis.protocol.RespParser`, runs every complete
command through :func:`~studybook.senior.build_redis.commands.execute` with the
connection's own :class:`~studybook.senior.build_redis.commands.Context`
(its protocol, transaction and subscriptions), appends the batch's changes to
the AOF, then writes all replies with one ``write``: a pipelined client costs
one system call per batch, not per command.

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

from studybook.senior.build_redis._validate import check_int
from studybook.senior.build_redis.commands import Context, execute
from studybook.senior.build_redis.commands.multi import unwatch_all
from studybook.senior.build_redis.commands.pubsub import leave_all, publish_message
from studybook.senior.build_redis.persistence import FSYNC_POLICIES, AppendOnlyFile
from studybook.senior.build_redis.protocol import (
    MAX_QUERY_BUFFER,
    ProtocolError,
    RespParser,
    encode_error,
)
from studybook.senior.build_redis.store import Store

__all__ = ["PUBSUB_OUTPUT_LIMIT", "MiniRedisServer", "ServerThread"]

log = logging.getLogger(__name__)

PUBSUB_OUTPUT_LIMIT = 32 * 1024 * 1024
"""Most unsent bytes a subscriber may have before it is closed (32 MiB), the hard limit of
Redis' default ``client-output-buffer-limit pubsub 32mb 8mb 60`` (MiniRedis has no soft limit)."""

_REPLY_BATCH = 64 * 1024  # write replies out at least this often within one read


class MiniRedisServer:
    """A RESP2 and RESP3 server over a :class:`~studybook.senior.build_redis.store.Store`.

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
        if check_int("port", port, 0) > 65535:
            raise ValueError(f"port must be in 0..65535, got {port!r}")
        if maxkeys is not None:
            check_int("maxkeys", maxkeys, 1)
        check_int("max_query_buffer", max_query_buffer, 1)
        if appendfsync not in FSYNC_POLICIES:
            raise ValueError(f"appendfsync must be one of {FSYNC_POLICIES}, got {appendfsync!r}")
        self.host = host
        self.port = port
        self.ctx = Context(store=Store(clock=clock, maxkeys=maxkeys))
        self.ctx.config.update(
            appendonly="yes" if appendonly else "no",
            appendfsync=appendfsync,
            maxkeys=str(maxkeys or 0),
        )
        self.aof = AppendOnlyFile(appendonly, appendfsync) if appendonly else None
        self.ctx.store.record_effects = self.aof is not None
        self.max_query_buffer = max_query_buffer
        self.connections: set[_Connection] = set()
        self.commands_processed = 0
        self._next_client_id = 0
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
        return publish_message(self.ctx, channel, message)

    def new_client(self, deliver: Callable[[bytes], bool]) -> Context:
        """A context for a new connection, with the next client id. O(1)."""
        self._next_client_id += 1
        return self.ctx.for_client(self._next_client_id, deliver)


class _Connection(asyncio.Protocol):
    """One client: its socket, its parser and its :class:`Context` (protocol, MULTI, channels)."""

    def __init__(self, server: MiniRedisServer) -> None:
        self.server = server
        self.parser = RespParser(max_query_buffer=server.max_query_buffer)
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.peer: Any = None
        self.ctx = server.new_client(self._deliver)
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # create_server gives a Transport
        self.peer = transport.get_extra_info("peername")
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        unwatch_all(self.ctx)
        leave_all(self.ctx)

    def _deliver(self, frame: bytes) -> bool:
        """Write a pub/sub message; drop a subscriber that lets too much pile up unread."""
        if self.transport.is_closing():
            return False
        if self.transport.get_write_buffer_size() > PUBSUB_OUTPUT_LIMIT:
            log.warning("closing slow subscriber %s", self.peer)
            self.transport.abort()
            return False
        self.transport.write(frame)
        return True

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
        if self.ctx.closing:
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
        ctx, parser = self.ctx, self.parser
        try:
            while not ctx.closing and not self.paused:
                command = parser.next_command()
                if command is None:
                    break
                reply = execute(ctx, command)
                replies.append(reply)
                size += len(reply)
                if size > _REPLY_BATCH:  # write now: this may pause us
                    self._send(replies)
                    replies, size = [], 0
        except ProtocolError as exc:
            self._send(replies)
            self._fail(exc)
            return
        self.server.commands_processed += len(replies)
        self._send(replies)
        if ctx.closing:
            self.transport.close()

    def _send(self, replies: list[bytes]) -> None:
        self.server.flush_effects()  # log before acknowledging
        if replies:
            self.transport.write(b"".join(replies))

    def _fail(self, exc: ProtocolError) -> None:
        self.ctx.closing = True
        self.transport.write(encode_error(f"ERR Protocol error: {exc}"))
        self.transport.close()


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
