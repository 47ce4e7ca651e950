"""HPACK and HTTP/2 framing against RFC 7541's examples and the ``hpack`` package."""

from __future__ import annotations

import re
import struct
from typing import Any

import hpack
import pytest
from hpack.huffman import HuffmanEncoder
from hpack.huffman_constants import REQUEST_CODES, REQUEST_CODES_LENGTH
from hpack.huffman_table import decode_huffman
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.http_tls import (
    FRAME_TYPES,
    PREFACE,
    STATIC_TABLE,
    Decoder,
    Encoder,
    FrameError,
    HpackError,
    decode_frame,
    decode_integer,
    encode_frame,
    encode_integer,
    huffman_decode,
    huffman_encode,
)
from studybook.networking.http_tls.hpack import HUFFMAN_CODES


def wrong(value: object) -> Any:
    """Pass a deliberately mistyped argument past the type checker."""
    return value


@pytest.mark.parametrize(
    ("value", "prefix", "wire"),
    [(10, 5, "0a"), (1337, 5, "1f9a0a"), (42, 8, "2a"), (31, 5, "1f00"), (0, 1, "00"),
     (127, 7, "7f00"), (2**32, 8, "ff81feffff0f")],
)  # fmt: skip
def test_integer_examples(value: int, prefix: int, wire: str) -> None:
    """RFC 7541 C.1.1-C.1.3, plus the boundaries of each prefix."""
    assert encode_integer(value, prefix).hex() == wire
    assert decode_integer(bytes.fromhex(wire), prefix) == (value, len(wire) // 2)


@settings(max_examples=200, deadline=None)
@given(value=st.integers(0, 2**32), prefix=st.integers(1, 8))
def test_integers_match_the_hpack_package(value: int, prefix: int) -> None:
    ours = encode_integer(value, prefix)
    assert ours == bytes(hpack.hpack.encode_integer(value, prefix))
    assert hpack.hpack.decode_integer(ours, prefix) == (value, len(ours))


def test_static_table_and_huffman_code_match_the_rfc_tables() -> None:
    assert tuple(hpack.table.HeaderTable.STATIC_TABLE) == STATIC_TABLE
    assert tuple(REQUEST_CODES) == HUFFMAN_CODES  # rebuilt from lengths alone
    assert len(STATIC_TABLE) == 61


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=200))
def test_huffman_matches_the_hpack_package(data: bytes) -> None:
    ours = huffman_encode(data)
    assert ours == HuffmanEncoder(REQUEST_CODES, REQUEST_CODES_LENGTH).encode(data)
    assert huffman_decode(ours) == data == decode_huffman(ours)


HEADER = st.tuples(
    st.sampled_from([":method", ":path", ":authority", "accept", "cookie", "x-trace", "user-agent",
                     "cache-control", "etag", "x-" + "n" * 40]),
    st.sampled_from(["GET", "/", "/index.html", "a" * 60, "", "gzip, deflate", "max-age=60",
                     "héllo", "v1", "text/html"]),
)  # fmt: skip
BLOCKS = st.lists(st.lists(HEADER, max_size=12), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(blocks=BLOCKS, huffman=st.booleans(), table_size=st.sampled_from([0, 64, 256, 4096]))
def test_our_encoder_feeds_the_hpack_decoder(
    blocks: list[list[tuple[str, str]]], huffman: bool, table_size: int
) -> None:
    ours, theirs = Encoder(table_size), hpack.Decoder()  # learns the size from our update
    for headers in blocks:
        block = ours.encode(headers, huffman=huffman)
        expected = [(n.encode(), v.encode()) for n, v in headers]
        assert theirs.decode(block, raw=True) == expected
        ours.table._check_invariants()


@settings(max_examples=60, deadline=None)
@given(blocks=BLOCKS, huffman=st.booleans())
def test_hpack_encoder_feeds_our_decoder(
    blocks: list[list[tuple[str, str]]], huffman: bool
) -> None:
    theirs, ours = hpack.Encoder(), Decoder()
    for headers in blocks:
        sensitive = [(n, v, n == "cookie") for n, v in headers]  # exercises never-indexed
        block = theirs.encode(sensitive, huffman=huffman)
        assert ours.decode(block) == [(n.encode(), v.encode()) for n, v in headers]
        ours.table._check_invariants()
        assert list(ours.table.entries) == [(n, v) for n, v in theirs.header_table.dynamic_entries]


def test_rfc_c3_and_c4_request_sequences() -> None:
    """RFC 7541 C.3 (no Huffman) and C.4 (Huffman): three requests, byte for byte."""
    requests = [
        [(":method", "GET"), (":scheme", "http"), (":path", "/"),
         (":authority", "www.example.com")],
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
         ("cache-control", "no-cache")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"),
         (":authority", "www.example.com"), ("custom-key", "custom-value")],
    ]  # fmt: skip
    c3 = ["828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865",
          "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"]  # fmt: skip
    c4 = ["828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf",
          "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"]  # fmt: skip
    for huffman, wires in ((False, c3), (True, c4)):
        enc, dec = Encoder(), Decoder()
        for headers, wire in zip(requests, wires, strict=True):
            assert enc.encode(headers, huffman=huffman).hex() == wire
            assert dec.decode(bytes.fromhex(wire)) == [(n.encode(), v.encode()) for n, v in headers]
        assert dec.table.size == 164  # the RFC's figure after the third request


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (b"\x80", "index 0 is not a valid table index"),
        (b"\xbe", "index 62 is outside the tables (1..61)"),
        (b"\x1f", "integer truncated"),
        (b"\x7f\xff\xff\xff\xff\xff\x01", "larger than 2**32"),
        (b"\x40\x05ab", "runs past the block end"),
        (b"\x40", "string truncated"),
        (b"\x3f\xe1\x1f", "table size update 4096"),  # 4096 is allowed; then an empty literal
        (b"\x40\x81\x00\x00", "padding must be 1 bits"),
        (b"\x40\x84\xff\xff\xff\xff\x00", "EOS symbol"),
        (b"\x40\x82\xff\xff\x00", "padding longer than 7 bits"),
        (b"\x82\x20", "table size update after a field, at offset 1"),  # RFC 7541 §4.2
    ],
)
def test_malformed_header_blocks(block: bytes, message: str) -> None:
    if message.startswith("table size update 4096"):
        dec = Decoder(max_table_size=100)
        with pytest.raises(HpackError, match="table size update 4096 exceeds 100"):
            dec.decode(block)
        return
    with pytest.raises(HpackError, match=re.escape(message)):
        Decoder().decode(block)


def test_header_list_limit() -> None:
    with pytest.raises(HpackError, match="larger than 100 bytes"):
        Decoder(max_header_list_size=100).decode(Encoder().encode([("x", "y" * 80)]))


def test_table_eviction_keeps_size_bounded() -> None:
    enc = Encoder(max_table_size=100)
    enc.encode([("a", "1" * 30), ("b", "2" * 30), ("c", "3" * 30)])
    # each entry is 1 + 30 + 32 = 63 bytes and two exceed 100: only the newest survives
    assert list(enc.table.entries) == [(b"c", b"3" * 30)]
    assert enc.table.size == 63
    enc.table._check_invariants()


@settings(max_examples=100, deadline=None)
@given(
    frame_type=st.integers(0, 255),
    flags=st.integers(0, 255),
    stream_id=st.integers(0, 2**31 - 1),
    payload=st.binary(max_size=64),
    reserved=st.booleans(),
)
def test_frames_match_struct_layout(
    frame_type: int, flags: int, stream_id: int, payload: bytes, reserved: bool
) -> None:
    wire = encode_frame(frame_type, flags, stream_id, payload)
    assert wire == struct.pack(">IBBI", len(payload), frame_type, flags, stream_id)[1:] + payload
    received = bytearray(wire)
    if reserved:
        received[5] |= 0x80  # the R bit must be ignored on receipt
    frame, end = decode_frame(bytes(received) + b"next")
    assert (frame.type, frame.flags, frame.stream_id, frame.payload) == (
        frame_type, flags, stream_id, payload,
    )  # fmt: skip
    assert end == len(wire)


def test_connection_preface_and_headers_frame_carry_hpack() -> None:
    assert len(PREFACE) == 24
    assert PREFACE.startswith(b"PRI * HTTP/2.0")
    block = Encoder().encode([(":method", "GET"), (":path", "/"), (":scheme", "https")])
    wire = PREFACE + encode_frame(FRAME_TYPES["SETTINGS"], 0, 0, b"")
    wire += encode_frame(FRAME_TYPES["HEADERS"], 0x4 | 0x1, 1, block)  # END_HEADERS|END_STREAM
    settings_frame, offset = decode_frame(wire, len(PREFACE))
    headers_frame, end = decode_frame(wire, offset)
    assert (settings_frame.type, settings_frame.length) == (4, 0)
    assert end == len(wire)
    decoded = [
        (bytes(n), bytes(v)) for n, v in hpack.Decoder().decode(headers_frame.payload, raw=True)
    ]
    assert decoded == [(b":method", b"GET"), (b":path", b"/"), (b":scheme", b"https")]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: decode_frame(b"\x00\x00"), FrameError, "frame header truncated: 2 of 9"),
        (lambda: decode_frame(b"\x00\x00\x05\x00\x00\x00\x00\x00\x01ab"), FrameError,
         "payload truncated: 2 of 5"),
        (lambda: decode_frame(b"\xff\xff\xff" + bytes(6)), FrameError, "16777215 exceeds"),
        (lambda: decode_frame(b"", max_frame_size=100), ValueError, "max_frame_size must be in"),
        (lambda: encode_frame(True, 0, 1, b""), TypeError, "frame_type must be an int, got bool"),
        (lambda: encode_frame(0, 256, 1, b""), ValueError, "flags must be in [0, 255], got 256"),
        (lambda: encode_frame(0, 0, -1, b""), ValueError, "stream_id must be in"),
        (lambda: encode_frame(0, 0, 1, wrong("x")), TypeError, "payload must be bytes, got str"),
        (lambda: encode_integer(5, 0), ValueError, "prefix_bits must be in [1, 8], got 0"),
        (lambda: encode_integer(wrong(1.5), 5), TypeError, "value must be an int, got float: 1.5"),
        (lambda: encode_integer(1, 5, 0x1F), ValueError, "flags must not touch the 5-bit prefix"),
        (lambda: encode_integer(2**33, 5), ValueError, "got 8589934592"),
        (lambda: huffman_encode(wrong("abc")), TypeError, "data must be bytes, got str"),
        (lambda: Encoder(-1), ValueError, "max_table_size must be in"),
        (lambda: Encoder().encode(wrong([("a",)])), TypeError, "must be a (name, value) pair"),
        (lambda: Encoder().encode(wrong([("a", 1)])), TypeError, "header value must be str or"),
        (lambda: Encoder().encode([], huffman=wrong(1)), TypeError, "huffman must be a bool"),
        (lambda: Decoder().decode(wrong("82")), TypeError, "block must be bytes, got str"),
    ],
)  # fmt: skip
def test_bad_arguments(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)
