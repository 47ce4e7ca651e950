"""IEEE 754 binary floating point by hand: encode and decode binary32 and binary64.

A binary floating-point number is a sign, a biased exponent and a fraction
(the trailing significand). For a normal number the value is
``(-1)**sign * 1.fraction * 2**(exponent - bias)``; exponent field 0 holds
zeros and subnormals (``0.fraction * 2**emin``), and the all-ones field holds
infinities (fraction 0) and NaNs (any other fraction, its *payload*).

========  ====  ========  ========  ====  ======  =====
format    sign  exponent  fraction  bias  emin    p
========  ====  ========  ========  ====  ======  =====
binary32  1     8         23        127   -126    24
binary64  1     11        52        1023  -1022   53
========  ====  ========  ========  ====  ======  =====

:func:`float_bits` rounds any float, int or Fraction to the nearest
representable value, ties to even (the default for binary formats in IEEE
754-2019, section 4.3), with exact integer arithmetic; :func:`float_from_parts`
turns the fields back into a Python float. The tests compare both with
``struct`` (``'>d'`` and ``'>f'``) and, where ``struct`` refuses to round a
too-large value to infinity, with ``ctypes.c_float``.

>>> float_bits(0.1)
FloatParts(sign=0, exponent=1019, mantissa=2702159776422298, fmt='binary64', kind='normal')
>>> float_from_parts(float_bits(0.1)) == 0.1
True

Sources: IEEE Std 754-2019, sections 3.3-3.4 (formats, table 3.5) and 4.3
(rounding); D. Goldberg, "What Every Computer Scientist Should Know About
Floating-Point Arithmetic", ACM Computing Surveys 23(1), 1991.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

__all__ = ["FloatParts", "float_bits", "float_from_parts"]

FloatFormat = Literal["binary32", "binary64"]
FloatKind = Literal["zero", "subnormal", "normal", "infinity", "nan"]

# (exponent field width w, fraction width t) per IEEE 754-2019 table 3.5;
# bias = 2**(w-1) - 1, emin = 1 - bias, precision p = t + 1.
_WIDTHS: dict[str, tuple[int, int]] = {"binary32": (8, 23), "binary64": (11, 52)}


def _widths(fmt: object) -> tuple[int, int]:
    if not isinstance(fmt, str) or fmt not in _WIDTHS:
        raise ValueError(f"fmt must be 'binary32' or 'binary64', got {fmt!r}")
    return _WIDTHS[fmt]


@dataclass(frozen=True)
class FloatParts:
    """The three fields of an IEEE 754 binary32 or binary64 encoding, and what they mean.

    ``kind`` is derived from the fields: exponent 0 is a zero (fraction 0) or
    a subnormal; the all-ones exponent is an infinity (fraction 0) or a NaN;
    anything else is a normal number.

    Attributes:
        sign: 0 for positive, 1 for negative (NaNs and zeros have signs too).
        exponent: the biased exponent field, 0 .. 2**w - 1.
        mantissa: the fraction field (trailing significand), 0 .. 2**t - 1.
        fmt: ``"binary32"`` or ``"binary64"``.
        kind: ``"zero"``, ``"subnormal"``, ``"normal"``, ``"infinity"`` or ``"nan"``.

    >>> FloatParts(1, 0, 0, "binary32")
    FloatParts(sign=1, exponent=0, mantissa=0, fmt='binary32', kind='zero')
    >>> FloatParts(0, 256, 0, "binary32")
    Traceback (most recent call last):
    ValueError: exponent must be in 0..255 for binary32, got 256
    """

    sign: int
    exponent: int
    mantissa: int
    fmt: FloatFormat = "binary64"
    kind: FloatKind = field(init=False)

    def __post_init__(self) -> None:
        w, t = _widths(self.fmt)
        for name, value, top in (
            ("sign", self.sign, 1),
            ("exponent", self.exponent, (1 << w) - 1),
            ("mantissa", self.mantissa, (1 << t) - 1),
        ):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name} must be an int, got {value!r}")
            if not 0 <= value <= top:
                raise ValueError(f"{name} must be in 0..{top} for {self.fmt}, got {value!r}")
        kind: FloatKind
        if self.exponent == 0:
            kind = "zero" if self.mantissa == 0 else "subnormal"
        elif self.exponent == (1 << w) - 1:
            kind = "infinity" if self.mantissa == 0 else "nan"
        else:
            kind = "normal"
        object.__setattr__(self, "kind", kind)

    @property
    def bits(self) -> int:
        """The whole encoding as one unsigned integer (sign, then exponent, then fraction).

        Complexity: O(1).

        >>> hex(float_bits(1.0).bits), hex(float_bits(-2.0, "binary32").bits)
        ('0x3ff0000000000000', '0xc0000000')
        """
        w, t = _widths(self.fmt)
        return self.sign << (w + t) | self.exponent << t | self.mantissa

    @classmethod
    def from_bits(cls, raw: int, fmt: FloatFormat = "binary64") -> FloatParts:
        """Split a raw bit pattern into its fields (the inverse of :attr:`bits`).

        Args:
            raw: the pattern, 0 .. 2**32 - 1 or 2**64 - 1.
            fmt: ``"binary32"`` or ``"binary64"``.

        Returns:
            The fields.

        Raises:
            TypeError: ``raw`` is not an int.
            ValueError: bad ``fmt``, or ``raw`` is negative or too wide.

        Complexity: O(1).

        >>> FloatParts.from_bits(0x7F800001, "binary32")
        FloatParts(sign=0, exponent=255, mantissa=1, fmt='binary32', kind='nan')
        """
        w, t = _widths(fmt)
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise TypeError(f"raw must be an int, got {raw!r}")
        if not 0 <= raw < 1 << (1 + w + t):
            raise ValueError(f"raw pattern {raw!r} does not fit in {1 + w + t} bits")
        return cls(raw >> (w + t), raw >> t & ((1 << w) - 1), raw & ((1 << t) - 1), fmt)


def float_bits(x: float | int | Fraction, fmt: FloatFormat = "binary64") -> FloatParts:
    """Encode a number in binary32 or binary64, rounding to nearest, ties to even.

    Finite values are rounded with exact integer arithmetic: find the power
    of two below ``abs(x)``, scale so the significand has p bits (fewer in the
    subnormal range, where the exponent is pinned at emin), round the
    quotient half to even, and let a carry out of the significand bump the
    exponent. A value at least halfway from the largest finite value to
    ``2**(emax + 1)`` becomes infinity, the tie included, as IEEE 754-2019
    prescribes for round-to-nearest (sections 4.3.1 and 7.4); anything
    smaller rounds to a finite value. A NaN's payload
    cannot be observed by arithmetic, so for a NaN (and only then) the bits
    are read with ``struct``; narrowing a NaN to binary32 keeps its sign
    and the top 23 payload bits and sets the quiet bit, as x86 and ARM
    conversions do.

    Args:
        x: a float, an int (any size) or a :class:`fractions.Fraction`.
        fmt: ``"binary32"`` or ``"binary64"``.

    Returns:
        The fields of the nearest representable value.

    Raises:
        TypeError: ``x`` is a bool, a Decimal, a str or another type.
        ValueError: ``fmt`` is not one of the two formats.

    Complexity: O(size of x's numerator and denominator) for the big-int division.

    >>> float_bits(2**53 + 1).bits == float_bits(2**53).bits  # a tie, rounded to even
    True
    >>> float_bits(1e39, "binary32").kind, float_bits(1e-46, "binary32").kind
    ('infinity', 'zero')
    >>> float_bits(True)
    Traceback (most recent call last):
    TypeError: x must be a float, int or Fraction, got True
    """
    if isinstance(x, bool) or not isinstance(x, (float, int, Fraction)):
        raise TypeError(f"x must be a float, int or Fraction, got {x!r}")
    w, t = _widths(fmt)
    top = (1 << w) - 1
    if isinstance(x, float) and math.isnan(x):
        raw64 = int.from_bytes(struct.pack(">d", x), "big")
        sign, payload = raw64 >> 63, raw64 & ((1 << 52) - 1)
        if fmt == "binary64":
            return FloatParts(sign, top, payload, fmt)
        return FloatParts(sign, top, payload >> 29 | 1 << 22, fmt)
    sign = 1 if x < 0 or (x == 0 and math.copysign(1.0, x) < 0) else 0
    if isinstance(x, float) and math.isinf(x):
        return FloatParts(sign, top, 0, fmt)
    n, d = x.as_integer_ratio()
    n = abs(n)
    if n == 0:
        return FloatParts(sign, 0, 0, fmt)
    exponent, mantissa = _round_nearest_even(n, d, w, t)
    return FloatParts(sign, exponent, mantissa, fmt)


def _round_nearest_even(n: int, d: int, w: int, t: int) -> tuple[int, int]:
    """Fields (exponent, fraction) of the positive rational n/d, rounded to nearest even."""
    bias = (1 << (w - 1)) - 1
    emin = 1 - bias
    e = n.bit_length() - d.bit_length()  # floor(log2(n/d)) is e or e - 1
    if n << max(-e, 0) < d << max(e, 0):
        e -= 1
    q = max(e, emin) - t  # the weight of the significand's last bit
    num, den = n << max(-q, 0), d << max(q, 0)
    s, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and s & 1):
        s += 1
    if s == 1 << (t + 1):  # rounding carried out of the significand: 1.11..1 -> 10.0
        s >>= 1
        q += 1
    if s < 1 << t:  # no implicit leading 1: subnormal, or zero after underflow
        return 0, s
    exponent = q + t + bias
    if exponent >= (1 << w) - 1:  # overflow: round to nearest sends it to infinity
        return (1 << w) - 1, 0
    return exponent, s - (1 << t)


def float_from_parts(parts: FloatParts) -> float:
    """Decode the fields into a Python float (a binary64), exactly.

    Every binary32 value is also a binary64 value, so nothing is rounded. A
    binary32 NaN widens the way hardware widens it: sign and payload kept
    (shifted to the top of the 52-bit fraction), quiet bit set; the NaN is
    built with ``struct``, since arithmetic cannot choose a payload.

    Args:
        parts: the fields, from :func:`float_bits` or :meth:`FloatParts.from_bits`.

    Returns:
        The float.

    Raises:
        TypeError: ``parts`` is not a :class:`FloatParts`.

    Complexity: O(1).

    >>> float_from_parts(FloatParts(0, 1023, 1 << 51)), float_from_parts(FloatParts(1, 0, 1))
    (1.5, -5e-324)
    >>> float_from_parts(FloatParts.from_bits(0x3DCCCCCD, "binary32"))
    0.10000000149011612
    """
    if not isinstance(parts, FloatParts):
        raise TypeError(f"parts must be a FloatParts, got {parts!r}")
    w, t = _widths(parts.fmt)
    bias = (1 << (w - 1)) - 1
    sign = -1.0 if parts.sign else 1.0
    if parts.kind == "nan":
        payload = parts.mantissa if t == 52 else parts.mantissa << 29 | 1 << 51
        raw64 = parts.sign << 63 | 0x7FF << 52 | payload
        value: float = struct.unpack(">d", raw64.to_bytes(8, "big"))[0]
        return value
    if parts.kind == "infinity":
        return sign * math.inf
    if parts.kind in ("zero", "subnormal"):
        return sign * math.ldexp(parts.mantissa, 1 - bias - t)
    return sign * math.ldexp(1 << t | parts.mantissa, parts.exponent - bias - t)
