"""Fixtures for the rate-limiting tests: a fake clock, MiniRedis and a real redis-server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from studybook.senior.build_redis.processes import redis_server_process
from studybook.senior.build_redis.server import ServerThread


@pytest.fixture(scope="module")
def mini_port() -> Iterator[int]:
    with ServerThread() as srv:
        yield srv.port


@pytest.fixture(scope="module")
def real_port() -> Iterator[int]:
    with redis_server_process() as port:  # fails, not skips, without redis-server
        yield port


@pytest.fixture(params=["miniredis", "redis-server"])
def client(request: pytest.FixtureRequest) -> Iterator[redis.Redis]:
    port = request.getfixturevalue("mini_port" if request.param == "miniredis" else "real_port")
    c = redis.Redis(port=port, protocol=2)
    c.flushall()
    yield c
    c.close()
