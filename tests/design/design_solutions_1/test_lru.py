"""LRUCache against an OrderedDict model (Hypothesis state machine) and functools.lru_cache."""

from __future__ import annotations

import functools
from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.design.design_solutions_1 import LRUCache

keys = st.integers(min_value=0, max_value=8)


class LRUAgainstOrderedDict(RuleBasedStateMachine):
    """The OrderedDict model: move_to_end on use, popitem(last=False) to evict."""

    @initialize(capacity=st.integers(min_value=1, max_value=5))
    def setup(self, capacity: int) -> None:
        self.cache: LRUCache[int, int] = LRUCache(capacity)
        self.model: OrderedDict[int, int] = OrderedDict()
        self.capacity = capacity

    @rule(key=keys, value=st.integers())
    def put(self, key: int, value: int) -> None:
        self.cache.put(key, value)
        self.model[key] = value
        self.model.move_to_end(key)
        if len(self.model) > self.capacity:
            self.model.popitem(last=False)

    @rule(key=keys)
    def get(self, key: int) -> None:
        want = self.model.get(key, "absent")
        if key in self.model:
            self.model.move_to_end(key)
        assert self.cache.get(key, "absent") == want

    @rule(key=keys)
    def contains_does_not_refresh(self, key: int) -> None:
        before = self.cache.keys()
        assert (key in self.cache) == (key in self.model)
        assert self.cache.keys() == before

    @invariant()
    def same_order_and_size(self) -> None:
        if hasattr(self, "cache"):
            self.cache._check_invariants()
            assert self.cache.keys() == list(self.model)
            assert len(self.cache) == len(self.model)


TestLRUAgainstOrderedDict = LRUAgainstOrderedDict.TestCase
TestLRUAgainstOrderedDict.settings = settings(max_examples=40, stateful_step_count=25)


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=6), st.lists(keys, max_size=60))
def test_hits_and_misses_match_functools_lru_cache(capacity: int, calls: list[int]) -> None:
    reference = functools.lru_cache(maxsize=capacity)(lambda k: -k)
    cache: LRUCache[int, int] = LRUCache(capacity)
    for k in calls:
        before = reference.cache_info().hits
        want = reference(k)
        hit = reference.cache_info().hits > before
        got = cache.get(k, None)
        assert (got is not None) == hit
        if got is None:
            cache.put(k, -k)
        else:
            assert got == want
    info = reference.cache_info()
    assert (cache.hits, cache.misses) == (info.hits, info.misses)
    assert len(cache) == info.currsize


def test_leetcode_146_example() -> None:
    # LeetCode 146, example 1 (get returns -1 there for a miss; here the default).
    cache: LRUCache[int, int] = LRUCache(2)
    cache.put(1, 1)
    cache.put(2, 2)
    assert cache.get(1, -1) == 1
    cache.put(3, 3)  # evicts 2
    assert cache.get(2, -1) == -1
    cache.put(4, 4)  # evicts 1
    assert cache.get(1, -1) == -1
    assert cache.get(3, -1) == 3
    assert cache.get(4, -1) == 4


def test_membership_does_not_save_a_key_from_eviction() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert "a" in cache  # a look, not a use
    cache.put("c", 3)
    assert "a" not in cache
    assert cache.keys() == ["b", "c"]
    assert [1] not in cache  # an unhashable key is simply absent


def test_none_values_and_capacity_one() -> None:
    cache: LRUCache[str, None] = LRUCache(1)
    cache.put("x", None)
    assert cache.get("x", "absent") is None
    cache.put("y", None)
    assert cache.keys() == ["y"]
    assert (cache.hits, cache.misses) == (1, 0)
