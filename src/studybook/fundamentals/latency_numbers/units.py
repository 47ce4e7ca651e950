"""Units for back-of-the-envelope work: byte prefixes, durations, powers of two.

Estimates go wrong on units more often than on arithmetic. Storage vendors,
network links and SI use powers of ten (1 GB = 10^9 bytes, 1 Gbit/s = 10^9
bit/s); operating systems and memory sizes often use powers of two, which
IEC 60027-2 (1998), now IEC 80000-13, names with the binary prefixes
KiB, MiB, GiB (1 GiB = 2^30 bytes). The two drift apart as they grow: 2^10
is 2.4 % more than 10^3, 2^40 is 10 % more than 10^12. Every function here
says which system it uses.

==================  =================================  ======
function            answers                            cost
==================  =================================  ======
format_bytes        "9.12 TB" or "8.30 TiB"             O(1)
format_duration     "8 h 45 min 58 s", "250 µs"         O(1)
powers_of_two       2^k, its IEC name, the SI error     O(k)
==================  =================================  ======

>>> format_bytes(10**12), format_bytes(2**40, system="iec"), format_bytes(2**40)
('1 TB', '1 TiB', '1.10 TB')

Primary sources: NIST, "Prefixes for binary multiples" (the IEC 60027-2
binary prefixes, 1998); BIPM, *The International System of Units*, 9th ed.,
2019 (the SI prefixes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "SECONDS_PER_DAY",
    "PowerOfTwo",
    "check_number",
    "format_bytes",
    "format_duration",
    "powers_of_two",
]

#: 24 x 60 x 60. Rounded to 10^5 it makes "per day" into "per second" in your head.
SECONDS_PER_DAY = 86_400

_SI = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")
_IEC = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")


def check_number(
    value: object, what: str, *, minimum: float = 0.0, allow_minimum: bool = True
) -> float:
    """Return ``value`` as a float if it is a finite real number above ``minimum``.

    ``bool`` is refused although it is an ``int``: ``True`` users is a bug in
    the caller, not one user.

    Args:
        value: the number to check.
        what: its name, for the error message.
        minimum: the smallest meaningful value.
        allow_minimum: whether ``minimum`` itself is allowed (``>=``) or not (``>``).

    Returns:
        ``value`` converted to ``float``.

    Raises:
        TypeError: not an ``int`` or ``float``, or a ``bool``.
        ValueError: NaN, an infinity, or out of range.

    Complexity: O(1).

    >>> check_number(3, "users", minimum=0, allow_minimum=False)
    3.0
    >>> check_number(float("inf"), "users")
    Traceback (most recent call last):
    ValueError: users must be a finite number, got inf
    >>> check_number(True, "users")
    Traceback (most recent call last):
    TypeError: users must be an int or float, got bool: True
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be an int or float, got {type(value).__name__}: {value!r}")
    if isinstance(value, int):
        if abs(value) > 10**300:  # float(value) would overflow or lose all meaning
            raise ValueError(f"{what} is too large, got {value!r}")
    elif not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    number = float(value)
    if allow_minimum and number < minimum:
        raise ValueError(f"{what} must be at least {minimum:g}, got {value!r}")
    if not allow_minimum and number <= minimum:
        raise ValueError(f"{what} must be greater than {minimum:g}, got {value!r}")
    return number


def format_bytes(n: float, *, system: Literal["si", "iec"] = "si") -> str:
    """Return ``n`` bytes with the largest prefix that keeps the number at least 1.

    Three significant digits, trailing zeros kept after the point so columns
    line up ("1.10 TB"); exact whole numbers print without them ("1 TB").

    Args:
        n: a byte count, finite and not negative.
        system: ``"si"`` for powers of 1000 (kB, MB, GB: disks, networks,
            SI) or ``"iec"`` for powers of 1024 (KiB, MiB, GiB: memory, most
            operating systems).

    Returns:
        The formatted size.

    Raises:
        TypeError, ValueError: ``n`` not a finite number >= 0, or an unknown ``system``.

    Complexity: O(1).

    >>> format_bytes(1_500), format_bytes(1_536, system="iec"), format_bytes(999_999)
    ('1.50 kB', '1.50 KiB', '1.00 MB')
    >>> format_bytes(1023.9, system="iec")  # rounds up to the next prefix, not "1024 B"
    '1.00 KiB'
    >>> format_bytes(-1)
    Traceback (most recent call last):
    ValueError: byte count must be at least 0, got -1
    """
    value = check_number(n, "byte count")
    if system == "si":
        base, names = 1000, _SI
    elif system == "iec":
        base, names = 1024, _IEC
    else:
        raise ValueError(f"unknown system {system!r}; expected 'si' or 'iec'")
    exponent = 0
    while exponent < len(names) - 1 and value >= base ** (exponent + 1):
        exponent += 1
    scaled = value / base**exponent
    # Round as the number will be shown: 999,999 B would print as "1000 kB" and
    # 1023.9 B as "1024 B"; say "1.00 MB" and "1.00 KiB" instead.
    if exponent < len(names) - 1 and float(_three_digits(scaled)) >= base:
        exponent += 1
        scaled = value / base**exponent
    if scaled == int(scaled) and (exponent == 0 or scaled < 1000):
        return f"{int(scaled)} {names[exponent]}"
    return f"{_three_digits(scaled)} {names[exponent]}"


def _three_digits(x: float) -> str:
    """Three significant digits, fixed point: 1.1 -> '1.10', 57.87 -> '57.9', 463.0 -> '463'."""
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def format_duration(seconds: float) -> str:
    """Return a duration the way a person reads it.

    Below a second: three significant digits in ns, µs or ms. From a second
    on: whole hours, minutes and seconds ("8 h 45 min 58 s"), rounded to the
    nearest second; days are written as hours so no month length is implied.

    Args:
        seconds: a finite, non-negative duration.

    Returns:
        The formatted duration.

    Raises:
        TypeError, ValueError: ``seconds`` not a finite number >= 0.

    Complexity: O(1).

    >>> [format_duration(s) for s in (5e-10, 2.5e-4, 0.15, 31_557.6, 0)]
    ['0.50 ns', '250 µs', '150 ms', '8 h 45 min 58 s', '0 s']
    >>> format_duration(float("nan"))
    Traceback (most recent call last):
    ValueError: duration must be a finite number, got nan
    """
    value = check_number(seconds, "duration")
    if value == 0:
        return "0 s"
    if value < 0.9995:
        for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)):
            scaled = value / scale
            if float(f"{scaled:.3g}") < 1000:
                return f"{_three_digits(scaled)} {unit}"
        raise AssertionError("unreachable: below 0.9995 s fits in ms")  # pragma: no cover
    whole = round(value)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if hours or minutes:
        parts.append(f"{minutes} min")
    parts.append(f"{secs} s")
    return " ".join(parts)


@dataclass(frozen=True)
class PowerOfTwo:
    """One row of the powers-of-two table.

    Attributes:
        exponent: k in 2^k.
        value: 2^k exactly.
        iec: the size in IEC units when 2^k is a byte count ("1 GiB").
        si_name: the power of ten it approximates, in words ("billion"),
            or "" below a thousand.
        si_excess: how much 2^k exceeds that power of ten, as a fraction
            (0.024 for 2^10 against 10^3).
    """

    exponent: int
    value: int
    iec: str
    si_name: str
    si_excess: float


_WORDS = {3: "thousand", 6: "million", 9: "billion", 12: "trillion", 15: "quadrillion"}
_WORDS |= {18: "quintillion", 21: "sextillion", 24: "septillion"}


def powers_of_two(exponents: tuple[int, ...] = (8, 10, 16, 20, 30, 32, 40, 50)) -> list[PowerOfTwo]:
    """Return the powers-of-two table for ``exponents``.

    Each power that is a multiple of ten is matched with 10^(3k/10), the power
    of ten it is "about"; the excess shows how fast the approximation decays.

    Args:
        exponents: the k of each row, ints from 0 to 80.

    Returns:
        One :class:`PowerOfTwo` per exponent, in the order given.

    Raises:
        TypeError, ValueError: an exponent that is not an int in 0..80, or no exponents.

    Complexity: O(len(exponents)).

    >>> [(p.exponent, p.value, p.iec, p.si_name, round(p.si_excess, 4))
    ...  for p in powers_of_two((10, 32, 40))]
    [(10, 1024, '1 KiB', 'thousand', 0.024), (32, 4294967296, '4 GiB', '', 0.0),
     (40, 1099511627776, '1 TiB', 'trillion', 0.0995)]
    >>> powers_of_two((81,))
    Traceback (most recent call last):
    ValueError: exponent must be an int from 0 to 80, got 81
    """
    if not isinstance(exponents, tuple | list) or not exponents:
        raise ValueError(f"exponents must be a non-empty tuple of ints, got {exponents!r}")
    rows = []
    for k in exponents:
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= 80:
            raise ValueError(f"exponent must be an int from 0 to 80, got {k!r}")
        value = 2**k
        if k % 10 == 0 and k > 0:
            decimal = 10 ** (3 * k // 10)
            name, excess = _WORDS[3 * k // 10], value / decimal - 1
        else:
            name, excess = "", 0.0
        rows.append(PowerOfTwo(k, value, format_bytes(value, system="iec"), name, excess))
    return rows
