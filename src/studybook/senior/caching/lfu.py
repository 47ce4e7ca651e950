"""An LFU cache with O(1) ``get`` and ``put`` (LeetCode 460 semantics).

When full, the cache evicts the key used the fewest times; among keys tied on
that count it evicts the one used least recently. ``get`` of a present key and
``put`` of any key each count as one use; a new key starts at count 1.

The O(1) design (Shah, Mitra and Matani, 2010): a hash map from key to item,
and a doubly linked list of *frequency nodes* in increasing count, each holding
the items with that count; a use moves an item to the next frequency node
(creating it if absent), and eviction takes an item from the head node, the
least frequent. This module keeps the same idea with Python dicts, as most
LeetCode 460 solutions do: a dict from count to its keys in recency order (so
ties go to the least recently used, which LeetCode requires), and instead of a
list of frequency nodes an integer ``_min_freq``, which can only fall to 1 (a
new key) or rise by one (the last key at ``_min_freq`` was used), so it never
needs a search. ``dict`` keeps insertion order, so a dict of keys per count is
the recency list: the first key is the oldest.

Invariant: every key is in exactly one count bucket, buckets are never empty,
``_min_freq`` is the smallest bucket, and there are at most ``capacity`` keys.

=========  ======  ============================================
operation  cost    effect on use count
=========  ======  ============================================
get        O(1)    a hit counts one use
put        O(1)    counts one use; may evict the LFU (then LRU)
in, len    O(1)    none
=========  ======  ============================================

>>> cache = LFUCache(2)
>>> cache.put(1, "a"); cache.put(2, "b"); cache.get(1)
'a'
>>> cache.put(3, "c")  # 2 was used once, 1 twice: 2 goes
>>> cache.get(2, "gone"), cache.get(3)
('gone', 'c')

Primary sources: LeetCode problem 460 "LFU Cache"; K. Shah, A. Mitra, D.
Matani, "An O(1) algorithm for implementing the LFU cache eviction scheme",
2010.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from studybook._validate import check_int

__all__ = ["LFUCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


class LFUCache(Generic[K, V]):
    """A fixed-capacity map that evicts the least frequently used key, ties by recency.

    Args:
        capacity: the most entries it holds, >= 1.

    Raises:
        TypeError: ``capacity`` is not an int (``bool`` included).
        ValueError: ``capacity`` < 1.

    Attributes:
        hits: ``get`` calls that found their key.
        misses: ``get`` calls that did not.
        evictions: keys evicted to make room.

    Complexity: O(1) per operation, O(capacity) memory.

    >>> LFUCache(0)
    Traceback (most recent call last):
        ...
    ValueError: capacity must be >= 1, got 0
    >>> LFUCache(True)
    Traceback (most recent call last):
        ...
    TypeError: capacity must be an int, got bool: True
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = check_int(capacity, "capacity", minimum=1)
        self._values: dict[K, V] = {}
        self._freq: dict[K, int] = {}
        # count -> keys with that count, least recently used first (dict order).
        self._buckets: dict[int, dict[K, None]] = {}
        self._min_freq = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        """Return whether ``key`` is cached, without counting a use.

        >>> cache = LFUCache(1); cache.put("k", 1)
        >>> "k" in cache, "q" in cache, ["k"] in cache
        (True, False, False)
        """
        try:
            return key in self._values
        except TypeError:
            return False

    def get(self, key: K, default: D | None = None) -> V | D | None:
        """Return the value for ``key`` and count one use of it.

        Args:
            key: a hashable key.
            default: returned when ``key`` is absent (so ``None`` can be cached).

        Raises:
            TypeError: ``key`` is not hashable.

        Complexity: O(1).

        >>> cache = LFUCache(1); cache.put("k", None)
        >>> cache.get("k", "absent"), cache.get("q", "absent")
        (None, 'absent')
        >>> cache.get(["k"])
        Traceback (most recent call last):
            ...
        TypeError: key must be hashable, got list: ['k']
        """
        _check_hashable(key)
        if key not in self._values:
            self.misses += 1
            return default
        self.hits += 1
        self._touch(key)
        return self._values[key]

    def put(self, key: K, value: V) -> None:
        """Insert or update ``key``, counting one use; evict the LFU key first if full.

        An update keeps the key's count and adds one, as in LeetCode 460.

        Raises:
            TypeError: ``key`` is not hashable.

        Complexity: O(1).

        >>> cache = LFUCache(2); cache.put("a", 1); cache.put("a", 2); cache.put("b", 3)
        >>> cache.put("c", 4)  # "a" has 2 uses, "b" 1: "b" is evicted
        >>> cache.frequency("a"), "b" in cache, cache.get("c")
        (2, False, 4)
        >>> cache.put({}, 1)
        Traceback (most recent call last):
            ...
        TypeError: key must be hashable, got dict: {}
        """
        _check_hashable(key)
        if key in self._values:
            self._values[key] = value
            self._touch(key)
            return
        if len(self._values) >= self.capacity:
            self._evict()
        self._values[key] = value
        self._freq[key] = 1
        self._buckets.setdefault(1, {})[key] = None
        self._min_freq = 1

    def frequency(self, key: K) -> int:
        """Return how many uses ``key`` has (0 if absent), without counting one.

        Complexity: O(1).
        """
        _check_hashable(key)
        return self._freq.get(key, 0)

    def _touch(self, key: K) -> None:
        count = self._freq[key]
        bucket = self._buckets[count]
        del bucket[key]
        if not bucket:
            del self._buckets[count]
            if self._min_freq == count:
                self._min_freq = count + 1
        self._freq[key] = count + 1
        self._buckets.setdefault(count + 1, {})[key] = None

    def _evict(self) -> None:
        bucket = self._buckets[self._min_freq]
        victim = next(iter(bucket))  # the least recently used of the least frequent
        del bucket[victim]
        if not bucket:
            del self._buckets[self._min_freq]
        del self._values[victim]
        del self._freq[victim]
        self.evictions += 1

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if the maps and buckets disagree."""
        if len(self._values) > self.capacity:
            raise AssertionError(f"{len(self._values)} entries for capacity {self.capacity}")
        if self._values.keys() != self._freq.keys():
            raise AssertionError("values and counts hold different keys")
        in_buckets = [k for bucket in self._buckets.values() for k in bucket]
        if len(in_buckets) != len(self._values) or set(in_buckets) != self._values.keys():
            raise AssertionError(f"buckets {self._buckets!r} disagree with the keys")
        for count, bucket in self._buckets.items():
            if not bucket or any(self._freq[k] != count for k in bucket):
                raise AssertionError(f"bucket {count} is empty or holds a wrong count")
        if self._values and self._min_freq != min(self._buckets):
            raise AssertionError(f"min_freq {self._min_freq} is not {min(self._buckets)}")


def _check_hashable(key: object) -> None:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None
