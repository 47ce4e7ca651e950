"""LFUCache against a brute-force model, LeetCode 460's example, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.senior.caching import LFUCache


class BruteLFU:
    """The obvious O(n) model: per key a value, a use count and the tick of last use."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.entries: dict[int, list[int]] = {}  # key -> [value, count, last_tick]
        self.tick = 0

    def get(self, key: int) -> int | None:
        self.tick += 1
        if key not in self.entries:
            return None
        entry = self.entries[key]
        entry[1] += 1
        entry[2] = self.tick
        return entry[0]

    def put(self, key: int, value: int) -> None:
        self.tick += 1
        if key in self.entries:
            entry = self.entries[key]
            entry[0], entry[1], entry[2] = value, entry[1] + 1, self.tick
            return
        if len(self.entries) >= self.capacity:
            victim = min(self.entries, key=lambda k: (self.entries[k][1], self.entries[k][2]))
            del self.entries[victim]
        self.entries[key] = [value, 1, self.tick]


class LFUMachine(RuleBasedStateMachine):
    @initialize(capacity=st.integers(1, 5))
    def start(self, capacity: int) -> None:
        self.cache: LFUCache[int, int] = LFUCache(capacity)
        self.model = BruteLFU(capacity)

    @rule(key=st.integers(0, 7))
    def get(self, key: int) -> None:
        assert self.cache.get(key) == self.model.get(key)

    @rule(key=st.integers(0, 7), value=st.integers())
    def put(self, key: int, value: int) -> None:
        self.cache.put(key, value)
        self.model.put(key, value)

    @invariant()
    def same_contents(self) -> None:
        if not hasattr(self, "cache"):
            return
        self.cache._check_invariants()
        assert len(self.cache) == len(self.model.entries)
        for key, (_, count, _) in self.model.entries.items():
            assert key in self.cache
            assert self.cache.frequency(key) == count


LFUMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestLFUAgainstModel = LFUMachine.TestCase


def test_leetcode_460_example() -> None:
    cache: LFUCache[int, int] = LFUCache(2)
    cache.put(1, 1)
    cache.put(2, 2)
    assert cache.get(1) == 1
    cache.put(3, 3)  # 2 has count 1, 1 has count 2: evict 2
    assert cache.get(2, -1) == -1
    assert cache.get(3) == 3
    cache.put(4, 4)  # 1 and 3 both have count 2; 1 is least recent: evict 1
    assert cache.get(1, -1) == -1
    assert cache.get(3) == 3
    assert cache.get(4) == 4
    assert (cache.hits, cache.misses, cache.evictions) == (4, 2, 2)


def test_none_is_a_cacheable_value() -> None:
    cache: LFUCache[str, None] = LFUCache(1)
    cache.put("k", None)
    assert cache.get("k", "absent") is None
    assert cache.get("q", "absent") == "absent"


def test_constant_time_per_operation_does_not_depend_on_size() -> None:
    # Counting work, not time: eviction touches one bucket, never scans all keys.
    cache: LFUCache[int, int] = LFUCache(10_000)
    for i in range(10_000):
        cache.put(i, i)
    for _ in range(3):
        cache.get(0)
    cache.put(-1, -1)
    assert 1 not in cache
    assert 0 in cache
    assert cache.frequency(0) == 4
    cache._check_invariants()


@pytest.mark.parametrize(
    ("capacity", "error"),
    [
        (0, ValueError),
        (-3, ValueError),
        (True, TypeError),
        (2.0, TypeError),
        (float("nan"), TypeError),
        ("3", TypeError),
        (None, TypeError),
    ],
)
def test_bad_capacity(capacity: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="capacity"):
        LFUCache(capacity)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["get", "put", "frequency"])
def test_unhashable_key(method: str) -> None:
    cache: LFUCache[object, int] = LFUCache(2)
    args = ([1],) if method != "put" else ([1], 1)
    with pytest.raises(TypeError, match=r"key must be hashable, got list: \[1\]"):
        getattr(cache, method)(*args)
    assert [1] not in cache
