"""ARP (RFC 826): the packet, a cache with timeouts, gratuitous ARP, spoofing and DAI.

ARP answers "which MAC address has this IPv4 address?" on one link. The
request is broadcast; the owner unicasts a reply. Over Ethernet the packet is
28 bytes, carried with EtherType 0x0806:

======  =====  ====================================================
offset  bytes  field
======  =====  ====================================================
0       2      HTYPE, hardware type: 1 (Ethernet)
2       2      PTYPE, protocol type: 0x0800 (IPv4)
4       1      HLEN 6, then PLEN 4 (address lengths)
6       2      OPER: 1 request, 2 reply
8       6+4    sender hardware and protocol address (SHA, SPA)
18      6+4    target hardware and protocol address (THA, TPA)
======  =====  ====================================================

ARP has no authentication: any host may claim any address, which is ARP
spoofing. Dynamic ARP inspection (:class:`ArpInspector`) drops ARP packets on
untrusted ports whose sender pair is not in the DHCP snooping table.

>>> encode_arp(arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.2"))[:8].hex(" ")
'00 01 08 00 06 04 00 01'
"""

from __future__ import annotations

import ipaddress
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from studybook._validate import check_callable, check_int, check_real
from studybook.networking.switching.frames import (
    BROADCAST,
    EthernetFrame,
    format_mac,
    is_group_address,
    parse_mac,
)

__all__ = [
    "ARP_ETHERTYPE",
    "REPLY",
    "REQUEST",
    "ArpCache",
    "ArpInspector",
    "ArpPacket",
    "arp_reply",
    "arp_request",
    "decode_arp",
    "encode_arp",
    "gratuitous_arp",
]

#: EtherType of ARP.
ARP_ETHERTYPE = 0x0806
#: The ARP operation codes (ares_op$REQUEST and ares_op$REPLY in RFC 826).
REQUEST, REPLY = 1, 2
_UNKNOWN = "00:00:00:00:00:00"
_ANY = str(ipaddress.IPv4Address(0))  # 0.0.0.0, the sender IP of an RFC 5227 ARP probe
_LAYOUT = struct.Struct("!HHBBH6s4s6s4s")  # 28 bytes


@dataclass(frozen=True)
class ArpPacket:
    """One ARP packet for IPv4 over Ethernet; addresses are normalised text."""

    operation: int
    sender_mac: str
    sender_ip: str
    target_mac: str
    target_ip: str

    def __post_init__(self) -> None:
        check_int(self.operation, "ARP operation", minimum=REQUEST, maximum=REPLY)
        for name in ("sender_mac", "target_mac"):
            object.__setattr__(self, name, format_mac(parse_mac(getattr(self, name))))
        for name in ("sender_ip", "target_ip"):
            object.__setattr__(self, name, _ipv4(getattr(self, name)))

    def frame(self) -> EthernetFrame:
        """Return the Ethernet frame that carries it: requests broadcast, replies unicast."""
        dst = BROADCAST if self.operation == REQUEST else self.target_mac
        return EthernetFrame(dst, self.sender_mac, ARP_ETHERTYPE, encode_arp(self))


def _ipv4(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"an IPv4 address must be a str, got {type(value).__name__}: {value!r}")
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise ValueError(f"not an IPv4 address: {value!r}") from None


def arp_request(sender_mac: str, sender_ip: str, target_ip: str) -> ArpPacket:
    """Return "who has ``target_ip``? tell ``sender_ip``": the target MAC is all zeros.

    Complexity: O(1).
    """
    return ArpPacket(REQUEST, sender_mac, sender_ip, _UNKNOWN, target_ip)


def arp_reply(request: ArpPacket, mac: str) -> ArpPacket:
    """Return the reply to ``request`` from the owner of its target IP, whose MAC is ``mac``.

    Raises:
        ValueError: ``request`` is not a request.

    Complexity: O(1).

    >>> q = arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.2")
    >>> r = arp_reply(q, "00:00:5e:00:53:02")
    >>> r.operation, r.sender_mac, r.sender_ip, r.target_mac, r.target_ip
    (2, '00:00:5e:00:53:02', '192.0.2.2', '00:00:5e:00:53:01', '192.0.2.1')
    >>> arp_reply(r, "00:00:5e:00:53:02")
    Traceback (most recent call last):
        ...
    ValueError: can only reply to an ARP request, got operation 2
    """
    if not isinstance(request, ArpPacket) or request.operation != REQUEST:
        if not isinstance(request, ArpPacket):
            raise TypeError(f"request must be an ArpPacket, got {request!r}")
        raise ValueError(f"can only reply to an ARP request, got operation {request.operation}")
    return ArpPacket(REPLY, mac, request.target_ip, request.sender_mac, request.sender_ip)


def gratuitous_arp(mac: str, ip: str) -> ArpPacket:
    """Return a gratuitous ARP: a broadcast request whose sender and target IP are both ``ip``.

    Hosts send one when an address comes up or moves (a failover, a VM
    migration) so that neighbours update their caches; RFC 5227 uses the
    same form to announce an address after probing for conflicts.

    Complexity: O(1).
    """
    return ArpPacket(REQUEST, mac, ip, _UNKNOWN, ip)


def encode_arp(packet: ArpPacket) -> bytes:
    """Return the 28 bytes of an IPv4-over-Ethernet ARP packet.

    Complexity: O(1).

    >>> encode_arp(gratuitous_arp("00:00:5e:00:53:01", "192.0.2.1")).hex(" ")
    '00 01 08 00 06 04 00 01 00 00 5e 00 53 01 c0 00 02 01 00 00 00 00 00 00 c0 00 02 01'
    """
    if not isinstance(packet, ArpPacket):
        raise TypeError(f"packet must be an ArpPacket, got {packet!r}")
    return _LAYOUT.pack(
        1,
        0x0800,
        6,
        4,
        packet.operation,
        parse_mac(packet.sender_mac),
        ipaddress.IPv4Address(packet.sender_ip).packed,
        parse_mac(packet.target_mac),
        ipaddress.IPv4Address(packet.target_ip).packed,
    )


def decode_arp(data: bytes) -> ArpPacket:
    """Parse an IPv4-over-Ethernet ARP packet (trailing Ethernet padding is ignored).

    Raises:
        TypeError: not bytes.
        ValueError: fewer than 28 bytes, another hardware or protocol type,
            wrong address lengths, or an operation other than 1 or 2.

    Complexity: O(1).

    >>> decode_arp(bytes(27))
    Traceback (most recent call last):
        ...
    ValueError: truncated ARP packet: 27 bytes, need 28
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    if len(data) < _LAYOUT.size:
        raise ValueError(f"truncated ARP packet: {len(data)} bytes, need {_LAYOUT.size}")
    htype, ptype, hlen, plen, oper, sha, spa, tha, tpa = _LAYOUT.unpack_from(bytes(data))
    if (htype, ptype, hlen, plen) != (1, 0x0800, 6, 4):
        raise ValueError(
            "not IPv4-over-Ethernet ARP: "
            f"HTYPE {htype}, PTYPE 0x{ptype:04x}, HLEN {hlen}, PLEN {plen}"
        )
    if oper not in (REQUEST, REPLY):
        raise ValueError(f"unknown ARP operation {oper}")
    ip = ipaddress.IPv4Address
    return ArpPacket(oper, format_mac(sha), str(ip(spa)), format_mac(tha), str(ip(tpa)))


class ArpCache:
    """A host's ARP cache: IPv4 -> MAC, each entry valid for ``timeout`` seconds.

    Following RFC 826's merge rule, a packet updates an existing entry for its
    sender IP, and creates one only if the packet was addressed to us (its
    target IP is ours). Gratuitous ARP therefore refreshes existing entries,
    and so does a forged one: the cache believes whatever it hears. An expired
    entry no longer counts as existing; an RFC 5227 probe's sender 0.0.0.0
    and a claim to our own address are answered or ignored, never cached.

    Args:
        my_ip: this host's IPv4 address.
        my_mac: this host's MAC address, which its replies carry.
        timeout: seconds an entry lives (Cisco IOS's ``arp timeout`` default is 4 hours).
        clock: seconds, monotonic.

    Complexity: O(1) expected per operation.
    """

    def __init__(
        self,
        my_ip: str,
        my_mac: str,
        *,
        timeout: float = 14_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.my_ip = _ipv4(my_ip)
        self.my_mac = format_mac(parse_mac(my_mac))
        self.timeout = check_real(timeout, "timeout", positive=True)
        check_callable(clock, "clock")
        self._clock = clock
        self._entries: dict[str, tuple[str, float]] = {}

    def receive(self, packet: ArpPacket) -> ArpPacket | None:
        """Apply RFC 826's merge rule to ``packet``; return the reply we send, if any.

        Complexity: O(1) expected.

        >>> cache = ArpCache("192.0.2.2", "00:00:5e:00:53:02", clock=lambda: 0.0)
        >>> cache.receive(arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.9")) is None
        True
        >>> cache.entries()
        {}
        >>> cache.receive(arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.2")).operation
        2
        >>> cache.entries()
        {'192.0.2.1': '00:00:5e:00:53:01'}
        """
        if not isinstance(packet, ArpPacket):
            raise TypeError(f"packet must be an ArpPacket, got {packet!r}")
        if is_group_address(packet.sender_mac):
            return None  # no valid host has a group address: never cache one
        now = check_real(self._clock(), "clock()")
        for_me = packet.target_ip == self.my_ip
        entry = self._entries.get(packet.sender_ip)
        known = entry is not None and now - entry[1] < self.timeout  # an expired entry is gone
        # An RFC 5227 probe (sender 0.0.0.0) or a claim to our own address is
        # never a binding to cache; the probe still gets our reply below.
        bindable = packet.sender_ip not in (_ANY, self.my_ip)
        if bindable and (known or for_me):
            self._entries[packet.sender_ip] = (packet.sender_mac, now)
        if for_me and packet.operation == REQUEST and packet.sender_ip != self.my_ip:
            return arp_reply(packet, self.my_mac)
        return None

    def lookup(self, ip: str) -> str:
        """Return the cached MAC for ``ip``.

        Raises:
            KeyError: no entry, or it has expired (the host would now send a request).

        Complexity: O(1) expected.
        """
        ip = _ipv4(ip)
        entry = self._entries.get(ip)
        now = check_real(self._clock(), "clock()")
        if entry is None or now - entry[1] >= self.timeout:
            self._entries.pop(ip, None)
            raise KeyError(f"no ARP entry for {ip}")
        return entry[0]

    def entries(self) -> dict[str, str]:
        """Return the live entries, IP -> MAC, in address order.

        Complexity: O(n log n).
        """
        now = check_real(self._clock(), "clock()")
        live = {ip: mac for ip, (mac, seen) in self._entries.items() if now - seen < self.timeout}
        self._entries = {ip: self._entries[ip] for ip in live}
        return dict(sorted(live.items(), key=lambda kv: ipaddress.IPv4Address(kv[0])))


class ArpInspector:
    """Dynamic ARP inspection: check ARP on untrusted ports against DHCP snooping bindings.

    Args:
        bindings: IP -> MAC pairs learned by DHCP snooping (or set statically).
        trusted: ports not inspected (uplinks, the router, the DHCP server).

    Complexity: O(1) expected per packet.

    >>> dai = ArpInspector({"192.0.2.1": "00:00:5e:00:53:01"}, trusted={24})
    >>> forged = gratuitous_arp("00:00:5e:00:53:66", "192.0.2.1")
    >>> dai.allows(3, forged), dai.allows(24, forged)
    (False, True)
    >>> dai.allows(3, gratuitous_arp("00:00:5e:00:53:01", "192.0.2.1"))
    True
    """

    def __init__(
        self, bindings: Mapping[str, str], *, trusted: frozenset[int] | set[int] = frozenset()
    ) -> None:
        if not isinstance(bindings, Mapping):
            raise TypeError(f"bindings must be a mapping of IP to MAC, got {bindings!r}")
        self._bindings = {_ipv4(ip): format_mac(parse_mac(mac)) for ip, mac in bindings.items()}
        self._trusted = frozenset(check_int(p, "trusted port", minimum=1) for p in trusted)

    def allows(self, port: int, packet: ArpPacket) -> bool:
        """Return whether the switch forwards ``packet`` that arrived on ``port``.

        Complexity: O(1) expected.
        """
        check_int(port, "port", minimum=1)
        if not isinstance(packet, ArpPacket):
            raise TypeError(f"packet must be an ArpPacket, got {packet!r}")
        if port in self._trusted:
            return True
        return self._bindings.get(packet.sender_ip) == packet.sender_mac
