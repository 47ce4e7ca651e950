"""Binary search trees: a plain BST and a self-balancing AVL tree.

A binary search tree keeps keys in sorted order in a linked structure: every
key in a node's left subtree is smaller than the node's key and every key in
its right subtree is larger. Search, insert and delete follow one root-to-leaf
path, so they cost O(height). Interviewers ask about BSTs for the invariant
(validate a BST, k-th smallest, successor), for deletion with two children,
and for the follow-up "what if the input is sorted?": a plain BST degenerates
into a linked list of height n, which is why balanced trees exist.

Invariant: an in-order traversal yields strictly increasing keys. The AVL tree
adds: at every node the heights of the two subtrees differ by at most one,
which bounds the height by about 1.44 log2(n + 2).

==================  ==============  ===============
operation           BST (worst)     AVL (worst)
==================  ==============  ===============
search / insert     O(n)            O(log n)
remove              O(n)            O(log n)
in-order iteration  O(n)            O(n)
==================  ==============  ===============

>>> plain, avl = BinarySearchTree(), AVLTree()
>>> for k in range(1, 8):
...     _ = plain.insert(k); _ = avl.insert(k)
>>> plain.height(), avl.height(), list(avl)
(7, 3, [1, 2, 3, 4, 5, 6, 7])

Primary source: G. M. Adelson-Velsky and E. M. Landis, "An algorithm for the
organization of information" (Doklady Akademii Nauk SSSR, 1962); CLRS
chapters 12-13 for BSTs and red-black trees.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any, Generic, TypeVar

from studybook.dsa.data_structures._check import checked_key, is_nan_like, require
from studybook.dsa.data_structures.heap import Ordered

__all__ = ["AVLTree", "BinarySearchTree", "T"]


#: The key type, anything :class:`~studybook.dsa.data_structures.heap.Ordered` (supports ``<``).
T = TypeVar("T", bound=Ordered)


class _Node(Generic[T]):
    __slots__ = ("height", "key", "left", "right")

    def __init__(self, key: T) -> None:
        self.key = key
        self.left: _Node[T] | None = None
        self.right: _Node[T] | None = None
        self.height = 1  # maintained by AVLTree only


class BinarySearchTree(Generic[T]):
    """An unbalanced binary search tree holding a set of ordered keys.

    Keys need only ``<``; two keys are equal when neither is less. That is
    why NaN is refused: it is neither less nor greater than anything, so it
    would look equal to whatever key a search reached first (a NaN "insert"
    would silently do nothing, and ``nan in t`` would answer True). The
    operations are iterative so that a degenerate tree (sorted inserts) of
    any depth works without hitting Python's recursion limit.

    Complexity: O(h) per operation for a tree of height h: O(log n) expected
    for random insertion orders, O(n) for sorted ones.

    >>> t = BinarySearchTree()
    >>> for k in [5, 3, 8]:
    ...     _ = t.insert(k)
    >>> list(t), 3 in t, 4 in t
    ([3, 5, 8], True, False)
    """

    def __init__(self) -> None:
        self._root: _Node[T] | None = None
        self._size = 0

    def insert(self, key: T) -> bool:
        """Add ``key``; return False (and change nothing) if it is already present.

        Raises:
            ValueError: if ``key`` is NaN, or a tuple or list holding one.
            TypeError: if ``key`` does not support ``<`` or cannot be compared
                with the keys already stored.

        Complexity: O(h).

        >>> t = BinarySearchTree()
        >>> t.insert(2), t.insert(2), len(t)
        (True, False, 1)
        >>> t.insert(float("nan"))
        Traceback (most recent call last):
        ValueError: BinarySearchTree keys must not be NaN, got nan
        >>> t.insert("2")
        Traceback (most recent call last):
        TypeError: cannot compare '2' with the keys of this BinarySearchTree
        """
        checked_key(key, type(self).__name__)
        parent: _Node[T] | None = None
        node = self._root
        with self._comparing(key):
            while node is not None:
                if key < node.key:
                    parent, node = node, node.left
                elif node.key < key:
                    parent, node = node, node.right
                else:
                    return False
        new = _Node(key)
        if parent is None:
            self._root = new
        elif key < parent.key:
            parent.left = new
        else:
            parent.right = new
        self._size += 1
        return True

    def remove(self, key: T) -> None:
        """Remove ``key``.

        A node with two children is replaced by its in-order successor (the
        smallest key of its right subtree), which has no left child and so is
        unlinked like a node with at most one child.

        Raises:
            KeyError: if ``key`` is absent (NaN always is).
            TypeError: if ``key`` cannot be compared with the stored keys.

        Complexity: O(h).

        >>> t = BinarySearchTree()
        >>> for k in [2, 1, 3]:
        ...     _ = t.insert(k)
        >>> t.remove(2); list(t)
        [1, 3]
        >>> t.remove(2)
        Traceback (most recent call last):
        KeyError: 2
        """
        if is_nan_like(key):
            raise KeyError(key)  # no NaN is ever stored
        parent: _Node[T] | None = None
        node = self._root
        with self._comparing(key):
            while node is not None and (key < node.key or node.key < key):
                parent, node = node, (node.left if key < node.key else node.right)
        if node is None:
            raise KeyError(key)
        if node.left is not None and node.right is not None:
            succ_parent, succ = node, node.right
            while succ.left is not None:
                succ_parent, succ = succ, succ.left
            node.key = succ.key
            parent, node = succ_parent, succ  # now unlink the successor instead
        child = node.left if node.left is not None else node.right
        if parent is None:
            self._root = child
        elif parent.left is node:
            parent.left = child
        else:
            parent.right = child
        self._size -= 1

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is in the tree (False for NaN, which is never stored).

        Raises:
            TypeError: if ``key`` cannot be compared with the stored keys.

        Complexity: O(h).

        >>> t = BinarySearchTree()
        >>> _ = t.insert(1.0)
        >>> 1 in t, float("nan") in t
        (True, False)
        """
        if is_nan_like(key):
            return False
        node = self._root
        with self._comparing(key):
            while node is not None:
                if key < node.key:  # type: ignore[operator]
                    node = node.left
                elif node.key < key:
                    node = node.right
                else:
                    return True
        return False

    @contextmanager
    def _comparing(self, key: object) -> Iterator[None]:
        """Turn a TypeError from comparing ``key`` with stored keys into one that names it."""
        try:
            yield
        except TypeError:
            raise TypeError(
                f"cannot compare {key!r} with the keys of this {type(self).__name__}"
            ) from None

    def __iter__(self) -> Iterator[T]:
        """Yield the keys in ascending order (in-order traversal with an explicit stack).

        Complexity: O(n) for the whole walk, O(h) extra memory.
        """
        stack: list[_Node[T]] = []
        node = self._root
        while stack or node is not None:
            while node is not None:
                stack.append(node)
                node = node.left
            node = stack.pop()
            yield node.key
            node = node.right

    def __len__(self) -> int:
        """Number of keys."""
        return self._size

    def height(self) -> int:
        """Number of nodes on the longest root-to-leaf path (0 for an empty tree).

        Complexity: O(n) here (a level-by-level walk); O(1) in :class:`AVLTree`.

        >>> t = BinarySearchTree()
        >>> t.height()
        0
        >>> for k in [2, 1, 3]:
        ...     _ = t.insert(k)
        >>> t.height()
        2
        """
        levels = 0
        level = deque([self._root] if self._root is not None else [])
        while level:
            levels += 1
            for _ in range(len(level)):
                node = level.popleft()
                level.extend(c for c in (node.left, node.right) if c is not None)
        return levels

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"

    def _check_invariants(self) -> None:
        """Raise AssertionError if in-order keys are not increasing or the size is wrong."""
        keys = list(self)
        require(len(keys) == self._size, f"size {self._size} != {len(keys)} nodes")
        require(all(a < b for a, b in pairwise(keys)), "keys out of order")


class AVLTree(BinarySearchTree[T]):
    """A binary search tree that rebalances with rotations after every change.

    Each node stores its height. After an insert or remove, every node on the
    path back to the root recomputes its height and, if its subtrees' heights
    differ by two, rotates: a single rotation when the taller grandchild is on
    the outside (left-left, right-right), a double rotation when it is on the
    inside (left-right, right-left). The recursion depth is the height,
    O(log n), so recursion is safe here.

    Complexity: O(log n) worst case for insert, remove and search; O(1) height.

    >>> t = AVLTree()
    >>> for k in "abcdefg":
    ...     _ = t.insert(k)
    >>> t.height(), t.remove("d"), t.height()
    (3, None, 3)
    >>> t.remove("z")
    Traceback (most recent call last):
    KeyError: 'z'
    """

    def insert(self, key: T) -> bool:
        """Add ``key`` and rebalance; return False if it was already present.

        Raises:
            ValueError: if ``key`` is NaN, or a tuple or list holding one.
            TypeError: if ``key`` cannot be compared with the stored keys.

        Complexity: O(log n).
        """
        checked_key(key, type(self).__name__)
        with self._comparing(key):
            self._root, inserted = self._insert(self._root, key)
        self._size += inserted
        return inserted

    def _insert(self, node: _Node[T] | None, key: T) -> tuple[_Node[T], bool]:
        if node is None:
            return _Node(key), True
        if key < node.key:
            node.left, inserted = self._insert(node.left, key)
        elif node.key < key:
            node.right, inserted = self._insert(node.right, key)
        else:
            return node, False
        return _rebalance(node), inserted

    def remove(self, key: T) -> None:
        """Remove ``key`` and rebalance.

        Raises:
            KeyError: if ``key`` is absent (the tree is left unchanged).
            TypeError: if ``key`` cannot be compared with the stored keys.

        Complexity: O(log n).
        """
        if is_nan_like(key):
            raise KeyError(key)
        with self._comparing(key):
            self._root = self._remove(self._root, key)
        self._size -= 1

    def _remove(self, node: _Node[T] | None, key: T) -> _Node[T] | None:
        if node is None:
            raise KeyError(key)
        if key < node.key:
            node.left = self._remove(node.left, key)
        elif node.key < key:
            node.right = self._remove(node.right, key)
        elif node.left is None or node.right is None:
            return node.left if node.left is not None else node.right
        else:
            succ = node.right
            while succ.left is not None:
                succ = succ.left
            node.key = succ.key
            node.right = self._remove(node.right, succ.key)
        return _rebalance(node)

    def height(self) -> int:
        """Number of nodes on the longest root-to-leaf path, read from the root. O(1)."""
        return _h(self._root)

    def _check_invariants(self) -> None:
        """Also check every stored height and every balance factor (|bf| <= 1)."""
        super()._check_invariants()
        stack = [self._root] if self._root is not None else []
        while stack:
            node = stack.pop()
            left, right = _h(node.left), _h(node.right)
            require(node.height == 1 + max(left, right), f"stale height at {node.key!r}")
            require(abs(left - right) <= 1, f"unbalanced at {node.key!r}: {left} vs {right}")
            stack.extend(c for c in (node.left, node.right) if c is not None)


def _h(node: _Node[Any] | None) -> int:
    return 0 if node is None else node.height


def _update(node: _Node[Any]) -> None:
    node.height = 1 + max(_h(node.left), _h(node.right))


def _rotate_right(node: _Node[T]) -> _Node[T]:
    r"""Lift the left child::

            node          left
           /    \        /    \
         left    c  ->  a     node
        /    \               /    \
       a      b             b      c
    """
    left = node.left
    if left is None:  # pragma: no cover - callers rotate only toward a taller side
        return node
    node.left, left.right = left.right, node
    _update(node)
    _update(left)
    return left


def _rotate_left(node: _Node[T]) -> _Node[T]:
    right = node.right
    if right is None:  # pragma: no cover - callers rotate only toward a taller side
        return node
    node.right, right.left = right.left, node
    _update(node)
    _update(right)
    return right


def _rebalance(node: _Node[T]) -> _Node[T]:
    _update(node)
    balance = _h(node.left) - _h(node.right)
    if balance > 1 and node.left is not None:
        if _h(node.left.left) < _h(node.left.right):  # left-right case
            node.left = _rotate_left(node.left)
        return _rotate_right(node)
    if balance < -1 and node.right is not None:
        if _h(node.right.right) < _h(node.right.left):  # right-left case
            node.right = _rotate_right(node.right)
        return _rotate_left(node)
    return node
