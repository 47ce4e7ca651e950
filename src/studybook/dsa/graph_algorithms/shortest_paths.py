"""Single-source shortest paths: Dijkstra (weights >= 0) and Bellman-Ford (any weights).

Dijkstra (1959) settles nodes in order of distance with a priority queue and is
correct only when no edge weight is negative. Bellman-Ford relaxes every edge
V - 1 times, accepts negative weights and detects negative cycles. See CLRS
(3rd ed.) chapter 24.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Hashable, Sequence

from studybook.dsa.graph_algorithms.representation import (
    N,
    WeightedGraph,
    _nodes,
    _require_node,
    _weighted_edges,
)

__all__ = ["NegativeCycleError", "bellman_ford", "dijkstra", "has_negative_cycle", "shortest_path"]


class NegativeCycleError(ValueError):
    """A negative-weight cycle reachable from the source: no shortest paths exist.

    Attributes:
        cycle: the nodes of one negative cycle, in edge order.
    """

    def __init__(self, cycle: Sequence[Hashable]) -> None:
        self.cycle = list(cycle)
        closed = " -> ".join(repr(n) for n in [*self.cycle, self.cycle[0]])
        super().__init__(f"negative cycle: {closed}")


def dijkstra(graph: WeightedGraph[N], source: N) -> dict[N, float]:
    """Single-source shortest path lengths with non-negative weights (Dijkstra 1959).

    Args:
        graph: node -> {successor: weight}; every weight must be >= 0.
        source: the start node.

    Returns:
        node -> length of a shortest path from ``source``, in the order the
        nodes were settled (nondecreasing distance). Unreachable nodes are absent.

    Raises:
        KeyError: ``source`` is not a node of ``graph``.
        ValueError: some edge has a negative, NaN or infinite weight (the
            message names the edge).
        TypeError: some weight is not a real number (``bool`` included).

    Complexity: O((V + E) log V) time with a binary heap and lazy deletion,
    O(V + E) extra space (the heap can hold one entry per edge).

    >>> dijkstra({"a": {"b": 4, "c": 1}, "c": {"b": 2}, "d": {"a": 1}}, "a")
    {'a': 0, 'c': 1, 'b': 3}
    >>> dijkstra({"a": {"b": -1}}, "a")
    Traceback (most recent call last):
    ValueError: negative weight -1 on edge 'a' -> 'b'; use bellman_ford
    >>> dijkstra({"a": {"b": float("nan")}}, "a")
    Traceback (most recent call last):
    ValueError: edge 'a' -> 'b' must have a finite weight, got nan
    """
    dist, _ = _dijkstra(graph, source)
    return dist


def _dijkstra(graph: WeightedGraph[N], source: N) -> tuple[dict[N, float], dict[N, N]]:
    for u, v, w in _weighted_edges(graph):
        if w < 0:
            raise ValueError(f"negative weight {w!r} on edge {u!r} -> {v!r}; use bellman_ford")
    _require_node(graph, source, "source")
    dist: dict[N, float] = {}
    parent: dict[N, N] = {}
    best: dict[N, float] = {source: 0}
    tie = itertools.count()  # nodes need not be comparable: never let heapq compare them
    heap: list[tuple[float, int, N]] = [(0, next(tie), source)]
    while heap:
        d, _, u = heapq.heappop(heap)
        if u in dist:
            continue  # a stale entry: u was settled through a shorter path
        dist[u] = d
        for v, w in graph.get(u, {}).items():
            nd = d + w
            if v not in dist and nd < best.get(v, math.inf):
                best[v] = nd
                parent[v] = u
                heapq.heappush(heap, (nd, next(tie), v))
    return dist, parent


def shortest_path(graph: WeightedGraph[N], source: N, target: N) -> list[N]:
    """One shortest path from ``source`` to ``target`` (Dijkstra + parent pointers).

    Args:
        graph: node -> {successor: weight}, weights >= 0.
        source: the start node.
        target: the end node.

    Returns:
        The nodes of a shortest path, ``source`` first and ``target`` last.

    Raises:
        KeyError: ``source`` is not a node, or ``target`` is unreachable.
        ValueError: some edge has a negative, NaN or infinite weight.
        TypeError: some weight is not a real number (``bool`` included).

    Complexity: O((V + E) log V) time.

    >>> shortest_path({"a": {"b": 4, "c": 1}, "c": {"b": 2}}, "a", "b")
    ['a', 'c', 'b']
    >>> shortest_path({"a": {}, "b": {}}, "a", "b")
    Traceback (most recent call last):
    KeyError: "'b' is not reachable from 'a'"
    """
    dist, parent = _dijkstra(graph, source)
    if target not in dist:
        raise KeyError(f"{target!r} is not reachable from {source!r}")
    path = [target]
    while path[-1] != source:
        path.append(parent[path[-1]])
    return path[::-1]


def bellman_ford(graph: WeightedGraph[N], source: N) -> dict[N, float]:
    """Single-source shortest path lengths allowing negative weights (Bellman-Ford).

    Relaxes every edge up to V - 1 times (a shortest path has at most V - 1
    edges) and stops early once a pass changes nothing. If pass V still
    improves a distance, a negative cycle is reachable and no shortest path
    exists for the nodes it can reach: the function raises rather than return
    wrong numbers, and the exception carries one such cycle.

    Args:
        graph: node -> {successor: weight}; weights may be negative.
        source: the start node.

    Returns:
        node -> shortest distance from ``source``; unreachable nodes are absent.

    Raises:
        KeyError: ``source`` is not a node of ``graph``.
        NegativeCycleError: a negative cycle is reachable from ``source``
            (a :class:`ValueError`; ``.cycle`` lists its nodes).
        ValueError: some weight is NaN or infinite.
        TypeError: some weight is not a real number (``bool`` included).

    Complexity: O(V * E) time, O(V) extra space: each pass re-reads the
    mapping rather than copying the E edges into a list.

    >>> bellman_ford({"s": {"a": 4, "b": 2}, "b": {"a": -3}}, "s")
    {'s': 0, 'a': -1, 'b': 2}
    >>> bellman_ford({0: {1: 1}, 1: {2: -2}, 2: {1: 1}}, 0)
    Traceback (most recent call last):
    studybook.dsa.graph_algorithms.shortest_paths.NegativeCycleError: negative cycle: 1 -> 2 -> 1
    """
    _require_node(graph, source, "source")
    dist: dict[N, float] = {source: 0}
    return _bellman_ford(graph, dist)


def _bellman_ford(graph: WeightedGraph[N], dist: dict[N, float]) -> dict[N, float]:
    nodes = _nodes(graph)
    parent: dict[N, N] = {}
    changed: N | None = None
    for _ in range(len(nodes)):
        # Each pass walks the mapping again instead of copying the edges into a
        # list: O(V) extra space (dist and parent), as in CLRS.
        changed = None
        for u, v, w in _weighted_edges(graph):
            if u in dist and dist[u] + w < dist.get(v, math.inf):
                dist[v] = dist[u] + w
                parent[v] = u
                if changed is None:
                    changed = v  # the first node this pass lowered
        if changed is None:
            return dist
    if changed is None:
        return dist  # no nodes, so no passes
    # Pass V relaxed an edge. Walking parent pointers V times from a node it
    # changed cannot leave the parent graph and must end inside a cycle of
    # it, and every cycle of the parent graph has negative weight (CLRS,
    # Lemma 24.16).
    x = changed
    for _ in range(len(nodes)):
        x = parent[x]
    cycle = [x]
    while parent[cycle[-1]] != x:
        cycle.append(parent[cycle[-1]])
    cycle.reverse()
    raise NegativeCycleError(cycle[-1:] + cycle[:-1])


def has_negative_cycle(graph: WeightedGraph[N]) -> bool:
    """Whether any negative-weight cycle exists anywhere in ``graph``.

    Equivalent to Bellman-Ford from a virtual source with a 0-weight edge to
    every node, done by starting every distance at 0.

    Args:
        graph: node -> {successor: weight}.

    Returns:
        True if some cycle has negative total weight.

    Raises:
        ValueError: some weight is NaN or infinite.
        TypeError: some weight is not a real number (``bool`` included).

    Complexity: O(V * E) time, O(V) extra space.

    >>> has_negative_cycle({"a": {"b": 1}, "b": {"a": -2}})
    True
    >>> has_negative_cycle({"a": {"b": 1}, "b": {"a": -1}})
    False
    """
    try:
        _bellman_ford(graph, dict.fromkeys(_nodes(graph), 0))
    except NegativeCycleError:
        return True
    return False
