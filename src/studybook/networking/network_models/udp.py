"""UDP datagrams (RFC 768) with the IPv4 pseudo-header checksum.

Layout, 8 bytes then data::

    source port 16 | destination port 16
    length 16 (header + data) | checksum 16

The checksum covers a *pseudo-header* that is never sent (source address,
destination address, a zero byte, protocol 17, UDP length), then the header and
data. Summing the IP addresses lets a receiver catch a datagram delivered to
the wrong host. A computed checksum of 0 is sent as 0xFFFF (the same number in
ones' complement), because 0 on the wire means "no checksum", which IPv4 allows.

>>> raw = encode_udp(UDPDatagram(5353, 53, b"q"), "127.0.0.1", "127.0.0.1")
>>> decode_udp(raw, "127.0.0.1", "127.0.0.1")
UDPDatagram(src_port=5353, dst_port=53, payload=b'q')
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass

from studybook._validate import check_int
from studybook.networking.network_models._wire import as_bytes, check_bytes
from studybook.networking.network_models.checksum import ipv4_checksum
from studybook.networking.network_models.ipv4 import PROTO_UDP, ChecksumError

__all__ = ["UDPDatagram", "decode_udp", "encode_udp", "udp_checksum"]


@dataclass(frozen=True)
class UDPDatagram:
    """A UDP datagram: two ports and the data (length and checksum are computed on encode)."""

    src_port: int
    dst_port: int
    payload: bytes

    def __post_init__(self) -> None:
        check_int(self.src_port, "src_port", minimum=0, maximum=0xFFFF)
        check_int(self.dst_port, "dst_port", minimum=0, maximum=0xFFFF)
        check_bytes(self.payload, "payload")
        if len(self.payload) > 0xFFFF - 8:
            raise ValueError(
                f"UDP payload must be at most {0xFFFF - 8} bytes, got {len(self.payload)}"
            )


def udp_checksum(segment: bytes, src: str, dst: str) -> int:
    """Return the RFC 1071 checksum over the IPv4 pseudo-header and ``segment`` as given.

    Over a segment whose checksum field is zero this is the value to send
    (before the 0 → 0xFFFF rule); over a received segment it is 0 when valid.

    Args:
        segment: the UDP header and data.
        src: the IPv4 source address.
        dst: the IPv4 destination address.

    Returns:
        The checksum, in [0, 0xFFFF].

    Raises:
        TypeError: a wrong argument type.
        ValueError: an address is not IPv4, or the segment is over 65535 bytes.

    Complexity: O(n).

    >>> hex(udp_checksum(bytes.fromhex("14e900350009 0000 71"), "127.0.0.1", "127.0.0.1"))
    '0x7bbb'
    """
    segment = as_bytes(segment, "segment")
    if len(segment) > 0xFFFF:
        raise ValueError(f"UDP segment must be at most 65535 bytes, got {len(segment)}")
    pseudo = (
        _packed(src, "src") + _packed(dst, "dst") + struct.pack("!BBH", 0, PROTO_UDP, len(segment))
    )
    return ipv4_checksum(pseudo + segment)


def _packed(address: object, what: str) -> bytes:
    if not isinstance(address, str):
        raise TypeError(
            f"{what} must be a dotted-quad str, got {type(address).__name__}: {address!r}"
        )
    try:
        return ipaddress.IPv4Address(address).packed
    except ValueError:
        raise ValueError(
            f"{what} must be an IPv4 address like '192.0.2.1', got {address!r}"
        ) from None


def encode_udp(datagram: UDPDatagram, src: str, dst: str) -> bytes:
    """Return the wire bytes of ``datagram`` sent from ``src`` to ``dst``, checksum included.

    Args:
        datagram: ports and data.
        src: the IPv4 source address (for the pseudo-header).
        dst: the IPv4 destination address.

    Returns:
        The 8-byte header followed by the data.

    Raises:
        TypeError: a wrong argument type.
        ValueError: an address is not IPv4.

    Complexity: O(n).

    >>> encode_udp(UDPDatagram(5353, 53, b"q"), "127.0.0.1", "127.0.0.1").hex(" ")
    '14 e9 00 35 00 09 7b bb 71'
    """
    if not isinstance(datagram, UDPDatagram):
        raise TypeError(
            f"datagram must be a UDPDatagram, got {type(datagram).__name__}: {datagram!r}"
        )
    length = 8 + len(datagram.payload)
    unsummed = struct.pack("!HHHH", datagram.src_port, datagram.dst_port, length, 0)
    checksum = udp_checksum(unsummed + datagram.payload, src, dst) or 0xFFFF
    return unsummed[:6] + struct.pack("!H", checksum) + datagram.payload


def decode_udp(data: bytes, src: str, dst: str, *, verify: bool = True) -> UDPDatagram:
    """Parse a UDP datagram that arrived from ``src`` to ``dst``.

    A checksum field of 0 means the sender did not compute one (allowed over
    IPv4), so it is not verified. Bytes past the length field are ignored.

    Args:
        data: the IPv4 payload.
        src: the IPv4 source address.
        dst: the IPv4 destination address.
        verify: raise :class:`~studybook.networking.network_models.ipv4.ChecksumError`
            when a non-zero checksum is wrong.

    Returns:
        The datagram.

    Raises:
        TypeError: a wrong argument type.
        ValueError: fewer than 8 bytes, or a length field below 8 or past the data.
        studybook.networking.network_models.ipv4.ChecksumError: ``verify`` and the
            checksum does not verify.

    Complexity: O(n).

    >>> try:
    ...     decode_udp(bytes.fromhex("14e900350009 7bbb 71"), "127.0.0.1", "127.0.0.2")
    ... except ChecksumError as exc:
    ...     print(exc)
    UDP checksum 0x7bbb does not verify (expected 0x7bba)
    """
    data = as_bytes(data, "data")
    if len(data) < 8:
        raise ValueError(f"UDP header needs 8 bytes, got {len(data)}")
    src_port, dst_port, length, stored = struct.unpack_from("!HHHH", data)
    if length < 8 or length > len(data):
        raise ValueError(f"UDP length field {length} must be in [8, {len(data)}] (bytes received)")
    segment = data[:length]
    if verify and stored != 0 and udp_checksum(segment, src, dst) != 0:
        expected = udp_checksum(segment[:6] + b"\x00\x00" + segment[8:], src, dst) or 0xFFFF
        raise ChecksumError(
            f"UDP checksum 0x{stored:04x} does not verify (expected 0x{expected:04x})"
        )
    _packed(src, "src")
    _packed(dst, "dst")
    return UDPDatagram(src_port, dst_port, segment[8:])
