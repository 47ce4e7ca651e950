"""Collision domains and broadcast domains, counted on a small topology.

A **collision domain** is the set of links whose frames can collide: a hub
repeats every bit out of every port, so all its links form one; a switch or
router port ends one (each switch port is its own). A **broadcast domain** is
the set of links a broadcast reaches: switches forward broadcasts within a
VLAN, so a switch joins its links of the same VLAN; a router never forwards
them, so each router interface ends one.

>>> hub_and_switch = [Seg("H", "a"), Seg("H", "b"), Seg("H", "S"), Seg("S", "c")]
>>> count_domains({"H": "hub", "S": "switch"}, hub_and_switch)
Domains(collision=2, broadcast=1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from studybook._validate import check_str
from studybook.networking.switching.frames import check_vid

__all__ = ["DEVICE_KINDS", "Domains", "Seg", "count_domains"]

#: What each device does with frames (a host ends links, a hub repeats bits,
#: a switch forwards frames within a VLAN, a router forwards packets between networks).
DEVICE_KINDS = ("host", "hub", "switch", "router")


@dataclass(frozen=True)
class Seg:
    """A cable between devices ``a`` and ``b``; ``vlan`` is the access VLAN at any switch end."""

    a: str
    b: str
    vlan: int = 1

    def __post_init__(self) -> None:
        check_str(self.a, "device name", nonempty=True)
        check_str(self.b, "device name", nonempty=True)
        check_vid(self.vlan)


@dataclass(frozen=True)
class Domains:
    """How many collision and broadcast domains a topology has."""

    collision: int
    broadcast: int


def count_domains(kinds: Mapping[str, str], links: Iterable[Seg]) -> Domains:
    """Count collision and broadcast domains.

    Args:
        kinds: device name -> kind, one of :data:`DEVICE_KINDS`; a device not
            listed is a host.
        links: the cables.

    Raises:
        ValueError: an unknown kind.

    Complexity: O(l log l) for l links (union-find with path halving).

    >>> kinds = {"R": "router", "S": "switch"}
    >>> links = [Seg("R", "S"), Seg("S", "a", 10), Seg("S", "b", 10), Seg("S", "c", 20)]
    >>> count_domains(kinds, links)
    Domains(collision=4, broadcast=3)
    >>> count_domains({"X": "bridge"}, [])
    Traceback (most recent call last):
        ...
    ValueError: device 'X' has unknown kind 'bridge'; kinds are ('host', 'hub', 'switch', 'router')
    """
    for name, kind in kinds.items():
        if kind not in DEVICE_KINDS:
            raise ValueError(f"device {name!r} has unknown kind {kind!r}; kinds are {DEVICE_KINDS}")
    segs = list(links)
    for seg in segs:
        if not isinstance(seg, Seg):
            raise TypeError(f"links must be Seg objects, got {seg!r}")
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def groups(joins: dict[tuple[str, int], list[int]]) -> int:
        for members in joins.values():
            for other in members[1:]:
                parent[find(other)] = find(members[0])
        return len({find(i) for i in range(len(segs))})

    def ends(kind_wanted: tuple[str, ...], by_vlan: bool) -> dict[tuple[str, int], list[int]]:
        joins: dict[tuple[str, int], list[int]] = {}
        for i, seg in enumerate(segs):
            for device in (seg.a, seg.b):
                if kinds.get(device, "host") in kind_wanted:
                    joins.setdefault((device, seg.vlan if by_vlan else 0), []).append(i)
        return joins

    collision = groups(ends(("hub",), by_vlan=False))
    # A hub has no VLANs: every link on it is one broadcast domain too (already joined).
    broadcast = groups(ends(("switch",), by_vlan=True))
    return Domains(collision, broadcast)
