"""Breadth-first and depth-first search (recursive and iterative).

Both visit each node reachable from ``start`` once and read each of its
neighbour lists once, in the mapping's order, so the visit order is
deterministic. BFS uses a FIFO queue and yields nodes in nondecreasing hop
distance; DFS follows one path as deep as it goes before backtracking and
yields a preorder. See CLRS (3rd ed.) sections 22.2 and 22.3.
"""

from __future__ import annotations

from collections import deque

from studybook.dsa.graph_algorithms.representation import Graph, N, _require_node

__all__ = ["bfs", "dfs", "dfs_recursive"]


def bfs(graph: Graph[N], start: N) -> list[N]:
    """Breadth-first search: the nodes reachable from ``start``, nearest first.

    Nodes come out in nondecreasing number of edges from ``start``; within a
    layer, in the order their parents were dequeued and their neighbours listed.

    Args:
        graph: node -> iterable of successors.
        start: the node to start from.

    Returns:
        The reachable nodes in visit order, ``start`` first.

    Raises:
        KeyError: ``start`` is not a node of ``graph``.

    Complexity: O(V + E) time, O(V) extra space.

    >>> bfs({1: [2, 3], 2: [4], 3: [4], 4: []}, 1)
    [1, 2, 3, 4]
    >>> bfs({1: [2]}, 2)
    [2]
    >>> bfs({1: [2]}, 5)
    Traceback (most recent call last):
    KeyError: 'start node 5 is not in the graph'
    """
    _require_node(graph, start, "start")
    seen = {start}
    order = [start]
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for v in graph.get(u, ()):
            # Mark on enqueue, not on dequeue: each node enters the queue once.
            if v not in seen:
                seen.add(v)
                order.append(v)
                queue.append(v)
    return order


def dfs(graph: Graph[N], start: N) -> list[N]:
    """Depth-first search, iterative: nodes reachable from ``start`` in preorder.

    The explicit stack holds one *iterator* per node on the current path, so
    the loop resumes a node's neighbour list exactly where a recursive call
    would return to it. The result is therefore the same preorder as
    :func:`dfs_recursive`, with no recursion limit.

    Args:
        graph: node -> iterable of successors.
        start: the node to start from.

    Returns:
        The reachable nodes in preorder (a node before everything discovered
        through it), ``start`` first.

    Raises:
        KeyError: ``start`` is not a node of ``graph``.

    Complexity: O(V + E) time, O(V) extra space (the path, not the frontier).

    >>> dfs({1: [2, 3], 2: [4], 3: [4], 4: []}, 1)
    [1, 2, 4, 3]
    >>> dfs({1: [1]}, 1)
    [1]
    >>> dfs({}, "x")
    Traceback (most recent call last):
    KeyError: "start node 'x' is not in the graph"
    """
    _require_node(graph, start, "start")
    seen = {start}
    order = [start]
    stack = [iter(graph.get(start, ()))]
    while stack:
        for v in stack[-1]:
            if v not in seen:
                seen.add(v)
                order.append(v)
                stack.append(iter(graph.get(v, ())))
                break  # descend; this node's iterator resumes when v is done
        else:
            stack.pop()  # every neighbour handled: backtrack
    return order


def dfs_recursive(graph: Graph[N], start: N) -> list[N]:
    """Depth-first search, recursive: the textbook version of :func:`dfs`.

    Same result as :func:`dfs`, but the path lives on Python's call stack, so
    a path longer than ``sys.getrecursionlimit()`` (1000 by default) raises
    :class:`RecursionError`.

    Args:
        graph: node -> iterable of successors.
        start: the node to start from.

    Returns:
        The reachable nodes in preorder, ``start`` first.

    Raises:
        KeyError: ``start`` is not a node of ``graph``.

    Complexity: O(V + E) time, O(V) stack depth.

    >>> dfs_recursive({1: [2, 3], 2: [4], 3: [4], 4: []}, 1)
    [1, 2, 4, 3]
    >>> dfs_recursive({1: [2]}, 0)
    Traceback (most recent call last):
    KeyError: 'start node 0 is not in the graph'
    """
    _require_node(graph, start, "start")
    order: list[N] = []
    seen: set[N] = set()

    def visit(u: N) -> None:
        seen.add(u)
        order.append(u)
        for v in graph.get(u, ()):
            if v not in seen:
                visit(v)

    visit(start)
    return order
