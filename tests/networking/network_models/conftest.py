"""The one place that decides whether the real-kernel capture tests run, skip or fail.

With ``CI`` set (the lead's ``.ci/run`` exports it; CI runs as root on Linux)
a loopback capture must run, so a missing capability *fails* with what is
missing. Without ``CI`` (a reader's laptop, macOS, no root) it is skipped with
that reason. The idea is the containers chapter's (tests/infra/containers/conftest.py).
"""

from __future__ import annotations

import socket

import pytest

from studybook._testing import require


def _capture_problem() -> str | None:
    if not hasattr(socket, "AF_PACKET"):
        return "this platform has no AF_PACKET sockets (Linux only)"
    try:
        probe = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    except PermissionError as exc:
        return f"opening an AF_PACKET socket needs root or CAP_NET_RAW: {exc}"
    except OSError as exc:
        return f"cannot open an AF_PACKET socket: {exc}"
    try:
        probe.bind(("lo", 0))
    except OSError as exc:
        return f"cannot bind an AF_PACKET socket to lo: {exc}"
    finally:
        probe.close()
    return None


@pytest.fixture
def lo_capture() -> socket.socket:
    """An ``AF_PACKET`` socket on ``lo`` receiving every frame (ETH_P_ALL), 2 s timeout."""
    require(_capture_problem())
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    sock.bind(("lo", 0))
    sock.settimeout(2.0)
    return sock
