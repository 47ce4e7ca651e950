"""OSI and TCP/IP models in code: Ethernet II, IPv4 and UDP codecs, the Internet checksum, MTU.

Each layer wraps the one above in its own header (encapsulation): an
application's bytes become a UDP datagram, an IPv4 packet, then an Ethernet
frame. One module per layer: :mod:`~.checksum` (RFC 1071), :mod:`~.ethernet`
(Ethernet II and the 802.1Q tag), :mod:`~.ipv4` (RFC 791 header and options),
:mod:`~.udp` (RFC 768 with the pseudo-header) and :mod:`~.fragmentation`
(fragments, reassembly and the DF error). Interviewers ask about the layers
because every debugging story ("the packet was dropped", "large requests
hang", "the checksum is bad in tcpdump") is a question about which header
says what.

Invariants: ``decode(encode(x)) == x`` for every layer; a header's checksum
computed over the header is 0; fragments are at most the MTU, carry data in
multiples of 8 bytes and reassemble to the original datagram.

=====================  ===================================  ==========
function               answers                              cost
=====================  ===================================  ==========
ipv4_checksum          RFC 1071 checksum (0 when valid)     O(n)
encoders, decoders     wire bytes ↔ header fields           O(n)
fragment               fragments for an MTU, or ICMP 3/4    O(n)
reassemble             the datagram from its fragments      O(k log k + n)
=====================  ===================================  ==========

>>> hex(ipv4_checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
'0xb861'

Primary sources: RFC 791 (IPv4), RFC 768 (UDP), RFC 1071 (the checksum),
RFC 1191 (path MTU discovery), IEEE Std 802.3 and 802.1Q.
"""

from __future__ import annotations

from typing import TextIO

from studybook.networking.network_models.checksum import ipv4_checksum, ones_complement_sum
from studybook.networking.network_models.ethernet import (
    ETHERTYPE_ARP,
    ETHERTYPE_IPV4,
    ETHERTYPE_IPV6,
    ETHERTYPE_VLAN,
    MIN_FRAME,
    EthernetFrame,
    decode_ethernet,
    encode_ethernet,
)
from studybook.networking.network_models.fragmentation import (
    ICMP_FRAG_NEEDED,
    MIN_MTU,
    FragmentationNeeded,
    fragment,
    reassemble,
)
from studybook.networking.network_models.ipv4 import (
    MAX_PACKET,
    PROTO_ICMP,
    PROTO_TCP,
    PROTO_UDP,
    ChecksumError,
    IPv4Packet,
    decode_ipv4,
    encode_ipv4,
    parse_options,
)
from studybook.networking.network_models.udp import (
    UDPDatagram,
    decode_udp,
    encode_udp,
    udp_checksum,
)

__all__ = [
    "ETHERTYPE_ARP",
    "ETHERTYPE_IPV4",
    "ETHERTYPE_IPV6",
    "ETHERTYPE_VLAN",
    "ICMP_FRAG_NEEDED",
    "MAX_PACKET",
    "MIN_FRAME",
    "MIN_MTU",
    "PROTO_ICMP",
    "PROTO_TCP",
    "PROTO_UDP",
    "ChecksumError",
    "EthernetFrame",
    "FragmentationNeeded",
    "IPv4Packet",
    "UDPDatagram",
    "decode_ethernet",
    "decode_ipv4",
    "decode_udp",
    "demo",
    "encapsulate_udp",
    "encode_ethernet",
    "encode_ipv4",
    "encode_udp",
    "fragment",
    "ipv4_checksum",
    "ones_complement_sum",
    "parse_options",
    "reassemble",
    "udp_checksum",
]


def encapsulate_udp(
    payload: bytes,
    *,
    src: str,
    dst: str,
    src_port: int,
    dst_port: int,
    src_mac: str = "00:00:00:00:00:00",
    dst_mac: str = "00:00:00:00:00:00",
    identification: int = 0,
) -> bytes:
    """Wrap application bytes in UDP, IPv4 and Ethernet II: one frame, ready for the wire.

    Args:
        payload: the application data.
        src: source IPv4 address.
        dst: destination IPv4 address.
        src_port: UDP source port.
        dst_port: UDP destination port.
        src_mac: source MAC (loopback uses all zeros).
        dst_mac: destination MAC.
        identification: the IPv4 identification field.

    Returns:
        The frame's bytes: 14 + 20 + 8 header bytes, then ``payload``.

    Raises:
        TypeError, ValueError: as the layer constructors do.

    Complexity: O(n).

    >>> len(encapsulate_udp(b"hello", src="127.0.0.1", dst="127.0.0.1", src_port=1, dst_port=2))
    47
    """
    segment = encode_udp(UDPDatagram(src_port, dst_port, payload), src, dst)
    packet = encode_ipv4(IPv4Packet(src, dst, PROTO_UDP, segment, identification=identification))
    return encode_ethernet(EthernetFrame(dst_mac, src_mac, ETHERTYPE_IPV4, packet))


def demo(out: TextIO) -> None:
    """Encapsulate a datagram, decode it layer by layer, then fragment one for a 1500 MTU.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    b'hello' from 10.0.0.1:40000 to 10.0.0.2:53 in one Ethernet II frame of 47 bytes
      L2 Ethernet  02:00:00:00:00:01 -> 02:00:00:00:00:02 EtherType 0x0800  14-byte header
      L3 IPv4      10.0.0.1 -> 10.0.0.2 proto 17 ttl 64 checksum 0x66ca  20-byte header
      L4 UDP       40000 -> 53 length 13 checksum 0x0b8a  8-byte header
      L7 data      b'hello'
    header bytes 42 of 47: 89% overhead for 5 bytes of data
    <BLANKLINE>
    A 4000-byte UDP payload (4028-byte IPv4 datagram), id 0x1c46, MTU 1500
    fragment  offset (x8)  bytes  MF  wire bytes
           1            0   1480   1        1500
           2          185   1480   1        1500
           3          370   1048   0        1068
    reassembled == original: True
    with DF set: ICMP 3/4 (fragmentation needed, DF set): 4028-byte datagram, next-hop MTU 1500
    """
    frame = encapsulate_udp(
        b"hello",
        src="10.0.0.1",
        dst="10.0.0.2",
        src_port=40000,
        dst_port=53,
        src_mac="02:00:00:00:00:01",
        dst_mac="02:00:00:00:00:02",
    )
    eth = decode_ethernet(frame)
    ip = decode_ipv4(eth.payload)
    udp = decode_udp(ip.payload, ip.src, ip.dst)
    out.write(
        f"{udp.payload!r} from {ip.src}:{udp.src_port} to {ip.dst}:{udp.dst_port} "
        f"in one Ethernet II frame of {len(frame)} bytes\n"
    )
    out.write(
        f"  L2 Ethernet  {eth.src} -> {eth.dst} EtherType 0x{eth.ethertype:04x}  14-byte header\n"
    )
    ip_sum = int.from_bytes(eth.payload[10:12], "big")
    out.write(
        f"  L3 IPv4      {ip.src} -> {ip.dst} proto {ip.protocol} ttl {ip.ttl} "
        f"checksum 0x{ip_sum:04x}  {ip.header_length}-byte header\n"
    )
    udp_sum = int.from_bytes(ip.payload[6:8], "big")
    out.write(
        f"  L4 UDP       {udp.src_port} -> {udp.dst_port} length {len(ip.payload)} "
        f"checksum 0x{udp_sum:04x}  8-byte header\n"
    )
    out.write(f"  L7 data      {udp.payload!r}\n")
    headers = len(frame) - len(udp.payload)
    out.write(
        f"header bytes {headers} of {len(frame)}: {headers / len(frame):.0%} overhead "
        f"for {len(udp.payload)} bytes of data\n\n"
    )

    segment = encode_udp(UDPDatagram(40000, 53, bytes(4000)), "10.0.0.1", "10.0.0.2")
    big = IPv4Packet("10.0.0.1", "10.0.0.2", PROTO_UDP, segment, identification=0x1C46)
    out.write(
        f"A 4000-byte UDP payload ({big.total_length}-byte IPv4 datagram), "
        f"id 0x{big.identification:04x}, MTU 1500\n"
    )
    out.write("fragment  offset (x8)  bytes  MF  wire bytes\n")
    pieces = fragment(big, 1500)
    for i, f in enumerate(pieces, 1):
        out.write(
            f"{i:>8}{f.fragment_offset:>13}{len(f.payload):>7}{int(f.more_fragments):>4}"
            f"{len(encode_ipv4(f)):>12}\n"
        )
    out.write(f"reassembled == original: {reassemble(reversed(pieces)) == big}\n")
    try:
        fragment(IPv4Packet("10.0.0.1", "10.0.0.2", PROTO_UDP, segment, dont_fragment=True), 1500)
    except FragmentationNeeded as exc:
        out.write(f"with DF set: {exc}\n")
