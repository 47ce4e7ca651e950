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
import math
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
    encode_null_array,
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
        # Connections parked by a blocking command (BLMOVE), oldest first.
        self.blocked: dict[_Connection, None] = {}
        self._serving_blocked = False
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
            self.serve_blocked()  # also times out the parked clients whose deadline passed
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

    def serve_blocked(self) -> None:
        """Retry each parked blocking command, oldest first, until no more can proceed.

        Redis wakes a blocked client when a key it waits on is written; retrying
        every parked command after each write (and on each timer tick,
        which also enforces the timeouts, at 100 ms resolution like Redis' ``hz 10``)
        gives the same order without tracking keys. Complexity: O(parked) per pass.
        """
        if self._serving_blocked:
            return
        self._serving_blocked = True
        try:
            progress = True
            while progress:
                progress = False
                for conn in list(self.blocked):
                    if conn in self.blocked and conn.retry_blocked():
                        progress = True
        finally:
            self._serving_blocked = False

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
        self.ctx.can_block = True
        self.blocked_command: list[bytes] | None = None
        self.block_deadline = math.inf

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # create_server gives a Transport
        self.peer = transport.get_extra_info("peername")
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        self.server.blocked.pop(self, None)
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
            while not ctx.closing and not self.paused and self.blocked_command is None:
                command = parser.next_command()
                if command is None:
                    break
                dirty = ctx.store.dirty
                reply = execute(ctx, command)
                if ctx.block_timeout is not None:
                    self._park(command, ctx.block_timeout)
                    break
                replies.append(reply)
                if self.server.blocked and ctx.store.dirty != dirty:
                    # Redis serves the clients blocked on a key right after the command
                    # that wrote it (handleClientsBlockedOnKeys in processCommand), so a
                    # pipelined "RPUSH q x" + "LPOP q" hands x to the waiter, not to LPOP.
                    self.server.serve_blocked()
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
        self.server.serve_blocked()

    def _park(self, command: list[bytes], timeout: float) -> None:
        """Hold ``command`` (and the client's later ones) until it can run or times out."""
        self.ctx.block_timeout = None
        self.blocked_command = command
        self.block_deadline = time.monotonic() + timeout if timeout > 0 else math.inf
        self.server.blocked[self] = None

    def retry_blocked(self) -> bool:
        """Run the parked command again; True if it replied (done or timed out)."""
        command = self.blocked_command
        if command is None or self.transport.is_closing():
            self.server.blocked.pop(self, None)
            return False
        self.ctx.waiting = True
        try:
            reply = execute(self.ctx, command)
        finally:
            self.ctx.waiting = False
        if self.ctx.block_timeout is not None:
            self.ctx.block_timeout = None
            if time.monotonic() < self.block_deadline:
                return False
            reply = encode_null_array(self.ctx.proto)
        self.server.blocked.pop(self, None)
        self.blocked_command = None
        self.server.commands_processed += 1
        self._send([reply])
        self._process()  # the client's pipelined commands after the blocking one
        return True

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
