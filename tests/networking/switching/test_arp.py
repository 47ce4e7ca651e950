"""ARP: byte-exact packets, round trips, the RFC 826 cache rules, spoofing and DAI."""

from __future__ import annotations

import ipaddress
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.switching import (
    ARP_ETHERTYPE,
    BROADCAST,
    REPLY,
    REQUEST,
    ArpCache,
    ArpInspector,
    ArpPacket,
    arp_reply,
    arp_request,
    decode_arp,
    decode_frame,
    encode_arp,
    encode_frame,
    gratuitous_arp,
)

H1, IP1 = "00:00:5e:00:53:01", "192.0.2.1"
H2, IP2 = "00:00:5e:00:53:02", "192.0.2.2"
EVIL = "00:00:5e:00:53:66"

REQUEST_BYTES = bytes.fromhex(
    "0001"
    "0800"
    "06"
    "04"
    "0001"  # Ethernet, IPv4, lengths 6 and 4, request
    "00005e005301"
    "c0000201"  # sender 00:00:5e:00:53:01, 192.0.2.1
    "000000000000"
    "c0000202"  # target unknown, 192.0.2.2
)


def test_request_is_byte_exact() -> None:
    assert encode_arp(arp_request(H1, IP1, IP2)) == REQUEST_BYTES
    assert decode_arp(REQUEST_BYTES) == arp_request(H1, IP1, IP2)


def test_reply_fields_against_struct() -> None:
    wire = encode_arp(arp_reply(arp_request(H1, IP1, IP2), H2))
    htype, ptype, hlen, plen, oper, sha, spa, tha, tpa = struct.unpack("!HHBBH6s4s6s4s", wire)
    assert (htype, ptype, hlen, plen, oper) == (1, 0x0800, 6, 4, 2)
    assert (sha.hex(":"), str(ipaddress.IPv4Address(spa))) == (H2, IP2)
    assert (tha.hex(":"), str(ipaddress.IPv4Address(tpa))) == (H1, IP1)


def test_frames_request_broadcast_reply_unicast_and_padding_is_ignored() -> None:
    request = arp_request(H1, IP1, IP2)
    f = request.frame()
    assert (f.dst, f.src, f.ethertype) == (BROADCAST, H1, ARP_ETHERTYPE)
    reply = arp_reply(request, H2).frame()
    assert reply.dst == H1
    # On the wire a 42-byte ARP frame is padded to the 60-byte minimum.
    padded = encode_frame(f) + bytes(18)
    assert decode_arp(decode_frame(padded).payload) == request


macs = st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":"))
ips = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))


@given(st.sampled_from([REQUEST, REPLY]), macs, ips, macs, ips)
def test_round_trip(op: int, sha: str, spa: str, tha: str, tpa: str) -> None:
    packet = ArpPacket(op, sha, spa, tha, tpa)
    wire = encode_arp(packet)
    assert len(wire) == 28
    assert decode_arp(wire) == packet


@pytest.mark.parametrize("n", [0, 1, 8, 27])
def test_truncated_packet(n: int) -> None:
    with pytest.raises(ValueError, match=f"truncated ARP packet: {n} bytes, need 28"):
        decode_arp(REQUEST_BYTES[:n])


@pytest.mark.parametrize(
    ("offset", "value", "match"),
    [(1, 6, "HTYPE 6"), (2, 0x86, "PTYPE 0x86dd"), (4, 8, "HLEN 8"), (5, 16, "PLEN 16")],
)
def test_other_hardware_or_protocols_refused(offset: int, value: int, match: str) -> None:
    data = bytearray(REQUEST_BYTES)
    data[offset] = value
    if offset == 2:
        data[3] = 0xDD
    with pytest.raises(ValueError, match=match):
        decode_arp(bytes(data))


def test_unknown_operation_refused() -> None:
    data = bytearray(REQUEST_BYTES)
    data[7] = 3  # RARP request (RFC 903), not ARP
    with pytest.raises(ValueError, match="unknown ARP operation 3"):
        decode_arp(bytes(data))


def test_gratuitous_arp_has_sender_equal_target() -> None:
    g = gratuitous_arp(H1, IP1)
    assert (g.operation, g.sender_ip, g.target_ip, g.target_mac) == (
        REQUEST,
        IP1,
        IP1,
        "00:00:00:00:00:00",
    )
    assert g.frame().dst == BROADCAST


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_follows_the_rfc_826_merge_rule_and_times_out() -> None:
    clock = Clock()
    cache = ArpCache(IP2, H2, timeout=60.0, clock=clock)
    # Not for us and not known: ignored (no entry is created by overheard requests).
    assert cache.receive(arp_request(H1, IP1, "192.0.2.9")) is None
    assert cache.entries() == {}
    # For us: learn the sender and reply.
    reply = cache.receive(arp_request(H1, IP1, IP2))
    assert reply == ArpPacket(REPLY, H2, IP2, H1, IP1)
    assert cache.lookup(IP1) == H1
    # Known sender, packet for someone else: the entry is updated.
    clock.now = 50.0
    cache.receive(arp_request("00:00:5e:00:53:11", IP1, "192.0.2.9"))
    clock.now = 109.0
    assert cache.lookup(IP1) == "00:00:5e:00:53:11"
    clock.now = 110.0
    with pytest.raises(KeyError, match="no ARP entry for 192.0.2.1"):
        cache.lookup(IP1)
    assert cache.entries() == {}


def test_replies_are_not_answered_and_group_senders_not_cached() -> None:
    cache = ArpCache(IP2, H2, clock=Clock())
    assert cache.receive(ArpPacket(REPLY, H1, IP1, H2, IP2)) is None
    assert cache.entries() == {IP1: H1}
    assert cache.receive(arp_request(BROADCAST, "192.0.2.7", IP2)) is None
    assert "192.0.2.7" not in cache.entries()


def test_spoofed_gratuitous_arp_poisons_the_cache_and_dai_drops_it() -> None:
    cache = ArpCache(IP2, H2, clock=Clock())
    cache.receive(arp_request(H1, IP1, IP2))
    forged = gratuitous_arp(EVIL, IP1)  # "192.0.2.1 is at the attacker's MAC"
    cache.receive(forged)
    assert cache.lookup(IP1) == EVIL  # poisoned: traffic for .1 now goes to the attacker
    dai = ArpInspector({IP1: H1, IP2: H2}, trusted={48})
    assert not dai.allows(7, forged)
    assert dai.allows(7, gratuitous_arp(H1, IP1))
    assert dai.allows(48, forged)  # trusted uplink: not inspected
    assert not dai.allows(7, arp_request(H1, "192.0.2.200", IP2))  # unknown sender IP


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0, H1, IP1, H2, IP2), ValueError, "ARP operation must be in \\[1, 2\\], got 0"),
        ((True, H1, IP1, H2, IP2), TypeError, "ARP operation must be an int, got bool"),
        ((1, "nope", IP1, H2, IP2), ValueError, "not a MAC address: 'nope'"),
        ((1, H1, "192.0.2.256", H2, IP2), ValueError, "not an IPv4 address: '192.0.2.256'"),
        ((1, H1, "2001:db8::1", H2, IP2), ValueError, "not an IPv4 address"),
        ((1, H1, 3221225985, H2, IP2), TypeError, "must be a str, got int"),
    ],
)
def test_bad_packets(args: tuple[object, ...], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        ArpPacket(*args)  # type: ignore[arg-type]


def test_bad_arguments_elsewhere() -> None:
    with pytest.raises(TypeError, match="data must be bytes"):
        decode_arp("0001")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be an ArpPacket"):
        encode_arp(REQUEST_BYTES)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="request must be an ArpPacket"):
        arp_reply(None, H2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout must be a finite number > 0, got nan"):
        ArpCache(IP2, H2, timeout=math.nan)
    with pytest.raises(TypeError, match="clock must be callable"):
        ArpCache(IP2, H2, clock=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an IPv4 address"):
        ArpCache("host", H2)
    with pytest.raises(TypeError, match="packet must be an ArpPacket"):
        ArpCache(IP2, H2).receive(REQUEST_BYTES)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="port must be an int, got bool"):
        ArpInspector({}).allows(True, gratuitous_arp(H1, IP1))
    with pytest.raises(ValueError, match="not a MAC address"):
        ArpInspector({IP1: "zz"})


def test_expired_entry_is_not_revived_by_overheard_arp() -> None:
    # RFC 826 only *updates* an existing entry on overheard ARP; an expired one
    # is gone, whether or not anyone looked at the cache in between.
    now = [0.0]
    cache = ArpCache("192.0.2.2", "00:00:5e:00:53:02", timeout=60, clock=lambda: now[0])
    cache.receive(arp_request("00:00:5e:00:53:01", "192.0.2.1", "192.0.2.2"))
    now[0] = 100.0
    assert cache.receive(gratuitous_arp("00:00:5e:00:53:66", "192.0.2.1")) is None
    assert cache.entries() == {}


def test_probe_is_answered_but_not_cached_and_own_address_never_cached() -> None:
    cache = ArpCache("192.0.2.2", "00:00:5e:00:53:02", clock=lambda: 0.0)
    unspecified = str(ipaddress.IPv4Address(0))  # RFC 5227 probes come from 0.0.0.0
    probe = ArpPacket(REQUEST, "00:00:5e:00:53:07", unspecified, "00:00:00:00:00:00", "192.0.2.2")
    reply = cache.receive(probe)  # RFC 5227: the owner defends its address
    assert reply == ArpPacket(
        REPLY, "00:00:5e:00:53:02", "192.0.2.2", "00:00:5e:00:53:07", unspecified
    )
    assert cache.receive(gratuitous_arp("00:00:5e:00:53:66", "192.0.2.2")) is None  # a conflict
    assert cache.entries() == {}
    with pytest.raises(TypeError, match="bindings must be a mapping"):
        ArpInspector([("192.0.2.1", "00:00:5e:00:53:01")])  # type: ignore[arg-type]
