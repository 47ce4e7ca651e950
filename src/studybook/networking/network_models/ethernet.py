"""Ethernet II frames, with the IEEE 802.1Q VLAN tag recognised.

Layout (the FCS is added and stripped by the network card, so software that
captures frames, like an ``AF_PACKET`` socket, never sees it)::

    dst MAC (6) | src MAC (6) | [0x8100 | PCP 3 bits, DEI 1, VID 12] | EtherType (2) | payload

A type/length field of 1500 or less is an IEEE 802.3 *length*, not an
EtherType; values from 0x0600 (1536) up are EtherTypes (IEEE Std 802.3's
Length/Type field), so the two framings can share a wire.

>>> f = decode_ethernet(bytes(12) + b"\\x08\\x00" + b"IP...")
>>> f.dst, f.ethertype, f.payload
('00:00:00:00:00:00', 2048, b'IP...')
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from studybook._validate import check_int
from studybook.networking.network_models._wire import as_bytes, check_bytes

__all__ = [
    "ETHERTYPE_ARP",
    "ETHERTYPE_IPV4",
    "ETHERTYPE_IPV6",
    "ETHERTYPE_VLAN",
    "MIN_FRAME",
    "EthernetFrame",
    "decode_ethernet",
    "encode_ethernet",
]

ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_ARP = 0x0806
ETHERTYPE_VLAN = 0x8100
ETHERTYPE_IPV6 = 0x86DD
#: The smallest frame without its 4-byte FCS (64 bytes on the wire minus the FCS).
MIN_FRAME = 60
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


@dataclass(frozen=True)
class EthernetFrame:
    """One Ethernet II frame: addresses as ``aa:bb:cc:dd:ee:ff``, an EtherType, a payload.

    ``vlan_id`` is ``None`` for an untagged frame; a tagged frame also carries
    the 802.1Q priority (``pcp``, 0-7) and drop-eligible bit (``dei``).
    """

    dst: str
    src: str
    ethertype: int
    payload: bytes
    vlan_id: int | None = None
    pcp: int = 0
    dei: bool = False

    def __post_init__(self) -> None:
        for what in ("dst", "src"):
            mac = getattr(self, what)
            if not isinstance(mac, str) or not _MAC.fullmatch(mac):
                raise ValueError(f"{what} must be a MAC like 'aa:bb:cc:dd:ee:ff', got {mac!r}")
        check_int(self.ethertype, "ethertype", minimum=0x0600, maximum=0xFFFF)
        check_bytes(self.payload, "payload")
        if self.vlan_id is not None:
            check_int(self.vlan_id, "vlan_id", minimum=0, maximum=4095)
        check_int(self.pcp, "pcp", minimum=0, maximum=7)
        if not isinstance(self.dei, bool):
            raise TypeError(f"dei must be a bool, got {type(self.dei).__name__}: {self.dei!r}")
        if self.vlan_id is None and (self.pcp or self.dei):
            raise ValueError(f"pcp and dei need a vlan_id, got pcp={self.pcp!r} dei={self.dei!r}")


def encode_ethernet(frame: EthernetFrame, *, pad: bool = False) -> bytes:
    """Return the bytes of ``frame`` (without the FCS, which the network card appends).

    Args:
        frame: the frame to encode.
        pad: add zero bytes up to the 60-byte minimum (``MIN_FRAME``), as a sender
            does on a real wire.

    Returns:
        14 header bytes (18 with a VLAN tag), then the payload (and padding).

    Raises:
        TypeError: ``frame`` is not an :class:`EthernetFrame`.

    Complexity: O(payload).

    >>> f = EthernetFrame("ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", ETHERTYPE_ARP, b"who-has")
    >>> encode_ethernet(f).hex(" ")
    'ff ff ff ff ff ff 02 00 00 00 00 01 08 06 77 68 6f 2d 68 61 73'
    >>> len(encode_ethernet(f, pad=True))
    60
    """
    if not isinstance(frame, EthernetFrame):
        raise TypeError(f"frame must be an EthernetFrame, got {type(frame).__name__}: {frame!r}")
    out = bytes.fromhex(frame.dst.replace(":", "")) + bytes.fromhex(frame.src.replace(":", ""))
    if frame.vlan_id is not None:
        tci = (frame.pcp << 13) | (int(frame.dei) << 12) | frame.vlan_id
        out += struct.pack("!HH", ETHERTYPE_VLAN, tci)
    out += struct.pack("!H", frame.ethertype) + frame.payload
    if pad and len(out) < MIN_FRAME:
        out += bytes(MIN_FRAME - len(out))
    return out


def decode_ethernet(data: bytes) -> EthernetFrame:
    """Parse an Ethernet II frame (FCS already stripped), reading one 802.1Q tag if present.

    Trailing padding stays in ``payload``: only the next layer knows its own
    length (IPv4's total length field), so it is the one that ignores padding.

    Args:
        data: the captured frame.

    Returns:
        The frame.

    Raises:
        TypeError: ``data`` is not bytes-like.
        ValueError: shorter than its header, or an IEEE 802.3 length field
            where an EtherType belongs.

    Complexity: O(n).

    >>> decode_ethernet(bytes(12) + bytes.fromhex("8100a00a0800")).vlan_id
    10
    >>> decode_ethernet(bytes(13))
    Traceback (most recent call last):
    ValueError: Ethernet frame needs at least 14 bytes, got 13
    """
    data = as_bytes(data, "data")
    if len(data) < 14:
        raise ValueError(f"Ethernet frame needs at least 14 bytes, got {len(data)}")
    dst, src = _mac(data[0:6]), _mac(data[6:12])
    (kind,) = struct.unpack_from("!H", data, 12)
    if kind != ETHERTYPE_VLAN:
        return EthernetFrame(dst, src, _ethertype(kind), data[14:])
    if len(data) < 18:
        raise ValueError(f"802.1Q-tagged frame needs at least 18 bytes, got {len(data)}")
    tci, kind = struct.unpack_from("!HH", data, 14)
    return EthernetFrame(
        dst, src, _ethertype(kind), data[18:], tci & 0x0FFF, tci >> 13, bool(tci & 0x1000)
    )


def _mac(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def _ethertype(value: int) -> int:
    if value <= 1500:
        raise ValueError(
            f"type field 0x{value:04x} is below 0x0600: an IEEE 802.3 length (LLC frame), "
            "not an Ethernet II EtherType"
        )
    if value < 0x0600:
        raise ValueError(
            f"type field 0x{value:04x} is between 1500 and 0x0600: undefined by IEEE 802.3, "
            "neither a length nor an EtherType"
        )
    return value
