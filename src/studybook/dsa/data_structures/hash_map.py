"""A hash map with open addressing: linear probing, tombstones, resizing at 2/3 load.

Hash tables are the most used structure in interviews ("use a dict") and the
one whose internals are asked most: what a collision is, what the load factor
is, why deletion is subtle, what a resize costs. :class:`HashMap` keeps every
entry in one flat array of slots. A key's *home* slot is ``h(key) mod
capacity``; if it is taken the key goes to the next free slot (linear
probing), and a lookup walks the same path until it finds the key or an empty
slot.

Invariant: every key is reachable from its home slot by a run of non-empty
slots (live entries or tombstones), and live entries + tombstones never exceed
2/3 of the slots, so every probe sequence ends at an empty slot.

Hashing is FNV-1a (64-bit) over a canonical byte encoding of the key, never
the built-in ``hash()``, which is salted per process for ``str`` and ``bytes``:
the same keys give the same table layout on every run. FNV-1a alone is not
enough for a power-of-two table, which keeps only the low bits: its low k bits
depend only on the low k bits of each input byte (xor and multiplication
modulo 2**k never carry upwards into them from above), so the int keys 0, 8,
16, 24, ... all share one home slot of an 8-slot table. :func:`fmix64`
(MurmurHash3's finalizer) mixes every bit into the low ones first, as Java's
``HashMap.hash`` does with ``h ^ (h >>> 16)``.

=================  =============  ============
operation          expected       worst case
=================  =============  ============
get / set / del    O(1)           O(n)
resize             O(n)           O(n)
iteration          O(capacity)    O(capacity)
=================  =============  ============

>>> m = HashMap()
>>> m["apple"] = 3
>>> m["apple"], "pear" in m, len(m)
(3, False, 1)

Primary sources: D. E. Knuth, TAOCP vol. 3, section 6.4 (linear probing, its
analysis and its history: G. M. Amdahl, E. M. Boehme, N. Rochester and
A. L. Samuel used it at IBM in 1954; W. W. Peterson, "Addressing for
Random-Access Storage", IBM J. Res. Dev., 1957, named open addressing);
RFC 9923 (FNV); A. Appleby, MurmurHash3 (``fmix64``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Generic, TypeAlias, TypeVar

from studybook.dsa.data_structures._check import require

__all__ = ["MAX_LOAD", "HashMap", "Key", "V", "fmix64", "fnv1a_64", "key_bytes", "slot_hash"]

#: The value type.
V = TypeVar("V")
#: The key types a :class:`HashMap` accepts.
Key: TypeAlias = str | bytes | int

MAX_LOAD: Final = (2, 3)
"""Live entries plus tombstones never exceed this fraction ``(2, 3)`` of the slots.

CPython's ``Objects/dictobject.c`` uses the same bound (``USABLE_FRACTION(n)
= (n << 1) / 3``), noting that "fractions around 1/2 to 2/3 seem to work
well in practice"."""

_MIN_CAPACITY: Final = 8  # CPython's PyDict_MINSIZE is also 8
_FNV_OFFSET: Final = 0xCBF29CE484222325
_FNV_PRIME: Final = 0x100000001B3
_MASK64: Final = (1 << 64) - 1


def fnv1a_64(data: bytes) -> int:
    """Return the 64-bit FNV-1a hash of ``data``: xor in each byte, then multiply.

    Args:
        data: the bytes to hash (``bytes``, ``bytearray`` or ``memoryview``).

    Returns:
        An int in ``[0, 2**64)``.

    Raises:
        TypeError: if ``data`` is not bytes-like (a ``str`` must be encoded first).

    Complexity: O(len(data)).

    >>> hex(fnv1a_64(b""))
    '0xcbf29ce484222325'
    >>> hex(fnv1a_64(b"a"))
    '0xaf63dc4c8601ec8c'
    >>> fnv1a_64("a")
    Traceback (most recent call last):
    TypeError: fnv1a_64 needs bytes, got str: 'a'
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"fnv1a_64 needs bytes, got {type(data).__name__}: {data!r}")
    h = _FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return h


def fmix64(h: int) -> int:
    """Return MurmurHash3's 64-bit finalizer of ``h``: every input bit reaches every output bit.

    Two rounds of xor-shift and multiply by an odd constant. Each step is a
    bijection on 64-bit words, so distinct hashes stay distinct; the shifts
    carry high bits down into the low bits that a power-of-two mask keeps.

    Args:
        h: an int in ``[0, 2**64)``.

    Returns:
        An int in ``[0, 2**64)``.

    Raises:
        TypeError: if ``h`` is not an int (``bool`` included).
        ValueError: if ``h`` is outside ``[0, 2**64)``.

    Complexity: O(1).

    >>> [fnv1a_64(key_bytes(k)) & 7 for k in (0, 8, 16, 24, 32)]
    [4, 4, 4, 4, 4]
    >>> [fmix64(fnv1a_64(key_bytes(k))) & 7 for k in (0, 8, 16, 24, 32)]
    [5, 1, 5, 2, 6]
    >>> fmix64(-1)
    Traceback (most recent call last):
    ValueError: fmix64 needs an int in [0, 2**64), got -1
    """
    if isinstance(h, bool) or not isinstance(h, int):
        raise TypeError(f"fmix64 needs an int, got {type(h).__name__}: {h!r}")
    if not 0 <= h <= _MASK64:
        raise ValueError(f"fmix64 needs an int in [0, 2**64), got {h!r}")
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    h ^= h >> 33
    return h


def slot_hash(key: Key) -> int:
    """Return the hash :class:`HashMap` uses for ``key``: ``fmix64(fnv1a_64(key_bytes(key)))``.

    Raises:
        TypeError: if ``key`` is not a str, bytes or int.

    Complexity: O(size of the key).

    >>> slot_hash("a") == fmix64(fnv1a_64(b"sa"))
    True
    """
    return fmix64(fnv1a_64(key_bytes(key)))


def key_bytes(key: Key) -> bytes:
    """Encode a key canonically: a type tag, then its bytes.

    The tag keeps ``"1"``, ``b"1"`` and ``1`` distinct keys, as they are in a
    ``dict``. ``bool`` is rejected: ``True == 1`` in Python, so accepting it
    would force a choice between two reasonable answers.

    Args:
        key: a ``str`` (encoded as UTF-8), ``bytes`` or ``int`` (signed, little-endian).

    Returns:
        The canonical encoding.

    Raises:
        TypeError: for any other key type.

    Complexity: O(size of the key).

    >>> key_bytes("hi"), key_bytes(b"hi"), key_bytes(-1)
    (b'shi', b'bhi', b'i\\xff')
    >>> key_bytes(1.5)
    Traceback (most recent call last):
    TypeError: HashMap keys must be str, bytes or int, got float: 1.5
    """
    if type(key) is str:
        return b"s" + key.encode("utf-8", "surrogatepass")
    if type(key) is bytes:
        return b"b" + key
    if type(key) is int:
        length = (key + (key < 0)).bit_length() // 8 + 1
        return b"i" + key.to_bytes(length, "little", signed=True)
    raise TypeError(f"HashMap keys must be str, bytes or int, got {type(key).__name__}: {key!r}")


@dataclass(slots=True)
class _Entry(Generic[V]):
    hash: int
    key: Key
    value: V


class _Tombstone:
    """Marks a deleted slot: not empty (probes continue past it) but reusable."""

    def __repr__(self) -> str:
        return "<tombstone>"


_TOMBSTONE: Final = _Tombstone()
_Slot = _Entry[V] | _Tombstone | None


class HashMap(Generic[V]):
    """A mapping from ``str``/``bytes``/``int`` keys to values, by open addressing.

    Slots are ``None`` (never used), a tombstone (deleted) or an entry. Why
    tombstones: deleting by emptying a slot would cut the probe path of every
    key that collided past it, and lookups for those keys would stop early at
    the hole and miss. A tombstone keeps the path intact; insertions may reuse
    it. Tombstones count toward the load, so a table churned by inserts and
    deletes eventually hits the 2/3 bound and is rebuilt: the rebuild re-inserts
    only live entries, which purges every tombstone, and picks the smallest
    power-of-two capacity that leaves the table at most 1/3 full.

    Attributes:
        probes: total slots inspected by all lookups, inserts and deletes;
            ``probes / operations`` is the average probe length.

    Complexity: O(1) expected per operation at load <= 2/3 (Knuth: about
    (1 + 1/(1-a)) / 2 probes for a hit and (1 + 1/(1-a)^2) / 2 for a miss at
    load a); O(n) worst case when many keys share a probe run.

    >>> m = HashMap()
    >>> m[1] = "one"; m[1] = "uno"
    >>> m[1], m.get(2, "none"), len(m)
    ('uno', 'none', 1)
    >>> m[2]
    Traceback (most recent call last):
    KeyError: 2
    """

    def __init__(self) -> None:
        self._slots: list[_Slot[V]] = [None] * _MIN_CAPACITY
        self._size = 0
        self._tombstones = 0
        self._version = 0  # bumped by every insert of a new key and every delete
        self.probes = 0

    @property
    def capacity(self) -> int:
        """Number of slots (a power of two, at least 8)."""
        return len(self._slots)

    def __setitem__(self, key: Key, value: V) -> None:
        """Map ``key`` to ``value``, replacing any previous value.

        Raises:
            TypeError: if ``key`` is not a str, bytes or int.

        Complexity: O(1) expected, O(n) when it triggers a resize.

        >>> m = HashMap()
        >>> m["k"] = 1; m["k"]
        1
        >>> m[[1]] = 2
        Traceback (most recent call last):
        TypeError: HashMap keys must be str, bytes or int, got list: [1]
        """
        h = slot_hash(key)
        index, found = self._find(h, key)
        entry = self._slots[index]
        if found and isinstance(entry, _Entry):
            entry.value = value
            return
        if self._slots[index] is None:  # a fresh slot: the load grows
            num, den = MAX_LOAD
            if (self._size + self._tombstones + 1) * den > len(self._slots) * num:
                self._rebuild()
                index, _ = self._find(h, key)
        if self._slots[index] is _TOMBSTONE:
            self._tombstones -= 1
        self._slots[index] = _Entry(h, key, value)
        self._size += 1
        self._version += 1

    def _find(self, h: int, key: Key) -> tuple[int, bool]:
        """Return (slot of ``key``, True), or (slot to insert it in, False).

        The insert slot is the first tombstone on the probe path if there is
        one (reusing it shortens later probes), else the empty slot that ended
        the search.
        """
        mask = len(self._slots) - 1
        index = h & mask
        first_tombstone = -1
        while True:
            self.probes += 1
            slot = self._slots[index]
            if slot is None:
                return (first_tombstone if first_tombstone >= 0 else index), False
            if slot is _TOMBSTONE:
                if first_tombstone < 0:
                    first_tombstone = index
            elif isinstance(slot, _Entry) and slot.hash == h and slot.key == key:
                return index, True
            index = (index + 1) & mask  # linear probing: the next slot, wrapping

    def _rebuild(self) -> None:
        """Re-insert the live entries into a fresh table, dropping every tombstone."""
        num, den = MAX_LOAD
        capacity = _MIN_CAPACITY
        # Leave the new table at most half as full as the limit allows (1/3 for 2/3).
        while (self._size + 1) * den * 2 > capacity * num:
            capacity *= 2
        old = self._slots
        self._slots = [None] * capacity
        self._tombstones = 0
        mask = capacity - 1
        for slot in old:
            if isinstance(slot, _Entry):
                index = slot.hash & mask
                while self._slots[index] is not None:
                    index = (index + 1) & mask
                self._slots[index] = slot

    def __getitem__(self, key: Key) -> V:
        """Return the value mapped to ``key``.

        Raises:
            KeyError: if ``key`` is absent (the error's argument is the key).
            TypeError: if ``key`` is not a str, bytes or int.

        Complexity: O(1) expected.

        >>> m = HashMap()
        >>> m[b"x"] = 0; m[b"x"]
        0
        >>> m["x"]
        Traceback (most recent call last):
        KeyError: 'x'
        """
        index, found = self._find(slot_hash(key), key)
        slot = self._slots[index]
        if not found or not isinstance(slot, _Entry):
            raise KeyError(key)
        return slot.value

    def __delitem__(self, key: Key) -> None:
        """Remove ``key``, leaving a tombstone in its slot.

        Raises:
            KeyError: if ``key`` is absent.
            TypeError: if ``key`` is not a str, bytes or int.

        Complexity: O(1) expected.

        >>> m = HashMap()
        >>> m[5] = "five"; del m[5]; 5 in m
        False
        >>> del m[5]
        Traceback (most recent call last):
        KeyError: 5
        """
        index, found = self._find(slot_hash(key), key)
        if not found:
            raise KeyError(key)
        self._slots[index] = _TOMBSTONE
        self._size -= 1
        self._tombstones += 1
        self._version += 1

    def get(self, key: Key, default: V | None = None) -> V | None:
        """Return the value for ``key``, or ``default`` if it is absent.

        Raises:
            TypeError: if ``key`` is not a str, bytes or int.

        Complexity: O(1) expected.

        >>> HashMap().get("nope", 0)
        0
        """
        index, found = self._find(slot_hash(key), key)
        slot = self._slots[index]
        return slot.value if found and isinstance(slot, _Entry) else default

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is present; False for absent keys *and* unsupported types.

        Complexity: O(1) expected.

        >>> m = HashMap()
        >>> m["a"] = 1
        >>> "a" in m, 1.5 in m
        (True, False)
        """
        if type(key) not in (str, bytes, int):
            return False
        return self._find(slot_hash(key), key)[1]  # type: ignore[arg-type]

    def __len__(self) -> int:
        """Number of keys (tombstones not counted)."""
        return self._size

    def __iter__(self) -> Iterator[Key]:
        """Yield the keys in slot order (deterministic, but not insertion order).

        Raises:
            RuntimeError: from the iterator, if a key is added or deleted
                after it was created (replacing a value is allowed), as a
                ``dict`` does: a rebuild would move entries under the
                iterator and make it skip or repeat keys.

        >>> m = HashMap()
        >>> m["a"] = 1
        >>> for key in m:
        ...     m["b"] = 2
        Traceback (most recent call last):
        RuntimeError: HashMap keys changed during iteration
        """
        return (key for key, _ in self._entries())

    def items(self) -> Iterator[tuple[Key, V]]:
        """Yield ``(key, value)`` pairs in slot order.

        Raises:
            RuntimeError: as iterating over the map does, if a key is added or deleted.

        >>> m = HashMap()
        >>> m["a"] = 1; m["b"] = 2
        >>> sorted(m.items())
        [('a', 1), ('b', 2)]
        """
        return self._entries()

    def _entries(self) -> Iterator[tuple[Key, V]]:
        # Not a generator function: the version is read now, when the iterator
        # is created, so a change before the first next() is caught too.
        version = self._version
        slots = self._slots

        def walk() -> Iterator[tuple[Key, V]]:
            for slot in slots:
                if self._version != version:
                    raise RuntimeError("HashMap keys changed during iteration")
                if isinstance(slot, _Entry):
                    yield slot.key, slot.value
            if self._version != version:
                raise RuntimeError("HashMap keys changed during iteration")

        return walk()

    def load_factor(self) -> float:
        """Fraction of slots that are live entries or tombstones (always <= 2/3)."""
        return (self._size + self._tombstones) / len(self._slots)

    def __repr__(self) -> str:
        pairs = ", ".join(f"{k!r}: {v!r}" for k, v in self.items())
        return f"HashMap({{{pairs}}})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if counts, load, hashes or probe paths are inconsistent."""
        capacity = len(self._slots)
        require(capacity >= _MIN_CAPACITY, f"capacity {capacity} below minimum")
        require(capacity & (capacity - 1) == 0, f"capacity {capacity} not a power of two")
        entries = [(i, s) for i, s in enumerate(self._slots) if isinstance(s, _Entry)]
        tombstones = sum(1 for s in self._slots if s is _TOMBSTONE)
        require(len(entries) == self._size, f"size {self._size} != {len(entries)} entries")
        require(tombstones == self._tombstones, f"tombstone count {self._tombstones} wrong")
        num, den = MAX_LOAD
        require((self._size + tombstones) * den <= capacity * num, "load above 2/3")
        require(len({e.key for _, e in entries}) == len(entries), "duplicate key")
        for index, entry in entries:
            require(entry.hash == slot_hash(entry.key), f"stale hash for {entry.key!r}")
            probe = entry.hash & (capacity - 1)
            while probe != index:  # the path from home to the entry has no empty slot
                require(self._slots[probe] is not None, f"{entry.key!r} unreachable")
                probe = (probe + 1) & (capacity - 1)
