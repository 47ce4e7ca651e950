"""A small threaded HTTP/1.1 server on loopback: one thread per connection, keep-alive.

Each connection thread loops: read a request with :func:`~.http1.read_request`,
call the handler, write the response, and keep the connection open if the
request allows it (HTTP/1.1 default). A malformed request gets its 4xx/5xx
with ``Connection: close`` and only that connection ends; a handler that
raises gets a 500. Other clients never notice, which the tests check by
sending garbage on one socket while another keeps being served.

>>> import http.client
>>> with HttpServer() as srv:
...     conn = http.client.HTTPConnection(*srv.address, timeout=5)
...     conn.request("POST", "/echo", body=b"ping")
...     resp = conn.getresponse()
...     reply = (resp.status, resp.read())
...     conn.close()
>>> reply
(200, b'ping')
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

from studybook._validate import check_int, check_real, check_str
from studybook.networking.http_tls.http1 import (
    HttpError,
    Limits,
    Request,
    Response,
    read_request,
)
from studybook.networking.http_tls.semantics import conditional_get

__all__ = ["Handler", "HttpServer", "demo_handler"]

Handler = Callable[[Request], Response]


def demo_handler(request: Request) -> Response:
    """The routes the chapter's examples use.

    ``GET /`` says hello; ``POST /echo`` returns the body (any framing);
    ``GET /chunked`` answers with a chunked body; ``GET /etag`` honours
    ``If-None-Match`` with 304; anything else is 404, wrong methods 405.

    >>> demo_handler(Request("GET", "/etag", "HTTP/1.1", (("if-none-match", '"v1"'),), b"")).status
    304

    Complexity: O(len(body)).
    """
    routes = {"/": ("GET", "HEAD"), "/echo": ("POST",), "/chunked": ("GET",), "/etag": ("GET",)}
    if request.target not in routes:
        return Response(404, (("Content-Type", "text/plain"),), b"not found\n")
    allowed = routes[request.target]
    if request.method not in allowed:
        return Response(405, (("Allow", ", ".join(allowed)),), b"")
    text = (("Content-Type", "text/plain"),)
    if request.target == "/echo":
        return Response(200, (("Content-Type", "application/octet-stream"),), request.body)
    if request.target == "/chunked":
        return Response(200, text, b"streamed in chunks\n" * 3, chunked=True)
    if request.target == "/etag":
        etag = '"v1"'
        status = conditional_get(etag, request.header("if-none-match"))
        headers = (("ETag", etag), ("Cache-Control", "max-age=60"))
        return Response(status, headers, b"cacheable\n" if status == 200 else b"")
    return Response(200, text, b"hello\n")


class HttpServer:
    """A threaded HTTP/1.1 server bound to ``host:port`` (port 0: the kernel picks a free one).

    Args:
        handler: turns a :class:`~.http1.Request` into a :class:`~.http1.Response`.
        host: the address to bind; loopback by default.
        port: the port, 0 for any free one.
        limits: the parser's size limits.
        timeout: seconds an idle keep-alive connection is kept.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.

    >>> HttpServer(timeout=float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: timeout must be a finite number > 0, got nan
    """

    def __init__(
        self,
        handler: Handler = demo_handler,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: Limits | None = None,
        timeout: float = 5.0,
    ) -> None:
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {handler!r}")
        self.handler = handler
        self.host = check_str(host, "host", nonempty=True)
        self.port = check_int(port, "port", minimum=0, maximum=65535)
        self.limits = Limits() if limits is None else limits
        if not isinstance(self.limits, Limits):
            raise TypeError(f"limits must be a Limits, got {limits!r}")
        self.timeout = check_real(timeout, "timeout", positive=True)
        self.requests_served = 0
        self.connections_accepted = 0
        self.errors: list[int] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._stopping = threading.Event()

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` the server listens on; only once started."""
        if self._listener is None:
            raise RuntimeError("server is not running")
        host, port = self._listener.getsockname()[:2]
        return str(host), int(port)

    def start(self) -> HttpServer:
        """Bind, listen and start accepting in a background thread."""
        if self._listener is not None:
            raise RuntimeError("server already started")
        listener = socket.create_server((self.host, self.port))
        listener.settimeout(0.1)  # lets the accept loop notice stop() promptly
        self._listener = listener
        thread = threading.Thread(target=self._accept_loop, name="http-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop accepting, close every open connection and join the threads."""
        self._stopping.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes a blocked accept() on Linux
        with self._lock:
            for conn in list(self._conns):
                _shutdown(conn)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> HttpServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        assert self._listener is not None  # noqa: S101 - set by start() before the thread runs
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(self.timeout)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._conns.add(conn)
                self.connections_accepted += 1
                # forget finished connection threads, so a long run does not grow this list
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        rfile = conn.makefile("rb")
        try:
            while not self._stopping.is_set():
                try:
                    request = read_request(rfile, self.limits)
                except HttpError as exc:
                    with self._lock:
                        self.errors.append(exc.status)
                    body = (str(exc) + "\n").encode()
                    conn.sendall(Response(exc.status, (), body).to_bytes(close=True))
                    _drain(conn)
                    return
                if request is None:
                    return
                close = not request.keep_alive
                head = request.method == "HEAD"
                try:
                    wire = self.handler(request).to_bytes(close=close, head=head)
                except Exception:  # a handler bug (or a bad Response) costs one 500, no more
                    wire = Response(500, (), b"internal error\n").to_bytes(close=close, head=head)
                with self._lock:  # counted before sending, so a client never sees a stale count
                    self.requests_served += 1
                conn.sendall(wire)
                if close:
                    return
        except OSError:
            return  # timeout, reset or stop(): this connection only
        finally:
            rfile.close()
            with self._lock:
                self._conns.discard(conn)
            _shutdown(conn)


def _drain(conn: socket.socket, limit: int = 1 << 20) -> None:
    """Half-close, then read what the client already sent (bounded), then let it go.

    Closing a socket with unread input makes the kernel send RST, and the
    client may lose the error response it has not read yet (RFC 9112 §9.6
    describes this "lingering close").
    """
    conn.shutdown(socket.SHUT_WR)
    conn.settimeout(0.5)
    received = 0
    while received < limit:
        chunk = conn.recv(65536)
        if not chunk:
            return
        received += len(chunk)


def _shutdown(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
