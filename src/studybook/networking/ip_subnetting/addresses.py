"""Addresses and prefixes as integers: parse, format and mask IPv4 and IPv6 text.

Everything else in this package works on the integers this module produces,
never on ``ipaddress``, so the tests can use ``ipaddress`` as an
independent oracle. An IPv4 address is a 32-bit integer, an IPv6 address a
128-bit one; a prefix is a network integer plus a length, and its mask is
``length`` one-bits followed by zeros.

**Strictness.** A *prefix* (``10.0.0.0/24``) must have every host bit zero:
``10.0.0.1/24`` is refused, as ``ipaddress.ip_network`` does by default
(``strict=True``). An *interface address* (``10.0.0.1/24``: a host and the
length of its subnet) is a different thing, parsed by :func:`parse_interface`.
Dotted quads with leading zeros (``010.0.0.1``) are refused, because the
legacy ``inet_aton`` reads them as octal (``010`` is 8), as Python's own
``ipaddress`` has done since 3.9.5 (bpo-36384); so are IPv6 zone ids
(``fe80::1%eth0``), which name an interface, not an address.

>>> str(parse_prefix("2001:DB8:0:0:0::/32"))
'2001:db8::/32'
>>> parse_prefix("10.0.0.1/24")
Traceback (most recent call last):
    ...
ValueError: prefix '10.0.0.1/24' has host bits set (the network is 10.0.0.0/24)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = [
    "Prefix",
    "compress_ipv6",
    "expand_ipv6",
    "format_address",
    "netmask",
    "parse_address",
    "parse_interface",
    "parse_prefix",
]

#: Address width in bits for each IP version.
BITS = {4: 32, 6: 128}

_OCTET = r"(?:0|[1-9][0-9]{0,2})"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}", re.ASCII)
_HEXTET = re.compile(r"[0-9A-Fa-f]{1,4}", re.ASCII)
_LENGTH = re.compile(r"0|[1-9][0-9]{0,2}", re.ASCII)


@dataclass(frozen=True, order=True)
class Prefix:
    """A CIDR block: ``version`` 4 or 6, the network as an integer, the length.

    Build one with :func:`parse_prefix`; the constructor checks the invariant
    that every host bit of ``network`` is zero.
    """

    version: int
    network: int
    length: int

    def __post_init__(self) -> None:
        if self.version not in BITS:
            raise ValueError(f"version must be 4 or 6, got {self.version!r}")
        bits = BITS[self.version]
        check_int(self.length, "prefix length", minimum=0, maximum=bits)
        check_int(self.network, "network", minimum=0, maximum=(1 << bits) - 1)
        if self.network & ~_mask(self.length, bits):
            raise ValueError(f"network {self.network:#x} has host bits set for /{self.length}")

    @property
    def bits(self) -> int:
        """The address width in bits (32 or 128)."""
        return BITS[self.version]

    @property
    def size(self) -> int:
        """How many addresses the block holds, ``2 ** (bits - length)``."""
        return 1 << (self.bits - self.length)

    @property
    def last(self) -> int:
        """The highest address in the block (the IPv4 broadcast address)."""
        return self.network + self.size - 1

    @property
    def mask(self) -> int:
        """The mask as an integer (``length`` one-bits, then zeros)."""
        return _mask(self.length, self.bits)

    def __contains__(self, address: object) -> bool:
        return isinstance(address, int) and self.network <= address <= self.last

    def __str__(self) -> str:
        return f"{format_address(self.network, self.version)}/{self.length}"


def _mask(length: int, bits: int) -> int:
    return ((1 << length) - 1) << (bits - length)


def parse_address(text: str) -> tuple[int, int]:
    """Parse an IPv4 or IPv6 address; return ``(version, value)``.

    Args:
        text: dotted-quad IPv4 (``192.0.2.1``) or any RFC 4291 IPv6 text form,
            including ``::`` and a trailing dotted quad (``::ffff:192.0.2.1``).

    Returns:
        The IP version (4 or 6) and the address as an unsigned integer.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: not an address; the message quotes it.

    Complexity: O(len(text)).

    >>> parse_address("192.0.2.1")
    (4, 3221225985)
    >>> parse_address("::ffff:192.0.2.1") == (6, 0xFFFF_C000_0201)
    True
    >>> parse_address("192.0.2.256")
    Traceback (most recent call last):
        ...
    ValueError: not an IPv4 or IPv6 address: '192.0.2.256'
    """
    check_str(text, "address")
    if ":" in text:
        value = _parse_ipv6(text)
        if value is not None:
            return 6, value
    else:
        value = _parse_ipv4(text)
        if value is not None:
            return 4, value
    raise ValueError(f"not an IPv4 or IPv6 address: {text!r}")


def _parse_ipv4(text: str) -> int | None:
    if not _IPV4.fullmatch(text):
        return None
    value = 0
    for part in text.split("."):
        octet = int(part)
        if octet > 255:
            return None
        value = value << 8 | octet
    return value


def _parse_ipv6(text: str) -> int | None:
    head, sep, tail = text.partition("::")
    if "::" in tail:
        return None  # at most one "::" (RFC 4291, section 2.2)
    left = _hextets(head, dotted_last=not sep)
    right = _hextets(tail, dotted_last=True)
    if left is None or right is None:
        return None
    if sep:
        if len(left) + len(right) > 7:
            return None  # "::" stands for at least one zero group
        groups = left + [0] * (8 - len(left) - len(right)) + right
    elif len(left) == 8:
        groups = left
    else:
        return None
    value = 0
    for group in groups:
        value = value << 16 | group
    return value


def _hextets(text: str, *, dotted_last: bool) -> list[int] | None:
    """The 16-bit groups of one side of a "::"; a dotted quad may end the address."""
    if not text:
        return []
    parts = text.split(":")
    groups: list[int] = []
    for i, part in enumerate(parts):
        if dotted_last and i == len(parts) - 1 and "." in part:
            v4 = _parse_ipv4(part)
            if v4 is None:
                return None
            groups += [v4 >> 16, v4 & 0xFFFF]
        elif _HEXTET.fullmatch(part):
            groups.append(int(part, 16))
        else:
            return None
    return groups


def format_address(value: int, version: int) -> str:
    """Format an integer as IPv4 dotted quad or RFC 5952 canonical IPv6 text.

    RFC 5952 (section 4): lowercase hex, no leading zeros, ``::`` replaces the
    longest run of two or more zero groups (the first such run on a tie) and
    never a single zero group.

    Args:
        value: the address as an unsigned integer.
        version: 4 or 6.

    Returns:
        The canonical text.

    Raises:
        TypeError: ``value`` or ``version`` is not an int (``bool`` included).
        ValueError: version not 4 or 6, or ``value`` out of range.

    Complexity: O(1) (at most eight groups).

    >>> format_address(0x2001_0DB8_0000_0000_0001_0000_0000_0001, 6)
    '2001:db8::1:0:0:1'
    >>> format_address(0xC0A80001, 4)
    '192.168.0.1'
    >>> format_address(2**32, 4)
    Traceback (most recent call last):
        ...
    ValueError: IPv4 address must be in [0, 4294967295], got 4294967296
    """
    check_int(version, "version")
    if version not in BITS:
        raise ValueError(f"version must be 4 or 6, got {version!r}")
    check_int(value, f"IPv{version} address", minimum=0, maximum=(1 << BITS[version]) - 1)
    if version == 4:
        return ".".join(str(value >> shift & 0xFF) for shift in (24, 16, 8, 0))
    groups = [value >> shift & 0xFFFF for shift in range(112, -16, -16)]
    best_start, best_len = -1, 1  # a run must be longer than 1 to be compressed
    i = 0
    while i < 8:
        j = i
        while j < 8 and groups[j] == 0:
            j += 1
        if j - i > best_len:
            best_start, best_len = i, j - i
        i = j + 1 if j > i else i + 1
    hexes = [f"{g:x}" for g in groups]
    if best_start < 0:
        return ":".join(hexes)
    head = ":".join(hexes[:best_start])
    tail = ":".join(hexes[best_start + best_len :])
    return f"{head}::{tail}"


def compress_ipv6(text: str) -> str:
    """Rewrite any IPv6 address text in RFC 5952 canonical form.

    Raises:
        ValueError: not an IPv6 address.

    Complexity: O(len(text)).

    >>> compress_ipv6("2001:0DB8:0000:0000:0001:0000:0000:0001")
    '2001:db8::1:0:0:1'
    >>> compress_ipv6("2001:db8:0:1:1:1:1:1")
    '2001:db8:0:1:1:1:1:1'
    """
    version, value = parse_address(text)
    if version != 6:
        raise ValueError(f"not an IPv6 address: {text!r}")
    return format_address(value, 6)


def expand_ipv6(text: str) -> str:
    """Write an IPv6 address in full: eight groups of four hex digits.

    Raises:
        ValueError: not an IPv6 address.

    Complexity: O(len(text)).

    >>> expand_ipv6("2001:db8::1")
    '2001:0db8:0000:0000:0000:0000:0000:0001'
    >>> expand_ipv6("10.0.0.1")
    Traceback (most recent call last):
        ...
    ValueError: not an IPv6 address: '10.0.0.1'
    """
    version, value = parse_address(text)
    if version != 6:
        raise ValueError(f"not an IPv6 address: {text!r}")
    return ":".join(f"{value >> shift & 0xFFFF:04x}" for shift in range(112, -16, -16))


def parse_prefix(text: str) -> Prefix:
    """Parse a CIDR prefix ``address/length`` whose host bits are all zero.

    Args:
        text: ``"10.0.0.0/8"``, ``"2001:db8::/32"``. The length is required
            and written in decimal without leading zeros.

    Returns:
        The :class:`Prefix`.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: malformed, a length past 32 (IPv4) or 128 (IPv6), or host
            bits set (strict, like ``ipaddress.ip_network(text)``).

    Complexity: O(len(text)).

    >>> parse_prefix("192.168.0.0/16")
    Prefix(version=4, network=3232235520, length=16)
    >>> parse_prefix("10.0.0.0/33")
    Traceback (most recent call last):
        ...
    ValueError: prefix length must be in [0, 32] for IPv4, got '10.0.0.0/33'
    """
    value, version, length = _split(text, "prefix")
    bits = BITS[version]
    network = value & _mask(length, bits)
    if network != value:
        fixed = f"{format_address(network, version)}/{length}"
        raise ValueError(f"prefix {text!r} has host bits set (the network is {fixed})")
    return Prefix(version, network, length)


def parse_interface(text: str) -> tuple[int, Prefix]:
    """Parse an interface address ``host/length``; host bits may be set.

    Returns:
        ``(address, prefix)``: the address as an integer and the subnet it is in.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: malformed or a length out of range.

    Complexity: O(len(text)).

    >>> address, subnet = parse_interface("172.16.45.14/20")
    >>> str(subnet), address in subnet
    ('172.16.32.0/20', True)
    """
    value, version, length = _split(text, "interface address")
    return value, Prefix(version, value & _mask(length, BITS[version]), length)


def _split(text: str, what: str) -> tuple[int, int, int]:
    check_str(text, what)
    address, slash, length_text = text.partition("/")
    if not slash or not _LENGTH.fullmatch(length_text):
        raise ValueError(f"{what} must look like address/length, got {text!r}")
    try:
        version, value = parse_address(address)
    except ValueError:
        raise ValueError(f"{what} has no valid IPv4 or IPv6 address, got {text!r}") from None
    length = int(length_text)
    if length > BITS[version]:
        raise ValueError(
            f"prefix length must be in [0, {BITS[version]}] for IPv{version}, got {text!r}"
        )
    return value, version, length


def netmask(length: int) -> str:
    """The dotted-quad IPv4 mask for a prefix length.

    Raises:
        TypeError: not an int (``bool`` included).
        ValueError: outside [0, 32].

    Complexity: O(1).

    >>> netmask(20), netmask(0), netmask(32)
    ('255.255.240.0', '0.0.0.0', '255.255.255.255')
    >>> netmask(True)
    Traceback (most recent call last):
        ...
    TypeError: prefix length must be an int, got bool: True
    """
    check_int(length, "prefix length", minimum=0, maximum=32)
    return format_address(_mask(length, 32), 4)
