"""Ethernet II, IPv4 and UDP: round trips, known bytes, and every kind of bad input."""

from __future__ import annotations

import ipaddress
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.network_models import (
    ETHERTYPE_IPV4,
    PROTO_UDP,
    ChecksumError,
    EthernetFrame,
    IPv4Packet,
    UDPDatagram,
    decode_ethernet,
    decode_ipv4,
    decode_udp,
    encapsulate_udp,
    encode_ethernet,
    encode_ipv4,
    encode_udp,
    ones_complement_sum,
    parse_options,
    udp_checksum,
)

macs = st.binary(min_size=6, max_size=6).map(lambda b: ":".join(f"{x:02x}" for x in b))
addresses = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
options = st.integers(0, 10).flatmap(lambda n: st.binary(min_size=4 * n, max_size=4 * n))


@st.composite
def frames(draw: st.DrawFn) -> EthernetFrame:
    tagged = draw(st.booleans())
    return EthernetFrame(
        draw(macs),
        draw(macs),
        draw(st.integers(0x0600, 0xFFFF).filter(lambda t: t != 0x8100)),
        draw(st.binary(max_size=64)),
        draw(st.integers(0, 4095)) if tagged else None,
        draw(st.integers(0, 7)) if tagged else 0,
        draw(st.booleans()) if tagged else False,
    )


@st.composite
def packets(draw: st.DrawFn) -> IPv4Packet:
    return IPv4Packet(
        draw(addresses),
        draw(addresses),
        draw(st.integers(0, 255)),
        draw(st.binary(max_size=200)),
        ttl=draw(st.integers(0, 255)),
        identification=draw(st.integers(0, 0xFFFF)),
        dont_fragment=draw(st.booleans()),
        more_fragments=draw(st.booleans()),
        fragment_offset=draw(st.integers(0, 0x1FFF)),
        dscp=draw(st.integers(0, 63)),
        ecn=draw(st.integers(0, 3)),
        options=draw(options),
    )


@given(frames())
def test_ethernet_round_trip(frame: EthernetFrame) -> None:
    raw = encode_ethernet(frame)
    assert len(raw) == (18 if frame.vlan_id is not None else 14) + len(frame.payload)
    assert decode_ethernet(raw) == frame


@given(packets())
def test_ipv4_round_trip_and_fields_at_their_offsets(packet: IPv4Packet) -> None:
    raw = encode_ipv4(packet)
    assert decode_ipv4(raw) == packet
    # Read the fields back with struct, independently of the decoder.
    ver_ihl, tos, total, ident, frag, ttl, proto = struct.unpack_from("!BBHHHBB", raw)
    assert (ver_ihl >> 4, (ver_ihl & 15) * 4) == (4, 20 + len(packet.options))
    assert (tos >> 2, tos & 3, total) == (packet.dscp, packet.ecn, len(raw))
    assert frag >> 13 == 2 * packet.dont_fragment + packet.more_fragments
    assert (frag & 0x1FFF, ident, ttl, proto) == (
        packet.fragment_offset,
        packet.identification,
        packet.ttl,
        packet.protocol,
    )
    assert ipaddress.IPv4Address(raw[12:16]) == ipaddress.IPv4Address(packet.src)
    assert ones_complement_sum(raw[: 20 + len(packet.options)]) == 0xFFFF


@given(
    addresses, addresses, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.binary(max_size=300)
)
def test_udp_round_trip_and_checksum_verifies(
    src: str, dst: str, sport: int, dport: int, payload: bytes
) -> None:
    raw = encode_udp(UDPDatagram(sport, dport, payload), src, dst)
    assert decode_udp(raw, src, dst) == UDPDatagram(sport, dport, payload)
    assert udp_checksum(raw, src, dst) == 0
    assert struct.unpack_from("!H", raw, 6)[0] != 0


def test_udp_checksum_of_zero_is_sent_as_ffff() -> None:
    # Choose the 2-byte payload that makes the ones' complement sum exactly 0xFFFF.
    src, dst = "192.0.2.1", "198.51.100.7"
    head = struct.pack("!HHHH", 1234, 5678, 10, 0)
    pseudo = ipaddress.IPv4Address(src).packed + ipaddress.IPv4Address(dst).packed
    partial = ones_complement_sum(pseudo + struct.pack("!BBH", 0, 17, 10) + head)
    payload = struct.pack("!H", 0xFFFF - partial)
    raw = encode_udp(UDPDatagram(1234, 5678, payload), src, dst)
    assert raw[6:8] == b"\xff\xff"
    assert decode_udp(raw, src, dst).payload == payload


def test_udp_zero_checksum_means_none_and_is_accepted() -> None:
    raw = struct.pack("!HHHH", 1, 2, 11, 0) + b"abc"
    assert decode_udp(raw, "10.0.0.1", "10.0.0.2") == UDPDatagram(1, 2, b"abc")


def test_udp_checksum_catches_wrong_destination_and_corruption() -> None:
    raw = encode_udp(UDPDatagram(1, 2, b"data"), "10.0.0.1", "10.0.0.2")
    with pytest.raises(ChecksumError, match="does not verify"):
        decode_udp(raw, "10.0.0.1", "10.0.0.3")
    with pytest.raises(ChecksumError, match="does not verify"):
        decode_udp(raw[:-1] + b"D", "10.0.0.1", "10.0.0.2")
    assert decode_udp(raw[:-1] + b"D", "10.0.0.1", "10.0.0.2", verify=False).payload == b"datD"


def test_vlan_tag_fields() -> None:
    raw = bytes(12) + bytes.fromhex("8100b064") + b"\x08\x00" + b"x"
    frame = decode_ethernet(raw)
    assert (frame.vlan_id, frame.pcp, frame.dei, frame.ethertype) == (100, 5, True, ETHERTYPE_IPV4)
    assert encode_ethernet(frame) == raw


def test_ethernet_padding_is_ignored_by_ipv4() -> None:
    frame = encapsulate_udp(b"hi", src="10.0.0.1", dst="10.0.0.2", src_port=7, dst_port=9)
    padded = encode_ethernet(decode_ethernet(frame), pad=True)
    assert len(padded) == 60
    packet = decode_ipv4(decode_ethernet(padded).payload)
    assert decode_udp(packet.payload, packet.src, packet.dst).payload == b"hi"


def test_ipv4_options_parse_and_decode() -> None:
    router_alert = bytes([0x94, 4, 0, 0])  # RFC 2113, copied bit set
    packet = IPv4Packet(
        "10.0.0.1",
        "10.0.0.2",
        PROTO_UDP,
        b"x",
        options=bytes([1]) + router_alert[:3] + bytes([0, 1, 0, 0]),
    )
    raw = encode_ipv4(packet)
    assert raw[0] == 0x47
    assert decode_ipv4(raw).options == packet.options
    assert parse_options(router_alert + bytes([1, 0, 0, 0])) == [(0x94, b"\x00\x00"), (1, b"")]


GOOD = encode_ipv4(IPv4Packet("10.0.0.1", "10.0.0.2", PROTO_UDP, b"abcd"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (GOOD[:19], "needs at least 20 bytes, got 19"),
        (b"\x65" + GOOD[1:], "version is 6"),
        (b"\x44" + GOOD[1:], "IHL must be at least 5"),
        (b"\x4f" + GOOD[1:], "total length 24 is shorter than the 60-byte header"),
        (GOOD[:2] + b"\x00\x30" + GOOD[4:], "total length 48 is beyond the 24 bytes"),
        (GOOD[:2] + b"\x00\x10" + GOOD[4:], "shorter than the 20-byte header"),
        (GOOD[:22], "total length 24 is beyond the 22 bytes"),
    ],
)
def test_ipv4_rejects_malformed(raw: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_ipv4(raw)


def test_ipv4_bad_checksum_and_reserved_bit() -> None:
    bad = GOOD[:10] + b"\x00\x00" + GOOD[12:]
    with pytest.raises(ChecksumError, match=r"checksum 0x0000 does not verify \(expected 0x"):
        decode_ipv4(bad)
    assert decode_ipv4(bad, verify=False).payload == b"abcd"
    evil = encode_ipv4(IPv4Packet("10.0.0.1", "10.0.0.2", 17, b""))
    flags = bytearray(evil)
    flags[6] |= 0x80
    flags[10:12] = b"\x00\x00"
    flags[10:12] = struct.pack("!H", 0xFFFF - ones_complement_sum(bytes(flags[:20])))
    with pytest.raises(ValueError, match="reserved flag bit"):
        decode_ipv4(bytes(flags))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (bytes(13), "at least 14 bytes, got 13"),
        (bytes(12) + b"\x81\x00\x00", "at least 18 bytes, got 15"),
        (bytes(12) + b"\x05\xdc" + bytes(10), "0x05dc is below 0x0600: an IEEE 802.3 length"),
        (bytes(12) + b"\x05\xdd" + bytes(10), "0x05dd is between 1500 and 0x0600: undefined"),
        (bytes(12) + b"\x05\xff" + bytes(10), "0x05ff is between 1500 and 0x0600: undefined"),
    ],
)
def test_ethernet_rejects_malformed(raw: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_ethernet(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (bytes(7), "needs 8 bytes, got 7"),
        (struct.pack("!HHHH", 1, 2, 7, 0), r"length field 7 must be in \[8, 8\]"),
        (struct.pack("!HHHH", 1, 2, 20, 0) + b"ab", r"length field 20 must be in \[8, 10\]"),
    ],
)
def test_udp_rejects_malformed(raw: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_udp(raw, "10.0.0.1", "10.0.0.2")


def loose(f: Any) -> Any:
    """The callable with its types erased, so bad arguments reach the runtime checks."""
    return f


Packet, Datagram, Frame = loose(IPv4Packet), loose(UDPDatagram), loose(EthernetFrame)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", True, b""),
            TypeError,
            "protocol must be an int, got bool",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", float("nan"), b""),
            TypeError,
            "protocol must be an int, got float: nan",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, b"", ttl=256),
            ValueError,
            r"ttl must be in \[0, 255\], got 256",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, b"", fragment_offset=8192),
            ValueError,
            "fragment_offset",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, b"", dont_fragment=1),
            TypeError,
            "dont_fragment must be a bool",
        ),
        (
            lambda: Packet("10.0.0.256", "10.0.0.2", 17, b""),
            ValueError,
            "src must be an IPv4 address.*'10.0.0.256'",
        ),
        (lambda: Packet("::1", "10.0.0.2", 17, b""), ValueError, "src must be an IPv4 address"),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, "text"),
            TypeError,
            "payload must be bytes, got str",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, b"", options=b"\x01"),
            ValueError,
            "multiple of 4",
        ),
        (
            lambda: Packet("10.0.0.1", "10.0.0.2", 17, bytes(65_516)),
            ValueError,
            "total length must be <= 65535, got 65536",
        ),
        (lambda: Datagram(-1, 2, b""), ValueError, "src_port must be in"),
        (lambda: Datagram(1, 2.0, b""), TypeError, "dst_port must be an int, got float"),
        (lambda: Datagram(1, 2, bytes(65_528)), ValueError, "at most 65527 bytes, got 65528"),
        (
            lambda: Frame("00:00:00:00:00", "00:00:00:00:00:00", 0x0800, b""),
            ValueError,
            "dst must be a MAC",
        ),
        (
            lambda: Frame("00:00:00:00:00:00", "00:00:00:00:00:00", 1500, b""),
            ValueError,
            r"ethertype must be in \[1536, 65535\], got 1500",
        ),
        (
            lambda: Frame("00:00:00:00:00:00", "00:00:00:00:00:00", 0x0800, b"", vlan_id=4096),
            ValueError,
            "vlan_id",
        ),
        (
            lambda: Frame("00:00:00:00:00:00", "00:00:00:00:00:00", 0x0800, b"", pcp=3),
            ValueError,
            "need a vlan_id",
        ),
        (lambda: loose(encode_ipv4)(b"raw"), TypeError, "packet must be an IPv4Packet, got bytes"),
        (
            lambda: loose(encode_udp)(UDPDatagram(1, 2, b""), "10.0.0.1", 167772162),
            TypeError,
            "dst must be a dotted-quad str, got int",
        ),
        (lambda: loose(decode_ipv4)("4500"), TypeError, "data must be bytes"),
        (lambda: loose(decode_ethernet)(None), TypeError, "data must be bytes"),
        (lambda: parse_options(bytes([0x83, 1])), ValueError, "length 1, below 2"),
        (lambda: parse_options(bytes([1, 0x83])), ValueError, "has no length byte"),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    assert callable(make)
    with pytest.raises(error, match=message):
        make()
