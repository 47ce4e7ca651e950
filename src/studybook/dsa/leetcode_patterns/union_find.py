"""Union-find (disjoint set union): merge groups and ask "same group?" in near-constant time.

Interviewers reach for union-find when a graph arrives as a stream of edges
and only connectivity matters: counting components, detecting the edge that
closes a cycle, grouping records that share a key. The invariant: every
element points, through parents, to exactly one root, and two elements are
connected iff they share that root. With union by size and path compression,
``m`` operations on ``n`` elements take O(m alpha(n)) time, where the inverse
Ackermann function alpha is at most 4 for any practical ``n`` (Tarjan 1975).

==================================================  ===============  =======
Problem                                             Time             Space
==================================================  ===============  =======
Number of Connected Components in an Undirected G.  O(n + e alpha)   O(n)
Graph Valid Tree                                    O(n + e alpha)   O(n)
Redundant Connection                                O(e alpha)       O(e)
Accounts Merge                                      O(E log E)       O(E)
==================================================  ===============  =======

>>> number_of_connected_components_in_an_undirected_graph(5, [[0, 1], [1, 2], [3, 4]])
2

Source: R. E. Tarjan, "Efficiency of a Good But Not Linear Set Union
Algorithm", JACM 22(2), 1975.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_int, require_int_pairs, require_seq, require_str_list

__all__ = [
    "PROBLEMS",
    "DisjointSet",
    "accounts_merge",
    "graph_valid_tree",
    "number_of_connected_components_in_an_undirected_graph",
    "redundant_connection",
]


class DisjointSet:
    """Disjoint sets over ``0 .. n - 1`` with union by size and path halving.

    Args:
        n: number of elements, each starting in its own set.

    Raises:
        TypeError: if ``n`` is not an int.
        ValueError: if ``n`` is negative.

    Complexity: ``find``/``union`` amortised O(alpha(n)); O(n) space.

    >>> ds = DisjointSet(4)
    >>> ds.union(0, 1), ds.union(1, 0), ds.count
    (True, False, 3)
    >>> ds.find(1) == ds.find(0)
    True
    >>> DisjointSet(-1)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -1
    """

    def __init__(self, n: int) -> None:
        require_int("n", n, minimum=0)
        self._parent = list(range(n))
        self._size = [1] * n
        #: Number of disjoint sets.
        self.count = n

    def find(self, x: int) -> int:
        """Return the root of ``x``'s set, halving the path on the way up.

        Args:
            x: an element in ``0 .. n - 1``.

        Returns:
            The representative of ``x``'s set.

        Raises:
            TypeError: if ``x`` is not an int.
            KeyError: if ``x`` is out of range.

        Complexity: amortised O(alpha(n)).

        >>> DisjointSet(2).find(5)
        Traceback (most recent call last):
        KeyError: 'element must be in 0..1, got 5'
        """
        require_int("x", x)
        if not 0 <= x < len(self._parent):
            raise KeyError(f"element must be in 0..{len(self._parent) - 1}, got {x!r}")
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving: point to the grandparent
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        """Merge the sets of ``a`` and ``b``.

        Args:
            a: an element.
            b: another element.

        Returns:
            ``True`` if they were in different sets (a merge happened).

        Raises:
            TypeError: if an element is not an int.
            KeyError: if an element is out of range.

        Complexity: amortised O(alpha(n)).

        >>> ds = DisjointSet(3); ds.union(0, 2), ds.count
        (True, 2)
        """
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra  # the smaller tree goes under the larger: depth O(log n)
        self._size[ra] += self._size[rb]
        self.count -= 1
        return True

    def _check_invariants(self) -> None:
        roots = [x for x in range(len(self._parent)) if self._parent[x] == x]
        if len(roots) != self.count:
            raise AssertionError(f"count {self.count} but {len(roots)} roots")
        members = dict.fromkeys(roots, 0)
        for x in range(len(self._parent)):
            root = x
            while self._parent[root] != root:  # no path halving: checks must not mutate
                root = self._parent[root]
            members[root] += 1
        for r in roots:
            if members[r] != self._size[r]:
                raise AssertionError(f"root {r} has size {self._size[r]}, {members[r]} members")


def _check_edges(n: int, edges: Sequence[Sequence[int]]) -> None:
    require_int("n", n, minimum=0)
    for edge in require_int_pairs("edges", edges):
        if not all(0 <= v < n for v in edge):
            raise ValueError(f"edge must be a pair of nodes in 0..{n - 1}, got {edge!r}")


def number_of_connected_components_in_an_undirected_graph(
    n: int, edges: Sequence[Sequence[int]]
) -> int:
    """Return the number of connected components of an undirected graph.

    Start with ``n`` singletons; every edge that joins two different sets
    lowers the count by one.

    Args:
        n: number of nodes, labelled ``0 .. n - 1``.
        edges: ``[u, v]`` pairs.

    Returns:
        The number of components.

    Raises:
        TypeError: ``n`` is not an int or ``edges`` not a list of int pairs.
        ValueError: if ``n`` is negative or an edge names an unknown node.

    Complexity: O(n + e alpha(n)) time, O(n) space.

    >>> number_of_connected_components_in_an_undirected_graph(3, [])
    3
    >>> number_of_connected_components_in_an_undirected_graph(2, [[0, 2]])
    Traceback (most recent call last):
    ValueError: edge must be a pair of nodes in 0..1, got [0, 2]
    """
    _check_edges(n, edges)
    ds = DisjointSet(n)
    for u, v in edges:
        ds.union(u, v)
    return ds.count


def graph_valid_tree(n: int, edges: Sequence[Sequence[int]]) -> bool:
    """Return whether the undirected graph on ``n`` nodes is a tree.

    A tree has exactly ``n - 1`` edges and no cycle; with that edge count,
    "no edge joins two already-connected nodes" also proves connectivity.

    Args:
        n: number of nodes (at least 1).
        edges: ``[u, v]`` pairs.

    Returns:
        ``True`` if the graph is connected and acyclic.

    Raises:
        TypeError: ``n`` is not an int or ``edges`` not a list of int pairs.
        ValueError: if ``n`` is below 1 or an edge names an unknown node.

    Complexity: O(n alpha(n)) time, O(n) space.

    >>> graph_valid_tree(5, [[0, 1], [0, 2], [0, 3], [1, 4]])
    True
    >>> graph_valid_tree(4, [[0, 1], [1, 2], [2, 0]])
    False
    >>> graph_valid_tree(0, [])
    Traceback (most recent call last):
    ValueError: n must be >= 1, got 0
    """
    require_int("n", n, minimum=1)
    _check_edges(n, edges)
    if len(edges) != n - 1:
        return False
    ds = DisjointSet(n)
    return all(ds.union(u, v) for u, v in edges)


def redundant_connection(edges: Sequence[Sequence[int]]) -> list[int]:
    """Return the edge that, removed, turns the graph back into a tree.

    The graph on nodes ``1 .. n`` is a tree plus one extra edge; among the
    edges on the cycle the last one in input order is the answer, and it is
    exactly the first edge whose endpoints are already connected.

    Args:
        edges: ``n`` edges ``[u, v]`` on nodes ``1 .. n`` forming a tree plus one edge.

    Returns:
        The redundant edge.

    Raises:
        TypeError: ``edges`` is not a list of int pairs.
        ValueError: ``edges`` is empty, or an edge names a node outside ``1 .. n``.

    Complexity: O(n alpha(n)) time, O(n) space.

    >>> redundant_connection([[1, 2], [1, 3], [2, 3]])
    [2, 3]
    >>> redundant_connection([[1, 3]])
    Traceback (most recent call last):
    ValueError: edge must be a pair of nodes in 1..1, got [1, 3]
    """
    n = len(require_seq("edges", edges, nonempty=True))
    require_int_pairs("edges", edges)
    ds = DisjointSet(n + 1)  # node 0 is unused: LeetCode labels from 1
    for edge in edges:
        if not all(1 <= v <= n for v in edge):
            raise ValueError(f"edge must be a pair of nodes in 1..{n}, got {edge!r}")
        if not ds.union(edge[0], edge[1]):
            return [edge[0], edge[1]]
    # n edges on n nodes always close a cycle (a forest on n nodes has < n edges).
    raise AssertionError("unreachable: no edge closed a cycle")


def accounts_merge(accounts: Sequence[Sequence[str]]) -> list[list[str]]:
    """Merge accounts that share an email address.

    Each account is ``[name, email, ...]``. Union every account with the
    first account that used each of its emails; each resulting set is one
    person (two accounts with the same name but no shared email stay apart).

    Args:
        accounts: ``[name, email1, email2, ...]`` lists.

    Returns:
        ``[name, *sorted unique emails]`` per person, sorted for a stable output.

    Raises:
        TypeError: ``accounts`` is not a list of lists of str.
        ValueError: if an account has no name.

    Complexity: O(E log E) time for E emails in total (the sorts dominate), O(E) space.

    >>> accounts_merge([["Ann", "a@x", "b@x"], ["Bob", "c@x"], ["Ann", "b@x", "d@x"]])
    [['Ann', 'a@x', 'b@x', 'd@x'], ['Bob', 'c@x']]
    >>> accounts_merge([[]])
    Traceback (most recent call last):
    ValueError: account must start with a name, got []
    """
    ds = DisjointSet(len(require_seq("accounts", accounts)))
    owner: dict[str, int] = {}
    for i, account in enumerate(accounts):
        if not require_str_list(f"accounts[{i}]", account):
            raise ValueError(f"account must start with a name, got {list(account)!r}")
        for email in account[1:]:
            ds.union(i, owner.setdefault(email, i))
    groups: dict[int, set[str]] = {}
    for i, account in enumerate(accounts):
        groups.setdefault(ds.find(i), set()).update(account[1:])
    return sorted([accounts[root][0], *sorted(emails)] for root, emails in groups.items())


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Number of Connected Components in an Undirected Graph": (
        number_of_connected_components_in_an_undirected_graph
    ),
    "Graph Valid Tree": graph_valid_tree,
    "Redundant Connection": redundant_connection,
    "Accounts Merge": accounts_merge,
}
