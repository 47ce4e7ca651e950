"""A bucket PR quadtree: range and k-nearest queries that skip the empty parts of the map.

Finkel and Bentley's (1974) *point* quadtree splits the plane at the data
points themselves; the variant used by map services, and built here, is the
*bucket PR (point-region) quadtree* of Samet's survey (1984), which splits
space, not data: every node covers a rectangle, a leaf holds up to
``capacity`` points, and a leaf that overflows splits into four equal
quadrants, wherever the points are. (Samet's *region* quadtree is the same
decomposition applied to areas, such as the pixels of an image.) Dense areas
get deep, small cells and empty areas stay one big leaf, which is why a
proximity service prefers it to a fixed grid when population density varies.

Invariant: every point lies in exactly one leaf, inside that leaf's
rectangle; a leaf holds at most ``capacity`` points unless it is at
``max_depth`` (where identical points would otherwise split forever).

==============  ==================================  ======================
operation       what                                cost (n points, k)
==============  ==================================  ======================
insert          add one point                       O(depth)
query_range     points in a rectangle               O(depth + visited)
nearest         k closest points, best-first        O((depth + k) log n)
                                                    typical
==============  ==================================  ======================

>>> tree = QuadTree((0, 0, 100, 100))
>>> for i, (x, y) in enumerate([(10, 10), (20, 80), (55, 45), (60, 50), (90, 90)]):
...     tree.insert(x, y, f"p{i}")
>>> [key for _, _, key in tree.nearest(59, 48, k=2)]
['p3', 'p2']

Primary sources: R. A. Finkel, J. L. Bentley, "Quad trees: a data structure
for retrieval on composite keys", Acta Informatica 4(1), 1974; H. Samet,
"The quadtree and related hierarchical data structures", ACM Computing
Surveys 16(2), 1984.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from studybook._validate import check_int, check_real

__all__ = ["QuadTree"]

K = TypeVar("K")
Entry = tuple[float, float, K]


@dataclass
class _Node(Generic[K]):
    x0: float
    y0: float
    x1: float
    y1: float
    depth: int
    points: list[tuple[float, float, K]] = field(default_factory=list)
    children: list[_Node[K]] | None = None

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def quadrant(self, x: float, y: float) -> int:
        # Points on a split line go to the upper (east/north) child.
        mx, my = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return (x >= mx) + 2 * (y >= my)

    def min_distance(self, x: float, y: float) -> float:
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return math.hypot(dx, dy)


class QuadTree(Generic[K]):
    """A bucket PR quadtree over a rectangle, storing points with a key each.

    Args:
        bounds: ``(x_min, y_min, x_max, y_max)``, finite, with ``x_min < x_max``
            and ``y_min < y_max``. For longitude/latitude pass
            ``(-180, -90, 180, 90)``.
        capacity: points a leaf holds before it splits (>= 1).
        max_depth: the deepest level (root is 0); a leaf there never splits.

    Raises:
        ValueError: an empty or non-finite rectangle, capacity < 1, max_depth < 0 or > 64.
        TypeError: a bound that is not a number, capacity or max_depth not an int.

    Complexity: O(n) memory for n points.

    >>> QuadTree((0, 0, 0, 10))
    Traceback (most recent call last):
        ...
    ValueError: bounds must have x_min < x_max and y_min < y_max, got (0, 0, 0, 10)
    """

    def __init__(
        self,
        bounds: tuple[float, float, float, float],
        capacity: int = 4,
        max_depth: int = 24,
    ) -> None:
        if not isinstance(bounds, tuple) or len(bounds) != 4:
            raise TypeError(f"bounds must be a tuple (x_min, y_min, x_max, y_max), got {bounds!r}")
        x0, y0, x1, y1 = (check_real(b, "bounds") for b in bounds)
        if not (x0 < x1 and y0 < y1):
            raise ValueError(f"bounds must have x_min < x_max and y_min < y_max, got {bounds!r}")
        self.capacity = check_int(capacity, "capacity", minimum=1)
        self.max_depth = check_int(max_depth, "max_depth", minimum=0, maximum=64)
        self.bounds = (x0, y0, x1, y1)
        self._root: _Node[K] = _Node(x0, y0, x1, y1, 0)
        self._size = 0

    def __len__(self) -> int:
        """Return the number of points stored."""
        return self._size

    def insert(self, x: float, y: float, key: K) -> None:
        """Add the point ``(x, y)`` carrying ``key`` (duplicates are allowed).

        Raises:
            ValueError: ``x`` or ``y`` outside the tree's bounds, NaN or infinite.
            TypeError: a coordinate that is not a number.

        Complexity: O(depth), plus O(capacity) for each split it causes.

        >>> tree: QuadTree[str] = QuadTree((0, 0, 10, 10), capacity=1)
        >>> tree.insert(1, 1, "a"); tree.insert(9, 9, "b"); tree.height()
        1
        >>> tree.insert(11, 5, "c")
        Traceback (most recent call last):
            ...
        ValueError: x must be a finite number in [0, 10], got 11
        """
        x0, y0, x1, y1 = self.bounds
        px = check_real(x, "x", low=x0, high=x1)
        py = check_real(y, "y", low=y0, high=y1)
        node = self._root
        while node.children is not None:
            node = node.children[node.quadrant(px, py)]
        node.points.append((px, py, key))
        self._size += 1
        while len(node.points) > self.capacity and node.depth < self.max_depth:
            node = self._split(node, px, py)

    def _split(self, node: _Node[K], x: float, y: float) -> _Node[K]:
        """Turn a full leaf into four quadrants; return the child that got ``(x, y)``."""
        mx, my = (node.x0 + node.x1) / 2, (node.y0 + node.y1) / 2
        d = node.depth + 1
        node.children = [
            _Node(node.x0, node.y0, mx, my, d),  # 0: south-west
            _Node(mx, node.y0, node.x1, my, d),  # 1: south-east
            _Node(node.x0, my, mx, node.y1, d),  # 2: north-west
            _Node(mx, my, node.x1, node.y1, d),  # 3: north-east
        ]
        for point in node.points:
            node.children[node.quadrant(point[0], point[1])].points.append(point)
        node.points = []
        return node.children[node.quadrant(x, y)]

    def query_range(
        self, x_min: float, y_min: float, x_max: float, y_max: float
    ) -> list[tuple[float, float, K]]:
        """Return every point with ``x_min <= x <= x_max`` and ``y_min <= y <= y_max``.

        The result is sorted by ``(x, y)`` and then insertion order, so it does
        not depend on the tree's shape. Subtrees whose rectangle misses the
        query are never visited.

        Raises:
            ValueError: a bound that is NaN or infinite, or ``x_min > x_max`` / ``y_min > y_max``.
            TypeError: a bound that is not a number.

        Complexity: O(depth + nodes visited + m log m) for m points found.

        >>> tree: QuadTree[int] = QuadTree((0, 0, 8, 8), capacity=2)
        >>> for i in range(8):
        ...     tree.insert(i, i, i)
        >>> tree.query_range(2, 0, 4, 3)
        [(2.0, 2.0, 2), (3.0, 3.0, 3)]
        >>> tree.query_range(5, 0, 4, 3)
        Traceback (most recent call last):
            ...
        ValueError: need x_min <= x_max and y_min <= y_max, got (5, 0, 4, 3)
        """
        qx0, qy0, qx1, qy1 = (
            check_real(v, name)
            for v, name in ((x_min, "x_min"), (y_min, "y_min"), (x_max, "x_max"), (y_max, "y_max"))
        )
        if qx0 > qx1 or qy0 > qy1:
            raise ValueError(
                f"need x_min <= x_max and y_min <= y_max, got {(x_min, y_min, x_max, y_max)!r}"
            )
        found: list[tuple[int, tuple[float, float, K]]] = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.x1 < qx0 or node.x0 > qx1 or node.y1 < qy0 or node.y0 > qy1:
                continue
            if node.children is not None:
                stack.extend(node.children)
                continue
            for point in node.points:
                if qx0 <= point[0] <= qx1 and qy0 <= point[1] <= qy1:
                    found.append((len(found), point))
        found.sort(key=lambda item: (item[1][0], item[1][1], item[0]))
        return [point for _, point in found]

    def nearest(self, x: float, y: float, k: int = 1) -> list[tuple[float, float, K]]:
        """Return the ``k`` points closest to ``(x, y)`` (Euclidean), nearest first.

        Best-first search: a heap holds nodes keyed by the distance from the
        query to their rectangle, and points keyed by their own distance. A
        point popped from the heap is closer than anything still in it, so the
        first ``k`` points popped are the answer, and a node farther than the
        k-th point is never opened. The query point may lie outside the bounds.
        Among points at equal distance the order is deterministic but
        depends on the tree's shape; fewer than ``k`` points gives all.

        Raises:
            ValueError: ``x``/``y`` NaN or infinite, or ``k < 1``.
            TypeError: a coordinate that is not a number, ``k`` not an int.

        Complexity: O((depth + k) log n) for evenly spread points; O(n log n) worst case.

        >>> tree: QuadTree[str] = QuadTree((0, 0, 10, 10))
        >>> tree.insert(1, 1, "a"); tree.insert(4, 5, "b"); tree.insert(9, 9, "c")
        >>> tree.nearest(6, 6, k=2)
        [(4.0, 5.0, 'b'), (9.0, 9.0, 'c')]
        >>> tree.nearest(5, 5, k=0)
        Traceback (most recent call last):
            ...
        ValueError: k must be >= 1, got 0
        """
        qx, qy = check_real(x, "x"), check_real(y, "y")
        check_int(k, "k", minimum=1)
        tie = itertools.count()
        heap: list[tuple[float, int, int, _Node[K] | tuple[float, float, K]]] = [
            (0.0, 0, next(tie), self._root)
        ]
        result: list[tuple[float, float, K]] = []
        while heap and len(result) < k:
            _, _, _, item = heapq.heappop(heap)
            if isinstance(item, tuple):
                result.append(item)
                continue
            if item.children is not None:
                for child in item.children:
                    heapq.heappush(heap, (child.min_distance(qx, qy), 1, next(tie), child))
            else:
                for point in item.points:
                    d = math.hypot(point[0] - qx, point[1] - qy)
                    # Points before nodes at equal distance: a node's points are no closer.
                    heapq.heappush(heap, (d, 0, next(tie), point))
        return result

    def height(self) -> int:
        """Return the depth of the deepest leaf (0 for a tree that never split).

        Complexity: O(nodes).
        """
        deepest = 0
        stack = [self._root]
        while stack:
            node = stack.pop()
            deepest = max(deepest, node.depth)
            if node.children is not None:
                stack.extend(node.children)
        return deepest

    def leaves(self) -> list[tuple[float, float, float, float]]:
        """Return the rectangle ``(x0, y0, x1, y1)`` of every leaf, sorted.

        Complexity: O(nodes log nodes).

        >>> tree: QuadTree[int] = QuadTree((0, 0, 4, 4), capacity=1)
        >>> tree.insert(1, 1, 0); tree.insert(3, 3, 1); tree.leaves()
        [(0.0, 0.0, 2.0, 2.0), (0.0, 2.0, 2.0, 4.0), (2.0, 0.0, 4.0, 2.0), (2.0, 2.0, 4.0, 4.0)]
        """
        rects = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children is None:
                rects.append((node.x0, node.y0, node.x1, node.y1))
            else:
                stack.extend(node.children)
        return sorted(rects)

    def _check_invariants(self) -> None:
        count = 0
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children is None:
                if len(node.points) > self.capacity and node.depth < self.max_depth:
                    raise AssertionError(f"leaf at depth {node.depth} holds {len(node.points)}")
                for px, py, _ in node.points:
                    if not node.contains(px, py):
                        raise AssertionError(f"point {(px, py)} outside its leaf")
                count += len(node.points)
            else:
                if node.points:
                    raise AssertionError("an inner node holds points")
                for child in node.children:
                    if child.depth != node.depth + 1:
                        raise AssertionError("child depth is not parent depth + 1")
                stack.extend(node.children)
        if count != self._size:
            raise AssertionError(f"{count} points in leaves, size says {self._size}")
