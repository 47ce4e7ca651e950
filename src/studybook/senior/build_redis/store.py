"""The keyspace: typed values, TTLs (lazy plus active expiry) and LRU eviction.

One ``OrderedDict`` maps each key to its value and doubles as the LRU list: a
lookup moves the key to the end, so the first key is the least recently used.
A second dict holds absolute deadlines in milliseconds for keys with a TTL. A
key past its deadline is deleted when touched (*lazy* expiry) or by
:meth:`Store.active_expire_cycle`, which samples keys with a TTL the way the
Redis ``EXPIRE`` documentation describes (test 20 random keys, delete the
expired ones, repeat while more than 25% were expired). Every deletion caused
by expiry or eviction is recorded in :attr:`Store.effects` as ``DEL key`` so the
append-only file stays a faithful log (Redis propagates the same ``DEL``).

Values: ``bytes`` (string), ``deque`` (list), ``dict`` (hash), ``set`` (set),
:class:`SortedSet` (zset) and :class:`~studybook.senior.build_redis.stream.Stream`.
An emptied container is deleted, as in Redis, except a stream: its consumer
groups and last id outlive its entries.
"""

from __future__ import annotations

import bisect
import random
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator

from studybook.senior.build_redis._validate import check_int
from studybook.senior.build_redis.stream import Stream

__all__ = ["SortedSet", "Store", "Value", "WrongTypeError"]


class WrongTypeError(TypeError):
    """A command met a key holding another type (Redis' ``WRONGTYPE`` error)."""

    def __init__(self) -> None:
        super().__init__("WRONGTYPE Operation against a key holding the wrong kind of value")


class SortedSet:
    """Members with float scores, ordered by (score, member): a dict plus a sorted list.

    Redis uses a skip list plus a hash table for O(log n) updates; a sorted Python
    list gives O(log n) search and O(n) insert (a memmove), which is fast at
    the sizes this chapter uses and much shorter to read.

    >>> z = SortedSet()
    >>> z.add(b"b", 2.0), z.add(b"a", 2.0), z.add(b"b", 1.0)
    (True, True, False)
    >>> z.items()
    [(1.0, b'b'), (2.0, b'a')]
    >>> z.rank(b"a"), z.rank(b"zz")
    (1, None)
    """

    def __init__(self) -> None:
        self.scores: dict[bytes, float] = {}
        self._sorted: list[tuple[float, bytes]] = []

    def __len__(self) -> int:
        return len(self.scores)

    def add(self, member: bytes, score: float) -> bool:
        """Set ``member``'s score; return True if it was new. Complexity: O(n)."""
        old = self.scores.get(member)
        if old is not None:
            if old == score:
                return False
            del self._sorted[bisect.bisect_left(self._sorted, (old, member))]
        self.scores[member] = score
        bisect.insort(self._sorted, (score, member))
        return old is None

    def remove(self, member: bytes) -> bool:
        """Remove ``member``; return True if it was there. Complexity: O(n)."""
        score = self.scores.pop(member, None)
        if score is None:
            return False
        del self._sorted[bisect.bisect_left(self._sorted, (score, member))]
        return True

    def rank(self, member: bytes) -> int | None:
        """0-based position of ``member`` by score, or None. Complexity: O(log n)."""
        score = self.scores.get(member)
        if score is None:
            return None
        return bisect.bisect_left(self._sorted, (score, member))

    def items(self, start: int = 0, stop: int | None = None) -> list[tuple[float, bytes]]:
        """(score, member) pairs in order, sliced like a list. Complexity: O(log n + k)."""
        return self._sorted[start:stop]

    def score_range(self, lo: float, lo_open: bool, hi: float, hi_open: bool) -> tuple[int, int]:
        """Index range [i, j) of members with lo <(=) score <(=) hi. Complexity: O(log n)."""
        i = _bisect_score(self._sorted, lo, after=lo_open)
        j = _bisect_score(self._sorted, hi, after=not hi_open)
        return i, max(i, j)

    def _check_invariants(self) -> None:
        if sorted(self._sorted) != self._sorted:
            raise AssertionError("sorted list out of order")
        if {m: s for s, m in self._sorted} != self.scores:
            raise AssertionError("sorted list and score dict disagree")


Value = bytes | deque[bytes] | dict[bytes, bytes] | set[bytes] | SortedSet | Stream
"""What a key can hold (string, list, hash, set, sorted set or stream)."""


def _bisect_score(items: list[tuple[float, bytes]], score: float, *, after: bool) -> int:
    """First index whose score is > score (after) or >= score (not after)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        s = items[mid][0]
        if s < score or (after and s == score):
            lo = mid + 1
        else:
            hi = mid
    return lo


ACTIVE_EXPIRE_SAMPLE = 20
"""Keys with a TTL tested per active-expiry round (the Redis ``EXPIRE`` docs' figure)."""
ACTIVE_EXPIRE_REPEAT = 0.25
"""Repeat a round while more than this fraction of the sample had expired."""


class Store:
    """A Redis keyspace: :meth:`get` and :meth:`set` plus TTL and LRU bookkeeping.

    Args:
        clock: seconds since the epoch (``time.time``); TTLs are absolute
            millisecond deadlines on this clock, as in Redis, so they survive a restart.
        maxkeys: evict the least recently used key when a new key would exceed this.
        rng: random generator for active-expiry sampling.

    Complexity: O(1) average per key operation.

    >>> now = [1000.0]
    >>> s = Store(clock=lambda: now[0], maxkeys=2)
    >>> s.set(b"a", b"1"); s.set(b"b", b"2"); s.set_deadline(b"a", 1000_500)
    >>> _ = s.get(b"b"); s.set(b"c", b"3")        # a is least recently used
    >>> sorted(s.live_keys()), s.effects
    ([b'b', b'c'], [[b'DEL', b'a']])
    >>> Store(maxkeys=0)
    Traceback (most recent call last):
        ...
    ValueError: maxkeys must be at least 1, got 0
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        maxkeys: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if maxkeys is not None:
            check_int("maxkeys", maxkeys, 1)
        self.clock = clock
        self.maxkeys = maxkeys
        self.rng = rng if rng is not None else random.Random(0)  # noqa: S311 - sampling, not security
        self.loading = False
        """While True (replaying the AOF) nothing expires, as in Redis' loading state."""
        self.dirty = 0
        """Count of changes; a command changed the data iff it moved this counter."""
        self.effects: list[list[bytes]] = []
        """Changes to log in the AOF (each write command, and ``DEL`` for expiry and eviction)."""
        self.record_effects = True
        """Whether commands log their changes in :attr:`effects` (a server without an
        AOF turns this off: rewriting ``SET ... EX`` for a log nobody writes cost
        about a third of SET's time)."""
        self.evicted = 0
        self.expired = 0
        self._data: OrderedDict[bytes, Value] = OrderedDict()
        self._deadlines: dict[bytes, int] = {}
        self._volatile: list[bytes] = []  # keys with a deadline, for O(1) random sampling
        self._volatile_pos: dict[bytes, int] = {}
        self._watched: dict[bytes, int] = {}  # key -> number of WATCHes on it
        self._versions: dict[bytes, int] = {}  # key -> last change, for watched keys only

    def now_ms(self) -> int:
        """The clock in whole milliseconds. Complexity: O(1)."""
        return int(self.clock() * 1000)

    # ------------------------------------------------------------ lookup

    def get(self, key: bytes) -> Value | None:
        """Return the live value at ``key`` (expiring it lazily) and mark it recently used.

        Complexity: O(1) average.

        >>> s = Store(); s.set(b"k", b"v")
        >>> s.get(b"k"), s.get(b"missing")
        (b'v', None)
        """
        value = self._data.get(key)
        if value is None:
            return None
        if key in self._deadlines and self._expire_if_due(key):
            return None
        self._data.move_to_end(key)
        return value

    def get_typed(self, key: bytes, kind: type) -> Value | None:
        """Like :meth:`get` but raise :class:`WrongTypeError` if the value is not ``kind``.

        Complexity: O(1) average.

        >>> s = Store(); s.set(b"k", b"v")
        >>> try:
        ...     s.get_typed(b"k", dict)
        ... except WrongTypeError as exc:
        ...     print(exc)
        WRONGTYPE Operation against a key holding the wrong kind of value
        """
        value = self.get(key)
        if value is not None and not isinstance(value, kind):
            raise WrongTypeError
        return value

    def contains(self, key: bytes) -> bool:
        """True if ``key`` holds a live value. Complexity: O(1) average."""
        return self.get(key) is not None

    def live_keys(self) -> Iterator[bytes]:
        """Live keys, least recently used first (expired ones skipped, not deleted).

        Complexity: O(n).
        """
        now = self.now_ms()
        for key in list(self._data):
            deadline = self._deadlines.get(key)
            if deadline is None or self.loading or deadline > now:
                yield key

    def __len__(self) -> int:
        return len(self._data)

    # ------------------------------------------------------------ mutation

    def set(self, key: bytes, value: Value, *, keep_ttl: bool = False) -> None:
        """Store ``value`` at ``key`` (clearing its TTL unless ``keep_ttl``); may evict.

        Complexity: O(1) average.
        """
        if key not in self._data:
            self._make_room()
        self._data[key] = value
        self._data.move_to_end(key)
        if not keep_ttl:
            self._clear_deadline(key)
        self.touch(key)

    def delete(self, key: bytes) -> bool:
        """Remove ``key``; True if it held a live value.

        Complexity: O(1) average.

        >>> s = Store(); s.set(b"k", b"v")
        >>> s.delete(b"k"), s.delete(b"k")
        (True, False)
        """
        if self.get(key) is None:
            return False
        self._remove(key)
        self.touch(key)
        return True

    def touch(self, key: bytes) -> None:
        """Record that ``key`` changed (bump :attr:`dirty` and its WATCH version). O(1)."""
        self.dirty += 1
        if key in self._watched:
            self._versions[key] = self.dirty

    def flush(self) -> None:
        """Remove every key (FLUSHALL / FLUSHDB). Complexity: O(n).

        A WATCH on a key that existed is invalidated; one on a missing key is
        not (nothing changed for it), as Redis 7's ``touchAllWatchedKeysInDb``.

        >>> s = Store(); s.set(b"k", b"v")
        >>> here, absent = s.watch(b"k"), s.watch(b"absent")
        >>> s.flush()
        >>> s.version(b"k") == here, s.version(b"absent") == absent, len(s)
        (False, True, 0)
        """
        self.dirty += 1
        for key in self._watched:
            if key in self._data:
                self._versions[key] = self.dirty
        self._data.clear()
        self._deadlines.clear()
        self._volatile.clear()
        self._volatile_pos.clear()

    def drop_if_empty(self, key: bytes, value: Value) -> None:
        """Delete ``key`` if its container ``value`` became empty (Redis never keeps one). O(1)."""
        if not isinstance(value, (bytes, Stream)) and len(value) == 0:
            self._remove(key)

    # ------------------------------------------------------------ TTL

    def deadline(self, key: bytes) -> int | None:
        """Absolute expiry time of ``key`` in ms, or None if it has no TTL. Complexity: O(1)."""
        return self._deadlines.get(key)

    def set_deadline(self, key: bytes, deadline_ms: int) -> None:
        """Expire the existing ``key`` at ``deadline_ms`` (deleting it now if that is past).

        Complexity: O(1) average.

        >>> now = [10.0]
        >>> s = Store(clock=lambda: now[0]); s.set(b"k", b"v"); s.set_deadline(b"k", 10_500)
        >>> s.deadline(b"k"), s.get(b"k"), s.set_deadline(b"k", 0), s.get(b"k")
        (10500, b'v', None, None)
        """
        if deadline_ms <= self.now_ms() and not self.loading:
            self._remove(key)
        else:
            if key not in self._volatile_pos:
                self._volatile_pos[key] = len(self._volatile)
                self._volatile.append(key)
            self._deadlines[key] = deadline_ms
        self.touch(key)

    def volatile_count(self) -> int:
        """How many keys have a TTL (``expires=`` in ``INFO keyspace``). Complexity: O(1)."""
        return len(self._deadlines)

    def persist(self, key: bytes) -> bool:
        """Remove ``key``'s TTL; True if it had one. Complexity: O(1)."""
        if key not in self._deadlines:
            return False
        self._clear_deadline(key)
        self.touch(key)
        return True

    def active_expire_cycle(self, *, max_rounds: int = 16) -> int:
        """Delete expired keys found by random sampling; return how many were deleted.

        Complexity: O(ACTIVE_EXPIRE_SAMPLE * rounds), independent of the key count.
        """
        if self.loading:
            return 0
        removed = 0
        for _ in range(max_rounds):
            if not self._volatile:
                break
            sample = [self.rng.choice(self._volatile) for _ in range(ACTIVE_EXPIRE_SAMPLE)]
            hits = sum(1 for key in dict.fromkeys(sample) if self._expire_if_due(key))
            removed += hits
            if hits <= ACTIVE_EXPIRE_REPEAT * ACTIVE_EXPIRE_SAMPLE:
                break
        return removed

    def _expire_if_due(self, key: bytes) -> bool:
        deadline = self._deadlines.get(key)
        if deadline is None or self.loading or deadline > self.now_ms():
            return False
        self._remove(key)
        self.touch(key)
        self.expired += 1
        self.effects.append([b"DEL", key])
        return True

    def _clear_deadline(self, key: bytes) -> None:
        if self._deadlines.pop(key, None) is None:
            return
        i = self._volatile_pos.pop(key)
        last = self._volatile.pop()
        if last != key:  # swap-remove keeps the list dense for rng.choice
            self._volatile[i] = last
            self._volatile_pos[last] = i

    def _remove(self, key: bytes) -> None:
        del self._data[key]
        self._clear_deadline(key)

    def _make_room(self) -> None:
        if self.maxkeys is None or self.loading:
            return
        while len(self._data) >= self.maxkeys:
            victim = next(iter(self._data))
            self._remove(victim)
            self.touch(victim)
            self.evicted += 1
            self.effects.append([b"DEL", victim])

    # ------------------------------------------------------------ WATCH

    def watch(self, key: bytes) -> int:
        """Start watching ``key``; return the version token EXEC compares against. O(1)."""
        self._watched[key] = self._watched.get(key, 0) + 1
        return self._versions.get(key, 0)

    def unwatch(self, key: bytes) -> None:
        """Stop one watch on ``key``. Complexity: O(1)."""
        count = self._watched.get(key, 0) - 1
        if count <= 0:
            self._watched.pop(key, None)
            self._versions.pop(key, None)
        else:
            self._watched[key] = count

    def version(self, key: bytes) -> int:
        """Current version token of a watched ``key`` (expiring it first if due). O(1)."""
        self.get(key)
        return self._versions.get(key, 0)

    def _check_invariants(self) -> None:
        if set(self._deadlines) - set(self._data):
            raise AssertionError("deadline for a missing key")
        if set(self._volatile) != set(self._deadlines) or len(self._volatile) != len(
            self._deadlines
        ):
            raise AssertionError("volatile index out of sync")
        for i, key in enumerate(self._volatile):
            if self._volatile_pos[key] != i:
                raise AssertionError("volatile position wrong")
        for key, value in self._data.items():
            if not isinstance(value, (bytes, Stream)) and len(value) == 0:
                raise AssertionError(f"empty container kept at {key!r}")
            if isinstance(value, (SortedSet, Stream)):
                value._check_invariants()
        if self.maxkeys is not None and not self.loading and len(self._data) > self.maxkeys:
            raise AssertionError("more keys than maxkeys")
