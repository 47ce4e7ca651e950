"""An LRU cache with O(1) get and put: a hash map into a doubly linked list.

The interview classic (LeetCode 146): a cache of fixed capacity that, when
full, evicts the entry used least recently. The hash map finds an entry in
O(1); the list keeps entries in recency order, and because each node knows
both neighbours it can be unlinked and moved to the front in O(1). Two
sentinel nodes (head and tail) remove every "is the list empty?" branch.

Semantics, the same as LeetCode 146 and ``functools.lru_cache``: ``get`` of a
present key and ``put`` of any key make it the most recently used; ``put``
of a new key into a full cache evicts the least recently used one first.
``key in cache`` and ``len(cache)`` only look: they never change the order.

Invariant: the map and the list hold the same keys, at most ``capacity`` of
them, and the list is in order of last use, least recent first.

=========  ======  ===============================================
operation  cost    effect on recency
=========  ======  ===============================================
get        O(1)    a hit becomes most recent
put        O(1)    the key becomes most recent; may evict the LRU
in, len    O(1)    none
=========  ======  ===============================================

>>> cache = LRUCache(2)
>>> cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
1
>>> cache.keys()  # least recently used first: "b" was evicted
['a', 'c']

Primary sources: LeetCode problem 146 "LRU Cache"; the Python documentation
of ``functools.lru_cache``; the ``collections.OrderedDict`` LRU recipe in
the same documentation.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from studybook._validate import check_int

__all__ = ["LRUCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


class _Node(Generic[K, V]):
    __slots__ = ("key", "newer", "older", "value")

    def __init__(self, key: K | None, value: V | None) -> None:
        self.key = key
        self.value = value
        self.older: _Node[K, V] = self
        self.newer: _Node[K, V] = self


class LRUCache(Generic[K, V]):
    """A fixed-capacity map that evicts the least recently used key when full.

    Args:
        capacity: the most entries it holds, >= 1.

    Raises:
        ValueError: ``capacity`` < 1.
        TypeError: ``capacity`` is not an int (``bool`` included).

    Attributes:
        hits: ``get`` calls that found their key.
        misses: ``get`` calls that did not.

    Complexity: O(capacity) memory.

    >>> LRUCache(0)
    Traceback (most recent call last):
        ...
    ValueError: capacity must be >= 1, got 0
    >>> LRUCache(True)
    Traceback (most recent call last):
        ...
    TypeError: capacity must be an int, got bool: True
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = check_int(capacity, "capacity", minimum=1)
        self._map: dict[K, _Node[K, V]] = {}
        # One sentinel closes the ring: sentinel.newer is the LRU, sentinel.older the MRU.
        self._sentinel: _Node[K, V] = _Node(None, None)
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._map)

    def __contains__(self, key: object) -> bool:
        """Return whether ``key`` is cached, without touching its recency.

        >>> cache = LRUCache(2); cache.put(1, "x"); cache.put(2, "y")
        >>> 1 in cache, 3 in cache
        (True, False)
        >>> cache.put(3, "z"); 1 in cache  # the look did not save 1 from eviction
        False
        """
        try:
            return key in self._map
        except TypeError:
            return False  # an unhashable key cannot be in the cache

    def get(self, key: K, default: D | None = None) -> V | D | None:
        """Return the value for ``key`` and make it the most recently used.

        Args:
            key: a hashable key.
            default: returned when ``key`` is absent (so ``None`` can be cached).

        Raises:
            TypeError: ``key`` is not hashable.

        Complexity: O(1).

        >>> cache = LRUCache(1); cache.put("k", None)
        >>> cache.get("k", "absent"), cache.get("q", "absent")
        (None, 'absent')
        >>> cache.get(["k"])
        Traceback (most recent call last):
            ...
        TypeError: key must be hashable, got list: ['k']
        """
        node = self._map.get(_hashable(key))
        if node is None:
            self.misses += 1
            return default
        self.hits += 1
        self._unlink(node)
        self._push_newest(node)
        return node.value

    def put(self, key: K, value: V) -> None:
        """Store ``value`` under ``key`` as the most recently used; evict the LRU if full.

        Raises:
            TypeError: ``key`` is not hashable.

        Complexity: O(1).

        >>> cache = LRUCache(2); cache.put("a", 1); cache.put("b", 2); cache.put("a", 10)
        >>> cache.put("c", 3); cache.keys(), cache.get("a")
        (['a', 'c'], 10)
        """
        node = self._map.get(_hashable(key))
        if node is not None:
            node.value = value
            self._unlink(node)
            self._push_newest(node)
            return
        if len(self._map) == self.capacity:
            oldest = self._sentinel.newer
            self._unlink(oldest)
            del self._map[oldest.key]  # type: ignore[arg-type]  # real nodes have keys
        node = _Node(key, value)
        self._map[key] = node
        self._push_newest(node)

    def keys(self) -> list[K]:
        """Return the keys from least to most recently used (without touching recency).

        Complexity: O(n).
        """
        keys: list[K] = []
        node = self._sentinel.newer
        while node is not self._sentinel:
            keys.append(node.key)  # type: ignore[arg-type]  # real nodes have keys
            node = node.newer
        return keys

    def _unlink(self, node: _Node[K, V]) -> None:
        node.older.newer = node.newer
        node.newer.older = node.older

    def _push_newest(self, node: _Node[K, V]) -> None:
        newest = self._sentinel.older
        node.older, node.newer = newest, self._sentinel
        newest.newer = node
        self._sentinel.older = node

    def _check_invariants(self) -> None:
        seen: list[K] = []
        node = self._sentinel.newer
        while node is not self._sentinel:
            if node.newer.older is not node:
                raise AssertionError(f"broken back link at {node.key!r}")
            seen.append(node.key)  # type: ignore[arg-type]
            node = node.newer
        if len(seen) != len(self._map) or set(seen) != set(self._map):
            raise AssertionError(f"list {seen!r} and map {list(self._map)!r} disagree")
        if len(seen) > self.capacity:
            raise AssertionError(f"{len(seen)} entries for capacity {self.capacity}")


def _hashable(key: K) -> K:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"key must be hashable, got {type(key).__name__}: {key!r}") from None
    return key
