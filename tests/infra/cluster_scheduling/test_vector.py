"""Vector (CPU + memory) packing against exhaustive search and the one-dimensional code."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.cluster_scheduling import (
    first_fit,
    first_fit_decreasing,
    free_shares,
    vector_first_fit,
    vector_lower_bound,
    vector_optimal_bins,
)

CAP = (10, 10)


def test_one_number_per_task_hides_a_full_resource() -> None:
    # Summed CPU + GB, (8, 1) twice is 18 of 20 and "fits" one machine; CPU alone needs 16 of 10.
    assert vector_optimal_bins([(8, 1), (8, 1)], CAP) == 2
    assert vector_lower_bound([(8, 1), (8, 1)], CAP) == 2


def test_the_volume_bound_can_be_far_from_the_optimum() -> None:
    # Six (6, 6) tasks: the volume bound says 4 machines, but no two fit together.
    assert vector_lower_bound([(6, 6)] * 6, CAP) == 4
    assert vector_optimal_bins([(6, 6)] * 6, CAP) == 6


def test_complementary_tasks_share_machines_and_stranding_is_measured() -> None:
    assert vector_first_fit([(8, 1), (1, 8), (8, 1), (1, 8)], CAP) == [[(8, 1), (1, 8)]] * 2
    bins = vector_first_fit([(8, 1), (8, 1), (6, 2)], CAP)
    assert len(bins) == 3
    assert free_shares(bins, CAP) == (Fraction(8, 30), Fraction(26, 30))


vectors = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 10)).filter(any), min_size=1, max_size=8
)


@settings(max_examples=60, deadline=None)
@given(vectors, st.booleans())
def test_first_fit_is_a_valid_packing_between_bound_and_optimum(
    items: list[tuple[int, int]], decreasing: bool
) -> None:
    bins = vector_first_fit(items, CAP, decreasing=decreasing)
    assert Counter(x for b in bins for x in b) == Counter(items)
    assert all(sum(x[d] for x in b) <= CAP[d] for b in bins for d in (0, 1))
    opt = vector_optimal_bins(items, CAP)
    assert vector_lower_bound(items, CAP) <= opt <= len(bins)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=1, max_size=20))
def test_one_dimension_agrees_with_the_scalar_code(sizes: list[int]) -> None:
    as_vectors = [(s,) for s in sizes]
    assert vector_first_fit(as_vectors, (20,)) == [[(s,) for s in b] for b in first_fit(sizes, 20)]
    ffd = vector_first_fit(as_vectors, (20,), decreasing=True)
    assert ffd == [[(s,) for s in b] for b in first_fit_decreasing(sizes, 20)]


@pytest.mark.parametrize(
    ("items", "capacity", "error", "message"),
    [
        ([], CAP, ValueError, "items must be non-empty, got []"),
        ([(1, 2, 3)], CAP, ValueError, "items[0] must have 2 amounts (one per resource), got 3"),
        ([(1,)], CAP, ValueError, "items[0] must have 2 amounts (one per resource), got 1"),
        ([(0, 0)], CAP, ValueError, "items[0] must ask for some resource, got all zeros"),
        (
            [(11, 1)],
            CAP,
            ValueError,
            "items[0] must fit on an empty machine of capacity (10, 10), got (11, 1)",
        ),
        ([(1, float("nan"))], CAP, ValueError, "items[0][1] must be a finite number >= 0, got nan"),
        ([(1, True)], CAP, TypeError, "items[0][1] must be a number, got bool: True"),
        ([(1, 1)], (10, 0), ValueError, "capacity[1] must be a finite number > 0, got 0"),
        ([(1, 1)], 10, TypeError, "capacity must be a list or tuple, got int: 10"),
    ],
)
def test_bad_input_names_the_value(
    items: object, capacity: object, error: type[Exception], message: str
) -> None:
    for call in (vector_first_fit, vector_lower_bound, vector_optimal_bins):
        with pytest.raises(error) as exc:
            call(items, capacity)  # type: ignore[arg-type]
        assert message in str(exc.value)


def test_exact_search_is_capped() -> None:
    with pytest.raises(ValueError, match="at most 12 items, got 13"):
        vector_optimal_bins([(1, 1)] * 13, CAP)
    with pytest.raises(ValueError, match="bins must be non-empty"):
        free_shares([], CAP)


@pytest.mark.parametrize(
    ("bins", "error", "message"),
    [
        ([], ValueError, "bins must be non-empty, got []"),
        ([[(1, 1)], []], ValueError, "bins[1] must be non-empty, got []"),
        (
            [[(8, 1), (8, 1)]],
            ValueError,
            "bins[0] must fit the capacity (10, 10) in every resource",
        ),
        ([[(1, 1)], [(6, 6), (5, 4)]], ValueError, "bins[1] must fit the capacity"),
        ([(1, 1)], TypeError, "items[0] must be a list or tuple, got int: 1"),
        ([[(1, float("nan"))]], ValueError, "must be a finite number >= 0, got nan"),
    ],
)
def test_free_shares_refuses_what_is_not_a_packing(
    bins: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        free_shares(bins, CAP)  # type: ignore[arg-type]
    assert message in str(exc.value)


def test_decreasing_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="decreasing must be a bool, got str: 'no'"):
        vector_first_fit([(1, 2)], CAP, decreasing="no")  # type: ignore[arg-type]
