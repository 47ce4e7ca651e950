"""A* and Dijkstra against Part I's Dijkstra and networkx; A* never expands more."""

from __future__ import annotations

import heapq
import itertools
import math
import random

import networkx as nx  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.design_solutions_1 import (
    a_star,
    dijkstra_route,
    euclidean,
    grid_graph,
    manhattan,
    random_grid,
    road_graph,
    route,
)
from studybook.dsa.graph_algorithms import dijkstra


def path_cost(graph: dict[object, dict[object, float]], path: list[object]) -> float:
    return sum(graph[u][v] for u, v in itertools.pairwise(path))


@settings(max_examples=40)
@given(st.integers(min_value=2, max_value=12), st.floats(0, 0.35), st.integers(0, 10**6))
def test_grid_a_star_is_optimal_and_expands_no_more_than_dijkstra(
    size: int, walls: float, seed: int
) -> None:
    grid = grid_graph(random_grid(size, walls, seed))
    start, goal = (0, 0), (size - 1, size - 1)
    oracle = dijkstra(grid, start)
    if goal not in oracle:
        with pytest.raises(KeyError, match="not reachable"):
            route(grid, start, goal, manhattan)
        return
    d = dijkstra_route(grid, start, goal)
    a = route(grid, start, goal, manhattan)
    assert d.cost == a.cost == oracle[goal]
    assert path_cost(grid, a.path) == a.cost  # type: ignore[arg-type]
    assert a.path[0] == start
    assert a.path[-1] == goal
    assert a.expanded <= d.expanded
    # Dijkstra settles every node closer than the goal before it.
    assert d.expanded >= sum(1 for dist in oracle.values() if dist < oracle[goal]) + 1


@settings(max_examples=30)
@given(st.integers(min_value=2, max_value=60), st.integers(0, 10**6), st.data())
def test_road_graph_a_star_matches_networkx_and_expands_no_more(
    n: int, seed: int, data: st.DataObject
) -> None:
    graph, pos = road_graph(n, seed)
    start = data.draw(st.integers(0, n - 1))
    goal = data.draw(st.integers(0, n - 1))
    g = nx.Graph()
    for u, nbrs in graph.items():
        for v, w in nbrs.items():
            g.add_edge(u, v, weight=w)
    want = nx.astar_path_length(
        g, start, goal, heuristic=lambda u, v: math.dist(pos[u], pos[v]), weight="weight"
    )
    d = dijkstra_route(graph, start, goal)
    for scale in (0.5, 1.0, 1.3):  # 1.3 = the detour factor: the tightest admissible h
        a = route(graph, start, goal, euclidean(pos, scale))
        assert math.isclose(a.cost, want)
        assert math.isclose(path_cost(graph, a.path), want)  # type: ignore[arg-type]
        assert a.expanded <= d.expanded
    assert math.isclose(d.cost, want)


@settings(max_examples=40)
@given(st.integers(0, 10**6))
def test_admissible_but_inconsistent_heuristic_still_finds_the_optimum(seed: int) -> None:
    # h(n) = a random fraction of the true remaining distance: admissible, usually
    # inconsistent, so a closed node can be reached again more cheaply and must be reopened.
    rng = random.Random(seed)
    n = rng.randint(2, 12)
    graph = {
        u: {v: rng.randint(0, 9) for v in rng.sample(range(n), rng.randint(0, n - 1))}
        for u in range(n)
    }
    start, goal = 0, n - 1
    reverse: dict[int, dict[int, float]] = {u: {} for u in range(n)}
    for u, nbrs in graph.items():
        for v, w in nbrs.items():
            reverse[v][u] = w
    to_goal = dijkstra(reverse, goal)
    fraction = {u: rng.random() for u in range(n)}
    forward = dijkstra(graph, start)
    if goal not in forward:
        return
    got = route(graph, start, goal, lambda u, g: fraction[u] * to_goal.get(u, 0))
    assert got.cost == forward[goal]
    assert path_cost(graph, got.path) == forward[goal]  # type: ignore[arg-type]


def test_reopening_is_needed_for_an_inconsistent_heuristic() -> None:
    # s->a->b->t costs 1 + 1 + 3 = 5; s->b->t costs 4 + 3 = 7. h(a) = 4 is admissible (a's
    # true cost to go is 4) but inconsistent (h(a) > w(a, b) + h(b) = 1), so b is first
    # expanded through s->b with g = 4 and must be reopened when a reaches it with g = 2.
    graph = {"s": {"a": 1, "b": 4}, "a": {"b": 1}, "b": {"t": 3}, "t": {}}
    h = {"s": 0, "a": 4, "b": 0, "t": 0}
    r = route(graph, "s", "t", lambda n, g: h[n])
    assert r.path == ["s", "a", "b", "t"]
    assert r.cost == 5
    assert r.expanded == 5  # s, b (g=4), a, b again (g=2), t


def test_a_star_returns_the_path_and_start_equals_goal() -> None:
    graph = {"a": {"b": 1.5}, "b": {"c": 2.5}}
    assert a_star(graph, "a", "c", lambda n, g: 0) == ["a", "b", "c"]
    assert route(graph, "b", "b", lambda n, g: 0) == (["b"], 0, 1)
    assert a_star(graph, "c", "c", lambda n, g: 0) == ["c"]  # a node seen only as a neighbour


def _fifo_tie_expansions(
    graph: dict[tuple[int, int], dict[tuple[int, int], float]], goal: tuple[int, int]
) -> int:
    """A* that breaks ties on f first-in-first-out: the textbook queue, for comparison."""
    start = (0, 0)
    best = {start: 0.0}
    tie = itertools.count()
    heap = [(manhattan(start, goal), next(tie), 0.0, start)]
    closed: set[tuple[int, int]] = set()
    while heap:
        _, _, g, node = heapq.heappop(heap)
        if node in closed:
            continue
        closed.add(node)
        if node == goal:
            return len(closed)
        for succ, w in graph[node].items():
            if g + w < best.get(succ, math.inf):
                best[succ] = g + w
                heapq.heappush(heap, (g + w + manhattan(succ, goal), next(tie), g + w, succ))
    raise AssertionError("goal not reached")


def test_tie_breaking_toward_small_h_is_what_keeps_a_star_off_the_whole_open_grid() -> None:
    # The chapter's claim, on the demo's open 20 x 20 grid: every cell has f = 38, so a
    # first-in-first-out queue expands all 400; breaking ties toward small h walks the
    # 39 cells of one shortest path.
    grid = grid_graph(random_grid(20, 0.0, seed=20))
    assert len(grid) == 400
    assert _fifo_tie_expansions(grid, (19, 19)) == 400
    assert route(grid, (0, 0), (19, 19), manhattan).expanded == 39
