"""HTTP/2 framing (RFC 9113 §4.1): the 9-byte frame header and the connection preface.

Every HTTP/2 frame starts with the same 9 bytes: a 24-bit payload length, an
8-bit type, 8 bits of flags, one reserved bit and a 31-bit stream
identifier. Streams are the unit of multiplexing: frames of many requests
interleave on one TCP connection, and the stream id says which request a
frame belongs to (client-initiated streams are odd, stream 0 is the
connection itself). A client opens the connection with a fixed 24-byte
preface followed by a SETTINGS frame (§3.4).

>>> encode_frame(FRAME_TYPES["SETTINGS"], 0, 0, b"").hex(" ")
'00 00 00 04 00 00 00 00 00'
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook._validate import check_int

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "FRAME_TYPES",
    "PREFACE",
    "Frame",
    "FrameError",
    "decode_frame",
    "encode_frame",
]

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# RFC 9113 §6.5.2: SETTINGS_MAX_FRAME_SIZE starts at 2**14 and may be raised up to 2**24 - 1.
DEFAULT_MAX_FRAME_SIZE = 1 << 14
FRAME_TYPES: dict[str, int] = {
    "DATA": 0x0,
    "HEADERS": 0x1,
    "PRIORITY": 0x2,
    "RST_STREAM": 0x3,
    "SETTINGS": 0x4,
    "PUSH_PROMISE": 0x5,
    "PING": 0x6,
    "GOAWAY": 0x7,
    "WINDOW_UPDATE": 0x8,
    "CONTINUATION": 0x9,
}
HEADER_SIZE = 9


class FrameError(ValueError):
    """Bytes that are not a valid frame (a FRAME_SIZE_ERROR or a truncated frame)."""


@dataclass(frozen=True)
class Frame:
    """A decoded frame: its header fields and payload."""

    length: int
    type: int
    flags: int
    stream_id: int
    payload: bytes


def encode_frame(frame_type: int, flags: int, stream_id: int, payload: bytes) -> bytes:
    """The 9-byte header followed by ``payload``; the reserved bit is sent as 0.

    >>> encode_frame(FRAME_TYPES["HEADERS"], 0x5, 1, b"\\x82").hex(" ")
    '00 00 01 01 05 00 00 00 01 82'
    >>> encode_frame(0, 0, 2**31, b"")
    Traceback (most recent call last):
        ...
    ValueError: stream_id must be in [0, 2147483647], got 2147483648

    Complexity: O(len(payload)).
    """
    check_int(frame_type, "frame_type", minimum=0, maximum=255)
    check_int(flags, "flags", minimum=0, maximum=255)
    check_int(stream_id, "stream_id", minimum=0, maximum=(1 << 31) - 1)
    if not isinstance(payload, (bytes, bytearray)):
        raise TypeError(f"payload must be bytes, got {type(payload).__name__}: {payload!r}")
    if len(payload) >= 1 << 24:
        raise ValueError(f"payload must be under 2**24 bytes, got {len(payload)}")
    header = len(payload).to_bytes(3, "big") + bytes([frame_type, flags])
    return header + stream_id.to_bytes(4, "big") + bytes(payload)


def decode_frame(
    data: bytes, offset: int = 0, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
) -> tuple[Frame, int]:
    """Decode the frame at ``data[offset:]``; return it and the offset after it.

    The reserved bit is ignored on receipt (§4.1); a length above
    ``max_frame_size`` is refused before any payload is read (§4.2).

    >>> frame, end = decode_frame(bytes.fromhex("000001010580000001") + b"\\x82")
    >>> frame, end
    (Frame(length=1, type=1, flags=5, stream_id=1, payload=b'\\x82'), 10)
    >>> decode_frame(bytes.fromhex("004001000000000001"))
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.http2.FrameError: frame length 16385 exceeds max_frame_size 16384

    Complexity: O(length).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    check_int(offset, "offset", minimum=0)
    check_int(max_frame_size, "max_frame_size", minimum=1 << 14, maximum=(1 << 24) - 1)
    if len(data) - offset < HEADER_SIZE:
        raise FrameError(f"frame header truncated: {max(len(data) - offset, 0)} of 9 bytes")
    length = int.from_bytes(data[offset : offset + 3], "big")
    if length > max_frame_size:
        raise FrameError(f"frame length {length} exceeds max_frame_size {max_frame_size}")
    frame_type, flags = data[offset + 3], data[offset + 4]
    stream_id = int.from_bytes(data[offset + 5 : offset + 9], "big") & 0x7FFF_FFFF
    start = offset + HEADER_SIZE
    if len(data) - start < length:
        raise FrameError(f"frame payload truncated: {len(data) - start} of {length} bytes")
    payload = bytes(data[start : start + length])
    return Frame(length, frame_type, flags, stream_id, payload), start + length
