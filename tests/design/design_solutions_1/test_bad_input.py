"""Every public entry point refuses bad input with the offending value in the message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from studybook.design.design_solutions_1 import (
    LRUCache,
    QuadTree,
    a_star,
    euclidean,
    geohash_bounds,
    geohash_decode,
    geohash_encode,
    geohash_neighbors,
    grid_graph,
    haversine_km,
    nearest_neighbour_tour,
    optimal_tour,
    random_grid,
    road_graph,
    route,
    tour_length,
    tsp_gaps,
    two_opt,
)

NAN = float("nan")
INF = float("inf")
_TREE: QuadTree[int] = QuadTree((0, 0, 10, 10))
_G = {"a": {"b": 1.0}, "b": {}}


def _zero(n: object, g: object) -> float:
    return 0


CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    ("lat out of range", lambda: geohash_encode(90.5, 0), ValueError, "latitude .* got 90.5"),
    ("lon out of range", lambda: geohash_encode(0, -180.1), ValueError, "longitude .* got -180.1"),
    ("lat nan", lambda: geohash_encode(NAN, 0), ValueError, "got nan"),
    ("lon inf", lambda: geohash_encode(0, INF), ValueError, "got inf"),
    ("lat bool", lambda: geohash_encode(True, 0), TypeError, "got bool: True"),
    ("lat str", lambda: geohash_encode("42", 0), TypeError, "got str: '42'"),  # type: ignore[arg-type]
    ("precision 0", lambda: geohash_encode(0, 0, 0), ValueError, "precision .* got 0"),
    ("precision 13", lambda: geohash_encode(0, 0, 13), ValueError, "got 13"),
    ("precision bool", lambda: geohash_encode(0, 0, True), TypeError, "got bool: True"),
    ("precision float", lambda: geohash_encode(0, 0, 5.0), TypeError, "got float: 5.0"),  # type: ignore[arg-type]
    ("decode a", lambda: geohash_decode("ezs4a"), ValueError, "'a' at index 4"),
    ("decode i", lambda: geohash_decode("i"), ValueError, "'i' at index 0"),
    ("decode l", lambda: geohash_decode("u4l"), ValueError, "'l' at index 2"),
    ("decode o", lambda: geohash_decode("o"), ValueError, "'o' at index 0"),
    ("decode unicode", lambda: geohash_decode("ezsé"), ValueError, "'é' at index 3"),
    ("decode space", lambda: geohash_decode("ezs 4"), ValueError, "' ' at index 3"),
    # str.lower() turns the Kelvin sign into 'k': still not a geohash character.
    ("decode kelvin", lambda: geohash_decode("ezs4\u212a"), ValueError, "at index 4"),
    ("decode empty", lambda: geohash_decode(""), ValueError, "got ''"),
    ("decode long", lambda: geohash_decode("0" * 13), ValueError, "got '0000000000000'"),
    ("decode bytes", lambda: geohash_decode(b"ezs42"), TypeError, "got bytes: b'ezs42'"),  # type: ignore[arg-type]
    ("bounds None", lambda: geohash_bounds(None), TypeError, "got NoneType: None"),  # type: ignore[arg-type]
    ("neighbours bad", lambda: geohash_neighbors("ab"), ValueError, "'a' at index 0"),
    ("haversine nan", lambda: haversine_km(NAN, 0, 0, 0), ValueError, "lat1 .* got nan"),
    ("haversine range", lambda: haversine_km(0, 0, 0, 181), ValueError, "lon2 .* got 181"),
    ("lru capacity 0", lambda: LRUCache(0), ValueError, "capacity must be >= 1, got 0"),
    ("lru capacity -1", lambda: LRUCache(-1), ValueError, "got -1"),
    ("lru capacity bool", lambda: LRUCache(True), TypeError, "got bool: True"),
    ("lru capacity float", lambda: LRUCache(2.0), TypeError, "got float: 2.0"),  # type: ignore[arg-type]
    ("lru capacity nan", lambda: LRUCache(NAN), TypeError, "got float: nan"),  # type: ignore[arg-type]
    ("lru unhashable get", lambda: LRUCache[Any, Any](1).get([1]), TypeError, r"got list: \[1\]"),
    ("lru unhashable put", lambda: LRUCache[Any, Any](1).put({}, 1), TypeError, r"got dict: \{\}"),
    ("qt bounds empty", lambda: QuadTree((0, 0, 0, 1)), ValueError, r"got \(0, 0, 0, 1\)"),
    ("qt bounds nan", lambda: QuadTree((0, 0, NAN, 1)), ValueError, "got nan"),
    ("qt bounds list", lambda: QuadTree([0, 0, 1, 1]), TypeError, r"got \[0, 0, 1, 1\]"),  # type: ignore[arg-type]
    ("qt capacity 0", lambda: QuadTree((0, 0, 1, 1), capacity=0), ValueError, "got 0"),
    ("qt capacity bool", lambda: QuadTree((0, 0, 1, 1), capacity=True), TypeError, "True"),
    ("qt depth huge", lambda: QuadTree((0, 0, 1, 1), max_depth=65), ValueError, "got 65"),
    ("qt insert outside", lambda: _TREE.insert(10.5, 1, 0), ValueError, "x .* got 10.5"),
    ("qt insert nan", lambda: _TREE.insert(1, NAN, 0), ValueError, "y .* got nan"),
    ("qt insert bool", lambda: _TREE.insert(True, 1, 0), TypeError, "got bool: True"),
    ("qt range inverted", lambda: _TREE.query_range(0, 5, 1, 4), ValueError, r"got \(0, 5, 1, 4\)"),
    ("qt range inf", lambda: _TREE.query_range(0, 0, INF, 1), ValueError, "x_max .* got inf"),
    ("qt nearest k 0", lambda: _TREE.nearest(1, 1, 0), ValueError, "k must be >= 1, got 0"),
    ("qt nearest k bool", lambda: _TREE.nearest(1, 1, True), TypeError, "got bool: True"),
    ("qt nearest nan", lambda: _TREE.nearest(NAN, 1), ValueError, "got nan"),
    ("route no start", lambda: a_star(_G, "z", "b", _zero), KeyError, "start node 'z'"),
    ("route unreachable", lambda: a_star(_G, "b", "a", _zero), KeyError, "'a' is not reachable"),
    (
        "route negative w",
        lambda: a_star({"a": {"b": -1}}, "a", "b", _zero),
        ValueError,
        "'a' -> 'b' .* got -1",
    ),
    ("route nan w", lambda: a_star({"a": {"b": NAN}}, "a", "b", _zero), ValueError, "got nan"),
    (
        "route bool w",
        lambda: a_star({"a": {"b": True}}, "a", "b", _zero),
        TypeError,
        "got bool: True",
    ),
    (
        "route h nan",
        lambda: route(_G, "a", "b", lambda n, g: NAN),
        ValueError,
        r"heuristic\('a', 'b'\) .* got nan",
    ),
    ("route h negative", lambda: route(_G, "a", "b", lambda n, g: -2), ValueError, "got -2"),
    ("route h str", lambda: route(_G, "a", "b", lambda n, g: "0"), TypeError, "got str: '0'"),  # type: ignore[arg-type,return-value]
    ("route h not callable", lambda: route(_G, "a", "b", 0), TypeError, "got int: 0"),  # type: ignore[arg-type]
    ("route graph list", lambda: route([], "a", "b", _zero), TypeError, r"got \[\]"),  # type: ignore[arg-type]
    ("grid empty", lambda: grid_graph([]), ValueError, r"got \[\]"),
    ("grid ragged", lambda: grid_graph(["..", "."]), ValueError, "row 1 has length 1"),
    ("grid bad char", lambda: grid_graph([".x"]), ValueError, "got 'x'"),
    ("grid row int", lambda: grid_graph([1]), TypeError, "got 1"),  # type: ignore[list-item]
    ("grid one str", lambda: grid_graph("..#"), TypeError, "not one str: '..#'"),
    ("random grid fraction", lambda: random_grid(3, 1.5, 0), ValueError, "got 1.5"),
    ("road n 1", lambda: road_graph(1, 0), ValueError, "got 1"),
    ("road detour", lambda: road_graph(5, 0, detour=0.5), ValueError, "got 0.5"),
    ("euclid scale", lambda: euclidean({}, scale=NAN), ValueError, "got nan"),
    ("tsp empty", lambda: nearest_neighbour_tour([]), ValueError, r"got \[\]"),
    ("tsp nan", lambda: nearest_neighbour_tour([(0, NAN)]), ValueError, "y of point 0 .* got nan"),
    ("tsp bad point", lambda: two_opt([(0, 0), (1,)]), TypeError, r"point 1 .* got \(1,\)"),  # type: ignore[list-item]
    ("tsp str", lambda: optimal_tour("ab"), TypeError, "got 'ab'"),  # type: ignore[arg-type]
    ("tsp too many", lambda: optimal_tour([(i, 0) for i in range(11)]), ValueError, "got 11"),
    ("tsp bad order", lambda: tour_length([(0, 0), (1, 1)], [1, 1]), ValueError, r"got \[1, 1\]"),
    ("tsp two_opt order", lambda: two_opt([(0, 0), (1, 1)], [0, 2]), ValueError, r"got \[0, 2\]"),
    (
        "tsp order bool",
        lambda: tour_length([(0, 0), (1, 1)], [True, False]),
        TypeError,
        "stop 0 of order .* got bool: True",
    ),
    ("tsp order float", lambda: two_opt([(0, 0), (1, 1)], [0, 1.0]), TypeError, "got float: 1.0"),  # type: ignore[list-item]
    ("tsp order None", lambda: tour_length([(0, 0)], None), TypeError, "got None"),  # type: ignore[arg-type]
    ("tsp huge", lambda: nearest_neighbour_tour([(0, 0)] * 1001), ValueError, "got 1001"),
    ("route start list", lambda: a_star(_G, ["a"], "b", _zero), TypeError, r"got \['a'\]"),
    ("gaps n 3", lambda: tsp_gaps(3, 1), ValueError, "got 3"),
    ("gaps trials bool", lambda: tsp_gaps(5, True), TypeError, "got bool: True"),
]


@pytest.mark.parametrize(("what", "call", "error", "pattern"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_the_value_in_the_message(
    what: str, call: Callable[[], Any], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_a_refused_insert_leaves_the_tree_intact() -> None:
    tree: QuadTree[int] = QuadTree((0, 0, 10, 10), capacity=1)
    tree.insert(1, 1, 0)
    with pytest.raises(ValueError, match="got nan"):
        tree.insert(NAN, 1, 1)
    tree._check_invariants()
    assert len(tree) == 1
