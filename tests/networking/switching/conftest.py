"""The one place that decides whether the real-kernel ARP test runs, skips or fails.

With ``CI`` set (the lead's ``.ci/run`` exports it; CI runs as root on Linux)
the test must run, so a missing capability *fails* with what is missing.
Without ``CI`` (a reader's laptop, macOS, no root) it is skipped with that
reason. The idea is the containers chapter's (tests/infra/containers/conftest.py).
"""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest

from studybook._testing import require


def _netns_problem() -> str | None:
    if not hasattr(socket, "AF_PACKET"):
        return "this platform has no AF_PACKET sockets (Linux only)"
    for tool in ("unshare", "ip"):
        if shutil.which(tool) is None:
            return f"the {tool!r} command is not installed"
    probe = subprocess.run(
        ["unshare", "--net", "true"], capture_output=True, text=True, timeout=10, check=False
    )
    if probe.returncode != 0:
        return f"cannot create a network namespace (needs root): {probe.stderr.strip()}"
    return None


@pytest.fixture(scope="session")
def netns() -> None:
    """Require a machine that can create a private network namespace with veth pairs."""
    require(_netns_problem())
