"""Fixtures: a real redis-server and MiniRedis on free loopback ports, and a raw RESP client."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from studybook.senior.build_redis.processes import redis_server_process
from studybook.senior.build_redis.protocol import encode_command
from studybook.senior.build_redis.server import ServerThread

Reply = object


class RawClient:
    """Send commands as RESP arrays; read one reply and return it parsed and raw.

    With ``proto=3`` the connection starts with ``HELLO 3``. A parsed reply is
    ``(type byte, value)``: doubles keep their exact text, maps become lists of
    pairs, so two servers' replies compare exactly, types included.
    """

    def __init__(self, port: int, proto: int = 2) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.file = self.sock.makefile("rb")
        if proto == 3:
            kind, _ = self.call("HELLO", "3")[0]  # type: ignore[misc]
            assert kind == b"%", "HELLO 3 did not answer with a map"

    def call(self, *args: bytes | str | int) -> tuple[Reply, bytes]:
        self.sock.sendall(encode_command(*args))
        return self.read()

    def read(self) -> tuple[Reply, bytes]:
        raw: list[bytes] = []
        return self._read(raw), b"".join(raw)

    def _read(self, raw: list[bytes]) -> Reply:
        line = self.file.readline()
        if not line:
            raise ConnectionError("server closed the connection")
        raw.append(line)
        kind, body = line[:1], line[1:-2]
        if kind in (b"+", b"-", b",", b"#", b"(", b"_"):  # one-line types, text kept exact
            return (kind, body)
        if kind == b":":
            return (kind, int(body))
        if kind in (b"$", b"=", b"!"):  # bulk, verbatim and bulk error
            if int(body) < 0:
                return (kind, None)
            data = self.file.read(int(body) + 2)
            raw.append(data)
            return (kind, data[:-2])
        if kind in (b"*", b"~", b">"):  # array, set, push
            if int(body) < 0:
                return (kind, None)
            return (kind, [self._read(raw) for _ in range(int(body))])
        if kind == b"%":
            return (kind, [(self._read(raw), self._read(raw)) for _ in range(int(body))])
        raise ValueError(f"not a RESP reply: {line!r}")

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture(scope="session")
def raw_client_class() -> type[RawClient]:
    """The RawClient class, for tests that open their own connections (e.g. under Hypothesis)."""
    return RawClient


@pytest.fixture(scope="session")
def real_redis_port() -> Iterator[int]:
    # No skip: CI installs redis-server, and a missing server must fail loudly.
    with redis_server_process() as port:
        yield port


@pytest.fixture(scope="session")
def mini_server() -> Iterator[ServerThread]:
    with ServerThread() as srv:
        yield srv


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def proto(request: pytest.FixtureRequest) -> int:
    """Run a test once per protocol version."""
    return int(request.param)


@pytest.fixture
def mini(mini_server: ServerThread, proto: int) -> Iterator[RawClient]:
    client = RawClient(mini_server.port, proto)
    client.call("FLUSHALL")
    yield client
    client.close()


@pytest.fixture
def real(real_redis_port: int, proto: int) -> Iterator[RawClient]:
    client = RawClient(real_redis_port, proto)
    client.call("FLUSHALL")
    yield client
    client.close()
