"""Health checks as Kubernetes uses them: startup, liveness and readiness probes.

Kubernetes (documentation "Configure Liveness, Readiness and Startup Probes",
v1.3x) gives each probe one consequence:

- **liveness** fails ``failureThreshold`` times in a row: the kubelet
  *kills the container*, which is then restarted as the pod's
  ``restartPolicy`` says (``Always`` for a Deployment's pods). Check only
  that the process can make progress (its event loop answers), never a
  dependency: a database outage would otherwise restart every pod at once.
- **readiness** fails: the pod is *removed from its Services' endpoints*
  (no traffic) but keeps running; it returns when the probe succeeds again.
  Dependencies, warm caches and draining belong here.
- **startup**: until it succeeds the other two probes are not run; if it
  fails ``failureThreshold`` times the container is killed, like liveness.
  Once it has succeeded it is not run again for that container.

The defaults (Probe in the ``core/v1`` API) are ``periodSeconds: 10``,
``timeoutSeconds: 1``, ``failureThreshold: 3``, ``successThreshold: 1``
(which must be 1 for liveness and startup) and ``initialDelaySeconds: 0``.

>>> h = HealthChecks(dependencies={"db": lambda: False})
>>> h.mark_started(); h.liveness(), h.readiness()
((200, 'ok'), (503, 'not ready: db'))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from studybook._validate import check_callable, check_int, check_str

__all__ = ["HealthChecks", "kubelet_actions"]


class HealthChecks:
    """The three endpoints a service exposes, answering ``(HTTP status, body)``.

    Args:
        dependencies: name -> a check that returns whether the dependency is usable;
            consulted by readiness only.
        heartbeat: a check that the process itself is making progress; consulted by
            liveness (default: always true).
    """

    def __init__(
        self,
        dependencies: Mapping[str, Callable[[], bool]] | None = None,
        heartbeat: Callable[[], bool] | None = None,
    ) -> None:
        deps = dict(dependencies or {})
        for name, check in deps.items():
            check_str(name, "dependency name", nonempty=True)
            check_callable(check, f"dependency {name!r}")
        if heartbeat is not None:
            check_callable(heartbeat, "heartbeat")
        self._dependencies = deps
        self._heartbeat = heartbeat
        self.started = False
        self.draining = False

    def mark_started(self) -> None:
        """Record that initialisation (config, caches, migrations) has finished."""
        self.started = True

    def startup(self) -> tuple[int, str]:
        """200 once :meth:`mark_started` was called, else 503."""
        return (200, "started") if self.started else (503, "starting")

    def liveness(self) -> tuple[int, str]:
        """200 unless the heartbeat says the process is stuck; dependencies are not consulted.

        >>> HealthChecks(heartbeat=lambda: False).liveness()
        (503, 'stuck')
        """
        if self._heartbeat is not None and not self._heartbeat():
            return 503, "stuck"
        return 200, "ok"

    def readiness(self) -> tuple[int, str]:
        """200 when started, not draining and every dependency check passes; else 503 naming why.

        >>> h = HealthChecks(); h.readiness()
        (503, 'not ready: starting')
        >>> h.mark_started(); h.draining = True; h.readiness()
        (503, 'not ready: draining')
        """
        if not self.started:
            return 503, "not ready: starting"
        if self.draining:
            return 503, "not ready: draining"
        failing = sorted(name for name, check in self._dependencies.items() if not check())
        if failing:
            return 503, "not ready: " + ", ".join(failing)
        return 200, "ready"


def kubelet_actions(
    results: Sequence[bool], kind: str, failure_threshold: int = 3, success_threshold: int = 1
) -> list[str]:
    """Return what the kubelet does after each probe result of one kind.

    Liveness and startup: ``"restart"`` after ``failure_threshold``
    consecutive failures (the count then starts again), else ``"none"``.
    A startup probe stops after its first success: later results are
    ``"none"`` (liveness and readiness take over).
    Readiness: ``"unready"`` after ``failure_threshold`` consecutive
    failures, ``"ready"`` after ``success_threshold`` consecutive successes,
    otherwise the previous state (a pod starts unready).

    Raises:
        ValueError: an unknown kind or a threshold below 1.

    Complexity: O(len(results)).

    >>> kubelet_actions([False, False, True, False, False, False], "liveness")
    ['none', 'none', 'none', 'none', 'none', 'restart']
    >>> kubelet_actions([True, False, False, False, True], "readiness")
    ['ready', 'ready', 'ready', 'unready', 'ready']
    >>> kubelet_actions([False, True, False, False, False], "startup")
    ['none', 'none', 'none', 'none', 'none']
    """
    if kind not in ("liveness", "readiness", "startup"):
        raise ValueError(f"kind must be liveness, readiness or startup, got {kind!r}")
    check_int(failure_threshold, "failure_threshold", minimum=1)
    check_int(success_threshold, "success_threshold", minimum=1)
    failures = successes = 0
    state = "unready"
    started = False
    actions = []
    for ok in results:
        if not isinstance(ok, bool):
            raise TypeError(f"probe results must be bools, got {ok!r}")
        failures, successes = (0, successes + 1) if ok else (failures + 1, 0)
        if kind == "startup" and (started or ok):
            started = True
            actions.append("none")
        elif kind == "readiness":
            if failures >= failure_threshold:
                state = "unready"
            elif successes >= success_threshold:
                state = "ready"
            actions.append(state)
        elif failures >= failure_threshold:
            actions.append("restart")
            failures = 0
        else:
            actions.append("none")
    return actions
