"""A B+ tree: the index behind almost every relational table.

Every key and value lives in a leaf; internal nodes hold only *separator keys*
that route a search; leaves are linked left to right so a range scan walks
the leaf chain instead of climbing the tree again. A node holds at most
``order - 1`` keys (``order`` children for an internal node) and, except the
root, at least ``ceil(order / 2) - 1`` keys; every leaf is at the same depth.
An insert that overflows a node *splits* it and pushes a separator up (the
tree grows at the root); a delete that underflows a node *borrows* from a
sibling or *merges* with it (the tree shrinks at the root).

Invariant (checked by ``BPlusTree._check_invariants()``): keys sorted in
every node; fill bounds except at the root; every key of child ``j`` of an
internal node lies in ``[keys[j-1], keys[j])``; all leaves at one depth; the
leaf chain visits the leaves in key order.

==============  ============================  ====================================
operation       cost (n keys, order m)        note
==============  ============================  ====================================
get             O(log_m n) nodes              binary search inside each node
insert, delete  O(log_m n) nodes, O(m) each   a split or merge per level at most
range           O(log_m n + k)                k results, walked along the leaves
==============  ============================  ====================================

>>> tree = BPlusTree(order=4)
>>> for k in [5, 1, 9, 3, 7]:
...     tree.insert(k, str(k))
>>> list(tree.range(3, 8)), len(tree)
([(3, '3'), (5, '5'), (7, '7')], 5)

Primary source: R. Bayer, E. McCreight, "Organization and Maintenance of
Large Ordered Indexes", Acta Informatica 1, 1972; D. Comer, "The Ubiquitous
B-Tree", ACM Computing Surveys 11(2), 1979 (the B+ variant).
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

from studybook._validate import check_int

__all__ = ["BPlusTree"]


class _Node:
    """One page of the tree: a leaf (keys + values + next link) or an internal node."""

    __slots__ = ("children", "keys", "leaf", "next", "values")

    def __init__(self, *, leaf: bool) -> None:
        self.leaf = leaf
        self.keys: list[Any] = []
        self.values: list[Any] = []  # leaves only
        self.children: list[_Node] = []  # internal nodes only
        self.next: _Node | None = None  # leaves only: the right neighbour


class BPlusTree:
    """An in-memory B+ tree map with linked leaves.

    Args:
        order: the most children an internal node may have (at least 3); a
            node holds at most ``order - 1`` keys.

    Raises:
        TypeError: ``order`` is not an int.
        ValueError: ``order`` is below 3.

    Complexity: O(1).

    >>> BPlusTree(order=3).order
    3
    >>> BPlusTree(order=2)
    Traceback (most recent call last):
        ...
    ValueError: order must be >= 3, got 2
    """

    def __init__(self, order: int = 4) -> None:
        self.order = check_int(order, "order", minimum=3)
        self._max_keys = order - 1
        self._min_keys = math.ceil(order / 2) - 1
        self._root = _Node(leaf=True)
        self._size = 0
        self._version = 0  # bumped by every change, so a live range() can notice

    def __len__(self) -> int:
        return self._size

    def __contains__(self, key: object) -> bool:
        try:
            self.get(key)
        except KeyError:
            return False
        return True

    @property
    def height(self) -> int:
        """The number of levels, counting the leaves (1 for a lone leaf)."""
        depth, node = 1, self._root
        while not node.leaf:
            node, depth = node.children[0], depth + 1
        return depth

    # ------------------------------------------------------------------ search

    def get(self, key: Any) -> Any:
        """Return the value stored under ``key``.

        Raises:
            KeyError: ``key`` is not in the tree.
            TypeError: ``key`` cannot be ordered against the tree's keys.
            ValueError: ``key`` is NaN (it has no place in an order).

        Complexity: O(log n).

        >>> tree = BPlusTree(); tree.insert("b", 2)
        >>> tree.get("b")
        2
        >>> tree.get("a")
        Traceback (most recent call last):
            ...
        KeyError: 'a'
        """
        self._check_key(key)
        leaf = self._find_leaf(key)
        i = self._bisect(leaf.keys, key, bisect_left)
        if i < len(leaf.keys) and leaf.keys[i] == key:
            return leaf.values[i]
        raise KeyError(key)

    def _check_key(self, key: object) -> None:
        if key is None:
            raise TypeError(f"key must not be None, got {key!r}")
        if isinstance(key, float) and math.isnan(key):
            raise ValueError(f"key must not be NaN, got {key!r}")

    def _find_leaf(self, key: Any) -> _Node:
        node = self._root
        while not node.leaf:
            # A key equal to a separator lives in the right subtree.
            node = node.children[self._bisect(node.keys, key, bisect_right)]
        return node

    @staticmethod
    def _bisect(keys: list[Any], key: Any, how: Any) -> int:
        try:
            return int(how(keys, key))
        except TypeError:
            raise TypeError(f"key {key!r} cannot be ordered against the tree's keys") from None

    def range(self, low: Any, high: Any) -> Iterator[tuple[Any, Any]]:
        """Yield ``(key, value)`` for ``low <= key < high``, in key order.

        One descent finds the first leaf; the rest is a walk along the leaf
        chain. Changing the tree while iterating raises ``RuntimeError``.

        Raises:
            TypeError: a bound cannot be ordered against the tree's keys.
            ValueError: a bound is NaN.

        Complexity: O(log n + k) for k results.

        >>> tree = BPlusTree()
        >>> for k in range(10):
        ...     tree.insert(k, k * k)
        >>> list(tree.range(7, 99)), list(tree.range(5, 5))
        ([(7, 49), (8, 64), (9, 81)], [])
        """
        self._check_key(low)
        self._check_key(high)
        leaf = self._find_leaf(low)
        start = self._bisect(leaf.keys, low, bisect_left)
        self._bisect([low], high, bisect_left)  # the two bounds must be comparable
        return self._scan(leaf, start, high, self._version)

    def _scan(
        self, leaf: _Node | None, i: int, high: Any, version: int
    ) -> Iterator[tuple[Any, Any]]:
        while leaf is not None:
            while i < len(leaf.keys):
                if self._version != version:
                    raise RuntimeError("BPlusTree changed during range()")
                if not leaf.keys[i] < high:
                    return
                yield leaf.keys[i], leaf.values[i]
                i += 1
            leaf, i = leaf.next, 0

    def items(self) -> Iterator[tuple[Any, Any]]:
        """Yield every ``(key, value)`` in key order, along the leaf chain.

        Complexity: O(n).

        >>> tree = BPlusTree(); tree.insert(2, "b"); tree.insert(1, "a")
        >>> list(tree.items())
        [(1, 'a'), (2, 'b')]
        """
        leaf: _Node | None = self._leftmost_leaf()
        while leaf is not None:
            yield from zip(leaf.keys, leaf.values, strict=True)
            leaf = leaf.next

    def _leftmost_leaf(self) -> _Node:
        node = self._root
        while not node.leaf:
            node = node.children[0]
        return node

    # ------------------------------------------------------------------ insert

    def insert(self, key: Any, value: Any) -> None:
        """Store ``value`` under ``key``, replacing any value already there.

        A leaf that overflows splits in two and its right half's first key is
        *copied* up as a separator; an internal node that overflows splits and
        its middle key *moves* up. A split of the root adds a level.

        Raises:
            TypeError: ``key`` is None or cannot be ordered against the tree's keys.
            ValueError: ``key`` is NaN.

        Complexity: O(log n).

        >>> tree = BPlusTree(order=3)
        >>> for k in "abc":
        ...     tree.insert(k, k.upper())
        >>> tree.height, tree.get("c")
        (2, 'C')
        >>> tree.insert(1, "x")
        Traceback (most recent call last):
            ...
        TypeError: key 1 cannot be ordered against the tree's keys
        """
        self._check_key(key)
        split = self._insert(self._root, key, value)
        if split is not None:
            separator, right = split
            root = _Node(leaf=False)
            root.keys = [separator]
            root.children = [self._root, right]
            self._root = root
        self._version += 1

    def _insert(self, node: _Node, key: Any, value: Any) -> tuple[Any, _Node] | None:
        """Insert below ``node``; return ``(separator, new right node)`` if ``node`` split."""
        if node.leaf:
            i = self._bisect(node.keys, key, bisect_left)
            if i < len(node.keys) and node.keys[i] == key:
                node.values[i] = value
                return None
            node.keys.insert(i, key)
            node.values.insert(i, value)
            self._size += 1
            return self._split_leaf(node) if len(node.keys) > self._max_keys else None
        i = self._bisect(node.keys, key, bisect_right)
        split = self._insert(node.children[i], key, value)
        if split is None:
            return None
        separator, right = split
        node.keys.insert(i, separator)
        node.children.insert(i + 1, right)
        return self._split_internal(node) if len(node.keys) > self._max_keys else None

    def _split_leaf(self, leaf: _Node) -> tuple[Any, _Node]:
        mid = len(leaf.keys) // 2
        right = _Node(leaf=True)
        right.keys, leaf.keys = leaf.keys[mid:], leaf.keys[:mid]
        right.values, leaf.values = leaf.values[mid:], leaf.values[:mid]
        right.next, leaf.next = leaf.next, right
        return right.keys[0], right

    def _split_internal(self, node: _Node) -> tuple[Any, _Node]:
        mid = len(node.keys) // 2
        right = _Node(leaf=False)
        separator = node.keys[mid]
        right.keys, node.keys = node.keys[mid + 1 :], node.keys[:mid]
        right.children, node.children = node.children[mid + 1 :], node.children[: mid + 1]
        return separator, right

    # ------------------------------------------------------------------ delete

    def delete(self, key: Any) -> None:
        """Remove ``key`` and its value.

        A node left below the minimum fill borrows a key from a sibling that
        can spare one, or else merges with a sibling (taking the separator
        down); a root left with one child is replaced by it.

        Raises:
            KeyError: ``key`` is not in the tree.
            TypeError: ``key`` is None or cannot be ordered against the tree's keys.
            ValueError: ``key`` is NaN.

        Complexity: O(log n).

        >>> tree = BPlusTree(order=3)
        >>> for k in range(4):
        ...     tree.insert(k, k)
        >>> tree.delete(0); tree.delete(1); tree.height, list(tree.items())
        (2, [(2, 2), (3, 3)])
        >>> tree.delete(2); tree.height, list(tree.items())
        (1, [(3, 3)])
        >>> tree.delete(0)
        Traceback (most recent call last):
            ...
        KeyError: 0
        """
        self._check_key(key)
        self._delete(self._root, key)
        if not self._root.leaf and not self._root.keys:
            self._root = self._root.children[0]
        self._version += 1

    def _delete(self, node: _Node, key: Any) -> None:
        """Delete below ``node``; the caller repairs ``node`` if it underflows."""
        if node.leaf:
            i = self._bisect(node.keys, key, bisect_left)
            if i == len(node.keys) or node.keys[i] != key:
                raise KeyError(key)
            del node.keys[i], node.values[i]
            self._size -= 1
            return
        i = self._bisect(node.keys, key, bisect_right)
        child = node.children[i]
        self._delete(child, key)
        if len(child.keys) < self._min_keys:
            self._rebalance(node, i)

    def _rebalance(self, parent: _Node, i: int) -> None:
        """Repair ``parent.children[i]``, one key short: borrow, or else merge."""
        child = parent.children[i]
        left = parent.children[i - 1] if i > 0 else None
        right = parent.children[i + 1] if i + 1 < len(parent.children) else None
        if left is not None and len(left.keys) > self._min_keys:
            if child.leaf:
                child.keys.insert(0, left.keys.pop())
                child.values.insert(0, left.values.pop())
                parent.keys[i - 1] = child.keys[0]
            else:  # rotate through the parent
                child.keys.insert(0, parent.keys[i - 1])
                child.children.insert(0, left.children.pop())
                parent.keys[i - 1] = left.keys.pop()
        elif right is not None and len(right.keys) > self._min_keys:
            if child.leaf:
                child.keys.append(right.keys.pop(0))
                child.values.append(right.values.pop(0))
                parent.keys[i] = right.keys[0]
            else:
                child.keys.append(parent.keys[i])
                child.children.append(right.children.pop(0))
                parent.keys[i] = right.keys.pop(0)
        elif left is not None:
            self._merge(parent, i - 1)
        else:
            self._merge(parent, i)

    def _merge(self, parent: _Node, i: int) -> None:
        """Fold ``parent.children[i + 1]`` into ``parent.children[i]``."""
        left, right = parent.children[i], parent.children[i + 1]
        separator = parent.keys.pop(i)
        parent.children.pop(i + 1)
        if left.leaf:
            left.keys += right.keys
            left.values += right.values
            left.next = right.next
        else:  # the separator comes down between the two halves
            left.keys += [separator, *right.keys]
            left.children += right.children

    # ------------------------------------------------------------------ checks

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if any structural invariant is broken."""
        leaves: list[tuple[_Node, int]] = []  # (leaf, depth), in key order
        count = self._check_node(self._root, None, None, 1, leaves, is_root=True)
        _expect(count == self._size, f"size {self._size} but {count} keys stored")
        _expect(len({depth for _, depth in leaves}) == 1, "leaves at different depths")
        chain: list[_Node] = []
        node: _Node | None = self._leftmost_leaf()
        while node is not None:
            chain.append(node)
            node = node.next
        _expect(chain == [leaf for leaf, _ in leaves], "leaf chain is not the in-order leaves")
        keys = [k for leaf in chain for k in leaf.keys]
        _expect(all(a < b for a, b in itertools.pairwise(keys)), "leaf keys not sorted")

    def _check_node(
        self,
        node: _Node,
        low: Any,
        high: Any,
        depth: int,
        leaves: list[tuple[_Node, int]],
        *,
        is_root: bool,
    ) -> int:
        keys = node.keys
        _expect(all(a < b for a, b in itertools.pairwise(keys)), f"unsorted node {keys}")
        _expect(len(keys) <= self._max_keys, f"overfull node {keys}")
        if not is_root:
            _expect(len(keys) >= self._min_keys, f"underfull node {keys}")
        if keys:
            _expect(low is None or low <= keys[0], f"{keys[0]!r} below separator {low!r}")
            _expect(high is None or keys[-1] < high, f"{keys[-1]!r} not below separator {high!r}")
        if node.leaf:
            _expect(len(node.values) == len(keys), "keys and values differ in length")
            _expect(not node.children, "leaf with children")
            leaves.append((node, depth))
            return len(keys)
        _expect(len(node.children) == len(keys) + 1, "children must be keys + 1")
        _expect(bool(keys), "internal node without keys")
        bounds = [low, *keys, high]
        return sum(
            self._check_node(child, bounds[j], bounds[j + 1], depth + 1, leaves, is_root=False)
            for j, child in enumerate(node.children)
        )


def _expect(condition: bool, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition`` (checks survive ``python -O``)."""
    if not condition:
        raise AssertionError(message)
