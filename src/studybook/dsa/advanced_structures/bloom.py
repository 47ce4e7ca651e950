"""Bloom filter: a set that answers "definitely not" or "probably yes" in m bits.

Sizing follows the standard analysis (Bloom 1970; Broder & Mitzenmacher 2004):
for ``n`` items and a target false-positive rate ``p`` the filter uses
``m = ceil(-n ln p / (ln 2)^2)`` bits and ``k = round(m/n ln 2)`` hash functions.
The ``k`` bit positions come from one BLAKE2b digest split into two 64-bit
halves, ``g_i(x) = h1(x) + i * h2(x) mod m`` (Kirsch & Mitzenmacher 2006), which
keeps the asymptotic false-positive rate of ``k`` independent hashes.
"""

from __future__ import annotations

import hashlib
import math
import struct

from studybook.dsa.advanced_structures._hashing import Item, encode_item

__all__ = ["MAX_BITS", "BloomFilter", "optimal_bits", "optimal_hashes"]

_MAGIC = b"SBBF"
_VERSION = 1
# _magic, version, m, k, capacity, error_rate, items added
_HEADER = struct.Struct(">4sBQIQdQ")
MAX_BITS = 1 << 33
"""The largest filter this pure-Python class will allocate, 2**33 bits (1 GiB)."""


class BloomFilter:
    """A Bloom filter sized for ``capacity`` items at false-positive rate ``error_rate``.

    ``x in bf`` is ``False`` only if ``x`` was never added (no false negatives);
    it is ``True`` for an item never added with probability about ``error_rate``
    once ``capacity`` items are in.

    Args:
        capacity: the number of distinct items the filter is sized for (>= 1).
        error_rate: the target false-positive rate at capacity, in (0, 1).

    Raises:
        ValueError: if ``capacity < 1``, ``error_rate`` is not in (0, 1) (NaN
            included), or the filter would need more than ``MAX_BITS`` bits.
        TypeError: if ``capacity`` is not an int or ``error_rate`` not a number
            (``bool`` is refused for both).

    Complexity: O(m) bits of memory, O(k) per operation.

    >>> bf = BloomFilter(capacity=1000, error_rate=0.01)
    >>> bf.m, bf.k
    (9586, 7)
    >>> bf.add("alice")
    >>> "alice" in bf, "bob" in bf
    (True, False)
    >>> BloomFilter(0, 0.01)
    Traceback (most recent call last):
    ...
    ValueError: capacity must be >= 1, got 0
    >>> BloomFilter(10**9, 0.01)
    Traceback (most recent call last):
    ...
    ValueError: 9585058378 bits needed for 1000000000 items at 0.01; the limit is 8589934592
    """

    def __init__(self, capacity: int, error_rate: float) -> None:
        if not isinstance(capacity, int) or isinstance(capacity, bool):
            raise TypeError(f"capacity must be an int, got {capacity!r}")
        if not isinstance(error_rate, int | float) or isinstance(error_rate, bool):
            raise TypeError(f"error_rate must be a number, got {error_rate!r}")
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity!r}")
        if not 0 < error_rate < 1:
            raise ValueError(f"error_rate must be in (0, 1), got {error_rate!r}")
        self.capacity = capacity
        self.error_rate = float(error_rate)
        self.m = optimal_bits(capacity, self.error_rate)
        if self.m > MAX_BITS:
            raise ValueError(
                f"{self.m} bits needed for {capacity!r} items at {error_rate!r};"
                f" the limit is {MAX_BITS}"
            )
        self.k = optimal_hashes(self.m, capacity)
        self.added = 0
        self._bits = bytearray((self.m + 7) // 8)

    def add(self, item: Item) -> None:
        """Insert ``item``: set its ``k`` bits.

        Args:
            item: a ``str``, ``bytes`` or ``int``.

        Raises:
            TypeError: for any other type.

        Complexity: O(k).

        >>> bf = BloomFilter(100, 0.01)
        >>> bf.add(b"\\x00"); bf.add(42)
        >>> 42 in bf, "42" in bf
        (True, False)
        >>> bf.add(4.2)
        Traceback (most recent call last):
        ...
        TypeError: items must be str, bytes or int, got float: 4.2
        """
        for index in self._positions(item):
            self._bits[index >> 3] |= 1 << (index & 7)
        self.added += 1

    def __contains__(self, item: object) -> bool:
        """Return ``False`` if ``item`` was certainly never added, else ``True``.

        Raises:
            TypeError: if ``item`` is not a ``str``, ``bytes`` or ``int``.

        Complexity: O(k), stopping at the first clear bit.

        >>> bf = BloomFilter(10, 0.1)
        >>> "x" in bf
        False
        """
        return all(self._bits[i >> 3] & (1 << (i & 7)) for i in self._positions(item))

    def _positions(self, item: object) -> list[int]:
        # One 128-bit digest gives two 64-bit hashes; the i-th probe is h1 + i*h2
        # (Kirsch & Mitzenmacher 2006). The step is forced into [1, m-1] so that it is
        # never 0 mod m, which would collapse all k probes onto one bit.
        digest = hashlib.blake2b(encode_item(item), digest_size=16).digest()
        h1 = int.from_bytes(digest[:8], "big")
        h2 = int.from_bytes(digest[8:], "big")
        step = 1 + h2 % (self.m - 1) if self.m > 1 else 0
        return [(h1 + i * step) % self.m for i in range(self.k)]

    def bits_set(self) -> int:
        """Return how many of the ``m`` bits are 1.

        Complexity: O(m).

        >>> bf = BloomFilter(100, 0.01)
        >>> bf.bits_set()
        0
        >>> bf.add("a"); bf.bits_set(), bf.k  # at most k bits per item: fewer if probes collide
        (7, 7)
        """
        return sum(byte.bit_count() for byte in self._bits)

    def estimated_false_positive_rate(self) -> float:
        """Return ``(1 - e^(-k n / m))^k`` for the ``n`` items added so far.

        Complexity: O(1).

        >>> bf = BloomFilter(1000, 0.01)
        >>> bf.estimated_false_positive_rate()
        0.0
        >>> for i in range(1000): bf.add(i)
        >>> f"{bf.estimated_false_positive_rate():.4f}"
        '0.0100'
        """
        return float((1.0 - math.exp(-self.k * self.added / self.m)) ** self.k)

    def to_bytes(self) -> bytes:
        """Serialise the filter: a fixed big-endian header followed by the bit array.

        Complexity: O(m).

        >>> bf = BloomFilter(50, 0.05); bf.add("k")
        >>> copy = BloomFilter.from_bytes(bf.to_bytes())
        >>> "k" in copy, (copy.m, copy.k) == (bf.m, bf.k)
        (True, True)
        """
        header = _HEADER.pack(
            _MAGIC, _VERSION, self.m, self.k, self.capacity, self.error_rate, self.added
        )
        return header + bytes(self._bits)

    @classmethod
    def from_bytes(cls, data: bytes) -> BloomFilter:
        """Rebuild a filter written by :meth:`to_bytes`.

        Args:
            data: the serialised filter.

        Returns:
            An equal filter.

        Raises:
            ValueError: if ``data`` is not a well-formed serialised filter.

        Complexity: O(m).

        >>> BloomFilter.from_bytes(b"nope")
        Traceback (most recent call last):
        ...
        ValueError: not a serialised BloomFilter (bad header), got 4 bytes
        """
        if len(data) < _HEADER.size or data[:4] != _MAGIC:
            raise ValueError(f"not a serialised BloomFilter (bad header), got {len(data)} bytes")
        _magic, version, m, k, capacity, error_rate, added = _HEADER.unpack_from(data)
        if version != _VERSION:
            raise ValueError(f"unsupported BloomFilter format version, got {version!r}")
        bf = cls(capacity, error_rate)
        body = data[_HEADER.size :]
        if (bf.m, bf.k) != (m, k) or len(body) != len(bf._bits):
            raise ValueError(f"BloomFilter body does not match its header, got {len(data)} bytes")
        bf._bits[:] = body
        bf.added = added
        bf._check_invariants()
        return bf

    def _check_invariants(self) -> None:
        if len(self._bits) != (self.m + 7) // 8:
            raise AssertionError(f"bit array holds {len(self._bits)} bytes for m={self.m}")
        padding = len(self._bits) * 8 - self.m
        if padding and self._bits[-1] >> (8 - padding):
            raise AssertionError("a padding bit beyond m is set")
        if self.k < 1 or self.bits_set() > self.added * self.k:
            raise AssertionError(f"{self.bits_set()} bits set by {self.added} adds of k={self.k}")


def optimal_bits(capacity: int, error_rate: float) -> int:
    """Return ``m = ceil(-n ln p / (ln 2)^2)``, the bits that reach rate ``p`` for ``n`` items.

    Args:
        capacity: ``n``, the number of items.
        error_rate: ``p``, the target false-positive rate.

    Returns:
        The number of bits (at least 1).

    Complexity: O(1).

    >>> optimal_bits(1000, 0.01), optimal_bits(1000, 0.001)
    (9586, 14378)
    """
    return max(1, math.ceil(-capacity * math.log(error_rate) / math.log(2) ** 2))


def optimal_hashes(bits: int, capacity: int) -> int:
    """Return ``k = round(m/n ln 2)``, the hash count that minimises the false-positive rate.

    Args:
        bits: ``m``, the filter size in bits.
        capacity: ``n``, the number of items.

    Returns:
        The number of hash functions (at least 1).

    Complexity: O(1).

    >>> optimal_hashes(9586, 1000), optimal_hashes(1, 1000)
    (7, 1)
    """
    return max(1, round(bits / capacity * math.log(2)))
