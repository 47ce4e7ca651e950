"""Tests for studybook.dsa.sorting_searching.selection, against sorted(items)[k]."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.sorting_searching import (
    count_comparisons,
    quickselect,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.lists(st.integers(-100, 100), min_size=1, max_size=50),
        st.lists(st.integers(0, 3), min_size=1, max_size=50),  # many duplicates
    ),
    st.data(),
)
def test_quickselect_matches_sorting(items: list[int], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(items) - 1))
    before = list(items)
    assert quickselect(items, k, rng=random.Random(k)) == sorted(items)[k]
    assert items == before  # the input is not modified
    with pytest.raises(IndexError, match=re.escape(f"k must be in [0, {len(items)})")):
        quickselect(items, len(items))


@pytest.mark.parametrize("n", [1, 2, 100, 2000])
def test_quickselect_is_linear_on_equal_keys(n: int) -> None:
    # A two-way (Lomuto) partition made 1,999,000 comparisons for 2,000 equal items.
    for k in (0, n // 2, n - 1):
        pick = lambda xs, k=k: quickselect(xs, k)  # noqa: E731
        assert count_comparisons(pick, [5] * n) <= 2 * n


@pytest.mark.parametrize(
    ("k", "error", "message"),
    [
        (1.0, TypeError, "k must be an int, got 1.0"),
        (True, TypeError, "k must be an int, got True"),
        (-1, IndexError, "k must be in [0, 3), got -1"),
    ],
)
def test_quickselect_refuses_bad_ranks(k: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        quickselect([3, 1, 2], k)


@pytest.mark.parametrize("rng", [True, 0, "seed"])
def test_randomised_entry_points_refuse_a_non_random_rng(rng: Any) -> None:
    from studybook.dsa.sorting_searching import quicksort

    message = f"rng must be a random.Random or None, got {rng!r}"
    with pytest.raises(TypeError, match=re.escape(message)):
        quickselect([3, 1, 2], 1, rng=rng)
    with pytest.raises(TypeError, match=re.escape(message)):
        quicksort([3, 1, 2], rng=rng)
