"""Mann-Whitney U against brute force: a pair count and the exact permutation distribution."""

from __future__ import annotations

import itertools
import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.cicd_deployment import hodges_lehmann, mann_whitney_u, midranks

# Small integers so that ties are common: the tie correction is what is under test.
samples = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=7)


def brute_u(control: list[int], experiment: list[int]) -> float:
    """U by definition: pairs where the experiment is larger, ties counting one half."""
    return sum(1.0 if y > x else 0.5 if y == x else 0.0 for x in control for y in experiment)


def permutation_distribution(control: list[int], experiment: list[int]) -> list[float]:
    """U for every way to split the pooled values into groups of the original sizes."""
    pooled = control + experiment
    n2 = len(experiment)
    result = []
    for chosen in itertools.combinations(range(len(pooled)), n2):
        picked = set(chosen)
        ys = [pooled[i] for i in chosen]
        xs = [pooled[i] for i in range(len(pooled)) if i not in picked]
        result.append(brute_u(xs, ys))
    return result


@given(samples, samples)
def test_u_equals_the_pair_count(control: list[int], experiment: list[int]) -> None:
    assert mann_whitney_u(control, experiment).u == brute_u(control, experiment)


@settings(max_examples=30, deadline=None)
@given(samples, samples)
def test_mean_and_tie_corrected_variance_equal_the_exact_permutation_moments(
    control: list[int], experiment: list[int]
) -> None:
    # Under the null hypothesis every split of the pooled values is equally likely,
    # so the mean and variance of U over all splits are the exact null moments.
    us = permutation_distribution(control, experiment)
    result = mann_whitney_u(control, experiment)
    assert result.mean == pytest.approx(statistics.fmean(us), abs=1e-9)
    assert result.variance == pytest.approx(statistics.pvariance(us), abs=1e-9)


def test_p_value_is_close_to_the_exact_permutation_p_value() -> None:
    control = [10.0, 12.0, 12.0, 13.0, 15.0, 16.0, 18.0, 19.0]
    experiment = [14.0, 17.0, 19.0, 20.0, 21.0, 21.0, 23.0, 25.0]
    result = mann_whitney_u(control, experiment)
    us = permutation_distribution(control, experiment)  # type: ignore[arg-type]
    distance = abs(result.u - result.mean)
    exact = sum(abs(u - result.mean) >= distance - 1e-9 for u in us) / len(us)
    assert exact < 0.05
    assert result.p_value == pytest.approx(exact, abs=0.01)


def test_all_values_tied_is_no_evidence() -> None:
    result = mann_whitney_u([3.0, 3.0], [3.0, 3.0, 3.0])
    assert (result.variance, result.z, result.p_value) == (0.0, 0.0, 1.0)


def test_swapping_the_samples_mirrors_u_and_keeps_p() -> None:
    a, b = [1.0, 4.0, 4.0, 9.0], [2.0, 4.0, 7.0, 8.0, 11.0]
    ab, ba = mann_whitney_u(a, b), mann_whitney_u(b, a)
    assert ab.u + ba.u == len(a) * len(b)
    assert ab.p_value == pytest.approx(ba.p_value)
    assert ab.z == pytest.approx(-ba.z)


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_midranks_sum_and_ties(values: list[int]) -> None:
    ranks = midranks(values)
    n = len(values)
    assert sum(ranks) == pytest.approx(n * (n + 1) / 2)
    for i, j in itertools.combinations(range(n), 2):
        if values[i] == values[j]:
            assert ranks[i] == ranks[j]
        else:
            assert (ranks[i] < ranks[j]) == (values[i] < values[j])


def test_midranks_rejects_nan_which_has_no_rank() -> None:
    # sorted() with NaN returns an arbitrary order, so the ranks would be wrong silently.
    with pytest.raises(ValueError, match="got nan"):
        midranks([math.nan, 1.0, math.nan])
    assert midranks([]) == []


def test_hodges_lehmann_overflow_is_loud() -> None:
    with pytest.raises(OverflowError, match="overflows"):
        hodges_lehmann([1e308], [-1e308])


def test_hodges_lehmann_recovers_a_pure_shift() -> None:
    control = [1.0, 5.0, 2.5, 8.0, 3.0]
    assert hodges_lehmann(control, [x + 2.5 for x in control]) == 2.5


@pytest.mark.parametrize(
    ("control", "experiment", "error", "fragment"),
    [
        ([], [1.0], ValueError, "control must not be empty, got []"),
        ([1.0], [math.nan], ValueError, "experiment value must be a finite number, got nan"),
        ([math.inf], [1.0], ValueError, "got inf"),
        ([True], [1.0], TypeError, "got bool: True"),
        ("12", [1.0], TypeError, "control must be a sequence of numbers, got str: '12'"),
        ([1.0], None, TypeError, "got NoneType: None"),
        ([1.0], ["1"], TypeError, "got str: '1'"),
    ],
)
def test_bad_input(control: object, experiment: object, error: type, fragment: str) -> None:
    with pytest.raises(error, match=None) as info:
        mann_whitney_u(control, experiment)  # type: ignore[arg-type]
    assert fragment in str(info.value)
    with pytest.raises(error):
        hodges_lehmann(control, experiment)  # type: ignore[arg-type]


def test_huge_samples_stay_finite() -> None:
    result = mann_whitney_u([1e300] * 50, [-1e300] * 50)
    assert result.u == 0.0
    assert 0.0 <= result.p_value < 1e-15
