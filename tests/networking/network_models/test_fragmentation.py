"""Fragmentation and reassembly: properties over random datagrams and MTUs, options, errors."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.networking.network_models import (
    MIN_MTU,
    FragmentationNeeded,
    IPv4Packet,
    encode_ipv4,
    fragment,
    parse_options,
    reassemble,
)

ALERT = bytes([0x94, 4, 0, 0])  # router alert: copied bit set
NOP_TS = bytes([1, 0x44, 6, 5, 0, 0, 0, 0])  # NOP + a timestamp-like option without the copied bit


@given(
    st.binary(max_size=5000),
    st.integers(MIN_MTU, 2000),
    st.sampled_from([b"", ALERT, NOP_TS, ALERT + NOP_TS]),
    st.randoms(use_true_random=False),
)
def test_fragments_fit_and_reassemble(
    payload: bytes, mtu: int, options: bytes, rng: random.Random
) -> None:
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, payload, identification=42, options=options)
    pieces = fragment(packet, mtu)
    assert all(len(encode_ipv4(f)) <= mtu for f in pieces)
    assert all(len(f.payload) % 8 == 0 for f in pieces[:-1])
    assert [f.more_fragments for f in pieces] == [True] * (len(pieces) - 1) + [False]
    offset = 0
    for f in pieces:  # contiguous, in 8-byte units
        assert f.fragment_offset * 8 == offset
        offset += len(f.payload)
    assert b"".join(f.payload for f in pieces) == payload
    for f in pieces[1:]:
        assert all(kind & 0x80 for kind, _ in parse_options(f.options))
    rng.shuffle(pieces)
    assert reassemble(pieces) == packet


def test_kurose_ross_worked_example() -> None:
    # Kurose & Ross, ch. 4: a 4,000-byte datagram (20-byte header, 3,980 bytes of data) on a
    # 1,500-byte MTU link becomes 1,480 + 1,480 + 1,020 bytes of data at offsets 0, 185, 370.
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(3980), identification=777)
    pieces = fragment(packet, 1500)
    assert [(f.fragment_offset, len(f.payload), f.more_fragments) for f in pieces] == [
        (0, 1480, True),
        (185, 1480, True),
        (370, 1020, False),
    ]
    assert [len(encode_ipv4(f)) for f in pieces] == [1500, 1500, 1040]
    assert {f.identification for f in pieces} == {777}


def test_exercise_fragment_counts_at_mtu_68() -> None:
    # The chapter's exercise: 65,535 bytes with 40 bytes of options, none or all copied.
    data = bytes(65_535 - 60)
    not_copied = bytes([0x07, 39]) + bytes(37) + b"\x00"  # record route: copied bit clear
    copied = bytes([0x83, 39]) + bytes(37) + b"\x00"  # loose source route: copied bit set
    few = fragment(IPv4Packet("10.0.0.1", "10.0.0.2", 17, data, options=not_copied), MIN_MTU)
    many = fragment(IPv4Packet("10.0.0.1", "10.0.0.2", 17, data, options=copied), MIN_MTU)
    assert (len(few), len(many)) == (1365, 8185)
    assert many[-1].fragment_offset == 8184
    assert all(len(encode_ipv4(f)) <= MIN_MTU for f in few + many)


def test_refragmenting_a_fragment_keeps_offsets_and_mf() -> None:
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(range(256)) * 12, identification=5)
    first_hop = fragment(packet, 1500)
    second_hop = [g for f in first_hop for g in fragment(f, 576)]
    assert len(second_hop) > len(first_hop)
    assert all(len(encode_ipv4(g)) <= 576 for g in second_hop)
    assert reassemble(second_hop) == packet


def test_fits_is_returned_unchanged_even_with_df() -> None:
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(1480), dont_fragment=True)
    assert fragment(packet, 1500) == [packet]


def test_df_raises_what_a_router_reports() -> None:
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(1481), dont_fragment=True)
    with pytest.raises(FragmentationNeeded) as info:
        fragment(packet, 1500)
    assert (info.value.total_length, info.value.mtu) == (1501, 1500)
    assert "ICMP 3/4" in str(info.value)
    assert isinstance(info.value, ValueError)


def _pieces() -> list[IPv4Packet]:
    return fragment(IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(400), identification=1), 100)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([], "no fragments"),
        (_pieces()[:-1], "has MF set: the datagram is incomplete"),
        (_pieces()[:2] + _pieces()[3:], "hole: fragment data starts at byte 240, expected 160"),
        (_pieces() + _pieces()[1:2], "overlap"),
        (
            _pieces()[:1]
            + [f.__class__(**{**f.__dict__, "identification": 2}) for f in _pieces()[1:]],
            "different datagrams",
        ),
    ],
)
def test_reassemble_rejects(parts: list[IPv4Packet], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reassemble(parts)


def test_reassembly_beyond_65535_is_refused() -> None:
    # The ping of death: a last fragment at the largest offset pushes the total past 65,535.
    head = IPv4Packet("10.0.0.1", "10.0.0.2", 1, bytes(8), more_fragments=True)
    gap = [
        IPv4Packet(
            "10.0.0.1",
            "10.0.0.2",
            1,
            bytes(65_000 // 8 * 8),
            more_fragments=True,
            fragment_offset=1,
        ),
        IPv4Packet("10.0.0.1", "10.0.0.2", 1, bytes(1000), fragment_offset=1 + 65_000 // 8),
    ]
    with pytest.raises(ValueError, match="would exceed 65535 bytes"):
        reassemble([head, *gap])


@pytest.mark.parametrize(
    ("mtu", "error", "message"),
    [
        (67, ValueError, r"mtu must be in \[68, 65535\], got 67"),
        (True, TypeError, "mtu must be an int, got bool"),
        (float("nan"), TypeError, "mtu must be an int, got float: nan"),
        (10**100, ValueError, "mtu must be in"),
    ],
)
def test_fragment_bad_mtu(mtu: object, error: type[Exception], message: str) -> None:
    packet = IPv4Packet("10.0.0.1", "10.0.0.2", 17, bytes(10))
    with pytest.raises(error, match=message):
        fragment(packet, mtu)  # type: ignore[arg-type]


def test_bad_types() -> None:
    with pytest.raises(TypeError, match="packet must be an IPv4Packet, got bytes"):
        fragment(b"x", 1500)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fragments must be IPv4Packets, got str"):
        reassemble(["x"])  # type: ignore[list-item]
