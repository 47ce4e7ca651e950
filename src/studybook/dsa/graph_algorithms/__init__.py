"""Graph algorithms on plain mappings: traversal, shortest paths, ordering, spanning trees.

Interviewers ask about graphs because a large share of "real" problems (build
systems, route planning, social networks, dependency resolution, network
design) reduce to a handful of algorithms, and choosing the right one shows
whether a candidate knows their preconditions: BFS only for unweighted
shortest paths, Dijkstra only for non-negative weights, Bellman-Ford when
weights can be negative, a topological order only for a DAG.

Every function takes a graph as a plain mapping and names what it refuses:
:class:`TypeError` for a graph that is not a mapping, a neighbour collection
that is a string or a scalar, or a weight that is not a real number (``bool``
included); :class:`ValueError` for a NaN or infinite weight, with the edge.
An unweighted graph maps a node to an iterable of its neighbours
(``{"a": ["b", "c"]}``); a weighted graph maps a node to a mapping from
neighbour to weight (``{"a": {"b": 2}}``).
Directed functions read ``graph[u]`` as the successors of ``u``; undirected
ones (components, undirected cycles, spanning trees) treat each listed edge as
going both ways, so an edge may be listed once or in both directions.

Invariants shared by every function:

* A node that appears only as a neighbour (never as a key) is a node with no
  outgoing edges. The node order is "keys in mapping order, then such
  neighbour-only nodes in order of first appearance".
* Neighbours are explored in the mapping's iteration order, so every result
  (visit order, tie-breaks, the cycle reported) is deterministic.

============================  ======================  ===================
Algorithm                     Time                    Extra space
============================  ======================  ===================
bfs, dfs                      O(V + E)                O(V)
dijkstra (binary heap)        O((V + E) log V)        O(V + E)
bellman_ford                  O(V * E)                O(V)
topological sort (both)       O(V + E)                O(V)
has_cycle_undirected          O(E alpha(V))           O(V + E)
connected_components          O(V + E)                O(V + E)
UnionFind, m operations       O(m alpha(n))           O(n)
kruskal                       O(E log E)              O(V + E)
prim (binary heap)            O(E log V)              O(V + E)
============================  ======================  ===================

>>> g = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
>>> bfs(g, "a"), dfs(g, "a")
(['a', 'b', 'c', 'd'], ['a', 'b', 'd', 'c'])
>>> topological_sort(g)
['a', 'b', 'c', 'd']

Primary sources: Cormen, Leiserson, Rivest and Stein, *Introduction to
Algorithms* (3rd ed., 2009), chapters 22-24; E. W. Dijkstra, "A note on two
problems in connexion with graphs" (1959); R. E. Tarjan, "Efficiency of a Good
But Not Linear Set Union Algorithm" (1975).
"""

from __future__ import annotations

from typing import TextIO

from studybook.dsa.graph_algorithms.ordering import (
    CycleError,
    find_cycle,
    has_cycle_directed,
    has_cycle_undirected,
    topological_sort,
    topological_sort_dfs,
)
from studybook.dsa.graph_algorithms.representation import from_matrix, to_matrix
from studybook.dsa.graph_algorithms.shortest_paths import (
    NegativeCycleError,
    bellman_ford,
    dijkstra,
    has_negative_cycle,
    shortest_path,
)
from studybook.dsa.graph_algorithms.spanning import connected_components, kruskal, prim
from studybook.dsa.graph_algorithms.traversal import bfs, dfs, dfs_recursive
from studybook.dsa.graph_algorithms.union_find import UnionFind

__all__ = [
    "CycleError",
    "NegativeCycleError",
    "UnionFind",
    "bellman_ford",
    "bfs",
    "connected_components",
    "demo",
    "dfs",
    "dfs_recursive",
    "dijkstra",
    "find_cycle",
    "from_matrix",
    "has_cycle_directed",
    "has_cycle_undirected",
    "has_negative_cycle",
    "kruskal",
    "prim",
    "shortest_path",
    "to_matrix",
    "topological_sort",
    "topological_sort_dfs",
]


def demo(out: TextIO) -> None:
    """Narrate each algorithm on one small road network to ``out``.

    Args:
        out: a text stream.

    >>> import sys
    >>> demo(sys.stdout)
    roads: A-B 4, A-C 1, B-D 5, C-B 2, C-D 8, D-E 3
    BFS from A (fewest hops first): ['A', 'B', 'C', 'D', 'E']
    DFS from A (deep first):        ['A', 'B', 'D', 'E', 'C']
    Dijkstra from A: {'A': 0, 'C': 1, 'B': 3, 'D': 8, 'E': 11}
      path A->E: ['A', 'C', 'B', 'D', 'E'] (not the 1-hop-shorter A-B-D-E)
    topological order (roads are one-way): ['A', 'C', 'B', 'D', 'E']
    Kruskal MST (roads as two-way): [('A', 'C', 1), ('C', 'B', 2), ('D', 'E', 3), ('B', 'D', 5)]
    Prim MST, same weight:          [('A', 'C', 1), ('C', 'B', 2), ('B', 'D', 5), ('D', 'E', 3)]
    add E->C -20 and Bellman-Ford refuses: negative cycle: 'E' -> 'C' -> 'D' -> 'E'
    """
    roads: dict[str, dict[str, float]] = {
        "A": {"B": 4, "C": 1},
        "B": {"D": 5},
        "C": {"B": 2, "D": 8},
        "D": {"E": 3},
    }
    listed = ", ".join(f"{u}-{v} {w}" for u, nbrs in roads.items() for v, w in nbrs.items())
    out.write(f"roads: {listed}\n")
    out.write(f"BFS from A (fewest hops first): {bfs(roads, 'A')}\n")
    out.write(f"DFS from A (deep first):        {dfs(roads, 'A')}\n")
    out.write(f"Dijkstra from A: {dijkstra(roads, 'A')}\n")
    out.write(f"  path A->E: {shortest_path(roads, 'A', 'E')} (not the 1-hop-shorter A-B-D-E)\n")
    out.write(f"topological order (roads are one-way): {topological_sort(roads)}\n")
    out.write(f"Kruskal MST (roads as two-way): {kruskal(roads)}\n")
    out.write(f"Prim MST, same weight:          {prim(roads)}\n")
    roads["E"] = {"C": -20}
    try:
        bellman_ford(roads, "A")
    except NegativeCycleError as exc:
        out.write(f"add E->C -20 and Bellman-Ford refuses: {exc}\n")
