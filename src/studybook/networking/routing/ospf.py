"""OSPFv2 details a CCNA expects: interface cost, timers, DR/BDR election, areas and ABRs.

* **Cost** = reference bandwidth / interface bandwidth, truncated to an
  integer and at least 1. Cisco IOS's default reference is 100 Mb/s
  (``auto-cost reference-bandwidth 100``), so Fast Ethernet, Gigabit and
  10-Gigabit interfaces all cost 1 until the reference is raised; a T1
  (1.544 Mb/s) costs 64.
* **Timers**: hello 10 s and dead 40 s on broadcast and point-to-point
  links (RFC 2328 appendix C.3 gives them as the sample LAN values; Cisco
  IOS uses them by default), 30 s / 120 s on NBMA links.
* **DR/BDR** on a broadcast segment: the highest interface priority wins,
  ties go to the highest router ID, priority 0 never stands (RFC 2328
  section 9.4). The election is *not* pre-emptive: a better router joining
  later does not take over an existing DR; :func:`elect_dr` models a fresh
  election with every router present.
* **Areas**: area 0 is the backbone; every other area attaches to it
  through an area border router (ABR), a router with interfaces in area 0
  and in another area.

Complexity: every function is O(n log n) or better in its input size.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Mapping

from studybook._validate import check_int, check_real, check_str

__all__ = [
    "DEFAULT_REFERENCE_BANDWIDTH",
    "OSPF_TIMERS",
    "elect_dr",
    "ospf_cost",
    "router_roles",
]

DEFAULT_REFERENCE_BANDWIDTH = 100_000_000
"""Cisco IOS default ``auto-cost reference-bandwidth``: 100 Mb/s, in bit/s."""

OSPF_TIMERS = {"broadcast": (10, 40), "point-to-point": (10, 40), "nbma": (30, 120)}
"""Default (hello, dead) intervals in seconds by network type (Cisco IOS defaults)."""


def ospf_cost(bandwidth: float, reference: float = DEFAULT_REFERENCE_BANDWIDTH) -> int:
    """Interface cost = ``reference // bandwidth``, clamped to [1, 65535].

    Args:
        bandwidth: the interface bandwidth in bit/s.
        reference: the reference bandwidth in bit/s (default 100 Mb/s).

    Raises:
        TypeError: not a number (``bool`` too).
        ValueError: NaN, infinite, zero or negative.

    Complexity: O(1).

    >>> [ospf_cost(bw) for bw in (1_544_000, 10e6, 100e6, 1e9, 10e9)]
    [64, 10, 1, 1, 1]
    >>> [ospf_cost(bw, reference=100e9) for bw in (100e6, 1e9, 10e9)]
    [1000, 100, 10]
    >>> ospf_cost(0)
    Traceback (most recent call last):
        ...
    ValueError: bandwidth must be a finite number > 0, got 0
    """
    bw = check_real(bandwidth, "bandwidth", positive=True)
    ref = check_real(reference, "reference", positive=True)
    ratio = ref / bw  # may overflow to inf for extreme inputs: clamp before floor()
    return 65535 if ratio >= 65535 else max(1, math.floor(ratio))


def elect_dr(candidates: Mapping[str, int]) -> tuple[str | None, str | None]:
    """Elect the DR and BDR of a broadcast segment from ``router ID -> priority``.

    Highest priority wins, ties broken by the highest router ID (compared as
    32-bit numbers, not as strings); priority 0 is ineligible. The BDR is the
    best of the rest.

    Args:
        candidates: dotted-quad router ID -> interface priority (0 to 255, default 1).

    Returns:
        ``(dr, bdr)``; ``None`` where nobody is eligible.

    Raises:
        TypeError: a priority that is not an int (``bool`` too), a non-str router ID.
        ValueError: a priority outside 0-255 or a router ID that is not dotted-quad.

    Complexity: O(n log n).

    >>> elect_dr({"1.1.1.1": 1, "2.2.2.2": 1, "10.0.0.1": 1})
    ('10.0.0.1', '2.2.2.2')
    >>> elect_dr({"1.1.1.1": 100, "9.9.9.9": 0})
    ('1.1.1.1', None)
    >>> elect_dr({"1.1.1.1": 256})
    Traceback (most recent call last):
        ...
    ValueError: priority of 1.1.1.1 must be in [0, 255], got 256
    """
    if not isinstance(candidates, Mapping):
        raise TypeError(f"candidates must map router ID -> priority, got {candidates!r}")
    ranked = []
    for router_id, priority in candidates.items():
        number = _router_id(router_id)
        check_int(priority, f"priority of {router_id}", minimum=0, maximum=255)
        if priority > 0:
            ranked.append((priority, number, router_id))
    ranked.sort(reverse=True)
    names = [name for _, _, name in ranked]
    return (names[0] if names else None, names[1] if len(names) > 1 else None)


def _router_id(value: object) -> int:
    text = check_str(value, "router ID")
    try:
        return int(ipaddress.IPv4Address(text))
    except ValueError:
        raise ValueError(f"router ID must be a dotted-quad like '1.1.1.1', got {text!r}") from None


def router_roles(areas_of: Mapping[str, Iterable[int]]) -> dict[str, str]:
    """Classify each router as ``"backbone"``, ``"internal"`` or ``"ABR"`` from its areas.

    An ABR has interfaces in area 0 and in at least one other area; a backbone
    router has interfaces only in area 0; an internal router only in one
    non-backbone area. (An ASBR, which redistributes external routes, is a
    separate role that any of these can also have.)

    Raises:
        ValueError: a router with no area, or in two non-backbone areas without
            area 0 (it cannot be an ABR: RFC 2328 section 3 requires the backbone).
        TypeError: an area number that is not an int.

    >>> router_roles({"R1": [0], "R2": [0, 1], "R3": [1], "R4": [0, 2]})
    {'R1': 'backbone', 'R2': 'ABR', 'R3': 'internal', 'R4': 'ABR'}
    """
    roles = {}
    for router, areas in areas_of.items():
        if isinstance(areas, (str, bytes)) or not isinstance(areas, Iterable):
            raise TypeError(f"areas of {router!r} must be a collection of ints, got {areas!r}")
        # An OSPF area ID is a 32-bit number (RFC 2328 appendix A.3.1).
        ids = {check_int(a, f"area of {router}", minimum=0, maximum=2**32 - 1) for a in areas}
        if not ids:
            raise ValueError(f"router {router!r} must be in at least one area, got none")
        if ids == {0}:
            roles[router] = "backbone"
        elif 0 in ids:
            roles[router] = "ABR"
        elif len(ids) == 1:
            roles[router] = "internal"
        else:
            raise ValueError(f"router {router!r} joins areas {sorted(ids)} but not area 0")
    return roles
