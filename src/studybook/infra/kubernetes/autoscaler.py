"""The Horizontal Pod Autoscaler's replica formula, tolerance and scale-down stabilization.

The HPA controller runs every 15 s (``--horizontal-pod-autoscaler-sync-period``)
and, per the Kubernetes documentation "Horizontal Pod Autoscaling" (v1.3x),
computes::

    desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]

It "skips any scaling action if the ratio is sufficiently close to 1.0
(within a [...] tolerance, 0.1 by default)"; since v1.33 the controller's
test is ``1.0 - tolerance <= ratio <= 1.0 + tolerance`` (``Tolerances.isWithin``
in ``replica_calculator.go``; up to v1.32 it was ``abs(1.0 - ratio) <= tolerance``,
which differs only at float edges such as a ratio of exactly 1.1). For
scale-down it uses the highest recommendation of a stabilization window, 300 s by default
(``--horizontal-pod-autoscaler-downscale-stabilization``, and
``behavior.scaleDown.stabilizationWindowSeconds``); scale-up has no window
by default. A per-HPA ``tolerance`` field (one per direction) arrived as
alpha in v1.33 and is beta, on by default, since v1.35 (feature gate
``HPAConfigurableTolerance``, KEP-4951).

>>> hpa_desired_replicas(50, 90, 75)
60
>>> hpa_desired_replicas(10, 105, 100)
10

Primary sources: kubernetes.io, "Horizontal Pod Autoscaling" (algorithm
details, stabilization window, tolerance); API reference
``HPAScalingRules``; ``pkg/controller/podautoscaler/replica_calculator.go``.
"""

from __future__ import annotations

import math
from collections import deque

from studybook._validate import check_int, check_real

__all__ = [
    "DEFAULT_DOWNSCALE_WINDOW",
    "DEFAULT_TOLERANCE",
    "HorizontalPodAutoscaler",
    "hpa_desired_replicas",
]

#: The cluster-wide default tolerance, ``--horizontal-pod-autoscaler-tolerance``.
DEFAULT_TOLERANCE = 0.1
#: Default scale-down stabilization window in seconds (5 minutes).
DEFAULT_DOWNSCALE_WINDOW = 300.0


def hpa_desired_replicas(
    current_replicas: int,
    current_metric: float,
    target_metric: float,
    tolerance: float = DEFAULT_TOLERANCE,
) -> int:
    """Return the HPA's raw recommendation (before min/max and stabilization).

    Args:
        current_replicas: ready pods now, ``>= 1``.
        current_metric: the observed average (utilisation %, or a value), ``>= 0``.
        target_metric: the target average, ``> 0``.
        tolerance: ratio band around 1.0 where nothing changes, ``>= 0``.

    Returns:
        ``current_replicas`` if ``1 - tolerance <= current/target <= 1 + tolerance``,
        else ``ceil(current_replicas * current / target)``.

    Raises:
        TypeError: a bool or non-number.
        ValueError: NaN, infinite, negative, zero target or zero replicas, or a
            recommendation too large to represent.

    Complexity: O(1).

    >>> hpa_desired_replicas(4, 200, 100), hpa_desired_replicas(4, 10, 100)
    (8, 1)
    >>> hpa_desired_replicas(4, 50, 0)
    Traceback (most recent call last):
        ...
    ValueError: target_metric must be a finite number > 0, got 0
    """
    replicas = check_int(current_replicas, "current_replicas", minimum=1)
    current = check_real(current_metric, "current_metric", low=0)
    target = check_real(target_metric, "target_metric", positive=True)
    band = check_real(tolerance, "tolerance", low=0)
    ratio = current / target
    # Two comparisons, as Tolerances.isWithin (v1.33+): 110 % of target is inside the band.
    if 1.0 - band <= ratio <= 1.0 + band:
        return replicas
    try:
        scaled = replicas * ratio
    except OverflowError:
        scaled = math.inf
    if not math.isfinite(scaled):
        raise ValueError(
            f"recommendation overflows: {current_replicas!r} replicas * "
            f"{current_metric!r} / {target_metric!r}"
        )
    return math.ceil(scaled)


class HorizontalPodAutoscaler:
    """An HPA on a fake clock: formula, ``[min, max]`` clamp, scale-down stabilization.

    Each :meth:`recommend` records the clamped raw recommendation with its
    time. Following the controller's ``stabilizeRecommendation``, the result
    starts at the current replica count, rises to the new recommendation if
    that is higher (no scale-up window), and falls only to the *highest*
    recommendation seen within the last ``downscale_window`` seconds. A
    short dip in load therefore removes no pods.

    >>> hpa = HorizontalPodAutoscaler(min_replicas=2, max_replicas=10, target=50)
    >>> [hpa.recommend(t, 6, m) for t, m in [(0, 50), (15, 20), (315, 20)]]
    [6, 6, 3]
    >>> hpa.recommend(300, 3, 50)
    Traceback (most recent call last):
        ...
    ValueError: now must not go back in time: 300.0 < 315.0
    """

    def __init__(
        self,
        min_replicas: int,
        max_replicas: int,
        target: float,
        tolerance: float = DEFAULT_TOLERANCE,
        downscale_window: float = DEFAULT_DOWNSCALE_WINDOW,
    ) -> None:
        self.min_replicas = check_int(min_replicas, "min_replicas", minimum=1)
        self.max_replicas = check_int(max_replicas, "max_replicas", minimum=self.min_replicas)
        self.target = check_real(target, "target", positive=True)
        self.tolerance = check_real(tolerance, "tolerance", low=0)
        self.downscale_window = check_real(downscale_window, "downscale_window", low=0)
        self._history: deque[tuple[float, int]] = deque()
        self._now = -math.inf

    def recommend(self, now: float, current_replicas: int, metric: float) -> int:
        """Return the replica count to set at time ``now`` (seconds, non-decreasing).

        Raises:
            ValueError: time going backwards, bad replicas or metric (see
                :func:`hpa_desired_replicas`).

        Complexity: O(1) amortised (each recommendation enters and leaves the window once).
        """
        t = check_real(now, "now")
        if t < self._now:
            raise ValueError(f"now must not go back in time: {t!r} < {self._now!r}")
        check_int(current_replicas, "current_replicas", minimum=1)
        raw = hpa_desired_replicas(current_replicas, metric, self.target, self.tolerance)
        raw = max(self.min_replicas, min(self.max_replicas, raw))
        self._now = t
        self._history.append((t, raw))
        # The controller keeps recommendations strictly newer than the cutoff.
        while self._history and self._history[0][0] <= t - self.downscale_window:
            self._history.popleft()
        down_floor = max((r for _, r in self._history), default=raw)
        return min(max(current_replicas, raw), down_floor)
