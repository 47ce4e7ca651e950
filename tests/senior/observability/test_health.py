"""Liveness ignores dependencies, readiness consults them; the kubelet's thresholds."""

from __future__ import annotations

import pytest

from studybook.senior.observability import HealthChecks, kubelet_actions


def test_a_dependency_outage_makes_the_pod_unready_but_not_dead() -> None:
    db_up = {"ok": True}
    h = HealthChecks(dependencies={"db": lambda: db_up["ok"], "cache": lambda: True})
    assert h.startup() == (503, "starting")
    assert h.readiness() == (503, "not ready: starting")
    h.mark_started()
    assert h.startup()[0] == h.liveness()[0] == h.readiness()[0] == 200
    db_up["ok"] = False
    assert h.liveness() == (200, "ok")
    assert h.readiness() == (503, "not ready: db")


def test_a_stuck_process_fails_liveness() -> None:
    assert HealthChecks(heartbeat=lambda: False).liveness() == (503, "stuck")


def test_kubelet_restarts_after_three_consecutive_liveness_failures_only() -> None:
    assert "restart" not in kubelet_actions([False, False, True] * 5, "liveness")
    assert kubelet_actions([False] * 6, "liveness") == ["none", "none", "restart"] * 2
    assert kubelet_actions([False] * 2, "startup", failure_threshold=2) == ["none", "restart"]


def test_readiness_flaps_without_restarts() -> None:
    actions = kubelet_actions([True, False, False, False, False, True, True], "readiness")
    assert actions == ["ready", "ready", "ready", "unready", "unready", "ready", "ready"]
    assert kubelet_actions([True, True], "readiness", success_threshold=2) == ["unready", "ready"]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: kubelet_actions([True], "health"), ValueError),
        (lambda: kubelet_actions([True], "liveness", failure_threshold=0), ValueError),
        (lambda: kubelet_actions([True], "liveness", failure_threshold=True), TypeError),
        (lambda: kubelet_actions([1], "liveness"), TypeError),  # type: ignore[list-item]
        (lambda: HealthChecks(dependencies={"db": 3}), TypeError),  # type: ignore[dict-item]
        (lambda: HealthChecks(heartbeat="yes"), TypeError),  # type: ignore[arg-type]
    ],
)
def test_health_bad_input(call, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match="got"):
        call()


def test_a_startup_probe_stops_after_its_first_success() -> None:
    # Kubernetes: liveness and readiness take over once startup succeeds; later
    # failures are theirs to act on, not the startup probe's.
    assert kubelet_actions([False, True] + [False] * 6, "startup") == ["none"] * 8
    restarted_then_started = kubelet_actions([False] * 3 + [True, False, False, False], "startup")
    assert restarted_then_started == ["none", "none", "restart"] + ["none"] * 4
