"""HyperLogLog: count distinct items to about ``1.04 / sqrt(m)`` relative error in ``m`` bytes.

Flajolet, Fusy, Gandouet & Meunier (2007). Each item is hashed to 64 bits; the
first ``p`` bits pick one of ``m = 2**p`` registers and the register keeps the
largest "rank" (position of the first 1-bit) seen in the remaining bits. The
estimate is ``alpha_m * m**2 / sum(2**-M[j])``, with linear counting
``m ln(m / V)`` below ``5m/2`` when ``V`` registers are still zero.

The 2007 paper, working with 32-bit hashes, also corrects large estimates
(``E > 2**32 / 30``) for hash collisions. This implementation hashes to 64 bits,
so collisions only matter for cardinalities near ``2**64`` and, as Heule,
Nunkesser & Hall (2013, HyperLogLog++) observe, that correction is dropped.
"""

from __future__ import annotations

import math

from studybook.dsa.advanced_structures._hashing import Item, encode_item, hash64

__all__ = ["HyperLogLog", "alpha"]

_HASH_BITS = 64
MIN_PRECISION = 4
MAX_PRECISION = 16


class HyperLogLog:
    """A HyperLogLog cardinality estimator with ``2**precision`` registers.

    Args:
        precision: ``p``, between 4 and 16. The 2007 paper's bias constant
            ``alpha_m`` is given for ``m >= 16`` (``p >= 4``); 16 caps memory at
            65,536 registers (0.41% standard error), beyond what most uses need
            (Redis uses ``p = 14``).

    Raises:
        ValueError: if ``precision`` is outside [4, 16].

    Complexity: O(m) memory; O(1) per add; O(m) per count and merge.

    >>> hll = HyperLogLog(precision=10)
    >>> hll.m, f"{hll.standard_error:.4f}"
    (1024, '0.0325')
    >>> for i in range(500): _ = hll.add(f"user-{i % 100}")
    >>> hll.count()  # 100 distinct users, estimated by linear counting
    101
    >>> HyperLogLog(17)
    Traceback (most recent call last):
    ...
    ValueError: precision must be in [4, 16], got 17
    """

    def __init__(self, precision: int = 14) -> None:
        if not isinstance(precision, int) or isinstance(precision, bool):
            raise TypeError(f"precision must be an int, got {precision!r}")
        if not MIN_PRECISION <= precision <= MAX_PRECISION:
            raise ValueError(
                f"precision must be in [{MIN_PRECISION}, {MAX_PRECISION}], got {precision!r}"
            )
        self.precision = precision
        self.m = 1 << precision
        self._registers = bytearray(self.m)

    @property
    def standard_error(self) -> float:
        """The relative standard error ``1.04 / sqrt(m)`` of :meth:`count`."""
        return 1.04 / math.sqrt(self.m)

    def add(self, item: Item) -> bool:
        """Observe ``item``; return ``True`` if a register changed (like Redis ``PFADD``).

        Raises:
            TypeError: if ``item`` is not a ``str``, ``bytes`` or ``int``.

        Complexity: O(1).

        >>> hll = HyperLogLog(4)
        >>> hll.add("a"), hll.add("a")
        (True, False)
        """
        x = hash64(encode_item(item))
        index = x >> (_HASH_BITS - self.precision)
        rank = _rank(x, _HASH_BITS - self.precision)
        if rank > self._registers[index]:
            self._registers[index] = rank
            return True
        return False

    def count(self) -> int:
        """Estimate the number of distinct items added.

        Returns:
            The raw HyperLogLog estimate, or the linear-counting estimate when it
            is at most ``5m/2`` and some register is still zero (small-range
            correction, Flajolet et al. 2007).

        Complexity: O(m).

        >>> HyperLogLog(4).count()
        0
        """
        raw = alpha(self.m) * self.m * self.m / math.fsum(2.0**-r for r in self._registers)
        zeros = self._registers.count(0)
        if raw <= 2.5 * self.m and zeros:
            return round(self.m * math.log(self.m / zeros))
        return round(raw)

    def merge(self, other: HyperLogLog) -> None:
        """Fold ``other`` into this sketch: register-wise maximum (Redis ``PFMERGE``).

        The result is exactly the sketch of the union of both inputs.

        Raises:
            TypeError: if ``other`` is not a :class:`HyperLogLog`.
            ValueError: if the precisions differ.

        Complexity: O(m).

        >>> a, b = HyperLogLog(8), HyperLogLog(8)
        >>> for i in range(60): _ = a.add(i); _ = b.add(i + 30)
        >>> a.merge(b); a.count()  # the union holds 90 distinct items
        87
        >>> a.merge(HyperLogLog(9))
        Traceback (most recent call last):
        ...
        ValueError: cannot merge precision 9 into precision 8
        """
        if not isinstance(other, HyperLogLog):
            raise TypeError(f"can only merge a HyperLogLog, got {other!r}")
        if other.precision != self.precision:
            raise ValueError(
                f"cannot merge precision {other.precision} into precision {self.precision}"
            )
        self._registers = bytearray(map(max, self._registers, other._registers))

    def _check_invariants(self) -> None:
        if len(self._registers) != self.m:
            raise AssertionError(f"{len(self._registers)} registers, expected {self.m}")
        top = _HASH_BITS - self.precision + 1
        if max(self._registers) > top:
            raise AssertionError(f"a register exceeds the largest possible rank {top}")


def _rank(x: int, width: int) -> int:
    """Position of the leftmost 1-bit in the low ``width`` bits of ``x`` (``width + 1`` if none)."""
    w = x & ((1 << width) - 1)
    return width - w.bit_length() + 1


def alpha(m: int) -> float:
    """Return the bias-correction constant ``alpha_m`` of Flajolet et al. (2007).

    Args:
        m: the number of registers (a power of two, at least 16).

    Returns:
        0.673, 0.697 and 0.709 for m = 16, 32, 64; ``0.7213 / (1 + 1.079 / m)`` above.

    Raises:
        ValueError: if ``m < 16``.

    Complexity: O(1).

    >>> alpha(16), round(alpha(16384), 4)
    (0.673, 0.7213)
    >>> alpha(8)
    Traceback (most recent call last):
    ...
    ValueError: alpha_m is defined for m >= 16, got 8
    """
    if m < 16:
        raise ValueError(f"alpha_m is defined for m >= 16, got {m!r}")
    return {16: 0.673, 32: 0.697, 64: 0.709}.get(m, 0.7213 / (1 + 1.079 / m))
