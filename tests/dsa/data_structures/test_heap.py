"""MinHeap against heapq."""

from __future__ import annotations

import heapq

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.data_structures import MinHeap


class HeapMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.heap: MinHeap[int] = MinHeap()
        self.model: list[int] = []

    @rule(value=st.integers(-20, 20))
    def push(self, value: int) -> None:
        self.heap.push(value)
        heapq.heappush(self.model, value)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.heap.pop() == heapq.heappop(self.model)

    @precondition(lambda self: self.model)
    @rule()
    def peek(self) -> None:
        assert self.heap.peek() == self.model[0]

    @precondition(lambda self: not self.model)
    @rule()
    def empty_errors(self) -> None:
        with pytest.raises(IndexError, match=r"^pop from empty heap$"):
            self.heap.pop()
        with pytest.raises(IndexError, match=r"^peek at empty heap$"):
            self.heap.peek()

    @rule(values=st.lists(st.integers(-20, 20), max_size=20))
    def rebuild(self, values: list[int]) -> None:
        self.heap = MinHeap.heapify(values)
        self.model = list(values)
        heapq.heapify(self.model)

    @invariant()
    def agrees(self) -> None:
        self.heap._check_invariants()
        assert len(self.heap) == len(self.model)


TestHeapMachine = HeapMachine.TestCase
TestHeapMachine.settings = settings(max_examples=60, stateful_step_count=60, deadline=None)


@given(st.lists(st.integers()))
@settings(max_examples=100)
def test_heapify_then_pop_all_is_sorted(values: list[int]):
    heap = MinHeap.heapify(values)
    heap._check_invariants()
    assert [heap.pop() for _ in range(len(values))] == sorted(values)


class _CountingInt(int):
    comparisons = 0

    def __lt__(self, other: object) -> bool:
        _CountingInt.comparisons += 1
        return int(self) < int(other)  # type: ignore[call-overload]


def test_heapify_is_linear_not_n_log_n():
    n = 1 << 14
    values = [_CountingInt(v) for v in range(n, 0, -1)]  # reversed: the worst case for a min-heap
    _CountingInt.comparisons = 0
    MinHeap.heapify(values)
    # Floyd's build does at most 2 comparisons per level moved: < 2 * 2n in total,
    # while n pushes in this order would make about n log2 n = 14n.
    assert _CountingInt.comparisons < 4 * n


def test_ties_and_tuples():
    heap: MinHeap[tuple[int, int, str]] = MinHeap()
    for order, (priority, item) in enumerate([(2, "b"), (1, "a"), (2, "c")]):
        heap.push((priority, order, item))
    assert [heap.pop()[2] for _ in range(3)] == ["a", "b", "c"]
