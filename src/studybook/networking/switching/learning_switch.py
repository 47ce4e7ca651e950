"""A transparent learning switch with VLANs: learn, age, forward, flood, filter.

The whole forwarding decision of an Ethernet switch (IEEE 802.1Q-2018,
clause 8.8; 802.1D-2004, clause 7.8) fits in four rules, applied per VLAN:

1. **Learn** the frame's source address on its ingress port (a MAC seen on a
   new port *moves* there), stamped with the time; entries older than the
   ageing time (default 300 s, 802.1D-2004 table 7-5) are forgotten.
2. **Forward** a frame whose destination is in the table to that one port.
3. **Flood** a frame whose destination is unknown, broadcast or multicast out
   of every other port in the same VLAN.
4. **Never** send a frame back out of its ingress port: a known destination
   on the ingress port is *filtered* (dropped).

An access port carries one VLAN, untagged; a trunk carries many, tagged with
802.1Q, except its native VLAN, which travels untagged.

>>> ports = {1: AccessPort(10), 2: AccessPort(10), 3: AccessPort(20)}
>>> sw = LearningSwitch(ports, clock=lambda: 0.0)
>>> sw.receive(1, EthernetFrame("00:00:5e:00:53:02", "00:00:5e:00:53:01", 0x0800))
Decision(action='flood', vlan=10, ports=(2,))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from studybook._validate import check_callable, check_int, check_real
from studybook.networking.switching.frames import (
    EthernetFrame,
    VlanTag,
    check_vid,
    is_group_address,
)

__all__ = [
    "DEFAULT_AGING_TIME",
    "AccessPort",
    "Action",
    "Decision",
    "LearningSwitch",
    "TrunkPort",
]

#: The recommended ageing time, 300 s (range 10 to 1 000 000 s; 802.1D-2004 table 7-5).
DEFAULT_AGING_TIME = 300.0

#: What the switch did with a frame.
Action = Literal["forward", "flood", "filter", "drop"]


@dataclass(frozen=True)
class AccessPort:
    """A port in exactly one VLAN; frames enter and leave it untagged."""

    vlan: int = 1

    def __post_init__(self) -> None:
        check_vid(self.vlan, "access VLAN")


@dataclass(frozen=True)
class TrunkPort:
    """A port carrying several VLANs, 802.1Q-tagged except the native VLAN.

    ``allowed`` is the set of VLANs the trunk carries (``None``: all, 1 to 4094).
    """

    allowed: frozenset[int] | None = None
    native: int = 1

    def __post_init__(self) -> None:
        check_vid(self.native, "native VLAN")
        if self.allowed is not None:
            if not isinstance(self.allowed, frozenset):
                raise TypeError(f"allowed must be a frozenset of VLAN IDs, got {self.allowed!r}")
            for vid in self.allowed:
                check_vid(vid, "allowed VLAN")

    def carries(self, vlan: int) -> bool:
        """Return whether this trunk carries ``vlan``."""
        return self.allowed is None or vlan in self.allowed


Port = AccessPort | TrunkPort


@dataclass(frozen=True)
class Decision:
    """What the switch did with one frame: the action, its VLAN and the egress ports.

    ``frames`` maps each egress port to the frame as it leaves (tagged or not).
    """

    action: Action
    vlan: int | None
    ports: tuple[int, ...]
    frames: Mapping[int, EthernetFrame] = field(default_factory=dict, repr=False, compare=False)


class LearningSwitch:
    """A VLAN-aware learning switch with a MAC address table that ages on an injected clock.

    Args:
        ports: port number -> :class:`AccessPort` or :class:`TrunkPort`.
        aging_time: seconds an entry lives after its address was last seen as a source.
        capacity: most entries the table holds (``None``: unbounded); when full,
            new addresses are not learned and frames to them are flooded, which
            is what a MAC flooding attack exploits.
        clock: seconds, monotonic (a fake clock in tests).

    Raises:
        TypeError, ValueError: a bad port map, ageing time, capacity or clock.

    Complexity: each :meth:`receive` is O(1) expected for a forward, O(p) for a flood.
    """

    def __init__(
        self,
        ports: Mapping[int, Port],
        *,
        aging_time: float = DEFAULT_AGING_TIME,
        capacity: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(ports, Mapping) or not ports:
            raise ValueError(f"ports must be a non-empty mapping, got {ports!r}")
        for number, port in ports.items():
            check_int(number, "port number", minimum=1)
            if not isinstance(port, AccessPort | TrunkPort):
                raise TypeError(f"port {number} must be an AccessPort or TrunkPort, got {port!r}")
        self._ports = dict(sorted(ports.items()))
        self.aging_time = check_real(aging_time, "aging_time", positive=True)
        self.capacity = None if capacity is None else check_int(capacity, "capacity", minimum=1)
        check_callable(clock, "clock")
        self._clock = clock
        self._table: dict[tuple[int, str], tuple[int, float]] = {}

    def receive(self, port: int, frame: EthernetFrame) -> Decision:
        """Process one frame arriving on ``port``: learn its source, then forward, flood or filter.

        A tagged frame on an access port, or a frame in a VLAN the trunk does
        not carry, is dropped (action ``"drop"``, VLAN ``None`` if unknown).

        Raises:
            KeyError: no such port.
            TypeError: ``frame`` is not an
                :class:`~studybook.networking.switching.frames.EthernetFrame`.

        Complexity: O(1) expected to decide, plus O(p) to build a flood.

        >>> sw = LearningSwitch({1: AccessPort(), 2: AccessPort()}, clock=lambda: 0.0)
        >>> a, b = "00:00:5e:00:53:0a", "00:00:5e:00:53:0b"
        >>> sw.receive(1, EthernetFrame(b, a, 0x0800))
        Decision(action='flood', vlan=1, ports=(2,))
        >>> sw.receive(2, EthernetFrame(a, b, 0x0800))
        Decision(action='forward', vlan=1, ports=(1,))
        >>> sw.receive(9, EthernetFrame(a, b, 0x0800))
        Traceback (most recent call last):
            ...
        KeyError: 'no port 9; ports are [1, 2]'
        """
        ingress = self._port(port)
        if not isinstance(frame, EthernetFrame):
            raise TypeError(f"frame must be an EthernetFrame, got {frame!r}")
        vlan = _ingress_vlan(ingress, frame)
        if vlan is None:
            return Decision("drop", None, ())
        now = self._now()
        if not is_group_address(frame.src):
            self._learn(vlan, frame.src, port, now)
        if not is_group_address(frame.dst):
            known = self._live(vlan, frame.dst, now)
            if known is not None:
                if known == port:
                    return Decision("filter", vlan, ())
                return self._send("forward", vlan, (known,), frame)
        members = tuple(n for n, p in self._ports.items() if n != port and _member(p, vlan))
        return self._send("flood", vlan, members, frame)

    def lookup(self, vlan: int, mac: str) -> int:
        """Return the port a live entry maps ``(vlan, mac)`` to.

        Raises:
            KeyError: no live entry (never learned, or aged out).

        Complexity: O(1) expected.
        """
        check_vid(vlan)
        known = self._live(vlan, EthernetFrame(mac, mac, 0x0800).src, self._now())
        if known is None:
            raise KeyError(f"{mac!r} is not in the table for VLAN {vlan}")
        return known

    def mac_table(self) -> list[tuple[int, str, int, float]]:
        """Return the live entries as ``(vlan, mac, port, age in seconds)``, sorted.

        Expired entries are removed first, as a switch's ageing process does.

        Complexity: O(n log n) for n entries.
        """
        now = self._now()
        for key in [k for k, (_, seen) in self._table.items() if now - seen >= self.aging_time]:
            del self._table[key]
        return sorted((v, m, p, now - seen) for (v, m), (p, seen) in self._table.items())

    def _check_invariants(self) -> None:
        if self.capacity is not None and len(self._table) > self.capacity:
            raise AssertionError(f"{len(self._table)} entries exceed capacity {self.capacity}")
        for (vlan, mac), (port, _) in self._table.items():
            if not _member(self._ports[port], vlan) or is_group_address(mac):
                raise AssertionError(f"bad entry {(vlan, mac)} -> port {port}")

    def _port(self, port: object) -> Port:
        if isinstance(port, bool) or not isinstance(port, int):
            raise TypeError(f"port must be an int, got {type(port).__name__}: {port!r}")
        if port not in self._ports:
            raise KeyError(f"no port {port}; ports are {list(self._ports)}")
        return self._ports[port]

    def _now(self) -> float:
        return check_real(self._clock(), "clock()")

    def _learn(self, vlan: int, mac: str, port: int, now: float) -> None:
        key = (vlan, mac)
        if key not in self._table and self.capacity is not None:
            if len(self._table) >= self.capacity:
                self.mac_table()  # make room by ageing out what has expired
            if len(self._table) >= self.capacity:
                return
        self._table[key] = (port, now)

    def _live(self, vlan: int, mac: str, now: float) -> int | None:
        entry = self._table.get((vlan, mac))
        if entry is None:
            return None
        port, seen = entry
        if now - seen >= self.aging_time:
            del self._table[(vlan, mac)]
            return None
        return port

    def _send(
        self, action: Action, vlan: int, ports: tuple[int, ...], frame: EthernetFrame
    ) -> Decision:
        out = {n: _egress_frame(self._ports[n], vlan, frame) for n in ports}
        return Decision(action, vlan, ports, out)


def _ingress_vlan(port: Port, frame: EthernetFrame) -> int | None:
    if isinstance(port, AccessPort):
        return port.vlan if frame.vlan is None else None
    vlan = port.native if frame.vlan is None else frame.vlan.vid
    return vlan if port.carries(vlan) else None


def _member(port: Port, vlan: int) -> bool:
    return port.vlan == vlan if isinstance(port, AccessPort) else port.carries(vlan)


def _egress_frame(port: Port, vlan: int, frame: EthernetFrame) -> EthernetFrame:
    if isinstance(port, AccessPort) or vlan == port.native:
        return replace(frame, vlan=None)
    pcp = frame.vlan.pcp if frame.vlan is not None else 0
    dei = frame.vlan.dei if frame.vlan is not None else False
    return replace(frame, vlan=VlanTag(vlan, pcp, dei))
