"""Topological sort (Kahn's algorithm and DFS) and cycle detection.

A topological order exists exactly when a directed graph has no cycle, so the
two problems are one: Kahn's algorithm fails to emit every node, and DFS meets
a back edge, precisely on cyclic graphs. Undirected cycle detection is the
union-find test used by Kruskal. See CLRS (3rd ed.) section 22.4 and
A. B. Kahn, "Topological sorting of large networks" (1962).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence

from studybook.dsa.graph_algorithms.representation import (
    Graph,
    N,
    _nodes,
    _undirected_edges,
)
from studybook.dsa.graph_algorithms.union_find import UnionFind

__all__ = [
    "CycleError",
    "find_cycle",
    "has_cycle_directed",
    "has_cycle_undirected",
    "topological_sort",
    "topological_sort_dfs",
]


class CycleError(ValueError):
    """A directed cycle where an acyclic graph was required.

    Attributes:
        cycle: the nodes of one cycle, in edge order; the last node has an edge
            back to the first.
    """

    def __init__(self, cycle: Sequence[Hashable]) -> None:
        self.cycle = list(cycle)
        closed = " -> ".join(repr(n) for n in [*self.cycle, self.cycle[0]])
        super().__init__(f"graph has a cycle: {closed}")


def topological_sort(graph: Graph[N]) -> list[N]:
    """A topological order by Kahn's algorithm: ``u`` before each of ``graph[u]``.

    Repeatedly emits a node with no remaining incoming edges (FIFO, starting
    from the in-degree-0 nodes in node order) and deletes its out-edges.

    Args:
        graph: node -> iterable of successors.

    Returns:
        Every node (neighbour-only nodes included), each before its successors.

    Raises:
        CycleError: the graph has a directed cycle (a :class:`ValueError`
            whose message and ``.cycle`` name the nodes of one cycle).

    Complexity: O(V + E) time, O(V) extra space.

    >>> topological_sort({"shirt": ["tie", "belt"], "tie": ["jacket"], "belt": ["jacket"]})
    ['shirt', 'tie', 'belt', 'jacket']
    >>> topological_sort({})
    []
    >>> topological_sort({"a": ["b"], "b": ["c"], "c": ["b"]})
    Traceback (most recent call last):
    studybook.dsa.graph_algorithms.ordering.CycleError: graph has a cycle: 'b' -> 'c' -> 'b'
    """
    nodes = _nodes(graph)
    indegree = dict.fromkeys(nodes, 0)
    for u in graph:
        for v in graph[u]:
            indegree[v] += 1
    queue = deque(n for n in nodes if indegree[n] == 0)
    order: list[N] = []
    while queue:
        u = queue.popleft()
        order.append(u)
        for v in graph.get(u, ()):
            indegree[v] -= 1
            if indegree[v] == 0:
                queue.append(v)
    if len(order) < len(nodes):
        # Kahn's leftovers include nodes downstream of a cycle, not only nodes
        # on one; a DFS finds an actual cycle to report.
        cycle = find_cycle(graph)
        raise CycleError(cycle)
    return order


def topological_sort_dfs(graph: Graph[N]) -> list[N]:
    """A topological order by depth-first search: reverse postorder (CLRS 22.4).

    A node finishes only after everything reachable from it has finished, so
    listing nodes by decreasing finish time puts each before its successors.

    Args:
        graph: node -> iterable of successors.

    Returns:
        Every node, each before its successors.

    Raises:
        CycleError: the search met a back edge (an edge into a node still on
            the DFS path), which closes a directed cycle.

    Complexity: O(V + E) time, O(V) extra space.

    >>> topological_sort_dfs({"shirt": ["tie", "belt"], "tie": ["jacket"], "belt": ["jacket"]})
    ['shirt', 'belt', 'tie', 'jacket']
    >>> topological_sort_dfs({"a": ["a"]})
    Traceback (most recent call last):
    studybook.dsa.graph_algorithms.ordering.CycleError: graph has a cycle: 'a' -> 'a'
    """
    postorder, cycle = _dfs_forest(graph)
    if cycle:
        raise CycleError(cycle)
    return postorder[::-1]


def _dfs_forest(graph: Graph[N]) -> tuple[list[N], list[N]]:
    """DFS from every unvisited node in node order: (postorder, first cycle found or [])."""
    on_path: dict[N, int] = {}  # node -> index on the current path (the "grey" nodes)
    done: set[N] = set()  # the "black" nodes
    postorder: list[N] = []
    for root in _nodes(graph):
        if root in done:
            continue
        path = [root]
        on_path[root] = 0
        stack = [iter(graph.get(root, ()))]
        while stack:
            for v in stack[-1]:
                if v in on_path:  # back edge: v ... u -> v is a cycle
                    return postorder, path[on_path[v] :]
                if v not in done:
                    on_path[v] = len(path)
                    path.append(v)
                    stack.append(iter(graph.get(v, ())))
                    break
            else:
                stack.pop()
                u = path.pop()
                del on_path[u]
                done.add(u)
                postorder.append(u)
    return postorder, []


def find_cycle(graph: Graph[N]) -> list[N]:
    """One directed cycle, found by DFS; ``[]`` if the graph is acyclic.

    Args:
        graph: node -> iterable of successors.

    Returns:
        The nodes of a cycle in edge order (the last has an edge to the
        first), or an empty list.

    Complexity: O(V + E) time.

    >>> find_cycle({1: [2], 2: [3], 3: [1, 4]})
    [1, 2, 3]
    >>> find_cycle({1: [2], 2: []})
    []
    """
    return _dfs_forest(graph)[1]


def has_cycle_directed(graph: Graph[N]) -> bool:
    """Whether the directed graph has a cycle (a self-loop counts).

    Args:
        graph: node -> iterable of successors.

    Returns:
        True if some node can reach itself.

    Complexity: O(V + E) time.

    >>> has_cycle_directed({"a": ["b"], "b": ["a"]}), has_cycle_directed({"a": ["b"]})
    (True, False)
    """
    return bool(find_cycle(graph))


def has_cycle_undirected(graph: Graph[N]) -> bool:
    """Whether the graph, read as undirected, has a cycle.

    ``u -> v`` and ``v -> u`` are the same undirected edge, so listing an edge
    in both directions is not a cycle; a self-loop is. Each new edge either
    joins two components (union-find) or closes a cycle.

    Args:
        graph: node -> iterable of neighbours.

    Returns:
        True if some edge joins two nodes already connected.

    Complexity: O(E alpha(V)) time; O(V + E) extra space: the union-find is
    O(V), and remembering which edges were seen (so that ``u -> v`` and
    ``v -> u`` count once) is O(E).

    >>> has_cycle_undirected({1: [2], 2: [1, 3], 3: [2]})
    False
    >>> has_cycle_undirected({1: [2], 2: [3], 3: [1]})
    True
    """
    uf: UnionFind[N] = UnionFind()
    return any(not uf.union(u, v) for u, v in _undirected_edges(graph))
