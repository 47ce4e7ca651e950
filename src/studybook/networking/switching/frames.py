"""MAC addresses, Ethernet II frames and the IEEE 802.1Q VLAN tag, byte-exact.

A tagged frame carries four extra bytes between the source address and the
EtherType: the Tag Protocol Identifier 0x8100, then the 16-bit Tag Control
Information, ``PCP (3 bits) | DEI (1 bit) | VID (12 bits)``. VID 0 means
"priority tag only, no VLAN" and VID 0xFFF is reserved, so usable VLANs are
1 to 4094 (IEEE 802.1Q-2018, clause 9.6, table 9-2).

>>> frame = EthernetFrame("ff:ff:ff:ff:ff:ff", "00:00:5e:00:53:01", 0x0806, b"", vlan=VlanTag(10))
>>> encode_frame(frame)[12:18].hex(" ")
'81 00 00 0a 08 06'
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from studybook._validate import check_int

__all__ = [
    "BROADCAST",
    "TPID_8021Q",
    "EthernetFrame",
    "VlanTag",
    "check_vid",
    "decode_frame",
    "encode_frame",
    "format_mac",
    "is_group_address",
    "parse_mac",
]

#: EtherType value that marks an 802.1Q tag (the TPID).
TPID_8021Q = 0x8100
#: The all-ones destination every station on the segment receives.
BROADCAST = "ff:ff:ff:ff:ff:ff"

_MAC = re.compile(
    r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$"
)
_HEADER = 14
_MIN_ETHERTYPE = 0x0600  # below this the field is an 802.3 length (IEEE 802.3 clause 3.2.6)


def parse_mac(mac: object) -> bytes:
    """Return the six bytes of a MAC address written in any of the common forms.

    Accepts ``00:1a:2b:3c:4d:5e``, ``00-1A-2B-3C-4D-5E`` and Cisco's ``001a.2b3c.4d5e``.

    Raises:
        TypeError: not a ``str``.
        ValueError: not one of those forms.

    Complexity: O(1).

    >>> parse_mac("001A.2B3C.4D5E").hex(":")
    '00:1a:2b:3c:4d:5e'
    >>> parse_mac("00:1a:2b:3c:4d")
    Traceback (most recent call last):
        ...
    ValueError: not a MAC address: '00:1a:2b:3c:4d'
    """
    if not isinstance(mac, str):
        raise TypeError(f"a MAC address must be a str, got {type(mac).__name__}: {mac!r}")
    text = mac.strip().lower()
    if not _MAC.match(text):
        raise ValueError(f"not a MAC address: {mac!r}")
    return bytes.fromhex(re.sub(r"[:.\-]", "", text))


def format_mac(raw: bytes) -> str:
    """Return six bytes as the canonical lower-case, colon-separated text.

    Raises:
        ValueError: not exactly six bytes.

    Complexity: O(1).

    >>> format_mac(bytes([0, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E]))
    '00:1a:2b:3c:4d:5e'
    """
    if not isinstance(raw, bytes | bytearray) or len(raw) != 6:
        raise ValueError(f"a MAC address is 6 bytes, got {raw!r}")
    return bytes(raw).hex(":")


def is_group_address(mac: str) -> bool:
    """Return whether ``mac`` is a group (multicast or broadcast) address: the I/G bit.

    The least significant bit of the first byte is the Individual/Group bit
    (IEEE 802-2014, clause 8.2); a switch never learns a group address as a
    source and floods frames sent to one.

    Complexity: O(1).

    >>> [is_group_address(m) for m in (BROADCAST, "01:00:5e:00:00:01", "00:00:5e:00:53:01")]
    [True, True, False]
    """
    return bool(parse_mac(mac)[0] & 1)


def check_vid(vid: object, what: str = "VLAN ID") -> int:
    """Return ``vid`` if it is a usable VLAN ID, 1 to 4094.

    Raises:
        TypeError: not an ``int`` (``bool`` included).
        ValueError: 0 (priority-tagged only) or 4095 (reserved) or outside 12 bits.

    Complexity: O(1).

    >>> check_vid(4095)
    Traceback (most recent call last):
        ...
    ValueError: VLAN ID must be in [1, 4094], got 4095
    """
    return check_int(vid, what, minimum=1, maximum=4094)


@dataclass(frozen=True)
class VlanTag:
    """The 802.1Q Tag Control Information: VLAN ID, priority (PCP) and drop eligibility (DEI)."""

    vid: int
    pcp: int = 0
    dei: bool = False

    def __post_init__(self) -> None:
        check_vid(self.vid)
        check_int(self.pcp, "PCP", minimum=0, maximum=7)
        if not isinstance(self.dei, bool):
            raise TypeError(f"DEI must be a bool, got {type(self.dei).__name__}: {self.dei!r}")

    @property
    def tci(self) -> int:
        """The 16-bit Tag Control Information, ``pcp << 13 | dei << 12 | vid``."""
        return self.pcp << 13 | int(self.dei) << 12 | self.vid


@dataclass(frozen=True)
class EthernetFrame:
    """An Ethernet II frame without preamble and FCS, optionally 802.1Q-tagged.

    ``dst`` and ``src`` are canonical MAC strings (any accepted form is
    normalised); ``ethertype`` is the type of the payload (0x0800 IPv4,
    0x0806 ARP, 0x86DD IPv6).
    """

    dst: str
    src: str
    ethertype: int
    payload: bytes = b""
    vlan: VlanTag | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dst", format_mac(parse_mac(self.dst)))
        object.__setattr__(self, "src", format_mac(parse_mac(self.src)))
        check_int(self.ethertype, "EtherType", minimum=_MIN_ETHERTYPE, maximum=0xFFFF)
        if self.ethertype == TPID_8021Q:
            raise ValueError("EtherType 0x8100 is the tag itself; pass vlan=VlanTag(...) instead")
        if not isinstance(self.payload, bytes):
            raise TypeError(f"payload must be bytes, got {type(self.payload).__name__}")
        if self.vlan is not None and not isinstance(self.vlan, VlanTag):
            raise TypeError(f"vlan must be a VlanTag or None, got {self.vlan!r}")


def encode_frame(frame: EthernetFrame) -> bytes:
    """Return the bytes of ``frame`` on the wire (no preamble, no padding, no FCS).

    Complexity: O(len(payload)).

    >>> tag = VlanTag(100, pcp=5)
    >>> f = EthernetFrame("00:00:5e:00:53:02", "00:00:5e:00:53:01", 0x0800, b"hi", tag)
    >>> encode_frame(f).hex(" ")
    '00 00 5e 00 53 02 00 00 5e 00 53 01 81 00 a0 64 08 00 68 69'
    """
    if not isinstance(frame, EthernetFrame):
        raise TypeError(f"frame must be an EthernetFrame, got {frame!r}")
    head = parse_mac(frame.dst) + parse_mac(frame.src)
    if frame.vlan is not None:
        head += struct.pack("!HH", TPID_8021Q, frame.vlan.tci)
    return head + struct.pack("!H", frame.ethertype) + frame.payload


def decode_frame(data: bytes) -> EthernetFrame:
    """Parse the bytes of an Ethernet II frame, with or without one 802.1Q tag.

    Raises:
        TypeError: ``data`` is not bytes.
        ValueError: shorter than its header, an 802.3 length where a type
            belongs, or a tag with VID 0 or 4095.

    Complexity: O(len(data)).

    >>> decode_frame(bytes.fromhex("ffffffffffff 00005e005301 8100 200a 0806")).vlan
    VlanTag(vid=10, pcp=1, dei=False)
    >>> decode_frame(bytes.fromhex("ffffffffffff 00005e005301 8100"))
    Traceback (most recent call last):
        ...
    ValueError: truncated 802.1Q frame: 14 bytes, need at least 18
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    data = bytes(data)
    if len(data) < _HEADER:
        raise ValueError(f"truncated Ethernet frame: {len(data)} bytes, need at least {_HEADER}")
    (ethertype,) = struct.unpack_from("!H", data, 12)
    vlan, offset = None, 12
    if ethertype == TPID_8021Q:
        if len(data) < _HEADER + 4:
            raise ValueError(
                f"truncated 802.1Q frame: {len(data)} bytes, need at least {_HEADER + 4}"
            )
        (tci,) = struct.unpack_from("!H", data, 14)
        vid = tci & 0xFFF
        if vid in (0, 0xFFF):  # 0: a priority-only tag, not modelled here; 0xFFF: reserved
            raise ValueError(f"802.1Q tag has reserved VID {vid} (TCI 0x{tci:04x})")
        vlan = VlanTag(vid, pcp=tci >> 13, dei=bool(tci >> 12 & 1))
        offset = 16
        (ethertype,) = struct.unpack_from("!H", data, offset)
    if ethertype < _MIN_ETHERTYPE:
        raise ValueError(f"0x{ethertype:04x} is an 802.3 length, not an EtherType")
    return EthernetFrame(
        format_mac(data[:6]), format_mac(data[6:12]), ethertype, data[offset + 2 :], vlan
    )
