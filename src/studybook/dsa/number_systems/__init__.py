"""Number systems by hand: bases, two's complement, bits, bytes, text, subnets and floats.

Interviewers ask about number representation because it sits under everything
else: an integer overflow, a byte-order bug in a network protocol, a UTF-8
decoder that accepts overlong forms (a classic security hole), a subnet that
is off by one host, or ``0.1 + 0.2 != 0.3`` are all failures to know what the
bits mean. Each submodule does by hand what Python does for you (``int(s,
base)``, ``format``, ``int.to_bytes``, ``str.encode``, ``ipaddress``,
``struct``), and the tests check that the two always agree:

- :mod:`~studybook.dsa.number_systems.bases`: positional notation, bases 2..36;
- :mod:`~studybook.dsa.number_systems.twos_complement`: fixed-width signed
  integers, overflow, C's and Java's truncating division;
- :mod:`~studybook.dsa.number_systems.bits`: masks, shifts and bit tricks;
- :mod:`~studybook.dsa.number_systems.endianness`: integers as bytes;
- :mod:`~studybook.dsa.number_systems.utf8` and
  :mod:`~studybook.dsa.number_systems.utf16`: ASCII and the Unicode encodings;
- :mod:`~studybook.dsa.number_systems.subnets`: IPv4 CIDR arithmetic;
- :mod:`~studybook.dsa.number_systems.floats`: IEEE 754 binary32 and binary64.

Invariants: a value written in base b and read back is unchanged; an n-bit
two's complement pattern ``raw`` stands for ``raw - 2**n`` when its top bit is
set and ``raw`` otherwise; a UTF-8 byte string is accepted exactly when it
matches RFC 3629's table of well-formed sequences; a subnet's network address
is the address AND the mask; a float encodes to the nearest representable
value, ties to even.

======================================  ==============  ==================
Operation                               Time            Notes
======================================  ==============  ==================
to_base / from_base                     O(d**2) digits  d digit divisions
two's complement, overflow checks       O(1) words      masks and one subtraction
popcount (Kernighan)                    O(set bits)     ``x &= x - 1`` per 1-bit
int_to_bytes / int_from_bytes           O(n) bytes      one shift per byte
utf8_* / utf16_* encode and decode      O(n)            one pass, no backtracking
subnet                                  O(1)            32-bit integer arithmetic
float_bits / float_from_parts           O(1) words      one big-int division
======================================  ==============  ==================

>>> to_base(255, 16), from_base("ff", 16), to_twos_complement(-1, 8)
('ff', 255, 255)
>>> utf8_encode("é"), utf8_decode(b"\\xe2\\x82\\xac"), len(utf16_encode("😀")) // 2
(b'\\xc3\\xa9', '€', 2)
>>> subnet("192.168.1.0/26").broadcast, hex(float_bits(0.1, "binary32").bits)
('192.168.1.63', '0x3dcccccd')

Primary sources: F. Yergeau, RFC 3629, "UTF-8, a transformation format of ISO
10646" (2003); The Unicode Standard, chapter 3 (Conformance), section 3.9;
V. Fuller and T. Li, RFC 4632, "Classless Inter-domain Routing (CIDR)" (2006);
A. Retana et al., RFC 3021, "Using 31-Bit Prefixes on IPv4 Point-to-Point
Links" (2000); IEEE Std 754-2019; R. E. Bryant and D. R. O'Hallaron,
*Computer Systems: A Programmer's Perspective*, 3rd ed. (2016), chapter 2.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TextIO

from studybook.dsa.number_systems.bases import from_base, to_base
from studybook.dsa.number_systems.bits import (
    arithmetic_shift_right,
    clear_lowest_set_bit,
    is_power_of_two,
    java_shift_left,
    lowest_set_bit,
    next_power_of_two,
    popcount,
    rotate_left,
    xor_unique,
)
from studybook.dsa.number_systems.endianness import int_from_bytes, int_to_bytes
from studybook.dsa.number_systems.floats import FloatParts, float_bits, float_from_parts
from studybook.dsa.number_systems.subnets import Subnet, subnet
from studybook.dsa.number_systems.twos_complement import (
    add_with_overflow,
    from_twos_complement,
    mul_with_overflow,
    mul_would_overflow,
    to_twos_complement,
    truncating_divmod,
    wrap_signed,
)
from studybook.dsa.number_systems.utf8 import Utf8Error, swap_case_ascii, utf8_decode, utf8_encode
from studybook.dsa.number_systems.utf16 import Utf16Error, utf16_decode, utf16_encode

__all__ = [
    "FloatParts",
    "Subnet",
    "Utf8Error",
    "Utf16Error",
    "add_with_overflow",
    "arithmetic_shift_right",
    "clear_lowest_set_bit",
    "demo",
    "float_bits",
    "float_from_parts",
    "from_base",
    "from_twos_complement",
    "int_from_bytes",
    "int_to_bytes",
    "is_power_of_two",
    "java_shift_left",
    "lowest_set_bit",
    "mul_with_overflow",
    "mul_would_overflow",
    "next_power_of_two",
    "popcount",
    "rotate_left",
    "subnet",
    "swap_case_ascii",
    "to_base",
    "to_twos_complement",
    "truncating_divmod",
    "utf8_decode",
    "utf8_encode",
    "utf16_decode",
    "utf16_encode",
    "wrap_signed",
    "xor_unique",
]


def demo(out: TextIO) -> None:
    """Narrate one number through every representation in the chapter to ``out``.

    Args:
        out: a text stream.

    >>> import io; buf = io.StringIO(); demo(buf); print(buf.getvalue(), end="")
    200 in base 2, 8, 16, 36: 11001000, 310, c8, 5k
    as an 8-bit pattern read as signed: -56
    100 + 100 in 8-bit signed arithmetic: (-56, True)
    -7 >> 1 = -4, but C's -7 / 2 = -3 and -7 % 2 = -1
    0xC0FFEE as 4 bytes: big 00 c0 ff ee, little ee ff c0 00
    popcount(200) = 3, lowest set bit = 8
    'h€' in UTF-8: 68 e2 82 ac
    '😀' in UTF-16: d8 3d de 00 (2 code units)
    E0 80 AF refused: invalid UTF-8 at byte 0: overlong 3-byte form, got 0x80 at byte 1
    192.168.10.64/26: mask 255.255.255.192, broadcast 192.168.10.127
      hosts 192.168.10.65-192.168.10.126: 62 usable
    0.1 as binary64: sign 0, exponent 1019, fraction 0x999999999999a
      exactly 3602879701896397 / 2**55
      = 0.1000000000000000055511151231257827021181583404541015625
    0.1 as binary32: 0x3dcccccd = 0.10000000149011612
    """
    n = 200
    bases = ", ".join(to_base(n, b) for b in (2, 8, 16, 36))
    out.write(f"{n} in base 2, 8, 16, 36: {bases}\n")
    out.write(f"as an 8-bit pattern read as signed: {from_twos_complement(n, 8)}\n")
    out.write(f"100 + 100 in 8-bit signed arithmetic: {add_with_overflow(100, 100, 8)}\n")
    q, r = truncating_divmod(-7, 2, 32)
    out.write(f"-7 >> 1 = {-7 >> 1}, but C's -7 / 2 = {q} and -7 % 2 = {r}\n")
    big, little = int_to_bytes(0xC0FFEE, 4, "big"), int_to_bytes(0xC0FFEE, 4, "little")
    out.write(f"0xC0FFEE as 4 bytes: big {big.hex(' ')}, little {little.hex(' ')}\n")
    out.write(f"popcount(200) = {popcount(n)}, lowest set bit = {lowest_set_bit(n)}\n")
    out.write(f"'h€' in UTF-8: {utf8_encode('h€').hex(' ')}\n")
    units = utf16_encode("😀")
    out.write(f"'😀' in UTF-16: {units.hex(' ')} ({len(units) // 2} code units)\n")
    try:
        utf8_decode(b"\xe0\x80\xaf")
    except Utf8Error as exc:
        out.write(f"E0 80 AF refused: {exc}\n")
    s = subnet("192.168.10.64/26")
    out.write(f"192.168.10.64/26: mask {s.netmask}, broadcast {s.broadcast}\n")
    out.write(f"  hosts {s.first_host}-{s.last_host}: {s.usable_hosts} usable\n")
    p = float_bits(0.1)
    out.write(f"0.1 as binary64: sign {p.sign}, exponent {p.exponent}, fraction {p.mantissa:#x}\n")
    exact = Fraction(float_from_parts(p))
    power = exact.denominator.bit_length() - 1
    out.write(f"  exactly {exact.numerator} / 2**{power}\n")
    out.write(f"  = {Decimal(float_from_parts(p))}\n")
    single = float_bits(0.1, "binary32")
    out.write(f"0.1 as binary32: {single.bits:#x} = {float_from_parts(single)!r}\n")
