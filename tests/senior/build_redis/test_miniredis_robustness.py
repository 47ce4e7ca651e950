"""Bad input never takes the server down: each bad client is answered or closed alone."""

from __future__ import annotations

import errno
import random
import socket
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.build_redis.server import ServerThread


def _exchange(port: int, payload: bytes, timeout: float = 2.0) -> bytes:
    """Send payload, half-close, return everything the server sent until it closed or went quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        chunks = []
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError, BrokenPipeError):
            pass
        except OSError as exc:  # the server closed first (ENOTCONN at shutdown)
            if exc.errno != errno.ENOTCONN:
                raise
        return b"".join(chunks)


def _ping(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"*1\r\n$4\r\nPING\r\n")
        return sock.recv(100)


@pytest.mark.parametrize(
    ("payload", "reply"),
    [
        (b"*1\r\n$-2\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"*1\r\n$99999999999999999999999\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
        (b"*99999999999\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
        (b"*1\r\n+PING\r\n", b"-ERR Protocol error: expected '$', got '+'\r\n"),
        (b"PING\r\n*1\r\nx\r\n", b"+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n"),
        (b'ECHO "open\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    ],
)
def test_protocol_errors_get_redis_error_reply_then_close(mini_server, payload, reply):
    assert _exchange(mini_server.port, payload) == reply
    assert _ping(mini_server.port) == b"+PONG\r\n"


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_random_garbage_never_hurts_other_clients(mini_server, garbage):
    _exchange(mini_server.port, garbage, timeout=0.3)
    assert _ping(mini_server.port) == b"+PONG\r\n"


def test_mutated_valid_frames_and_mid_frame_disconnects(mini_server):
    rng = random.Random(2024)
    valid = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
    for _ in range(150):
        frame = bytearray(valid)
        for _ in range(rng.randint(1, 4)):
            frame[rng.randrange(len(frame))] = rng.randrange(256)
        cut = rng.randint(1, len(frame))  # disconnect anywhere, even mid-frame
        with socket.create_connection(("127.0.0.1", mini_server.port), timeout=2) as sock:
            sock.sendall(bytes(frame[:cut]))
    assert _ping(mini_server.port) == b"+PONG\r\n"


def test_query_buffer_limit_closes_only_the_greedy_client():
    with ServerThread(max_query_buffer=64 * 1024) as srv:
        bystander = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        payload = b"*2\r\n$4\r\nECHO\r\n$10000000\r\n" + b"x" * 200_000
        reply = _exchange(srv.port, payload)
        # The server replies, then closes with the rest of the payload unread,
        # which makes Linux send a reset; a reset that overtakes the reply
        # discards it, so the reply is either complete or absent.
        assert reply in (b"-ERR Protocol error: client query buffer limit exceeded\r\n", b"")
        deadline = time.monotonic() + 5
        while len(srv.server.connections) > 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(srv.server.connections) == 1  # only the bystander is left
        bystander.sendall(b"PING\r\n")
        assert bystander.recv(100) == b"+PONG\r\n"
        bystander.close()


def test_a_client_that_never_reads_is_paused_not_buffered_forever():
    with ServerThread() as srv, socket.create_connection(("127.0.0.1", srv.port)) as sock:
        value = b"y" * 100_000
        sock.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$100000\r\n" + value + b"\r\n")
        assert sock.recv(5) == b"+OK\r\n"
        sock.sendall(b"GET big\r\n" * 2000)  # 200 MB of replies if all were buffered
        time.sleep(0.5)
        (conn,) = srv.server.connections
        assert conn.paused
        assert conn.transport.get_write_buffer_size() < 1_000_000
        assert conn.parser.buffered() > 0  # the rest waits, unparsed, in the query buffer
        reply = b"$100000\r\n" + value + b"\r\n"
        received = 0
        while received < 2000 * len(reply):  # reading drains everything, in order
            received += len(sock.recv(1 << 20))
        assert received == 2000 * len(reply)
