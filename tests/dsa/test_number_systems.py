"""Number systems checked against Python's own int, format, bytes, codecs, ctypes and ipaddress."""

from __future__ import annotations

import ctypes
import io
import ipaddress
import random
import re
from typing import Literal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from studybook.dsa.number_systems import (
    Utf8Error,
    add_with_overflow,
    arithmetic_shift_right,
    clear_lowest_set_bit,
    demo,
    from_base,
    from_twos_complement,
    int_from_bytes,
    int_to_bytes,
    is_power_of_two,
    lowest_set_bit,
    next_power_of_two,
    popcount,
    rotate_left,
    subnet,
    swap_case_ascii,
    to_base,
    to_twos_complement,
    utf8_decode,
    utf8_encode,
    wrap_signed,
    xor_unique,
)

SETTINGS = settings(max_examples=200, deadline=None)
bases = st.integers(2, 36)
Order = Literal["big", "little"]
orders: st.SearchStrategy[Order] = st.sampled_from(["big", "little"])
widths = st.integers(1, 70)

# ----------------------------------------------------------- base conversion


@SETTINGS
@given(st.integers(-(2**80), 2**80), bases)
def test_to_base_round_trips_and_matches_format(value: int, base: int) -> None:
    text = to_base(value, base)
    assert int(text, base) == value
    assert from_base(text, base) == value
    assert from_base(text.upper(), base) == value
    spec = {2: "b", 8: "o", 10: "d", 16: "x"}.get(base)
    if spec:
        assert text == format(value, spec)


@SETTINGS
@given(st.text(alphabet="0123456789abcdefxyzXYZ+-", max_size=6), bases)
def test_from_base_raises_exactly_when_int_raises(text: str, base: int) -> None:
    # int() also accepts a 0x/0o/0b prefix matching the base; from_base does not.
    prefix = {16: "x", 8: "o", 2: "b"}.get(base)
    assume(not (prefix and re.match(rf"[+-]?0{prefix}", text, re.IGNORECASE)))
    try:
        expected = int(text, base)
    except ValueError:
        with pytest.raises(ValueError, match="digit|no digits"):
            from_base(text, base)
    else:
        assert from_base(text, base) == expected


def test_base_validation() -> None:
    with pytest.raises(ValueError, match="base must be in 2..36, got 37"):
        to_base(1, 37)
    with pytest.raises(ValueError, match="base must be in 2..36, got 0"):
        from_base("1", 0)
    with pytest.raises(TypeError, match="value must be an int, got True"):
        to_base(True, 2)
    with pytest.raises(ValueError, match=r"'g' at index 2 is not a base-16 digit in '-1g'"):
        from_base("-1g", 16)
    with pytest.raises(ValueError, match="no digits in '-'"):
        from_base("-", 10)
    with pytest.raises(ValueError, match="is not a base-10 digit"):
        from_base("\u0661", 10)  # int() accepts Arabic-Indic digits; from_base is ASCII only


# ------------------------------------------------------- two's complement


@st.composite
def signed_in_width(draw: st.DrawFn) -> tuple[int, int]:
    bits = draw(widths)
    return draw(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)), bits


@SETTINGS
@given(signed_in_width())
def test_twos_complement_round_trip_and_bytes_oracle(case: tuple[int, int]) -> None:
    value, bits = case
    raw = to_twos_complement(value, bits)
    assert 0 <= raw < 2**bits
    assert from_twos_complement(raw, bits) == value
    assert raw == value % 2**bits
    if bits % 8 == 0:
        assert raw.to_bytes(bits // 8, "big") == value.to_bytes(bits // 8, "big", signed=True)


@SETTINGS
@given(st.integers(-(2**70), 2**70), widths)
def test_to_twos_complement_rejects_exactly_the_out_of_range(value: int, bits: int) -> None:
    fits = -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
    if fits:
        to_twos_complement(value, bits)
    else:
        with pytest.raises(ValueError, match=f"does not fit in {bits}-bit two's complement"):
            to_twos_complement(value, bits)


def test_twos_complement_validation() -> None:
    with pytest.raises(ValueError, match="bits must be at least 1, got 0"):
        to_twos_complement(0, 0)
    with pytest.raises(ValueError, match="raw pattern -1 does not fit in 8 bits"):
        from_twos_complement(-1, 8)
    with pytest.raises(
        ValueError, match=r"-129 does not fit in 8-bit two's complement \(-128..127\)"
    ):
        to_twos_complement(-129, 8)


CTYPES = {8: ctypes.c_int8, 16: ctypes.c_int16, 32: ctypes.c_int32, 64: ctypes.c_int64}


@SETTINGS
@given(st.sampled_from(sorted(CTYPES)), st.data())
def test_overflow_matches_c_fixed_width_integers(bits: int, data: st.DataObject) -> None:
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    a = data.draw(st.integers(lo, hi))
    b = data.draw(st.integers(lo, hi))
    total, overflowed = add_with_overflow(a, b, bits)
    assert total == CTYPES[bits](a + b).value  # ctypes truncates like C hardware
    assert overflowed == (not lo <= a + b <= hi)
    wide = data.draw(st.integers(-(2**100), 2**100))
    assert wrap_signed(wide, bits) == CTYPES[bits](wide).value


# ------------------------------------------------------------------ bits


@SETTINGS
@given(st.integers(0, 2**100))
def test_bit_tricks_match_builtins(x: int) -> None:
    assert popcount(x) == x.bit_count() == bin(x).count("1")
    if x:
        assert lowest_set_bit(x) == 1 << (len(bin(x)) - len(bin(x).rstrip("0")))
        assert popcount(clear_lowest_set_bit(x)) == popcount(x) - 1
    else:
        assert lowest_set_bit(0) == clear_lowest_set_bit(0) == 0
    assert is_power_of_two(x) == (x > 0 and bin(x).count("1") == 1)
    p = next_power_of_two(x)
    assert is_power_of_two(p)
    assert p >= x
    assert p == 1 or p // 2 < x


def test_bit_trick_validation() -> None:
    with pytest.raises(ValueError, match="popcount needs a non-negative int, got -3"):
        popcount(-3)
    with pytest.raises(ValueError, match="lowest_set_bit needs a non-negative int, got -1"):
        lowest_set_bit(-1)
    assert not is_power_of_two(-4)


@SETTINGS
@given(signed_in_width(), st.integers(0, 80))
def test_shifts_and_rotation(case: tuple[int, int], shift: int) -> None:
    value, bits = case
    raw = to_twos_complement(value, bits)
    shifted = arithmetic_shift_right(raw, shift, bits)
    assert from_twos_complement(shifted, bits) == value >> shift  # Python's >> is arithmetic
    assert from_twos_complement(shifted, bits) == value // 2**shift
    rotated = rotate_left(raw, shift, bits)
    text = format(raw, f"0{bits}b")
    k = shift % bits
    assert format(rotated, f"0{bits}b") == text[k:] + text[:k]
    assert rotate_left(rotated, -shift, bits) == raw


@SETTINGS
@given(st.lists(st.integers(-(2**40), 2**40), unique=True), st.integers(), st.randoms())
def test_xor_unique_finds_the_odd_one(pairs: list[int], odd: int, rng: random.Random) -> None:
    assume(odd not in pairs)
    values = [*pairs, *pairs, odd]
    rng.shuffle(values)
    assert xor_unique(values) == odd


@SETTINGS
@given(st.text())
def test_swap_case_ascii_matches_str_swapcase_on_ascii_letters(text: str) -> None:
    got = swap_case_ascii(text)
    expected = "".join(c.swapcase() if c.isascii() else c for c in text)
    assert got == expected


# ------------------------------------------------------------ endianness


@SETTINGS
@given(
    st.integers(-(2**72), 2**72),
    st.integers(0, 9),
    orders,
    st.booleans(),
)
def test_bytes_by_hand_match_int_to_bytes(
    value: int, length: int, order: Order, signed: bool
) -> None:
    try:
        expected = value.to_bytes(length, order, signed=signed)
    except OverflowError:
        with pytest.raises(ValueError, match="does not fit in"):
            int_to_bytes(value, length, order, signed=signed)
    else:
        assert int_to_bytes(value, length, order, signed=signed) == expected
        back = int_from_bytes(expected, order, signed=signed)
        assert back == int.from_bytes(expected, order, signed=signed) == value


@SETTINGS
@given(st.binary(max_size=12), orders, st.booleans())
def test_int_from_bytes_matches_builtin(data: bytes, order: Order, signed: bool) -> None:
    assert int_from_bytes(data, order, signed=signed) == int.from_bytes(data, order, signed=signed)


def test_byteorder_validation() -> None:
    with pytest.raises(ValueError, match="byteorder must be 'big' or 'little', got 'middle'"):
        int_to_bytes(1, 2, "middle")  # type: ignore[arg-type]


# ------------------------------------------------------------------ UTF-8


@SETTINGS
@given(st.text())
@example("\x00\x7f\x80\u07ff\u0800\uffff\U00010000\U0010ffff")  # every length boundary
def test_utf8_encode_matches_str_encode(text: str) -> None:
    assert utf8_encode(text) == text.encode("utf-8")
    assert utf8_decode(text.encode("utf-8")) == text


@SETTINGS
@given(st.integers(0xD800, 0xDFFF))
def test_utf8_encode_rejects_surrogates_like_python(cp: int) -> None:
    text = "ab" + chr(cp)
    with pytest.raises(UnicodeEncodeError):
        text.encode("utf-8")
    with pytest.raises(ValueError, match=f"cannot encode surrogate U\\+{cp:04X} at index 2"):
        utf8_encode(text)


# Bytes that exercise every branch of RFC 3629's table: ASCII, continuation
# bytes, every lead byte, and the bytes that never occur.
INTERESTING_BYTES = [
    *(0x41, 0x7F),  # ASCII
    *(0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF),  # continuation bytes at the narrowed-range edges
    *(0xC0, 0xC1, 0xC2, 0xDF),  # 2-byte leads, the first two always overlong
    *(0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF),  # 3-byte leads
    *(0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF),  # 4-byte leads and never-valid bytes
]
utf8ish = st.binary(max_size=10) | st.lists(
    st.sampled_from(INTERESTING_BYTES),
    max_size=8,
).map(bytes)


@settings(max_examples=1000, deadline=None)
@given(utf8ish)
@example(b"\xc0\x80")  # overlong NUL
@example(b"\xe0\x80\xaf")  # overlong '/'
@example(b"\xed\xa0\x80")  # surrogate U+D800
@example(b"\xf4\x90\x80\x80")  # U+110000
@example(b"\xf0\x9f\x98")  # truncated emoji
@example(b"a\x80")  # stray continuation
def test_utf8_decode_raises_exactly_when_python_raises(data: bytes) -> None:
    start = None
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    if start is None:
        assert utf8_decode(data) == expected
    else:
        with pytest.raises(Utf8Error, match=f"^invalid UTF-8 at byte {start}: ") as info:
            utf8_decode(data)
        assert info.value.offset == start


def test_utf8_type_errors() -> None:
    with pytest.raises(TypeError, match="utf8_decode needs bytes, got 'abc'"):
        utf8_decode("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="utf8_encode needs a str, got b'abc'"):
        utf8_encode(b"abc")  # type: ignore[arg-type]
    assert utf8_decode(bytearray(b"\xc3\xa9")) == "é"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x80", "stray continuation byte 0x80"),
        (b"\xc1\xbf", "overlong lead byte 0xc1"),
        (b"\xe0\x9f\xbf", "overlong 3-byte form, got 0x9f at byte 1"),
        (b"\xed\xbf\xbf", "surrogate code point, got 0xbf at byte 1"),
        (b"\xf0\x8f\xbf\xbf", "overlong 4-byte form, got 0x8f at byte 1"),
        (b"\xf4\x90\x80\x80", "code point above U+10FFFF, got 0x90 at byte 1"),
        (b"\xf8\x88\x80\x80\x80", "byte 0xf8 never appears in UTF-8"),
        (b"\xe2\x82", "truncated 3-byte sequence"),
        (b"\xe2\x28\xa1", "expected a continuation byte, got 0x28 at byte 1"),
    ],
)
def test_utf8_decode_explains_each_rfc3629_rule(data: bytes, reason: str) -> None:
    with pytest.raises(Utf8Error, match=re.escape(f"invalid UTF-8 at byte 0: {reason}")):
        utf8_decode(data)


# ---------------------------------------------------------------- subnets


# Uniform addresses almost never land in private space, so half the draws start
# near an RFC 1918 boundary (inside and just outside each range).
NEAR_PRIVATE = [0x0A000000, 0x09FF0000, 0xAC100000, 0xAC0F0000, 0xAC1F0000, 0xC0A80000]
addresses = st.integers(0, 2**32 - 1) | st.builds(
    lambda base, offset: (base + offset) % 2**32,
    st.sampled_from(NEAR_PRIVATE),
    st.integers(0, 2**17),
)


@pytest.mark.parametrize("prefix", range(33))
@settings(max_examples=20, deadline=None)
@given(addr=addresses)
@example(addr=0x0A000000)
@example(addr=0xFFFFFFFF)
def test_subnet_matches_ipaddress_on_every_prefix(addr: int, prefix: int) -> None:
    host = str(ipaddress.IPv4Address(addr))
    net = ipaddress.IPv4Network(f"{host}/{prefix}", strict=False)
    s = subnet(f"{host}/{prefix}", strict=False)
    assert s.network == str(net.network_address)
    assert s.prefix == net.prefixlen
    assert s.netmask == str(net.netmask)
    assert s.wildcard == str(net.hostmask)
    assert s.broadcast == str(net.broadcast_address)
    assert s.total_addresses == net.num_addresses
    hosts = net.hosts()
    assert s.first_host == str(next(iter(hosts)))
    if prefix >= 22:  # small enough to enumerate: check the last host and the count exactly
        every = [str(h) for h in net.hosts()]
        assert (s.last_host, s.usable_hosts) == (every[-1], len(every))
    else:  # hosts() of a big block is the range between network and broadcast, exclusive
        assert s.last_host == str(net.broadcast_address - 1)
        assert s.usable_hosts == net.num_addresses - 2
    assert host in s
    assert s.is_rfc1918 == any(
        net.subnet_of(ipaddress.IPv4Network(p))
        for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    )


def test_subnet_31_and_32_follow_rfc3021_and_ipaddress() -> None:
    p2p = subnet("10.0.0.0/31")
    assert (p2p.first_host, p2p.last_host, p2p.broadcast, p2p.usable_hosts) == (
        "10.0.0.0",
        "10.0.0.1",
        "10.0.0.1",
        2,
    )
    single = subnet("10.0.0.7/32")
    assert (single.first_host, single.last_host, single.broadcast, single.usable_hosts) == (
        "10.0.0.7",
        "10.0.0.7",
        "10.0.0.7",
        1,
    )


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_strict_mode_raises_exactly_when_ipaddress_strict_raises(addr: int, prefix: int) -> None:
    cidr = f"{ipaddress.IPv4Address(addr)}/{prefix}"
    try:
        ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        with pytest.raises(ValueError, match="has host bits set"):
            subnet(cidr)
    else:
        assert subnet(cidr).network == str(ipaddress.IPv4Address(addr))


@pytest.mark.parametrize(
    "bad",
    ["10.0.0.0", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.256/32", " 10.0.0.0/8", "a/8"],
)
def test_subnet_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        subnet(bad)


def test_demo_narrates() -> None:
    buf = io.StringIO()
    demo(buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) >= 5
    assert "62 usable" in lines[-1]
