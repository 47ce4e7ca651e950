"""VPC CIDR planning with AWS's rules, on top of the subnetting chapter's VLSM planner.

AWS differs from a classic LAN in three ways that change the arithmetic:

- a VPC's IPv4 block, and each subnet's, is between a /16 (65,536 addresses)
  and a /28 (16 addresses);
- AWS reserves five addresses in every subnet, not two: the network address,
  the next three (the VPC router, the DNS address, one kept for future
  use) and the last (there is no broadcast in a VPC, but it stays reserved);
- so a subnet for ``h`` hosts needs the smallest 2**k >= h + 5, and never
  less than a /28.

:func:`plan_vpc` asks :func:`~studybook.networking.ip_subnetting.vlsm.plan_vlsm` for
blocks of the right size (``h + 3`` classic hosts make the same block as
``h + 5`` addresses) and relabels their usable range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studybook._validate import check_int, check_str
from studybook.networking.ip_subnetting import (
    format_address,
    parse_prefix,
    plan_vlsm,
)

__all__ = [
    "AWS_RESERVED",
    "MAX_PREFIX",
    "MIN_PREFIX",
    "VpcSubnet",
    "plan_vpc",
    "reserved_addresses",
]

#: Addresses AWS keeps in every subnet (four at the start, one at the end).
AWS_RESERVED = 5
#: The largest VPC or subnet is a /16 ...
MIN_PREFIX = 16
#: ... and the smallest a /28.
MAX_PREFIX = 28


@dataclass(frozen=True)
class VpcSubnet:
    """One planned subnet and the addresses an instance can actually get."""

    name: str
    hosts: int
    cidr: str
    first_usable: str
    last_usable: str
    usable: int

    def __str__(self) -> str:
        return (
            f"{self.name:<12}{self.hosts:>6}  {self.cidr:<16}"
            f"{self.first_usable:<14}{self.last_usable:<14}{self.usable:>6}"
        )


def plan_vpc(vpc_cidr: str, requirements: Sequence[tuple[str, int]]) -> list[VpcSubnet]:
    """Carve ``vpc_cidr`` into one subnet per ``(name, hosts)``, largest first.

    Args:
        vpc_cidr: the VPC's IPv4 block, a /16 to a /28, host bits zero.
        requirements: ``(name, hosts)`` pairs, names unique, 1 <= hosts <= 65,531.

    Returns:
        The subnets in address order, each the smallest AWS-legal block
        holding ``hosts`` plus the five reserved addresses.

    Raises:
        TypeError: wrong types.
        ValueError: a malformed or out-of-range VPC block, bad requirements.
        ~studybook.networking.ip_subnetting.vlsm.DoesNotFit: the subnets need more
            addresses than the VPC has.

    Complexity: O(n log n) for n requirements.

    >>> for s in plan_vpc("10.20.0.0/22", [("app-a", 200), ("db-a", 20), ("public-a", 11)]):
    ...     print(s)
    app-a          200  10.20.0.0/24    10.20.0.4     10.20.0.254      251
    db-a            20  10.20.1.0/27    10.20.1.4     10.20.1.30        27
    public-a        11  10.20.1.32/28   10.20.1.36    10.20.1.46        11
    >>> plan_vpc("10.0.0.0/8", [("a", 1)])
    Traceback (most recent call last):
        ...
    ValueError: a VPC block must be a /16 to a /28, got '10.0.0.0/8'
    """
    check_str(vpc_cidr, "vpc_cidr", nonempty=True)
    block = parse_prefix(vpc_cidr)
    if block.version != 4 or not MIN_PREFIX <= block.length <= MAX_PREFIX:
        raise ValueError(f"a VPC block must be a /16 to a /28, got {vpc_cidr!r}")
    if not isinstance(requirements, (list, tuple)):
        raise TypeError(f"requirements must be a list of (name, hosts), got {requirements!r}")
    limit = 2 ** (32 - MIN_PREFIX) - AWS_RESERVED
    classic = []
    for item in requirements:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"each requirement must be a (name, hosts) tuple, got {item!r}")
        hosts = check_int(item[1], f"hosts for {item[0]!r}", minimum=1, maximum=limit)
        # classic blocks fit hosts + 2; AWS needs hosts + 5 and at least 16 addresses
        classic.append((item[0], max(hosts + AWS_RESERVED - 2, 2**4 - 2)))
    plan = plan_vlsm(vpc_cidr, classic)
    wanted = dict(requirements)
    out = []
    for s in plan:
        network = parse_prefix(s.prefix)
        first = network.network + AWS_RESERVED - 1
        last = network.last - 1
        out.append(
            VpcSubnet(
                name=s.name,
                hosts=wanted[s.name],
                cidr=s.prefix,
                first_usable=format_address(first, 4),
                last_usable=format_address(last, 4),
                usable=last - first + 1,
            )
        )
    return out


def reserved_addresses(subnet_cidr: str) -> dict[str, str]:
    """The five addresses AWS keeps in a subnet, with what each is for.

    Args:
        subnet_cidr: an IPv4 subnet, a /16 to a /28.

    Returns:
        ``{address: purpose}`` in address order.

    Raises:
        TypeError: not a str.
        ValueError: malformed, IPv6, or outside /16../28.

    Complexity: O(1).

    >>> for address, use in reserved_addresses("10.0.0.0/24").items():
    ...     print(address, use)
    10.0.0.0 network address
    10.0.0.1 VPC router
    10.0.0.2 DNS (the Amazon DNS server is the VPC base + 2)
    10.0.0.3 reserved for future use
    10.0.0.255 network broadcast (no broadcast in a VPC; still reserved)
    """
    check_str(subnet_cidr, "subnet_cidr", nonempty=True)
    p = parse_prefix(subnet_cidr)
    if p.version != 4 or not MIN_PREFIX <= p.length <= MAX_PREFIX:
        raise ValueError(f"a subnet must be an IPv4 /16 to /28, got {subnet_cidr!r}")
    uses = (
        "network address",
        "VPC router",
        "DNS (the Amazon DNS server is the VPC base + 2)",
        "reserved for future use",
    )
    out = {format_address(p.network + i, 4): use for i, use in enumerate(uses)}
    out[format_address(p.last, 4)] = "network broadcast (no broadcast in a VPC; still reserved)"
    return out
