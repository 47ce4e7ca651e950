"""MAC parsing, Ethernet II and 802.1Q: byte-exact examples, round trips and bad input."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.switching import (
    EthernetFrame,
    VlanTag,
    check_vid,
    decode_frame,
    encode_frame,
    format_mac,
    parse_mac,
)

A = "00:00:5e:00:53:01"  # RFC 7042 documentation MAC range
B = "00:00:5e:00:53:02"


def test_tagged_frame_is_byte_exact() -> None:
    frame = EthernetFrame(B, A, 0x0800, b"\x45", VlanTag(4094, pcp=7, dei=True))
    expected = bytes.fromhex("00005e00530200005e0053018100fffe080045")
    assert encode_frame(frame) == expected
    assert decode_frame(expected) == frame


def test_tci_field_layout_against_struct() -> None:
    for vid, pcp, dei in [(1, 0, False), (10, 1, False), (100, 5, False), (4094, 0, True)]:
        tag = encode_frame(EthernetFrame(B, A, 0x0806, b"", VlanTag(vid, pcp, dei)))[12:16]
        tpid, tci = struct.unpack("!HH", tag)
        assert (tpid, tci >> 13, (tci >> 12) & 1, tci & 0x0FFF) == (0x8100, pcp, int(dei), vid)


def test_untagged_frame_is_byte_exact() -> None:
    frame = EthernetFrame("FF-FF-FF-FF-FF-FF", "0000.5e00.5301", 0x0806)
    assert encode_frame(frame) == bytes.fromhex("ffffffffffff00005e0053010806")
    assert frame.dst == "ff:ff:ff:ff:ff:ff"
    assert frame.src == A


macs = st.binary(min_size=6, max_size=6).map(format_mac)
tags = st.none() | st.builds(VlanTag, st.integers(1, 4094), st.integers(0, 7), st.booleans())


@given(
    macs,
    macs,
    st.integers(0x0600, 0xFFFF).filter(lambda t: t != 0x8100),
    st.binary(max_size=64),
    tags,
)
def test_encode_decode_round_trip(
    dst: str, src: str, ethertype: int, payload: bytes, vlan: VlanTag | None
) -> None:
    frame = EthernetFrame(dst, src, ethertype, payload, vlan)
    wire = encode_frame(frame)
    assert len(wire) == 14 + (4 if vlan else 0) + len(payload)
    assert decode_frame(wire) == frame


@pytest.mark.parametrize("n", range(14))
def test_truncated_frame_is_refused(n: int) -> None:
    with pytest.raises(ValueError, match=f"truncated Ethernet frame: {n} bytes"):
        decode_frame(bytes(n))


@pytest.mark.parametrize("extra", [b"\x81\x00", b"\x81\x00\x00\x0a", b"\x81\x00\x00\x0a\x08"])
def test_truncated_tag_is_refused(extra: bytes) -> None:
    with pytest.raises(ValueError, match="truncated 802.1Q frame"):
        decode_frame(bytes(12) + extra)


@pytest.mark.parametrize("tci", [0x0000, 0x2000, 0x0FFF, 0xEFFF])
def test_reserved_vids_in_a_tag_are_refused(tci: int) -> None:
    data = bytes(12) + struct.pack("!HHH", 0x8100, tci, 0x0800)
    with pytest.raises(ValueError, match=f"reserved VID {tci & 0xFFF}"):
        decode_frame(data)


def test_length_field_is_not_an_ethertype() -> None:
    with pytest.raises(ValueError, match="0x05dc is an 802.3 length"):
        decode_frame(bytes(12) + b"\x05\xdc")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "00:00:5e:00:53",
        "00:00:5e:00:53:01:02",
        "00:00:5e-00:53:01",
        "gg:00:5e:00:53:01",
        "0000.5e00.530",
        "00005e005301",
        "00:00:5e:00:53:1",
    ],
)
def test_malformed_mac_strings_name_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="not a MAC address"):
        parse_mac(text)


@pytest.mark.parametrize("value", [None, 1, b"\x00" * 6])
def test_mac_of_wrong_type(value: object) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        parse_mac(value)


def test_format_mac_needs_six_bytes() -> None:
    with pytest.raises(ValueError, match="6 bytes"):
        format_mac(b"\x00" * 5)


@pytest.mark.parametrize(
    ("vid", "error"),
    [
        (0, ValueError),
        (4095, ValueError),
        (-1, ValueError),
        (5000, ValueError),
        (True, TypeError),
        (1.0, TypeError),
        (math.nan, TypeError),
        ("10", TypeError),
    ],
)
def test_bad_vids(vid: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=repr(vid) if error is ValueError else "must be an int"):
        check_vid(vid)
    with pytest.raises(error):
        VlanTag(vid)  # type: ignore[arg-type]


@pytest.mark.parametrize(("pcp", "dei"), [(8, False), (-1, False), (True, False), (0, 1)])
def test_bad_pcp_and_dei(pcp: object, dei: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        VlanTag(10, pcp, dei)  # type: ignore[arg-type]


@pytest.mark.parametrize("ethertype", [0x05DC, 0x8100, 0x10000, True, 2048.0])
def test_bad_ethertypes(ethertype: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        EthernetFrame(A, B, ethertype)  # type: ignore[arg-type]


def test_bad_payload_and_data_types() -> None:
    with pytest.raises(TypeError, match="payload must be bytes"):
        EthernetFrame(A, B, 0x0800, "hi")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="data must be bytes"):
        decode_frame("ffff")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be an EthernetFrame"):
        encode_frame(b"")  # type: ignore[arg-type]
