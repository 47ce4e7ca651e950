"""Bitwise operations and the bit tricks interviews ask about.

Most of the tricks follow from how subtraction borrows: ``x - 1`` flips the
lowest set bit of x to 0 and every zero below it to 1, leaving higher bits
alone. Shifts come in logical and arithmetic kinds, and Java and C disagree
about shift counts at or past the width. The tests compare each function with
Python's own ``int.bit_count``, ``>>`` and string manipulation of ``bin``.
"""

from __future__ import annotations

from collections.abc import Iterable

from studybook.dsa.number_systems._checks import check_int
from studybook.dsa.number_systems.twos_complement import (
    from_twos_complement,
    to_twos_complement,
    wrap_signed,
)

__all__ = [
    "arithmetic_shift_right",
    "clear_lowest_set_bit",
    "is_power_of_two",
    "java_shift_left",
    "lowest_set_bit",
    "next_power_of_two",
    "popcount",
    "rotate_left",
    "xor_unique",
]


def popcount(x: int) -> int:
    """The number of 1 bits, by Kernighan's trick: ``x & (x - 1)`` clears the lowest one.

    Args:
        x: a non-negative integer.

    Returns:
        How many bits are set (``int.bit_count`` does the same in C).

    Raises:
        TypeError: ``x`` is not an int.
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
    check_int(x, "x")
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
        TypeError: ``x`` is not an int.
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
        TypeError: ``x`` is not an int.
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

    Raises:
        TypeError: ``x`` is not an int.

    Complexity: O(1) for machine-sized ints.

    >>> is_power_of_two(64), is_power_of_two(96), is_power_of_two(0), is_power_of_two(-8)
    (True, False, False, False)
    """
    check_int(x, "x")
    return x > 0 and x & (x - 1) == 0


def next_power_of_two(x: int) -> int:
    """The smallest power of two >= ``x`` (1 for x <= 1).

    Args:
        x: any integer.

    Returns:
        A power of two.

    Raises:
        TypeError: ``x`` is not an int.

    Complexity: O(1) for machine-sized ints (``bit_length`` is a C call).

    >>> next_power_of_two(5), next_power_of_two(8), next_power_of_two(0)
    (8, 8, 1)
    """
    check_int(x, "x")
    return 1 if x <= 1 else 1 << (x - 1).bit_length()


def arithmetic_shift_right(raw: int, shift: int, bits: int) -> int:
    """Shift a ``bits``-wide pattern right, copying the sign bit into the vacated bits.

    This is signed division by ``2**shift`` rounding toward minus infinity,
    what Java's ``>>`` and Python's ``>>`` on negative ints do: ``-7 >> 1`` is
    -4, while C's and Java's truncating ``-7 / 2`` is -3. A logical shift
    (Java's ``>>>``) would fill with zeros instead: ``raw >> shift``.

    Args:
        raw: the pattern, in ``0 .. 2**bits - 1``.
        shift: how far, >= 0 (any distance; past the width only sign bits remain).
        bits: the width, at least 1.

    Returns:
        The shifted pattern, same width.

    Raises:
        TypeError: an argument is not an int (``bool`` included).
        ValueError: ``raw`` does not fit in ``bits`` bits or ``shift`` < 0.

    Complexity: O(1) for machine-sized widths.

    >>> bin(arithmetic_shift_right(0b1000_0000, 2, 8)), arithmetic_shift_right(0b0100_0000, 2, 8)
    ('0b11100000', 16)
    >>> arithmetic_shift_right(0b1111_1001, 1, 8) == to_twos_complement(-4, 8)
    True
    """
    check_int(shift, "shift")
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
        TypeError: an argument is not an int (``bool`` included).
        ValueError: ``raw`` does not fit in ``bits`` bits.

    Complexity: O(1) for machine-sized widths.

    >>> bin(rotate_left(0b1001_0110, 3, 8)), bin(rotate_left(0b1001_0110, -3, 8))
    ('0b10110100', '0b11010010')
    """
    from_twos_complement(raw, bits)  # validates raw and bits
    check_int(shift, "shift")
    shift %= bits
    mask = (1 << bits) - 1
    return ((raw << shift) | (raw >> (bits - shift))) & mask


def java_shift_left(value: int, count: int, bits: int = 32) -> int:
    """Java's ``value << count`` on an ``int`` (32 bits) or ``long`` (64 bits).

    Java uses only the low 5 bits of the count for an ``int`` and the low 6
    for a ``long`` (JLS 15.19), so ``1 << 32 == 1`` and ``1 << -1`` is the
    sign bit. In C a count that is negative or at least the width is
    undefined behaviour; x86's ``shl`` happens to mask the count the same way.

    Args:
        value: an in-range signed integer.
        count: any integer shift distance.
        bits: 32 (``int``) or 64 (``long``).

    Returns:
        The wrapped signed result.

    Raises:
        TypeError: an argument is not an int (``bool`` included).
        ValueError: ``bits`` is not 32 or 64, or ``value`` does not fit.

    Complexity: O(1).

    >>> java_shift_left(1, 32), java_shift_left(1, 31), java_shift_left(1, 32, bits=64)
    (1, -2147483648, 4294967296)
    >>> java_shift_left(1, 1, bits=16)
    Traceback (most recent call last):
    ValueError: bits must be 32 (int) or 64 (long), got 16
    """
    check_int(bits, "bits")
    if bits not in (32, 64):
        raise ValueError(f"bits must be 32 (int) or 64 (long), got {bits!r}")
    to_twos_complement(value, bits)
    check_int(count, "count")
    return wrap_signed(value << (count & (bits - 1)), bits)


def xor_unique(values: Iterable[int]) -> int:
    """The one value that appears an odd number of times when all others appear twice.

    XOR is associative and commutative, ``x ^ x == 0`` and ``x ^ 0 == x``, so
    the pairs cancel: O(1) extra space instead of a set.

    Args:
        values: integers in which every value but one occurs an even number of times.

    Returns:
        The XOR of all values (0 for an empty input).

    Raises:
        TypeError: an item is not an int (``bool`` included).

    Complexity: O(n) time, O(1) space.

    >>> xor_unique([4, 1, 2, 1, 2]), xor_unique([])
    (4, 0)
    >>> xor_unique([1, 1.0])
    Traceback (most recent call last):
    TypeError: values must hold ints, got 1.0
    """
    result = 0
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"values must hold ints, got {v!r}")
        result ^= v
    return result
