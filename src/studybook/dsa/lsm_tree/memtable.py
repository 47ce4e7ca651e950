"""The memtable: the sorted, in-memory buffer that absorbs every write.

Writes go to the memtable (after the write-ahead log) and become an SSTable
when it grows past ``memtable_bytes``. A delete cannot simply remove the key:
an older table may still hold it, so the memtable records a *tombstone*, a
marker distinct from every ``bytes`` value (``b""`` is a legal value).

Invariant: ``_keys`` is the sorted list of the dict's keys, and
``size_bytes`` is the sum of ``len(key) + len(value)`` over the entries
(a tombstone counts its key only).

=========================  ==================================================
operation                  cost
=========================  ==================================================
``get``                    O(1) (dict lookup)
``put`` / ``delete``       O(1) for an existing key, O(n) for a new key
                           (``bisect.insort`` shifts the list with a memmove)
``items(start, end)``      O(log n + k) for k entries in the range
=========================  ==================================================

LevelDB and RocksDB use a skip list instead (O(log n) inserts, lock-free
reads); a dict plus a sorted list is the simplest structure with the same
contract (O'Neil et al., "The Log-Structured Merge-Tree", Acta Informatica 1996,
calls this component C0).

>>> table = Memtable()
>>> table.put(b"b", b"2"); table.put(b"a", b""); table.delete(b"c")
>>> table.items()
[(b'a', b''), (b'b', b'2'), (b'c', TOMBSTONE)]
"""

from __future__ import annotations

import bisect
import enum
from typing import Final, TypeAlias

__all__ = ["TOMBSTONE", "Memtable", "Tombstone", "Value"]


class Tombstone(enum.Enum):
    """The type of :data:`TOMBSTONE`, the marker that records a delete."""

    TOMBSTONE = "tombstone"

    def __repr__(self) -> str:
        return "TOMBSTONE"


TOMBSTONE: Final = Tombstone.TOMBSTONE
"""Marks a deleted key in memtables, logs and tables until compaction drops it."""

Value: TypeAlias = bytes | Tombstone
"""What a layer below the API stores for a key (a value or a tombstone)."""


class Memtable:
    """Sorted in-memory map from ``bytes`` keys to values or tombstones.

    Complexity: see the module table.

    >>> table = Memtable()
    >>> len(table), table.size_bytes
    (0, 0)
    """

    def __init__(self) -> None:
        self._entries: dict[bytes, Value] = {}
        self._keys: list[bytes] = []
        self._size_bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        """Key plus value bytes held, which is what the flush threshold is compared to."""
        return self._size_bytes

    def put(self, key: bytes, value: Value) -> None:
        """Map ``key`` to ``value`` (a tombstone is allowed: that is a delete).

        Args:
            key: the key.
            value: the new value, or :data:`TOMBSTONE`.

        Raises:
            TypeError: if ``key`` is not ``bytes`` or ``value`` is neither
                ``bytes`` nor :data:`TOMBSTONE`.

        Complexity: O(1) to overwrite, O(n) to insert a new key.

        >>> table = Memtable()
        >>> table.put(b"k", b"v"); table.put(b"k", b""); table.items()
        [(b'k', b'')]
        >>> table.size_bytes
        1
        >>> table.put(b"k", None)
        Traceback (most recent call last):
        TypeError: value must be bytes or TOMBSTONE, got NoneType
        """
        if not isinstance(key, bytes):
            raise TypeError(f"key must be bytes, got {type(key).__name__}")
        if not isinstance(value, bytes | Tombstone):
            raise TypeError(f"value must be bytes or TOMBSTONE, got {type(value).__name__}")
        old = self._entries.get(key)
        if old is None:
            bisect.insort(self._keys, key)
            self._size_bytes += len(key)
        else:
            self._size_bytes -= _value_size(old)
        self._entries[key] = value
        self._size_bytes += _value_size(value)

    def delete(self, key: bytes) -> None:
        """Record a tombstone for ``key`` (even if absent: a table may hold it).

        Args:
            key: the key to delete.

        Raises:
            TypeError: if ``key`` is not ``bytes``.

        Complexity: as :meth:`put`.

        >>> table = Memtable()
        >>> table.delete(b"gone"); table.get(b"gone")
        TOMBSTONE
        >>> table.delete("gone")
        Traceback (most recent call last):
        TypeError: key must be bytes, got str
        """
        self.put(key, TOMBSTONE)

    def get(self, key: bytes) -> Value | None:
        """Return the value or tombstone for ``key``, or ``None`` if absent here.

        ``None`` is unambiguous because neither layer below stores it: absent
        means "look in the tables", :data:`TOMBSTONE` means "deleted, stop".

        Args:
            key: the key to look up.

        Returns:
            The stored value, :data:`TOMBSTONE`, or ``None``.

        Raises:
            TypeError: if ``key`` is not ``bytes``.

        Complexity: O(1).

        >>> table = Memtable(); table.put(b"k", b"")
        >>> table.get(b"k"), table.get(b"other")
        (b'', None)
        >>> table.get(bytearray(b"k"))
        Traceback (most recent call last):
        TypeError: key must be bytes, got bytearray
        """
        if not isinstance(key, bytes):
            raise TypeError(f"key must be bytes, got {type(key).__name__}")
        return self._entries.get(key)

    def items(
        self, start: bytes | None = None, end: bytes | None = None
    ) -> list[tuple[bytes, Value]]:
        """Return a sorted snapshot of the entries with ``start <= key < end``.

        A list, not a view: a scan keeps iterating its snapshot while new
        writes (or a flush that empties this memtable) go on.

        Args:
            start: first key included, or ``None`` for no lower bound.
            end: first key excluded, or ``None`` for no upper bound.

        Returns:
            ``(key, value)`` pairs in key order, tombstones included.

        Raises:
            ValueError: if both bounds are given and ``start > end``.

        Complexity: O(log n + k) for k entries returned.

        >>> table = Memtable()
        >>> for key in (b"a", b"b", b"c"): table.put(key, key.upper())
        >>> table.items(b"b"), table.items(b"b", b"b")
        ([(b'b', b'B'), (b'c', b'C')], [])
        >>> table.items(b"c", b"a")
        Traceback (most recent call last):
        ValueError: start must be <= end, got start=b'c', end=b'a'
        """
        if start is not None and end is not None and start > end:
            raise ValueError(f"start must be <= end, got start={start!r}, end={end!r}")
        low = 0 if start is None else bisect.bisect_left(self._keys, start)
        high = len(self._keys) if end is None else bisect.bisect_left(self._keys, end)
        return [(key, self._entries[key]) for key in self._keys[low:high]]

    def _check_invariants(self) -> None:
        if self._keys != sorted(self._entries):
            raise AssertionError("memtable key list is not the sorted dict keys")
        expected = sum(len(key) + _value_size(value) for key, value in self._entries.items())
        if self._size_bytes != expected:
            raise AssertionError(f"size_bytes is {self._size_bytes}, entries hold {expected}")


def _value_size(value: Value) -> int:
    return 0 if isinstance(value, Tombstone) else len(value)
