"""Graphs as plain mappings, the node-order rule, and adjacency list <-> matrix.

An unweighted graph maps a node to an iterable of neighbours; a weighted graph
maps a node to ``{neighbour: weight}``. Neighbour collections must be
re-iterable (lists, tuples, sets, mappings), because several algorithms read
them more than once. A node that appears only as a neighbour is a node with no
outgoing edges; the node order used everywhere is "keys in mapping order, then
neighbour-only nodes in order of first appearance".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeAlias, TypeVar

__all__ = ["Edge", "Graph", "N", "WeightedGraph", "from_matrix", "to_matrix"]

#: The node type, anything hashable (strings, ints, tuples).
N = TypeVar("N", bound=Hashable)

#: An unweighted graph, mapping each node to an iterable of its neighbours.
Graph: TypeAlias = Mapping[N, Iterable[N]]
#: A weighted graph, mapping each node to a mapping from neighbour to edge weight.
WeightedGraph: TypeAlias = Mapping[N, Mapping[N, float]]
#: An undirected weighted edge ``(u, v, weight)``.
Edge: TypeAlias = tuple[N, N, float]


def to_matrix(graph: Graph[N]) -> tuple[list[N], list[list[int]]]:
    """Adjacency list -> adjacency matrix.

    Args:
        graph: node -> iterable of successors.

    Returns:
        ``(nodes, matrix)`` where ``nodes`` is the node order and
        ``matrix[i][j]`` is 1 if there is an edge ``nodes[i] -> nodes[j]``, else 0.

    Complexity: O(V**2 + E) time and space: the matrix pays for every non-edge.

    >>> to_matrix({"a": ["b"], "b": ["c"]})
    (['a', 'b', 'c'], [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    >>> to_matrix({})
    ([], [])
    """
    nodes = _nodes(graph)
    index = {n: i for i, n in enumerate(nodes)}
    matrix = [[0] * len(nodes) for _ in nodes]
    for u, nbrs in graph.items():
        for v in nbrs:
            matrix[index[u]][index[v]] = 1
    return nodes, matrix


def from_matrix(nodes: Sequence[N], matrix: Sequence[Sequence[int]]) -> dict[N, list[N]]:
    """Adjacency matrix -> adjacency list (every node becomes a key).

    Args:
        nodes: the node for each row/column, all distinct.
        matrix: square 0/1 matrix, ``matrix[i][j] == 1`` for ``nodes[i] -> nodes[j]``
            (``True``/``False`` are accepted, as a boolean matrix is common).

    Returns:
        node -> successors in column order.

    Raises:
        ValueError: the matrix is not len(nodes) x len(nodes), an entry is not
            0 or 1 (NaN included), or a node is listed twice.
        TypeError: ``nodes`` or a row is not a sequence.

    Complexity: O(V**2) time.

    >>> from_matrix(["a", "b"], [[0, 1], [1, 0]])
    {'a': ['b'], 'b': ['a']}
    >>> from_matrix(["a"], [[0, 1]])
    Traceback (most recent call last):
    ValueError: matrix must be 1 x 1, got row 0 of length 2
    """
    for name, seq in (("nodes", nodes), ("matrix", matrix)):
        if not isinstance(seq, Sequence) or isinstance(seq, str | bytes | bytearray):
            raise TypeError(f"{name} must be a list, got {seq!r}")
    if len(set(nodes)) != len(nodes):
        raise ValueError(f"nodes must be distinct, got {list(nodes)!r}")
    if len(matrix) != len(nodes):
        raise ValueError(f"matrix must be {len(nodes)} x {len(nodes)}, got {len(matrix)} rows")
    for i, row in enumerate(matrix):
        if not isinstance(row, Sequence) or isinstance(row, str | bytes | bytearray):
            raise TypeError(f"matrix row {i} must be a list, got {row!r}")
        if len(row) != len(nodes):
            raise ValueError(
                f"matrix must be {len(nodes)} x {len(nodes)}, got row {i} of length {len(row)}"
            )
        for bit in row:
            # 1.0 == 1, so the type is checked too: a float matrix is refused, bool accepted.
            if not isinstance(bit, int) or bit not in (0, 1):
                raise ValueError(f"matrix entries must be 0 or 1, got {bit!r} in row {i}")
    return {
        u: [v for v, bit in zip(nodes, row, strict=True) if bit]
        for u, row in zip(nodes, matrix, strict=True)
    }


def _nodes(graph: Graph[N]) -> list[N]:
    """Keys in mapping order, then neighbour-only nodes in order of first appearance."""
    _check_graph(graph)
    seen = dict.fromkeys(graph)
    for nbrs in graph.values():
        seen.update(dict.fromkeys(nbrs))
    return list(seen)


def _check_graph(graph: object) -> None:
    # Annotated as object so the check is not "unreachable" to mypy: callers
    # without type checking can pass anything.
    if not isinstance(graph, Mapping):
        raise TypeError(f"graph must be a mapping of node -> neighbours, got {graph!r}")
    for node, nbrs in graph.items():
        # A string is iterable, so {"a": "bc"} would silently mean edges a->b, a->c.
        if isinstance(nbrs, str | bytes | bytearray) or not isinstance(nbrs, Iterable):
            raise TypeError(f"node {node!r} must map to a collection of neighbours, got {nbrs!r}")


def _check_weighted(node: object, neighbours: object) -> None:
    if not isinstance(neighbours, Mapping):
        raise TypeError(
            f"a weighted graph maps each node to {{neighbour: weight}}; "
            f"node {node!r} has {neighbours!r}"
        )


def _require_node(graph: Graph[N], node: N, role: str) -> None:
    """Raise KeyError unless ``node`` is a key or a neighbour in ``graph``."""
    _check_graph(graph)
    if node in graph or any(node in nbrs for nbrs in graph.values()):
        return
    raise KeyError(f"{role} node {node!r} is not in the graph")


def _weighted_edges(graph: WeightedGraph[N]) -> Iterator[tuple[N, N, float]]:
    """Every ``(u, v, weight)`` as listed; each weight is checked as it is read."""
    _check_graph(graph)
    for u, nbrs in graph.items():
        _check_weighted(u, nbrs)
        for v, w in nbrs.items():
            _check_weight(u, v, w)
            yield u, v, w


def _check_weight(u: object, v: object, w: object) -> None:
    """Refuse what no weighted algorithm can order: bool, non-numbers, NaN and infinities.

    NaN compares False with everything, so ``d + nan < best`` never holds and
    Dijkstra would silently drop the edge; ``True`` would quietly weigh 1.
    """
    if isinstance(w, bool) or not isinstance(w, numbers.Real):
        raise TypeError(f"edge {u!r} -> {v!r} must have a real-number weight, got {w!r}")
    if not isinstance(w, numbers.Integral) and not math.isfinite(w):
        raise ValueError(f"edge {u!r} -> {v!r} must have a finite weight, got {w!r}")


def _undirected_edges(graph: Graph[N]) -> Iterator[tuple[N, N]]:
    """Each undirected edge once, in first-listed order (duplicates dropped)."""
    _check_graph(graph)
    seen: set[tuple[N, N]] = set()
    for u, nbrs in graph.items():
        for v in nbrs:
            if (u, v) not in seen and (v, u) not in seen:
                seen.add((u, v))
                yield u, v


def _undirected_weighted_edges(graph: WeightedGraph[N]) -> list[Edge[N]]:
    """Each undirected weighted edge once; both directions must agree on the weight."""
    weight: dict[tuple[N, N], float] = {}
    edges: list[Edge[N]] = []
    for u, v, w in _weighted_edges(graph):
        if (v, u) in weight:
            if weight[(v, u)] != w:
                raise ValueError(f"edge {v!r} - {u!r} has weights {weight[(v, u)]!r} and {w!r}")
            continue
        if (u, v) not in weight:
            weight[(u, v)] = w
            edges.append((u, v, w))
    return edges
