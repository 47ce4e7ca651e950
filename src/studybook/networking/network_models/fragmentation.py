"""IPv4 fragmentation and reassembly (RFC 791), and the DF error of path MTU discovery.

A datagram larger than the next link's MTU is cut into fragments that share
its identification; each carries its data's position in 8-byte units
(``fragment_offset``) and the MF flag on all but the last. Only the first
fragment keeps every option; later ones keep only options whose *copied* bit
is set. With DF set a router drops the datagram and returns ICMP type 3
(destination unreachable) code 4 (fragmentation needed and DF set), with the
next-hop MTU in the message (RFC 1191), which is how path MTU discovery works.

>>> p = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(3000), identification=7)
>>> [(f.fragment_offset, len(f.payload), f.more_fragments) for f in fragment(p, 1500)]
[(0, 1480, True), (185, 1480, True), (370, 40, False)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from studybook._validate import check_int
from studybook.networking.network_models.ipv4 import MAX_PACKET, IPv4Packet, parse_options

__all__ = ["ICMP_FRAG_NEEDED", "MIN_MTU", "FragmentationNeeded", "fragment", "reassemble"]

#: The smallest MTU, 68 bytes, which RFC 791 requires every internet module to
#: forward without fragmenting.
MIN_MTU = 68
#: (type, code) of the ICMP message a router sends when DF forbids fragmenting.
ICMP_FRAG_NEEDED = (3, 4)


class FragmentationNeeded(ValueError):
    """DF is set and the datagram exceeds the MTU: what a router reports with ICMP 3/4."""

    def __init__(self, total_length: int, mtu: int) -> None:
        self.total_length = total_length
        self.mtu = mtu
        super().__init__(
            f"ICMP 3/4 (fragmentation needed, DF set): "
            f"{total_length}-byte datagram, next-hop MTU {mtu}"
        )


def fragment(packet: IPv4Packet, mtu: int) -> list[IPv4Packet]:
    """Split ``packet`` into fragments of at most ``mtu`` bytes each, as a router would.

    Every fragment's data except the last is a multiple of 8 bytes. A packet
    that is already a fragment can be fragmented again: offsets stay relative
    to the original datagram and the last piece keeps the original MF flag.

    Args:
        packet: the datagram.
        mtu: the link MTU in bytes, 68 to 65535.

    Returns:
        ``[packet]`` if it fits, else the fragments in order.

    Raises:
        TypeError: a wrong argument type.
        ValueError: ``mtu`` out of range.
        FragmentationNeeded: it does not fit and DF is set.

    Complexity: O(total length).

    >>> try:
    ...     fragment(IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(1600), dont_fragment=True), 1500)
    ... except FragmentationNeeded as exc:
    ...     print(exc)
    ICMP 3/4 (fragmentation needed, DF set): 1620-byte datagram, next-hop MTU 1500
    """
    if not isinstance(packet, IPv4Packet):
        raise TypeError(f"packet must be an IPv4Packet, got {type(packet).__name__}: {packet!r}")
    check_int(mtu, "mtu", minimum=MIN_MTU, maximum=MAX_PACKET)
    if packet.total_length <= mtu:
        return [packet]
    if packet.dont_fragment:
        raise FragmentationNeeded(packet.total_length, mtu)
    later_options = _copied_options(packet.options)
    fragments: list[IPv4Packet] = []
    data, done = packet.payload, 0
    while done < len(data):
        options = packet.options if done == 0 else later_options
        room = (mtu - 20 - len(options)) // 8 * 8  # 60-byte max header leaves >= 8 at MTU 68
        piece = data[done : done + room]
        last = done + len(piece) == len(data)
        fragments.append(
            replace(
                packet,
                payload=piece,
                options=options,
                fragment_offset=packet.fragment_offset + done // 8,
                more_fragments=packet.more_fragments if last else True,
            )
        )
        done += len(piece)
    return fragments


def _copied_options(options: bytes) -> bytes:
    kept = b"".join(
        bytes([kind, len(body) + 2]) + body for kind, body in parse_options(options) if kind & 0x80
    )
    return kept + bytes(-len(kept) % 4)


def reassemble(fragments: Iterable[IPv4Packet]) -> IPv4Packet:
    """Rebuild the datagram from all of its fragments, given in any order.

    This model is strict where RFC 791 leaves room: fragments must belong to
    one datagram (same source, destination, protocol and identification),
    must not overlap (overlaps were used to slip data past firewalls), must
    leave no hole, and must not exceed 65,535 bytes (the "ping of death").

    Args:
        fragments: every fragment of one datagram.

    Returns:
        The datagram, with the first fragment's header and options.

    Raises:
        TypeError: an element is not an
            :class:`~studybook.networking.network_models.ipv4.IPv4Packet`.
        ValueError: empty, mixed datagrams, an overlap, a hole, or too large.

    Complexity: O(k log k + n) for k fragments and n bytes.

    >>> p = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(range(200)), identification=9)
    >>> reassemble(reversed(fragment(p, 100))) == p
    True
    >>> reassemble(fragment(p, 100)[1:])
    Traceback (most recent call last):
    ValueError: hole: fragment data starts at byte 80, expected 0
    """
    parts = list(fragments)
    for f in parts:
        if not isinstance(f, IPv4Packet):
            raise TypeError(f"fragments must be IPv4Packets, got {type(f).__name__}: {f!r}")
    if not parts:
        raise ValueError("no fragments to reassemble, got []")
    key = _datagram_key(parts[0])
    for f in parts:
        if _datagram_key(f) != key:
            raise ValueError(f"fragments of different datagrams: {key} and {_datagram_key(f)}")
    parts.sort(key=lambda f: f.fragment_offset)
    data, expected = bytearray(), 0
    for i, f in enumerate(parts):
        start = f.fragment_offset * 8
        if start < expected:
            raise ValueError(f"overlap: fragment data starts at byte {start}, before {expected}")
        if start > expected:
            raise ValueError(f"hole: fragment data starts at byte {start}, expected {expected}")
        last = i == len(parts) - 1
        if f.more_fragments == last:
            state = "has MF set" if last else "lacks MF"
            raise ValueError(f"fragment at byte {start} {state}: the datagram is incomplete")
        if not last and len(f.payload) % 8:
            raise ValueError(f"fragment at byte {start} has {len(f.payload)} bytes, not 8k")
        if parts[0].header_length + start + len(f.payload) > MAX_PACKET:
            raise ValueError(f"reassembled datagram would exceed {MAX_PACKET} bytes")
        data += f.payload
        expected = start + len(f.payload)
    return replace(parts[0], payload=bytes(data), more_fragments=False)


def _datagram_key(f: IPv4Packet) -> tuple[str, str, int, int]:
    return (f.src, f.dst, f.protocol, f.identification)
