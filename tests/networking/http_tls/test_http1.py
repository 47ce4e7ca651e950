"""The HTTP/1.1 parser: valid requests round-trip, every smuggling shape is refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.http_tls import (
    HttpError,
    Limits,
    Response,
    decode_chunked,
    encode_chunked,
    parse_request,
    read_request,
)

TOKEN = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
VALUE = st.text("abcdefghijklmnopqrstuvwxyz ABC=;,/0123456789", max_size=30).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    path=TOKEN.map(lambda t: "/" + t),
    fields=st.lists(st.tuples(TOKEN.filter(lambda t: t != "host" and "length" not in t
                                            and "encoding" not in t), VALUE), max_size=8),
    body=st.binary(max_size=300),
    chunked=st.booleans(),
    chunk_size=st.integers(1, 64),
)  # fmt: skip
def test_serialised_requests_parse_back(
    method: str,
    path: str,
    fields: list[tuple[str, str]],
    body: bytes,
    chunked: bool,
    chunk_size: int,
) -> None:
    head = f"{method} {path} HTTP/1.1\r\nHost: example\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in fields)
    if chunked:
        wire = (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + encode_chunked(
            body, chunk_size
        )
    else:
        wire = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    req = parse_request(wire)
    assert (req.method, req.target, req.version, req.body) == (method, path, "HTTP/1.1", body)
    assert req.headers[1 : 1 + len(fields)] == tuple((n.lower(), v) for n, v in fields)


@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=2000), chunk_size=st.integers(1, 700))
def test_chunked_round_trip(body: bytes, chunk_size: int) -> None:
    wire = encode_chunked(body, chunk_size)
    assert decode_chunked(wire) == body
    sizes = [len(body[i : i + chunk_size]) for i in range(0, len(body), chunk_size)]
    assert len(wire) == sum(len(f"{n:x}") + n + 4 for n in sizes) + len(b"0\r\n\r\n")


def test_pipelined_requests_are_read_one_at_a_time() -> None:
    stream = io.BytesIO(
        b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
        b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    first, second = read_request(stream), read_request(stream)
    assert first is not None
    assert second is not None
    assert (first.target, first.body, second.target) == ("/a", b"hi", "/b")
    assert read_request(stream) is None


@pytest.mark.parametrize(
    ("connection", "version", "expected"),
    [(None, "1.1", True), ("close", "1.1", False), ("Keep-Alive, Upgrade", "1.1", True),
     (None, "1.0", False), ("keep-alive", "1.0", True), ("foo, CLOSE", "1.1", False)],
)  # fmt: skip
def test_keep_alive_defaults(connection: str | None, version: str, expected: bool) -> None:
    extra = f"Connection: {connection}\r\n" if connection else ""
    req = parse_request(f"GET / HTTP/{version}\r\nHost: h\r\n{extra}\r\n".encode())
    assert req.keep_alive is expected


def wrong(value: object) -> Any:
    """Pass a deliberately mistyped argument past the type checker."""
    return value


SMALL = Limits(max_line=64, max_header_bytes=200, max_headers=4, max_body=16)
GOOD = b"GET / HTTP/1.1\r\nHost: h\r\n"
CL = b"Content-Length"
TE = b"Transfer-Encoding: chunked\r\n\r\n"

REJECTED = [
    # (name, bytes, status, words in the message)
    ("te-and-cl", GOOD + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
     "both Transfer-Encoding and Content-Length"),
    ("cl-twice-equal", GOOD + CL + b": 1\r\n" + CL + b": 1\r\n\r\nx", 400, "2 Content-Length"),
    ("cl-conflicting", GOOD + CL + b": 1\r\n" + CL + b": 2\r\n\r\nxy", 400, "Content-Length"),
    ("cl-list", GOOD + b"Content-Length: 1, 1\r\n\r\nx", 400, "invalid Content-Length '1, 1'"),
    ("cl-negative", GOOD + b"Content-Length: -1\r\n\r\n", 400, "invalid Content-Length '-1'"),
    ("cl-plus", GOOD + b"Content-Length: +1\r\n\r\nx", 400, "invalid Content-Length"),
    ("cl-nan", GOOD + b"Content-Length: nan\r\n\r\n", 400, "invalid Content-Length 'nan'"),
    ("cl-hex", GOOD + b"Content-Length: 0x1\r\n\r\nx", 400, "invalid Content-Length"),
    ("cl-too-large", GOOD + b"Content-Length: 17\r\n\r\n", 413, "exceeds max_body=16"),
    ("cl-huge", GOOD + b"Content-Length: 99999999999999999999\r\n\r\n", 413, "exceeds"),
    ("te-gzip", GOOD + b"Transfer-Encoding: gzip\r\n\r\n", 400, "not the final"),
    ("te-identity", GOOD + b"Transfer-Encoding: identity\r\n\r\n", 400, "['identity']"),
    ("te-gzip-chunked", GOOD + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
     "transfer coding 'gzip' is not implemented"),
    ("te-chunked-twice", GOOD + b"Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400,
     "chunked applied 2 times"),
    ("te-chunked-not-last", GOOD + b"Transfer-Encoding: chunked, gzip\r\n\r\n", 400,
     "chunked is not the final transfer coding: ['chunked', 'gzip']"),
    ("te-http10", b"POST / HTTP/1.0\r\n" + TE + b"0\r\n\r\n", 400, "HTTP/1.0"),
    ("chunk-negative", GOOD + TE + b"-1\r\n", 400, "invalid chunk size b'-1'"),
    ("chunk-0x", GOOD + TE + b"0x1\r\nx\r\n0\r\n\r\n", 400, "invalid chunk size b'0x1'"),
    ("chunk-space", GOOD + TE + b" 1\r\nx\r\n0\r\n\r\n", 400, "invalid chunk size b' 1'"),
    ("chunk-empty", GOOD + TE + b"\r\n", 400, "invalid chunk size b''"),
    ("chunk-no-crlf", GOOD + TE + b"1\r\nxy0\r\n\r\n", 400, "not followed"),
    ("chunk-too-large", GOOD + TE + b"ff\r\n", 413, "max_body=16"),
    ("chunk-huge", GOOD + TE + b"f" * 40 + b"\r\n", 413, "max_body=16"),
    ("chunk-truncated", GOOD + TE + b"5\r\nab", 400, "truncated"),
    ("obs-fold", GOOD + b"X-A: 1\r\n  continued\r\n\r\n", 400, "obs-fold"),
    ("space-before-colon", GOOD + b"X-A : 1\r\n\r\n", 400, "whitespace before ':'"),
    ("space-in-name", GOOD + b"X A: 1\r\n\r\n", 400, "malformed field name"),
    ("no-colon", GOOD + b"garbage\r\n\r\n", 400, "without ':'"),
    ("bare-lf", b"GET / HTTP/1.1\nHost: h\n\n", 400, "bare LF"),
    ("bare-lf-header", GOOD + b"X-A: 1\n\r\n", 400, "bare LF"),
    ("bare-cr", GOOD + b"X-A: 1\r2\r\n\r\n", 400, "bare CR"),
    ("nul-in-value", GOOD + b"X-A: 1\x002\r\n\r\n", 400, "control character"),
    ("no-host", b"GET / HTTP/1.1\r\n\r\n", 400, "exactly one Host field, got 0"),
    ("two-hosts", GOOD + b"Host: i\r\n\r\n", 400, "got 2"),
    ("two-hosts-http10", b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400,
     "HTTP/1.0 needs exactly one Host field, got 2"),
    ("no-host-http19", b"GET / HTTP/1.9\r\n\r\n", 400, "got 0"),
    ("two-empty-lines", b"\r\n\r\n" + GOOD + b"\r\n", 400, "malformed request line b''"),
    ("two-spaces", b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed request line"),
    ("no-version", b"GET /\r\nHost: h\r\n\r\n", 400, "malformed request line"),
    ("lowercase-version", b"GET / http/1.1\r\nHost: h\r\n\r\n", 400, "malformed HTTP version"),
    ("http2-version", b"GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "HTTP/2.0"),
    ("bad-method", b"G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed method"),
    ("long-line", b"GET /" + b"a" * 100 + b" HTTP/1.1\r\n\r\n", 414, "longer than 64"),
    ("long-header", GOOD + b"X-A: " + b"v" * 300 + b"\r\n\r\n", 431, "header section"),
    ("many-headers", GOOD + b"".join(b"X-%d: 1\r\n" % i for i in range(5)) + b"\r\n", 431,
     "max_headers=4"),
    ("truncated-head", b"GET / HTTP/1.1\r\nHost: h\r\n", 400, "end of stream"),
    ("truncated-body", GOOD + b"Content-Length: 5\r\n\r\nab", 400, "2 of 5"),
    ("trailing-bytes", GOOD + b"\r\nextra", 400, "5 bytes after"),
    ("empty", b"", 400, "empty request"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "status", "words"), [r[1:] for r in REJECTED],
                         ids=[r[0] for r in REJECTED])  # fmt: skip
def test_malformed_and_smuggling_requests_are_refused(data: bytes, status: int, words: str) -> None:
    with pytest.raises(HttpError) as info:
        parse_request(data, SMALL)
    assert info.value.status == status
    assert words in str(info.value)


def test_one_empty_line_before_the_request_line_is_skipped() -> None:
    # RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line
    assert parse_request(b"\r\n" + GOOD + b"\r\n").target == "/"


def test_http_1_x_above_1_1_is_treated_as_1_1() -> None:
    req = parse_request(b"GET / HTTP/1.9\r\nHost: h\r\n\r\n")
    assert (req.version, req.keep_alive) == ("HTTP/1.9", True)


def test_chunk_extensions_and_trailers_are_accepted() -> None:
    wire = GOOD + b"Transfer-Encoding: Chunked\r\n\r\n3;name=val\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"
    assert parse_request(wire).body == b"abc"


def test_response_without_body_for_304_and_head() -> None:
    assert Response(304, (("ETag", '"v"'),), b"ignored").to_bytes() == (
        b'HTTP/1.1 304 Not Modified\r\nETag: "v"\r\n\r\n'
    )
    assert Response(200, body=b"abc").to_bytes(head=True).endswith(b"Content-Length: 3\r\n\r\n")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: parse_request(wrong("GET /")), TypeError, "data must be bytes, got str"),
        (
            lambda: parse_request(b"x", limits=wrong(3)),
            TypeError,
            "limits must be a Limits, got int",
        ),
        (lambda: Limits(max_body=True), TypeError, "max_body must be an int, got bool: True"),
        (lambda: Limits(max_headers=0), ValueError, "max_headers must be >= 1, got 0"),
        (
            lambda: Limits(max_line=wrong(float("nan"))),
            TypeError,
            "max_line must be an int, got float: nan",
        ),
        (lambda: encode_chunked(b"x", -1), ValueError, "chunk_size must be >= 1, got -1"),
        (lambda: encode_chunked(b"x", True), TypeError, "chunk_size must be an int, got bool"),
        (lambda: encode_chunked(wrong("x")), TypeError, "body must be bytes, got str"),
        (lambda: decode_chunked(wrong(None)), TypeError, "data must be bytes, got NoneType"),
        (lambda: Response(99).to_bytes(), ValueError, "status must be in [100, 599], got 99"),
        (lambda: Response(True).to_bytes(), TypeError, "status must be an int, got bool"),
        (
            lambda: Response(200, (("X", "a\r\nSet-Cookie: x=1"),)).to_bytes(),
            ValueError,
            "invalid response field 'X'",
        ),
        (lambda: Response(200, (("Bad Name", "v"),)).to_bytes(), ValueError, "'Bad Name'"),
    ],
)
def test_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)
