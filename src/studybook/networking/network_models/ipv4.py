"""IPv4 headers (RFC 791): every field, options, and the header checksum.

Layout, 20 bytes plus up to 40 bytes of options (IHL counts 32-bit words, 5 to 15)::

    version 4 | IHL 4 | DSCP 6 | ECN 2 | total length 16
    identification 16 | flags 3 (0, DF, MF) | fragment offset 13 (8-byte units)
    TTL 8 | protocol 8 | header checksum 16
    source address 32
    destination address 32
    options (0-40 bytes, padded to a multiple of 4)

>>> p = decode_ipv4(encode_ipv4(IPv4Packet("10.0.0.1", "10.0.0.2", PROTO_UDP, b"hi")))
>>> p.src, p.dst, p.ttl, p.payload
('10.0.0.1', '10.0.0.2', 64, b'hi')
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass

from studybook._validate import check_int
from studybook.networking.network_models._wire import as_bytes, check_bytes
from studybook.networking.network_models.checksum import ipv4_checksum

__all__ = [
    "MAX_PACKET",
    "PROTO_ICMP",
    "PROTO_TCP",
    "PROTO_UDP",
    "ChecksumError",
    "IPv4Packet",
    "decode_ipv4",
    "encode_ipv4",
    "parse_options",
]

PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17
#: The total length field is 16 bits, so no datagram (or reassembly) exceeds this.
MAX_PACKET = 65_535


class ChecksumError(ValueError):
    """A received header or datagram whose checksum does not verify."""


@dataclass(frozen=True)
class IPv4Packet:
    """An IPv4 datagram: header fields and payload. Lengths and checksum are computed on encode.

    ``fragment_offset`` is in 8-byte units, as on the wire. ``options`` are the
    raw option bytes, a multiple of 4 long (pad with 0 = End of Option List).
    """

    src: str
    dst: str
    protocol: int
    payload: bytes
    ttl: int = 64
    identification: int = 0
    dont_fragment: bool = False
    more_fragments: bool = False
    fragment_offset: int = 0
    dscp: int = 0
    ecn: int = 0
    options: bytes = b""

    def __post_init__(self) -> None:
        for what in ("src", "dst"):
            _check_address(getattr(self, what), what)
        check_int(self.protocol, "protocol", minimum=0, maximum=255)
        check_bytes(self.payload, "payload")
        check_int(self.ttl, "ttl", minimum=0, maximum=255)
        check_int(self.identification, "identification", minimum=0, maximum=0xFFFF)
        for what in ("dont_fragment", "more_fragments"):
            flag = getattr(self, what)
            if not isinstance(flag, bool):
                raise TypeError(f"{what} must be a bool, got {type(flag).__name__}: {flag!r}")
        check_int(self.fragment_offset, "fragment_offset", minimum=0, maximum=0x1FFF)
        check_int(self.dscp, "dscp", minimum=0, maximum=63)
        check_int(self.ecn, "ecn", minimum=0, maximum=3)
        check_bytes(self.options, "options")
        if len(self.options) % 4 or len(self.options) > 40:
            raise ValueError(
                f"options must be a multiple of 4 bytes, at most 40, got {len(self.options)} bytes"
            )
        if self.total_length > MAX_PACKET:
            raise ValueError(
                f"total length must be <= {MAX_PACKET}, got {self.total_length} "
                f"({self.header_length} header + {len(self.payload)} payload)"
            )

    @property
    def header_length(self) -> int:
        """The header's length in bytes, 20 plus the options (IHL times 4)."""
        return 20 + len(self.options)

    @property
    def total_length(self) -> int:
        """The total length field, header plus payload, in bytes."""
        return self.header_length + len(self.payload)


def _check_address(value: object, what: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a dotted-quad str, got {type(value).__name__}: {value!r}")
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(
            f"{what} must be an IPv4 address like '192.0.2.1', got {value!r}"
        ) from None


def encode_ipv4(packet: IPv4Packet) -> bytes:
    """Return the wire bytes of ``packet``, with IHL, total length and checksum filled in.

    Args:
        packet: the datagram.

    Returns:
        Header (with its RFC 1071 checksum) followed by the payload.

    Raises:
        TypeError: ``packet`` is not an :class:`IPv4Packet`.

    Complexity: O(total length).

    >>> raw = encode_ipv4(IPv4Packet("192.168.0.1", "192.168.0.199", PROTO_UDP, bytes(95),
    ...                              identification=0, dont_fragment=True))
    >>> raw[:20].hex(" ")
    '45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7'
    """
    if not isinstance(packet, IPv4Packet):
        raise TypeError(f"packet must be an IPv4Packet, got {type(packet).__name__}: {packet!r}")
    flags = (int(packet.dont_fragment) << 1) | int(packet.more_fragments)
    header = struct.pack(
        "!BBHHHBBH4s4s",
        (4 << 4) | (packet.header_length // 4),
        (packet.dscp << 2) | packet.ecn,
        packet.total_length,
        packet.identification,
        (flags << 13) | packet.fragment_offset,
        packet.ttl,
        packet.protocol,
        0,
        ipaddress.IPv4Address(packet.src).packed,
        ipaddress.IPv4Address(packet.dst).packed,
    )
    header += packet.options
    checksum = ipv4_checksum(header)
    return header[:10] + struct.pack("!H", checksum) + header[12:] + packet.payload


def decode_ipv4(data: bytes, *, verify: bool = True) -> IPv4Packet:
    """Parse an IPv4 datagram, checking every length against the buffer first.

    Bytes after ``total length`` (Ethernet padding) are ignored.

    Args:
        data: the datagram, from its first header byte.
        verify: raise :class:`ChecksumError` when the header checksum is wrong.

    Returns:
        The datagram.

    Raises:
        TypeError: ``data`` is not bytes-like.
        ValueError: truncated, not version 4, IHL < 5, a total length shorter
            than the header or longer than the buffer, the reserved flag set.
        ChecksumError: ``verify`` and the checksum does not verify.

    Complexity: O(n).

    >>> decode_ipv4(bytes.fromhex("4400001c"))
    Traceback (most recent call last):
    ValueError: IPv4 header needs at least 20 bytes, got 4
    >>> decode_ipv4(bytes.fromhex("440000140000000040110000c0a80001c0a800c7"))
    Traceback (most recent call last):
    ValueError: IHL must be at least 5 (20 bytes), got 4
    """
    data = as_bytes(data, "data")
    if len(data) < 20:
        raise ValueError(f"IPv4 header needs at least 20 bytes, got {len(data)}")
    (ver_ihl, tos, total, ident, flags_frag, ttl, proto, _, src, dst) = struct.unpack_from(
        "!BBHHHBBH4s4s", data
    )
    version, ihl = ver_ihl >> 4, ver_ihl & 0x0F
    if version != 4:
        raise ValueError(f"not an IPv4 header: version is {version}")
    if ihl < 5:
        raise ValueError(f"IHL must be at least 5 (20 bytes), got {ihl}")
    header_length = ihl * 4
    if total < header_length:
        raise ValueError(f"total length {total} is shorter than the {header_length}-byte header")
    if total > len(data):
        raise ValueError(f"total length {total} is beyond the {len(data)} bytes received")
    if verify and ipv4_checksum(data[:header_length]) != 0:
        (stored,) = struct.unpack_from("!H", data, 10)
        raise ChecksumError(
            f"IPv4 header checksum 0x{stored:04x} does not verify "
            f"(expected 0x{_expected(data[:header_length]):04x})"
        )
    if flags_frag & 0x8000:
        raise ValueError("reserved flag bit is set (RFC 791: must be zero)")
    return IPv4Packet(
        src=str(ipaddress.IPv4Address(src)),
        dst=str(ipaddress.IPv4Address(dst)),
        protocol=proto,
        payload=data[header_length:total],
        ttl=ttl,
        identification=ident,
        dont_fragment=bool(flags_frag & 0x4000),
        more_fragments=bool(flags_frag & 0x2000),
        fragment_offset=flags_frag & 0x1FFF,
        dscp=tos >> 2,
        ecn=tos & 0x03,
        options=data[20:header_length],
    )


def _expected(header: bytes) -> int:
    return ipv4_checksum(header[:10] + b"\x00\x00" + header[12:])


def parse_options(options: bytes) -> list[tuple[int, bytes]]:
    """Split IPv4 option bytes into ``(type, data)`` pairs, stopping at End of Option List.

    Type 0 (EOL) ends the list; type 1 (NOP) is a one-byte filler; every other
    option is type, length (counting those two bytes), data. The top bit of the
    type is the *copied* flag: such options go into every fragment.

    Args:
        options: the raw options (``IPv4Packet.options``).

    Returns:
        The options in order, NOPs included (with empty data).

    Raises:
        TypeError: ``options`` is not bytes-like.
        ValueError: an option runs past the end or has a length below 2.

    Complexity: O(n).

    >>> parse_options(bytes([1, 0x94, 4, 0, 0, 0, 0, 0]))
    [(1, b''), (148, b'\\x00\\x00')]
    >>> parse_options(bytes([0x83, 9, 4]))
    Traceback (most recent call last):
    ValueError: option 131 at byte 0 claims 9 bytes, only 3 remain
    """
    raw = as_bytes(options, "options")
    out: list[tuple[int, bytes]] = []
    i = 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            out.append((1, b""))
            i += 1
            continue
        if i + 1 >= len(raw):
            raise ValueError(f"option {kind} at byte {i} has no length byte")
        length = raw[i + 1]
        if length < 2:
            raise ValueError(f"option {kind} at byte {i} has length {length}, below 2")
        if i + length > len(raw):
            raise ValueError(
                f"option {kind} at byte {i} claims {length} bytes, only {len(raw) - i} remain"
            )
        out.append((kind, raw[i + 2 : i + length]))
        i += length
    return out
