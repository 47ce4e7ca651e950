"""The travelling salesman: nearest neighbour, 2-opt, and the exact optimum for small n.

A delivery van must visit every stop once and come back. Finding the shortest
such tour is NP-hard (Hamiltonian circuit, one of Karp's 21 NP-complete
problems of 1972, reduces to it), so production route planners use construction heuristics
followed by local search, and check them against exact answers on small
instances. This module has one of each:

* **nearest neighbour**: from the current stop, go to the closest unvisited
  one. O(n²), and on metric instances at most ``(⌈log₂ n⌉ + 1) / 2``
  times the optimum (Rosenkrantz, Stearns and Lewis, 1977).
* **2-opt** (Croes, 1958): while some pair of tour edges ``(a, b)``,
  ``(c, d)`` can be swapped for ``(a, c)``, ``(b, d)`` to shorten the tour,
  reverse the segment between them. The result has no two crossing edges.
* **brute force**: try every tour, fixing the first stop and one direction:
  ``(n - 1)! / 2`` tours, so n <= 10 here (181,440 tours).

Invariant: every tour is a permutation of ``range(n)`` starting at 0, and
``optimal <= two_opt(t) <= t`` for every tour ``t``.

>>> pts = [(0, 0), (0, 2), (2, 2), (2, 0), (1, 1)]
>>> nearest_neighbour_tour(pts)
Tour(order=(0, 4, 1, 2, 3), length=8.82842712474619)

Primary sources: G. A. Croes, "A method for solving traveling-salesman
problems", Operations Research 6(6), 1958; D. J. Rosenkrantz, R. E. Stearns,
P. M. Lewis II, "An analysis of several heuristics for the traveling
salesman problem", SIAM Journal on Computing 6(3), 1977.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from typing import NamedTuple

from studybook._validate import check_int, check_real

__all__ = [
    "MAX_BRUTE_FORCE",
    "MAX_TOUR_POINTS",
    "GapStats",
    "Tour",
    "nearest_neighbour_tour",
    "optimal_tour",
    "tour_length",
    "tsp_gaps",
    "two_opt",
]

#: The most stops the heuristics accept, as their distance matrix has n² entries.
MAX_TOUR_POINTS = 1000
#: The largest n that :func:`optimal_tour` accepts, 9!/2 = 181,440 tours.
MAX_BRUTE_FORCE = 10
Point = tuple[float, float]


class Tour(NamedTuple):
    """A closed tour: the visiting order (starting at stop 0) and its total length."""

    order: tuple[int, ...]
    length: float


def _points(points: object, *, minimum: int = 1) -> list[Point]:
    if isinstance(points, str | bytes) or not isinstance(points, Sequence):
        raise TypeError(f"points must be a sequence of (x, y) pairs, got {points!r}")
    if len(points) < minimum:
        raise ValueError(f"need at least {minimum} point(s), got {list(points)!r}")
    if len(points) > MAX_TOUR_POINTS:
        raise ValueError(f"at most {MAX_TOUR_POINTS} points, got {len(points)}")
    checked = []
    for i, p in enumerate(points):
        if not isinstance(p, tuple | list) or len(p) != 2:
            raise TypeError(f"point {i} must be an (x, y) pair, got {p!r}")
        checked.append((check_real(p[0], f"x of point {i}"), check_real(p[1], f"y of point {i}")))
    return checked


def _matrix(pts: Sequence[Point]) -> list[list[float]]:
    return [[math.dist(a, b) for b in pts] for a in pts]


def tour_length(points: Sequence[Point], order: Sequence[int]) -> float:
    """Return the length of the closed tour visiting ``points`` in ``order``.

    Raises:
        ValueError: ``order`` is not a permutation of ``range(len(points))``;
            a coordinate that is NaN or infinite.
        TypeError: a point that is not an (x, y) pair of numbers; a stop in
            ``order`` that is not an int (``bool`` and ``float`` included).

    Complexity: O(n log n) to check the permutation, O(n) to sum.

    >>> tour_length([(0, 0), (3, 0), (3, 4)], [0, 1, 2])
    12.0
    >>> tour_length([(0, 0), (3, 0)], [0, 0])
    Traceback (most recent call last):
        ...
    ValueError: order must be a permutation of range(2), got [0, 0]
    """
    pts = _points(points)
    if isinstance(order, str | bytes) or not isinstance(order, Sequence):
        raise TypeError(f"order must be a sequence of stop indices, got {order!r}")
    for i, stop in enumerate(order):
        check_int(stop, f"stop {i} of order")  # True == 1 and 1.0 == 1 pass a sorted() check
    if sorted(order) != list(range(len(pts))):
        raise ValueError(f"order must be a permutation of range({len(pts)}), got {list(order)!r}")
    closing = [*order[1:], order[0]]
    return sum(math.dist(pts[a], pts[b]) for a, b in zip(order, closing, strict=True))


def nearest_neighbour_tour(points: Sequence[Point]) -> Tour:
    """Build a tour greedily: start at stop 0, always go to the closest unvisited stop.

    Ties go to the lower index.

    Raises:
        ValueError: no points, more than :data:`MAX_TOUR_POINTS`; a coordinate
            that is NaN or infinite.
        TypeError: a point that is not an (x, y) pair of numbers.

    Complexity: O(n²).

    >>> nearest_neighbour_tour([(0, 0)])
    Tour(order=(0,), length=0.0)
    >>> nearest_neighbour_tour([])
    Traceback (most recent call last):
        ...
    ValueError: need at least 1 point(s), got []
    """
    pts = _points(points)
    d = _matrix(pts)
    order = [0]
    unvisited = set(range(1, len(pts)))
    while unvisited:
        here = order[-1]
        nxt = min(unvisited, key=lambda j: (d[here][j], j))
        order.append(nxt)
        unvisited.remove(nxt)
    return _tour(d, order)


def _tour(d: Sequence[Sequence[float]], order: Sequence[int]) -> Tour:
    length = sum(d[a][b] for a, b in zip(order, [*order[1:], order[0]], strict=True))
    return Tour(tuple(order), length)


def two_opt(points: Sequence[Point], order: Sequence[int] | None = None) -> Tour:
    """Improve a tour with 2-opt moves until none shortens it (a 2-opt local optimum).

    A move removes edges ``(t[i-1], t[i])`` and ``(t[j], t[j+1])`` and
    reconnects the tour by reversing ``t[i..j]``; it is taken when it
    shortens the tour by more than 1e-9 (so rounding cannot make it cycle).

    Args:
        points: the stops.
        order: the starting tour (a permutation of ``range(n)``); by default
            the nearest-neighbour tour.

    Raises:
        ValueError, TypeError: as :func:`tour_length`.

    Complexity: O(n²) per pass; the number of passes is small in practice
    but can be exponential in the worst case (Englert, Röglin, Vöcking, 2014).

    >>> square = [(0, 0), (2, 2), (0, 2), (2, 0)]
    >>> two_opt(square, [0, 1, 2, 3])  # the crossing tour 0-1-2-3 is untangled
    Tour(order=(0, 2, 1, 3), length=8.0)
    """
    pts = _points(points)
    if order is None:
        tour = list(nearest_neighbour_tour(pts).order)
    else:
        tour_length(pts, order)  # validates the permutation
        tour = list(order)
    d = _matrix(pts)
    n = len(tour)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                a, b = tour[i - 1], tour[i]
                c, e = tour[j], tour[(j + 1) % n]
                if d[a][c] + d[b][e] < d[a][b] + d[c][e] - 1e-9:
                    tour[i : j + 1] = reversed(tour[i : j + 1])
                    improved = True
    return _tour(d, tour)


def optimal_tour(points: Sequence[Point]) -> Tour:
    """Return a shortest tour by trying all ``(n - 1)! / 2`` of them (n <= 10).

    Stop 0 is fixed first, and of each tour and its reverse only the one whose
    second stop is smaller than its last is tried. Ties go to the first tour
    in lexicographic order.

    Raises:
        ValueError: no points, more than :data:`MAX_BRUTE_FORCE`, NaN or infinite coordinates.
        TypeError: a point that is not an (x, y) pair of numbers.

    Complexity: O(n!) time, O(n) space.

    >>> optimal_tour([(0, 0), (0, 2), (2, 2), (2, 0), (1, 1)])
    Tour(order=(0, 1, 2, 3, 4), length=8.82842712474619)
    >>> optimal_tour([(i, 0) for i in range(11)])
    Traceback (most recent call last):
        ...
    ValueError: brute force is limited to 10 points, got 11
    """
    pts = _points(points)
    if len(pts) > MAX_BRUTE_FORCE:
        raise ValueError(f"brute force is limited to {MAX_BRUTE_FORCE} points, got {len(pts)}")
    d = _matrix(pts)
    n = len(pts)
    if n <= 3:
        return _tour(d, list(range(n)))
    best_len, best = math.inf, list(range(n))
    for rest in itertools.permutations(range(1, n)):
        if rest[0] > rest[-1]:
            continue  # the reverse of a tour already tried
        length = d[0][rest[0]] + d[rest[-1]][0]
        for a, b in itertools.pairwise(rest):
            length += d[a][b]
        if length < best_len - 1e-12:
            best_len, best = length, [0, *rest]
    return _tour(d, best)


class GapStats(NamedTuple):
    """How far a heuristic lands above the optimum, over many random instances, in %."""

    n: int
    trials: int
    nn_mean: float
    nn_max: float
    two_opt_mean: float
    two_opt_max: float
    two_opt_optimal: int


def tsp_gaps(n: int, trials: int, seed: int = 0) -> GapStats:
    """Measure nearest neighbour and NN + 2-opt against the brute-force optimum.

    Each trial draws ``n`` uniform points in the unit square from a seeded
    generator, so the figures are the same on every run.

    Raises:
        ValueError: ``n`` outside [4, 10] or ``trials`` < 1.
        TypeError: ``n``, ``trials`` or ``seed`` not an int.

    Complexity: O(trials x n!).

    >>> tsp_gaps(6, 20, seed=1)
    GapStats(n=6, trials=20, nn_mean=9.5, nn_max=25.1, two_opt_mean=0.3, two_opt_max=5.1,
             two_opt_optimal=19)
    """
    check_int(n, "n", minimum=4, maximum=MAX_BRUTE_FORCE)
    check_int(trials, "trials", minimum=1, maximum=10_000)
    rng = random.Random(check_int(seed, "seed"))  # noqa: S311 - a seeded simulation, not crypto
    nn_gaps, opt_gaps = [], []
    hits = 0
    for _ in range(trials):
        pts = [(rng.random(), rng.random()) for _ in range(n)]
        best = optimal_tour(pts).length
        nn = nearest_neighbour_tour(pts)
        nn_gaps.append(100 * (nn.length / best - 1))
        gap = 100 * (two_opt(pts, nn.order).length / best - 1)
        opt_gaps.append(gap)
        hits += gap < 1e-9
    return GapStats(
        n,
        trials,
        round(sum(nn_gaps) / trials, 1),
        round(max(nn_gaps), 1),
        round(sum(opt_gaps) / trials, 1),
        round(max(opt_gaps), 1),
        hits,
    )
