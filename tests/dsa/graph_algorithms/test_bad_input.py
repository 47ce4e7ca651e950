"""Every public entry point refuses bad graphs, bad weights and bad nodes with a clear error.

A NaN weight is the reviewers' example: ``d + nan < best`` is always False, so
Dijkstra used to drop such an edge without a word. Every weighted algorithm
now refuses NaN, infinities, ``bool`` and non-numbers, naming the edge.
"""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

from studybook.dsa.graph_algorithms import (
    UnionFind,
    bellman_ford,
    bfs,
    connected_components,
    dfs,
    dfs_recursive,
    dijkstra,
    find_cycle,
    from_matrix,
    has_cycle_directed,
    has_cycle_undirected,
    has_negative_cycle,
    kruskal,
    prim,
    shortest_path,
    to_matrix,
    topological_sort,
    topological_sort_dfs,
)

NAN = float("nan")
INF = float("inf")

WEIGHTED: list[tuple[str, Callable[[Any], Any]]] = [
    ("dijkstra", lambda g: dijkstra(g, "a")),
    ("shortest_path", lambda g: shortest_path(g, "a", "b")),
    ("bellman_ford", lambda g: bellman_ford(g, "a")),
    ("has_negative_cycle", has_negative_cycle),
    ("kruskal", kruskal),
    ("prim", prim),
]

BAD_WEIGHTS: list[tuple[object, type[Exception], str]] = [
    (NAN, ValueError, "must have a finite weight, got nan"),
    (INF, ValueError, "must have a finite weight, got inf"),
    (-INF, ValueError, "must have a finite weight, got -inf"),
    (True, TypeError, "must have a real-number weight, got True"),
    ("3", TypeError, "must have a real-number weight, got '3'"),
    (None, TypeError, "must have a real-number weight, got None"),
    (1j, TypeError, r"must have a real-number weight, got 1j"),
]


@pytest.mark.parametrize(("name", "algorithm"), WEIGHTED, ids=[n for n, _ in WEIGHTED])
@pytest.mark.parametrize(
    ("weight", "error", "message"), BAD_WEIGHTS, ids=[repr(w) for w, _, _ in BAD_WEIGHTS]
)
def test_every_weighted_algorithm_refuses_a_bad_weight_anywhere(
    name: str,
    algorithm: Callable[[Any], Any],
    weight: object,
    error: type[Exception],
    message: str,
) -> None:
    # The bad edge is unreachable from "a" and listed last: it must still be found.
    graph = {"a": {"b": 1}, "x": {"y": 2, "z": weight}}
    with pytest.raises(error, match=f"^edge 'x' -> 'z' {message}$"):
        algorithm(graph)


@pytest.mark.parametrize(("name", "algorithm"), WEIGHTED, ids=[n for n, _ in WEIGHTED])
def test_exact_and_huge_numeric_weights_are_accepted(
    name: str, algorithm: Callable[[Any], Any]
) -> None:
    graph = {"a": {"b": Fraction(1, 3), "c": 10**400}, "b": {"c": 2.5}}
    algorithm(graph)  # no error: Fractions and huge ints are real, finite numbers


def test_dijkstra_with_a_nan_edge_no_longer_drops_it_silently() -> None:
    with pytest.raises(ValueError, match="got nan"):
        dijkstra({"s": {"t": NAN}}, "s")


UNWEIGHTED: list[tuple[str, Callable[[Any], Any]]] = [
    ("bfs", lambda g: bfs(g, "a")),
    ("dfs", lambda g: dfs(g, "a")),
    ("dfs_recursive", lambda g: dfs_recursive(g, "a")),
    ("topological_sort", topological_sort),
    ("topological_sort_dfs", topological_sort_dfs),
    ("find_cycle", find_cycle),
    ("has_cycle_directed", has_cycle_directed),
    ("has_cycle_undirected", has_cycle_undirected),
    ("connected_components", connected_components),
    ("to_matrix", to_matrix),
]
ALL = UNWEIGHTED + WEIGHTED


@pytest.mark.parametrize(("name", "algorithm"), ALL, ids=[n for n, _ in ALL])
@pytest.mark.parametrize("graph", [None, [("a", "b")], "ab", 3], ids=repr)
def test_a_graph_that_is_not_a_mapping_is_refused(
    name: str, algorithm: Callable[[Any], Any], graph: object
) -> None:
    with pytest.raises(
        TypeError,
        match=f"^graph must be a mapping of node -> neighbours, got {re.escape(repr(graph))}$",
    ):
        algorithm(graph)


@pytest.mark.parametrize(("name", "algorithm"), UNWEIGHTED, ids=[n for n, _ in UNWEIGHTED])
@pytest.mark.parametrize("neighbours", ["bc", b"bc", 7, None], ids=repr)
def test_neighbours_must_be_a_collection_not_a_string_or_scalar(
    name: str, algorithm: Callable[[Any], Any], neighbours: object
) -> None:
    expected = (
        f"^node 'a' must map to a collection of neighbours, got {re.escape(repr(neighbours))}$"
    )
    with pytest.raises(TypeError, match=expected):
        algorithm({"a": neighbours})


@pytest.mark.parametrize(("name", "algorithm"), WEIGHTED, ids=[n for n, _ in WEIGHTED])
def test_a_weighted_algorithm_needs_neighbour_mappings(
    name: str, algorithm: Callable[[Any], Any]
) -> None:
    with pytest.raises(TypeError, match=r"node 'a' has \['b'\]$"):
        algorithm({"a": ["b"]})


@pytest.mark.parametrize(
    "call",
    [
        lambda: bfs({"a": []}, "zz"),
        lambda: dfs({"a": []}, NAN),
        lambda: dfs_recursive({}, None),
        lambda: dijkstra({"a": {}}, "zz"),
        lambda: bellman_ford({"a": {}}, True),
        lambda: shortest_path({"a": {}}, "zz", "a"),
    ],
)
def test_an_unknown_start_node_is_a_key_error_naming_it(call: Callable[[], Any]) -> None:
    with pytest.raises(KeyError, match="node .* is not in the graph"):
        call()


def test_empty_graphs_are_handled() -> None:
    for algorithm in (topological_sort, topological_sort_dfs, find_cycle, connected_components):
        assert algorithm({}) == []
    assert (has_cycle_directed({}), has_cycle_undirected({}), has_negative_cycle({})) == (
        False,
        False,
        False,
    )
    assert kruskal({}) == prim({}) == []
    assert to_matrix({}) == ([], [])
    assert from_matrix([], []) == {}


@pytest.mark.parametrize(
    ("nodes", "matrix", "error", "message"),
    [
        ("ab", [[0, 1], [1, 0]], TypeError, "^nodes must be a list, got 'ab'$"),
        (["a", "b"], "0110", TypeError, "^matrix must be a list, got '0110'$"),
        (["a"], ["1"], TypeError, "^matrix row 0 must be a list, got '1'$"),
        (["a", "a"], [[0, 1], [1, 0]], ValueError, r"^nodes must be distinct, got \['a', 'a'\]$"),
        (["a"], [[NAN]], ValueError, "^matrix entries must be 0 or 1, got nan in row 0$"),
        (["a"], [[2]], ValueError, "^matrix entries must be 0 or 1, got 2 in row 0$"),
        (["a"], [[1.0]], ValueError, r"^matrix entries must be 0 or 1, got 1\.0 in row 0$"),
    ],
)
def test_from_matrix_validates_its_input(
    nodes: object, matrix: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        from_matrix(nodes, matrix)  # type: ignore[arg-type]


def test_from_matrix_accepts_a_boolean_matrix() -> None:
    assert from_matrix(["a", "b"], [[False, True], [False, False]]) == {"a": ["b"], "b": []}


def test_union_find_refuses_unknown_and_unhashable_elements() -> None:
    uf: UnionFind[object] = UnionFind([1, 2])
    with pytest.raises(KeyError, match="element 3 is not in the union-find"):
        uf.find(3)
    with pytest.raises(TypeError, match="unhashable"):
        uf.add([1])
    assert uf.count == 2


def test_bellman_ford_extra_space_is_o_of_v_not_o_of_e() -> None:
    """The docstring promises O(V) extra space: the passes re-read the mapping.

    On a complete graph of 80 nodes (6,320 edges) a copied edge list alone
    would take about 450 KB; the run itself must stay far below that.
    """
    graph = {u: {v: (u * 7 + v * 3) % 11 for v in range(80) if v != u} for u in range(80)}
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        distances = bellman_ford(graph, 0)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert len(distances) == 80
    assert peak < 60_000, peak


def test_a_nan_element_is_refused_instead_of_looping_forever() -> None:
    # find() stops at a node equal to its parent; NaN never is, so it used to hang,
    # and so did has_cycle_undirected and kruskal on a graph with a NaN node.
    nan = float("nan")
    with pytest.raises(ValueError, match="equal to themselves, got nan"):
        UnionFind([nan])
    uf: UnionFind[float] = UnionFind([1.0])
    with pytest.raises(ValueError, match="got nan"):
        uf.union(1.0, nan)
    assert (len(uf), uf.count) == (1, 1)
    uf._check_invariants()
    with pytest.raises(ValueError, match="got nan"):
        has_cycle_undirected({nan: ["a"]})
    with pytest.raises(ValueError, match="got nan"):
        kruskal({nan: {"a": 1}})
