"""Tours against the brute-force optimum: heuristics never beat it, 2-opt never worsens."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.design_solutions_1 import (
    nearest_neighbour_tour,
    optimal_tour,
    tour_length,
    tsp_gaps,
    two_opt,
)

coord = st.integers(min_value=0, max_value=50).map(float)  # integer grid: ties and collinear points
point_sets = st.lists(st.tuples(coord, coord), min_size=1, max_size=7)


def length(pts: list[tuple[float, float]], order: Sequence[int]) -> float:
    """The oracle's own tour length: no validation, so it is cheap to call n! times."""
    return sum(math.dist(pts[order[i - 1]], pts[order[i]]) for i in range(len(order)))


def is_tour(order: tuple[int, ...], n: int) -> bool:
    return order[0] == 0 and sorted(order) == list(range(n))


@settings(max_examples=60)
@given(point_sets)
def test_heuristics_are_valid_tours_never_shorter_than_the_optimum(
    pts: list[tuple[float, float]],
) -> None:
    n = len(pts)
    best = optimal_tour(pts)
    nn = nearest_neighbour_tour(pts)
    improved = two_opt(pts, nn.order)
    for tour in (best, nn, improved):
        assert is_tour(tour.order, n)
        assert math.isclose(tour.length, tour_length(pts, tour.order), abs_tol=1e-9)
    assert best.length <= improved.length + 1e-9
    assert improved.length <= nn.length + 1e-9


@settings(max_examples=40)
@given(st.lists(st.tuples(coord, coord), min_size=4, max_size=6))
def test_brute_force_agrees_with_trying_every_permutation(pts: list[tuple[float, float]]) -> None:
    # The reference: every permutation, no symmetry tricks.
    want = min(length(pts, p) for p in itertools.permutations(range(len(pts))))
    assert math.isclose(optimal_tour(pts).length, want, abs_tol=1e-9)


@settings(max_examples=40)
@given(st.lists(st.tuples(coord, coord), min_size=4, max_size=9))
def test_two_opt_result_is_a_local_optimum(pts: list[tuple[float, float]]) -> None:
    tour = list(two_opt(pts).order)
    base = length(pts, tour)
    n = len(tour)
    for i in range(1, n - 1):
        for j in range(i + 1, n):
            moved = tour[:i] + tour[i : j + 1][::-1] + tour[j + 1 :]
            assert length(pts, moved) >= base - 1e-6


def test_two_opt_untangles_a_crossing() -> None:
    square = [(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)]
    assert tour_length(square, [0, 1, 2, 3]) == pytest.approx(2 + 2 * math.sqrt(2))
    assert two_opt(square, [0, 1, 2, 3]).length == pytest.approx(4)


def test_gap_measurement_for_nine_points() -> None:
    s = tsp_gaps(9, 5, seed=3)
    assert s.n == 9
    assert s.trials == 5
    assert 0 <= s.two_opt_mean <= s.nn_mean
    assert s.two_opt_max <= s.nn_max
    assert 0 <= s.two_opt_optimal <= 5
