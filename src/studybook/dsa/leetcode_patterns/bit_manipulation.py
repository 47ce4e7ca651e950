"""Bit manipulation: treat an integer as a vector of bits and use XOR, AND and shifts on it.

These problems check fluency with two's complement and a few identities:
``x ^ x == 0`` and ``x ^ 0 == x`` (XOR cancels pairs), ``x & (x - 1)`` clears
the lowest set bit, and ``a + b == (a ^ b) + ((a & b) << 1)`` (sum without
carry plus carry). Python integers are unbounded, so fixed-width problems
mask with ``0xFFFFFFFF`` and reinterpret the sign bit by hand.

=====================  =====================  =======
Problem                Time                   Space
=====================  =====================  =======
Sum of Two Integers    O(32)                  O(1)
Number of 1 Bits       O(set bits)            O(1)
Counting Bits          O(n)                   O(n)
Missing Number         O(n)                   O(1)
Reverse Bits           O(32)                  O(1)
Single Number          O(n)                   O(1)
Add Binary             O(max(len a, len b))   O(n)
=====================  =====================  =======

>>> single_number([4, 1, 2, 1, 2])
4

Source: H. S. Warren, *Hacker's Delight*, 2nd ed., Addison-Wesley, 2012.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_int, require_int_list, require_str

__all__ = [
    "PROBLEMS",
    "add_binary",
    "counting_bits",
    "missing_number",
    "number_of_1_bits",
    "reverse_bits",
    "single_number",
    "sum_of_two_integers",
]

_MASK = 0xFFFFFFFF
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def sum_of_two_integers(a: int, b: int) -> int:
    """Return ``a + b`` for 32-bit signed integers without using ``+`` or ``-``.

    ``a ^ b`` adds without carries and ``(a & b) << 1`` is the carries; repeat
    until no carry is left. Working modulo 2**32 (the mask) makes the loop end
    for negative numbers too, as a 32-bit adder would.

    Args:
        a: a 32-bit signed integer.
        b: a 32-bit signed integer.

    Returns:
        The sum, wrapped to 32-bit two's complement like a machine adder.

    Raises:
        TypeError: ``a`` or ``b`` is not an int.
        ValueError: if an argument is outside the 32-bit signed range.

    Complexity: O(32) iterations, O(1) space.

    >>> sum_of_two_integers(2, 3), sum_of_two_integers(-2, 3)
    (5, 1)
    >>> sum_of_two_integers(2**31 - 1, 1)
    -2147483648
    >>> sum_of_two_integers(2**31, 0)
    Traceback (most recent call last):
    ValueError: arguments must be 32-bit signed integers, got (2147483648, 0)
    """
    require_int("a", a)
    require_int("b", b)
    if not (_INT_MIN <= a <= _INT_MAX and _INT_MIN <= b <= _INT_MAX):
        raise ValueError(f"arguments must be 32-bit signed integers, got {(a, b)!r}")
    a, b = a & _MASK, b & _MASK
    while b:
        a, b = (a ^ b) & _MASK, ((a & b) << 1) & _MASK
    # Bit 31 set means negative in two's complement: ~(a ^ MASK) sign-extends it.
    return a if a <= _INT_MAX else ~(a ^ _MASK)


def number_of_1_bits(n: int) -> int:
    """Return how many bits of the non-negative integer ``n`` are 1 (popcount).

    ``n & (n - 1)`` clears the lowest set bit (Kernighan's trick), so the loop
    runs once per set bit rather than once per bit.

    Args:
        n: a non-negative integer.

    Returns:
        The Hamming weight of ``n``.

    Raises:
        TypeError: ``n`` is not an int.
        ValueError: if ``n`` is negative.

    Complexity: O(number of set bits) time, O(1) space.

    >>> number_of_1_bits(11), number_of_1_bits(0)
    (3, 0)
    >>> number_of_1_bits(-1)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -1
    """
    require_int("n", n, minimum=0)
    count = 0
    while n:
        n &= n - 1
        count += 1
    return count


def counting_bits(n: int) -> list[int]:
    """Return the popcount of every integer from 0 to ``n``.

    ``bits[i] = bits[i >> 1] + (i & 1)``: dropping the last bit gives a smaller,
    already-computed number.

    Args:
        n: the last integer, non-negative.

    Returns:
        A list of length ``n + 1``.

    Raises:
        TypeError: ``n`` is not an int.
        ValueError: if ``n`` is negative.

    Complexity: O(n) time, O(n) space for the output.

    >>> counting_bits(5)
    [0, 1, 1, 2, 1, 2]
    >>> counting_bits(0)
    [0]
    >>> counting_bits(-3)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -3
    """
    require_int("n", n, minimum=0)
    bits = [0] * (n + 1)
    for i in range(1, n + 1):
        bits[i] = bits[i >> 1] + (i & 1)
    return bits


def missing_number(nums: Sequence[int]) -> int:
    """Return the one number of ``0 .. n`` missing from ``nums`` (length ``n``).

    XOR every index ``0 .. n`` with every value: each present number cancels
    its own index, leaving the missing one.

    Args:
        nums: ``n`` distinct numbers from ``0 .. n``.

    Returns:
        The missing number.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if a value is outside ``0 .. n``.

    Complexity: O(n) time, O(1) space.

    >>> missing_number([3, 0, 1]), missing_number([])
    (2, 0)
    >>> missing_number([5])
    Traceback (most recent call last):
    ValueError: values must be in 0..1, got 5
    """
    require_int_list("nums", nums)
    n = len(nums)
    acc = n
    for i, x in enumerate(nums):
        if not 0 <= x <= n:
            raise ValueError(f"values must be in 0..{n}, got {x!r}")
        acc ^= i ^ x
    return acc


def reverse_bits(n: int) -> int:
    """Return the 32-bit unsigned integer whose bits are those of ``n`` reversed.

    Shift the lowest bit of ``n`` into the result 32 times.

    Args:
        n: an unsigned 32-bit integer.

    Returns:
        ``n`` with bit i moved to bit 31 - i.

    Raises:
        TypeError: ``n`` is not an int.
        ValueError: if ``n`` is outside ``0 .. 2**32 - 1``.

    Complexity: O(32) time, O(1) space.

    >>> reverse_bits(1), reverse_bits(0b1011)
    (2147483648, 3489660928)
    >>> reverse_bits(2**32)
    Traceback (most recent call last):
    ValueError: n must be in 0..2**32 - 1, got 4294967296
    """
    require_int("n", n)
    if not 0 <= n <= _MASK:
        raise ValueError(f"n must be in 0..2**32 - 1, got {n!r}")
    out = 0
    for _ in range(32):
        out = (out << 1) | (n & 1)
        n >>= 1
    return out


def single_number(nums: Sequence[int]) -> int:
    """Return the value that appears once when every other value appears twice.

    XOR is associative and commutative and ``x ^ x == 0``, so the pairs cancel.

    Args:
        nums: a non-empty sequence with that shape.

    Returns:
        The unpaired value.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` has even length (no value can be unpaired).

    Complexity: O(n) time, O(1) space.

    >>> single_number([2, 2, 1]), single_number([-7])
    (1, -7)
    >>> single_number([1, 1])
    Traceback (most recent call last):
    ValueError: nums must have odd length, got 2
    """
    require_int_list("nums", nums)
    if len(nums) % 2 == 0:
        raise ValueError(f"nums must have odd length, got {len(nums)!r}")
    acc = 0
    for x in nums:
        acc ^= x
    return acc


def add_binary(a: str, b: str) -> str:
    """Return the sum of two binary strings as a binary string.

    Schoolbook addition from the right with a carry bit.

    Args:
        a: a binary string without leading zeros (or ``'0'``).
        b: another one.

    Returns:
        The binary sum.

    Raises:
        TypeError: ``a`` or ``b`` is not a str.
        ValueError: if a string is empty or holds a character other than 0 or 1.

    Complexity: O(max(len(a), len(b))) time and space.

    >>> add_binary("1010", "1011")
    '10101'
    >>> add_binary("0", "0")
    '0'
    >>> add_binary("12", "1")
    Traceback (most recent call last):
    ValueError: expected a non-empty binary string, got '12'
    """
    require_str("a", a)
    require_str("b", b)
    for s in (a, b):
        if not s or s.strip("01"):
            raise ValueError(f"expected a non-empty binary string, got {s!r}")
    out: list[str] = []
    i, j, carry = len(a) - 1, len(b) - 1, 0
    while i >= 0 or j >= 0 or carry:
        total = carry + (a[i] == "1" if i >= 0 else 0) + (b[j] == "1" if j >= 0 else 0)
        out.append("1" if total & 1 else "0")
        carry = total >> 1
        i, j = i - 1, j - 1
    result = "".join(reversed(out)).lstrip("0")
    return result or "0"


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Sum of Two Integers": sum_of_two_integers,
    "Number of 1 Bits": number_of_1_bits,
    "Counting Bits": counting_bits,
    "Missing Number": missing_number,
    "Reverse Bits": reverse_bits,
    "Single Number": single_number,
    "Add Binary": add_binary,
}
