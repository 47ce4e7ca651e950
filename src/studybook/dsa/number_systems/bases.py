"""Positional notation: writing and reading integers in bases 2 to 36 by hand.

A base-b numeral is a polynomial in b: the digit in position i is worth bⁱ.
Writing a number is repeated division (each remainder is the next digit,
least significant first); reading one is Horner's rule. Both agree with
:class:`int` and :func:`format`, which the tests use as the oracle.
"""

from __future__ import annotations

from studybook.dsa.number_systems._checks import check_int

__all__ = ["from_base", "to_base"]

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"  # digit d of every base is DIGITS[d]


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
        TypeError: ``value`` or ``base`` is not an int (``bool`` included).
        ValueError: ``base`` is outside 2..36.

    Complexity: O(d) divisions for d digits (each O(d) for big ints).

    >>> to_base(10, 2), to_base(-255, 16), to_base(0, 7), to_base(35, 36)
    ('1010', '-ff', '0', 'z')
    >>> to_base(5, 1)
    Traceback (most recent call last):
    ValueError: base must be in 2..36, got 1
    """
    check_int(value, "value")
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


def _check_base(base: int) -> None:
    check_int(base, "base")
    if not 2 <= base <= 36:
        raise ValueError(f"base must be in 2..36, got {base!r}")


def from_base(text: str, base: int) -> int:
    """Read digits in ``base`` (2..36): Horner's rule, ``value = value * base + digit``.

    Stricter than :class:`int`: an optional sign then at least one digit,
    upper or lower case; no ``0x``-style prefix, underscores, whitespace or
    non-ASCII digits.

    Args:
        text: the digits.
        base: 2 to 36.

    Returns:
        The integer.

    Raises:
        TypeError: ``text`` is not a str, or ``base`` is not an int.
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
