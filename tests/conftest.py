"""Shared test configuration: Hypothesis profiles, and a real PostgreSQL on demand.

``dev`` (default) explores; ``ci`` (selected when the CI variable is set) runs
the same number of examples but derandomised, so a red CI run replays exactly.
Slow tests bound themselves with their own ``@settings``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from studybook._testing import postgres_server

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL server for the whole session, started on first use.

    See :func:`studybook._testing.postgres_server`: a fresh cluster on a free
    loopback port, stopped and deleted at the end. In CI (which installs
    Debian's ``postgresql``) a missing server fails the test; elsewhere it skips.
    """
    with postgres_server() as dsn:
        yield dsn
