"""Tests for studybook.dsa.big_o.amortized: a dynamic array against a list model."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.dsa.big_o import (
    DynamicArray,
    amortized_copies_per_append,
    fit_exponent,
    worst_copies_per_append,
)

# ---------------------------------------------------------------- amortized analysis


class DynamicArrayMachine(RuleBasedStateMachine):
    """DynamicArray against a plain list, with the copy count checked exactly."""

    @initialize(factor=st.sampled_from([1.0, 1.25, 1.5, 2.0, 3.0]), increment=st.integers(0, 3))
    def start(self, factor: float, increment: int) -> None:
        if factor == 1.0 and increment == 0:
            increment = 1
        self.array: DynamicArray[int] = DynamicArray(factor, increment)
        self.model: list[int] = []
        self.expected_copies = 0

    @rule(value=st.integers())
    def append(self, value: int) -> None:
        if len(self.model) == self.array.capacity:
            self.expected_copies += len(self.model)
        self.array.append(value)
        self.model.append(value)

    @rule(data=st.data())
    def read(self, data: st.DataObject) -> None:
        if self.model:
            i = data.draw(st.integers(0, len(self.model) - 1))
            assert self.array[i] == self.model[i]
        with pytest.raises(IndexError, match=f"index {len(self.model)} out of range"):
            self.array[len(self.model)]

    @invariant()
    def matches_model(self) -> None:
        if hasattr(self, "array"):
            self.array._check_invariants()
            assert len(self.array) == len(self.model)
            assert self.array.copies == self.expected_copies


TestDynamicArray = DynamicArrayMachine.TestCase
TestDynamicArray.settings = settings(max_examples=50, stateful_step_count=60, deadline=None)


@pytest.mark.parametrize("factor", [1.25, 1.5, 2.0, 3.0])
def test_geometric_growth_copies_stay_below_g_over_g_minus_one(factor: float) -> None:
    worst = worst_copies_per_append(50_000, factor)
    assert worst < factor / (factor - 1)
    assert worst > 0.9 * factor / (factor - 1)  # and the bound is nearly reached


def test_fixed_increment_growth_costs_linear_copies_per_append() -> None:
    sizes = [1000, 2000, 4000, 8000]
    per_append = [amortized_copies_per_append(n, 1.0, increment=16) for n in sizes]
    assert fit_exponent(sizes, per_append) == pytest.approx(1.0, abs=0.05)
    doubling = [amortized_copies_per_append(n, 2.0) for n in sizes]
    assert max(doubling) < 2


def test_dynamic_array_rejects_policies_that_never_grow() -> None:
    with pytest.raises(ValueError, match=re.escape("growth_factor=0.5, increment=0")):
        DynamicArray(0.5)
    with pytest.raises(ValueError, match=re.escape("increment must be >= 0, got -1")):
        DynamicArray(2.0, -1)
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        amortized_copies_per_append(0)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((math.nan,), ValueError, "growth_factor must be finite, got nan"),
        ((math.inf,), ValueError, "growth_factor must be finite, got inf"),
        ((None,), TypeError, "growth_factor must be a number, got None"),
        ((True,), TypeError, "growth_factor must be a number, got True"),
        ((2.0, 1.5), TypeError, "increment must be an int, got 1.5"),
        ((1e300,), ValueError, "growth policy too large: growth_factor=1e+300"),
        ((1.0, 10**12), ValueError, "increment=1000000000000 (at most 65536)"),
    ],
)
def test_dynamic_array_refuses_bad_policies_at_once(
    args: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        DynamicArray(*args)


def test_dynamic_array_indexes_only_by_int() -> None:
    arr: DynamicArray[str] = DynamicArray()
    arr.append("a")
    arr.append("b")
    assert (arr[0], arr[1]) == ("a", "b")
    for bad in (True, 1.0, "1", None):
        with pytest.raises(TypeError, match=re.escape(f"index must be an int, got {bad!r}")):
            arr[bad]  # type: ignore[index]
    with pytest.raises(IndexError, match="index 2 out of range for length 2"):
        arr[2]


@pytest.mark.parametrize("n", [0, -3, 2.5, True, None])
def test_copy_counters_refuse_bad_sizes(n: object) -> None:
    for func in (amortized_copies_per_append, worst_copies_per_append):
        with pytest.raises((TypeError, ValueError), match=re.escape(f"got {n!r}")):
            func(n)  # type: ignore[arg-type]
