"""CountMinSketch: never underestimates; overestimates beyond eps*N happen with rate <= delta."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.advanced_structures import CountMinSketch

updates = st.lists(st.tuples(st.text(max_size=4), st.integers(0, 20)), max_size=80)


@settings(max_examples=100, deadline=None)
@given(updates, st.integers(1, 30), st.integers(1, 5))
def test_never_underestimates(stream: list[tuple[str, int]], width: int, depth: int) -> None:
    cms = CountMinSketch(width, depth)
    truth: Counter[str] = Counter()
    for item, count in stream:
        cms.add(item, count)
        truth[item] += count
        cms._check_invariants()
    assert cms.total == sum(truth.values())
    for item, count in truth.items():
        assert count <= cms.estimate(item) <= cms.total


def test_wide_sketch_is_exact_for_few_items() -> None:
    cms = CountMinSketch(10_000, 5)
    for i in range(50):
        cms.add(i, i)
    assert [cms.estimate(i) for i in range(50)] == list(range(50))


@pytest.mark.parametrize(("width", "depth", "seed"), [(200, 3, 1), (100, 4, 2), (500, 2, 3)])
def test_error_bound_holds_with_probability_delta(width: int, depth: int, seed: int) -> None:
    rng = random.Random(seed)
    cms = CountMinSketch(width, depth)
    truth: Counter[int] = Counter()
    # A skewed stream (a few heavy hitters, a long tail), 40k events over 5k items.
    for _ in range(40_000):
        item = int(rng.paretovariate(1.1)) if rng.random() < 0.5 else rng.randrange(5000)
        cms.add(item)
        truth[item] += 1
    slack = cms.epsilon * cms.total
    over = [cms.estimate(x) - c for x, c in truth.items()]
    assert min(over) >= 0
    failures = sum(e > slack for e in over) / len(over)
    assert failures <= cms.delta + 0.01, (failures, cms.delta)
    # The lemma behind the bound: in one row an item's expected overestimate is at most
    # N / width (the other items' mass spread over width counters); the min can only be lower.
    mean_over = sum(over) / len(over)
    assert 0 < mean_over <= cms.total / width, (mean_over, cms.total / width)


def test_more_rows_make_large_errors_rarer() -> None:
    """Depth buys confidence: an item is badly overestimated only if it collides with a
    heavy hitter in every row, so the failure rate falls geometrically with depth."""
    rng = random.Random(7)
    stream = [f"heavy-{i}" for i in range(50) for _ in range(300)]
    stream += [f"light-{rng.randrange(10**9)}" for _ in range(15_000)]
    truth = Counter(stream)
    bad = {}
    for depth in (1, 4):
        cms = CountMinSketch(300, depth)
        for x in stream:
            cms.add(x)
        bad[depth] = sum(cms.estimate(x) - c >= 300 for x, c in truth.items()) / len(truth)
    # One row: about 50/300 of the items share a counter with a heavy hitter.
    assert 0.08 < bad[1] < 0.25, bad
    assert bad[4] < bad[1] / 20, bad


def test_from_error_sizes() -> None:
    cms = CountMinSketch.from_error(0.001, 0.001)
    assert (cms.width, cms.depth) == (math.ceil(math.e / 0.001), math.ceil(math.log(1000)))
    assert cms.epsilon <= 0.001
    assert cms.delta <= 0.001
    with pytest.raises(ValueError, match=r"^epsilon must be in \(0, 1\), got 0$"):
        CountMinSketch.from_error(0, 0.1)


def test_validation() -> None:
    with pytest.raises(ValueError, match="^depth must be >= 1, got 0$"):
        CountMinSketch(10, 0)
    with pytest.raises(TypeError, match="width must be an int, got 2.5"):
        CountMinSketch(2.5, 1)  # type: ignore[arg-type]
    cms = CountMinSketch(10, 2)
    with pytest.raises(ValueError, match="^count must be >= 0, got -3$"):
        cms.add("x", -3)
    with pytest.raises(TypeError, match="count must be an int, got 1.0"):
        cms.add("x", 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="items must be str, bytes or int"):
        cms.add(None)  # type: ignore[arg-type]
    assert cms.total == 0


@settings(max_examples=50, deadline=None)
@given(updates, updates)
def test_merge_equals_sketch_of_concatenated_stream(
    a: list[tuple[str, int]], b: list[tuple[str, int]]
) -> None:
    left, right, both = CountMinSketch(16, 3), CountMinSketch(16, 3), CountMinSketch(16, 3)
    for item, count in a:
        left.add(item, count)
        both.add(item, count)
    for item, count in b:
        right.add(item, count)
        both.add(item, count)
    left.merge(right)
    left._check_invariants()
    assert left._rows == both._rows
    assert left.total == both.total
