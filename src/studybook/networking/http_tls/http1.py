"""HTTP/1.1 message framing: a strict request parser, chunked coding and responses.

The parser reads one request from a byte stream and decides, before it reads
a single body byte, how long the body is (RFC 9112 §6.3). Every way two
parsers could disagree about that length is refused, because such a
disagreement is what *request smuggling* exploits: a front-end proxy and a
back-end server split the same bytes into different requests.

Decisions this parser makes (each one a choice the RFC allows, cited):

* ``Transfer-Encoding`` **and** ``Content-Length`` together: **rejected** with
  400 and the connection closed. RFC 9112 §6.1 lets a server either reject
  such a request or process it by ``Transfer-Encoding`` alone, and in both
  cases requires it to close the connection afterwards.
* Two ``Content-Length`` fields, or one that is not ``1*DIGIT`` (``-1``,
  ``+5``, ``0x10``): 400 (RFC 9112 §6.3 item 5). Identical duplicates
  (``5, 5``) are refused too, which RFC 9110 §8.6 allows ("MAY either reject
  the message as invalid or replace the duplicated field values").
* ``chunked`` not the final coding (``gzip`` alone, ``chunked, gzip``): 400
  and close, which RFC 9112 §6.3 item 4 requires for a request; ``chunked``
  repeated: 400 (§7.1: a sender MUST NOT chunk twice); ``chunked`` last but
  another coding before it (``gzip, chunked``): 501 (RFC 9112 §6.1).
* ``obs-fold`` (a field line starting with a space or tab): 400 (RFC 9112 §5.2
  allows rejecting it or replacing it with spaces); whitespace between a field
  name and its colon: 400 (RFC 9112 §5.1 requires it).
* A bare LF as line terminator: **rejected** with 400. RFC 9112 §2.2 lets a
  recipient accept a lone LF; refusing it removes one more way for a proxy
  and this server to see different lines. A bare CR anywhere: 400 (§2.2).
* Whitespace lines before the request line: one empty line is skipped, as
  RFC 9112 §2.2 recommends (clients once sent a stray CRLF after a body).
* Size limits: a request line past ``max_line`` is 414 (RFC 9112 §3), header
  section past ``max_header_bytes`` or ``max_headers`` fields is 431
  (RFC 6585 §5), a body past ``max_body`` is 413 (RFC 9110 §15.5.14), decided
  from ``Content-Length`` before reading, or while decoding chunks.

>>> req = parse_request(b"GET /a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
>>> req.method, req.target, req.keep_alive
('GET', '/a', True)
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO

from studybook._validate import check_int

__all__ = [
    "REASONS",
    "HttpError",
    "Limits",
    "Request",
    "Response",
    "decode_chunked",
    "encode_chunked",
    "parse_request",
    "read_request",
]

REASONS: dict[int, str] = {
    200: "OK",
    201: "Created",
    204: "No Content",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    505: "HTTP Version Not Supported",
}


class HttpError(ValueError):
    """A request the server must refuse, with the status code to answer.

    >>> HttpError(413, "body of 9 bytes exceeds max_body=4").status
    413
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status} {REASONS.get(status, '')}: {message}")
        self.status = status


@dataclass(frozen=True)
class Limits:
    """The bounds the parser enforces, so no request can make it allocate without limit.

    >>> Limits(max_body=-1)
    Traceback (most recent call last):
        ...
    ValueError: max_body must be >= 0, got -1
    """

    max_line: int = 8192
    max_header_bytes: int = 16384
    max_headers: int = 100
    max_body: int = 1 << 20

    def __post_init__(self) -> None:
        check_int(self.max_line, "max_line", minimum=16)
        check_int(self.max_header_bytes, "max_header_bytes", minimum=16)
        check_int(self.max_headers, "max_headers", minimum=1)
        check_int(self.max_body, "max_body", minimum=0)


@dataclass(frozen=True)
class Request:
    """One parsed request: field names are lower-cased, values stripped of OWS."""

    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of the one field called ``name`` (any case), or ``None`` if absent.

        >>> head = b"GET / HTTP/1.1\\r\\nHost: x\\r\\n"
        >>> req = parse_request(head + b"Accept: a\\r\\nACCEPT: b\\r\\n\\r\\n")
        >>> req.header("accept"), req.header("cookie")
        ('a, b', None)

        Complexity: O(number of fields).
        """
        wanted = name.lower()
        values = [v for n, v in self.headers if n == wanted]
        return ", ".join(values) if values else None

    @property
    def keep_alive(self) -> bool:
        """Whether the connection stays open afterwards (RFC 9112 §9.3).

        HTTP/1.1 is persistent unless ``Connection`` lists ``close``; HTTP/1.0
        only if it lists ``keep-alive``.
        """
        tokens = {t.strip().lower() for t in (self.header("connection") or "").split(",")}
        if self.version != "HTTP/1.0":  # HTTP/1.x, x >= 1, is treated as 1.1 (RFC 9110 §2.5)
            return "close" not in tokens
        return "keep-alive" in tokens


@dataclass(frozen=True)
class Response:
    """A response to serialise; ``chunked=True`` sends the body in chunks of 8 KiB at most."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    chunked: bool = False

    def to_bytes(self, *, close: bool = False, head: bool = False) -> bytes:
        """Serialise with framing fields added; ``head`` omits the body (RFC 9110 §9.3.2).

        >>> Response(200, (("Content-Type", "text/plain"),), b"hi").to_bytes()
        b'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: 2\\r\\n\\r\\nhi'
        >>> print(Response(200, body=b"hello", chunked=True).to_bytes(close=True).decode())
        HTTP/1.1 200 OK
        Transfer-Encoding: chunked
        Connection: close
        <BLANKLINE>
        5
        hello
        0
        <BLANKLINE>
        <BLANKLINE>
        >>> Response(200, (("X-A", "1\\r\\nSet-Cookie: s=1"),)).to_bytes()
        Traceback (most recent call last):
            ...
        ValueError: invalid response field 'X-A': '1\\r\\nSet-Cookie: s=1'

        Complexity: O(len(body)).
        """
        check_int(self.status, "status", minimum=100, maximum=599)
        for name, value in self.headers:
            try:
                raw_name, raw_value = name.encode("ascii"), value.encode("latin-1")
            except (AttributeError, UnicodeEncodeError):
                raise ValueError(f"invalid response field {name!r}: {value!r}") from None
            if not _TOKEN.fullmatch(raw_name) or _BAD_VALUE.search(raw_value):
                # a CR or LF here would let a handler split the response in two
                raise ValueError(f"invalid response field {name!r}: {value!r}")
        lines = [f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Unknown')}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        no_body = self.status in (204, 304) or 100 <= self.status < 200
        if not no_body:
            if self.chunked:
                lines.append("Transfer-Encoding: chunked")
            else:
                lines.append(f"Content-Length: {len(self.body)}")
        if close:
            lines.append("Connection: close")
        head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if no_body or head:
            return head_bytes
        return head_bytes + (encode_chunked(self.body) if self.chunked else self.body)


def parse_request(data: bytes, limits: Limits | None = None) -> Request:
    """Parse exactly one complete request from ``data``.

    Args:
        data: the bytes of one request, body included.
        limits: the size limits (default :class:`Limits`).

    Returns:
        The :class:`Request`.

    Raises:
        HttpError: malformed, too large, or truncated (with the status to send).
        TypeError: ``data`` is not bytes.

    >>> parse_request(b"POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3\\r\\n\\r\\nabc").body
    b'abc'
    >>> parse_request(b"GET / HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n")
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.http1.HttpError: 400 Bad Request:
        whitespace before ':' in field name 'Host '

    Complexity: O(len(data)).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    stream = io.BytesIO(bytes(data))
    request = read_request(stream, limits)
    if request is None:
        raise HttpError(400, "empty request")
    rest = stream.read()
    if rest:
        raise HttpError(400, f"{len(rest)} bytes after the end of the request")
    return request


_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/(\d)\.(\d)")
_DIGITS = re.compile(rb"[0-9]+")
_HEX = re.compile(rb"[0-9A-Fa-f]+")
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def read_request(stream: BinaryIO, limits: Limits | None = None) -> Request | None:
    """Read one request from a stream (a socket file); ``None`` on a clean end of stream.

    Reads only as many bytes as the request holds, so the next request on a
    persistent connection is left in the stream.

    Raises:
        HttpError: as :func:`parse_request`.

    >>> one = b"GET /%d HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
    >>> s = io.BytesIO(one % 1 + one % 2)
    >>> [read_request(s).target, read_request(s).target, read_request(s)]
    ['/1', '/2', None]

    Complexity: O(bytes of the request).
    """
    limits = Limits() if limits is None else limits
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a Limits, got {type(limits).__name__}: {limits!r}")
    first = _read_line(stream, limits.max_line, 414, "request line")
    if first == b"":  # RFC 9112 §2.2: SHOULD ignore at least one empty line first
        first = _read_line(stream, limits.max_line, 414, "request line")
    if first is None:
        return None
    method, target, version = _request_line(first)
    headers = _read_fields(stream, limits)
    hosts = [v for n, v in headers if n == "host"]
    # RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, and for ANY request with two.
    if len(hosts) > 1 or (version != "HTTP/1.0" and not hosts):
        raise HttpError(400, f"{version} needs exactly one Host field, got {len(hosts)}")
    body = _read_body(stream, headers, version, limits)
    return Request(method, target, version, tuple(headers), body)


def _read_line(stream: BinaryIO, limit: int, status: int, what: str) -> bytes | None:
    """One CRLF-terminated line without its CRLF; ``None`` at a clean end of stream."""
    line = stream.readline(limit + 2)
    if not line:
        return None
    if not line.endswith(b"\n"):
        if len(line) >= limit + 2:
            raise HttpError(status, f"{what} longer than {limit} bytes")
        raise HttpError(400, f"truncated {what}: {line[:40]!r}")
    if not line.endswith(b"\r\n"):
        raise HttpError(400, f"bare LF ends {what} {line[:40]!r}")
    line = line[:-2]
    if b"\r" in line:
        raise HttpError(400, f"bare CR in {what} {line[:40]!r}")
    return line


def _request_line(line: bytes) -> tuple[str, str, str]:
    parts = line.split(b" ")
    if len(parts) != 3 or not all(parts):
        raise HttpError(400, f"malformed request line {line[:80]!r}")
    method, target, version = parts
    if not _TOKEN.fullmatch(method):
        raise HttpError(400, f"malformed method {method[:40]!r}")
    if any(b <= 0x20 or b == 0x7F for b in target):
        raise HttpError(400, f"control character or space in target {target[:40]!r}")
    match = _VERSION.fullmatch(version)
    if match is None:
        raise HttpError(400, f"malformed HTTP version {version[:40]!r}")
    if match.group(1) != b"1":
        raise HttpError(505, f"unsupported version {version.decode()!r}")
    return method.decode(), target.decode("latin-1"), version.decode()


def _read_fields(stream: BinaryIO, limits: Limits) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    used = 0
    while True:
        line = _read_line(stream, limits.max_header_bytes - used, 431, "header section")
        if line is None:
            raise HttpError(400, "end of stream inside the header section")
        used += len(line) + 2
        if not line:
            return fields
        if len(fields) == limits.max_headers:
            raise HttpError(431, f"more than max_headers={limits.max_headers} fields")
        if line[:1] in (b" ", b"\t"):
            raise HttpError(400, f"obs-fold (line folding) is not accepted: {line[:40]!r}")
        name, colon, value = line.partition(b":")
        if not colon:
            raise HttpError(400, f"field line without ':' {line[:40]!r}")
        if name != name.rstrip(b" \t"):
            raise HttpError(400, f"whitespace before ':' in field name {name.decode('latin-1')!r}")
        if not _TOKEN.fullmatch(name):
            raise HttpError(400, f"malformed field name {name[:40]!r}")
        value = value.strip(b" \t")
        if _BAD_VALUE.search(value):
            raise HttpError(400, f"control character in the value of {name.decode()!r}")
        fields.append((name.decode().lower(), value.decode("latin-1")))


def _read_body(
    stream: BinaryIO, headers: list[tuple[str, str]], version: str, limits: Limits
) -> bytes:
    te = [v for n, v in headers if n == "transfer-encoding"]
    cl = [v for n, v in headers if n == "content-length"]
    if te:
        if cl:
            raise HttpError(400, "both Transfer-Encoding and Content-Length (RFC 9112 §6.1)")
        if version == "HTTP/1.0":
            raise HttpError(400, "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)")
        codings = [c.strip().lower() for c in ",".join(te).split(",")]
        if codings[-1] != "chunked":  # RFC 9112 §6.3 item 4: the length cannot be known
            raise HttpError(400, f"chunked is not the final transfer coding: {codings!r}")
        if codings.count("chunked") > 1:
            raise HttpError(400, f"chunked applied {codings.count('chunked')} times")
        if len(codings) > 1:
            raise HttpError(501, f"transfer coding {codings[0]!r} is not implemented")
        return _read_chunked(stream, limits)
    if not cl:
        return b""
    if len(cl) > 1:
        raise HttpError(400, f"{len(cl)} Content-Length fields: {cl!r}")
    raw = cl[0].encode("latin-1")
    if not _DIGITS.fullmatch(raw):
        raise HttpError(400, f"invalid Content-Length {cl[0]!r}")
    length = int(raw)
    if length > limits.max_body:
        raise HttpError(413, f"Content-Length {length} exceeds max_body={limits.max_body}")
    body = stream.read(length)
    if len(body) != length:
        raise HttpError(400, f"body truncated: {len(body)} of {length} bytes")
    return body


def _read_chunked(stream: BinaryIO, limits: Limits) -> bytes:
    body = bytearray()
    while True:
        line = _read_line(stream, limits.max_line, 400, "chunk-size line")
        if line is None:
            raise HttpError(400, "end of stream before the last chunk")
        size_text = line.split(b";", 1)[0].rstrip(b" \t")
        if not _HEX.fullmatch(size_text):
            raise HttpError(400, f"invalid chunk size {size_text[:40]!r}")
        size = int(size_text, 16)
        if len(body) + size > limits.max_body:
            raise HttpError(413, f"chunked body exceeds max_body={limits.max_body}")
        if size == 0:
            _read_fields(stream, limits)  # trailer section: read and discard
            return bytes(body)
        data = stream.read(size)
        if len(data) != size:
            raise HttpError(400, f"chunk truncated: {len(data)} of {size} bytes")
        body += data
        if stream.read(2) != b"\r\n":
            raise HttpError(400, "chunk data not followed by CRLF")


def decode_chunked(data: bytes, limits: Limits | None = None) -> bytes:
    """Decode a complete chunked body (chunks, last chunk, trailers) into its content.

    >>> decode_chunked(b"4\\r\\nWiki\\r\\n5;ext=1\\r\\npedia\\r\\n0\\r\\n\\r\\n")
    b'Wikipedia'
    >>> decode_chunked(b"-1\\r\\n")
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.http1.HttpError: 400 Bad Request: invalid chunk size b'-1'

    Raises:
        HttpError: a malformed or truncated body, or one past ``limits.max_body``.
        TypeError: ``data`` is not bytes.

    Complexity: O(len(data)).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    stream = io.BytesIO(bytes(data))
    body = _read_chunked(stream, Limits() if limits is None else limits)
    if stream.read(1):
        raise HttpError(400, "bytes after the last chunk")
    return body


def encode_chunked(body: bytes, chunk_size: int = 8192) -> bytes:
    """Frame ``body`` as chunks of at most ``chunk_size`` bytes and a last chunk.

    >>> encode_chunked(b"abcde", 2)
    b'2\\r\\nab\\r\\n2\\r\\ncd\\r\\n1\\r\\ne\\r\\n0\\r\\n\\r\\n'
    >>> encode_chunked(b"x", 0)
    Traceback (most recent call last):
        ...
    ValueError: chunk_size must be >= 1, got 0

    Complexity: O(len(body)).
    """
    if not isinstance(body, (bytes, bytearray)):
        raise TypeError(f"body must be bytes, got {type(body).__name__}: {body!r}")
    check_int(chunk_size, "chunk_size", minimum=1)
    out = bytearray()
    for start in range(0, len(body), chunk_size):
        piece = body[start : start + chunk_size]
        out += b"%x\r\n%s\r\n" % (len(piece), piece)
    return bytes(out + b"0\r\n\r\n")
