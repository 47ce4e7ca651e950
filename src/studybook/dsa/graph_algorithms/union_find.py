"""Union-find (disjoint-set forest) with path compression and union by rank.

Tarjan (1975) proved that the two heuristics together cost
O(m alpha(m, n)) for m operations on n elements, alpha being an inverse of
Ackermann's function (at most 4 for any practical n); see CLRS (3rd ed.)
chapter 21.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic

from studybook.dsa.graph_algorithms.representation import N

__all__ = ["UnionFind"]


class UnionFind(Generic[N]):
    """Disjoint sets with path compression and union by rank (Tarjan 1975).

    ``parent`` links form a forest, one tree per set, its root the set's
    representative. Union by rank hangs the shallower tree under the deeper
    one, so a rank-r root has at least 2**r elements and trees stay O(log n)
    deep; path compression points every node on a ``find`` path straight at
    the root. Together: O(alpha(n)) amortised per operation.

    >>> uf = UnionFind()
    >>> uf.union("a", "b"), uf.union("b", "a")
    (True, False)
    >>> uf.connected("a", "b"), len(uf), uf.count
    (True, 2, 1)
    """

    def __init__(self, elements: Iterable[N] = ()) -> None:
        """Start with each of ``elements`` in its own set.

        Args:
            elements: initial elements (duplicates are ignored).

        Raises:
            ValueError: if an element is not equal to itself (a NaN).
        """
        self._parent: dict[N, N] = {}
        self._rank: dict[N, int] = {}
        self._count = 0
        for x in elements:
            self.add(x)

    def add(self, x: N) -> None:
        """Add ``x`` as a singleton set; no-op if present.

        Args:
            x: the element.

        Raises:
            ValueError: if ``x`` is not equal to itself (a NaN): ``find`` stops
                at a node that equals its parent, so a NaN would loop forever.

        Complexity: O(1).

        >>> uf = UnionFind([1]); uf.add(1); uf.add(2); uf.count
        2
        >>> uf.add(float("nan"))
        Traceback (most recent call last):
        ValueError: union-find elements must be equal to themselves, got nan
        """
        if x != x:
            raise ValueError(f"union-find elements must be equal to themselves, got {x!r}")
        if x not in self._parent:
            self._parent[x] = x
            self._rank[x] = 0
            self._count += 1

    def find(self, x: N) -> N:
        """The representative of ``x``'s set, compressing the path to it.

        Args:
            x: an element.

        Returns:
            The root of ``x``'s tree: equal for two elements iff same set.

        Raises:
            KeyError: ``x`` was never added.

        Complexity: O(alpha(n)) amortised.

        >>> uf = UnionFind([1, 2]); uf.find(1)
        1
        >>> uf.find(3)
        Traceback (most recent call last):
        KeyError: 'element 3 is not in the union-find'
        """
        if x not in self._parent:
            raise KeyError(f"element {x!r} is not in the union-find")
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        # Second pass, iterative so deep trees cannot hit the recursion limit.
        while self._parent[x] != root:
            self._parent[x], x = root, self._parent[x]
        return root

    def union(self, a: N, b: N) -> bool:
        """Merge the sets of ``a`` and ``b``, adding either if new.

        Args:
            a: an element.
            b: an element.

        Returns:
            True if two sets were merged, False if already in one set.

        Raises:
            ValueError: if ``a`` or ``b`` is not equal to itself (a NaN).

        Complexity: O(alpha(n)) amortised.

        >>> uf = UnionFind(); uf.union(1, 2), uf.union(2, 1)
        (True, False)
        """
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self._rank[ra] < self._rank[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra  # the shallower tree goes under the deeper root
        if self._rank[ra] == self._rank[rb]:
            self._rank[ra] += 1
        self._count -= 1
        return True

    def connected(self, a: N, b: N) -> bool:
        """Whether ``a`` and ``b`` are in the same set.

        Args:
            a: an element.
            b: an element.

        Returns:
            True if they share a representative.

        Raises:
            KeyError: either element was never added.

        Complexity: O(alpha(n)) amortised.

        >>> uf = UnionFind([1, 2, 3]); uf.union(1, 2); uf.connected(1, 3)
        True
        False
        >>> uf.connected(1, 9)
        Traceback (most recent call last):
        KeyError: 'element 9 is not in the union-find'
        """
        return self.find(a) == self.find(b)

    @property
    def count(self) -> int:
        """The number of disjoint sets, maintained by ``add`` and ``union`` in O(1).

        >>> uf = UnionFind("abc"); uf.union("a", "b"); uf.count
        True
        2
        """
        return self._count

    def __len__(self) -> int:
        """The number of elements (not sets), O(1).

        >>> len(UnionFind("abca"))
        3
        """
        return len(self._parent)

    def __contains__(self, x: object) -> bool:
        """Whether ``x`` was added, O(1); unlike ``find``, never raises.

        >>> "a" in UnionFind("ab"), "z" in UnionFind("ab")
        (True, False)
        """
        return x in self._parent

    def _check_invariants(self) -> None:
        """Raise AssertionError if the forest is malformed (tests call this)."""
        sizes: dict[N, int] = {}
        for x, p in self._parent.items():
            if p not in self._parent:
                raise AssertionError(f"parent {p!r} of {x!r} is not an element")
            if p != x and self._rank[p] <= self._rank[x]:
                raise AssertionError(f"rank does not increase from {x!r} to its parent {p!r}")
            root = x
            for _ in range(len(self._parent)):
                if self._parent[root] == root:
                    break
                root = self._parent[root]
            else:
                raise AssertionError(f"parent links from {x!r} loop")
            sizes[root] = sizes.get(root, 0) + 1
        if len(sizes) != self._count:
            raise AssertionError(f"count {self._count} but {len(sizes)} roots")
        for root, size in sizes.items():
            if 2 ** self._rank[root] > size:
                raise AssertionError(f"root {root!r} has rank {self._rank[root]} but size {size}")
