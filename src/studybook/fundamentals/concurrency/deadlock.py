"""Deadlock detection: a cycle in the wait-for graph.

A wait-for graph has one node per thread (or transaction) and an edge
``A -> B`` when A is blocked on a resource that B holds. With single-instance
resources such as mutexes, the threads are deadlocked exactly when the graph
has a cycle: every thread on it waits for the next one, and none can move.
Databases build this graph from their lock tables and abort one transaction
on the cycle (the victim); a debugger or a watchdog builds it from lock
owners and waiters.

The detector is a depth-first search with three colours. A node is *white*
before it is visited, *grey* while it is on the current DFS path and *black*
once everything reachable from it has been explored; an edge to a grey node
closes a cycle, which is the part of the path from that node to the top.

===================  ================================
function             cost
===================  ================================
find_deadlock        O(V + E)
wait_for_graph       O(W) for W waiting threads
===================  ================================

>>> find_deadlock({"T1": ["T2"], "T2": ["T3"], "T3": ["T1"]})
['T1', 'T2', 'T3']
>>> find_deadlock({"T1": ["T2"], "T2": []}) is None
True

Primary sources: E. G. Coffman, M. J. Elphick, A. Shoshani, "System
Deadlocks", ACM Computing Surveys 3(2), 1971 (the four conditions; detection
as cycle finding); R. Tarjan, "Depth-first search and linear graph
algorithms", SIAM Journal on Computing 1(2), 1972.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

__all__ = ["find_deadlock", "wait_for_graph"]

N = TypeVar("N", bound=Hashable)
R = TypeVar("R", bound=Hashable)

_WHITE, _GREY, _BLACK = 0, 1, 2


def find_deadlock(wait_for: Mapping[N, Iterable[N]]) -> list[N] | None:
    """Return one cycle of the wait-for graph, or ``None`` if it has none.

    Args:
        wait_for: for each waiting node, the nodes it waits for. Nodes that
            appear only as targets are fine (they wait for nothing).

    Returns:
        ``[n0, n1, ..., nk]`` such that ``n0`` waits for ``n1``, ..., and
        ``nk`` waits for ``n0``; all distinct. A self-wait gives ``[n0]``.
        Which cycle is found is deterministic: the first one that a DFS
        closes, visiting nodes and edges in the mapping's order.

    Raises:
        TypeError: ``wait_for`` is not a mapping, or a value is a string or
            not iterable.

    Complexity: O(V + E) time and O(V) memory; iterative, so no recursion limit.

    >>> find_deadlock({1: [1]})
    [1]
    >>> find_deadlock({"a": ["b", "c"], "c": ["d"], "d": ["c"]})
    ['c', 'd']
    >>> find_deadlock({"a": "b"})
    Traceback (most recent call last):
    TypeError: the nodes that 'a' waits for must be an iterable of nodes, not a str: 'b'
    """
    graph = _adjacency(wait_for)
    colour: dict[N, int] = dict.fromkeys(graph, _WHITE)
    for root in graph:
        if colour[root] != _WHITE:
            continue
        # The DFS path, with an iterator over each node's remaining edges.
        path: list[N] = [root]
        on_path: dict[N, int] = {root: 0}
        edges = [iter(graph[root])]
        colour[root] = _GREY
        while edges:
            try:
                nxt = next(edges[-1])
            except StopIteration:  # every edge explored: the node is finished
                done = path.pop()
                del on_path[done]
                edges.pop()
                colour[done] = _BLACK
                continue
            if colour[nxt] == _GREY:
                return path[on_path[nxt] :]
            if colour[nxt] == _WHITE:
                colour[nxt] = _GREY
                on_path[nxt] = len(path)
                path.append(nxt)
                edges.append(iter(graph[nxt]))
    return None


def _adjacency(wait_for: Mapping[N, Iterable[N]]) -> dict[N, list[N]]:
    if not isinstance(wait_for, Mapping):
        raise TypeError(f"wait_for must be a mapping, got {type(wait_for).__name__}")
    graph: dict[N, list[N]] = {}
    for node, targets in wait_for.items():
        if isinstance(targets, str | bytes) or not isinstance(targets, Iterable):
            raise TypeError(
                f"the nodes that {node!r} waits for must be an iterable of nodes, "
                f"not a {type(targets).__name__}: {targets!r}"
            )
        graph.setdefault(node, [])
        for target in targets:
            graph[node].append(target)
            graph.setdefault(target, [])
    return graph


def wait_for_graph(holders: Mapping[R, N], waiting: Mapping[N, R]) -> dict[N, list[N]]:
    """Build the wait-for graph from who holds each resource and who waits for which.

    Args:
        holders: resource -> the node holding it (free resources are absent).
        waiting: blocked node -> the resource it waits for.

    Returns:
        node -> ``[holder]`` for each waiter whose resource is held (a waiter
        on a free resource is about to get it, so it waits for nobody).

    Raises:
        TypeError: either argument is not a mapping.

    Complexity: O(W) for W waiting nodes.

    >>> g = wait_for_graph({"fork0": "P0", "fork1": "P1"}, {"P0": "fork1", "P1": "fork0"})
    >>> g, find_deadlock(g)
    ({'P0': ['P1'], 'P1': ['P0']}, ['P0', 'P1'])
    """
    for name, arg in (("holders", holders), ("waiting", waiting)):
        if not isinstance(arg, Mapping):
            raise TypeError(f"{name} must be a mapping, got {type(arg).__name__}")
    return {node: [holders[res]] for node, res in waiting.items() if res in holders}
