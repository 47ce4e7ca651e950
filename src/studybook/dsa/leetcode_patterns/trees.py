"""Binary trees and binary search trees: solve a node from its subtrees' answers.

Invariant: a recursive call returns a complete answer for its subtree (height,
"is balanced", best path ending here), so a node combines two finished answers
in O(1) and a post-order walk solves the tree in O(n). In a BST the invariant
``left < node < right`` holds for whole subtrees, so a search descends one
path, O(h). Level-order problems use a queue instead (BFS, one level at a time).

>>> maximum_depth_of_binary_tree(TreeNode.from_level_order([3, 9, 20, None, None, 15, 7]))
3
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator

from ._validate import require_int, require_int_list, require_node, require_str
from .nodes import TreeNode

__all__ = [
    "PROBLEMS",
    "Codec",
    "balanced_binary_tree",
    "binary_tree_level_order_traversal",
    "binary_tree_maximum_path_sum",
    "binary_tree_right_side_view",
    "construct_binary_tree_from_preorder_and_inorder_traversal",
    "diameter_of_binary_tree",
    "invert_binary_tree",
    "kth_smallest_element_in_a_bst",
    "lowest_common_ancestor_of_a_binary_search_tree",
    "lowest_common_ancestor_of_a_binary_tree",
    "maximum_depth_of_binary_tree",
    "same_tree",
    "subtree_of_another_tree",
    "validate_binary_search_tree",
]

_INTEGER = re.compile(r"-?[0-9]+")


def invert_binary_tree(root: TreeNode | None) -> TreeNode | None:
    """Mirror the tree in place (swap every node's children); return the root.

    Args:
        root: the root, or ``None``.

    Returns:
        The same root, now mirrored.

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> TreeNode.to_level_order(invert_binary_tree(TreeNode.from_level_order([4, 2, 7, 1, 3])))
    [4, 7, 2, None, None, 3, 1]
    """
    require_node("root", root, TreeNode)
    if root is not None:
        root.left, root.right = invert_binary_tree(root.right), invert_binary_tree(root.left)
    return root


def maximum_depth_of_binary_tree(root: TreeNode | None) -> int:
    """Return the number of nodes on the longest root-to-leaf path.

    Args:
        root: the root, or ``None``.

    Returns:
        The depth (0 for the empty tree).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> maximum_depth_of_binary_tree(None)
    0
    """
    require_node("root", root, TreeNode)
    if root is None:
        return 0
    return 1 + max(
        maximum_depth_of_binary_tree(root.left), maximum_depth_of_binary_tree(root.right)
    )


def same_tree(p: TreeNode | None, q: TreeNode | None) -> bool:
    """Return whether two trees have the same shape and the same values.

    The recursive definition (both empty, or equal roots with equal left and
    equal right subtrees) walked with an explicit stack of node pairs, so a
    tree of any depth works.

    Args:
        p: the first root.
        q: the second root.

    Returns:
        ``True`` if identical.

    Raises:
        TypeError: ``p`` or ``q`` is not a TreeNode or None.

    Complexity: O(min(m, n)) time, O(h) space for the stack of pairs.

    >>> same_tree(TreeNode.from_level_order([1, 2]), TreeNode.from_level_order([1, None, 2]))
    False
    >>> same_tree(None, None)
    True
    >>> same_tree(TreeNode(1), [1])
    Traceback (most recent call last):
    TypeError: q must be a TreeNode or None, got [1]
    """
    require_node("p", p, TreeNode)
    require_node("q", q, TreeNode)
    pairs: list[tuple[TreeNode | None, TreeNode | None]] = [(p, q)]
    while pairs:
        a, b = pairs.pop()
        if a is None or b is None:
            if a is not b:  # both missing is equal; one missing is not
                return False
            continue
        if a.val != b.val:
            return False
        pairs.append((a.right, b.right))
        pairs.append((a.left, b.left))
    return True


def subtree_of_another_tree(root: TreeNode | None, sub_root: TreeNode | None) -> bool:
    """Return whether some node of ``root`` starts a subtree identical to ``sub_root``.

    Try :func:`same_tree` at every node of ``root``, visited with an explicit
    stack (a deep tree needs no deep recursion).

    Args:
        root: the big tree.
        sub_root: the tree to look for (the empty tree is a subtree of any tree).

    Returns:
        ``True`` if found.

    Raises:
        TypeError: ``root`` or ``sub_root`` is not a TreeNode or None.

    Complexity: O(m * n) time worst case, O(h) space for the stacks.

    >>> big = TreeNode.from_level_order([3, 4, 5, 1, 2])
    >>> subtree_of_another_tree(big, TreeNode.from_level_order([4, 1, 2]))
    True
    >>> subtree_of_another_tree(big, TreeNode.from_level_order([4, 1]))  # [4, 1, 2] has a 2
    False
    >>> subtree_of_another_tree(big, 4)
    Traceback (most recent call last):
    TypeError: sub_root must be a TreeNode or None, got 4
    """
    require_node("root", root, TreeNode)
    require_node("sub_root", sub_root, TreeNode)
    if sub_root is None:
        return True
    nodes = [root] if root is not None else []
    while nodes:
        node = nodes.pop()
        if same_tree(node, sub_root):
            return True
        nodes.extend(child for child in (node.right, node.left) if child is not None)
    return False


def lowest_common_ancestor_of_a_binary_search_tree(
    root: TreeNode | None, p: int, q: int
) -> TreeNode:
    """Return the deepest node of a BST that has both values ``p`` and ``q`` in its subtree.

    LeetCode passes the two nodes; values identify them since BST values are distinct.

    Args:
        root: the root of a BST with distinct values.
        p: one value in the tree.
        q: another value in the tree (may equal ``p``).

    Returns:
        The lowest common ancestor (a node is its own ancestor).

    Raises:
        TypeError: ``root`` is not a TreeNode or None, or ``p`` or ``q`` not an int.
        ValueError: ``p`` or ``q`` is not in the tree.

    Complexity: O(h) time, O(1) space.

    >>> bst = TreeNode.from_level_order([6, 2, 8, 0, 4, 7, 9, None, None, 3, 5])
    >>> lowest_common_ancestor_of_a_binary_search_tree(bst, 2, 4).val
    2
    >>> lowest_common_ancestor_of_a_binary_search_tree(bst, 2, 10)
    Traceback (most recent call last):
        ...
    ValueError: value 10 is not in the tree
    """
    require_node("root", root, TreeNode)
    require_int("p", p)
    require_int("q", q)
    for value in (p, q):
        if not _bst_contains(root, value):
            raise ValueError(f"value {value!r} is not in the tree")
    node = root
    while node is not None:
        if p < node.val and q < node.val:
            node = node.left
        elif p > node.val and q > node.val:
            node = node.right
        else:
            return node  # the values split here (or one of them is here)
    raise AssertionError("unreachable: both values were found")  # pragma: no cover


def _bst_contains(node: TreeNode | None, value: int) -> bool:
    while node is not None and node.val != value:
        node = node.left if value < node.val else node.right
    return node is not None


def binary_tree_level_order_traversal(root: TreeNode | None) -> list[list[int]]:
    """Return the values level by level, left to right.

    Args:
        root: the root, or ``None``.

    Returns:
        One list per level.

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(w) space for the widest level w.

    >>> binary_tree_level_order_traversal(TreeNode.from_level_order([3, 9, 20, None, None, 15, 7]))
    [[3], [9, 20], [15, 7]]
    """
    require_node("root", root, TreeNode)
    levels: list[list[int]] = []
    queue = deque([root] if root is not None else [])
    while queue:
        level = []
        for _ in range(len(queue)):  # exactly the nodes of the current level
            node = queue.popleft()
            level.append(node.val)
            queue.extend(child for child in (node.left, node.right) if child is not None)
        levels.append(level)
    return levels


def binary_tree_right_side_view(root: TreeNode | None) -> list[int]:
    """Return the value seen at each depth when looking at the tree from the right.

    Args:
        root: the root, or ``None``.

    Returns:
        The rightmost value of every level, top to bottom.

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(w) space.

    >>> binary_tree_right_side_view(TreeNode.from_level_order([1, 2, 3, None, 5, None, 4]))
    [1, 3, 4]
    """
    require_node("root", root, TreeNode)
    return [level[-1] for level in binary_tree_level_order_traversal(root)]


def validate_binary_search_tree(root: TreeNode | None) -> bool:
    """Return whether each node is above everything in its left subtree and below its right.

    Args:
        root: the root, or ``None``.

    Returns:
        ``True`` for a valid BST (strict: no equal values).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) space for the explicit stack of the in-order walk.

    >>> validate_binary_search_tree(TreeNode.from_level_order([5, 1, 4, None, None, 3, 6]))
    False
    """
    require_node("root", root, TreeNode)
    previous: int | None = None
    for value in _inorder(root):  # a BST is exactly a tree whose in-order walk increases
        if previous is not None and value <= previous:
            return False
        previous = value
    return True


def _inorder(root: TreeNode | None) -> Iterator[int]:
    stack: list[TreeNode] = []
    node = root
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        yield node.val
        node = node.right


def kth_smallest_element_in_a_bst(root: TreeNode | None, k: int) -> int:
    """Return the ``k``-th smallest value (1-indexed) of a BST.

    Args:
        root: the root of a valid BST.
        k: the rank, from 1.

    Returns:
        The value.

    Raises:
        TypeError: ``root`` is not a TreeNode or None, or ``k`` not an int.
        ValueError: ``k`` is not in ``1..size``.

    Complexity: O(h + k) time, O(h) space: the in-order walk stops after k values.

    >>> kth_smallest_element_in_a_bst(TreeNode.from_level_order([3, 1, 4, None, 2]), 1)
    1
    >>> kth_smallest_element_in_a_bst(TreeNode.from_level_order([1]), 2)
    Traceback (most recent call last):
        ...
    ValueError: k must be in 1..1, got 2
    """
    require_node("root", root, TreeNode)
    require_int("k", k)
    if k >= 1:
        for rank, value in enumerate(_inorder(root), 1):
            if rank == k:
                return value
    raise ValueError(f"k must be in 1..{_size(root)}, got {k!r}")


def _size(root: TreeNode | None) -> int:
    return sum(1 for _ in _inorder(root))


def construct_binary_tree_from_preorder_and_inorder_traversal(
    preorder: list[int], inorder: list[int]
) -> TreeNode | None:
    """Rebuild the tree with the given preorder and inorder walks (values distinct).

    Args:
        preorder: root, left subtree, right subtree.
        inorder: left subtree, root, right subtree.

    Returns:
        The root, or ``None`` for empty walks.

    Raises:
        TypeError: ``preorder`` or ``inorder`` is not a list of int.
        ValueError: the walks do not hold the same distinct values.

    Complexity: O(n) time and space (a dict gives each root's inorder position);
    recursive, so a tree deeper than ``sys.getrecursionlimit()`` raises RecursionError.

    >>> build = construct_binary_tree_from_preorder_and_inorder_traversal
    >>> root = build([3, 9, 20, 15, 7], [9, 3, 15, 20, 7])
    >>> TreeNode.to_level_order(root)
    [3, 9, 20, None, None, 15, 7]
    >>> construct_binary_tree_from_preorder_and_inorder_traversal([1, 2], [1, 3])
    Traceback (most recent call last):
        ...
    ValueError: the walks must hold the same distinct values, got [1, 2] and [1, 3]
    """
    require_int_list("preorder", preorder)
    require_int_list("inorder", inorder)
    if len(set(preorder)) != len(preorder) or sorted(preorder) != sorted(inorder):
        raise ValueError(
            f"the walks must hold the same distinct values, got {preorder!r} and {inorder!r}"
        )
    position = {value: i for i, value in enumerate(inorder)}
    next_root = iter(preorder)  # preorder lists each subtree's root before its children

    def build(lo: int, hi: int) -> TreeNode | None:
        # Build the subtree whose inorder walk is inorder[lo:hi].
        if lo >= hi:
            return None
        node = TreeNode(next(next_root))
        mid = position[node.val]
        node.left = build(lo, mid)  # the left subtree comes next in preorder: build it first
        node.right = build(mid + 1, hi)
        return node

    return build(0, len(inorder))


def binary_tree_maximum_path_sum(root: TreeNode | None) -> int:
    """Return the largest sum of values along any path (any two nodes, through their ancestor).

    Args:
        root: the root of a non-empty tree.

    Returns:
        The best path sum (a single node counts as a path).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.
        ValueError: the tree is empty.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> binary_tree_maximum_path_sum(TreeNode.from_level_order([-10, 9, 20, None, None, 15, 7]))
    42
    >>> binary_tree_maximum_path_sum(None)
    Traceback (most recent call last):
        ...
    ValueError: the tree must not be empty
    """
    require_node("root", root, TreeNode)
    if root is None:
        raise ValueError("the tree must not be empty")
    best = root.val

    def gain(node: TreeNode | None) -> int:
        # Best sum of a downward path starting at node; a negative branch is dropped (0).
        nonlocal best
        if node is None:
            return 0
        left, right = max(gain(node.left), 0), max(gain(node.right), 0)
        best = max(best, node.val + left + right)  # the path that bends at node
        return node.val + max(left, right)  # a parent can extend only one side

    gain(root)
    return best


class Codec:
    """Serialize a binary tree to a string and back (preorder with ``#`` for missing children).

    >>> codec = Codec()
    >>> codec.serialize(TreeNode.from_level_order([1, 2, 3, None, None, 4, 5]))
    '1,2,#,#,3,4,#,#,5,#,#'
    >>> TreeNode.to_level_order(codec.deserialize("1,2,#,#,3,4,#,#,5,#,#"))
    [1, 2, 3, None, None, 4, 5]
    """

    def serialize(self, root: TreeNode | None) -> str:
        """Return a string from which :meth:`deserialize` rebuilds ``root`` exactly.

        Args:
            root: the root, or ``None``.

        Returns:
            Comma-separated preorder values, ``#`` marking each missing child.

        Raises:
            TypeError: ``root`` is not a TreeNode or None.

        Complexity: O(n) time and space.

        >>> Codec().serialize(None)
        '#'
        """
        require_node("root", root, TreeNode)
        out: list[str] = []
        stack: list[TreeNode | None] = [root]
        while stack:
            node = stack.pop()
            if node is None:
                out.append("#")
            else:
                out.append(str(node.val))
                stack.extend((node.right, node.left))  # left is popped (written) first
        return ",".join(out)

    def deserialize(self, data: str) -> TreeNode | None:
        """Invert :meth:`serialize`.

        Args:
            data: a string produced by :meth:`serialize`.

        Returns:
            The rebuilt root.

        Raises:
            TypeError: ``data`` is not a str.
            ValueError: ``data`` is not a complete serialization.

        Complexity: O(n) time and space; the reader is recursive, so a tree deeper
        than ``sys.getrecursionlimit()`` raises RecursionError (serialize is iterative).

        >>> Codec().deserialize("1,#")
        Traceback (most recent call last):
            ...
        ValueError: malformed tree serialization: '1,#'
        """
        require_str("data", data)
        pieces = iter(data.split(","))

        def build() -> TreeNode | None:
            piece = next(pieces, None)
            if piece is None:
                raise ValueError(f"malformed tree serialization: {data!r}")
            if piece == "#":
                return None
            # int() alone would also take " 7", "1_000" and non-ASCII digits such as "٣".
            if not _INTEGER.fullmatch(piece):
                raise ValueError(f"malformed tree serialization: {data!r}")
            node = TreeNode(int(piece))
            node.left = build()
            node.right = build()
            return node

        root = build()
        if next(pieces, None) is not None:
            raise ValueError(f"malformed tree serialization: {data!r}")
        return root


def diameter_of_binary_tree(root: TreeNode | None) -> int:
    """Return the number of edges on the longest path between any two nodes.

    Args:
        root: the root, or ``None``.

    Returns:
        The diameter (0 for an empty or one-node tree).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> diameter_of_binary_tree(TreeNode.from_level_order([1, 2, 3, 4, 5]))
    3
    """
    require_node("root", root, TreeNode)
    best = 0

    def height(node: TreeNode | None) -> int:
        nonlocal best
        if node is None:
            return 0
        left, right = height(node.left), height(node.right)
        best = max(best, left + right)  # the longest path bending at node has left + right edges
        return 1 + max(left, right)

    height(root)
    return best


def balanced_binary_tree(root: TreeNode | None) -> bool:
    """Return whether, at every node, the subtree heights differ by at most one.

    Args:
        root: the root, or ``None``.

    Returns:
        ``True`` if height-balanced.

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> balanced_binary_tree(TreeNode.from_level_order([1, 2, 2, 3, 3, None, None, 4, 4]))
    False
    """
    require_node("root", root, TreeNode)

    def height(node: TreeNode | None) -> int:
        # -1 signals "unbalanced somewhere below", so no node is visited twice.
        if node is None:
            return 0
        left = height(node.left)
        right = height(node.right) if left >= 0 else -1
        if left < 0 or right < 0 or abs(left - right) > 1:
            return -1
        return 1 + max(left, right)

    return height(root) >= 0


def lowest_common_ancestor_of_a_binary_tree(root: TreeNode | None, p: int, q: int) -> TreeNode:
    """Return the deepest node having both values ``p`` and ``q`` in its subtree (any binary tree).

    LeetCode passes the two nodes; values identify them since the tree's values are distinct.

    Args:
        root: the root of a tree with distinct values.
        p: one value in the tree.
        q: another value in the tree (may equal ``p``).

    Returns:
        The lowest common ancestor (a node is its own ancestor).

    Raises:
        TypeError: ``root`` is not a TreeNode or None, or ``p`` or ``q`` not an int.
        ValueError: ``p`` or ``q`` is not in the tree.

    Complexity: O(n) time, O(h) stack; recursive, so a tree deeper than
    ``sys.getrecursionlimit()`` (1000 by default) raises RecursionError.

    >>> tree = TreeNode.from_level_order([3, 5, 1, 6, 2, 0, 8, None, None, 7, 4])
    >>> lowest_common_ancestor_of_a_binary_tree(tree, 5, 4).val
    5
    >>> lowest_common_ancestor_of_a_binary_tree(tree, 5, 10)
    Traceback (most recent call last):
        ...
    ValueError: value 10 is not in the tree
    """
    require_node("root", root, TreeNode)
    require_int("p", p)
    require_int("q", q)

    def search(node: TreeNode | None) -> TreeNode | None:
        # Returns the LCA if both values are below node, else whichever one is found, else None.
        if node is None or node.val in (p, q):
            return node
        left, right = search(node.left), search(node.right)
        if left is not None and right is not None:
            return node  # one value on each side: node is where the paths split
        return left if left is not None else right

    values = set(_inorder(root))
    for value in (p, q):
        if value not in values:
            raise ValueError(f"value {value!r} is not in the tree")
    found = search(root)
    if found is None:  # pragma: no cover - impossible once both values are present
        raise AssertionError("unreachable: both values were found")
    return found


PROBLEMS: dict[str, Callable[..., object]] = {
    "Balanced Binary Tree": balanced_binary_tree,
    "Binary Tree Level Order Traversal": binary_tree_level_order_traversal,
    "Binary Tree Maximum Path Sum": binary_tree_maximum_path_sum,
    "Binary Tree Right Side View": binary_tree_right_side_view,
    "Construct Binary Tree from Preorder and Inorder Traversal": (
        construct_binary_tree_from_preorder_and_inorder_traversal
    ),
    "Diameter of Binary Tree": diameter_of_binary_tree,
    "Invert Binary Tree": invert_binary_tree,
    "Kth Smallest Element in a BST": kth_smallest_element_in_a_bst,
    "Lowest Common Ancestor of a Binary Search Tree": (
        lowest_common_ancestor_of_a_binary_search_tree
    ),
    "Lowest Common Ancestor of a Binary Tree": lowest_common_ancestor_of_a_binary_tree,
    "Maximum Depth of Binary Tree": maximum_depth_of_binary_tree,
    "Same Tree": same_tree,
    "Serialize and Deserialize Binary Tree": Codec,
    "Subtree of Another Tree": subtree_of_another_tree,
    "Validate Binary Search Tree": validate_binary_search_tree,
}
