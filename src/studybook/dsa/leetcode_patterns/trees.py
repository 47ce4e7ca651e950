"""Binary trees and binary search trees: solve a node from its subtrees' answers.

Invariant: a recursive call returns a complete answer for its subtree (height,
"is balanced", best path ending here), so a node combines two finished answers
in O(1) and a post-order walk solves the tree in O(n). In a BST the invariant
``left < node < right`` holds for whole subtrees, so a search descends one
path, O(h). Level-order problems use a queue instead (BFS, one level at a time).

The code below runs every such recursion with an explicit stack (children
first through ``(node, visited)`` pairs where a node needs its children's
answers), so a chain deeper than CPython's recursion limit (1000 frames by
default) is solved like any other tree; the chapter shows the short recursive
form, the interview answer, next to each.

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

    Complexity: O(n) time, O(h) space for the explicit stack (no recursion, so
    a chain deeper than ``sys.getrecursionlimit()`` works too).

    >>> TreeNode.to_level_order(invert_binary_tree(TreeNode.from_level_order([4, 2, 7, 1, 3])))
    [4, 7, 2, None, None, 3, 1]
    >>> invert_binary_tree(None) is None
    True
    >>> invert_binary_tree([4, 2, 7])
    Traceback (most recent call last):
    TypeError: root must be a TreeNode or None, got [4, 2, 7]
    """
    require_node("root", root, TreeNode)
    # Every node is swapped exactly once and the order does not matter, so any walk will do.
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        node.left, node.right = node.right, node.left
        stack.extend(child for child in (node.left, node.right) if child is not None)
    return root


def maximum_depth_of_binary_tree(root: TreeNode | None) -> int:
    """Return the number of nodes on the longest root-to-leaf path.

    Args:
        root: the root, or ``None``.

    Returns:
        The depth (0 for the empty tree).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) space for the explicit stack of (node, depth) pairs.

    >>> maximum_depth_of_binary_tree(TreeNode.from_level_order([1, None, 2]))
    2
    >>> maximum_depth_of_binary_tree(None)
    0
    >>> maximum_depth_of_binary_tree("[1]")
    Traceback (most recent call last):
    TypeError: root must be a TreeNode or None, got '[1]'
    """
    require_node("root", root, TreeNode)
    deepest = 0
    stack = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()  # depth counts the nodes from the root down to node
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in (node.left, node.right) if child is not None)
    return deepest


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

    The recursion ``build(lo, hi)`` (make the subtree whose inorder walk is
    ``inorder[lo:hi]``) runs here with an explicit stack of pending calls, each
    remembering which child slot its subtree fills.

    Args:
        preorder: root, left subtree, right subtree.
        inorder: left subtree, root, right subtree.

    Returns:
        The root, or ``None`` for empty walks.

    Raises:
        TypeError: ``preorder`` or ``inorder`` is not a list of int.
        ValueError: the walks do not hold the same distinct values, or are not
            the two walks of one tree.

    Complexity: O(n) time and space (a dict gives each root's inorder position);
    the stack of pending calls holds O(h) entries.

    >>> build = construct_binary_tree_from_preorder_and_inorder_traversal
    >>> TreeNode.to_level_order(build([3, 9, 20, 15, 7], [9, 3, 15, 20, 7]))
    [3, 9, 20, None, None, 15, 7]
    >>> build([1, 2], [1, 3])
    Traceback (most recent call last):
    ValueError: the walks must hold the same distinct values, got [1, 2] and [1, 3]
    >>> build([1, 2, 3], [3, 1, 2])
    Traceback (most recent call last):
    ValueError: no tree has preorder [1, 2, 3] and inorder [3, 1, 2]
    """
    require_int_list("preorder", preorder)
    require_int_list("inorder", inorder)
    if len(set(preorder)) != len(preorder) or sorted(preorder) != sorted(inorder):
        raise ValueError(
            f"the walks must hold the same distinct values, got {preorder!r} and {inorder!r}"
        )
    position = {value: i for i, value in enumerate(inorder)}
    next_root = iter(preorder)  # preorder lists each subtree's root before its children
    anchor = TreeNode()  # a stand-in parent: the whole tree is built as anchor.left
    # A pending call: build the subtree whose inorder walk is inorder[lo:hi] as parent.<side>.
    calls: list[tuple[int, int, TreeNode, str]] = [(0, len(inorder), anchor, "left")]
    while calls:
        lo, hi, parent, side = calls.pop()
        if lo >= hi:
            continue  # an empty segment: the child stays None
        node = TreeNode(next(next_root))
        setattr(parent, side, node)
        mid = position[node.val]
        if not lo <= mid < hi:  # this root's value belongs to another subtree
            raise ValueError(f"no tree has preorder {preorder!r} and inorder {inorder!r}")
        calls.append((mid + 1, hi, node, "right"))
        calls.append((lo, mid, node, "left"))  # popped first: the left subtree is next in preorder
    return anchor.left


def binary_tree_maximum_path_sum(root: TreeNode | None) -> int:
    """Return the largest sum of values along any path (any two nodes, through their ancestor).

    Children are solved before their parent (``_postorder``); each finished
    node leaves its best downward path for its parent to read.

    Args:
        root: the root of a non-empty tree.

    Returns:
        The best path sum (a single node counts as a path).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.
        ValueError: the tree is empty.

    Complexity: O(n) time, O(h) space (the walk's stack and the answers waiting
    for their parent).

    >>> binary_tree_maximum_path_sum(TreeNode.from_level_order([-10, 9, 20, None, None, 15, 7]))
    42
    >>> binary_tree_maximum_path_sum(TreeNode.from_level_order([-3, -1]))
    -1
    >>> binary_tree_maximum_path_sum(None)
    Traceback (most recent call last):
    ValueError: the tree must not be empty
    """
    require_node("root", root, TreeNode)
    if root is None:
        raise ValueError("the tree must not be empty")
    best = root.val
    # gain[node]: best sum of a downward path starting at node, kept until the parent reads it.
    gain: dict[TreeNode | None, int] = {}
    for node in _postorder(root):
        # A missing child, or one whose best path is negative, adds nothing (0).
        left = max(gain.pop(node.left, 0), 0)
        right = max(gain.pop(node.right, 0), 0)
        best = max(best, node.val + left + right)  # the path that bends at node
        gain[node] = node.val + max(left, right)  # a parent can extend only one side
    return best


def _postorder(root: TreeNode | None) -> Iterator[TreeNode]:
    """Yield every node after all nodes of its subtrees (left, right, node), without recursion.

    The stack holds (node, visited) pairs: the first pop of a node pushes it back
    as visited, then its children; the second pop, after both subtrees are done,
    yields it. The stack holds O(h) pairs.
    """
    stack = [(root, False)] if root is not None else []
    while stack:
        node, visited = stack.pop()
        if visited:
            yield node
            continue
        stack.append((node, True))
        # Right is pushed first so the left subtree is popped, and finished, first.
        stack.extend((child, False) for child in (node.right, node.left) if child is not None)


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

        The preorder pieces are read left to right; a stack holds the child
        slots still to fill, the next one on top, so a tree of any depth works.

        Args:
            data: a string produced by :meth:`serialize`.

        Returns:
            The rebuilt root.

        Raises:
            TypeError: ``data`` is not a str.
            ValueError: ``data`` is not a complete serialization.

        Complexity: O(n) time and space.

        >>> TreeNode.to_level_order(Codec().deserialize("1,#,2,#,#"))
        [1, None, 2]
        >>> Codec().deserialize("#") is None
        True
        >>> Codec().deserialize("1,#")
        Traceback (most recent call last):
        ValueError: malformed tree serialization: '1,#'
        """
        require_str("data", data)
        anchor = TreeNode()  # a stand-in parent: the root goes into anchor.left
        slots: list[tuple[TreeNode, str]] = [(anchor, "left")]  # (parent, side) to fill next
        for piece in data.split(","):
            if not slots:  # the tree is complete but pieces are left over
                raise ValueError(f"malformed tree serialization: {data!r}")
            parent, side = slots.pop()
            if piece == "#":
                continue  # a missing child: the slot stays None
            # int() alone would also take " 7", "1_000" and non-ASCII digits such as "٣".
            if not _INTEGER.fullmatch(piece):
                raise ValueError(f"malformed tree serialization: {data!r}")
            node = TreeNode(int(piece))
            setattr(parent, side, node)
            # Preorder: the left subtree's pieces come next, then the right's.
            slots.extend(((node, "right"), (node, "left")))
        if slots:  # the pieces ran out with children still unaccounted for
            raise ValueError(f"malformed tree serialization: {data!r}")
        return anchor.left


def diameter_of_binary_tree(root: TreeNode | None) -> int:
    """Return the number of edges on the longest path between any two nodes.

    Heights are computed children first (``_postorder``); the longest path
    bending at a node has ``height(left) + height(right)`` edges.

    Args:
        root: the root, or ``None``.

    Returns:
        The diameter (0 for an empty or one-node tree).

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) space (the walk's stack and the heights waiting
    for their parent).

    >>> diameter_of_binary_tree(TreeNode.from_level_order([1, 2, 3, 4, 5]))
    3
    >>> diameter_of_binary_tree(None)
    0
    >>> diameter_of_binary_tree(1)
    Traceback (most recent call last):
    TypeError: root must be a TreeNode or None, got 1
    """
    require_node("root", root, TreeNode)
    best = 0
    height: dict[TreeNode | None, int] = {}  # counted in nodes; a missing child has height 0
    for node in _postorder(root):
        left, right = height.pop(node.left, 0), height.pop(node.right, 0)
        best = max(best, left + right)  # the longest path bending at node has left + right edges
        height[node] = 1 + max(left, right)
    return best


def balanced_binary_tree(root: TreeNode | None) -> bool:
    """Return whether, at every node, the subtree heights differ by at most one.

    Heights are computed children first (``_postorder``), and the walk
    stops at the first node whose subtrees differ by more than one.

    Args:
        root: the root, or ``None``.

    Returns:
        ``True`` if height-balanced.

    Raises:
        TypeError: ``root`` is not a TreeNode or None.

    Complexity: O(n) time, O(h) space (the walk's stack and the heights waiting
    for their parent).

    >>> balanced_binary_tree(TreeNode.from_level_order([1, 2, 2, 3, 3, None, None, 4, 4]))
    False
    >>> balanced_binary_tree(None)
    True
    >>> balanced_binary_tree([1])
    Traceback (most recent call last):
    TypeError: root must be a TreeNode or None, got [1]
    """
    require_node("root", root, TreeNode)
    height: dict[TreeNode | None, int] = {}  # a missing child has height 0
    for node in _postorder(root):
        left, right = height.pop(node.left, 0), height.pop(node.right, 0)
        if abs(left - right) > 1:
            return False
        height[node] = 1 + max(left, right)
    return True


def lowest_common_ancestor_of_a_binary_tree(root: TreeNode | None, p: int, q: int) -> TreeNode:
    """Return the deepest node having both values ``p`` and ``q`` in its subtree (any binary tree).

    LeetCode passes the two nodes; values identify them since the tree's values are distinct.
    Each subtree reports, children first (``_postorder``), the LCA if both
    values are inside it, else whichever value's node it holds, else None.

    Args:
        root: the root of a tree with distinct values.
        p: one value in the tree.
        q: another value in the tree (may equal ``p``).

    Returns:
        The lowest common ancestor (a node is its own ancestor).

    Raises:
        TypeError: ``root`` is not a TreeNode or None, or ``p`` or ``q`` not an int.
        ValueError: ``p`` or ``q`` is not in the tree.

    Complexity: O(n) time, O(h) space (the walk's stack and the reports waiting
    for their parent) besides the O(n) set of values for the presence check.

    >>> tree = TreeNode.from_level_order([3, 5, 1, 6, 2, 0, 8, None, None, 7, 4])
    >>> lowest_common_ancestor_of_a_binary_tree(tree, 5, 4).val
    5
    >>> lowest_common_ancestor_of_a_binary_tree(tree, 6, 8).val
    3
    >>> lowest_common_ancestor_of_a_binary_tree(tree, 5, 10)
    Traceback (most recent call last):
    ValueError: value 10 is not in the tree
    """
    require_node("root", root, TreeNode)
    require_int("p", p)
    require_int("q", q)
    values = set(_inorder(root))
    for value in (p, q):
        if value not in values:
            raise ValueError(f"value {value!r} is not in the tree")
    report: dict[TreeNode | None, TreeNode | None] = {}  # what each finished subtree found
    for node in _postorder(root):
        left, right = report.pop(node.left, None), report.pop(node.right, None)
        if node.val in (p, q) or (left is not None and right is not None):
            report[node] = node  # node is a target, or the place where the two paths split
        else:
            report[node] = left if left is not None else right
    found = report.get(root)
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
