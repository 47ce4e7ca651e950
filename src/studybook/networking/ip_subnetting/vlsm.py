"""Variable-length subnet masking: carve one parent prefix into right-sized subnets.

Each requirement (a name and a host count) gets the smallest block of 2**k
addresses that holds its hosts plus the network and broadcast addresses,
a /(32 - k). Requirements are placed largest first, one after another from
the parent's first address. Largest-first is what makes this simple: every
block size is a power of two no larger than the one before, so the running
offset is always a multiple of the next block's size, every block lands
aligned, and no address is wasted between blocks. A plan therefore fits
exactly when the block sizes add up to no more than the parent.

RFC 3021 lets a point-to-point link use a /31 (two addresses, both usable,
no network or broadcast address); with ``rfc3021=True`` a two-host
requirement gets a /31 and a one-host requirement a /32 (a single address, as
on a loopback interface).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studybook._validate import check_int, check_str
from studybook.networking.ip_subnetting.addresses import (
    Prefix,
    format_address,
    netmask,
    parse_prefix,
)

__all__ = ["DoesNotFit", "Subnet", "describe", "plan_vlsm", "prefix_for_hosts"]


class DoesNotFit(ValueError):
    """The requirements need more addresses than the parent prefix holds."""


@dataclass(frozen=True)
class Subnet:
    """One allocated IPv4 subnet, with every address a reader asks for."""

    name: str
    hosts: int
    network: str
    length: int
    mask: str
    first_usable: str
    last_usable: str
    broadcast: str | None  # None for /31 and /32: they have no broadcast address
    usable: int

    @property
    def prefix(self) -> str:
        """The subnet in CIDR notation."""
        return f"{self.network}/{self.length}"

    def __str__(self) -> str:
        broadcast = self.broadcast or "-"
        return (
            f"{self.name:<6}{self.hosts:>5} {self.prefix:<18}{self.mask:<16}"
            f"{self.first_usable:<16}{self.last_usable:<16}{broadcast}"
        )


def prefix_for_hosts(hosts: int, *, rfc3021: bool = False) -> int:
    """The longest IPv4 prefix length whose subnet holds ``hosts`` usable addresses.

    Args:
        hosts: how many interfaces need an address, at least 1.
        rfc3021: allow /31 for two hosts and /32 for one.

    Returns:
        A prefix length: 32 - ceil(log2(hosts + 2)) in the classic rule.

    Raises:
        TypeError: ``hosts`` is not an int (``bool`` included).
        ValueError: ``hosts`` below 1 or more than a /0 can hold.

    Complexity: O(1).

    >>> prefix_for_hosts(50), prefix_for_hosts(62), prefix_for_hosts(63)
    (26, 26, 25)
    >>> prefix_for_hosts(2), prefix_for_hosts(2, rfc3021=True), prefix_for_hosts(1, rfc3021=True)
    (30, 31, 32)
    >>> prefix_for_hosts(0)
    Traceback (most recent call last):
        ...
    ValueError: hosts must be in [1, 4294967294], got 0
    """
    check_int(hosts, "hosts", minimum=1, maximum=2**32 - 2)
    if rfc3021 and hosts <= 2:
        return 33 - hosts  # 2 hosts: /31 (RFC 3021); 1 host: /32
    return 32 - (hosts + 1).bit_length()  # smallest 2**k >= hosts + 2


def plan_vlsm(
    parent: str, requirements: Sequence[tuple[str, int]], *, rfc3021: bool = False
) -> list[Subnet]:
    """Allocate one subnet per requirement inside ``parent``, largest first.

    Args:
        parent: an IPv4 prefix with its host bits zero, e.g. ``"192.168.1.0/24"``.
        requirements: ``(name, hosts)`` pairs; names unique and non-empty.
            Equal sizes keep their input order.
        rfc3021: use /31 for two-host links and /32 for single hosts.

    Returns:
        The subnets in address order (which is largest-first order).

    Raises:
        TypeError: wrong types (``bool`` hosts included).
        ValueError: malformed or IPv6 parent, empty or duplicate requirements.
        DoesNotFit: the blocks need more addresses than ``parent`` has; the
            message says how many of each.

    Complexity: O(n log n) for n requirements.

    >>> for s in plan_vlsm("192.168.1.0/24", [("B", 50), ("A", 100), ("WAN", 2)]):
    ...     print(s)
    A          100  192.168.1.0/25    255.255.255.128  192.168.1.1     192.168.1.126   192.168.1.127
    B           50  192.168.1.128/26  255.255.255.192  192.168.1.129   192.168.1.190   192.168.1.191
    WAN          2  192.168.1.192/30  255.255.255.252  192.168.1.193   192.168.1.194   192.168.1.195
    >>> try:
    ...     plan_vlsm("192.168.1.0/25", [("A", 100), ("B", 50)])
    ... except DoesNotFit as exc:
    ...     print(exc)
    192.168.1.0/25 holds 128 addresses but the subnets need 192: A /25 (128), B /26 (64)
    """
    block = parse_prefix(parent)
    if block.version != 4:
        raise ValueError(f"VLSM planning here is IPv4 only (an IPv6 LAN is a /64), got {parent!r}")
    items: object = requirements
    if not isinstance(items, (list, tuple)):
        raise TypeError(f"requirements must be a list of (name, hosts), got {items!r}")
    if not items:
        raise ValueError(f"requirements must not be empty, got {items!r}")
    wanted: list[tuple[str, int, int]] = []
    names: set[str] = set()
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"each requirement must be a (name, hosts) tuple, got {item!r}")
        name = check_str(item[0], "requirement name", nonempty=True)
        hosts = check_int(item[1], f"hosts for {name!r}", minimum=1, maximum=2**32 - 2)
        if name in names:
            raise ValueError(f"duplicate requirement name {name!r}")
        names.add(name)
        wanted.append((name, hosts, prefix_for_hosts(hosts, rfc3021=rfc3021)))
    wanted.sort(key=lambda w: w[2])  # stable: equal sizes keep their input order
    need = sum(1 << (32 - length) for _, _, length in wanted)
    if need > block.size:
        detail = ", ".join(f"{n} /{length} ({1 << (32 - length)})" for n, _, length in wanted[:10])
        if len(wanted) > 10:  # keep the message bounded for huge requirement lists
            detail += f", ... and {len(wanted) - 10} more"
        raise DoesNotFit(
            f"{parent} holds {block.size} addresses but the subnets need {need}: {detail}"
        )
    plan = []
    cursor = block.network
    for name, hosts, length in wanted:
        plan.append(_subnet(name, hosts, Prefix(4, cursor, length)))
        cursor += 1 << (32 - length)
    return plan


def _subnet(name: str, hosts: int, p: Prefix) -> Subnet:
    if p.length >= 31:  # RFC 3021 /31 and a /32: every address is usable
        first, last, broadcast = p.network, p.last, None
    else:
        first, last, broadcast = p.network + 1, p.last - 1, format_address(p.last, 4)
    return Subnet(
        name=name,
        hosts=hosts,
        network=format_address(p.network, 4),
        length=p.length,
        mask=netmask(p.length),
        first_usable=format_address(first, 4),
        last_usable=format_address(last, 4),
        broadcast=broadcast,
        usable=last - first + 1,
    )


def describe(prefix: str) -> Subnet:
    """Network, mask, usable range and broadcast of one IPv4 prefix.

    Args:
        prefix: an IPv4 prefix, host bits zero.

    Returns:
        A :class:`Subnet` named after the prefix, with ``hosts`` = usable count.

    Raises:
        ValueError: malformed or not IPv4.

    Complexity: O(1).

    >>> s = describe("10.1.2.0/23")
    >>> s.mask, s.first_usable, s.last_usable, s.broadcast, s.usable
    ('255.255.254.0', '10.1.2.1', '10.1.3.254', '10.1.3.255', 510)
    >>> describe("10.0.0.6/31").broadcast is None, describe("10.0.0.6/31").usable
    (True, 2)
    """
    p = parse_prefix(prefix)
    if p.version != 4:
        raise ValueError(f"describe takes an IPv4 prefix, got {prefix!r}")
    usable = p.size if p.length >= 31 else p.size - 2
    return _subnet(prefix, usable, p)
