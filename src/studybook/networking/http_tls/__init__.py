"""HTTP and TLS: HTTP/1.1 framing and a loopback server, HTTP/2 frames and HPACK, TLS 1.3.

The web's transport stack, one layer per submodule: a strict HTTP/1.1
request parser that refuses request-smuggling ambiguities (:mod:`~.http1`),
a threaded keep-alive server on loopback (:mod:`~.server`), the HTTP
semantics interviewers ask about (:mod:`~.semantics`: method properties,
conditional GET, cookies, CORS, HSTS), HTTP/2 framing (:mod:`~.http2`), HPACK
header compression with Huffman coding (:mod:`~.hpack`) and a TLS 1.3
handshake against a throwaway CA (:mod:`~.tls`). Interviewers ask about them
because "what happens when you type a URL" ends here, and because keep-alive,
head-of-line blocking and certificate errors are daily production problems.

Invariants: the parser decides a request's length before reading its body
and never reads past ``Limits``; an HPACK encoder's and decoder's dynamic
tables stay equal after every header block; a handshake either verifies the
whole chain and host name or raises.

=======================  ===============================  ==================
function                 answers                          cost
=======================  ===============================  ==================
parse_request            one request, or HttpError(4xx)   O(bytes)
HttpServer               responses over loopback          O(bytes) per conn
encode/decode_frame      HTTP/2 frame header + payload    O(payload)
Encoder/Decoder          HPACK header blocks              O(headers · table)
handshake                TLS version, cipher, chain       one round trip
=======================  ===============================  ==================

>>> parse_request(b"GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n")
Traceback (most recent call last):
    ...
studybook.networking.http_tls.http1.HttpError: 400 Bad Request:
    HTTP/1.1 needs exactly one Host field, got 2

Primary sources: RFC 9110 (HTTP semantics), RFC 9112 (HTTP/1.1), RFC 9113
(HTTP/2), RFC 7541 (HPACK), RFC 8446 (TLS 1.3), RFC 9114 (HTTP/3), RFC 6797
(HSTS), RFC 6265 (cookies), WHATWG Fetch (CORS).
"""

from __future__ import annotations

import http.client
import ssl
from typing import TextIO

from studybook.networking.http_tls.hpack import (
    STATIC_TABLE,
    Decoder,
    Encoder,
    HpackError,
    decode_integer,
    encode_integer,
    huffman_decode,
    huffman_encode,
)
from studybook.networking.http_tls.http1 import (
    REASONS,
    HttpError,
    Limits,
    Request,
    Response,
    decode_chunked,
    encode_chunked,
    parse_request,
    read_request,
)
from studybook.networking.http_tls.http2 import (
    DEFAULT_MAX_FRAME_SIZE,
    FRAME_TYPES,
    PREFACE,
    Frame,
    FrameError,
    decode_frame,
    encode_frame,
)
from studybook.networking.http_tls.semantics import (
    METHODS,
    Cookie,
    Hsts,
    MethodProperties,
    conditional_get,
    needs_preflight,
    parse_cache_control,
    parse_hsts,
    parse_set_cookie,
)
from studybook.networking.http_tls.server import Handler, HttpServer, demo_handler
from studybook.networking.http_tls.tls import (
    Credential,
    Handshake,
    handshake,
    issue_certificate,
    make_ca,
)

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "FRAME_TYPES",
    "METHODS",
    "PREFACE",
    "REASONS",
    "STATIC_TABLE",
    "Cookie",
    "Credential",
    "Decoder",
    "Encoder",
    "Frame",
    "FrameError",
    "Handler",
    "Handshake",
    "HpackError",
    "Hsts",
    "HttpError",
    "HttpServer",
    "Limits",
    "MethodProperties",
    "Request",
    "Response",
    "conditional_get",
    "decode_chunked",
    "decode_frame",
    "decode_integer",
    "demo",
    "demo_handler",
    "encode_chunked",
    "encode_frame",
    "encode_integer",
    "handshake",
    "huffman_decode",
    "huffman_encode",
    "issue_certificate",
    "make_ca",
    "needs_preflight",
    "parse_cache_control",
    "parse_hsts",
    "parse_request",
    "parse_set_cookie",
    "read_request",
]


def demo(out: TextIO) -> None:
    """Serve a few requests on one keep-alive connection, compress headers, shake hands.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    HTTP/1.1 on one keep-alive connection (http.client -> HttpServer on 127.0.0.1)
      GET /          200  b'hello\\n'
      POST /echo     200  b'ping'
      GET /etag      304  b''  (If-None-Match: "v1")
      GET /chunked   200  57 bytes, Transfer-Encoding: chunked
      requests served: 4, TCP connections accepted: 1
    <BLANKLINE>
    HPACK: the same 4 request headers sent twice on one connection
      block 1: 28 bytes (raw text 90 bytes)
      block 2: 4 bytes (every field now indexed)
    <BLANKLINE>
    TLS over loopback against a throwaway root CA
      version TLSv1.3, cipher TLS_AES_256_GCM_SHA384
      chain: localhost [DNS:localhost] issued by studybook test root
      chain: studybook test root (trusted root, self-signed)
      wrong CA:    unable to get local issuer certificate
      wrong host:  Hostname mismatch, certificate is not valid for 'example.com'.
      expired:     certificate has expired
    """
    with HttpServer() as srv:
        conn = http.client.HTTPConnection(*srv.address, timeout=5)
        out.write(
            f"HTTP/1.1 on one keep-alive connection (http.client -> HttpServer on {srv.host})\n"
        )
        steps: list[tuple[str, str, bytes | None, dict[str, str]]] = [
            ("GET", "/", None, {}),
            ("POST", "/echo", b"ping", {}),
            ("GET", "/etag", None, {"If-None-Match": '"v1"'}),
            ("GET", "/chunked", None, {}),
        ]
        for method, path, body, headers in steps:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            label = f"{method} {path}".ljust(14)
            if path == "/chunked":
                te = resp.getheader("Transfer-Encoding")
                out.write(f"  {label} {resp.status}  {len(data)} bytes, Transfer-Encoding: {te}\n")
            elif path == "/etag":
                out.write(f'  {label} {resp.status}  {data!r}  (If-None-Match: "v1")\n')
            else:
                out.write(f"  {label} {resp.status}  {data!r}\n")
        conn.close()
    served, accepted = srv.requests_served, srv.connections_accepted
    out.write(f"  requests served: {served}, TCP connections accepted: {accepted}\n\n")

    request = [(":method", "GET"), (":path", "/index.html"), (":authority", "www.example.com"),
               ("user-agent", "studybook/1.0")]  # fmt: skip
    raw = sum(len(n) + len(v) + 4 for n, v in request)  # "name: value\r\n"
    encoder = Encoder()
    out.write("HPACK: the same 4 request headers sent twice on one connection\n")
    out.write(f"  block 1: {len(encoder.encode(request))} bytes (raw text {raw} bytes)\n")
    out.write(f"  block 2: {len(encoder.encode(request))} bytes (every field now indexed)\n\n")

    ca = make_ca()
    good = issue_certificate(ca, "localhost")
    result = handshake(good, ca.cert_pem, "localhost")
    out.write("TLS over loopback against a throwaway root CA\n")
    out.write(f"  version {result.version}, cipher {result.cipher}\n")
    for link in result.chain:
        out.write(f"  chain: {link}\n")
    failures = [
        ("wrong CA:   ", issue_certificate(make_ca("another root"), "localhost"), "localhost"),
        ("wrong host: ", good, "example.com"),
        ("expired:    ", issue_certificate(ca, not_before_days=10, valid_days=1), "localhost"),
    ]
    for label, cred, host in failures:
        try:
            handshake(cred, ca.cert_pem, host)
        except ssl.SSLCertVerificationError as exc:
            out.write(f"  {label} {exc.verify_message}\n")
