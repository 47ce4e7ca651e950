"""The stream value type: an append-only log of entries, plus consumer groups.

A Redis stream is a log whose entries have increasing ids ``<ms>-<seq>`` (two
unsigned 64-bit numbers: a millisecond time and a sequence number within it)
and hold a few field/value pairs. Readers either scan it by id (``XRANGE``,
``XREAD``) or share it through a *consumer group*: the group remembers the last
id it handed out, and every entry handed to a consumer stays in the group's
*pending entries list* (PEL), with its owner, delivery time and delivery count,
until the consumer acknowledges it (``XACK``) or another consumer claims it
(``XCLAIM``, ``XAUTOCLAIM``). That is at-least-once delivery, as in Kafka.

Redis keeps the entries in a radix tree of listpacks ("nodes" of up to 100
entries, ``stream-node-max-entries``); here a sorted list of ids with a dict of
fields is enough: appends are O(1), lookups O(log n). ``XDEL`` in the middle is
O(n) here, where Redis only marks the entry deleted in its node.

Invariant: ids strictly increase along the log and never exceed
:attr:`Stream.last_id` (which survives deleting the newest entry, so an id is
never reused); each group's PEL is exactly the union of its consumers' lists.

>>> s = Stream()
>>> s.append((1, 0), [b"f", b"v"]); s.append((1, 1), [b"g", b"w"])
>>> s.range((0, 0), MAX_ID), s.delete((1, 0)), len(s), s.last_id
([((1, 0), [b'f', b'v']), ((1, 1), [b'g', b'w'])], True, 1, (1, 1))
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from studybook.senior.build_redis._validate import check_int

__all__ = [
    "MAX_ID",
    "NODE_ENTRIES",
    "U64_MAX",
    "ConsumerGroup",
    "PendingEntry",
    "Stream",
    "StreamId",
    "check_id",
    "format_id",
]

StreamId = tuple[int, int]
"""An entry id as (milliseconds, sequence); tuples compare the way Redis compares ids."""

U64_MAX = 2**64 - 1
MAX_ID: StreamId = (U64_MAX, U64_MAX)
NODE_ENTRIES = 100
"""Entries per node (Redis' default ``stream-node-max-entries``): approximate
trimming (``MAXLEN ~``) removes only whole nodes."""


def format_id(entry_id: StreamId) -> bytes:
    """An id as Redis writes it.

    >>> format_id((1700000000000, 3))
    b'1700000000000-3'
    """
    return b"%d-%d" % entry_id


def check_id(entry_id: object) -> StreamId:
    """Return ``entry_id`` if it is a (ms, seq) pair of ints in 0..2**64 - 1.

    >>> check_id((1, 2))
    (1, 2)
    >>> check_id((1, -2))
    Traceback (most recent call last):
        ...
    ValueError: a stream id is two ints in 0..2**64-1, got (1, -2)
    """
    if (
        not isinstance(entry_id, tuple)
        or len(entry_id) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in entry_id)
    ):
        raise TypeError(f"a stream id is a (ms, seq) tuple of ints, got {entry_id!r}")
    if not all(0 <= x <= U64_MAX for x in entry_id):
        raise ValueError(f"a stream id is two ints in 0..2**64-1, got {entry_id!r}")
    return entry_id


@dataclass
class PendingEntry:
    """One delivered, unacknowledged entry: who has it, since when (ms), how often delivered."""

    consumer: bytes
    delivery_time: int
    delivery_count: int


@dataclass
class ConsumerGroup:
    """A consumer group: the last id it delivered and its pending entries list (PEL).

    >>> g = ConsumerGroup(last_id=(0, 0))
    >>> g.deliver((1, 0), b"ann", now=5), g.deliver((1, 0), b"bob", now=9)
    (True, False)
    >>> g.pel[(1, 0)]
    PendingEntry(consumer=b'bob', delivery_time=9, delivery_count=1)
    >>> g.consumers
    {b'ann': [], b'bob': [(1, 0)]}
    >>> g.ack((1, 0)), g.ack((1, 0)), g.pel
    (True, False, {})
    """

    last_id: StreamId
    pel: dict[StreamId, PendingEntry] = field(default_factory=dict)
    consumers: dict[bytes, list[StreamId]] = field(default_factory=dict)
    """Each consumer's own pending ids, sorted (a consumer may own none)."""
    _pel_ids: list[StreamId] = field(default_factory=list)

    def add_consumer(self, name: bytes) -> bool:
        """Create consumer ``name`` if missing; True if it was created. O(1)."""
        if name in self.consumers:
            return False
        self.consumers[name] = []
        return True

    def deliver(self, entry_id: StreamId, consumer: bytes, now: int) -> bool:
        """Record a first delivery of ``entry_id`` to ``consumer`` (count 1).

        An id already pending (the group's last id was moved back with
        ``XGROUP SETID``) changes owner and starts over, as in Redis.
        Returns True if the id was not pending before. Complexity: O(n) insert.
        """
        self.add_consumer(consumer)
        old = self.pel.get(entry_id)
        if old is None:
            bisect.insort(self._pel_ids, entry_id)
        else:
            _remove_sorted(self.consumers[old.consumer], entry_id)
        self.pel[entry_id] = PendingEntry(consumer, now, 1)
        bisect.insort(self.consumers[consumer], entry_id)
        return old is None

    def claim(self, entry_id: StreamId, consumer: bytes) -> PendingEntry:
        """Give the pending ``entry_id`` to ``consumer`` (created if missing). O(n)."""
        self.add_consumer(consumer)
        nack = self.pel[entry_id]
        if nack.consumer != consumer:
            _remove_sorted(self.consumers[nack.consumer], entry_id)
            bisect.insort(self.consumers[consumer], entry_id)
            nack.consumer = consumer
        return nack

    def ack(self, entry_id: StreamId) -> bool:
        """Drop ``entry_id`` from the PEL; True if it was pending. O(n)."""
        nack = self.pel.pop(entry_id, None)
        if nack is None:
            return False
        _remove_sorted(self._pel_ids, entry_id)
        _remove_sorted(self.consumers[nack.consumer], entry_id)
        return True

    def delete_consumer(self, name: bytes) -> int:
        """Remove a consumer and its pending entries; return how many it had. O(k n)."""
        owned = self.consumers.pop(name)
        for entry_id in owned:
            del self.pel[entry_id]
            _remove_sorted(self._pel_ids, entry_id)
        return len(owned)

    def pending_ids(
        self, start: StreamId, end: StreamId, consumer: bytes | None = None
    ) -> list[StreamId]:
        """Pending ids from ``start`` to ``end`` inclusive, of one consumer or all. O(log n + k)."""
        ids = self._pel_ids if consumer is None else self.consumers.get(consumer, [])
        return ids[bisect.bisect_left(ids, start) : bisect.bisect_right(ids, end)]

    def _check_invariants(self) -> None:
        if self._pel_ids != sorted(self.pel):
            raise AssertionError("PEL index out of sync")
        owned = [i for ids in self.consumers.values() for i in ids]
        if sorted(owned) != self._pel_ids:
            raise AssertionError("consumers' lists are not a partition of the PEL")
        for name, ids in self.consumers.items():
            if ids != sorted(ids) or any(self.pel[i].consumer != name for i in ids):
                raise AssertionError(f"consumer {name!r} list wrong")


def _remove_sorted(ids: list[StreamId], entry_id: StreamId) -> None:
    del ids[bisect.bisect_left(ids, entry_id)]


class Stream:
    """An append-only log of (id, fields) entries with consumer groups.

    Unlike the other containers, an empty stream is kept (``XGROUP CREATE ...
    MKSTREAM`` makes one, and its groups and last id must survive).

    Complexity: append O(1); lookup and range O(log n + k); delete O(n).
    """

    def __init__(self) -> None:
        self.last_id: StreamId = (0, 0)
        """The largest id ever added; new ids must exceed it, even after it was deleted."""
        self.groups: dict[bytes, ConsumerGroup] = {}
        """The consumer groups by name."""
        self._ids: list[StreamId] = []
        self._fields: dict[StreamId, list[bytes]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def append(self, entry_id: StreamId, fields: list[bytes]) -> None:
        """Add an entry whose id is greater than :attr:`last_id`.

        Args:
            entry_id: (ms, seq), each in 0..2**64 - 1.
            fields: field, value, field, value... (bytes, at least one pair).

        Raises:
            TypeError: an id part is not an int, or a field not bytes.
            ValueError: the id is out of range or does not increase, or the
                fields are not whole pairs.

        Complexity: O(1).

        >>> s = Stream(); s.append((5, 0), [b"f", b"v"])
        >>> s.append((5, 0), [b"f", b"v"])
        Traceback (most recent call last):
            ...
        ValueError: id must exceed (5, 0), got (5, 0)
        """
        check_id(entry_id)
        if not isinstance(fields, list) or not all(isinstance(f, bytes) for f in fields):
            raise TypeError(f"fields must be a list of bytes, got {fields!r}")
        if not fields or len(fields) % 2:
            raise ValueError(f"fields must be field/value pairs, got {fields!r}")
        if entry_id <= self.last_id:
            raise ValueError(f"id must exceed {self.last_id!r}, got {entry_id!r}")
        self._ids.append(entry_id)
        self._fields[entry_id] = fields
        self.last_id = entry_id

    def next_id(self, now_ms: int) -> StreamId:
        """The id ``XADD *`` gives at ``now_ms``: the time, or one past the last id. O(1)."""
        ms, seq = self.last_id
        if now_ms > ms:
            return (now_ms, 0)
        return (ms, seq + 1) if seq < U64_MAX else (ms + 1, 0)

    def get(self, entry_id: StreamId) -> list[bytes] | None:
        """The fields of ``entry_id``, or None if there is no such entry. O(1)."""
        return self._fields.get(entry_id)

    def last_entry_id(self) -> StreamId:
        """Id of the newest entry still present, (0, 0) if empty. O(1)."""
        return self._ids[-1] if self._ids else (0, 0)

    def range(
        self, start: StreamId, end: StreamId, count: int = 0, *, reverse: bool = False
    ) -> list[tuple[StreamId, list[bytes]]]:
        """Entries with start <= id <= end, oldest first (newest with ``reverse``).

        ``count`` > 0 limits how many. Complexity: O(log n + k).
        """
        lo = bisect.bisect_left(self._ids, start)
        hi = max(lo, bisect.bisect_right(self._ids, end))
        ids = self._ids[lo:hi]
        if reverse:
            ids.reverse()
        if count > 0:
            ids = ids[:count]
        return [(i, self._fields[i]) for i in ids]

    def delete(self, entry_id: StreamId) -> bool:
        """Remove one entry (its id stays used); True if it was there. O(n)."""
        if self._fields.pop(entry_id, None) is None:
            return False
        _remove_sorted(self._ids, entry_id)
        return True

    def trim(
        self,
        *,
        maxlen: int | None = None,
        minid: StreamId | None = None,
        approx: bool = False,
        limit: int = 0,
    ) -> int:
        """Remove the oldest entries beyond ``maxlen`` or below ``minid``; return how many.

        With ``approx`` only whole nodes of :data:`NODE_ENTRIES` go, counted
        from the oldest entry, and at most ``limit`` entries (0: no limit):
        a model of Redis' node layout that holds while no entry was deleted
        from the middle and entries are small (Redis also closes a node at
        4 KiB, ``stream-node-max-bytes``).

        Raises:
            ValueError: not exactly one of ``maxlen`` and ``minid``, or a negative number.

        Complexity: O(removed) plus one list shift.

        >>> s = Stream()
        >>> for ms in range(1, 6):
        ...     s.append((ms, 0), [b"f", b"v"])
        >>> s.trim(maxlen=3), s.trim(minid=(5, 0)), s.trim(maxlen=0, approx=True), len(s)
        (2, 2, 1, 0)
        """
        if (maxlen is None) == (minid is None):
            raise ValueError(f"give one of maxlen and minid, got {maxlen!r} and {minid!r}")
        if maxlen is not None:
            check_int("maxlen", maxlen, 0)
        if minid is not None:
            check_id(minid)
        check_int("limit", limit, 0)
        if approx:
            removed = 0
            while True:
                node = self._ids[removed : removed + NODE_ENTRIES]
                if not node or (limit and removed + len(node) > limit):
                    break
                if maxlen is not None and len(self._ids) - removed - len(node) < maxlen:
                    break
                if minid is not None and node[-1] >= minid:
                    break
                removed += len(node)
        elif maxlen is not None:
            removed = max(0, len(self._ids) - maxlen)
        else:
            removed = bisect.bisect_left(self._ids, minid if minid is not None else (0, 0))
        for entry_id in self._ids[:removed]:
            del self._fields[entry_id]
        del self._ids[:removed]
        return removed

    def _check_invariants(self) -> None:
        if any(a >= b for a, b in zip(self._ids, self._ids[1:], strict=False)):
            raise AssertionError("ids do not increase")
        if set(self._ids) != set(self._fields) or len(self._ids) != len(self._fields):
            raise AssertionError("id index and entries disagree")
        if self._ids and self._ids[-1] > self.last_id:
            raise AssertionError("an entry is newer than last_id")
        for group in self.groups.values():
            group._check_invariants()
