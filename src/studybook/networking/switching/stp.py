"""Spanning tree (IEEE 802.1D): root election, root ports, designated ports, blocked ports.

STP turns a looped switched network into a tree by disabling (blocking) just
enough ports. Every decision compares vectors, smallest wins:

1. **Root bridge**: the lowest bridge ID (priority, then MAC address).
2. **Root port** of each other bridge: the port with the lowest
   ``(root path cost, sender bridge ID, sender port ID, own port ID)``, where
   the root path cost adds the receiving port's cost to the sender's cost.
3. **Designated port** of each segment: the end with the lowest
   ``(root path cost, bridge ID, port ID)``; every port of the root is designated.
4. Every other port is **blocked** (RSTP: *alternate*, discarding).

The port costs are 802.1D-1998's short costs (:data:`SHORT_PATH_COST`). This
module computes the converged result directly from the rules; real bridges
reach the same answer by exchanging BPDUs.

>>> bridges = {f"S{i}": BridgeId(32768, f"00:00:00:00:00:0{i}") for i in (1, 2, 3)}
>>> triangle = [Link("S1", 1, "S2", 1), Link("S1", 2, "S3", 1), Link("S2", 2, "S3", 2)]
>>> tree = spanning_tree(bridges, triangle)
>>> tree.root, tree.blocked()
('S1', [('S3', 2)])
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

from studybook._validate import check_int, check_str
from studybook.networking.switching.frames import check_vid, format_mac, parse_mac

__all__ = [
    "DEFAULT_BRIDGE_PRIORITY",
    "SHORT_PATH_COST",
    "BridgeId",
    "Link",
    "Role",
    "SpanningTree",
    "bridge_id",
    "port_id",
    "spanning_tree",
]

#: The default bridge priority, 0x8000 (802.1D).
DEFAULT_BRIDGE_PRIORITY = 32768
#: 802.1D-1998 recommended port path costs by link speed in Mb/s ("short" 16-bit costs).
SHORT_PATH_COST: Mapping[int, int] = {10: 100, 100: 19, 1000: 4, 10_000: 2}

#: A port's role once the tree has converged (RSTP names; 802.1D calls alternate "blocking").
Role = Literal["root", "designated", "alternate"]


@total_ordering
@dataclass(frozen=True)
class BridgeId:
    """A bridge identifier: a 16-bit priority followed by a MAC address; lower is better."""

    priority: int
    mac: str

    def __post_init__(self) -> None:
        check_int(self.priority, "bridge priority", minimum=0, maximum=0xFFFF)
        object.__setattr__(self, "mac", format_mac(parse_mac(self.mac)))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, BridgeId):
            return NotImplemented
        return (self.priority, self.mac) < (other.priority, other.mac)

    def __str__(self) -> str:
        return f"{self.priority}/{self.mac}"


def bridge_id(
    mac: str, priority: int = DEFAULT_BRIDGE_PRIORITY, vlan: int | None = None
) -> BridgeId:
    """Return the bridge ID of a switch, with the 802.1t extended system ID when ``vlan`` is given.

    With the extension, the top 4 bits of the priority are configurable (a
    multiple of 4096) and the low 12 bits carry the VLAN (Cisco's PVST+ runs
    one tree per VLAN, so ``show spanning-tree vlan 1`` prints 32769).

    Raises:
        ValueError: a priority that is not a multiple of 4096 in 0..61440 with
            ``vlan``, or a VLAN outside 1..4094.

    Complexity: O(1).

    >>> str(bridge_id("00:00:00:00:00:01", vlan=1)), str(bridge_id("00:00:00:00:00:01", 24576, 10))
    ('32769/00:00:00:00:00:01', '24586/00:00:00:00:00:01')
    >>> bridge_id("00:00:00:00:00:01", 32767, vlan=1)
    Traceback (most recent call last):
        ...
    ValueError: with a system ID extension the priority must be a multiple of 4096, got 32767
    """
    check_int(priority, "bridge priority", minimum=0, maximum=0xFFFF)
    if vlan is None:
        return BridgeId(priority, mac)
    check_vid(vlan)
    if priority % 4096:
        raise ValueError(
            f"with a system ID extension the priority must be a multiple of 4096, got {priority!r}"
        )
    return BridgeId(priority + vlan, mac)


def port_id(number: int, priority: int = 128) -> int:
    """Return the 16-bit port ID: a 4-bit priority (multiple of 16) and a 12-bit port number.

    Cisco prints it as ``priority.number`` (``128.1`` is 0x8001).

    Raises:
        ValueError: a priority not a multiple of 16 in 0..240, or a number outside 1..4095.

    Complexity: O(1).

    >>> hex(port_id(1)), hex(port_id(2, priority=16))
    ('0x8001', '0x1002')
    """
    check_int(number, "port number", minimum=1, maximum=4095)
    check_int(priority, "port priority", minimum=0, maximum=240)
    if priority % 16:
        raise ValueError(f"port priority must be a multiple of 16, got {priority!r}")
    return priority << 8 | number


@dataclass(frozen=True)
class Link:
    """A point-to-point segment between port ``port_a`` of ``a`` and port ``port_b`` of ``b``.

    ``cost`` is the path cost of each end (default 19, a 100 Mb/s link);
    ``priority_a`` and ``priority_b`` are the port priorities (default 128).
    """

    a: str
    port_a: int
    b: str
    port_b: int
    cost: int = 19
    priority_a: int = 128
    priority_b: int = 128

    def __post_init__(self) -> None:
        check_str(self.a, "bridge name", nonempty=True)
        check_str(self.b, "bridge name", nonempty=True)
        if self.a == self.b:
            raise ValueError(f"a link joins two different bridges, got {self.a!r} twice")
        port_id(self.port_a, self.priority_a)
        port_id(self.port_b, self.priority_b)
        check_int(self.cost, "path cost", minimum=1, maximum=200_000_000)


@dataclass(frozen=True)
class SpanningTree:
    """The converged tree: the root, each bridge's cost and root port, every port's role."""

    root: str
    root_path_cost: Mapping[str, int]
    root_port: Mapping[str, int]
    roles: Mapping[tuple[str, int], Role]

    def blocked(self) -> list[tuple[str, int]]:
        """Return the ``(bridge, port)`` pairs that do not forward, sorted."""
        return sorted(k for k, role in self.roles.items() if role == "alternate")

    def state(self, bridge: str, port: int, *, rapid: bool = False) -> str:
        """Return the stable state of a port: forwarding, or blocking (802.1D) / discarding (RSTP).

        Raises:
            KeyError: no such port.
        """
        if (bridge, port) not in self.roles:
            raise KeyError(f"no port {port} on bridge {bridge!r}")
        if self.roles[(bridge, port)] != "alternate":
            return "forwarding"
        return "discarding" if rapid else "blocking"


def spanning_tree(bridges: Mapping[str, BridgeId], links: Iterable[Link]) -> SpanningTree:
    """Compute the converged 802.1D spanning tree of a connected switched network.

    Args:
        bridges: bridge name -> :class:`BridgeId`; IDs must be distinct.
        links: point-to-point links; each ``(bridge, port)`` is used once.

    Returns:
        The root, every bridge's root path cost and root port, and every port's role.

    Raises:
        ValueError: duplicate bridge IDs or ports, an unknown bridge, or a
            disconnected network.

    Complexity: O((b + l) log b) for b bridges and l links (Dijkstra, then one pass per link).

    >>> b = {"A": bridge_id("00:00:00:00:00:0a"), "B": bridge_id("00:00:00:00:00:0b")}
    >>> t = spanning_tree(b, [Link("A", 1, "B", 1), Link("A", 2, "B", 2)])
    >>> t.root_port, t.blocked()
    ({'B': 1}, [('B', 2)])
    >>> spanning_tree(b, [Link("A", 1, "C", 1)])
    Traceback (most recent call last):
        ...
    ValueError: link A-C names unknown bridge 'C'
    """
    bridges, links = _checked(bridges, links)
    root = min(bridges, key=lambda name: bridges[name])
    cost = _root_path_costs(root, bridges, links)
    root_port: dict[str, int] = {}
    best: dict[str, tuple[int, BridgeId, int, int]] = {}  # the root port's vector
    for link in links:
        for here, own_id, there, there_id in _ends(link):
            # The vector this port receives from its neighbour, plus its own port ID.
            vector = (cost[there] + link.cost, bridges[there], there_id, own_id)
            if here != root and (here not in best or vector < best[here]):
                best[here], root_port[here] = vector, own_id & 0xFFF
    roles: dict[tuple[str, int], Role] = {}
    for link in links:
        end_a = (cost[link.a], bridges[link.a], port_id(link.port_a, link.priority_a))
        end_b = (cost[link.b], bridges[link.b], port_id(link.port_b, link.priority_b))
        designated, other = ((link.a, link.port_a), (link.b, link.port_b))
        if end_b < end_a:
            designated, other = other, designated
        roles[designated] = "designated"
        roles[other] = "root" if root_port.get(other[0]) == other[1] else "alternate"
    return SpanningTree(root, dict(sorted(cost.items())), dict(sorted(root_port.items())), roles)


def _checked(
    bridges: Mapping[str, BridgeId], links: Iterable[Link]
) -> tuple[dict[str, BridgeId], list[Link]]:
    if not isinstance(bridges, Mapping) or not bridges:
        raise ValueError(f"bridges must be a non-empty mapping, got {bridges!r}")
    for name, bid in bridges.items():
        check_str(name, "bridge name", nonempty=True)
        if not isinstance(bid, BridgeId):
            raise TypeError(f"bridge {name!r} needs a BridgeId, got {bid!r}")
    if len(set(bridges.values())) != len(bridges):
        raise ValueError("bridge IDs must be distinct")
    checked: list[Link] = []
    seen: set[tuple[str, int]] = set()
    for link in links:
        if not isinstance(link, Link):
            raise TypeError(f"links must be Link objects, got {link!r}")
        for end in ((link.a, link.port_a), (link.b, link.port_b)):
            if end[0] not in bridges:
                raise ValueError(f"link {link.a}-{link.b} names unknown bridge {end[0]!r}")
            if end in seen:
                raise ValueError(f"port {end[1]} of bridge {end[0]!r} is used by two links")
            seen.add(end)
        checked.append(link)
    return dict(bridges), checked


def _ends(link: Link) -> tuple[tuple[str, int, str, int], tuple[str, int, str, int]]:
    id_a, id_b = port_id(link.port_a, link.priority_a), port_id(link.port_b, link.priority_b)
    return (link.a, id_a, link.b, id_b), (link.b, id_b, link.a, id_a)


def _root_path_costs(
    root: str, bridges: Mapping[str, BridgeId], links: list[Link]
) -> dict[str, int]:
    neighbours: dict[str, list[tuple[str, int]]] = {name: [] for name in bridges}
    for link in links:
        neighbours[link.a].append((link.b, link.cost))
        neighbours[link.b].append((link.a, link.cost))
    cost = {root: 0}
    heap = [(0, root)]
    while heap:
        d, node = heapq.heappop(heap)
        if d > cost[node]:
            continue
        for other, c in neighbours[node]:
            if d + c < cost.get(other, d + c + 1):
                cost[other] = d + c
                heapq.heappush(heap, (d + c, other))
    missing = sorted(set(bridges) - set(cost))
    if missing:
        raise ValueError(f"the network is not connected: {missing} cannot reach the root {root!r}")
    return cost
