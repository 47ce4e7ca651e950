"""Two's complement: fixed-width signed integers, overflow, and C's and Java's division.

An n-bit pattern gives its top bit the weight ``-2**(n-1)`` instead of
``+2**(n-1)``, so the patterns below ``2**(n-1)`` stand for themselves and the
ones from ``2**(n-1)`` up stand for ``-2**(n-1)`` .. -1.
Fixed-width hardware keeps the low n bits of every result; these functions
simulate that on Python's unbounded ints, and the tests compare them with
``ctypes.c_int8`` .. ``c_int64``, which truncate the way C's types do.
"""

from __future__ import annotations

from studybook.dsa.number_systems._checks import check_int

__all__ = [
    "add_with_overflow",
    "from_twos_complement",
    "mul_with_overflow",
    "mul_would_overflow",
    "to_twos_complement",
    "truncating_divmod",
    "wrap_signed",
]


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
        TypeError: ``value`` or ``bits`` is not an int (``bool`` included).
        ValueError: ``bits`` < 1, or ``value`` does not fit.

    Complexity: O(1) for machine-sized widths.

    >>> to_twos_complement(5, 8), to_twos_complement(-5, 8), to_twos_complement(-128, 8)
    (5, 251, 128)
    >>> to_twos_complement(128, 8)
    Traceback (most recent call last):
    ValueError: 128 does not fit in 8-bit two's complement (-128..127)
    """
    check_int(value, "value")
    lo, hi = signed_range(bits)
    if not lo <= value <= hi:
        raise ValueError(f"{value!r} does not fit in {bits}-bit two's complement ({lo}..{hi})")
    return value & ((1 << bits) - 1)


def signed_range(bits: int) -> tuple[int, int]:
    """``(min, max)`` of ``bits``-bit two's complement, after validating ``bits``."""
    check_int(bits, "bits")
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
        TypeError: ``raw`` or ``bits`` is not an int.
        ValueError: ``bits`` < 1, or ``raw`` is negative or too wide.

    Complexity: O(1) for machine-sized widths.

    >>> from_twos_complement(0xFF, 8), from_twos_complement(0x7F, 8), from_twos_complement(1, 1)
    (-1, 127, -1)
    >>> from_twos_complement(256, 8)
    Traceback (most recent call last):
    ValueError: raw pattern 256 does not fit in 8 bits
    """
    check_int(raw, "raw")
    signed_range(bits)
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
        TypeError: ``value`` or ``bits`` is not an int.
        ValueError: ``bits`` < 1.

    Complexity: O(1) for machine-sized widths.

    >>> wrap_signed(128, 8), wrap_signed(2**31, 32), wrap_signed(-129, 8)
    (-128, -2147483648, 127)
    """
    check_int(value, "value")
    signed_range(bits)
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
        TypeError: an argument is not an int.
        ValueError: an operand does not fit in ``bits`` bits.

    Complexity: O(1) for machine-sized widths.

    >>> add_with_overflow(100, 27, 8), add_with_overflow(100, 28, 8), add_with_overflow(-1, -1, 8)
    ((127, False), (-128, True), (-2, False))
    """
    to_twos_complement(a, bits)  # validates the operands
    to_twos_complement(b, bits)
    total = wrap_signed(a + b, bits)
    return total, (a < 0) == (b < 0) and (total < 0) != (a < 0)


def mul_with_overflow(a: int, b: int, bits: int) -> tuple[int, bool]:
    """Multiply two ``bits``-bit signed integers, keeping the low ``bits`` bits of the product.

    Unlike addition, the wrapped product's sign says nothing reliable about
    overflow (``0x10000 * 0x10000`` wraps to 0 in 32 bits), so the flag is
    computed from the exact product; C code without a wider type uses
    :func:`mul_would_overflow` instead.

    Args:
        a: an in-range signed integer.
        b: an in-range signed integer.
        bits: the width, at least 1.

    Returns:
        ``(wrapped product, overflowed)``.

    Raises:
        TypeError: an argument is not an int.
        ValueError: an operand does not fit in ``bits`` bits.

    Complexity: O(1) for machine-sized widths.

    >>> mul_with_overflow(0x10000, 0x10000, 32), mul_with_overflow(-2**31, -1, 32)
    ((0, True), (-2147483648, True))
    """
    to_twos_complement(a, bits)
    to_twos_complement(b, bits)
    lo, hi = signed_range(bits)
    return wrap_signed(a * b, bits), not lo <= a * b <= hi


def mul_would_overflow(a: int, b: int, bits: int) -> bool:
    """Whether ``a * b`` overflows ``bits`` bits, decided without ever forming the product.

    This is the check C code must make *before* multiplying, since signed
    overflow is undefined behaviour there: every intermediate below is itself
    in range. Division truncates toward zero, as C's ``/`` does, and for a
    positive divisor ``MIN / a`` rounds up, which is exactly what makes the
    comparison against an integer ``b`` right.

    Args:
        a: an in-range signed integer.
        b: an in-range signed integer.
        bits: the width, at least 1.

    Returns:
        True if the true product lies outside the signed range.

    Raises:
        TypeError: an argument is not an int.
        ValueError: an operand does not fit in ``bits`` bits.

    Complexity: O(1): one division.

    >>> mul_would_overflow(46341, 46341, 32), mul_would_overflow(46340, 46340, 32)
    (True, False)
    >>> mul_would_overflow(-1, -128, 8), mul_would_overflow(-1, -127, 8)
    (True, False)
    """
    to_twos_complement(a, bits)
    to_twos_complement(b, bits)
    lo, hi = signed_range(bits)
    if a == 0 or b == 0:
        return False
    if a > 0:  # the product has b's sign
        return b > _c_div(hi, a) if b > 0 else b < _c_div(lo, a)
    if b > 0:  # a < 0 < b: the product is negative
        return a < _c_div(lo, b)
    return b < _c_div(hi, a)  # both negative: a*b > hi  <=>  b < hi / a (a < 0 flips it)


def _c_div(a: int, b: int) -> int:
    """C's and Java's ``/``: the quotient truncated toward zero (Python's ``//`` floors)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def truncating_divmod(a: int, b: int, bits: int) -> tuple[int, int]:
    """C99's and Java's ``a / b`` and ``a % b`` on ``bits``-bit ints, wrapped as Java wraps them.

    The quotient is truncated toward zero and the remainder takes the sign
    of the dividend, so ``(a / b) * b + a % b == a``. Python's ``//`` and
    ``%`` floor instead, which is why ``-7 // 2 == -4`` but C's ``-7 / 2 == -3``,
    and why ``n % 2 == 1`` misses negative odd numbers in C and Java (their
    ``-7 % 2`` is ``-1``). The one overflowing case, ``MIN / -1``, returns
    ``(MIN, 0)`` as Java does (JLS 15.17.2, 15.17.3); in C it is undefined behaviour,
    and on x86 the ``idiv`` instruction traps.

    Args:
        a: the dividend, in range.
        b: the divisor, in range and not 0.
        bits: the width, at least 1.

    Returns:
        ``(quotient, remainder)``.

    Raises:
        TypeError: an argument is not an int.
        ValueError: an operand does not fit in ``bits`` bits.
        ZeroDivisionError: ``b`` is 0.

    Complexity: O(1) for machine-sized widths.

    >>> truncating_divmod(-7, 2, 32), divmod(-7, 2)
    ((-3, -1), (-4, 1))
    >>> truncating_divmod(-2**31, -1, 32)
    (-2147483648, 0)
    >>> truncating_divmod(1, 0, 32)
    Traceback (most recent call last):
    ZeroDivisionError: integer division by zero: 1 / 0
    """
    to_twos_complement(a, bits)
    to_twos_complement(b, bits)
    if b == 0:
        raise ZeroDivisionError(f"integer division by zero: {a!r} / {b!r}")
    q = _c_div(a, b)
    return wrap_signed(q, bits), a - q * b
