"""Fixtures for the real-tool tests: a free loopback port, a running server, ``dig``.

With ``CI`` set (the lead's ``.ci/run`` exports it, and CI installs
bind9-dnsutils) a test that needs ``dig`` must run, so a missing tool *fails*
with what is missing. Without ``CI`` the same test is skipped with that reason.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator

import pytest

from studybook._testing import require
from studybook.networking.dns import DnsServer, example_internet


@pytest.fixture
def free_port() -> int:
    """A UDP port on 127.0.0.1 that was free a moment ago (the kernel picked it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def server(free_port: int) -> Iterator[DnsServer]:
    """example.com's authoritative server, serving on the free port for one test."""
    with DnsServer(example_internet()["192.0.2.53"], port=free_port) as running:
        assert running.port == free_port
        yield running


@pytest.fixture(scope="session")
def dig() -> str:
    """The path of ``dig`` (Debian package bind9-dnsutils); required in CI."""
    path = shutil.which("dig")
    require(None if path else "dig is not installed (apt-get install bind9-dnsutils)")
    assert path is not None
    return path
