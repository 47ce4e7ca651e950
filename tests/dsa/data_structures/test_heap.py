"""MinHeap against heapq."""

from __future__ import annotations

import heapq
import math
from decimal import Decimal

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
TestHeapMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


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


@pytest.mark.parametrize("nan", [math.nan, Decimal("NaN")])
def test_nan_is_refused_by_push_and_heapify(nan: float):
    heap = MinHeap.heapify([3.0, 1.0])
    with pytest.raises(ValueError, match=r"^MinHeap keys must not be NaN, got .*"):
        heap.push(nan)
    with pytest.raises(ValueError, match=r"^MinHeap keys must not be NaN, got .*"):
        MinHeap.heapify([1.0, nan, 0.0])
    assert [heap.pop(), heap.pop()] == [1.0, 3.0]


def test_nan_priority_inside_a_tuple_is_refused():
    heap = MinHeap.heapify([(2.0, 0, "b"), (1.0, 1, "a")])
    with pytest.raises(
        ValueError, match=r"^MinHeap keys must not contain NaN, got \(nan, 2, 'c'\)$"
    ):
        heap.push((math.nan, 2, "c"))
    with pytest.raises(ValueError, match=r"^MinHeap keys must not contain NaN, got \[nan\]$"):
        MinHeap.heapify([[1.0], [math.nan]])
    assert [heap.pop()[2], heap.pop()[2]] == ["a", "b"]


def test_heapq_would_have_accepted_the_nan():
    # Why push refuses: with NaN, heapq silently returns the elements out of order.
    model = [5.0, math.nan, 1.0, 3.0]
    heapq.heapify(model)
    assert [heapq.heappop(model) for _ in range(3)] != [1.0, 3.0, 5.0]


def test_incomparable_elements_leave_the_heap_unchanged():
    heap = MinHeap.heapify([4, 2, 8, 6])
    with pytest.raises(TypeError, match=r"^cannot compare 'x' with the elements of this MinHeap$"):
        heap.push("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^MinHeap keys must support <, got NoneType: None$"):
        heap.push(None)  # type: ignore[arg-type]
    heap._check_invariants()
    assert [heap.pop() for _ in range(4)] == [2, 4, 6, 8]
    with pytest.raises(TypeError, match=r"^heapify needs an iterable, got int: 5$"):
        MinHeap.heapify(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^heapify: elements cannot be compared: "):
        MinHeap.heapify([1, "a"])  # type: ignore[list-item]


def test_heapify_reads_an_iterator_once():
    assert len(MinHeap.heapify(iter([3, 1, 2]))) == 3
