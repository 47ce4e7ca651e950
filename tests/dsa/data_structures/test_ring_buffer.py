"""RingBuffer against collections.deque (overwrite) and a list (reject when full)."""

from __future__ import annotations

import math
import re
from collections import deque

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.dsa.data_structures import BufferFullError, RingBuffer


class RingBufferMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ring: RingBuffer[int] = RingBuffer(1)
        self.model: deque[int] = deque(maxlen=1)
        self.overwrite = False

    @initialize(capacity=st.integers(1, 6), overwrite=st.booleans())
    def create(self, capacity: int, overwrite: bool) -> None:
        self.ring = RingBuffer(capacity, overwrite=overwrite)
        self.model = deque(maxlen=capacity)
        self.overwrite = overwrite

    @rule(value=st.integers())
    def append(self, value: int) -> None:
        capacity = self.ring.capacity
        if len(self.model) == capacity and not self.overwrite:
            with pytest.raises(
                BufferFullError, match=rf"^RingBuffer is full \(capacity {capacity}\)$"
            ):
                self.ring.append(value)
        else:
            self.ring.append(value)
            self.model.append(value)  # deque(maxlen) drops the oldest, like overwrite=True

    @rule()
    def popleft(self) -> None:
        if self.model:
            assert self.ring.popleft() == self.model.popleft()
        else:
            with pytest.raises(IndexError, match=r"^popleft from empty RingBuffer$"):
                self.ring.popleft()

    @rule()
    def peek(self) -> None:
        if self.model:
            assert self.ring.peek() == self.model[0]
        else:
            with pytest.raises(IndexError, match=r"^peek at empty RingBuffer$"):
                self.ring.peek()

    @invariant()
    def agrees(self) -> None:
        self.ring._check_invariants()
        assert list(self.ring) == list(self.model)
        assert self.ring.is_full() == (len(self.model) == self.ring.capacity)


TestRingBufferMachine = RingBufferMachine.TestCase
TestRingBufferMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


def test_wraps_around_many_times_without_growing():
    ring: RingBuffer[int] = RingBuffer(3)
    for i in range(100):
        ring.append(i)
        assert ring.popleft() == i
        ring._check_invariants()
    assert len(ring) == 0
    assert ring.capacity == 3


def test_full_error_is_an_index_error_and_leaves_buffer_unchanged():
    ring: RingBuffer[str] = RingBuffer(2)
    ring.append("a")
    ring.append("b")
    with pytest.raises(IndexError, match=r"^RingBuffer is full \(capacity 2\)$"):
        ring.append("c")
    assert list(ring) == ["a", "b"]


@pytest.mark.parametrize("bad", [0, -1, -(10**30)])
def test_capacity_must_be_positive(bad: int):
    with pytest.raises(ValueError, match=rf"^capacity must be a positive int, got {bad!r}$"):
        RingBuffer(bad)


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (2.5, "float: 2.5"),
        ("3", "str: '3'"),
        (True, "bool: True"),
        (math.nan, "float: nan"),
        (math.inf, "float: inf"),
        (None, "NoneType: None"),
    ],
)
def test_capacity_must_be_an_int(bad: object, shown: str):
    with pytest.raises(
        TypeError, match="^" + re.escape(f"capacity must be an int, got {shown}") + "$"
    ):
        RingBuffer(bad)  # type: ignore[arg-type]


def test_overwrite_must_be_a_bool():
    with pytest.raises(TypeError, match=r"^overwrite must be a bool, got int: 1$"):
        RingBuffer(2, overwrite=1)  # type: ignore[arg-type]
