"""Weighted traffic splitting: the load balancer half of blue-green and canary deployments.

A :class:`TrafficSplitter` sends each request to one of a few *pools* (``blue``
and ``green``, or ``stable`` and ``canary``) in proportion to integer weights
that can change while traffic flows. Blue-green is a weight flip (100/0 to
0/100); a canary walks the new pool through steps such as 1, 5, 25, 100 percent.

The picking rule is nginx's smooth weighted round robin, reused from
:class:`studybook.infra.load_balancing.algorithms.SmoothWeightedRoundRobin`; this module
adds what a deployment needs on top: weights of zero (a pool that is deployed
but receives nothing), and weights changed in place.
"""

from __future__ import annotations

from collections.abc import Mapping

from studybook._validate import check_int, check_str
from studybook.infra.load_balancing import SmoothWeightedRoundRobin

__all__ = ["CANARY_STEPS", "TrafficSplitter", "canary_weights"]

CANARY_STEPS: tuple[int, ...] = (1, 5, 25, 100)
"""A typical canary schedule in percent of traffic; the last step is full promotion."""


class TrafficSplitter:
    """Send each request to a pool, in exact proportion to integer weights.

    Over any ``sum(weights)`` consecutive picks with unchanged weights, each
    pool is picked exactly ``weight`` times (smooth weighted round robin is
    deterministic), and a pool of weight 0 is never picked.

    Args:
        weights: pool name -> weight, an ``int >= 0``; at least one positive.

    Raises:
        TypeError: ``weights`` is not a mapping, a name is not a ``str``, or a
            weight is not an ``int`` (``bool`` included).
        ValueError: an empty name, a negative weight, or every weight zero.

    Complexity: O(P) per pick for P pools; O(P) per weight change.

    >>> lb = TrafficSplitter({"stable": 95, "canary": 5})
    >>> picks = [lb.pick() for _ in range(100)]
    >>> picks.count("canary"), picks.index("canary")
    (5, 10)
    >>> lb.set_weights({"stable": 0, "canary": 100})
    >>> {lb.pick() for _ in range(10)}
    {'canary'}
    >>> TrafficSplitter({"blue": 0, "green": 0})
    Traceback (most recent call last):
        ...
    ValueError: at least one weight must be positive, got {'blue': 0, 'green': 0}
    """

    def __init__(self, weights: Mapping[str, int]) -> None:
        self._weights: dict[str, int]
        self._wrr: SmoothWeightedRoundRobin
        self.set_weights(weights)

    @property
    def weights(self) -> dict[str, int]:
        """A copy of the current weights, pool name to weight."""
        return dict(self._weights)

    def set_weights(self, weights: Mapping[str, int]) -> None:
        """Replace the weights; the split restarts smoothly from the new ones.

        Pools may be added or removed. Raises as the constructor does.

        Complexity: O(P).
        """
        checked = _check_weights(weights)
        self._weights = checked
        self._wrr = SmoothWeightedRoundRobin({p: w for p, w in checked.items() if w > 0})

    def pick(self) -> str:
        """Return the pool for the next request."""
        pool = self._wrr.pick()
        self._wrr.done(pool)  # the splitter does not track requests in flight
        return pool

    def share(self, pool: str) -> float:
        """The fraction of traffic ``pool`` receives under the current weights.

        >>> TrafficSplitter({"blue": 3, "green": 1}).share("green")
        0.25
        >>> TrafficSplitter({"blue": 1}).share("red")
        Traceback (most recent call last):
            ...
        KeyError: "unknown pool 'red'"
        """
        if pool not in self._weights:
            raise KeyError(f"unknown pool {pool!r}")
        return self._weights[pool] / sum(self._weights.values())


def _check_weights(weights: object) -> dict[str, int]:
    if not isinstance(weights, Mapping):
        raise TypeError(
            "weights must be a mapping of pool -> weight, "
            f"got {type(weights).__name__}: {weights!r}"
        )
    if not weights:
        raise ValueError(f"weights must name at least one pool, got {weights!r}")
    checked = {
        check_str(p, "pool name", nonempty=True): check_int(w, f"weight of {p!r}", minimum=0)
        for p, w in weights.items()
    }
    if not any(checked.values()):
        raise ValueError(f"at least one weight must be positive, got {dict(weights)!r}")
    return checked


def canary_weights(
    percent: int, *, stable: str = "stable", canary: str = "canary"
) -> dict[str, int]:
    """The weights that send ``percent`` of traffic to ``canary`` and the rest to ``stable``.

    ``canary_weights(0)`` is the blue-green "before", ``canary_weights(100)`` the
    "after": a blue-green cut-over is a canary with the single step 100.

    Raises:
        TypeError: ``percent`` is not an ``int``.
        ValueError: ``percent`` outside [0, 100], or ``stable == canary``.

    Complexity: O(1).

    >>> canary_weights(5)
    {'stable': 95, 'canary': 5}
    >>> canary_weights(100, stable="blue", canary="green")
    {'blue': 0, 'green': 100}
    >>> canary_weights(101)
    Traceback (most recent call last):
        ...
    ValueError: percent must be in [0, 100], got 101
    """
    check_int(percent, "percent", minimum=0, maximum=100)
    check_str(stable, "stable", nonempty=True)
    check_str(canary, "canary", nonempty=True)
    if stable == canary:
        raise ValueError(f"stable and canary must differ, got {stable!r} twice")
    return {stable: 100 - percent, canary: percent}
