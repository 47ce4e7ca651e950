"""DynamicArray against a plain list, plus the amortized-copy bound and the shrink policy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from studybook.dsa.data_structures import DynamicArray


class DynamicArrayMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.model: list[int] = []
        self.array: DynamicArray[int] = DynamicArray()

    @initialize(growth=st.sampled_from([1.25, 1.5, 2.0, 3.0]), shrink=st.booleans())
    def create(self, growth: float, shrink: bool) -> None:
        self.array = DynamicArray(growth, shrink=shrink)

    @rule(value=st.integers())
    def append(self, value: int) -> None:
        self.array.append(value)
        self.model.append(value)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        assert self.array.pop() == self.model.pop()

    @precondition(lambda self: not self.model)
    @rule()
    def pop_empty(self) -> None:
        with pytest.raises(IndexError, match=r"^pop from empty DynamicArray$"):
            self.array.pop()

    @rule(data=st.data(), value=st.integers())
    def set_and_get(self, data: st.DataObject, value: int) -> None:
        n = len(self.model)
        index = data.draw(st.integers(-n - 2, n + 1))
        if -n <= index < n:
            self.array[index] = value
            self.model[index] = value
            assert self.array[index] == self.model[index]
        else:
            with pytest.raises(IndexError, match=rf"^index {index} out of range .* length {n}$"):
                self.array[index]

    @invariant()
    def agrees_with_list(self) -> None:
        self.array._check_invariants()
        assert list(self.array) == self.model
        assert len(self.array) == len(self.model)


TestDynamicArrayMachine = DynamicArrayMachine.TestCase
TestDynamicArrayMachine.settings = settings(max_examples=60, stateful_step_count=60, deadline=None)


def test_doubling_copies_exactly_capacity_minus_one():
    a: DynamicArray[int] = DynamicArray()
    for n in range(1, 2049):
        a.append(n)
        assert a.capacity == 1 << (n - 1).bit_length()
        assert a.copies == a.capacity - 1  # 1 + 2 + 4 + ... + capacity/2


@given(growth=st.floats(1.1, 4.0), n=st.integers(1, 3000))
@settings(max_examples=40)
def test_total_copies_bounded_by_n_g_over_g_minus_1(growth: float, n: int):
    a: DynamicArray[int] = DynamicArray(growth)
    for i in range(n):
        a.append(i)
    # Resizes happen at sizes s_1 < s_2 < ... < n, each at least growth x the last,
    # so their sum is below n * (1 + 1/g + 1/g^2 + ...) = n * g / (g - 1).
    assert a.copies <= n * growth / (growth - 1)


def test_shrink_at_quarter_does_not_thrash_at_the_boundary():
    a: DynamicArray[int] = DynamicArray()
    for i in range(1024):
        a.append(i)
    before = a.copies
    for i in range(1000):  # alternate around a full block: the worst case for "shrink at 1/2"
        a.append(i)
        a.pop()
    assert a.copies - before == 1024  # one growth, no shrink at all
    while len(a) > 256:
        a.pop()
    assert a.capacity == 512  # halved at size 512 (2048 / 4), again at 256 (1024 / 4)
    a._check_invariants()


def test_shrink_can_be_disabled():
    a: DynamicArray[int] = DynamicArray(shrink=False)
    for i in range(64):
        a.append(i)
    while a:
        a.pop()
    assert a.capacity == 64


def test_error_messages():
    with pytest.raises(ValueError, match=r"^growth_factor must be > 1, got 0\.5$"):
        DynamicArray(0.5)
    with pytest.raises(ValueError, match=r"^growth_factor must be > 1, got nan$"):
        DynamicArray(float("nan"))
    a: DynamicArray[str] = DynamicArray()
    with pytest.raises(TypeError, match=r"^DynamicArray indices must be int, got str$"):
        a["0"]  # type: ignore[index]
    with pytest.raises(IndexError, match=r"^index 0 out of range for DynamicArray of length 0$"):
        a[0] = "x"
