"""The loopback server, driven by http.client, urllib, curl and raw sockets."""

from __future__ import annotations

import http.client
import socket
import subprocess
import urllib.error
import urllib.request

import pytest

from studybook.networking.http_tls import HttpServer, Request, Response


def _raw(server: HttpServer, data: bytes) -> bytes:
    """Send ``data`` on a fresh socket and read until the server closes it."""
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_http_client_reuses_one_connection(server: HttpServer) -> None:
    conn = http.client.HTTPConnection(*server.address, timeout=5)
    replies = []
    for body in (b"one", b"two", b"three"):
        conn.request("POST", "/echo", body=body)
        resp = conn.getresponse()
        replies.append((resp.status, resp.read(), resp.will_close))
    conn.close()
    assert replies == [(200, b"one", False), (200, b"two", False), (200, b"three", False)]
    assert (server.connections_accepted, server.requests_served) == (1, 3)


def test_http_client_chunked_upload_and_chunked_response(server: HttpServer) -> None:
    conn = http.client.HTTPConnection(*server.address, timeout=5)
    conn.request("POST", "/echo", body=iter([b"ab", b"", b"cde"]), encode_chunked=True)
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"abcde")
    conn.request("GET", "/chunked")
    resp = conn.getresponse()
    assert resp.getheader("Transfer-Encoding") == "chunked"
    assert resp.read() == b"streamed in chunks\n" * 3
    conn.close()
    assert server.connections_accepted == 1


def test_connection_close_is_honoured(server: HttpServer) -> None:
    reply = _raw(server, b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
    assert reply == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
        b"Connection: close\r\n\r\nhello\n"
    )
    # HTTP/1.0 is not persistent by default: the server closes after one reply.
    assert _raw(server, b"GET / HTTP/1.0\r\n\r\n").endswith(b"Connection: close\r\n\r\nhello\n")


def test_pipelined_requests_get_replies_in_order(server: HttpServer) -> None:
    reply = _raw(
        server,
        b"POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nA"
        b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nB\r\n0\r\n\r\n"
        b"GET /nope HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    )
    assert reply.count(b"HTTP/1.1 ") == 3
    assert reply.index(b"\r\n\r\nA") < reply.index(b"\r\n\r\nB") < reply.index(b"404 Not Found")


def test_urllib_get_post_conditional_and_errors(server: HttpServer) -> None:
    base = "http://{}:{}".format(*server.address)
    with urllib.request.urlopen(base + "/", timeout=5) as resp:  # noqa: S310 - loopback
        assert (resp.status, resp.read()) == (200, b"hello\n")
    post = urllib.request.Request(  # noqa: S310 - loopback
        base + "/echo", data=b"x=1", method="POST"
    )
    with urllib.request.urlopen(post, timeout=5) as resp:  # noqa: S310
        assert resp.read() == b"x=1"
    cond = urllib.request.Request(  # noqa: S310 - loopback
        base + "/etag", headers={"If-None-Match": 'W/"v1"'}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(cond, timeout=5)  # noqa: S310
    assert info.value.code == 304
    info.value.close()
    big = urllib.request.Request(  # noqa: S310 - loopback
        base + "/echo", data=b"x" * 5000, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(big, timeout=5)  # noqa: S310
    assert info.value.code == 413
    assert b"Content-Length 5000 exceeds max_body=4096" in info.value.read()
    info.value.close()


def test_oversized_header_gets_431_and_long_target_414(server: HttpServer) -> None:
    conn = http.client.HTTPConnection(*server.address, timeout=5)
    conn.request("GET", "/", headers={"X-Big": "v" * 2000})
    resp = conn.getresponse()
    assert (resp.status, resp.getheader("Connection")) == (431, "close")
    resp.read()
    conn.close()
    assert _raw(server, b"GET /" + b"a" * 300 + b" HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 414 ")


@pytest.mark.parametrize(
    ("data", "status_line"),
    [
        (b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
         b"HTTP/1.1 400 Bad Request"),
        (b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         b"HTTP/1.1 400 Bad Request"),
        (b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (b"GET / HTTP/1.1\r\nHost : h\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
         b"HTTP/1.1 400 Bad Request"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"HTTP/1.1 505 HTTP Version Not Supported"),
        (b"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n",
         b"HTTP/1.1 400 Bad Request"),
        (b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
         b"HTTP/1.1 501 Not Implemented"),
    ],
)  # fmt: skip
def test_raw_malformed_requests_get_an_error_and_a_close(
    server: HttpServer, data: bytes, status_line: bytes
) -> None:
    reply = _raw(server, data)  # returns only because the server closed the connection
    assert reply.startswith(status_line + b"\r\n")
    assert b"Connection: close\r\n" in reply


def test_garbage_on_one_connection_does_not_disturb_another(server: HttpServer) -> None:
    good = http.client.HTTPConnection(*server.address, timeout=5)
    good.request("GET", "/")
    assert good.getresponse().read() == b"hello\n"
    with socket.create_connection(server.address, timeout=5) as bad:
        bad.sendall(bytes(range(256)) * 8)  # binary noise: no CRLF, bare LF, NULs
        assert bad.recv(100).startswith(b"HTTP/1.1 400 Bad Request")
    silent = socket.create_connection(server.address, timeout=5)  # opens, never sends
    good.request("POST", "/echo", body=b"still here")
    assert good.getresponse().read() == b"still here"
    silent.close()
    good.close()
    assert 400 in server.errors


def test_handler_exception_is_a_500_and_the_server_lives_on() -> None:
    def flaky(request: Request) -> Response:
        if request.target == "/boom":
            raise RuntimeError("bug in the application")
        return Response(200, body=b"ok")

    with HttpServer(flaky) as srv:
        conn = http.client.HTTPConnection(*srv.address, timeout=5)
        conn.request("GET", "/boom")
        failed = conn.getresponse()
        assert (failed.status, failed.read()) == (500, b"internal error\n")
        conn.request("GET", "/fine")
        assert conn.getresponse().read() == b"ok"
        conn.close()


def test_a_response_that_cannot_be_serialised_is_a_500() -> None:
    def splitting(request: Request) -> Response:
        if request.target == "/split":  # header injection: must not reach the wire
            return Response(200, (("X-A", "1\r\nSet-Cookie: s=1"),), b"")
        return (
            Response(200, (("X-Euro", "\u20ac"),), b"")
            if request.target == "/euro"
            else (Response(200, body=b"ok"))
        )

    with HttpServer(splitting) as srv:
        conn = http.client.HTTPConnection(*srv.address, timeout=5)
        for target in ("/split", "/euro"):
            conn.request("GET", target)
            resp = conn.getresponse()
            assert (resp.status, resp.getheader("Set-Cookie"), resp.read()) == (
                500,
                None,
                b"internal error\n",
            )
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"ok"
        conn.close()


def test_many_connections_leave_no_thread_behind() -> None:
    with HttpServer() as srv:
        for _ in range(40):
            assert _raw(srv, b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").endswith(
                b"hello\n"
            )
        with socket.create_connection(srv.address, timeout=5) as last:
            last.sendall(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            assert last.recv(4096).endswith(b"hello\n")
            assert srv.connections_accepted == 41
            assert len(srv._threads) < 10  # finished connection threads are forgotten


def test_curl_get_post_chunked_and_reuse(server: HttpServer, curl: str) -> None:
    base = "http://{}:{}".format(*server.address)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [curl, "--silent", "--show-error", "--max-time", "5", *args],
            capture_output=True, text=True, check=True, timeout=10,
        )  # fmt: skip

    assert run(base + "/").stdout == "hello\n"
    assert run("--data-binary", "payload", base + "/echo").stdout == "payload"
    chunked = run("-H", "Transfer-Encoding: chunked", "--data-binary", "in chunks", base + "/echo")
    assert chunked.stdout == "in chunks"
    both = run("-v", base + "/", base + "/etag")
    assert both.stdout == "hello\ncacheable\n"
    assert "Re-using existing connection" in both.stderr or "Reusing existing" in both.stderr
    status = run(
        "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "y" * 5000, base + "/echo"
    )
    assert status.stdout == "413"
    assert run("-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", base + "/").stdout == "405"


def test_bad_server_arguments() -> None:
    with pytest.raises(TypeError, match="port must be an int, got bool: True"):
        HttpServer(port=True)
    with pytest.raises(ValueError, match="port must be in"):
        HttpServer(port=70000)
    with pytest.raises(TypeError, match="handler must be callable, got 3"):
        HttpServer(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout must be a finite number > 0, got -1"):
        HttpServer(timeout=-1)
    with pytest.raises(RuntimeError, match="not running"):
        _ = HttpServer().address
