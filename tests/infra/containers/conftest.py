"""The one place that decides whether the real-kernel tests run, skip or fail.

With ``CI`` set (the lead's ``.ci/run`` exports it; CI runs as root on
Linux) a test that needs namespaces or a cgroup v2 hierarchy must run, so a
missing feature *fails* with what is missing. Without ``CI`` (a reader's
laptop, macOS, no root) the same test is skipped with that reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studybook._testing import require
from studybook.infra.containers import cgroup2_mount, namespace_support


@pytest.fixture(scope="session")
def namespaces() -> None:
    """Require a machine that can create pid, uts and net namespaces."""
    require(namespace_support())


@pytest.fixture(scope="session")
def cgroup2() -> Path:
    """The cgroup2 mount point; required to exist."""
    try:
        return cgroup2_mount()
    except FileNotFoundError as exc:
        require(f"no cgroup v2 hierarchy: {exc}")
        raise  # pragma: no cover - require() has skipped or failed


@pytest.fixture
def writable_cgroup(cgroup2: Path) -> Path:
    """A cgroup2 directory this process may create children in (the hierarchy's root)."""
    if not os.access(cgroup2, os.W_OK):
        require(f"{cgroup2} is not writable (need root, and a read-write cgroup mount)")
    return cgroup2
