"""The book's one rule for tests that need the real machine: run in CI, skip elsewhere.

Some tests talk to the real kernel (namespaces, cgroups, raw sockets) or to
real tools (``dig``, ``curl``, ``openssl``, ``redis-server``). In CI, which
runs as root on Linux and installs every tool (``.ci/run`` exports ``CI``),
such a test must run: a missing capability *fails* with what is missing, so
a broken CI machine cannot pass by skipping. On a reader's laptop (macOS, no
root) the same test is skipped with the reason.

Only the tests import this module; the library never does, so pytest is
imported where it is used rather than made a dependency of the package.
"""

from __future__ import annotations

import os


def require(reason: str | None) -> None:
    """Fail in CI, skip elsewhere, when ``reason`` says something is missing.

    Args:
        reason: what is missing (``"dig is not installed"``), or ``None`` when
            nothing is, in which case this returns and the test goes on.
    """
    if reason is None:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test on the real machine, but {reason}")
    pytest.skip(reason)
