"""I/O multiplexing for real: one thread, one selector, many loopback sockets.

A server that gives each connection a blocking thread spends a stack and a
context switch per client. The alternative is to make every socket
non-blocking and ask the kernel, in one system call, which of them are ready:
``select(2)``, ``poll(2)``, Linux ``epoll(7)`` or BSD ``kqueue(2)``. Python's
``selectors.DefaultSelector`` picks the best one the platform has (epoll on
Linux). Interviewers ask how an event loop (nginx, Redis, Node.js, asyncio)
serves thousands of connections on one thread, and why epoll beats select.

:func:`selectors_echo` runs a complete echo exchange on 127.0.0.1 inside a
single event loop: a listening socket, the server side of each connection
and every client are all registered with the same selector, and nothing ever
blocks. It is bounded by a deadline, so a bug shows up as ``TimeoutError``
rather than a hang.

Invariant: every client receives exactly the bytes it sent, in order; every
socket the function opened is closed when it returns or raises.

==========  =====================  ======================================
mechanism   cost per wait          limits
==========  =====================  ======================================
select      O(highest fd)          fds below FD_SETSIZE (1024 in glibc)
poll        O(fds watched)         none fixed; the list is copied each call
epoll       O(ready fds)           Linux only; interest list in the kernel
==========  =====================  ======================================

>>> selectors_echo([b"ping", b"pong"]).replies
(b'ping', b'pong')

Primary sources: POSIX.1-2017 ``select`` and ``poll``; Linux man-pages
``select(2)``, ``poll(2)``, ``epoll(7)``; Python documentation, "selectors:
High-level I/O multiplexing".
"""

from __future__ import annotations

import math
import selectors
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

__all__ = ["MAX_CLIENTS", "EchoResult", "selectors_echo"]

#: The most clients one call accepts. Every client costs two file
#: descriptors, and select() cannot watch descriptors at or above 1024.
MAX_CLIENTS = 100


@dataclass(frozen=True)
class EchoResult:
    """What :func:`selectors_echo` saw: the replies, and how the loop ran."""

    replies: tuple[bytes, ...]
    selector: str
    wakeups: int  # select() calls that returned at least one ready socket


@dataclass
class _Client:
    sock: socket.socket
    outbox: bytes
    inbox: bytearray = field(default_factory=bytearray)
    done: bool = False


@dataclass
class _Conn:
    sock: socket.socket
    pending: bytearray = field(default_factory=bytearray)
    eof: bool = False


def selectors_echo(
    messages: Sequence[bytes],
    *,
    timeout: float = 5.0,
    selector_factory: Callable[[], selectors.BaseSelector] = selectors.DefaultSelector,
    clock: Callable[[], float] = time.monotonic,
) -> EchoResult:
    """Echo each message over its own loopback TCP connection, all on one thread.

    Each client connects without blocking, writes its message, shuts down its
    sending side, and reads until the server closes; the server echoes what
    it reads and closes after echoing end-of-file. One selector watches all
    of it.

    Args:
        messages: one ``bytes`` payload per client (``b""`` allowed), at most
            :data:`MAX_CLIENTS`.
        timeout: seconds before giving up, positive and finite.
        selector_factory: the selector class to use, e.g.
            ``selectors.PollSelector``; the default is the platform's best.
        clock: a monotonic clock, injectable for tests.

    Returns:
        An :class:`EchoResult` with the replies in ``messages`` order.

    Raises:
        TypeError: ``messages`` not a sequence of ``bytes``, or ``timeout`` not
            a number (``bool`` included).
        ValueError: more than :data:`MAX_CLIENTS` messages, or ``timeout`` not
            positive and finite.
        TimeoutError: the exchange did not finish within ``timeout`` seconds.

    Complexity: O(total bytes) work plus one selector wait per wakeup.

    >>> r = selectors_echo([b"a" * 100_000, b""], selector_factory=selectors.PollSelector)
    >>> [len(x) for x in r.replies], r.selector
    ([100000, 0], 'PollSelector')
    >>> selectors_echo(["text"])
    Traceback (most recent call last):
    TypeError: messages must be bytes, got str: 'text'
    """
    given: object = messages  # checked as the caller passed it, not as annotated
    if isinstance(given, bytes | str) or not isinstance(given, Sequence):
        raise TypeError(f"messages must be a sequence of bytes, got {given!r}")
    for m in given:
        if not isinstance(m, bytes):
            raise TypeError(f"messages must be bytes, got {type(m).__name__}: {m!r}")
    if len(messages) > MAX_CLIENTS:
        raise ValueError(f"at most {MAX_CLIENTS} messages, got {len(messages)}")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number, got {type(timeout).__name__}: {timeout!r}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be positive and finite, got {timeout!r}")

    deadline = clock() + timeout
    sel = selector_factory()
    opened: list[socket.socket] = []
    try:
        listener = socket.create_server(("127.0.0.1", 0), backlog=MAX_CLIENTS)
        opened.append(listener)
        listener.setblocking(False)
        sel.register(listener, selectors.EVENT_READ, "listener")
        clients = []
        for m in messages:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            opened.append(sock)
            sock.setblocking(False)
            sock.connect_ex(listener.getsockname())  # EINPROGRESS: writable once connected
            client = _Client(sock, m)
            sel.register(sock, selectors.EVENT_WRITE, client)
            clients.append(client)
        wakeups = 0
        while not all(c.done for c in clients):
            left = deadline - clock()
            if left <= 0:
                raise TimeoutError(f"echo did not finish within {timeout!r} s")
            events = sel.select(left)
            wakeups += bool(events)
            for key, mask in events:
                _handle(sel, key, mask, opened)
        return EchoResult(tuple(bytes(c.inbox) for c in clients), type(sel).__name__, wakeups)
    finally:
        sel.close()
        for sock in opened:
            sock.close()


def _handle(
    sel: selectors.BaseSelector,
    key: selectors.SelectorKey,
    mask: int,
    opened: list[socket.socket],
) -> None:
    sock = cast(socket.socket, key.fileobj)  # we only register sockets
    data = key.data
    if data == "listener":
        try:
            conn, _ = sock.accept()
        except BlockingIOError:  # another wakeup took it
            return
        opened.append(conn)
        conn.setblocking(False)
        sel.register(conn, selectors.EVENT_READ, _Conn(conn))
    elif isinstance(data, _Client):
        _client_ready(sel, data, mask)
    elif isinstance(data, _Conn):
        _server_ready(sel, data, mask)


def _client_ready(sel: selectors.BaseSelector, c: _Client, mask: int) -> None:
    if mask & selectors.EVENT_WRITE:
        if c.outbox:
            try:
                sent = c.sock.send(c.outbox)
            except BlockingIOError:
                return
            c.outbox = c.outbox[sent:]
        if not c.outbox:  # all sent: tell the server, then only read
            c.sock.shutdown(socket.SHUT_WR)
            sel.modify(c.sock, selectors.EVENT_READ, c)
    elif mask & selectors.EVENT_READ:
        chunk = _recv(c.sock)
        if chunk is None:
            return
        if chunk:
            c.inbox += chunk
        else:  # the server closed: the echo is complete
            sel.unregister(c.sock)
            c.done = True


def _server_ready(sel: selectors.BaseSelector, s: _Conn, mask: int) -> None:
    if mask & selectors.EVENT_READ and not s.eof:
        chunk = _recv(s.sock)
        if chunk is None:
            return
        if chunk:
            s.pending += chunk
        else:
            s.eof = True
    if mask & selectors.EVENT_WRITE and s.pending:
        try:
            sent = s.sock.send(s.pending)
        except BlockingIOError:
            sent = 0
        del s.pending[:sent]
    if s.eof and not s.pending:
        sel.unregister(s.sock)
        s.sock.close()  # the client reads end-of-file
        return
    # Watch for writability only while there is something to send.
    wanted = (0 if s.eof else selectors.EVENT_READ) | (selectors.EVENT_WRITE if s.pending else 0)
    sel.modify(s.sock, wanted, s)


def _recv(sock: socket.socket) -> bytes | None:
    try:
        return sock.recv(65536)
    except BlockingIOError:  # a spurious wakeup: nothing to read after all
        return None
