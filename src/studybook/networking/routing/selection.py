"""Choosing between routing sources: administrative distance, then metric.

A router may learn the same prefix from several sources (a static route,
OSPF, eBGP). It installs, per prefix, the candidate with the lowest
*administrative distance* (how much it trusts the source), and only between
candidates of the same source does the protocol's *metric* decide. Longest
prefix match then works over what was installed: a /24 from RIP beats a /16
from OSPF for an address inside the /24, because AD only compares routes
to the *same* prefix.

The defaults below are Cisco IOS's, from Cisco's "What Is Administrative
Distance?" (document 15986). A *floating static* route is a static route
given a distance above the dynamic protocol's (say 130 > OSPF's 110), so it
is installed only when the dynamic route disappears.

Complexity: :func:`install` is O(n) in the number of candidates.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = ["ADMINISTRATIVE_DISTANCE", "Candidate", "install"]

ADMINISTRATIVE_DISTANCE: dict[str, int] = {
    "connected": 0,
    "static": 1,
    "eBGP": 20,
    "EIGRP": 90,
    "OSPF": 110,
    "IS-IS": 115,
    "RIP": 120,
    "external EIGRP": 170,
    "iBGP": 200,
    "unknown": 255,
}
"""Cisco IOS default administrative distances (lower is more trusted; 255 is never installed)."""


@dataclass(frozen=True)
class Candidate:
    """A route offered by one source: prefix, source, next hop, metric, distance.

    ``distance`` defaults to the source's entry in :data:`ADMINISTRATIVE_DISTANCE`.
    ``prefix`` is stored in canonical form, so ``"2001:0db8::/32"`` and
    ``"2001:db8::/32"`` (or ``"10.0.0.0/255.0.0.0"`` and ``"10.0.0.0/8"``) are one prefix.

    >>> Candidate("10.0.0.0/8", "OSPF", "r1", metric=20).distance
    110
    >>> Candidate("10.0.0.0/8", "OSPF", "r1", metric=-1)
    Traceback (most recent call last):
        ...
    ValueError: metric must be >= 0, got -1
    """

    prefix: str
    source: str
    next_hop: str
    metric: int = 0
    distance: int = -1

    def __post_init__(self) -> None:
        try:
            network = ipaddress.ip_network(check_str(self.prefix, "prefix"), strict=True)
        except ValueError:
            raise ValueError(
                f"prefix must be a network like '10.0.0.0/8', got {self.prefix!r}"
            ) from None
        object.__setattr__(self, "prefix", str(network))
        if self.source not in ADMINISTRATIVE_DISTANCE:
            raise ValueError(
                f"source must be one of {list(ADMINISTRATIVE_DISTANCE)}, got {self.source!r}"
            )
        check_str(self.next_hop, "next_hop", nonempty=True)
        check_int(self.metric, "metric", minimum=0)
        if self.distance == -1:
            object.__setattr__(self, "distance", ADMINISTRATIVE_DISTANCE[self.source])
        check_int(self.distance, "distance", minimum=0, maximum=255)


def install(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    """Per prefix, keep the candidate with the lowest (distance, metric); drop distance 255.

    Ties keep the first candidate offered.

    >>> routes = install([
    ...     Candidate("10.0.0.0/8", "OSPF", "r1", metric=20),
    ...     Candidate("10.0.0.0/8", "RIP", "r2", metric=1),
    ...     Candidate("10.0.0.0/8", "static", "r3", distance=130),  # floating static
    ... ])
    >>> routes["10.0.0.0/8"].source
    'OSPF'
    """
    best: dict[str, Candidate] = {}
    for c in candidates:
        if not isinstance(c, Candidate):
            raise TypeError(f"install takes Candidate objects, got {type(c).__name__}: {c!r}")
        if c.distance == 255:
            continue
        held = best.get(c.prefix)
        if held is None or (c.distance, c.metric) < (held.distance, held.metric):
            best[c.prefix] = c
    return best
