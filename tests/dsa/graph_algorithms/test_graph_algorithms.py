"""Graph algorithms checked against networkx on random graphs (Hypothesis)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from studybook.__main__ import main
from studybook.dsa.graph_algorithms import (
    CycleError,
    NegativeCycleError,
    UnionFind,
    bellman_ford,
    bfs,
    connected_components,
    demo,
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

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def digraphs(
    draw: st.DrawFn, *, min_weight: int = 0, max_weight: int = 9, max_nodes: int = 8
) -> dict[int, dict[int, int]]:
    """A weighted directed graph; some nodes appear only as neighbours.

    Keys come in a random order and neighbour lists in the order drawn, so the
    tests exercise the "mapping order decides visit order" rule.
    """
    n = draw(st.integers(1, max_nodes))
    node = st.integers(0, n - 1)
    edges = draw(
        st.lists(
            st.tuples(node, node, st.integers(min_weight, max_weight)),
            unique_by=lambda e: (e[0], e[1]),
            max_size=3 * n,
        )
    )
    key_order = draw(st.permutations(range(n)))
    not_keys = draw(st.sets(node))
    graph: dict[int, dict[int, int]] = {}
    for u in key_order:
        out = {v: w for a, v, w in edges if a == u}
        if out or u not in not_keys:
            graph[u] = out
    return graph


def to_nx(graph: Mapping[int, Mapping[int, int]] | Mapping[int, Sequence[int]]) -> nx.DiGraph:
    """The same graph in networkx, with each node's adjacency in the same order."""
    g = nx.DiGraph()
    g.add_nodes_from(graph)
    for u, nbrs in graph.items():
        for v in nbrs:
            g.add_edge(u, v, weight=nbrs[v] if isinstance(nbrs, Mapping) else 1)
    return g


def unweighted(graph: Mapping[int, Mapping[int, int]]) -> dict[int, list[int]]:
    return {u: list(nbrs) for u, nbrs in graph.items()}


def all_nodes(graph: Mapping[int, Mapping[int, int]]) -> set[int]:
    return set(graph) | {v for nbrs in graph.values() for v in nbrs}


def pick_node(graph: Mapping[int, Mapping[int, int]], data: st.DataObject) -> int:
    nodes = sorted(all_nodes(graph))
    assume(nodes)
    return data.draw(st.sampled_from(nodes))


def assert_is_cycle(graph: Mapping[int, Mapping[int, int]], cycle: Sequence[Any]) -> int:
    """Every consecutive pair (and last -> first) is an edge; return the total weight."""
    assert cycle
    assert len(set(cycle)) == len(cycle)
    closed = [*cycle, cycle[0]]
    for u, v in itertools.pairwise(closed):
        assert v in graph.get(u, {}), f"{u} -> {v} is not an edge"
    return sum(graph[u][v] for u, v in itertools.pairwise(closed))


# ---------------------------------------------------------------- traversal


@SETTINGS
@given(digraphs(), st.data())
def test_bfs_matches_networkx_order_and_layers(
    graph: dict[int, dict[int, int]], data: st.DataObject
) -> None:
    start = pick_node(graph, data)
    order = bfs(unweighted(graph), start)
    g = to_nx(graph)
    expected = [start] + [v for _, v in nx.bfs_edges(g, start)]
    assert order == expected
    layers = nx.single_source_shortest_path_length(g, start)
    assert set(order) == set(layers)
    assert [layers[v] for v in order] == sorted(layers[v] for v in order)


@SETTINGS
@given(digraphs(), st.data())
def test_dfs_variants_match_networkx_preorder(
    graph: dict[int, dict[int, int]], data: st.DataObject
) -> None:
    start = pick_node(graph, data)
    g = to_nx(graph)
    expected = list(nx.dfs_preorder_nodes(g, start))
    assert dfs(graph, start) == expected
    assert dfs_recursive(unweighted(graph), start) == expected


def test_iterative_dfs_has_no_recursion_limit() -> None:
    chain = {i: [i + 1] for i in range(5000)}
    assert dfs(chain, 0) == list(range(5001))
    with pytest.raises(RecursionError):
        dfs_recursive(chain, 0)


def test_traversal_rejects_unknown_start_but_accepts_neighbour_only_nodes() -> None:
    with pytest.raises(KeyError, match="start node 9 is not in the graph"):
        bfs({1: [2]}, 9)
    with pytest.raises(KeyError, match="start node 9 is not in the graph"):
        dfs({1: [2]}, 9)
    assert bfs({1: [2]}, 2) == [2]
    assert dfs({1: [2, 2, 1]}, 1) == [1, 2]


# ----------------------------------------------------------- shortest paths


@SETTINGS
@given(digraphs(), st.data())
def test_dijkstra_matches_networkx(graph: dict[int, dict[int, int]], data: st.DataObject) -> None:
    source = pick_node(graph, data)
    dist = dijkstra(graph, source)
    g = to_nx(graph)
    assert dist == nx.single_source_dijkstra_path_length(g, source)
    assert list(dist.values()) == sorted(dist.values())  # settled in distance order
    for target, d in dist.items():
        path = shortest_path(graph, source, target)
        assert path[0] == source
        assert path[-1] == target
        assert sum(graph[u][v] for u, v in itertools.pairwise(path)) == d


def test_dijkstra_rejects_negative_weight_anywhere() -> None:
    graph = {"a": {"b": 1}, "z": {"y": -2}}  # the bad edge is not even reachable
    with pytest.raises(ValueError, match="negative weight -2 on edge 'z' -> 'y'"):
        dijkstra(graph, "a")
    with pytest.raises(KeyError, match="source node 'q' is not in the graph"):
        dijkstra({"a": {}}, "q")
    with pytest.raises(KeyError, match="'b' is not reachable from 'a'"):
        shortest_path({"a": {}, "b": {}}, "a", "b")


@SETTINGS
@given(digraphs(min_weight=-4, max_weight=9), st.data())
def test_bellman_ford_matches_networkx(
    graph: dict[int, dict[int, int]], data: st.DataObject
) -> None:
    source = pick_node(graph, data)
    g = to_nx(graph)
    try:
        expected = nx.single_source_bellman_ford_path_length(g, source)
    except nx.NetworkXUnbounded:
        with pytest.raises(NegativeCycleError) as info:
            bellman_ford(graph, source)
        cycle = info.value.cycle
        assert assert_is_cycle(graph, cycle) < 0
        assert cycle[0] in nx.descendants(g, source) | {source}
    else:
        assert bellman_ford(graph, source) == expected


@SETTINGS
@given(digraphs(min_weight=-4, max_weight=9))
def test_has_negative_cycle_matches_networkx(graph: dict[int, dict[int, int]]) -> None:
    assert has_negative_cycle(graph) == nx.negative_edge_cycle(to_nx(graph))


# ----------------------------------------------------- ordering and cycles


@SETTINGS
@given(digraphs())
def test_topological_sorts_and_cycle_detection_match_networkx(
    graph: dict[int, dict[int, int]],
) -> None:
    g = to_nx(graph)
    acyclic = nx.is_directed_acyclic_graph(g)
    assert has_cycle_directed(graph) is not acyclic
    for sort in (topological_sort, topological_sort_dfs):
        if acyclic:
            order = sort(graph)
            assert sorted(order) == sorted(g.nodes)
            position = {v: i for i, v in enumerate(order)}
            assert all(position[u] < position[v] for u, v in g.edges)
        else:
            with pytest.raises(CycleError) as info:
                sort(graph)
            assert_is_cycle(graph, info.value.cycle)
    if not acyclic:
        assert_is_cycle(graph, find_cycle(graph))
    else:
        assert find_cycle(graph) == []


def test_cycle_error_names_the_cycle_not_a_downstream_node() -> None:
    # Kahn leaves "c" and "d" unprocessed, but only "b" and "c" are on the cycle.
    graph = {"a": ["b"], "b": ["c"], "c": ["b", "d"]}
    with pytest.raises(CycleError, match=r"graph has a cycle: 'b' -> 'c' -> 'b'"):
        topological_sort(graph)
    assert isinstance(CycleError(["x"]), ValueError)


@SETTINGS
@given(digraphs())
def test_undirected_cycle_detection_matches_networkx(graph: dict[int, dict[int, int]]) -> None:
    g = nx.Graph(to_nx(graph))
    expected = g.number_of_edges() > g.number_of_nodes() - nx.number_connected_components(g)
    assert has_cycle_undirected(graph) == expected


def test_two_way_edge_is_not_an_undirected_cycle() -> None:
    assert not has_cycle_undirected({1: [2], 2: [1]})
    assert has_cycle_undirected({1: [1]})


# ------------------------------------------------ union-find and components


class UnionFindMachine(RuleBasedStateMachine):
    """UnionFind against a naive model: a list of disjoint Python sets."""

    def __init__(self) -> None:
        super().__init__()
        self.uf: UnionFind[int] = UnionFind()
        self.model: list[set[int]] = []

    def block(self, x: int) -> set[int]:
        return next(b for b in self.model if x in b)

    def known(self, x: int) -> bool:
        return any(x in b for b in self.model)

    @initialize(xs=st.lists(st.integers(0, 15), max_size=5))
    def start(self, xs: list[int]) -> None:
        self.uf = UnionFind(xs)
        self.model = [{x} for x in dict.fromkeys(xs)]

    @rule(x=st.integers(0, 15))
    def add(self, x: int) -> None:
        self.uf.add(x)
        if not self.known(x):
            self.model.append({x})

    @rule(a=st.integers(0, 15), b=st.integers(0, 15))
    def union(self, a: int, b: int) -> None:
        for x in (a, b):
            if not self.known(x):
                self.model.append({x})
        ba, bb = self.block(a), self.block(b)
        merged = self.uf.union(a, b)
        assert merged == (ba is not bb)
        if merged:
            self.model.remove(bb)
            ba |= bb

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def connected(self, data: st.DataObject) -> None:
        elements = sorted(set().union(*self.model))
        a = data.draw(st.sampled_from(elements))
        b = data.draw(st.sampled_from(elements))
        assert self.uf.connected(a, b) == (b in self.block(a))
        assert self.uf.find(a) in self.block(a)

    @rule(x=st.integers(16, 20))
    def unknown_element(self, x: int) -> None:
        with pytest.raises(KeyError, match=f"element {x} is not in the union-find"):
            self.uf.find(x)

    @invariant()
    def agrees_with_model(self) -> None:
        self.uf._check_invariants()
        assert self.uf.count == len(self.model)
        assert len(self.uf) == sum(len(b) for b in self.model)


TestUnionFind = UnionFindMachine.TestCase
TestUnionFind.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)


def test_union_by_rank_keeps_trees_shallow() -> None:
    uf: UnionFind[int] = UnionFind(range(1024))
    width = 1
    while width < 1024:  # pairwise merges: the worst case for rank growth
        for i in range(0, 1024, 2 * width):
            uf.union(i, i + width)
        width *= 2
    uf._check_invariants()
    assert uf.count == 1
    assert max(uf._rank.values()) == 10  # log2(1024): never more


def test_check_invariants_catches_a_broken_forest() -> None:
    uf: UnionFind[str] = UnionFind("ab")
    uf.union("a", "b")
    uf._rank["a"] = uf._rank["b"] = 0  # corrupt: a child no longer ranks below its parent
    with pytest.raises(AssertionError, match="rank does not increase"):
        uf._check_invariants()


@SETTINGS
@given(digraphs())
def test_connected_components_match_networkx(graph: dict[int, dict[int, int]]) -> None:
    got = connected_components(unweighted(graph))
    expected = nx.connected_components(nx.Graph(to_nx(graph)))
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))
    order = {n: i for i, n in enumerate(to_nx(graph).nodes)}
    firsts = [min(order[n] for n in c) for c in got]
    assert firsts == sorted(firsts)


# ------------------------------------------------------ minimum spanning trees


@st.composite
def undirected_graphs(draw: st.DrawFn) -> dict[int, dict[int, int]]:
    """Weighted undirected graphs, each edge listed forwards, backwards or both ways."""
    n = draw(st.integers(1, 8))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).map(sorted).map(tuple),
            unique=True,
            max_size=3 * n,
        )
    )
    graph: dict[int, dict[int, int]] = {u: {} for u in range(n)}
    for u, v in pairs:
        w = draw(st.integers(-5, 20))
        how = draw(st.sampled_from(["forward", "backward", "both"]))
        if how in ("forward", "both"):
            graph[u][v] = w
        if how in ("backward", "both"):
            graph[v][u] = w
    return graph


@SETTINGS
@given(undirected_graphs())
def test_kruskal_and_prim_match_networkx_weight(graph: dict[int, dict[int, int]]) -> None:
    g = nx.Graph(to_nx(graph))
    expected = nx.minimum_spanning_tree(g).size(weight="weight")
    for mst in (kruskal, prim):
        tree = mst(graph)
        assert sum(w for _, _, w in tree) == expected
        assert len(tree) == g.number_of_nodes() - nx.number_connected_components(g)
        assert all(g.has_edge(u, v) and g[u][v]["weight"] == w for u, v, w in tree)
        forest = {n: [v for u, v, _ in tree if u == n] for n in g.nodes}
        assert not has_cycle_undirected(forest)


def test_mst_rejects_conflicting_weights() -> None:
    for mst in (kruskal, prim):
        with pytest.raises(ValueError, match="edge 1 - 2 has weights 3 and 4"):
            mst({1: {2: 3}, 2: {1: 4}})


# ------------------------------------------------------------ representations


@SETTINGS
@given(digraphs())
def test_matrix_round_trip_matches_networkx(graph: dict[int, dict[int, int]]) -> None:
    nodes, matrix = to_matrix(graph)
    g = to_nx(graph)
    assert nodes == list(g.nodes)
    for i, u in enumerate(nodes):
        for j, v in enumerate(nodes):
            assert matrix[i][j] == int(g.has_edge(u, v))
    back = from_matrix(nodes, matrix)
    assert {(u, v) for u in back for v in back[u]} == set(g.edges)


def test_from_matrix_validates_shape() -> None:
    with pytest.raises(ValueError, match="matrix must be 2 x 2, got 1 rows"):
        from_matrix(["a", "b"], [[0, 1]])


def test_graph_shape_is_validated() -> None:
    with pytest.raises(TypeError, match=r"graph must be a mapping of .*, got \[\(1, 2\)\]"):
        bfs([(1, 2)], 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"node 'a' has \['b'\]"):
        dijkstra({"a": ["b"]}, "a")  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="graph must be a mapping"):
        topological_sort([1, 2])  # type: ignore[arg-type]


def test_demo_narrates() -> None:
    buf = io.StringIO()
    demo(buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 9
    # The numbers it prints are the algorithms' own answers, recomputed here.
    roads = {"A": {"B": 4, "C": 1}, "B": {"D": 5}, "C": {"B": 2, "D": 8}, "D": {"E": 3}}
    assert lines[3] == f"Dijkstra from A: {dijkstra(roads, 'A')}"
    assert sum(w for _, _, w in kruskal(roads)) == sum(w for _, _, w in prim(roads)) == 11
    assert lines[-1].endswith("negative cycle: 'E' -> 'C' -> 'D' -> 'E'")
    cli = io.StringIO()
    assert main(["demo", "graph-algorithms"], out=cli) == 0
    assert cli.getvalue() == buf.getvalue()


def test_nodes_can_be_any_hashable() -> None:
    graph: dict[Hashable, list[Hashable]] = {(0, 0): [(0, 1), "x"], "x": [None]}
    assert bfs(graph, (0, 0)) == [(0, 0), (0, 1), "x", None]
    assert topological_sort(graph) == [(0, 0), (0, 1), "x", None]
