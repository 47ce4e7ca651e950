"""BGP best-path selection, in the order Cisco IOS documents it (beyond CCNA).

BGP is a *path-vector* protocol: an UPDATE carries the whole list of
autonomous systems (AS_PATH) a route crossed, so a router rejects any path
that already holds its own AS number (loop prevention without counting to
infinity). When several paths to one prefix survive, Cisco's "BGP Best Path
Selection Algorithm" (document 13753) compares them in this order, first
difference wins:

1. highest WEIGHT (Cisco-only, local to the router; 32768 for locally originated paths, else 0),
2. highest LOCAL_PREF (default 100; shared inside the AS over iBGP),
3. locally originated (``network``, ``redistribute``, ``aggregate-address``),
4. shortest AS_PATH,
5. lowest ORIGIN (IGP < EGP < incomplete),
6. lowest MED, compared by default only between paths from the same neighbouring AS,
7. eBGP over iBGP,
8. lowest IGP metric to the BGP next hop,
9. for two eBGP paths, the oldest (most stable) one,
10. lowest router ID of the advertising peer,

and then cluster-list length and the lowest neighbour address, which this
module leaves out. Step 8 is *hot-potato routing*: hand the packet to the
nearest exit. Because MED is compared only within one neighbouring AS, the
comparison is not transitive, and comparing paths pairwise in arrival order
(as :func:`best_path` and Cisco IOS by default do) can pick a different
winner for a different order; Cisco's ``bgp deterministic-med`` groups the
paths by neighbouring AS first to remove that dependence. Other vendors
differ in detail (Juniper has no weight and compares MED differently), so
the chapter names the Cisco order.

Complexity: comparing two paths is O(length of the AS paths); choosing the best
of n paths is O(n) comparisons.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

from studybook._validate import check_int, check_str

__all__ = ["ORIGINS", "BgpPath", "best_path", "compare_paths", "loop_free"]

ORIGINS = ("igp", "egp", "incomplete")
"""BGP ORIGIN codes, best first (RFC 4271 section 5.1.1)."""


@dataclass(frozen=True)
class BgpPath:
    """One candidate path to a prefix, with the attributes the comparator reads.

    ``received`` orders arrival (smaller = older). ``router_id`` is the
    advertising peer's BGP router ID in dotted-quad form.

    >>> BgpPath(as_path=(65001, 65002), local_pref=-5)
    Traceback (most recent call last):
        ...
    ValueError: local_pref must be in [0, 4294967295], got -5
    """

    as_path: tuple[int, ...] = ()
    weight: int = 0
    local_pref: int = 100
    locally_originated: bool = False
    origin: str = "igp"
    med: int = 0
    ebgp: bool = True
    igp_metric: int = 0
    received: int = 0
    router_id: str = "192.0.2.1"
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.as_path, tuple):
            raise TypeError(f"as_path must be a tuple of AS numbers, got {self.as_path!r}")
        for asn in self.as_path:
            check_int(asn, "AS number", minimum=1, maximum=4294967295)
        check_int(self.weight, "weight", minimum=0, maximum=65535)
        check_int(self.local_pref, "local_pref", minimum=0, maximum=4294967295)
        check_int(self.med, "med", minimum=0, maximum=4294967295)
        check_int(self.igp_metric, "igp_metric", minimum=0)
        check_int(self.received, "received", minimum=0)
        for flag in ("locally_originated", "ebgp"):
            if not isinstance(getattr(self, flag), bool):
                raise TypeError(f"{flag} must be a bool, got {getattr(self, flag)!r}")
        if self.origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, got {self.origin!r}")
        try:
            ipaddress.IPv4Address(check_str(self.router_id, "router_id"))
        except ValueError:
            raise ValueError(f"router_id must be dotted-quad, got {self.router_id!r}") from None


def compare_paths(a: BgpPath, b: BgpPath) -> tuple[BgpPath, str]:
    """Return the better of two paths and the name of the step that decided.

    Raises:
        ValueError: the two paths tie on every step modelled here.

    Complexity: O(len(as_path)).

    Raises:
        TypeError: ``a`` or ``b`` is not a :class:`BgpPath`.

    >>> a = BgpPath(as_path=(65001, 65002), name="a")
    >>> b = BgpPath(as_path=(65003,), name="b")
    >>> winner, step = compare_paths(a, b); winner.name, step
    ('b', 'as-path length')
    >>> winner, step = compare_paths(a, BgpPath(as_path=(65003,), local_pref=50)); winner.name, step
    ('a', 'local preference')
    """
    for path in (a, b):
        if not isinstance(path, BgpPath):
            raise TypeError(f"compare_paths takes BgpPath objects, got {path!r}")
    steps: list[tuple[str, int, int]] = [
        ("weight", -a.weight, -b.weight),
        ("local preference", -a.local_pref, -b.local_pref),
        ("locally originated", int(not a.locally_originated), int(not b.locally_originated)),
        ("as-path length", len(a.as_path), len(b.as_path)),
        ("origin", ORIGINS.index(a.origin), ORIGINS.index(b.origin)),
    ]
    if a.as_path[:1] == b.as_path[:1]:
        steps.append(("MED", a.med, b.med))
    steps.append(("eBGP over iBGP", int(not a.ebgp), int(not b.ebgp)))
    steps.append(("IGP metric to next hop", a.igp_metric, b.igp_metric))
    if a.ebgp and b.ebgp:
        steps.append(("oldest path", a.received, b.received))
    steps.append(("router ID", _rid(a.router_id), _rid(b.router_id)))
    for name, x, y in steps:
        if x != y:
            return (a if x < y else b), name
    raise ValueError(f"paths tie on every modelled step: {a!r} and {b!r}")


def _rid(text: str) -> int:
    return int(ipaddress.IPv4Address(text))


def best_path(paths: Sequence[BgpPath]) -> BgpPath:
    """Pick the best path by comparing the current best with each next one, in turn.

    Raises:
        ValueError: ``paths`` is empty, or two paths tie on every step.

    Complexity: O(n) comparisons.

    >>> best_path([BgpPath(med=50, name="x"), BgpPath(med=10, name="y")]).name
    'y'
    >>> best_path([])
    Traceback (most recent call last):
        ...
    ValueError: best_path needs at least one path, got []
    """
    paths = list(paths)
    if not paths:
        raise ValueError(f"best_path needs at least one path, got {paths!r}")
    best = paths[0]
    for path in paths[1:]:
        best, _ = compare_paths(best, path)
    return best


def loop_free(local_as: int, path: BgpPath) -> bool:
    """eBGP loop prevention: refuse a path whose AS_PATH already holds ``local_as``.

    >>> loop_free(65001, BgpPath(as_path=(65002, 65001, 65003)))
    False
    """
    check_int(local_as, "local_as", minimum=1, maximum=4294967295)
    return local_as not in path.as_path
