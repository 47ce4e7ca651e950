"""IPv4 subnets by hand: CIDR prefixes, masks, broadcast and host ranges.

A /p prefix keeps the top p bits of a 32-bit address as the network part; the
network address is address AND mask, the last address network OR wildcard.
Every field agrees with ``ipaddress``, including RFC 3021's /31, where both
addresses are hosts, and /32. Parsing is stricter than ``ipaddress``: no
leading zeros in an octet or in the prefix length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybook.dsa.number_systems.endianness import int_from_bytes, int_to_bytes

__all__ = ["Subnet", "subnet"]


@dataclass(frozen=True)
class Subnet:
    """An IPv4 CIDR block and the numbers a subnet calculator shows.

    ``broadcast`` is always the block's last address (all host bits 1), as
    :attr:`ipaddress.IPv4Network.broadcast_address` reports it. For /31 that
    address is an ordinary host: RFC 3021 makes both addresses of a /31 host
    addresses and sends broadcasts on such a link to the limited broadcast
    address 255.255.255.255. For /32 it is the single address itself.
    ``first_host``/``last_host`` and ``usable_hosts`` follow
    :meth:`ipaddress.IPv4Network.hosts`: network and broadcast excluded for
    prefixes up to /30, both addresses usable in a /31, the one address in a /32.
    """

    network: str
    prefix: int
    netmask: str
    wildcard: str
    broadcast: str
    first_host: str
    last_host: str
    usable_hosts: int
    total_addresses: int

    def __contains__(self, address: object) -> bool:
        """Whether a dotted-quad address lies in this block (address AND mask == network).

        Args:
            address: a dotted-quad string; anything else is never contained.

        Returns:
            True if the address's network part equals this block's network.

        Raises:
            ValueError: ``address`` is a string but not a valid dotted quad.

        Complexity: O(1).

        >>> "10.0.0.130" in subnet("10.0.0.128/25"), "10.0.0.1" in subnet("10.0.0.128/25")
        (True, False)
        >>> "10.0.0" in subnet("10.0.0.0/8")
        Traceback (most recent call last):
        ValueError: expected four decimal octets without leading zeros, got '10.0.0'
        """
        if not isinstance(address, str):
            return False
        mask = _prefix_mask(self.prefix)
        return _parse_ipv4(address) & mask == _parse_ipv4(self.network)

    @property
    def is_rfc1918(self) -> bool:
        """Whether the whole block is private address space (RFC 1918).

        True when the block lies inside 10.0.0.0/8, 172.16.0.0/12 or
        192.168.0.0/16; a block that merely overlaps one (``10.0.0.0/7``) is not.

        Complexity: O(1).

        >>> subnet("172.16.5.0/24").is_rfc1918, subnet("172.32.0.0/24").is_rfc1918
        (True, False)
        """
        net = _parse_ipv4(self.network)
        return any(
            self.prefix >= p and net & _prefix_mask(p) == _parse_ipv4(base)
            for base, p in (("10.0.0.0", 8), ("172.16.0.0", 12), ("192.168.0.0", 16))
        )


def subnet(cidr: str, *, strict: bool = True) -> Subnet:
    """Compute a CIDR block's network, mask, broadcast and host range (RFC 4632).

    Parsing is strict: exactly ``a.b.c.d/p`` with four decimal octets 0..255
    and a prefix length 0..32, neither with leading zeros (``010`` could mean
    octal; ``ipaddress`` accepts a ``/08`` prefix, this does not). With
    ``strict=True`` (the default, like :func:`ipaddress.ip_network`) an
    address with host bits set is an error, since ``10.0.0.1/24`` is
    probably a typo for a host address; ``strict=False`` masks them off.

    Args:
        cidr: e.g. ``"192.168.1.0/24"``.
        strict: reject host bits set.

    Returns:
        A :class:`Subnet`.

    Raises:
        TypeError: ``cidr`` is not a str or ``strict`` is not a bool.
        ValueError: malformed input, or host bits set when ``strict``.

    Complexity: O(1).

    >>> s = subnet("10.1.2.0/23")
    >>> s.netmask, s.broadcast, s.first_host, s.last_host, s.usable_hosts
    ('255.255.254.0', '10.1.3.255', '10.1.2.1', '10.1.3.254', 510)
    >>> subnet("10.0.0.1/24")
    Traceback (most recent call last):
    ValueError: '10.0.0.1/24' has host bits set (network is 10.0.0.0/24)
    >>> subnet("10.0.0.0/08")
    Traceback (most recent call last):
    ValueError: expected a.b.c.d/prefix with prefix 0..32, got '10.0.0.0/08'
    """
    if not isinstance(cidr, str):
        raise TypeError(f"cidr must be a str, got {cidr!r}")
    if not isinstance(strict, bool):
        raise TypeError(f"strict must be a bool, got {strict!r}")
    address, slash, prefix_text = cidr.partition("/")
    if not slash or not re.fullmatch(r"0|[1-9][0-9]?", prefix_text) or int(prefix_text) > 32:
        raise ValueError(f"expected a.b.c.d/prefix with prefix 0..32, got {cidr!r}")
    prefix = int(prefix_text)
    mask = _prefix_mask(prefix)
    addr = _parse_ipv4(address, cidr)
    net = addr & mask
    if strict and net != addr:
        raise ValueError(f"{cidr!r} has host bits set (network is {_format_ipv4(net)}/{prefix})")
    wildcard = ~mask & 0xFFFFFFFF
    last = net | wildcard
    if prefix >= 31:  # RFC 3021 (/31) and a single host (/32): no network/broadcast to skip
        first_host, last_host = net, last
    else:
        first_host, last_host = net + 1, last - 1
    return Subnet(
        network=_format_ipv4(net),
        prefix=prefix,
        netmask=_format_ipv4(mask),
        wildcard=_format_ipv4(wildcard),
        broadcast=_format_ipv4(last),
        first_host=_format_ipv4(first_host),
        last_host=_format_ipv4(last_host),
        usable_hosts=last_host - first_host + 1,
        total_addresses=1 << (32 - prefix),
    )


def _prefix_mask(prefix: int) -> int:
    """The netmask of a prefix length as a 32-bit int: ``prefix`` ones, then zeros."""
    return (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF


def _parse_ipv4(text: str, context: str | None = None) -> int:
    """A dotted quad as a 32-bit int; errors quote ``context`` (the whole input)."""
    shown = text if context is None else context
    parts = text.split(".")
    if len(parts) != 4 or not all(re.fullmatch(r"0|[1-9][0-9]{0,2}", p) for p in parts):
        raise ValueError(f"expected four decimal octets without leading zeros, got {shown!r}")
    octets = [int(p) for p in parts]
    if max(octets) > 255:
        raise ValueError(f"octet out of range 0..255 in {shown!r}")
    return int_from_bytes(bytes(octets), "big")


def _format_ipv4(value: int) -> str:
    return ".".join(str(b) for b in int_to_bytes(value, 4, "big"))
