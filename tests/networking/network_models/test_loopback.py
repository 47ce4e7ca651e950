"""Real datagrams through the Linux loopback: decode what the kernel built, let it judge ours.

Two facts about ``lo`` shape these tests. Its frames are Ethernet II with both
MACs zero. And it offloads the UDP checksum (``CHECKSUM_PARTIAL``): a datagram
sent by an ordinary socket leaves the UDP checksum field holding only the
pseudo-header sum, which a network card would complete (Linux
Documentation/networking/checksum-offloads.rst); no card ever does on ``lo``,
so ``tcpdump -i lo`` reports "bad udp cksum". The first test accepts either a
complete checksum or exactly that partial sum, and checks that completing it
gives the checksum this chapter's encoder computes. The second test sends our
own bytes through a raw ``IP_HDRINCL`` socket, where nothing is offloaded:
the kernel verifies our UDP checksum and drops the datagram if it is wrong,
and it recomputes the IPv4 total length and header checksum (raw(7)), so the
captured header checks our IPv4 encoder against the kernel's.
"""

from __future__ import annotations

import os
import socket
import struct

import pytest

from studybook.networking.network_models import (
    ETHERTYPE_IPV4,
    PROTO_UDP,
    IPv4Packet,
    UDPDatagram,
    decode_ethernet,
    decode_ipv4,
    decode_udp,
    encode_ipv4,
    encode_udp,
    ipv4_checksum,
    ones_complement_sum,
    udp_checksum,
)

from .conftest import require

LOCAL = "127.0.0.1"


def _capture(sock: socket.socket, token: bytes) -> bytes:
    for _ in range(1000):  # lo also carries other tests' traffic; bounded, with a 2 s timeout
        data = sock.recv(65_535)
        if token in data:
            return data
    raise AssertionError(f"no frame carrying {token!r} in 1000 frames")


def test_kernel_udp_datagram_decodes(lo_capture: socket.socket) -> None:
    token = b"studybook " + os.urandom(8).hex().encode()
    with (
        lo_capture,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx,
    ):
        rx.bind((LOCAL, 0))
        tx.bind((LOCAL, 0))
        tx.sendto(token, rx.getsockname())
        raw = _capture(lo_capture, token)
        assert rx.recv(100) == token
        sport, dport = tx.getsockname()[1], rx.getsockname()[1]

    frame = decode_ethernet(raw)
    assert (frame.dst, frame.src, frame.ethertype) == ("00:00:00:00:00:00",) * 2 + (ETHERTYPE_IPV4,)
    packet = decode_ipv4(
        frame.payload
    )  # raises ChecksumError unless the kernel's checksum is valid
    assert ipv4_checksum(frame.payload[: packet.header_length]) == 0
    assert (packet.src, packet.dst, packet.protocol) == (LOCAL, LOCAL, PROTO_UDP)
    assert packet.total_length == 20 + 8 + len(token)

    udp = decode_udp(packet.payload, packet.src, packet.dst, verify=False)
    assert udp == UDPDatagram(sport, dport, token)
    ours = encode_udp(udp, LOCAL, LOCAL)
    assert packet.payload[:6] == ours[:6]  # ports and length byte for byte
    stored = struct.unpack_from("!H", packet.payload, 6)[0]
    if udp_checksum(packet.payload, LOCAL, LOCAL) == 0:
        assert packet.payload == ours  # the checksum was completed: ours is identical
    else:  # checksum offload: the field holds the folded pseudo-header sum
        pseudo = socket.inet_aton(LOCAL) * 2 + struct.pack("!BBH", 0, PROTO_UDP, len(ours))
        assert stored == ones_complement_sum(pseudo)
        completed = ~ones_complement_sum(packet.payload) & 0xFFFF
        assert struct.pack("!H", completed) == ours[6:8]


def test_kernel_verifies_our_checksums(lo_capture: socket.socket) -> None:
    try:
        raw_tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    except PermissionError as exc:
        require(f"raw IP sockets need root or CAP_NET_RAW: {exc}")
        raise  # pragma: no cover - require() has skipped or failed
    with lo_capture, raw_tx, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx:
        rx.bind((LOCAL, 0))
        rx.settimeout(2.0)
        port = rx.getsockname()[1]

        def packet(payload: bytes, *, corrupt: bool) -> bytes:
            segment = bytearray(encode_udp(UDPDatagram(40_000, port, payload), LOCAL, LOCAL))
            if corrupt:
                segment[6] ^= 0x01
            return encode_ipv4(
                IPv4Packet(LOCAL, LOCAL, PROTO_UDP, bytes(segment), identification=0x5B5B)
            )

        token = os.urandom(6).hex().encode()
        # Bad first, good second: loopback delivers in order, so if the kernel accepted the
        # bad one it would be the first datagram read.
        raw_tx.sendto(packet(b"bad " + token, corrupt=True), (LOCAL, 0))
        raw_tx.sendto(packet(b"good " + token, corrupt=False), (LOCAL, 0))
        assert rx.recvfrom(100) == (b"good " + token, (LOCAL, 40_000))
        captured = decode_ethernet(_capture(lo_capture, b"good " + token))

    ip = decode_ipv4(captured.payload)
    assert ip.identification == 0x5B5B
    # With IP_HDRINCL the kernel always rewrites the total length and the header checksum
    # itself (raw(7)), so the captured header is the kernel's checksum of our fields: ours
    # must equal it byte for byte.
    ours = packet(b"good " + token, corrupt=False)
    assert captured.payload[:20] == ours[:20]
    assert captured.payload[: ip.total_length] == ours
    assert decode_udp(ip.payload, ip.src, ip.dst).payload == b"good " + token
    with pytest.raises(ValueError, match="does not verify"):
        decode_udp(packet(b"x", corrupt=True)[20:], LOCAL, LOCAL)
