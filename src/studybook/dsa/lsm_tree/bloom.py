"""A small serializable Bloom filter: lets a read skip tables that cannot hold a key.

A point lookup that misses in the memtable would otherwise read one block from
*every* table whose key range covers the key. Each table therefore carries a
Bloom filter over its keys (Bloom, "Space/Time Trade-offs in Hash Coding with
Allowable Errors", CACM 1970): ``might_contain`` is never wrong when it says
"no", and says "maybe" for an absent key with probability about
``(1 - e^(-k/b))^k`` at ``b`` bits per key and ``k`` hash functions. The
rate is lowest at ``k = b ln 2``; we round that, so ``b = 10`` gives
``k = 7`` and about 0.82 %. Ten bits per key is the example in LevelDB's and
RocksDB's documentation, but both use ``k = 6`` there (0.84 %): LevelDB
computes ``k = floor(b * 0.69)`` to save a probe (``util/bloom.cc``), and
RocksDB's cache-local filter picks 6 probes for 8.3 to 10.07 bits per key
(``FastLocalBloomImpl::ChooseNumProbes`` in ``util/bloom_impl.h``).

The ``k`` bit positions come from one 128-bit BLAKE2b digest split into two
64-bit halves ``h1, h2`` as ``h1 + i*h2`` (Kirsch and Mitzenmacher, "Less
Hashing, Same Performance", ESA 2006). ``hashlib`` is used, never the built-in
``hash()``: that one is salted per process, and a filter is written by one
process and read by another.

Serialized form (little-endian): ``num_hashes: u8 | num_bits: u32 | bits``,
where ``bits`` is ``ceil(num_bits / 8)`` bytes and bit ``i`` is
``bits[i // 8] >> (i % 8) & 1``.

=============================  ===============================
operation                      cost
=============================  ===============================
``add``, ``might_contain``     O(k + len(key))
space                          ``bits_per_key`` bits per key
=============================  ===============================

>>> bloom = BloomFilter.for_key_count(100, bits_per_key=10)
>>> bloom.add(b"apple"); bloom.might_contain(b"apple")
True
"""

from __future__ import annotations

import hashlib
import math
import struct

from .checks import require_int, require_real

__all__ = ["MAX_BLOOM_BITS_PER_KEY", "BloomFilter", "expected_false_positive_rate"]

_HEADER = struct.Struct("<BI")
# LevelDB (util/bloom.cc) and RocksDB's legacy filter clamp k to 30 too: past
# that, the probes cost more than the block read they save.
_MAX_HASHES = 30
# A floor on the filter size keeps tables with a handful of keys from getting
# a 10-bit filter whose error rate is far above the asymptotic formula.
_MIN_BITS = 64
_MAX_BITS = 2**32 - 1  # the serialized num_bits is a u32

MAX_BLOOM_BITS_PER_KEY = 64
"""The most bits per key a filter may use.

More would buy nothing. At 64 bits per key (``k`` capped at 30) the
false-positive rate is already about 1e-13."""


class BloomFilter:
    """A fixed-size Bloom filter over ``bytes`` keys.

    Args:
        num_bits: size of the bit array; ``0`` makes a filter that answers
            "maybe" to everything (used when ``bits_per_key`` is 0).
        num_hashes: bit positions set and tested per key, 1 to 30.

    Raises:
        TypeError: if an argument is not an ``int`` (``bool`` included).
        ValueError: if ``num_bits`` is negative or too large for the u32 header,
            or ``num_hashes`` is outside 1..30.

    >>> BloomFilter(64, 3).might_contain(b"x")
    False
    >>> BloomFilter(64, 31)
    Traceback (most recent call last):
    ValueError: num_hashes must be in 1..30, got 31
    """

    def __init__(self, num_bits: int, num_hashes: int) -> None:
        self.num_bits = require_int("num_bits", num_bits, minimum=0, maximum=_MAX_BITS)
        self.num_hashes = require_int("num_hashes", num_hashes, minimum=1, maximum=_MAX_HASHES)
        self._bits = bytearray((num_bits + 7) // 8)

    @classmethod
    def for_key_count(cls, key_count: int, bits_per_key: int) -> BloomFilter:
        """Size a filter for ``key_count`` keys at ``bits_per_key`` bits each.

        Args:
            key_count: how many keys will be added.
            bits_per_key: bits per key; ``0`` disables filtering.

        Returns:
            An empty filter with ``k = round(bits_per_key * ln 2)``, the ``k``
            that minimises the false-positive rate, clamped to 1..30, and
            ``key_count * bits_per_key`` bits (at least 64, at most 2**32 - 1).

        Raises:
            TypeError: if an argument is not an ``int`` (``bool`` included).
            ValueError: if an argument is negative or ``bits_per_key`` is
                over :data:`MAX_BLOOM_BITS_PER_KEY`.

        Complexity: O(key_count * bits_per_key) to allocate the bit array.

        >>> bloom = BloomFilter.for_key_count(1000, 10)
        >>> bloom.num_bits, bloom.num_hashes
        (10000, 7)
        >>> BloomFilter.for_key_count(0, 10).num_bits  # floor for tiny tables
        64
        >>> BloomFilter.for_key_count(10, -1)
        Traceback (most recent call last):
        ValueError: bits_per_key must be in 0..64, got -1
        """
        require_int("key_count", key_count, minimum=0)
        require_int("bits_per_key", bits_per_key, minimum=0, maximum=MAX_BLOOM_BITS_PER_KEY)
        if bits_per_key == 0:
            return cls(0, 1)
        num_hashes = min(_MAX_HASHES, max(1, round(bits_per_key * math.log(2))))
        # Clamped to the u32 header: a giant table gets a slightly weaker filter.
        return cls(min(_MAX_BITS, max(_MIN_BITS, key_count * bits_per_key)), num_hashes)

    def add(self, key: bytes) -> None:
        """Insert ``key``.

        Args:
            key: the key to insert.

        Raises:
            TypeError: if ``key`` is not ``bytes``.

        Complexity: O(num_hashes + len(key)).

        >>> bloom = BloomFilter(64, 2); bloom.add(b"")
        >>> bloom.might_contain(b"")
        True
        >>> bloom.add("text")
        Traceback (most recent call last):
        TypeError: key must be bytes, got str
        """
        for position in self._positions(key):
            self._bits[position >> 3] |= 1 << (position & 7)

    def might_contain(self, key: bytes) -> bool:
        """Return ``False`` if ``key`` was certainly never added, else ``True``.

        Args:
            key: the key to test.

        Returns:
            ``False`` means absent for sure; ``True`` means "maybe".

        Raises:
            TypeError: if ``key`` is not ``bytes``.

        Complexity: O(num_hashes + len(key)).

        >>> bloom = BloomFilter(1024, 7); bloom.add(b"present")
        >>> bloom.might_contain(b"present"), bloom.might_contain(b"absent")
        (True, False)
        >>> BloomFilter(0, 1).might_contain(b"anything")  # a disabled filter
        True
        >>> bloom.might_contain(None)
        Traceback (most recent call last):
        TypeError: key must be bytes, got NoneType
        """
        if self.num_bits == 0:
            _check_key(key)
            return True
        return all(self._bits[p >> 3] >> (p & 7) & 1 for p in self._positions(key))

    def _positions(self, key: bytes) -> list[int]:
        _check_key(key)
        if self.num_bits == 0:
            return []
        digest = hashlib.blake2b(key, digest_size=16).digest()
        h1 = int.from_bytes(digest[:8], "little")
        # An odd step never collapses to 0, which would test one bit k times.
        h2 = int.from_bytes(digest[8:], "little") | 1
        return [(h1 + i * h2) % self.num_bits for i in range(self.num_hashes)]

    def to_bytes(self) -> bytes:
        """Serialize the filter (format in the module docstring).

        Returns:
            ``5 + ceil(num_bits / 8)`` bytes.

        Complexity: O(num_bits).

        >>> BloomFilter(16, 2).to_bytes()
        b'\\x02\\x10\\x00\\x00\\x00\\x00\\x00'
        >>> BloomFilter(0, 1).to_bytes()
        b'\\x01\\x00\\x00\\x00\\x00'
        """
        return _HEADER.pack(self.num_hashes, self.num_bits) + bytes(self._bits)

    @classmethod
    def from_bytes(cls, data: bytes) -> BloomFilter:
        """Rebuild a filter written by :meth:`to_bytes`.

        Args:
            data: the serialized filter.

        Returns:
            A filter that answers exactly as the serialized one did.

        Raises:
            ValueError: if ``data`` has the wrong length or an invalid header.

        Complexity: O(len(data)).

        >>> original = BloomFilter(64, 3); original.add(b"k")
        >>> BloomFilter.from_bytes(original.to_bytes()).might_contain(b"k")
        True
        >>> BloomFilter.from_bytes(b"\\x03\\x40\\x00\\x00\\x00")
        Traceback (most recent call last):
        ValueError: bloom filter of 64 bits needs 13 bytes, got 5
        """
        if len(data) < _HEADER.size:
            raise ValueError(f"bloom filter needs at least {_HEADER.size} bytes, got {len(data)}")
        num_hashes, num_bits = _HEADER.unpack_from(data)
        expected = _HEADER.size + (num_bits + 7) // 8
        if len(data) != expected:
            raise ValueError(
                f"bloom filter of {num_bits} bits needs {expected} bytes, got {len(data)}"
            )
        bloom = cls(num_bits, num_hashes)
        bloom._bits[:] = data[_HEADER.size :]
        return bloom


def _check_key(key: object) -> None:
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes, got {type(key).__name__}")


def expected_false_positive_rate(bits_per_key: float, num_hashes: int) -> float:
    """Return the textbook false-positive rate ``(1 - e^(-k/b))^k``.

    Args:
        bits_per_key: ``b``, bits of filter per inserted key (> 0).
        num_hashes: ``k``, hash functions (>= 1).

    Returns:
        The probability that an absent key is reported as "maybe".

    Raises:
        TypeError: if an argument has the wrong type (``bool`` included).
        ValueError: if ``bits_per_key`` is not a finite number > 0, or
            ``num_hashes < 1``.

    Complexity: O(1).

    >>> round(expected_false_positive_rate(10, 7), 4), round(expected_false_positive_rate(10, 6), 4)
    (0.0082, 0.0084)
    >>> round(expected_false_positive_rate(1, 1), 3)  # one bit per key: poor
    0.632
    >>> expected_false_positive_rate(0, 7)
    Traceback (most recent call last):
    ValueError: bits_per_key must be > 0, got 0
    """
    bits = require_real("bits_per_key", bits_per_key)
    if bits <= 0:
        raise ValueError(f"bits_per_key must be > 0, got {bits_per_key!r}")
    require_int("num_hashes", num_hashes, minimum=1)
    return float((1.0 - math.exp(-num_hashes / bits)) ** num_hashes)
