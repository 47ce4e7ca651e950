"""Fixtures for the HTTP & TLS tests: a running server, and the rule for real tools.

With ``CI`` set (``.ci/run`` exports it and installs curl) a test that needs
``curl`` must run, so a missing tool *fails* loudly. Without ``CI`` the same
test is skipped with the reason.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from studybook._testing import require
from studybook.networking.http_tls import HttpServer, Limits


@pytest.fixture(scope="session")
def curl() -> str:
    """The path of the curl binary; required to exist."""
    path = shutil.which("curl")
    require(None if path else "curl is not installed (apt-get install curl)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def openssl() -> str:
    """The path of the openssl command; required to exist."""
    path = shutil.which("openssl")
    require(None if path else "the openssl command is not installed")
    assert path is not None
    return path


@pytest.fixture
def server() -> Iterator[HttpServer]:
    """A server on a free loopback port with small limits, stopped after the test."""
    limits = Limits(max_line=256, max_header_bytes=1024, max_headers=20, max_body=4096)
    with HttpServer(limits=limits, timeout=2.0) as srv:
        yield srv
