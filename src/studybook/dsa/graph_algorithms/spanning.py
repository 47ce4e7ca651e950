"""Connected components and minimum spanning trees (Kruskal 1956, Prim 1957).

All three read the graph as undirected: an edge may be listed in one or both
directions. Both MST algorithms rest on the cut property: for any cut that no
chosen edge crosses, a lightest edge crossing it belongs to some minimum
spanning tree (CLRS (3rd ed.) chapter 23).
"""

from __future__ import annotations

import heapq
import itertools

from studybook.dsa.graph_algorithms.representation import (
    Edge,
    Graph,
    N,
    WeightedGraph,
    _nodes,
    _undirected_edges,
    _undirected_weighted_edges,
)
from studybook.dsa.graph_algorithms.traversal import bfs
from studybook.dsa.graph_algorithms.union_find import UnionFind

__all__ = ["connected_components", "kruskal", "prim"]


def connected_components(graph: Graph[N]) -> list[set[N]]:
    """The connected components of the graph read as undirected.

    Args:
        graph: node -> iterable of neighbours; an edge may be listed in one
            or both directions.

    Returns:
        One set per component, ordered by each component's first node in
        node order. Every node, neighbour-only nodes included, is in one set.

    Complexity: O(V + E) time and space (BFS over a symmetrised copy).

    >>> [sorted(c) for c in connected_components({1: [2], 3: [], 4: [3], 5: [5]})]
    [[1, 2], [3, 4], [5]]
    >>> connected_components({})
    []
    """
    undirected: dict[N, list[N]] = {n: [] for n in _nodes(graph)}
    for u, v in _undirected_edges(graph):
        undirected[u].append(v)
        undirected[v].append(u)
    components: list[set[N]] = []
    seen: set[N] = set()
    for n in undirected:
        if n not in seen:
            component = set(bfs(undirected, n))
            seen |= component
            components.append(component)
    return components


def kruskal(graph: WeightedGraph[N]) -> list[Edge[N]]:
    """Minimum spanning forest by Kruskal's algorithm (1956).

    Takes edges in increasing weight (ties: listing order) and keeps each one
    that joins two different trees, tracked with
    :class:`~studybook.dsa.graph_algorithms.union_find.UnionFind`. By the cut
    property, the lightest edge leaving any tree is in some minimum spanning
    tree.

    Args:
        graph: node -> {neighbour: weight}, read as undirected; an edge listed
            in both directions must have the same weight both times.

    Returns:
        The chosen edges ``(u, v, weight)`` in the order taken: V - C edges for
        a graph with C components (a forest if it is disconnected).

    Raises:
        ValueError: an edge is listed twice with different weights, or a
            weight is NaN or infinite.
        TypeError: a weight is not a real number (``bool`` included).

    Complexity: O(E log E) time (the sort), O(V + E) space.

    >>> kruskal({"a": {"b": 3, "c": 1}, "b": {"c": 1}})
    [('a', 'c', 1), ('b', 'c', 1)]
    >>> kruskal({"a": {"b": 1}, "b": {"a": 2}})
    Traceback (most recent call last):
    ValueError: edge 'a' - 'b' has weights 1 and 2
    """
    edges = _undirected_weighted_edges(graph)
    uf: UnionFind[N] = UnionFind(_nodes(graph))
    return [e for e in sorted(edges, key=lambda e: e[2]) if uf.union(e[0], e[1])]


def prim(graph: WeightedGraph[N]) -> list[Edge[N]]:
    """Minimum spanning forest by Prim's algorithm (1957), lazy binary-heap version.

    Grows one tree from the first node: repeatedly adds the lightest edge from
    the tree to a node outside it. When the heap empties, the next unvisited
    node (in node order) starts a new tree.

    Args:
        graph: node -> {neighbour: weight}, read as undirected; an edge listed
            in both directions must have the same weight both times.

    Returns:
        The chosen edges ``(tree_node, new_node, weight)`` in the order added.

    Raises:
        ValueError: an edge is listed twice with different weights, or a
            weight is NaN or infinite.
        TypeError: a weight is not a real number (``bool`` included).

    Complexity: O(E log V) time, O(V + E) space.

    >>> prim({"a": {"b": 3, "c": 1}, "b": {"c": 1}})
    [('a', 'c', 1), ('c', 'b', 1)]
    >>> prim({"x": {}})
    []
    """
    undirected: dict[N, list[tuple[N, float]]] = {n: [] for n in _nodes(graph)}
    for u, v, w in _undirected_weighted_edges(graph):
        undirected[u].append((v, w))
        undirected[v].append((u, w))
    tree: list[Edge[N]] = []
    visited: set[N] = set()
    tie = itertools.count()
    for root in undirected:
        if root in visited:
            continue
        visited.add(root)
        heap = [(w, next(tie), root, v) for v, w in undirected[root]]
        heapq.heapify(heap)
        while heap:
            w, _, u, v = heapq.heappop(heap)
            if v in visited:
                continue  # both ends already in the tree: this edge would close a cycle
            visited.add(v)
            tree.append((u, v, w))
            for x, wx in undirected[v]:
                if x not in visited:
                    heapq.heappush(heap, (wx, next(tie), v, x))
    return tree
