"""A Deployment's rolling update: ``maxSurge``/``maxUnavailable`` resolved and simulated.

A rolling update moves a Deployment from its old ReplicaSet to a new one in
small steps, bounded by two numbers from ``spec.strategy.rollingUpdate``.
The API reference (apps/v1 ``RollingUpdateDeployment``, v1.3x) defines them:

- ``maxSurge``: "The maximum number of pods that can be scheduled above the
  desired number of pods. [...] Absolute number is calculated from
  percentage by rounding up. Defaults to 25%."
- ``maxUnavailable``: "The maximum number of pods that can be unavailable
  during the update. [...] Absolute number is calculated from percentage by
  rounding down. [...] Defaults to 25%."

and each "can not be 0 if" the other is 0. API validation also refuses a
``maxUnavailable`` percentage over 100% (``maxSurge`` may exceed 100%), and
when both *resolve* to 0 after rounding (1 replica, ``0%`` and ``25%``), the
deployment controller's ``ResolveFenceposts`` sets ``maxUnavailable`` to 1
so the rollout can progress.

Invariant of every step: total pods <= replicas + surge, and available pods
>= replicas - unavailable (once the old pods were all available).

>>> resolve_fenceposts(10)
(3, 2)
>>> resolve_fenceposts(10, "0%", 0)
Traceback (most recent call last):
    ...
ValueError: maxSurge and maxUnavailable may not both be 0, got '0%' and 0

Primary sources: Kubernetes API reference, ``RollingUpdateDeployment``;
``pkg/controller/deployment/rolling.go`` and ``util/deployment_util.go``;
``pkg/apis/apps/validation/validation.go`` (v1.3x).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybook._validate import check_int

__all__ = ["RolloutStep", "resolve_fenceposts", "rolling_update", "scaled_value"]

_PERCENT = re.compile(r"[0-9]+%")


def scaled_value(value: int | str, total: int, *, round_up: bool, what: str) -> int:
    """Turn an int-or-percent field into a pod count, as ``GetScaledValueFromIntOrPercent``.

    Args:
        value: a non-negative int, or a string ``"<digits>%"``.
        total: the desired replica count the percentage is of.
        round_up: round a fractional result up (surge) or down (unavailable).
        what: the field's name for error messages.

    Returns:
        The absolute count.

    Raises:
        TypeError: ``value`` neither an int nor a str (``bool`` refused).
        ValueError: a negative int, or a string that is not ``digits%``.

    Complexity: O(len(value)).

    >>> scaled_value("25%", 5, round_up=True, what="maxSurge")
    2
    >>> scaled_value("25", 5, round_up=True, what="maxSurge")
    Traceback (most recent call last):
        ...
    ValueError: maxSurge must be an int or a percentage like '25%', got '25'
    """
    if isinstance(value, str):
        if not _PERCENT.fullmatch(value):
            raise ValueError(f"{what} must be an int or a percentage like '25%', got {value!r}")
        numerator = int(value[:-1]) * total
        return -(-numerator // 100) if round_up else numerator // 100
    return check_int(value, what, minimum=0)


def resolve_fenceposts(
    replicas: int, max_surge: int | str = "25%", max_unavailable: int | str = "25%"
) -> tuple[int, int]:
    """Return ``(surge, unavailable)`` pod counts for a rolling update of ``replicas``.

    Validation as the API server does it (both zero refused; an
    ``maxUnavailable`` percentage over 100% refused), then rounding as the
    controller does it (surge up, unavailable down; both resolving to 0 gives
    unavailable 1; unavailable capped at ``replicas``).

    Args:
        replicas: desired replicas, ``>= 0``.
        max_surge: int or ``"N%"``; default ``"25%"``.
        max_unavailable: int or ``"N%"``; default ``"25%"``.

    Returns:
        ``(surge, unavailable)``.

    Raises:
        TypeError: a bool or another type where an int or str is expected.
        ValueError: negative, malformed, over 100% (unavailable), or both 0.

    Complexity: O(1).

    >>> resolve_fenceposts(4), resolve_fenceposts(1, "0%", "25%")
    ((1, 1), (0, 1))
    >>> resolve_fenceposts(3, 1, "150%")
    Traceback (most recent call last):
        ...
    ValueError: maxUnavailable must not be greater than 100%, got '150%'
    """
    check_int(replicas, "replicas", minimum=0)
    surge = scaled_value(max_surge, replicas, round_up=True, what="maxSurge")
    unavailable = scaled_value(max_unavailable, replicas, round_up=False, what="maxUnavailable")
    if isinstance(max_unavailable, str) and int(max_unavailable[:-1]) > 100:
        raise ValueError(f"maxUnavailable must not be greater than 100%, got {max_unavailable!r}")
    if _raw(max_surge) == 0 and _raw(max_unavailable) == 0:
        raise ValueError(
            "maxSurge and maxUnavailable may not both be 0, "
            f"got {max_surge!r} and {max_unavailable!r}"
        )
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, min(unavailable, replicas)


def _raw(value: int | str) -> int:
    return int(value[:-1]) if isinstance(value, str) else value


@dataclass(frozen=True)
class RolloutStep:
    """The Deployment after one sync: replica counts of each ReplicaSet and availability.

    ``available`` counts the old pods plus the new pods that were ready
    before this sync; pods created by this sync become ready before the next.
    """

    step: int
    action: str
    old: int
    new: int
    available: int

    @property
    def total(self) -> int:
        """All pods, old and new."""
        return self.old + self.new


def rolling_update(
    replicas: int, max_surge: int | str = "25%", max_unavailable: int | str = "25%"
) -> list[RolloutStep]:
    """Simulate the deployment controller replacing ``replicas`` old pods with new ones.

    Each sync does what ``rolloutRolling`` does: scale the new ReplicaSet up
    to ``replicas + surge`` total pods (capped at ``replicas``); if it could
    not, scale old ReplicaSets down while keeping ``replicas - unavailable``
    pods available. Between syncs every new pod becomes ready (a healthy
    rollout; a failing readiness probe would stall it at the bound).

    Args:
        replicas: desired replicas, ``>= 0``.
        max_surge: int or ``"N%"``; default ``"25%"``.
        max_unavailable: int or ``"N%"``; default ``"25%"``.

    Returns:
        Step 0 (the starting point) then one :class:`RolloutStep` per sync
        until only new pods remain.

    Raises:
        TypeError, ValueError: as :func:`resolve_fenceposts`.

    Complexity: O(replicas / min(surge, unavailable) + 1) steps.

    >>> for s in rolling_update(4):
    ...     print(s.step, s.action, "old", s.old, "new", s.new, "available", s.available)
    0 start old 4 new 0 available 4
    1 new +1 old 4 new 1 available 4
    2 old -2 old 2 new 1 available 3
    3 new +2 old 2 new 3 available 3
    4 old -2 old 0 new 3 available 3
    5 new +1 old 0 new 4 available 3
    """
    surge, unavailable = resolve_fenceposts(replicas, max_surge, max_unavailable)
    old, new, new_ready = replicas, 0, 0
    steps = [RolloutStep(0, "start", old, new, old)]
    while old > 0 or new < replicas:
        up = min(replicas + surge - (old + new), replicas - new)
        if up > 0:
            new += up
            action = f"new +{up}"
        else:
            min_available = replicas - unavailable
            new_unready = new - new_ready
            max_scaled_down = old + new - min_available - new_unready
            down = min(old, old + new_ready - min_available) if max_scaled_down > 0 else 0
            if down <= 0:  # pragma: no cover - unreachable when every new pod becomes ready
                raise RuntimeError(f"rollout stuck at old={old} new={new}")
            old -= down
            action = f"old -{down}"
        # Readiness is observed before the next sync, as the informer would report it.
        steps.append(RolloutStep(len(steps), action, old, new, old + new_ready))
        new_ready = new
    return steps
