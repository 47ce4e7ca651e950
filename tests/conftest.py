"""Shared test configuration: Hypothesis profiles.

``dev`` (default) explores; ``ci`` (selected when the CI variable is set) runs
the same number of examples but derandomised, so a red CI run replays exactly.
Slow tests bound themselves with their own ``@settings``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
