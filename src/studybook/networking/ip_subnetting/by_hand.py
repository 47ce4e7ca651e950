"""Subnetting by hand: the magic-number method, one octet at a time.

The method an exam candidate uses without a calculator: find the octet where
the prefix boundary falls (the *interesting* octet), subtract its mask value
from 256 to get the *magic number* (the block size in that octet), and round
the address's octet down to a multiple of it. Octets to the left are copied,
octets to the right become 0 (network) or 255 (broadcast).
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.networking.ip_subnetting.addresses import netmask, parse_interface

__all__ = ["HandSubnet", "magic_number"]

_ORDINAL = ("1st", "2nd", "3rd", "4th")


@dataclass(frozen=True)
class HandSubnet:
    """The worked answer for one interface address, with the steps that lead to it."""

    network: str
    broadcast: str
    first_usable: str
    last_usable: str
    usable: int
    steps: tuple[str, ...]

    def explain(self) -> str:
        """The steps, one per line."""
        return "\n".join(self.steps)


def magic_number(interface: str) -> HandSubnet:
    """Work out an IPv4 subnet with the magic-number method, showing each step.

    Args:
        interface: a host address and its prefix length, e.g. ``"172.16.45.14/20"``.

    Returns:
        The network, broadcast and usable range, and the steps as text. A /31
        or /32 has no broadcast address to subtract (RFC 3021): every address
        in it is usable.

    Raises:
        ValueError: malformed, or not IPv4.

    Complexity: O(1).

    >>> print(magic_number("172.16.45.14/20").explain())
    /20 = 255.255.240.0; the interesting octet is the 3rd (mask 240, address 45)
    magic number = 256 - 240 = 16
    45 // 16 = 2, so the subnet starts at 2 x 16 = 32 and the next one at 48
    network 172.16.32.0, broadcast 172.16.47.255
    usable 172.16.32.1 - 172.16.47.254 (4094 hosts)
    >>> magic_number("10.0.0.1/33")
    Traceback (most recent call last):
        ...
    ValueError: prefix length must be in [0, 32] for IPv4, got '10.0.0.1/33'
    """
    address, subnet = parse_interface(interface)
    if subnet.version != 4:
        raise ValueError(f"the magic-number method is for IPv4, got {interface!r}")
    length = subnet.length
    octets = [address >> shift & 0xFF for shift in (24, 16, 8, 0)]
    mask = [int(x) for x in netmask(length).split(".")]
    i = min(length // 8, 3)
    magic = 256 - mask[i]
    block = octets[i] // magic
    start = block * magic
    net = [*octets[:i], start, *[0] * (3 - i)]
    bcast = [*octets[:i], start + magic - 1, *[255] * (3 - i)]
    network, broadcast = _dotted(net), _dotted(bcast)
    if length >= 31:
        first, last = network, broadcast
        usable = 2 ** (32 - length)
    else:
        first = _dotted([*net[:3], net[3] + 1])
        last = _dotted([*bcast[:3], bcast[3] - 1])
        usable = 2 ** (32 - length) - 2
    steps = (
        f"/{length} = {netmask(length)}; the interesting octet is the {_ORDINAL[i]} "
        f"(mask {mask[i]}, address {octets[i]})",
        f"magic number = 256 - {mask[i]} = {magic}",
        f"{octets[i]} // {magic} = {block}, so the subnet starts at {block} x {magic} = {start}"
        f" and the next one at {start + magic}",
        f"network {network}, broadcast {broadcast}"
        + {
            31: " (RFC 3021: no broadcast, both ends usable)",
            32: " (a /32 is one host: no network or broadcast address)",
        }.get(length, ""),
        f"usable {first} - {last} ({usable} host{'s' if usable != 1 else ''})",
    )
    return HandSubnet(network, broadcast, first, last, usable, steps)


def _dotted(octets: list[int]) -> str:
    return ".".join(map(str, octets))
