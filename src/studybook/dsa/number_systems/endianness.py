"""Byte order: laying integers out as bytes, big- and little-endian, by hand.

Big-endian puts the most significant byte first (network byte order);
little-endian the least significant first (x86). The functions do what
``int.to_bytes`` and ``int.from_bytes`` do, and the tests compare them
on random values, lengths, orders and signedness.

One corner is decided differently from CPython: a zero-length field holds only
the value 0, so ``int_to_bytes(-1, 0, signed=True)`` raises, while CPython up
to 3.14 returns ``b''`` for ``(-1).to_bytes(0, signed=True)`` (which reads back
as 0). CPython's main branch made it raise OverflowError in September 2025
(gh-71810).
"""

from __future__ import annotations

from collections.abc import Iterable

from studybook.dsa.number_systems._checks import (
    ByteOrder,
    check_bool,
    check_byteorder,
    check_int,
)
from studybook.dsa.number_systems.twos_complement import from_twos_complement

__all__ = ["int_from_bytes", "int_to_bytes"]


def int_to_bytes(value: int, length: int, byteorder: ByteOrder, *, signed: bool = False) -> bytes:
    """Lay an integer out as ``length`` bytes, by hand (what ``int.to_bytes`` does).

    Big-endian puts the most significant byte first (network byte order,
    RFC 1700); little-endian puts the least significant byte first (x86, ARM
    in its usual mode).

    Args:
        value: the integer.
        length: the number of bytes, >= 0.
        byteorder: ``"big"`` or ``"little"``.
        signed: encode negative values in two's complement.

    Returns:
        Exactly ``length`` bytes.

    Raises:
        TypeError: ``value`` or ``length`` is not an int (``bool`` and
            ``float`` included), or ``signed`` is not a bool.
        ValueError: bad ``byteorder`` or ``length``, or ``value`` does not fit
            (where ``int.to_bytes`` raises OverflowError). Zero bytes hold
            only 0, signed or not.

    Complexity: O(length).

    >>> int_to_bytes(0x12345678, 4, "big").hex(), int_to_bytes(0x12345678, 4, "little").hex()
    ('12345678', '78563412')
    >>> int_to_bytes(-2, 2, "big", signed=True).hex()
    'fffe'
    >>> int_to_bytes(256, 1, "big")
    Traceback (most recent call last):
    ValueError: 256 does not fit in 1 unsigned byte(s)
    """
    check_int(value, "value")
    check_int(length, "length")
    check_byteorder(byteorder)
    check_bool(signed, "signed")
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length!r}")
    bits = 8 * length
    half = (1 << bits) >> 1  # 0 for length 0, where only the value 0 fits
    lo, hi = (-half, max(half - 1, 0)) if signed else (0, (1 << bits) - 1)
    if not lo <= value <= hi:
        kind = "signed" if signed else "unsigned"
        raise ValueError(f"{value!r} does not fit in {length} {kind} byte(s)")
    raw = value & ((1 << bits) - 1)
    little = bytes((raw >> (8 * i)) & 0xFF for i in range(length))
    return little if byteorder == "little" else little[::-1]


def int_from_bytes(
    data: bytes | bytearray | memoryview | Iterable[int],
    byteorder: ByteOrder,
    *,
    signed: bool = False,
) -> int:
    """Read an integer from bytes, by hand (what ``int.from_bytes`` does).

    Like ``int.from_bytes``, ``data`` may also be an iterable of ints, each of
    which must be a byte value 0..255.

    Args:
        data: the bytes.
        byteorder: ``"big"`` or ``"little"``.
        signed: read the top bit as the two's complement sign.

    Returns:
        The integer (0 for empty input).

    Raises:
        TypeError: ``data`` is a str or not iterable, an item is not an int,
            or ``signed`` is not a bool.
        ValueError: bad ``byteorder``, or an item outside 0..255.

    Complexity: O(len(data)).

    >>> int_from_bytes(b"\\x01\\x00", "big"), int_from_bytes(b"\\x01\\x00", "little")
    (256, 1)
    >>> int_from_bytes(b"\\xff\\xfe", "big", signed=True)
    -2
    >>> int_from_bytes([256, 1], "big")
    Traceback (most recent call last):
    ValueError: byte values must be in 0..255, got 256 at index 0
    """
    check_byteorder(byteorder)
    check_bool(signed, "signed")
    octets = _as_octets(data)
    value = 0
    for byte in octets if byteorder == "big" else reversed(octets):
        value = (value << 8) | byte
    if signed and octets:
        return from_twos_complement(value, 8 * len(octets))
    return value


def _as_octets(data: object) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str) or not isinstance(data, Iterable):
        raise TypeError(f"data must be bytes or an iterable of ints, got {data!r}")
    items = list(data)
    for i, item in enumerate(items):
        check_int(item, "each byte")
        if not 0 <= item <= 255:
            raise ValueError(f"byte values must be in 0..255, got {item!r} at index {i}")
    return bytes(items)
