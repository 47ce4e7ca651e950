"""The small node types LeetCode problems are stated in: linked lists, binary trees, graphs.

LeetCode writes a linked list as ``[1, 2, 3]``, a binary tree in level order with
``null`` holes (``[3, 9, 20, null, null, 15, 7]``) and a graph as a 1-indexed
adjacency list. These classes and their converters let every solution in the
chapter take and return those shapes, and let tests compare results as plain lists.

>>> ListNode.to_list(ListNode.from_list([1, 2, 3]))
[1, 2, 3]
>>> TreeNode.to_level_order(TreeNode.from_level_order([3, 9, 20, None, None, 15, 7]))
[3, 9, 20, None, None, 15, 7]
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Sequence

from ._validate import require_int, require_node, require_seq

__all__ = ["GraphNode", "ListNode", "TreeNode"]


class ListNode:
    """A singly linked list node, as in LeetCode's ``ListNode``.

    Args:
        val: the node's value.
        next: the following node, or ``None`` at the tail.

    Raises:
        TypeError: ``val`` is not an int, or ``next`` is not a ListNode or None.

    >>> ListNode(1, ListNode(2))
    ListNode([1, 2])
    >>> ListNode(float("nan"))
    Traceback (most recent call last):
        ...
    TypeError: val must be an int, got nan
    """

    def __init__(self, val: int = 0, next: ListNode | None = None) -> None:
        require_int("val", val)
        require_node("next", next, ListNode)
        self.val = val
        self.next = next

    def __repr__(self) -> str:
        try:
            return f"ListNode({ListNode.to_list(self)!r})"
        except ValueError:
            return f"ListNode({self.val!r}, <cycle>)"

    @classmethod
    def from_list(cls, values: Iterable[int], *, cycle_to: int | None = None) -> ListNode | None:
        """Build a linked list from ``values``; return its head (``None`` if empty).

        Args:
            values: node values, head first.
            cycle_to: if given, the tail's ``next`` points back at the node with
                this index (LeetCode's ``pos``), making a cycle.

        Returns:
            The head node, or ``None`` for no values.

        Raises:
            ValueError: ``cycle_to`` is not an index of ``values``.

        Complexity: O(n) time and space.

        >>> ListNode.from_list([]) is None
        True
        >>> ListNode.from_list([1, 2], cycle_to=5)
        Traceback (most recent call last):
            ...
        ValueError: cycle_to must index the list of 2 values, got 5
        """
        nodes = [cls(v) for v in values]
        for a, b in itertools.pairwise(nodes):
            a.next = b
        if cycle_to is not None:
            require_int("cycle_to", cycle_to)
            if not 0 <= cycle_to < len(nodes):
                raise ValueError(
                    f"cycle_to must index the list of {len(nodes)} values, got {cycle_to!r}"
                )
            nodes[-1].next = nodes[cycle_to]
        return nodes[0] if nodes else None

    @staticmethod
    def to_list(head: ListNode | None) -> list[int]:
        """Return the values of the list starting at ``head``.

        Args:
            head: the first node, or ``None`` for the empty list.

        Returns:
            The values in order.

        Raises:
            ValueError: the list has a cycle (it would never end).

        Complexity: O(n) time and space.

        >>> ListNode.to_list(None)
        []
        >>> ListNode.to_list(ListNode.from_list([1, 2], cycle_to=0))
        Traceback (most recent call last):
            ...
        ValueError: the list has a cycle back to the node with value 1
        """
        require_node("head", head, ListNode)
        seen: set[int] = set()
        values: list[int] = []
        node = head
        while node is not None:
            if id(node) in seen:
                raise ValueError(f"the list has a cycle back to the node with value {node.val!r}")
            seen.add(id(node))
            values.append(node.val)
            node = node.next
        return values


class TreeNode:
    """A binary tree node, as in LeetCode's ``TreeNode``.

    Args:
        val: the node's value.
        left: the left child or ``None``.
        right: the right child or ``None``.

    Raises:
        TypeError: ``val`` is not an int, or a child is not a TreeNode or None.

    >>> TreeNode(2, TreeNode(1), TreeNode(3))
    TreeNode([2, 1, 3])
    >>> TreeNode(2, 1)
    Traceback (most recent call last):
        ...
    TypeError: left must be a TreeNode or None, got 1
    """

    def __init__(
        self, val: int = 0, left: TreeNode | None = None, right: TreeNode | None = None
    ) -> None:
        require_int("val", val)
        require_node("left", left, TreeNode)
        require_node("right", right, TreeNode)
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self) -> str:
        return f"TreeNode({TreeNode.to_level_order(self)!r})"

    @classmethod
    def from_level_order(cls, values: Sequence[int | None]) -> TreeNode | None:
        """Build a tree from LeetCode's level-order list, ``None`` marking a missing child.

        Args:
            values: the level-order values; children of a missing node are not listed.

        Returns:
            The root, or ``None`` if ``values`` is empty or starts with ``None``.

        Raises:
            ValueError: there are more values than free child slots.

        Complexity: O(n) time and space.

        >>> TreeNode.from_level_order([1, None, 2]).right.val
        2
        >>> TreeNode.from_level_order([None, 1])
        Traceback (most recent call last):
            ...
        ValueError: no free child slot for value 1 at index 1
        """
        it = iter(enumerate(values))
        first = next(it, None)
        root = None if first is None or first[1] is None else cls(first[1])
        parents: deque[TreeNode] = deque([root] if root is not None else [])
        side = "left"
        for i, value in it:
            if not parents:
                raise ValueError(f"no free child slot for value {value!r} at index {i}")
            parent = parents[0]
            child = None if value is None else cls(value)
            setattr(parent, side, child)
            if child is not None:
                parents.append(child)
            if side == "right":
                parents.popleft()
            side = "right" if side == "left" else "left"
        return root

    @staticmethod
    def to_level_order(root: TreeNode | None) -> list[int | None]:
        """Return the tree in LeetCode's level-order form (trailing ``None`` trimmed).

        Args:
            root: the root, or ``None`` for the empty tree.

        Returns:
            Level-order values with ``None`` for missing children of present nodes.

        Complexity: O(n) time and space.

        >>> TreeNode.to_level_order(None)
        []
        """
        require_node("root", root, TreeNode)
        out: list[int | None] = []
        queue: deque[TreeNode | None] = deque([root] if root is not None else [])
        while queue:
            node = queue.popleft()
            if node is None:
                out.append(None)
                continue
            out.append(node.val)
            queue.extend((node.left, node.right))
        while out and out[-1] is None:
            out.pop()
        return out


class GraphNode:
    """An undirected graph node with a neighbour list, as in LeetCode's Clone Graph ``Node``.

    Args:
        val: the node's label (1-based in LeetCode's format).
        neighbors: adjacent nodes.

    Raises:
        TypeError: ``val`` is not an int, or ``neighbors`` is not a list of GraphNode.

    >>> GraphNode(1)
    GraphNode(1, neighbors=[])
    >>> GraphNode(True)
    Traceback (most recent call last):
        ...
    TypeError: val must be an int, got True
    """

    def __init__(self, val: int = 0, neighbors: list[GraphNode] | None = None) -> None:
        require_int("val", val)
        for i, nb in enumerate(
            require_seq("neighbors", [] if neighbors is None else neighbors, mutable=True)
        ):
            if not isinstance(nb, GraphNode):
                raise TypeError(f"neighbors[{i}] must be a GraphNode, got {nb!r}")
        self.val = val
        self.neighbors: list[GraphNode] = [] if neighbors is None else neighbors

    def __repr__(self) -> str:
        return f"GraphNode({self.val!r}, neighbors={[n.val for n in self.neighbors]!r})"

    @classmethod
    def from_adjacency(cls, adjacency: Sequence[Sequence[int]]) -> GraphNode | None:
        """Build a graph from a 1-indexed adjacency list; return node 1 (``None`` if empty).

        Args:
            adjacency: ``adjacency[i]`` lists the labels adjacent to node ``i + 1``.

        Returns:
            The node labelled 1, or ``None`` for an empty graph.

        Raises:
            ValueError: a label is outside ``1..len(adjacency)``.

        Complexity: O(V + E) time and space.

        >>> GraphNode.from_adjacency([[2], [1]]).neighbors[0].val
        2
        >>> GraphNode.from_adjacency([[3]])
        Traceback (most recent call last):
            ...
        ValueError: neighbour label must be in 1..1, got 3
        """
        nodes = [cls(i + 1) for i in range(len(adjacency))]
        for node, labels in zip(nodes, adjacency, strict=True):
            for label in labels:
                require_int("neighbour label", label)
                if not 1 <= label <= len(nodes):
                    raise ValueError(f"neighbour label must be in 1..{len(nodes)}, got {label!r}")
                node.neighbors.append(nodes[label - 1])
        return nodes[0] if nodes else None

    @staticmethod
    def to_adjacency(node: GraphNode | None) -> list[list[int]]:
        """Return the 1-indexed adjacency list of the graph reachable from ``node``.

        Args:
            node: any node of a connected graph whose labels are ``1..n``, or ``None``.

        Returns:
            ``result[i]`` lists the labels adjacent to node ``i + 1``.

        Complexity: O(V + E) time and space.

        >>> GraphNode.to_adjacency(GraphNode.from_adjacency([[2, 3], [1], [1]]))
        [[2, 3], [1], [1]]
        """
        require_node("node", node, GraphNode)
        if node is None:
            return []
        seen: dict[int, GraphNode] = {node.val: node}
        stack = [node]
        while stack:
            for nb in stack.pop().neighbors:
                if nb.val not in seen:
                    seen[nb.val] = nb
                    stack.append(nb)
        return [[nb.val for nb in seen[label].neighbors] for label in sorted(seen)]
