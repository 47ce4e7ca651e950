"""Tests for studybook.dsa.big_o.counting: counters, counted values and timing."""

from __future__ import annotations

import gc
import random
import re

import pytest

from studybook.dsa.big_o import (
    Counted,
    OpCounter,
    measure,
)

POWERS = [2**k for k in range(4, 13)]


def distinct(n: int) -> list[int]:
    return list(range(n))


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def line_cities(n: int) -> list[list[int]]:
    return [[abs(i - j) for j in range(n)] for i in range(n)]


def test_measure_times_only_the_operation_and_takes_the_minimum() -> None:
    clock = [0.0]

    def timer() -> float:
        return clock[0]

    def make_input(n: int) -> list[int]:
        clock[0] += 1000.0  # building the input is slow, and must not be timed
        return list(range(n))

    durations = iter([5.0, 2.0, 7.0] * 3)

    def operation(data: list[int]) -> None:
        data.reverse()  # mutates: each repeat must get a fresh input
        assert data[0] == len(data) - 1
        assert not gc.isenabled()  # paused while timing, as timeit does
        clock[0] += next(durations)

    assert gc.isenabled()
    assert measure(operation, make_input, [1, 2, 3], repeats=3, timer=timer) == [2.0, 2.0, 2.0]
    assert gc.isenabled()  # and restored afterwards
    with pytest.raises(ValueError, match="repeats must be >= 1, got 0"):
        measure(operation, make_input, [1, 2, 3], repeats=0, timer=timer)


def test_measure_refuses_a_clock_that_steps_back() -> None:
    readings = iter([10.0, 9.5] * 20)  # every timed call "ends" before it starts
    with pytest.raises(ValueError, match=re.escape("timer stepped back by 0.5 while timing n=1")):
        measure(sorted, distinct, [1, 2, 3], repeats=2, timer=lambda: next(readings))


def test_counted_counts_every_comparison_operator() -> None:
    ops = OpCounter()
    a, b = Counted(1, ops), Counted(2, ops)
    results = [a < b, a <= b, a > b, a >= b, a == b, a == Counted(1, ops)]
    assert results == [True, True, False, False, False, True]
    assert ops.count == 6
    assert len({Counted(1, ops), Counted(1, ops)}) == 1  # hashing delegates to the value


@pytest.mark.parametrize("steps", [0.5, True, "1", None])
def test_op_counter_refuses_steps_that_are_not_whole_numbers(steps: object) -> None:
    counter = OpCounter()
    with pytest.raises(TypeError, match=re.escape(f"steps must be an int, got {steps!r}")):
        counter.tick(steps)  # type: ignore[arg-type]
    assert counter.count == 0


@pytest.mark.parametrize(
    ("repeats", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_measure_refuses_bad_repeats(repeats: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=re.escape(f"got {repeats!r}")):
        measure(sorted, list, [1, 2, 3], repeats=repeats)  # type: ignore[arg-type]
