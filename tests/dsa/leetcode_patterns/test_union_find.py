"""Union-find solutions against networkx, and DisjointSet against a partition model."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.leetcode_patterns.union_find import (
    PROBLEMS,
    DisjointSet,
    accounts_merge,
    graph_valid_tree,
    number_of_connected_components_in_an_undirected_graph,
    redundant_connection,
)

FAST = settings(max_examples=32, deadline=None, derandomize=True)


def graph_strategy(min_n: int = 0) -> st.SearchStrategy[tuple[int, list[list[int]]]]:
    return st.integers(min_n, 8).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=2), max_size=10)
            if n
            else st.just([]),
        )
    )


def to_nx(n: int, edges: list[list[int]]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(map(tuple, edges))
    return g


@FAST
@given(graph_strategy())
def test_components_match_networkx(graph: tuple[int, list[list[int]]]) -> None:
    n, edges = graph
    expected = nx.number_connected_components(to_nx(n, edges)) if n else 0
    assert number_of_connected_components_in_an_undirected_graph(n, edges) == expected


@FAST
@given(graph_strategy(min_n=1))
def test_valid_tree_matches_networkx(graph: tuple[int, list[list[int]]]) -> None:
    n, edges = graph
    # networkx collapses parallel edges and keeps self-loops; a LeetCode edge list
    # with a repeated edge or a loop is not a tree, so count edges ourselves too.
    expected = len(edges) == n - 1 and nx.is_tree(to_nx(n, edges))
    assert graph_valid_tree(n, edges) is expected


@st.composite
def tree_plus_edge(draw: st.DrawFn) -> list[list[int]]:
    n = draw(st.integers(2, 8))
    edges = [[draw(st.integers(1, v - 1)), v] for v in range(2, n + 1)]  # a random tree
    extra = draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True))
    position = draw(st.integers(0, len(edges)))
    edges.insert(position, extra)
    return edges


@FAST
@given(tree_plus_edge())
def test_redundant_connection_is_the_last_removable_edge(edges: list[list[int]]) -> None:
    n = len(edges)

    def tree_without(i: int) -> bool:
        g = nx.Graph()
        g.add_nodes_from(range(1, n + 1))
        g.add_edges_from(tuple(e) for j, e in enumerate(edges) if j != i)
        return g.number_of_edges() == n - 1 and nx.is_tree(g)

    last = max(i for i in range(n) if tree_without(i))
    assert redundant_connection(edges) == edges[last]


names = st.sampled_from(["Ann", "Bob"])
emails = st.lists(st.sampled_from([f"{c}@x" for c in "abcdefg"]), min_size=1, max_size=3)


@FAST
@given(st.lists(st.tuples(names, emails), min_size=1, max_size=6))
def test_accounts_merge_matches_networkx(raw: list[tuple[str, list[str]]]) -> None:
    # The same email always belongs to one person, as LeetCode guarantees.
    owner: dict[str, str] = {}
    accounts = []
    for name, addresses in raw:
        for a in addresses:
            owner.setdefault(a, name)
        accounts.append([owner[addresses[0]], *addresses])
    accounts = [[acc[0], *[a for a in acc[1:] if owner[a] == acc[0]]] for acc in accounts]
    g = nx.Graph()
    for acc in accounts:
        g.add_node(("acct", id(acc)))
        for a in acc[1:]:
            g.add_edge(("acct", id(acc)), a)
    expected = []
    for comp in nx.connected_components(g):
        mails = sorted(x for x in comp if isinstance(x, str))
        holder = next(acc for acc in accounts if ("acct", id(acc)) in comp)
        expected.append([holder[0], *mails])
    assert accounts_merge(accounts) == sorted(expected)


class DisjointSetMachine(RuleBasedStateMachine):
    """DisjointSet against an explicit list of frozensets."""

    N = 8

    def __init__(self) -> None:
        super().__init__()
        self.ds = DisjointSet(self.N)
        self.model = [frozenset([i]) for i in range(self.N)]

    def block(self, x: int) -> frozenset[int]:
        return next(b for b in self.model if x in b)

    @rule(a=st.integers(0, N - 1), b=st.integers(0, N - 1))
    def union(self, a: int, b: int) -> None:
        ba, bb = self.block(a), self.block(b)
        assert self.ds.union(a, b) is (ba != bb)
        if ba != bb:
            self.model = [x for x in self.model if x not in (ba, bb)] + [ba | bb]

    @rule(a=st.integers(0, N - 1), b=st.integers(0, N - 1))
    def same(self, a: int, b: int) -> None:
        assert (self.ds.find(a) == self.ds.find(b)) is (b in self.block(a))

    @invariant()
    def consistent(self) -> None:
        self.ds._check_invariants()
        assert self.ds.count == len(self.model)


DisjointSetMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, derandomize=True
)
TestDisjointSet = DisjointSetMachine.TestCase


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match=r"got \[0, 3\]"):
        number_of_connected_components_in_an_undirected_graph(3, [[0, 3]])
    with pytest.raises(KeyError, match="got -1"):
        DisjointSet(2).find(-1)
    with pytest.raises(ValueError, match="account must start with a name"):
        accounts_merge([[]])
    assert len(PROBLEMS) == 4
