"""HyperLogLog: relative error within 3 standard errors over several seeds; exact merge."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.advanced_structures import HyperLogLog
from studybook.dsa.advanced_structures.hyperloglog import alpha


def fill(hll: HyperLogLog, seed: int, n: int) -> None:
    for i in range(n):
        hll.add(f"seed{seed}-item{i}")


@pytest.mark.parametrize(
    ("precision", "n"),
    [
        (10, 500),  # linear-counting range (n < 5m/2)
        (10, 2_000),  # near the switch-over at 5m/2 = 2560
        (10, 20_000),  # raw-estimate range
        (12, 40_000),
    ],
)
def test_relative_error_within_three_standard_errors(precision: int, n: int) -> None:
    errors = []
    for seed in range(5):
        hll = HyperLogLog(precision)
        fill(hll, seed, n)
        hll._check_invariants()
        errors.append(hll.count() / n - 1)
    se = 1.04 / math.sqrt(2**precision)
    assert all(abs(e) <= 3 * se for e in errors), (errors, se)
    # The errors are not all on one side by more than the noise allows (bias check).
    assert abs(sum(errors) / len(errors)) <= 3 * se / math.sqrt(len(errors)), errors


def test_duplicates_do_not_count() -> None:
    hll = HyperLogLog(12)
    fill(hll, 0, 1000)
    first = hll.count()
    for _ in range(3):
        fill(hll, 0, 1000)
    assert hll.count() == first
    assert not hll.add("seed0-item7")


def test_small_range_uses_linear_counting() -> None:
    hll = HyperLogLog(14)
    assert hll.count() == 0
    fill(hll, 9, 10)
    # 10 items in 16,384 registers: almost surely 10 distinct registers -> m ln(m/(m-10)) ~ 10.
    assert hll.count() == 10


@pytest.mark.parametrize(
    ("precision", "message"),
    [(3, r"^precision must be in \[4, 16\], got 3$"), (17, r"got 17$")],
)
def test_precision_bounds(precision: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HyperLogLog(precision)


def test_alpha_constants_and_standard_error() -> None:
    assert [alpha(16), alpha(32), alpha(64)] == [0.673, 0.697, 0.709]
    assert alpha(1024) == pytest.approx(0.7213 / (1 + 1.079 / 1024))
    assert HyperLogLog(14).m == 16_384
    assert HyperLogLog(14).standard_error == pytest.approx(0.008125)
    with pytest.raises(TypeError, match="precision must be an int"):
        HyperLogLog(10.0)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(0, 5000), max_size=300), st.sets(st.integers(0, 5000), max_size=300))
def test_merge_is_the_sketch_of_the_union(a: set[int], b: set[int]) -> None:
    left, right, union = HyperLogLog(6), HyperLogLog(6), HyperLogLog(6)
    for x in sorted(a):
        left.add(x)
    for x in sorted(b):
        right.add(x)
    for x in sorted(a | b):
        union.add(x)
    left.merge(right)
    left._check_invariants()
    assert left._registers == union._registers
    assert left.count() == union.count()


def test_merge_rejects_other_precision() -> None:
    with pytest.raises(ValueError, match="^cannot merge precision 5 into precision 4$"):
        HyperLogLog(4).merge(HyperLogLog(5))
