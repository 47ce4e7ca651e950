"""The RFC 1071 checksum against the RFC's worked example, a published header and an oracle."""

from __future__ import annotations

import struct
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.network_models import ipv4_checksum, ones_complement_sum

# RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum (with end-around carry) to ddf2.
RFC1071_BYTES = bytes.fromhex("0001f203f4f5f6f7")
# A 20-byte IPv4 header (192.168.0.1 -> 192.168.0.199, UDP, DF, total length 115)
# whose checksum, 0xb861, is the example of the "IPv4 header checksum" article.
HEADER = bytes.fromhex("45000073000040004011b861c0a80001c0a800c7")


def oracle_checksum(data: bytes) -> int:
    """An independent checksum: as 2**16 ≡ 1 (mod 0xFFFF), the word sum is the number mod 0xFFFF."""
    padded = data + b"\x00" * (len(data) % 2)
    n = int.from_bytes(padded, "big")
    folded = n % 0xFFFF
    if folded == 0 and n != 0:
        folded = 0xFFFF  # ones' complement "negative zero": the end-around sum never returns 0
    return 0xFFFF - folded


def test_rfc1071_worked_example() -> None:
    assert ones_complement_sum(RFC1071_BYTES) == 0xDDF2
    assert ipv4_checksum(RFC1071_BYTES) == 0x220D


def test_published_header_example() -> None:
    zeroed = HEADER[:10] + b"\x00\x00" + HEADER[12:]
    assert ipv4_checksum(zeroed) == 0xB861
    assert ipv4_checksum(HEADER) == 0
    corrupted = HEADER[:8] + b"\x3f" + HEADER[9:]  # TTL 64 -> 63 without fixing the checksum
    assert ipv4_checksum(corrupted) != 0


def test_odd_length_is_padded_with_zero() -> None:
    assert ipv4_checksum(b"\x12\x34\x56") == ipv4_checksum(b"\x12\x34\x56\x00") == 0x97CB


def test_all_zero_and_all_ones() -> None:
    assert ipv4_checksum(b"") == ipv4_checksum(bytes(20)) == 0xFFFF
    assert ipv4_checksum(b"\xff\xff") == 0


@given(st.binary(max_size=300))
def test_matches_independent_oracle(data: bytes) -> None:
    assert ipv4_checksum(data) == oracle_checksum(data)
    assert ipv4_checksum(cast(bytes, bytearray(data))) == ipv4_checksum(
        cast(bytes, memoryview(data))
    )


@given(st.binary(min_size=20, max_size=60).map(lambda b: b[: len(b) // 4 * 4]))
def test_inserting_the_checksum_makes_the_header_verify(header: bytes) -> None:
    zeroed = header[:10] + b"\x00\x00" + header[12:]
    filled = zeroed[:10] + struct.pack("!H", ipv4_checksum(zeroed)) + zeroed[12:]
    assert ipv4_checksum(filled) == 0


@pytest.mark.parametrize("bad", ["4500", None, 3, 1.5, float("nan"), True, [0x45, 0]])
def test_bad_input(bad: object) -> None:
    with pytest.raises(TypeError, match="header must be bytes"):
        ipv4_checksum(bad)  # type: ignore[arg-type]
