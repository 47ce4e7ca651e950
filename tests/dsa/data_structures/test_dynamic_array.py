"""DynamicArray against a plain list, plus the amortized-copy bound and the shrink policy."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from studybook.dsa.data_structures import DynamicArray


class DynamicArrayMachine(RuleBasedStateMachine):
    """Against a list; also checks that resizes are far apart (no thrashing)."""

    def __init__(self) -> None:
        super().__init__()
        self.model: list[int] = []
        self.array: DynamicArray[int] = DynamicArray()
        self.growth = 2.0
        self.ops_since_resize = 0

    @initialize(growth=st.sampled_from([1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 8.0]), shrink=st.booleans())
    def create(self, growth: float, shrink: bool) -> None:
        self.array = DynamicArray(growth, shrink=shrink)
        self.growth = growth

    def _step(self, operation: Callable[[], None]) -> None:
        resizes, copies = self.array.resizes, self.array.copies
        operation()
        self.ops_since_resize += 1
        if self.array.resizes != resizes:
            assert self.array.resizes == resizes + 1
            copied = self.array.copies - copies
            # The class docstring's claim: a resize that copies n elements comes
            # at least (1 - 1/g) n - 1 operations after the previous one.
            assert self.ops_since_resize >= (1 - 1 / self.growth) * copied - 1, (
                self.ops_since_resize,
                copied,
            )
            self.ops_since_resize = 0

    @rule(value=st.integers())
    def append(self, value: int) -> None:
        self._step(lambda: self.array.append(value))
        self.model.append(value)

    @rule(values=st.lists(st.integers(), min_size=1, max_size=40))
    def append_many(self, values: list[int]) -> None:  # reach capacities past the first few
        for value in values:
            self._step(lambda: self.array.append(value))  # noqa: B023 - called at once
        self.model.extend(values)

    @precondition(lambda self: self.model)
    @rule()
    def pop(self) -> None:
        popped: list[int] = []
        self._step(lambda: popped.append(self.array.pop()))
        assert popped == [self.model.pop()]

    @precondition(lambda self: self.model)
    @rule(count=st.integers(1, 40))
    def pop_many(self, count: int) -> None:
        for _ in range(min(count, len(self.model))):
            self.pop()

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
TestDynamicArrayMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


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


def test_growth_factor_four_does_not_thrash():
    # The old rule (halve at a quarter full) shrank a block grown 4x on the very next pop.
    a: DynamicArray[int] = DynamicArray(4.0)
    for i in range(64):
        a.append(i)
    assert (a.capacity, a.resizes) == (64, 4)  # 1, 4, 16, 64
    a.append(64)  # grows to 256 slots, 65 in use: about a quarter
    for _ in range(100):
        a.pop()
        a.append(0)
    assert (a.capacity, a.resizes) == (256, 5)
    while len(a) > 16:  # 256 / 4**2 = 16: the first size that may shrink
        a.pop()
    assert (a.capacity, a.resizes) == (64, 6)  # ceil(16 * 4): a quarter full again
    a._check_invariants()


def test_popping_everything_releases_the_block():
    a: DynamicArray[int] = DynamicArray()
    for i in range(100):
        a.append(i)
    while a:
        a.pop()
    assert a.capacity == 0  # like CPython's list, which frees its block at size 0
    a.append(1)
    assert (list(a), a.capacity) == ([1], 1)


@pytest.mark.parametrize(
    ("growth", "error", "message"),
    [
        (0.5, ValueError, "growth_factor must be in (1, 16], got 0.5"),
        (1, ValueError, "growth_factor must be in (1, 16], got 1"),
        (math.nan, ValueError, "growth_factor must be in (1, 16], got nan"),
        (math.inf, ValueError, "growth_factor must be in (1, 16], got inf"),
        (-math.inf, ValueError, "growth_factor must be in (1, 16], got -inf"),
        (16.5, ValueError, "growth_factor must be in (1, 16], got 16.5"),
        (10**400, ValueError, "growth_factor must be in (1, 16], got " + str(10**400)),
        (True, TypeError, "growth_factor must be an int or float, got bool: True"),
        (None, TypeError, "growth_factor must be an int or float, got NoneType: None"),
        ("2", TypeError, "growth_factor must be an int or float, got str: '2'"),
        (2j, TypeError, "growth_factor must be an int or float, got complex: 2j"),
    ],
)
def test_bad_growth_factor(growth: object, error: type[Exception], message: str):
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        DynamicArray(growth)  # type: ignore[arg-type]


def test_growth_factor_bounds_are_accepted():
    for growth in (16, 16.0, 1 + 1e-9, 2):
        a: DynamicArray[int] = DynamicArray(growth)
        for i in range(50):
            a.append(i)
        assert list(a) == list(range(50))


def test_error_messages():
    with pytest.raises(TypeError, match=r"^shrink must be a bool, got int: 1$"):
        DynamicArray(shrink=1)  # type: ignore[arg-type]
    a: DynamicArray[str] = DynamicArray()
    with pytest.raises(TypeError, match=r"^DynamicArray indices must be int, got str: '0'$"):
        a["0"]  # type: ignore[index]
    with pytest.raises(IndexError, match=r"^index 0 out of range for DynamicArray of length 0$"):
        a[0] = "x"
    a.append("x")
    with pytest.raises(TypeError, match=r"^DynamicArray indices must be int, got bool: True$"):
        a[True]  # type: ignore[index]
    with pytest.raises(TypeError, match=r"^DynamicArray indices must be int, got float: 0\.0$"):
        a[0.0] = "y"  # type: ignore[index]
    with pytest.raises(IndexError, match=r"^index -2 out of range for DynamicArray of length 1$"):
        a[-2]
    with pytest.raises(IndexError, match=rf"^index {10**30} out of range"):
        a[10**30]
    assert list(a) == ["x"]
