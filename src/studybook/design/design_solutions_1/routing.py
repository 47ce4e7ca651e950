"""Point-to-point routing: Dijkstra and A*, counting the nodes each one expands.

Dijkstra (1959) settles nodes in order of their distance from the start, so it
explores a disc around the start until the disc reaches the goal. A* (Hart,
Nilsson and Raphael, 1968) orders the frontier by ``g(n) + h(n)``: the cost so
far plus an estimate of the cost still to go. With ``h = 0`` it *is* Dijkstra;
with a good estimate (straight-line distance on a road map) the explored
region becomes an ellipse stretched towards the goal. The answer is a
shortest path whenever ``h`` is *admissible* (never overestimates); if ``h``
is also *consistent* (``h(u) <= w(u, v) + h(v)`` on every edge) no node is
expanded twice and A* expands only nodes Dijkstra also expands.

Both are written here as one search that reports the number of expansions,
which is the figure that matters on a continental road graph. Part I's
:func:`studybook.dsa.graph_algorithms.shortest_paths.dijkstra` computes distances to every
node and has no goal or counter, so it is used as the test oracle instead.

Invariant: the returned cost equals the shortest-path distance (Part I's
Dijkstra) for any admissible heuristic; with a consistent one, every node is
expanded at most once.

======================  ==========================================
function                cost (V nodes, E edges)
======================  ==========================================
a_star / route          O((V + E) log V) with a consistent h
dijkstra_route          O((V + E) log V)
grid_graph              O(rows x cols)
======================  ==========================================

>>> g = {"a": {"b": 1, "c": 4}, "b": {"c": 1}, "c": {}}
>>> a_star(g, "a", "c", lambda node, goal: 0)
['a', 'b', 'c']

Primary sources: E. W. Dijkstra, "A note on two problems in connexion with
graphs", Numerische Mathematik 1, 1959; P. E. Hart, N. J. Nilsson,
B. Raphael, "A Formal Basis for the Heuristic Determination of Minimum Cost
Paths", IEEE Transactions on Systems Science and Cybernetics 4(2), 1968.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Generic, NamedTuple, TypeVar

from studybook._validate import check_callable, check_int, check_real
from studybook.design.design_solutions_1.quadtree import QuadTree

__all__ = [
    "Route",
    "a_star",
    "dijkstra_route",
    "euclidean",
    "grid_graph",
    "manhattan",
    "road_graph",
    "route",
]

N = TypeVar("N", bound=Hashable)
#: node -> {neighbour -> edge weight >= 0}, the same shape as Part I's ``WeightedGraph``.
Graph = Mapping[N, Mapping[N, float]]
#: ``heuristic(node, goal)`` estimates the remaining cost, finite and >= 0.
Heuristic = Callable[[N, N], float]


class Route(NamedTuple, Generic[N]):
    """A path found by :func:`route`: its nodes, its total weight, and the work done."""

    path: list[N]
    cost: float
    expanded: int


def a_star(graph: Graph[N], start: N, goal: N, heuristic: Heuristic[N]) -> list[N]:
    """Return a cheapest path from ``start`` to ``goal`` (A*), ``start`` first.

    Args:
        graph: node -> {neighbour: weight}; every weight finite and >= 0.
        start: where the path begins.
        goal: where it ends.
        heuristic: ``heuristic(node, goal)`` estimates the remaining cost; it
            must never overestimate (be admissible) for the path to be optimal.

    Returns:
        The nodes of the path.

    Raises:
        KeyError: ``start`` or ``goal`` is not in the graph, or ``goal`` is unreachable.
        ValueError: a weight or a heuristic value that is negative, NaN or infinite.
        TypeError: a weight or heuristic value that is not a number; a heuristic
            that is not callable.

    Complexity: O((V + E) log V) time with a consistent heuristic, O(V) extra space.

    >>> grid = grid_graph(["..#", "..#", "..."])
    >>> a_star(grid, (0, 0), (2, 2), manhattan)
    [(0, 0), (0, 1), (1, 1), (2, 1), (2, 2)]
    >>> a_star(grid, (0, 0), (0, 2), manhattan)
    Traceback (most recent call last):
        ...
    KeyError: 'goal node (0, 2) is not in the graph'
    """
    return route(graph, start, goal, heuristic).path


def dijkstra_route(graph: Graph[N], start: N, goal: N) -> Route[N]:
    """Dijkstra from ``start``, stopping when ``goal`` is settled: A* with ``h = 0``.

    Raises:
        KeyError, ValueError, TypeError: as :func:`a_star`.

    Complexity: O((V + E) log V).

    >>> dijkstra_route({"a": {"b": 2, "c": 5}, "b": {"c": 2}}, "a", "c")
    Route(path=['a', 'b', 'c'], cost=4, expanded=3)
    """
    return route(graph, start, goal, _zero)


def _zero(node: object, goal: object) -> float:
    return 0


def route(graph: Graph[N], start: N, goal: N, heuristic: Heuristic[N]) -> Route[N]:
    """A* from ``start`` to ``goal``, reporting the path, its cost and the expansions.

    An *expansion* pops a node from the frontier and relaxes its out-edges.
    The frontier is ordered by ``f = g + h``; ties go to the smaller ``h``
    (the entry deeper along its path: on an open grid, where Manhattan
    distance ties everywhere, this is what keeps A* from flooding the whole
    rectangle), then to the goal, then to the entry pushed first. If a
    cheaper way into an already expanded node is found (possible only with
    an inconsistent heuristic) the node is reopened and expanded again,
    which keeps the answer optimal for every admissible heuristic; each
    re-expansion counts.

    Raises:
        KeyError, ValueError, TypeError: as :func:`a_star`.

    Complexity: O((V + E) log V) with a consistent heuristic; an inconsistent
    admissible one can cost exponentially many re-expansions (Martelli, 1977).

    >>> g = {"s": {"a": 1, "b": 1}, "a": {"t": 3}, "b": {"t": 1}}
    >>> route(g, "s", "t", lambda n, goal: {"s": 2, "a": 3, "b": 1, "t": 0}[n])
    Route(path=['s', 'b', 't'], cost=2, expanded=3)
    >>> route(g, "s", "t", lambda n, goal: -1)
    Traceback (most recent call last):
        ...
    ValueError: heuristic('s', 't') must be a finite number >= 0, got -1
    """
    check_callable(heuristic, "heuristic")
    nodes = _check_graph(graph)
    for role, node in (("start", start), ("goal", goal)):
        try:
            hash(node)
        except TypeError:
            raise TypeError(f"{role} must be hashable, got {node!r}") from None
        if node not in nodes:
            raise KeyError(f"{role} node {node!r} is not in the graph")
    best: dict[N, float] = {start: 0}
    parent: dict[N, N] = {}
    expanded: dict[N, float] = {}  # node -> g when last expanded
    tie = itertools.count()
    h0 = _h(heuristic, start, goal)
    heap: list[tuple[float, float, bool, int, float, N]] = [
        (h0, h0, start != goal, next(tie), 0, start)
    ]
    count = 0
    while heap:
        _, _, _, _, g, node = heapq.heappop(heap)
        if g > best[node] or expanded.get(node) == g:
            continue  # stale: a cheaper entry for this node was pushed later
        count += 1
        if node == goal:
            return Route(_walk_back(parent, start, goal), g, count)
        expanded[node] = g
        for succ, weight in graph.get(node, {}).items():
            ng = g + weight
            if ng < best.get(succ, math.inf):
                best[succ] = ng
                parent[succ] = node
                h = _h(heuristic, succ, goal)
                heapq.heappush(heap, (ng + h, h, succ != goal, next(tie), ng, succ))
    raise KeyError(f"goal {goal!r} is not reachable from {start!r}")


def _h(heuristic: Heuristic[N], node: N, goal: N) -> float:
    value = heuristic(node, goal)
    return check_real(value, f"heuristic({node!r}, {goal!r})", low=0)


def _walk_back(parent: Mapping[N, N], start: N, goal: N) -> list[N]:
    path = [goal]
    while path[-1] != start:
        path.append(parent[path[-1]])
    return path[::-1]


def _check_graph(graph: Graph[N]) -> set[N]:
    """Return every node (keys and neighbours); refuse weights no search can order."""
    if not isinstance(graph, Mapping):
        raise TypeError(f"graph must be a mapping node -> {{neighbour: weight}}, got {graph!r}")
    nodes: set[N] = set(graph)
    for u, nbrs in graph.items():
        if not isinstance(nbrs, Mapping):
            raise TypeError(f"neighbours of {u!r} must be a mapping, got {nbrs!r}")
        for v, w in nbrs.items():
            check_real(w, f"weight of edge {u!r} -> {v!r}", low=0)
            nodes.add(v)
    return nodes


Cell = tuple[int, int]


def grid_graph(rows: Iterable[str]) -> dict[Cell, dict[Cell, float]]:
    """Build a 4-connected grid graph from strings: ``.`` is open, ``#`` is a wall.

    Nodes are ``(row, col)``; every step between two open cells costs 1.

    Raises:
        ValueError: rows of different lengths, no rows, or a character other than ``.`` and ``#``.
        TypeError: a row that is not a str, or one str instead of a list of rows.

    Complexity: O(rows x cols).

    >>> grid_graph([".#", ".."])[(1, 0)]
    {(0, 0): 1, (1, 1): 1}
    >>> grid_graph([".x"])
    Traceback (most recent call last):
        ...
    ValueError: grid may hold only '.' and '#', got 'x' in row 0: '.x'
    """
    if isinstance(rows, str):
        # list("..#") would silently build a 3 x 1 column out of one row.
        raise TypeError(f"rows must be a list of str rows, not one str: {rows!r}")
    grid = list(rows)
    if not grid:
        raise ValueError("grid must have at least one row, got []")
    for r, row in enumerate(grid):
        if not isinstance(row, str):
            raise TypeError(f"grid rows must be str, got {row!r}")
        if len(row) != len(grid[0]):
            raise ValueError(f"row {r} has length {len(row)}, row 0 has {len(grid[0])}: {row!r}")
        bad = set(row) - {".", "#"}
        if bad:
            raise ValueError(
                f"grid may hold only '.' and '#', got {min(bad)!r} in row {r}: {row!r}"
            )
    graph: dict[Cell, dict[Cell, float]] = {}
    for r, row in enumerate(grid):
        for c, ch in enumerate(row):
            if ch == "#":
                continue
            nbrs: dict[Cell, float] = {}
            for nr, nc in ((r - 1, c), (r, c - 1), (r, c + 1), (r + 1, c)):
                if 0 <= nr < len(grid) and 0 <= nc < len(row) and grid[nr][nc] == ".":
                    nbrs[(nr, nc)] = 1
            graph[(r, c)] = nbrs
    return graph


def manhattan(a: Cell, b: Cell) -> float:
    """``|dr| + |dc|``: admissible and consistent for unit-cost 4-connected grids.

    >>> manhattan((0, 0), (2, 3))
    5
    """
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def euclidean(positions: Mapping[N, tuple[float, float]], scale: float = 1.0) -> Heuristic[N]:
    """Return ``h(node, goal) = scale x straight-line distance`` between their positions.

    For a road graph whose every edge weighs at least ``scale`` times its
    straight-line length, this ``h`` is admissible and consistent (the
    triangle inequality). For travel times, ``scale`` is 1 / the top speed.

    Raises:
        ValueError: ``scale`` negative, NaN or infinite.

    Complexity: O(1) per call.

    >>> h = euclidean({"a": (0, 0), "b": (3, 4)})
    >>> h("a", "b")
    5.0
    >>> h("a", "z")
    Traceback (most recent call last):
        ...
    KeyError: "no position for node 'z'"
    """
    k = check_real(scale, "scale", low=0)

    def h(node: N, goal: N) -> float:
        for n in (node, goal):
            if n not in positions:
                raise KeyError(f"no position for node {n!r}")
        (x1, y1), (x2, y2) = positions[node], positions[goal]
        return k * math.hypot(x1 - x2, y1 - y2)

    return h


def road_graph(
    n: int, seed: int, detour: float = 1.3
) -> tuple[dict[int, dict[int, float]], dict[int, tuple[float, float]]]:
    """A random road-like graph: ``n`` junctions on a 100 x 100 map, each joined to its
    nearest neighbours, every road ``detour`` times longer than the straight line.

    Joining each junction to its 3 nearest others and to the next junction in
    a random order keeps it connected and planar-ish, like a street map.

    Raises:
        ValueError: ``n < 2`` or ``detour < 1``.

    Complexity: O(n log n) for evenly spread junctions.

    >>> graph, pos = road_graph(5, seed=1)
    >>> sorted(graph), len(pos)
    ([0, 1, 2, 3, 4], 5)
    """
    check_int(n, "n", minimum=2, maximum=100_000)
    check_int(seed, "seed")
    factor = check_real(detour, "detour", low=1)
    rng = random.Random(seed)  # noqa: S311 - a seeded simulation, not crypto
    pos = {i: (rng.uniform(0, 100), rng.uniform(0, 100)) for i in range(n)}
    graph: dict[int, dict[int, float]] = {i: {} for i in range(n)}

    def join(a: int, b: int) -> None:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = factor * math.hypot(x1 - x2, y1 - y2)
        graph[a][b] = graph[b][a] = w

    # The 3 nearest junctions of each come from a quadtree: O(n log n), not O(n²).
    tree: QuadTree[int] = QuadTree((0, 0, 100, 100), capacity=8)
    for i, (x, y) in pos.items():
        tree.insert(x, y, i)
    for i, (x, y) in pos.items():
        for *_, j in tree.nearest(x, y, k=4):
            if j != i:
                join(i, j)
    order = list(range(n))
    rng.shuffle(order)
    for a, b in itertools.pairwise(order):
        join(a, b)
    return graph, pos
