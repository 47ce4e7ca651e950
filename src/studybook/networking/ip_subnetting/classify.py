"""What an address is: IPv4 classes and special ranges, IPv6 types, EUI-64 interface ids.

Classful addressing (RFC 791, 1981) fixed the network/host split by the first
bits of the address; CIDR (RFC 4632) replaced it in 1993, but the class
boundaries survive in exam questions and in the default masks of old
software. The special-purpose ranges are listed in the IANA registry that
RFC 6890 set up; the IPv6 types come from RFC 4291 and RFC 4193.
"""

from __future__ import annotations

import re

from studybook._validate import check_str
from studybook.networking.ip_subnetting.addresses import (
    Prefix,
    format_address,
    parse_address,
    parse_prefix,
)

__all__ = [
    "eui64_interface_id",
    "ipv4_class",
    "ipv4_scope",
    "ipv6_type",
    "link_local_address",
    "slaac_address",
]

#: (class, first octets, default prefix length or None) in RFC 791 / RFC 1112 terms.
CLASSES = (
    ("A", range(128), 8),
    ("B", range(128, 192), 16),
    ("C", range(192, 224), 24),
    ("D", range(224, 240), None),  # multicast (RFC 1112)
    ("E", range(240, 256), None),  # reserved (RFC 1112)
)

#: Special IPv4 ranges, most specific first; anything else is "public".
IPV4_RANGES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "this network (RFC 1122)"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("100.64.0.0/10", "shared address space, CGNAT (RFC 6598)"),
    ("127.0.0.0/8", "loopback (RFC 1122)"),
    ("169.254.0.0/16", "link-local (RFC 3927)"),
    ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    ("198.18.0.0/15", "benchmarking (RFC 2544)"),
    ("192.0.2.0/24", "documentation (RFC 5737)"),
    ("198.51.100.0/24", "documentation (RFC 5737)"),
    ("203.0.113.0/24", "documentation (RFC 5737)"),
    ("224.0.0.0/4", "multicast (RFC 5771)"),
    ("255.255.255.255/32", "limited broadcast (RFC 919)"),
    ("240.0.0.0/4", "reserved, former class E (RFC 1112)"),
)

#: IPv6 types, most specific first (RFC 4291 section 2.4, RFC 4193, RFC 3849).
IPV6_RANGES: tuple[tuple[str, str], ...] = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "IPv4-mapped"),
    ("ff00::/8", "multicast"),
    ("fe80::/10", "link-local unicast"),
    ("fc00::/7", "unique local unicast (RFC 4193)"),
    ("2001:db8::/32", "documentation (RFC 3849)"),
    ("2000::/3", "global unicast"),
)


def _address(text: str, version: int) -> int:
    v, value = parse_address(text)
    if v != version:
        raise ValueError(f"expected an IPv{version} address, got {text!r}")
    return value


def _lookup(value: int, ranges: tuple[tuple[str, str], ...], default: str) -> str:
    for prefix, label in ranges:
        if value in parse_prefix(prefix):
            return label
    return default


def ipv4_class(address: str) -> str:
    """The historical class of an IPv4 address, read from its first bits.

    Class A starts with bit 0, B with 10, C with 110, D with 1110, E with 1111.

    Raises:
        ValueError: not an IPv4 address.

    Complexity: O(1).

    >>> [ipv4_class(a) for a in ("10.1.1.1", "172.16.0.1", "192.168.1.1", "224.0.0.5", "250.0.0.1")]
    ['A', 'B', 'C', 'D', 'E']
    """
    first = _address(address, 4) >> 24
    return next(name for name, octets, _ in CLASSES if first in octets)


def ipv4_scope(address: str) -> str:
    """Which special-purpose range an IPv4 address is in, or ``"public"``.

    Raises:
        ValueError: not an IPv4 address.

    Complexity: O(1) (a fixed table of 15 ranges).

    >>> ipv4_scope("172.31.255.1"), ipv4_scope("172.32.0.1")
    ('private (RFC 1918)', 'public')
    >>> ipv4_scope("100.64.0.1"), ipv4_scope("169.254.10.1")
    ('shared address space, CGNAT (RFC 6598)', 'link-local (RFC 3927)')
    >>> ipv4_scope("::1")
    Traceback (most recent call last):
        ...
    ValueError: expected an IPv4 address, got '::1'
    """
    return _lookup(_address(address, 4), IPV4_RANGES, "public")


def ipv6_type(address: str) -> str:
    """The RFC 4291 type of an IPv6 address (the first matching range of ``IPV6_RANGES``).

    Raises:
        ValueError: not an IPv6 address.

    Complexity: O(1).

    >>> for a in ("fe80::1", "fd12:3456::1", "ff02::1", "2606:4700::1", "::1", "::"):
    ...     print(f"{a:<14}{ipv6_type(a)}")
    fe80::1       link-local unicast
    fd12:3456::1  unique local unicast (RFC 4193)
    ff02::1       multicast
    2606:4700::1  global unicast
    ::1           loopback
    ::            unspecified
    """
    return _lookup(_address(address, 6), IPV6_RANGES, "reserved or unassigned")


_MAC = re.compile(
    r"(?:[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4})|(?:[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})",
    re.ASCII | re.IGNORECASE,
)


def _mac(mac: str) -> int:
    check_str(mac, "MAC address")
    if not _MAC.fullmatch(mac):
        raise ValueError(f"MAC address must look like 00:11:22:33:44:55, got {mac!r}")
    return int(re.sub(r"[:.-]", "", mac), 16)


def eui64_interface_id(mac: str) -> int:
    """The 64-bit modified EUI-64 interface id of a 48-bit MAC (RFC 4291, appendix A).

    Split the MAC after its third byte, insert ``ff:fe``, and invert the
    universal/local bit (bit 1 of the first byte, value 0x02).

    Args:
        mac: ``00:11:22:33:44:55``, ``00-11-22-33-44-55`` or ``0011.2233.4455``.

    Raises:
        TypeError: not a str.
        ValueError: not a MAC address.

    Complexity: O(1).

    >>> f"{eui64_interface_id('00:11:22:33:44:55'):016x}"
    '021122fffe334455'
    >>> eui64_interface_id("00:11:22:33:44")
    Traceback (most recent call last):
        ...
    ValueError: MAC address must look like 00:11:22:33:44:55, got '00:11:22:33:44'
    """
    value = _mac(mac)
    oui, nic = value >> 24, value & 0xFFFFFF
    return ((oui << 16 | 0xFFFE) << 24 | nic) ^ (0x02 << 56)


def slaac_address(prefix: str, mac: str) -> str:
    """The address SLAAC forms from a /64 prefix and a MAC with modified EUI-64.

    Args:
        prefix: an IPv6 /64 (the only length SLAAC accepts on Ethernet,
            whose interface ids are 64 bits: RFC 4862 section 5.5.3, RFC 2464).
        mac: the interface's MAC address.

    Raises:
        ValueError: not an IPv6 /64, or a bad MAC.

    Complexity: O(1).

    >>> slaac_address("2001:db8:1:2::/64", "00:11:22:33:44:55")
    '2001:db8:1:2:211:22ff:fe33:4455'
    >>> slaac_address("2001:db8::/48", "00:11:22:33:44:55")
    Traceback (most recent call last):
        ...
    ValueError: SLAAC needs an IPv6 /64 prefix, got '2001:db8::/48'
    """
    p: Prefix = parse_prefix(prefix)
    if p.version != 6 or p.length != 64:
        raise ValueError(f"SLAAC needs an IPv6 /64 prefix, got {prefix!r}")
    return format_address(p.network | eui64_interface_id(mac), 6)


def link_local_address(mac: str) -> str:
    """The EUI-64 link-local address ``fe80::/64`` + interface id of a MAC.

    >>> link_local_address("0011.2233.4455")
    'fe80::211:22ff:fe33:4455'
    """
    return slaac_address("fe80::/64", mac)
