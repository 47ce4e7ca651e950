"""Fixtures: each recipe runs against MiniRedis and against a real redis-server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator

import pytest
import redis

from studybook._testing import require
from studybook.senior.build_redis.processes import redis_server_process
from studybook.senior.build_redis.server import ServerThread


@pytest.fixture(scope="session")
def mini_server() -> Iterator[ServerThread]:
    with ServerThread() as srv:
        yield srv


@pytest.fixture(scope="session")
def mini_port(mini_server: ServerThread) -> int:
    return mini_server.port


@pytest.fixture(scope="session")
def real_port() -> Iterator[int]:
    require(None if shutil.which("redis-server") else "redis-server is not installed")
    with redis_server_process() as port:
        yield port


@pytest.fixture(params=["miniredis", "redis-server"])
def port(request: pytest.FixtureRequest) -> int:
    """The port of one server; every test using it runs once per server."""
    name = "mini_port" if request.param == "miniredis" else "real_port"
    return int(request.getfixturevalue(name))


@pytest.fixture
def client(port: int) -> Iterator[redis.Redis]:
    conn = redis.Redis(port=port, decode_responses=True, socket_timeout=10)
    conn.flushall()
    yield conn
    conn.close()


@pytest.fixture
def wait_parked(port: int, client: redis.Redis, mini_server: ServerThread) -> Callable[[int], None]:
    """Wait until the server has ``n`` clients parked in a blocking command.

    redis-server reports ``blocked_clients`` in ``INFO clients``; MiniRedis' INFO
    does not, so its server object is asked directly.
    """

    def count() -> int:
        if port == mini_server.port:
            return len(mini_server.server.blocked)
        return int(client.info("clients")["blocked_clients"])

    def wait(n: int) -> None:
        deadline = time.monotonic() + 5
        while count() != n:
            assert time.monotonic() < deadline, f"never saw {n} blocked clients"
            time.sleep(0.002)

    return wait
