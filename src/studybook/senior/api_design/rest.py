"""The bookshop as a REST API on the standard library's HTTP server.

Routes (version in the path, resources as nouns, methods as verbs):

=========================  ======================================================
``GET /v1/books``          a page: ``?limit=`` (1..100) and ``?cursor=``; the body
                           has ``next_cursor`` and a ``Link: rel="next"`` header
``GET /v1/books/{id}``     one book with a strong ``ETag``; ``If-None-Match`` -> 304
``GET /v1/authors/{id}``   one author
``POST /v1/books``         create, 201 + ``Location``; ``Idempotency-Key`` replays
``PATCH /v1/books/{id}``   change the price; ``If-Match`` is required (428 without,
                           412 when stale): no lost updates
=========================  ======================================================

Every error is ``application/problem+json`` (RFC 9457) with ``type``,
``title``, ``status``, ``detail`` and ``instance``.

>>> from studybook.senior.api_design.bookshop import Bookshop
>>> with RestServer(Bookshop.sample(books=3, authors=1)) as srv:
...     status, headers, body = request(srv.port, "GET", "/v1/books/2")
...     again = request(srv.port, "GET", "/v1/books/2", headers={"If-None-Match": headers["ETag"]})
...     missing = request(srv.port, "GET", "/v1/books/9")
>>> status, headers["ETag"]
(200, '"58357efc586b81ea"')
>>> print(body.decode())
{"author":"/v1/authors/1","author_id":1,"id":2,"price_cents":1002,"title":"Book 2","version":1}
>>> again[0], again[2]
(304, b'')
>>> missing[0], missing[1]["Content-Type"]
(404, 'application/problem+json')
>>> for name, value in json.loads(missing[2]).items():
...     print(f"{name}: {value}")
detail: no book with id 9
instance: /v1/books/9
status: 404
title: Not Found
type: https://studybook.example/problems/not-found
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from studybook._validate import check_int, check_str
from studybook.senior.api_design.bookshop import (
    Book,
    Bookshop,
    NotFoundError,
    VersionMismatchError,
    decode_cursor,
    encode_cursor,
)

__all__ = ["MAX_BODY", "PROBLEM_BASE", "RestServer", "etag_of", "problem", "request"]

MAX_BODY = 64 * 1024
"""The largest request body accepted; anything longer gets 413."""

PROBLEM_BASE = "https://studybook.example/problems/"
"""The prefix of this server's problem ``type`` URIs, followed by a slug such as ``not-found``."""

Response = tuple[int, dict[str, str], bytes]

# RFC 9110's reason phrases; Python before 3.13 still has the RFC 7231 names
# for 413 and 422, so the titles would change with the interpreter.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def etag_of(representation: object) -> str:
    """A strong entity tag: a hash of the exact JSON the server sends.

    Strong because the bytes are identical whenever the tag is (RFC 9110
    section 8.8.3); a content hash needs no version column, but costs
    serialising the body before answering 304.

    >>> etag_of({"id": 1})
    '"037c9214eef74cc3"'
    """
    digest = hashlib.sha256(_dumps(representation)).hexdigest()[:16]
    return f'"{digest}"'


def _dumps(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def problem(status: int, detail: str, *, slug: str | None = None, instance: str = "") -> Response:
    """An RFC 9457 problem details response.

    >>> status, headers, body = problem(404, "no book with id 9", slug="not-found")
    >>> headers["Content-Type"], json.loads(body)["type"]
    ('application/problem+json', 'https://studybook.example/problems/not-found')
    """
    check_int(status, "status", minimum=400, maximum=599)
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug if slug else "about:blank",
        "title": _TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    return status, {"Content-Type": "application/problem+json"}, _dumps(body)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: object = None,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
) -> Response:
    """One HTTP/1.1 request with ``http.client`` on loopback: (status, headers, body).

    A body that is not ``None`` is sent as JSON. Header names come back in the
    case the server wrote them.

    Args:
        port: the server's port on 127.0.0.1.
        method: the HTTP method.
        path: the request target, with any query string.
        body: a JSON-serialisable body, or ``None`` for none.
        headers: extra request headers.
        timeout: seconds for the connection and each read.

    Raises:
        TypeError, ValueError: a bad port or method.
        OSError: the connection failed.

    Complexity: one TCP connection and one round trip.
    """
    check_int(port, "port", minimum=1, maximum=65535)
    check_str(method, "method", nonempty=True)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = None if body is None else _dumps(body)
        sent = dict(headers or {})
        if payload is not None:
            sent.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=payload, headers=sent)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


class RestServer:
    """A ``ThreadingHTTPServer`` on ``127.0.0.1`` (port 0: the kernel picks) serving a shop.

    Use as a context manager; ``port`` is the bound port. Idempotency keys are
    remembered for the server's lifetime (a real service keeps them for a
    day or so, in a shared store).
    """

    def __init__(self, shop: Bookshop) -> None:
        if not isinstance(shop, Bookshop):
            raise TypeError(f"shop must be a Bookshop, got {type(shop).__name__}: {shop!r}")
        self.shop = shop
        self._idempotency: dict[str, tuple[str, Response]] = {}
        self._create_lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> RestServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        """Route one request to its handler and turn domain errors into problems.

        Args:
            method: the HTTP method (``HEAD`` arrives here as ``GET``).
            target: the request target, path and query string.
            headers: the request headers, names in lower case.
            body: the request body, already read.

        Returns:
            ``(status, headers, body)``; every 4xx is a problem details body.

        Complexity: O(1) routing; the handler's cost is the backend query it makes.
        """
        url = urlsplit(target)
        path = url.path
        try:
            if path == "/v1/books":
                if method == "GET":
                    return self._list(parse_qs(url.query), headers)
                if method == "POST":
                    return self._create(headers, body)
                return _not_allowed("GET, HEAD, POST", path)
            if m := re.fullmatch(r"/v1/books/([0-9]{1,9})", path):
                book_id = int(m.group(1))
                if method == "GET":
                    return self._conditional(self._book_json(book_id), headers)
                if method == "PATCH":
                    return self._patch(book_id, headers, body, path)
                return _not_allowed("GET, HEAD, PATCH", path)
            if m := re.fullmatch(r"/v1/authors/([0-9]{1,9})", path):
                if method == "GET":
                    author = self.shop.get_author(int(m.group(1)))
                    return self._conditional(asdict(author), headers)
                return _not_allowed("GET, HEAD", path)
            return problem(404, f"no resource at {path}", slug="not-found", instance=path)
        except NotFoundError as e:
            return problem(404, str(e.args[0]), slug="not-found", instance=path)
        except _ClientError as e:
            return problem(e.status, e.detail, slug=e.slug, instance=path)

    def _book_json(self, book_id: int) -> dict[str, Any]:
        return _book_repr(self.shop.get_book(book_id))

    def _conditional(self, representation: object, headers: dict[str, str]) -> Response:
        tag = etag_of(representation)
        if _matches(headers.get("if-none-match"), tag):
            return 304, {"ETag": tag}, b""
        return 200, {"Content-Type": "application/json", "ETag": tag}, _dumps(representation)

    def _list(self, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
        limit = _int_param(query, "limit", 10, 1, 100)
        cursor = query.get("cursor", [""])[-1]
        try:
            after = decode_cursor(cursor) if cursor else 0
        except ValueError as e:
            raise _ClientError(400, str(e), "bad-cursor") from None
        books = self.shop.list_books(after=after, limit=limit)
        # A full page may be the last one; the next request then returns an
        # empty page with no cursor (one extra round trip, no extra query here).
        next_cursor = encode_cursor(books[-1].id) if len(books) == limit else None
        body = {"items": [_book_repr(b) for b in books], "next_cursor": next_cursor}
        status, out, payload = self._conditional(body, headers)
        if next_cursor is not None:
            out["Link"] = f'</v1/books?limit={limit}&cursor={next_cursor}>; rel="next"'
        return status, out, payload

    def _create(self, headers: dict[str, str], body: bytes) -> Response:
        data = _json_body(headers, body)
        key = headers.get("idempotency-key")
        if key is not None and not 1 <= len(key) <= 255:
            detail = f"Idempotency-Key must be 1 to 255 characters, got {len(key)}"
            raise _ClientError(400, detail, "bad-idempotency-key")
        fingerprint = hashlib.sha256(_dumps(data)).hexdigest()
        # One lock around look-up, create and record: a retry racing the
        # original waits for it and then replays its answer.
        with self._create_lock:
            if key is not None:
                seen = self._idempotency.get(key)
                if seen is not None:
                    if seen[0] != fingerprint:
                        raise _ClientError(
                            422, f"Idempotency-Key {key!r} was used with another body", "key-reuse"
                        )
                    status, out, payload = seen[1]
                    return status, {**out, "Idempotent-Replayed": "true"}, payload
            try:
                title: Any = data.get("title")
                author_id: Any = data.get("author_id")
                price: Any = data.get("price_cents")
                book = self.shop.add_book(title, author_id, price)
            except NotFoundError as e:
                raise _ClientError(422, str(e.args[0]), "unknown-author") from None
            except (TypeError, ValueError) as e:
                raise _ClientError(400, str(e), "invalid-book") from None
            rep = _book_repr(book)
            response: Response = (
                201,
                {
                    "Content-Type": "application/json",
                    "Location": f"/v1/books/{book.id}",
                    "ETag": etag_of(rep),
                },
                _dumps(rep),
            )
            if key is not None:
                self._idempotency[key] = (fingerprint, response)
            return response

    def _patch(self, book_id: int, headers: dict[str, str], body: bytes, path: str) -> Response:
        current = self._book_json(book_id)
        condition = headers.get("if-match")
        if condition is None:
            raise _ClientError(428, "PATCH needs If-Match with the book's ETag", "no-if-match")
        data = _json_body(headers, body)
        if set(data) != {"price_cents"}:
            raise _ClientError(400, f"only price_cents may change, got {sorted(data)}", "invalid")
        if not _matches(condition, etag_of(current), strong=True):
            return problem(
                412, f"book {book_id} changed; GET it again", slug="stale", instance=path
            )
        try:
            book = self.shop.set_price(
                book_id, data["price_cents"], expected_version=current["version"]
            )
        except VersionMismatchError as e:  # changed between our read and our write
            return problem(412, str(e), slug="stale", instance=path)
        except (TypeError, ValueError) as e:
            raise _ClientError(400, str(e), "invalid-book") from None
        rep = _book_repr(book)
        return 200, {"Content-Type": "application/json", "ETag": etag_of(rep)}, _dumps(rep)


class _ClientError(Exception):
    def __init__(self, status: int, detail: str, slug: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.slug = status, detail, slug


def _book_repr(book: Book) -> dict[str, Any]:
    return {**asdict(book), "author": f"/v1/authors/{book.author_id}"}


def _matches(condition: str | None, tag: str, *, strong: bool = False) -> bool:
    """Does a precondition header list (or ``*``) match ``tag``?

    ``If-None-Match`` compares weakly (a ``W/`` tag matches its strong twin);
    ``If-Match`` compares strongly, so a weak tag never matches
    (RFC 9110 sections 8.8.3.2, 13.1.1 and 13.1.2).
    """
    if condition is None:
        return False
    tags = [t.strip() for t in condition.split(",")]
    if "*" in tags:
        return True
    if strong:
        return tag in tags
    return tag in (t.removeprefix("W/") for t in tags)


def _not_allowed(allow: str, path: str) -> Response:
    status, headers, body = problem(405, f"allowed: {allow}", instance=path)
    return status, {**headers, "Allow": allow}, body


def _int_param(query: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, [str(default)])[-1]
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not low <= int(raw) <= high:
        raise _ClientError(
            400, f"{name} must be an integer in [{low}, {high}], got {raw!r}", "bad-param"
        )
    return int(raw)


def _json_body(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise _ClientError(415, f"send application/json, got {ctype!r}", "media-type")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise _ClientError(400, "the body is not valid JSON", "bad-json") from None
    if not isinstance(data, dict):
        raise _ClientError(
            400, f"the body must be a JSON object, got {type(data).__name__}", "bad-json"
        )
    return data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY, Nagle's
    # algorithm holds the second until the client's (delayed) ACK arrives.
    disable_nagle_algorithm = True
    server_version = "studybook-rest/1"
    # A client that announces a body and never sends it (slowloris) would hold
    # its thread forever; the socket timeout frees it.
    timeout = 10

    def _serve(self) -> None:
        app: RestServer = self.server.app  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        framing = _body_length(self.headers.get_all("Content-Length") or [], headers)
        if isinstance(framing, tuple):
            # The body's extent is unknown, so what follows on this connection
            # cannot be parsed as the next request (request smuggling): close.
            status, out, payload = problem(*framing, instance=self.path)
            self.close_connection = True
        else:
            body = self.rfile.read(framing)
            # HEAD is GET without the body (RFC 9110 section 9.3.2); every
            # general-purpose server must support both (section 9.1).
            method = "GET" if self.command == "HEAD" else self.command
            try:
                status, out, payload = app.handle(method, self.path, headers, body)
            except Exception:  # a bug: answer 500 in the same format, never a traceback
                status, out, payload = problem(500, "internal error", instance=self.path)
        self._send(status, out, payload)

    do_GET = do_HEAD = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def _send(self, status: int, out: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in out.items():
            self.send_header(name, value)
        if status != 304:
            # RFC 9110 section 8.6: a 304 may carry Content-Length only if it
            # equals the 200's; sending none is simplest and always right.
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer errors ``http.server`` finds itself (a bad request line, too many headers).

        They become problem details like every other error, not its HTML page.
        """
        self.close_connection = True
        status = int(code) if 400 <= code <= 599 else 500
        # parse_request sets command (and path) only once the request line parsed.
        instance = self.path if self.command else ""
        response = problem(
            status, message or explain or HTTPStatus(status).phrase, instance=instance
        )
        self._send(*response)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and demos own the terminal."""


def _body_length(lengths: list[str], headers: dict[str, str]) -> int | tuple[int, str]:
    """The request body's length in bytes, or ``(status, detail)`` to refuse it with.

    RFC 9112 section 6.3: several ``Content-Length`` values that differ, or one
    that is not a decimal number, make the message's framing unknowable (400);
    a ``Transfer-Encoding`` this server does not decode is refused with 411
    (RFC 9110 section 15.5.12), which asks the client to send a length instead.
    """
    if "transfer-encoding" in headers:
        return 411, "send the body with a Content-Length, not a Transfer-Encoding"
    values = {v.strip() for text in lengths for v in text.split(",")}
    if not values:
        return 0
    if len(values) > 1 or not re.fullmatch(r"[0-9]{1,20}", text := values.pop()):
        return 400, f"Content-Length must be one decimal number, got {lengths!r}"
    if int(text) > MAX_BODY:
        return 413, f"body over {MAX_BODY} bytes"
    return int(text)
