"""QuadTree queries against brute force on random points, and its invariants."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.design_solutions_1 import QuadTree

coords = st.floats(min_value=0, max_value=100, allow_nan=False)
# Few distinct values make duplicates and points on split lines common.
gridded = st.integers(min_value=0, max_value=8).map(lambda i: i * 12.5)
points = st.lists(st.tuples(st.one_of(coords, gridded), st.one_of(coords, gridded)), max_size=80)


def build(pts: list[tuple[float, float]], capacity: int) -> QuadTree[int]:
    tree: QuadTree[int] = QuadTree((0, 0, 100, 100), capacity=capacity, max_depth=12)
    for i, (x, y) in enumerate(pts):
        tree.insert(x, y, i)
        tree._check_invariants()
    return tree


@settings(max_examples=40)
@given(points, st.integers(min_value=1, max_value=5), coords, coords, coords, coords)
def test_range_query_equals_brute_force(
    pts: list[tuple[float, float]], capacity: int, a: float, b: float, c: float, d: float
) -> None:
    tree = build(pts, capacity)
    x0, x1, y0, y1 = min(a, b), max(a, b), min(c, d), max(c, d)
    got = tree.query_range(x0, y0, x1, y1)
    want = [i for i, (x, y) in enumerate(pts) if x0 <= x <= x1 and y0 <= y <= y1]
    assert sorted(key for *_, key in got) == want
    assert got == sorted(got, key=lambda p: (p[0], p[1]))


@settings(max_examples=40)
@given(points, st.integers(min_value=1, max_value=5), coords, coords, st.integers(1, 10))
def test_k_nearest_equals_brute_force(
    pts: list[tuple[float, float]], capacity: int, qx: float, qy: float, k: int
) -> None:
    tree = build(pts, capacity)
    got = tree.nearest(qx, qy, k)
    brute = sorted(math.hypot(x - qx, y - qy) for x, y in pts)[:k]
    # Ties may be returned in any order, so compare the distances, nearest first.
    assert [math.hypot(x - qx, y - qy) for x, y, _ in got] == brute
    assert len({key for *_, key in got}) == len(got)
    for x, y, key in got:
        assert pts[key] == (x, y)


def test_query_outside_the_bounds_and_identical_points() -> None:
    tree: QuadTree[str] = QuadTree((0, 0, 10, 10), capacity=1, max_depth=3)
    for name in "abcde":
        tree.insert(5, 5, name)  # identical points stop splitting at max_depth
    tree._check_invariants()
    assert tree.height() == 3
    assert len(tree) == 5
    assert [k for *_, k in tree.nearest(-100, -100, k=2)] == ["a", "b"]
    assert [k for *_, k in tree.query_range(5, 5, 5, 5)] == list("abcde")
    assert tree.query_range(-50, -50, -1, -1) == []


def test_dense_cluster_gets_deep_small_leaves() -> None:
    tree: QuadTree[int] = QuadTree((0, 0, 64, 64), capacity=2)
    for i in range(16):
        tree.insert(1 + i / 100, 1 + i / 100, i)
    tree.insert(60, 60, 99)
    leaves = tree.leaves()
    assert tree.height() >= 6
    assert (32.0, 32.0, 64.0, 64.0) in leaves  # the empty-ish corner stays one big leaf
