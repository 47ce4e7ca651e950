"""Number systems by hand: bases, two's complement, bits, bytes, UTF-8 and subnets.

Interviewers ask about number representation because it sits under everything
else: an integer overflow, a byte-order bug in a network protocol, a UTF-8
decoder that accepts overlong forms (a classic security hole), or a subnet
that is off by one host are all failures to know what the bits mean. Each
function here does by hand what Python does for you (``int(s, base)``,
``format``, ``int.to_bytes``, ``str.encode``, ``ipaddress``), and the tests
check that the two always agree.

Invariants: a value written in base b and read back is unchanged; an n-bit
two's complement pattern ``raw`` stands for ``raw - 2**n`` when its top bit is
set and ``raw`` otherwise; a UTF-8 byte string is accepted exactly when it
matches RFC 3629's table of well-formed sequences; a subnet's network address
is the address AND the mask, its last address the address OR the wildcard.

======================================  ==============  ==================
Operation                               Time            Notes
======================================  ==============  ==================
to_base / from_base                     O(d**2) digits  d digit divisions
to/from two's complement, wrap_signed   O(1) words      masks and one subtraction
popcount (Kernighan)                    O(set bits)     ``x &= x - 1`` per 1-bit
int_to_bytes / int_from_bytes           O(n) bytes      one shift per byte
utf8_encode / utf8_decode               O(n)            one pass, no backtracking
subnet                                  O(1)            32-bit integer arithmetic
======================================  ==============  ==================

>>> to_base(255, 16), from_base("ff", 16), to_twos_complement(-1, 8)
('ff', 255, 255)
>>> utf8_encode("é"), utf8_decode(b"\\xe2\\x82\\xac")
(b'\\xc3\\xa9', '€')
>>> subnet("192.168.1.0/26").broadcast
'192.168.1.63'

Primary sources: F. Yergeau, RFC 3629, "UTF-8, a transformation format of ISO
10646" (2003); The Unicode Standard, chapter 3 (Conformance), section 3.9;
V. Fuller and T. Li, RFC 4632, "Classless Inter-domain Routing (CIDR)" (2006);
A. Retana et al., RFC 3021, "Using 31-Bit Prefixes on IPv4 Point-to-Point
Links" (2000).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TextIO

__all__ = [
    "Subnet",
    "Utf8Error",
    "add_with_overflow",
    "arithmetic_shift_right",
    "clear_lowest_set_bit",
    "demo",
    "from_base",
    "from_twos_complement",
    "int_from_bytes",
    "int_to_bytes",
    "is_power_of_two",
    "lowest_set_bit",
    "next_power_of_two",
    "popcount",
    "rotate_left",
    "subnet",
    "swap_case_ascii",
    "to_base",
    "to_twos_complement",
    "utf8_decode",
    "utf8_encode",
    "wrap_signed",
    "xor_unique",
]

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

ByteOrder = Literal["big", "little"]


# ---------------------------------------------------------- base conversion


def to_base(value: int, base: int) -> str:
    """Write an integer in ``base`` (2..36) with digits 0-9 then a-z.

    Repeated division: each remainder is the next digit, least significant
    first. Negative numbers get a leading ``-`` (sign and magnitude), as with
    :func:`format` and :func:`bin`, not a two's complement pattern.

    Args:
        value: the integer.
        base: 2 to 36.

    Returns:
        The digits, lower case, no prefix; ``"0"`` for zero.

    Raises:
        TypeError: ``value`` is not an int (``bool`` included).
        ValueError: ``base`` is outside 2..36.

    Complexity: O(d) divisions for d digits (each O(d) for big ints).

    >>> to_base(10, 2), to_base(-255, 16), to_base(0, 7), to_base(35, 36)
    ('1010', '-ff', '0', 'z')
    >>> to_base(5, 1)
    Traceback (most recent call last):
    ValueError: base must be in 2..36, got 1
    """
    _check_int(value, "value")
    _check_base(base)
    if value == 0:
        return "0"
    magnitude = abs(value)
    digits = []
    while magnitude:
        magnitude, remainder = divmod(magnitude, base)
        digits.append(DIGITS[remainder])
    sign = "-" if value < 0 else ""
    return sign + "".join(reversed(digits))


def _check_int(value: object, name: str) -> None:
    # bool is an int subclass; True as a bit width or value is almost always a bug.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {value!r}")


def _check_base(base: int) -> None:
    _check_int(base, "base")
    if not 2 <= base <= 36:
        raise ValueError(f"base must be in 2..36, got {base!r}")


def from_base(text: str, base: int) -> int:
    """Read digits in ``base`` (2..36): Horner's rule, ``value = value * base + digit``.

    Stricter than :func:`int`: an optional sign then at least one digit,
    upper or lower case; no ``0x``-style prefix, underscores or whitespace.

    Args:
        text: the digits.
        base: 2 to 36.

    Returns:
        The integer.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: bad base, empty input, or a character that is not a digit
            of ``base`` (the message gives its index).

    Complexity: O(d) multiply-adds for d digits.

    >>> from_base("ff", 16), from_base("-1010", 2), from_base("Z", 36)
    (255, -10, 35)
    >>> from_base("12", 2)
    Traceback (most recent call last):
    ValueError: '2' at index 1 is not a base-2 digit in '12'
    """
    _check_base(base)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {text!r}")
    sign, digits = (-1, text[1:]) if text[:1] == "-" else (1, text.removeprefix("+"))
    if not digits:
        raise ValueError(f"no digits in {text!r}")
    value = 0
    offset = len(text) - len(digits)
    for i, ch in enumerate(digits):
        digit = DIGITS.find(ch.lower()) if ch.isascii() else -1
        if not 0 <= digit < base:
            raise ValueError(f"{ch!r} at index {i + offset} is not a base-{base} digit in {text!r}")
        value = value * base + digit
    return sign * value


# ------------------------------------------------------- two's complement


def to_twos_complement(value: int, bits: int) -> int:
    """The ``bits``-wide two's complement bit pattern of ``value``, as an unsigned int.

    Non-negative values are their own pattern; a negative value v becomes
    ``2**bits + v``, which is what ``v & mask`` computes.

    Args:
        value: the signed integer, in ``-2**(bits-1) .. 2**(bits-1) - 1``.
        bits: the width, at least 1.

    Returns:
        The pattern, in ``0 .. 2**bits - 1``.

    Raises:
        ValueError: ``bits`` < 1, or ``value`` does not fit.

    Complexity: O(1) for machine-sized widths.

    >>> to_twos_complement(5, 8), to_twos_complement(-5, 8), to_twos_complement(-128, 8)
    (5, 251, 128)
    >>> to_twos_complement(128, 8)
    Traceback (most recent call last):
    ValueError: 128 does not fit in 8-bit two's complement (-128..127)
    """
    _check_int(value, "value")
    lo, hi = _signed_range(bits)
    if not lo <= value <= hi:
        raise ValueError(f"{value!r} does not fit in {bits}-bit two's complement ({lo}..{hi})")
    return value & ((1 << bits) - 1)


def _signed_range(bits: int) -> tuple[int, int]:
    _check_int(bits, "bits")
    if bits < 1:
        raise ValueError(f"bits must be at least 1, got {bits!r}")
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def from_twos_complement(raw: int, bits: int) -> int:
    """The signed value of a ``bits``-wide two's complement pattern.

    The top bit has weight ``-2**(bits-1)`` instead of ``+2**(bits-1)``, so a
    pattern with it set is worth ``raw - 2**bits``.

    Args:
        raw: the pattern, in ``0 .. 2**bits - 1``.
        bits: the width, at least 1.

    Returns:
        The signed integer.

    Raises:
        ValueError: ``bits`` < 1, or ``raw`` is negative or too wide.

    Complexity: O(1) for machine-sized widths.

    >>> from_twos_complement(0xFF, 8), from_twos_complement(0x7F, 8), from_twos_complement(1, 1)
    (-1, 127, -1)
    >>> from_twos_complement(256, 8)
    Traceback (most recent call last):
    ValueError: raw pattern 256 does not fit in 8 bits
    """
    _check_int(raw, "raw")
    _signed_range(bits)
    if not 0 <= raw < 1 << bits:
        raise ValueError(f"raw pattern {raw!r} does not fit in {bits} bits")
    return raw - (1 << bits) if raw >> (bits - 1) else raw


def wrap_signed(value: int, bits: int) -> int:
    """Reduce any integer to the ``bits``-bit signed range, as fixed-width hardware does.

    Keeps the low ``bits`` bits and reads them as two's complement: the
    result is congruent to ``value`` modulo ``2**bits``.

    Args:
        value: any integer.
        bits: the width, at least 1.

    Returns:
        The wrapped value.

    Raises:
        ValueError: ``bits`` < 1.

    Complexity: O(1) for machine-sized widths.

    >>> wrap_signed(128, 8), wrap_signed(2**31, 32), wrap_signed(-129, 8)
    (-128, -2147483648, 127)
    """
    _check_int(value, "value")
    _signed_range(bits)
    return from_twos_complement(value & ((1 << bits) - 1), bits)


def add_with_overflow(a: int, b: int, bits: int) -> tuple[int, bool]:
    """Add two ``bits``-bit signed integers the way a CPU does.

    Overflow happens exactly when both operands have the same sign and the
    wrapped sum has the other sign (the true sum left the range).

    Args:
        a: an in-range signed integer.
        b: an in-range signed integer.
        bits: the width, at least 1.

    Returns:
        ``(wrapped sum, overflowed)``.

    Raises:
        ValueError: an operand does not fit in ``bits`` bits.

    Complexity: O(1) for machine-sized widths.

    >>> add_with_overflow(100, 27, 8), add_with_overflow(100, 28, 8), add_with_overflow(-1, -1, 8)
    ((127, False), (-128, True), (-2, False))
    """
    to_twos_complement(a, bits)  # validates the operands
    to_twos_complement(b, bits)
    total = wrap_signed(a + b, bits)
    return total, (a < 0) == (b < 0) and (total < 0) != (a < 0)


# ------------------------------------------------------ bits and bit tricks


def popcount(x: int) -> int:
    """The number of 1 bits, by Kernighan's trick: ``x & (x - 1)`` clears the lowest one.

    Args:
        x: a non-negative integer.

    Returns:
        How many bits are set (``int.bit_count`` does the same in C).

    Raises:
        ValueError: ``x`` is negative (it would have infinitely many 1 bits).

    Complexity: O(number of set bits) iterations.

    >>> popcount(0b1011), popcount(0), popcount(2**64 - 1)
    (3, 0, 64)
    >>> popcount(-1)
    Traceback (most recent call last):
    ValueError: popcount needs a non-negative int, got -1
    """
    _check_non_negative(x, "popcount")
    count = 0
    while x:
        x &= x - 1
        count += 1
    return count


def _check_non_negative(x: int, what: str) -> None:
    _check_int(x, "x")
    if x < 0:
        raise ValueError(f"{what} needs a non-negative int, got {x!r}")


def lowest_set_bit(x: int) -> int:
    """The value of the lowest 1 bit, ``x & -x`` (0 for 0).

    ``-x`` is ``~x + 1``: inverting flips every bit, and the +1 carries up to
    exactly the lowest 1 bit of x, so only that bit survives the AND.

    Args:
        x: a non-negative integer.

    Returns:
        A power of two, or 0.

    Raises:
        ValueError: ``x`` is negative.

    Complexity: O(1) for machine-sized ints.

    >>> lowest_set_bit(0b10100), lowest_set_bit(1), lowest_set_bit(0)
    (4, 1, 0)
    """
    _check_non_negative(x, "lowest_set_bit")
    return x & -x


def clear_lowest_set_bit(x: int) -> int:
    """``x`` with its lowest 1 bit cleared, ``x & (x - 1)``.

    Args:
        x: a non-negative integer.

    Returns:
        The smaller integer (0 stays 0).

    Raises:
        ValueError: ``x`` is negative.

    Complexity: O(1) for machine-sized ints.

    >>> bin(clear_lowest_set_bit(0b10100)), clear_lowest_set_bit(0)
    ('0b10000', 0)
    """
    _check_non_negative(x, "clear_lowest_set_bit")
    return x & (x - 1)


def is_power_of_two(x: int) -> bool:
    """Whether ``x`` is 1, 2, 4, 8, ...: exactly one bit set.

    Args:
        x: any integer.

    Returns:
        True for positive powers of two; False for 0 and negatives.

    Complexity: O(1) for machine-sized ints.

    >>> is_power_of_two(64), is_power_of_two(96), is_power_of_two(0), is_power_of_two(-8)
    (True, False, False, False)
    """
    _check_int(x, "x")
    return x > 0 and x & (x - 1) == 0


def next_power_of_two(x: int) -> int:
    """The smallest power of two >= ``x`` (1 for x <= 1).

    Args:
        x: any integer.

    Returns:
        A power of two.

    Complexity: O(1) for machine-sized ints (``bit_length`` is a C call).

    >>> next_power_of_two(5), next_power_of_two(8), next_power_of_two(0)
    (8, 8, 1)
    """
    _check_int(x, "x")
    return 1 if x <= 1 else 1 << (x - 1).bit_length()


def arithmetic_shift_right(raw: int, shift: int, bits: int) -> int:
    """Shift a ``bits``-wide pattern right, copying the sign bit into the vacated bits.

    This is signed division by ``2**shift`` rounding toward minus infinity,
    what Java's ``>>`` and Python's ``>>`` on negative ints do. A logical shift
    (Java's ``>>>``) would fill with zeros instead: ``raw >> shift``.

    Args:
        raw: the pattern, in ``0 .. 2**bits - 1``.
        shift: how far, >= 0.
        bits: the width.

    Returns:
        The shifted pattern, same width.

    Raises:
        ValueError: ``raw`` does not fit in ``bits`` bits or ``shift`` < 0.

    Complexity: O(1) for machine-sized widths.

    >>> bin(arithmetic_shift_right(0b1000_0000, 2, 8)), arithmetic_shift_right(0b0100_0000, 2, 8)
    ('0b11100000', 16)
    """
    if shift < 0:
        raise ValueError(f"shift must be >= 0, got {shift!r}")
    return to_twos_complement(from_twos_complement(raw, bits) >> shift, bits)


def rotate_left(raw: int, shift: int, bits: int) -> int:
    """Rotate a ``bits``-wide pattern left: bits shifted out re-enter on the right.

    Args:
        raw: the pattern, in ``0 .. 2**bits - 1``.
        shift: any integer; taken modulo ``bits`` (negative rotates right).
        bits: the width, at least 1.

    Returns:
        The rotated pattern.

    Raises:
        ValueError: ``raw`` does not fit in ``bits`` bits.

    Complexity: O(1) for machine-sized widths.

    >>> bin(rotate_left(0b1001_0110, 3, 8)), bin(rotate_left(0b1001_0110, -3, 8))
    ('0b10110100', '0b11010010')
    """
    from_twos_complement(raw, bits)  # validates raw and bits
    shift %= bits
    mask = (1 << bits) - 1
    return ((raw << shift) | (raw >> (bits - shift))) & mask


def xor_unique(values: Iterable[int]) -> int:
    """The one value that appears an odd number of times when all others appear twice.

    XOR is associative and commutative, ``x ^ x == 0`` and ``x ^ 0 == x``, so
    the pairs cancel: O(1) extra space instead of a set.

    Args:
        values: integers in which every value but one occurs an even number of times.

    Returns:
        The XOR of all values (0 for an empty input).

    Complexity: O(n) time, O(1) space.

    >>> xor_unique([4, 1, 2, 1, 2]), xor_unique([])
    (4, 0)
    """
    result = 0
    for v in values:
        result ^= v
    return result


def swap_case_ascii(text: str) -> str:
    """Swap the case of ASCII letters by flipping bit 5 (0x20); leave everything else.

    In ASCII, ``'A'`` is 0x41 and ``'a'`` is 0x61: upper and lower case differ
    only in the 0x20 bit, by design (RFC 20 lays out the table).

    Args:
        text: any string.

    Returns:
        The string with A-Z and a-z swapped.

    Complexity: O(n).

    >>> swap_case_ascii("Hello, World! 42"), swap_case_ascii("é")
    ('hELLO, wORLD! 42', 'é')
    """
    return "".join(chr(ord(c) ^ 0x20) if c.isascii() and c.isalpha() else c for c in text)


# ------------------------------------------------------------ endianness


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
        ValueError: bad ``byteorder`` or ``length``, or ``value`` does not fit
            (where ``int.to_bytes`` raises OverflowError).

    Complexity: O(length).

    >>> int_to_bytes(0x12345678, 4, "big").hex(), int_to_bytes(0x12345678, 4, "little").hex()
    ('12345678', '78563412')
    >>> int_to_bytes(-2, 2, "big", signed=True).hex()
    'fffe'
    >>> int_to_bytes(256, 1, "big")
    Traceback (most recent call last):
    ValueError: 256 does not fit in 1 unsigned byte(s)
    """
    _check_byteorder(byteorder)
    _check_int(length, "length")
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


def _check_byteorder(byteorder: str) -> None:
    if byteorder not in ("big", "little"):
        raise ValueError(f"byteorder must be 'big' or 'little', got {byteorder!r}")


def int_from_bytes(data: bytes, byteorder: ByteOrder, *, signed: bool = False) -> int:
    """Read an integer from bytes, by hand (what ``int.from_bytes`` does).

    Args:
        data: the bytes.
        byteorder: ``"big"`` or ``"little"``.
        signed: read the top bit as the two's complement sign.

    Returns:
        The integer (0 for empty input).

    Raises:
        ValueError: bad ``byteorder``.

    Complexity: O(len(data)).

    >>> int_from_bytes(b"\\x01\\x00", "big"), int_from_bytes(b"\\x01\\x00", "little")
    (256, 1)
    >>> int_from_bytes(b"\\xff\\xfe", "big", signed=True)
    -2
    """
    _check_byteorder(byteorder)
    value = 0
    for byte in data if byteorder == "big" else reversed(data):
        value = (value << 8) | byte
    if signed and data:
        return from_twos_complement(value, 8 * len(data))
    return value


# ------------------------------------------------------------------ UTF-8


class Utf8Error(ValueError):
    """Invalid UTF-8; ``offset`` is the index of the first byte of the bad sequence.

    The offset is the same as ``UnicodeDecodeError.start`` from Python's own
    strict decoder.
    """

    def __init__(self, offset: int, reason: str) -> None:
        self.offset = offset
        self.reason = reason
        super().__init__(f"invalid UTF-8 at byte {offset}: {reason}")


def utf8_encode(text: str) -> bytes:
    """Encode text as UTF-8 by hand (RFC 3629 section 3).

    ==================  ====================================
    Code points         Bytes
    ==================  ====================================
    U+0000..U+007F      0xxxxxxx
    U+0080..U+07FF      110xxxxx 10xxxxxx
    U+0800..U+FFFF      1110xxxx 10xxxxxx 10xxxxxx
    U+10000..U+10FFFF   11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
    ==================  ====================================

    Args:
        text: the string.

    Returns:
        Its UTF-8 bytes, identical to ``text.encode("utf-8")``.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: a lone surrogate (U+D800..U+DFFF), which is not a Unicode
            scalar value and has no UTF-8 form.

    Complexity: O(n).

    >>> utf8_encode("A€😀").hex(" ")
    '41 e2 82 ac f0 9f 98 80'
    >>> utf8_encode("\\ud800")
    Traceback (most recent call last):
    ValueError: cannot encode surrogate U+D800 at index 0
    """
    if not isinstance(text, str):
        raise TypeError(f"utf8_encode needs a str, got {text!r}")
    out = bytearray()
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp < 0x80:
            out.append(cp)
        elif cp < 0x800:
            out += bytes([0xC0 | cp >> 6, 0x80 | cp & 0x3F])
        elif 0xD800 <= cp <= 0xDFFF:
            raise ValueError(f"cannot encode surrogate U+{cp:04X} at index {i}")
        elif cp < 0x10000:
            out += bytes([0xE0 | cp >> 12, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F])
        else:
            out += bytes(
                [0xF0 | cp >> 18, 0x80 | cp >> 12 & 0x3F, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F]
            )
    return bytes(out)


# RFC 3629 section 4: for each lead byte, the sequence length and the allowed
# range of the SECOND byte. Narrowing the second byte is what rules out
# overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4);
# every later byte is a plain continuation byte 80..BF.
_LEADS: dict[range, tuple[int, int, int, str]] = {
    range(0xC2, 0xE0): (2, 0x80, 0xBF, ""),
    range(0xE0, 0xE1): (3, 0xA0, 0xBF, "overlong 3-byte form"),
    range(0xE1, 0xED): (3, 0x80, 0xBF, ""),
    range(0xED, 0xEE): (3, 0x80, 0x9F, "surrogate code point"),
    range(0xEE, 0xF0): (3, 0x80, 0xBF, ""),
    range(0xF0, 0xF1): (4, 0x90, 0xBF, "overlong 4-byte form"),
    range(0xF1, 0xF4): (4, 0x80, 0xBF, ""),
    range(0xF4, 0xF5): (4, 0x80, 0x8F, "code point above U+10FFFF"),
}


def utf8_decode(data: bytes | bytearray | memoryview) -> str:
    """Decode UTF-8 by hand, accepting exactly RFC 3629's well-formed sequences.

    Rejects what a naive decoder lets through: stray continuation bytes,
    truncated sequences, overlong forms (``C0 80`` for U+0000), encoded
    surrogates (``ED A0 80``) and code points above U+10FFFF.

    Args:
        data: the bytes (``bytes``, ``bytearray`` or ``memoryview``).

    Returns:
        The text, identical to ``data.decode("utf-8")``.

    Raises:
        TypeError: ``data`` is a str (text is already decoded).
        Utf8Error: a :class:`ValueError` whose ``offset`` is the index of the
            first byte of the first ill-formed sequence.

    Complexity: O(n).

    >>> utf8_decode(b"caf\\xc3\\xa9"), utf8_decode(b"")
    ('café', '')
    >>> utf8_decode(b"ok\\xc0\\x80")
    Traceback (most recent call last):
    studybook.dsa.number_systems.Utf8Error: invalid UTF-8 at byte 2: overlong lead byte 0xc0
    """
    data = _as_bytes(data)
    chars: list[str] = []
    i = 0
    while i < len(data):
        lead = data[i]
        if lead < 0x80:
            chars.append(chr(lead))
            i += 1
            continue
        length, lo, hi, why = _lead_info(lead, i)
        cp = lead & (0xFF >> (length + 1))  # the payload bits of the lead byte
        for k in range(1, length):
            if i + k >= len(data):
                raise Utf8Error(i, f"truncated {length}-byte sequence")
            byte = data[i + k]
            low, high = (lo, hi) if k == 1 else (0x80, 0xBF)
            if not low <= byte <= high:
                reason = why if 0x80 <= byte <= 0xBF and why else "expected a continuation byte"
                raise Utf8Error(i, f"{reason}, got 0x{byte:02x} at byte {i + k}")
            cp = cp << 6 | byte & 0x3F
        chars.append(chr(cp))
        i += length
    return "".join(chars)


def _as_bytes(data: object) -> bytes:
    # Checked explicitly: bytes("abc") fails with a confusing message and
    # bytes(5) silently makes five zero bytes.
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"utf8_decode needs bytes, got {data!r}")
    return bytes(data)


def _lead_info(lead: int, offset: int) -> tuple[int, int, int, str]:
    for leads, info in _LEADS.items():
        if lead in leads:
            return info
    if lead < 0xC0:
        raise Utf8Error(offset, f"stray continuation byte 0x{lead:02x}")
    if lead < 0xC2:
        raise Utf8Error(offset, f"overlong lead byte 0x{lead:02x}")
    raise Utf8Error(offset, f"byte 0x{lead:02x} never appears in UTF-8")


# ---------------------------------------------------------------- subnets


@dataclass(frozen=True)
class Subnet:
    """An IPv4 CIDR block and the numbers a subnet calculator shows.

    ``broadcast`` is always the block's last address (all host bits 1), as
    :attr:`ipaddress.IPv4Network.broadcast_address` reports it. For /31
    (RFC 3021) that address is an ordinary host, not a broadcast address,
    and for /32 it is the single address itself. ``first_host``/``last_host``
    and ``usable_hosts`` follow :meth:`ipaddress.IPv4Network.hosts`: network and
    broadcast excluded for prefixes up to /30, both addresses usable in a /31,
    the one address in a /32.
    """

    network: str
    prefix: int
    netmask: str
    wildcard: str
    broadcast: str
    first_host: str
    last_host: str
    usable_hosts: int
    total_addresses: int

    def __contains__(self, address: object) -> bool:
        """Whether a dotted-quad address lies in this block (address AND mask == network).

        Args:
            address: a dotted-quad string; anything else is never contained.

        Returns:
            True if the address's network part equals this block's network.

        Raises:
            ValueError: ``address`` is a string but not a valid dotted quad.

        Complexity: O(1).

        >>> "10.0.0.130" in subnet("10.0.0.128/25"), "10.0.0.1" in subnet("10.0.0.128/25")
        (True, False)
        >>> "10.0.0" in subnet("10.0.0.0/8")
        Traceback (most recent call last):
        ValueError: expected four decimal octets without leading zeros, got '10.0.0'
        """
        if not isinstance(address, str):
            return False
        mask = _prefix_mask(self.prefix)
        return _parse_ipv4(address) & mask == _parse_ipv4(self.network)

    @property
    def is_rfc1918(self) -> bool:
        """Whether the whole block is private address space (RFC 1918).

        True when the block lies inside 10.0.0.0/8, 172.16.0.0/12 or
        192.168.0.0/16; a block that merely overlaps one (``10.0.0.0/7``) is not.

        Complexity: O(1).

        >>> subnet("172.16.5.0/24").is_rfc1918, subnet("172.32.0.0/24").is_rfc1918
        (True, False)
        """
        net = _parse_ipv4(self.network)
        return any(
            self.prefix >= p and net & _prefix_mask(p) == _parse_ipv4(base)
            for base, p in (("10.0.0.0", 8), ("172.16.0.0", 12), ("192.168.0.0", 16))
        )


def subnet(cidr: str, *, strict: bool = True) -> Subnet:
    """Compute a CIDR block's network, mask, broadcast and host range (RFC 4632).

    Parsing is strict: exactly ``a.b.c.d/p`` with four decimal octets 0..255
    without leading zeros (``010`` could mean octal) and a prefix length
    0..32. With ``strict=True`` (the default, like :func:`ipaddress.ip_network`)
    an address with host bits set is an error, since ``10.0.0.1/24`` is
    probably a typo for a host address; ``strict=False`` masks them off.

    Args:
        cidr: e.g. ``"192.168.1.0/24"``.
        strict: reject host bits set.

    Returns:
        A :class:`Subnet`.

    Raises:
        ValueError: malformed input, or host bits set when ``strict``.

    Complexity: O(1).

    >>> s = subnet("10.1.2.0/23")
    >>> s.netmask, s.broadcast, s.first_host, s.last_host, s.usable_hosts
    ('255.255.254.0', '10.1.3.255', '10.1.2.1', '10.1.3.254', 510)
    >>> subnet("10.0.0.1/24")
    Traceback (most recent call last):
    ValueError: '10.0.0.1/24' has host bits set (network is 10.0.0.0/24)
    """
    if not isinstance(cidr, str):
        raise TypeError(f"cidr must be a str, got {cidr!r}")
    address, slash, prefix_text = cidr.partition("/")
    if not slash or not re.fullmatch(r"[0-9]{1,2}", prefix_text) or int(prefix_text) > 32:
        raise ValueError(f"expected a.b.c.d/prefix with prefix 0..32, got {cidr!r}")
    prefix = int(prefix_text)
    mask = _prefix_mask(prefix)
    addr = _parse_ipv4(address, cidr)
    net = addr & mask
    if strict and net != addr:
        raise ValueError(f"{cidr!r} has host bits set (network is {_format_ipv4(net)}/{prefix})")
    wildcard = ~mask & 0xFFFFFFFF
    last = net | wildcard
    if prefix >= 31:  # RFC 3021 (/31) and a single host (/32): no network/broadcast to skip
        first_host, last_host = net, last
    else:
        first_host, last_host = net + 1, last - 1
    return Subnet(
        network=_format_ipv4(net),
        prefix=prefix,
        netmask=_format_ipv4(mask),
        wildcard=_format_ipv4(wildcard),
        broadcast=_format_ipv4(last),
        first_host=_format_ipv4(first_host),
        last_host=_format_ipv4(last_host),
        usable_hosts=last_host - first_host + 1,
        total_addresses=1 << (32 - prefix),
    )


def _prefix_mask(prefix: int) -> int:
    """The netmask of a prefix length as a 32-bit int: ``prefix`` ones, then zeros."""
    return (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF


def _parse_ipv4(text: str, context: str | None = None) -> int:
    """A dotted quad as a 32-bit int; errors quote ``context`` (the whole input)."""
    shown = text if context is None else context
    parts = text.split(".")
    if len(parts) != 4 or not all(re.fullmatch(r"0|[1-9][0-9]{0,2}", p) for p in parts):
        raise ValueError(f"expected four decimal octets without leading zeros, got {shown!r}")
    octets = [int(p) for p in parts]
    if max(octets) > 255:
        raise ValueError(f"octet out of range 0..255 in {shown!r}")
    return int_from_bytes(bytes(octets), "big")


def _format_ipv4(value: int) -> str:
    return ".".join(str(b) for b in int_to_bytes(value, 4, "big"))


# ------------------------------------------------------------------- demo


def demo(out: TextIO) -> None:
    """Narrate one number through every representation in the chapter to ``out``.

    Args:
        out: a text stream.

    >>> import io; buf = io.StringIO(); demo(buf); buf.getvalue().splitlines()[0]
    '200 in base 2, 8, 16, 36: 11001000, 310, c8, 5k'
    """
    n = 200
    bases = ", ".join(to_base(n, b) for b in (2, 8, 16, 36))
    out.write(f"{n} in base 2, 8, 16, 36: {bases}\n")
    out.write(f"as an 8-bit pattern read as signed: {from_twos_complement(n, 8)}\n")
    out.write(f"100 + 100 in 8-bit signed arithmetic: {add_with_overflow(100, 100, 8)}\n")
    big, little = int_to_bytes(0xC0FFEE, 4, "big"), int_to_bytes(0xC0FFEE, 4, "little")
    out.write(f"0xC0FFEE as 4 bytes: big {big.hex(' ')}, little {little.hex(' ')}\n")
    out.write(f"popcount(200) = {popcount(n)}, lowest set bit = {lowest_set_bit(n)}\n")
    out.write(f"'h€' in UTF-8: {utf8_encode('h€').hex(' ')}\n")
    try:
        utf8_decode(b"\xe0\x80\xaf")
    except Utf8Error as exc:
        out.write(f"E0 80 AF (an overlong '/') is refused: {exc}\n")
    s = subnet("192.168.10.64/26")
    out.write(f"192.168.10.64/26: mask {s.netmask}, hosts {s.first_host}-{s.last_host}, ")
    out.write(f"broadcast {s.broadcast}, {s.usable_hosts} usable\n")
