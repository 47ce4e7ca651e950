"""Linked-list solutions against the same operations on Python lists; LRUCache vs a list model."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.leetcode_patterns.linked_list import (
    LRUCache,
    linked_list_cycle,
    merge_two_sorted_lists,
    middle_of_the_linked_list,
    remove_nth_node_from_end_of_list,
    reorder_list,
    reverse_linked_list,
)
from studybook.dsa.leetcode_patterns.nodes import ListNode

FAST = settings(max_examples=48, deadline=None, derandomize=True)
values = st.lists(st.integers(-9, 9), max_size=12)


def node_ids(head: ListNode | None) -> set[int]:
    ids = set()
    while head is not None:
        ids.add(id(head))
        head = head.next
    return ids


@FAST
@given(values)
def test_reverse_matches_reversed(vals: list[int]) -> None:
    head = ListNode.from_list(vals)
    before = node_ids(head)
    result = reverse_linked_list(head)
    assert ListNode.to_list(result) == vals[::-1]
    assert node_ids(result) == before  # in place: the same nodes, rewired


@FAST
@given(values.map(sorted), values.map(sorted))
def test_merge_matches_sorted_concatenation(a: list[int], b: list[int]) -> None:
    la, lb = ListNode.from_list(a), ListNode.from_list(b)
    before = node_ids(la) | node_ids(lb)
    merged = merge_two_sorted_lists(la, lb)
    assert ListNode.to_list(merged) == sorted(a + b)
    assert node_ids(merged) == before


@FAST
@given(values.filter(bool), st.data())
def test_cycle_detection_matches_construction(vals: list[int], data: st.DataObject) -> None:
    cycle_to = data.draw(st.one_of(st.none(), st.integers(0, len(vals) - 1)))
    head = ListNode.from_list(vals, cycle_to=cycle_to)
    assert linked_list_cycle(head) == (cycle_to is not None)


@FAST
@given(values)
def test_reorder_matches_index_interleaving(vals: list[int]) -> None:
    expected: list[int] = []
    lo, hi = 0, len(vals) - 1
    while lo <= hi:
        expected.append(vals[lo])
        if lo != hi:
            expected.append(vals[hi])
        lo, hi = lo + 1, hi - 1
    head = ListNode.from_list(vals)
    reorder_list(head)
    assert ListNode.to_list(head) == expected


@FAST
@given(values.filter(bool), st.data())
def test_remove_nth_matches_list_deletion(vals: list[int], data: st.DataObject) -> None:
    n = data.draw(st.integers(1, len(vals)))
    expected = vals[: len(vals) - n] + vals[len(vals) - n + 1 :]
    assert (
        ListNode.to_list(remove_nth_node_from_end_of_list(ListNode.from_list(vals), n)) == expected
    )


def test_remove_nth_rejects_bad_n() -> None:
    with pytest.raises(ValueError, match=r"n must be in 1\.\.3, got 4"):
        remove_nth_node_from_end_of_list(ListNode.from_list([1, 2, 3]), 4)
    with pytest.raises(ValueError, match=">= 1, got 0"):
        remove_nth_node_from_end_of_list(ListNode.from_list([1]), 0)


@FAST
@given(values)
def test_middle_matches_slicing(vals: list[int]) -> None:
    assert (
        ListNode.to_list(middle_of_the_linked_list(ListNode.from_list(vals)))
        == vals[len(vals) // 2 :]
    )


class LRUMachine(RuleBasedStateMachine):
    """Model: a list of (key, value) pairs, least recently used first."""

    def __init__(self) -> None:
        super().__init__()
        self.capacity = 3
        self.cache = LRUCache(self.capacity)
        self.model: list[tuple[int, int]] = []

    def _find(self, key: int) -> int | None:
        return next((i for i, (k, _) in enumerate(self.model) if k == key), None)

    @rule(key=st.integers(0, 5), value=st.integers(0, 99))
    def put(self, key: int, value: int) -> None:
        self.cache.put(key, value)
        i = self._find(key)
        if i is not None:
            del self.model[i]
        elif len(self.model) == self.capacity:
            del self.model[0]
        self.model.append((key, value))

    @rule(key=st.integers(0, 5))
    def get(self, key: int) -> None:
        i = self._find(key)
        if i is None:
            assert self.cache.get(key) == -1
        else:
            pair = self.model.pop(i)
            self.model.append(pair)
            assert self.cache.get(key) == pair[1]

    @invariant()
    def invariants_hold(self) -> None:
        self.cache._check_invariants()
        assert self.cache.keys_by_recency() == [k for k, _ in reversed(self.model)]


TestLRUCache = LRUMachine.TestCase
TestLRUCache.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, derandomize=True
)


def test_lru_rejects_bad_capacity() -> None:
    with pytest.raises(ValueError, match="capacity must be positive, got -1"):
        LRUCache(-1)


def test_lru_invariant_check_catches_corruption() -> None:
    cache = LRUCache(2)
    cache.put(1, 1)
    cache.put(2, 2)
    cache._map.pop(1)  # the list still holds key 1: map and list disagree
    with pytest.raises(AssertionError, match="different keys"):
        cache._check_invariants()


@pytest.mark.parametrize(
    ("make", "error", "bad"),
    [
        (lambda: LRUCache(1.5), TypeError, 1.5),
        (lambda: LRUCache(True), TypeError, True),
        (lambda: LRUCache(float("nan")), TypeError, float("nan")),
        (lambda: LRUCache(0), ValueError, 0),
        (lambda: LRUCache(2).put(None, 1), TypeError, None),
        (lambda: LRUCache(2).put(1, "x"), TypeError, "x"),
        (lambda: LRUCache(2).get(1.0), TypeError, 1.0),
    ],
)
def test_lru_cache_rejects_bad_arguments(make: object, error: type, bad: object) -> None:
    with pytest.raises(error, match=re.escape(repr(bad))):
        make()  # type: ignore[operator]
