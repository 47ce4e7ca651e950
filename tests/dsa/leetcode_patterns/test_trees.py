"""Tree solutions against nested-tuple definitions, networkx, and the recursive answers."""

from __future__ import annotations

import contextlib
import itertools
import random
import sys
from collections.abc import Callable, Iterator
from typing import Union

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.nodes import TreeNode
from studybook.dsa.leetcode_patterns.trees import (
    Codec,
    balanced_binary_tree,
    binary_tree_level_order_traversal,
    binary_tree_maximum_path_sum,
    binary_tree_right_side_view,
    construct_binary_tree_from_preorder_and_inorder_traversal,
    diameter_of_binary_tree,
    invert_binary_tree,
    kth_smallest_element_in_a_bst,
    lowest_common_ancestor_of_a_binary_search_tree,
    lowest_common_ancestor_of_a_binary_tree,
    maximum_depth_of_binary_tree,
    same_tree,
    subtree_of_another_tree,
    validate_binary_search_tree,
)

FAST = settings(max_examples=48, deadline=None, derandomize=True)

# A tree is None or (value, left, right): the model the solutions are checked against.
Tup = Union[None, tuple[int, "Tup", "Tup"]]  # noqa: UP007 - a recursive alias needs a string
trees = st.recursive(
    st.none(),
    lambda sub: st.tuples(st.integers(-5, 5), sub, sub),
    max_leaves=10,
)


def build(t: Tup) -> TreeNode | None:
    return None if t is None else TreeNode(t[0], build(t[1]), build(t[2]))


def tup(node: TreeNode | None) -> Tup:
    return None if node is None else (node.val, tup(node.left), tup(node.right))


def preorder(t: Tup) -> list[int]:
    return [] if t is None else [t[0], *preorder(t[1]), *preorder(t[2])]


def inorder(t: Tup) -> list[int]:
    return [] if t is None else [*inorder(t[1]), t[0], *inorder(t[2])]


def relabel(t: Tup) -> Tup:
    """The same shape with distinct values 0..n-1 in preorder."""
    counter = itertools.count()

    def go(s: Tup) -> Tup:
        return None if s is None else (next(counter), go(s[1]), go(s[2]))

    return go(t)


def height(t: Tup) -> int:
    return 0 if t is None else 1 + max(height(t[1]), height(t[2]))


def subtrees(t: Tup) -> list[Tup]:
    return [] if t is None else [t, *subtrees(t[1]), *subtrees(t[2])]


def bst_from(values: list[int]) -> Tup:
    def insert(t: Tup, v: int) -> Tup:
        if t is None:
            return (v, None, None)
        if v < t[0]:
            return (t[0], insert(t[1], v), t[2])
        return (t[0], t[1], insert(t[2], v))

    t: Tup = None
    for v in values:
        t = insert(t, v)
    return t


distinct_values = st.lists(st.integers(0, 30), min_size=1, max_size=12, unique=True)


def path_to(t: Tup, value: int) -> list[int] | None:
    if t is None:
        return None
    if t[0] == value:
        return [value]
    for child in (t[1], t[2]):
        below = path_to(child, value)
        if below is not None:
            return [t[0], *below]
    return None


def as_graph(t: Tup) -> tuple[nx.Graph, dict[int, int]]:
    """Undirected graph on preorder positions, plus each position's value."""
    g: nx.Graph = nx.Graph()
    vals: dict[int, int] = {}
    counter = itertools.count()

    def go(s: Tup, parent: int | None) -> None:
        if s is None:
            return
        me = next(counter)
        vals[me] = s[0]
        g.add_node(me)
        if parent is not None:
            g.add_edge(parent, me)
        go(s[1], me)
        go(s[2], me)

    go(t, None)
    return g, vals


def mirror(t: Tup) -> Tup:
    return None if t is None else (t[0], mirror(t[2]), mirror(t[1]))


@FAST
@given(trees)
def test_invert_matches_mirror(t: Tup) -> None:
    assert tup(invert_binary_tree(build(t))) == mirror(t)


@FAST
@given(trees)
def test_max_depth_matches_height(t: Tup) -> None:
    assert maximum_depth_of_binary_tree(build(t)) == height(t)


@FAST
@given(trees, trees, st.booleans())
def test_same_tree_matches_tuple_equality(a: Tup, b: Tup, copy: bool) -> None:
    b = a if copy else b
    assert same_tree(build(a), build(b)) == (a == b)


@FAST
@given(trees, st.data())
def test_subtree_matches_enumeration(t: Tup, data: st.DataObject) -> None:
    candidates = subtrees(t)
    sub = data.draw(st.one_of(st.sampled_from(candidates), trees) if candidates else trees)
    expected = sub is None or sub in candidates
    assert subtree_of_another_tree(build(t), build(sub)) == expected


def levels(t: Tup) -> list[list[int]]:
    out: list[list[int]] = []

    def go(s: Tup, depth: int) -> None:
        if s is None:
            return
        if depth == len(out):
            out.append([])
        out[depth].append(s[0])  # preorder visits each level left to right
        go(s[1], depth + 1)
        go(s[2], depth + 1)

    go(t, 0)
    return out


@FAST
@given(trees)
def test_level_order_and_right_view_match_depth_buckets(t: Tup) -> None:
    assert binary_tree_level_order_traversal(build(t)) == levels(t)
    assert binary_tree_right_side_view(build(t)) == [level[-1] for level in levels(t)]


def is_bst(t: Tup) -> bool:
    if t is None:
        return True
    left, right = inorder(t[1]), inorder(t[2])
    return (
        all(v < t[0] for v in left)
        and all(v > t[0] for v in right)
        and is_bst(t[1])
        and is_bst(t[2])
    )


@FAST
@given(st.one_of(trees, distinct_values.map(bst_from)))
def test_validate_bst_matches_definition(t: Tup) -> None:
    assert validate_binary_search_tree(build(t)) == is_bst(t)


@FAST
@given(distinct_values, st.data())
def test_kth_smallest_matches_sorting(vals: list[int], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(vals)))
    assert kth_smallest_element_in_a_bst(build(bst_from(vals)), k) == sorted(vals)[k - 1]
    with pytest.raises(ValueError, match=f"got {len(vals) + 1}"):
        kth_smallest_element_in_a_bst(build(bst_from(vals)), len(vals) + 1)


def naive_lca(t: Tup, p: int, q: int) -> int:
    pp, qp = path_to(t, p), path_to(t, q)
    assert pp is not None
    assert qp is not None
    common = [a for a, b in zip(pp, qp, strict=False) if a == b]
    return common[-1]


@FAST
@given(distinct_values, st.data())
def test_lca_of_bst_matches_common_path_prefix(vals: list[int], data: st.DataObject) -> None:
    t = bst_from(vals)
    p, q = data.draw(st.sampled_from(vals)), data.draw(st.sampled_from(vals))
    assert lowest_common_ancestor_of_a_binary_search_tree(build(t), p, q).val == naive_lca(t, p, q)


@FAST
@given(trees.filter(lambda t: t is not None), st.data())
def test_lca_of_binary_tree_matches_common_path_prefix(t: Tup, data: st.DataObject) -> None:
    t = relabel(t)
    vals = preorder(t)
    p, q = data.draw(st.sampled_from(vals)), data.draw(st.sampled_from(vals))
    assert lowest_common_ancestor_of_a_binary_tree(build(t), p, q).val == naive_lca(t, p, q)
    with pytest.raises(ValueError, match="value -1 is not in the tree"):
        lowest_common_ancestor_of_a_binary_tree(build(t), p, -1)


@FAST
@given(trees)
def test_construct_from_walks_rebuilds_the_tree(t: Tup) -> None:
    t = relabel(t)
    rebuilt = construct_binary_tree_from_preorder_and_inorder_traversal(preorder(t), inorder(t))
    assert tup(rebuilt) == t


@FAST
@given(trees.filter(lambda t: t is not None))
def test_max_path_sum_matches_all_node_pairs(t: Tup) -> None:
    g, vals = as_graph(t)
    best = max(sum(vals[v] for v in nx.shortest_path(g, a, b)) for a in g.nodes for b in g.nodes)
    assert binary_tree_maximum_path_sum(build(t)) == best


@FAST
@given(trees)
def test_codec_round_trips(t: Tup) -> None:
    codec = Codec()
    assert tup(codec.deserialize(codec.serialize(build(t)))) == t


def test_codec_rejects_malformed_data() -> None:
    for bad in ("", "1,#", "#,#", "x,#,#"):
        with pytest.raises(ValueError, match="malformed tree serialization"):
            Codec().deserialize(bad)


@FAST
@given(trees)
def test_diameter_matches_networkx(t: Tup) -> None:
    g, _ = as_graph(t)
    expected = nx.diameter(g) if len(g) else 0
    assert diameter_of_binary_tree(build(t)) == expected


def balanced(t: Tup) -> bool:
    return t is None or (
        abs(height(t[1]) - height(t[2])) <= 1 and balanced(t[1]) and balanced(t[2])
    )


@FAST
@given(trees)
def test_balanced_matches_definition(t: Tup) -> None:
    assert balanced_binary_tree(build(t)) == balanced(t)


def test_errors() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        binary_tree_maximum_path_sum(None)
    with pytest.raises(ValueError, match="same distinct values"):
        construct_binary_tree_from_preorder_and_inorder_traversal([1, 1], [1, 1])
    with pytest.raises(ValueError, match="value 7 is not in the tree"):
        lowest_common_ancestor_of_a_binary_search_tree(build(bst_from([2, 1, 3])), 7, 1)


def chain(values: range) -> TreeNode | None:
    """A left-leaning chain, deeper than CPython's default recursion limit of 1000."""
    root: TreeNode | None = None
    for value in reversed(values):
        root = TreeNode(value, root)
    return root


def test_same_tree_and_subtree_survive_a_chain_of_5000_nodes() -> None:
    assert same_tree(chain(range(5000)), chain(range(5000)))
    assert not same_tree(chain(range(5000)), chain(range(4999)))
    assert subtree_of_another_tree(chain(range(5000)), chain(range(2500, 5000)))
    assert not subtree_of_another_tree(chain(range(5000)), chain(range(2500, 5001)))


# The interview answers: the short recursive forms the chapter shows next to the library code.
# They are the reference the explicit-stack solutions are checked against, on deep trees
# too (under a raised recursion limit, see deep_recursion below).


def invert_recursive(root: TreeNode | None) -> TreeNode | None:
    if root is not None:
        root.left, root.right = invert_recursive(root.right), invert_recursive(root.left)
    return root


def max_depth_recursive(root: TreeNode | None) -> int:
    if root is None:
        return 0
    return 1 + max(max_depth_recursive(root.left), max_depth_recursive(root.right))


def balanced_recursive(root: TreeNode | None) -> bool:
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


def diameter_recursive(root: TreeNode | None) -> int:
    best = 0

    def height(node: TreeNode | None) -> int:
        nonlocal best
        if node is None:
            return 0
        left, right = height(node.left), height(node.right)
        best = max(best, left + right)  # the longest path bending at node
        return 1 + max(left, right)

    height(root)
    return best


def max_path_sum_recursive(root: TreeNode) -> int:
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


def lca_recursive(node: TreeNode | None, p: int, q: int) -> TreeNode | None:
    # Returns the LCA if both values are below node, else whichever one is found, else None.
    if node is None or node.val in (p, q):
        return node
    left, right = lca_recursive(node.left, p, q), lca_recursive(node.right, p, q)
    if left is not None and right is not None:
        return node  # one value on each side: node is where the paths split
    return left if left is not None else right


def build_tree_recursive(preorder: list[int], inorder: list[int]) -> TreeNode | None:
    position = {value: i for i, value in enumerate(inorder)}
    next_root = iter(preorder)

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


def deserialize_recursive(data: str) -> TreeNode | None:
    pieces = iter(data.split(","))

    def build() -> TreeNode | None:
        piece = next(pieces)
        if piece == "#":
            return None
        node = TreeNode(int(piece))
        node.left = build()  # the left subtree's pieces come first
        node.right = build()
        return node

    return build()


@contextlib.contextmanager
def deep_recursion(limit: int = 20_000) -> Iterator[None]:
    """Let the recursive references run on deep trees; the library code never needs this."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def random_deep_tree(seed: int, n: int = 5000) -> TreeNode:
    """n nodes with distinct values in -n..n-1, each hung under one of the 4 newest nodes.

    Attaching near the newest node keeps the tree deep (depth about 2000 for n = 5000)
    while still branching, unlike a plain chain.
    """
    rng = random.Random(seed)
    values = rng.sample(range(-n, n), n)
    nodes = [TreeNode(values[0])]
    for value in values[1:]:
        parent = rng.choice(nodes[-4:])
        free = [side for side in ("left", "right") if getattr(parent, side) is None]
        if not free:
            parent, free = nodes[-1], ["left", "right"]  # the newest node has no children yet
        child = TreeNode(value)
        setattr(parent, rng.choice(free), child)
        nodes.append(child)
    return nodes[0]


def right_chain(values: range) -> TreeNode | None:
    root: TreeNode | None = None
    for value in reversed(values):
        root = TreeNode(value, None, root)
    return root


def walks(root: TreeNode | None) -> tuple[list[int], list[int]]:
    """Preorder and inorder values, without recursion (the trees below are deep)."""
    pre: list[int] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        pre.append(node.val)
        stack.extend(child for child in (node.right, node.left) if child is not None)
    ino: list[int] = []
    pending: list[TreeNode] = []
    current = root
    while pending or current is not None:
        while current is not None:
            pending.append(current)
            current = current.left
        current = pending.pop()
        ino.append(current.val)
        current = current.right
    return pre, ino


DEEP_SHAPES: dict[str, Callable[[], TreeNode | None]] = {
    "left chain of 5000": lambda: chain(range(5000)),
    "right chain of 5000": lambda: right_chain(range(-2500, 2500)),
    "random deep tree": lambda: random_deep_tree(1),
}


def library_and_reference_answers(
    make: Callable[[], TreeNode | None],
) -> list[tuple[object, object]]:
    """(library answer, recursive answer) for each tree solution on the tree ``make`` builds.

    Invert mutates its tree, so it gets fresh copies; the other solutions share one.
    """
    codec = Codec()
    root = make()
    assert root is not None
    text = codec.serialize(root)
    pre, ino = walks(root)
    leaf = pre[-1]  # the last node in preorder is a leaf
    pairs = [(pre[0], leaf), (leaf, ino[0]), (ino[len(ino) // 2], leaf), (ino[-1], ino[-1])]
    library = [
        codec.serialize(invert_binary_tree(make())),
        maximum_depth_of_binary_tree(root),
        balanced_binary_tree(root),
        diameter_of_binary_tree(root),
        binary_tree_maximum_path_sum(root),
        [lowest_common_ancestor_of_a_binary_tree(root, p, q).val for p, q in pairs],
        codec.serialize(construct_binary_tree_from_preorder_and_inorder_traversal(pre, ino)),
        codec.serialize(codec.deserialize(text)),
    ]
    with deep_recursion():
        reference = [
            codec.serialize(invert_recursive(make())),
            max_depth_recursive(root),
            balanced_recursive(root),
            diameter_recursive(root),
            max_path_sum_recursive(root),
            [getattr(lca_recursive(root, p, q), "val", None) for p, q in pairs],
            codec.serialize(build_tree_recursive(pre, ino)),
            codec.serialize(deserialize_recursive(text)),
        ]
    assert reference[-1] == text  # the round trip is exact
    return list(zip(library, reference, strict=True))


@pytest.mark.parametrize("shape", DEEP_SHAPES)
def test_tree_solutions_on_deep_trees_match_the_recursive_answers(shape: str) -> None:
    depth = len(binary_tree_level_order_traversal(DEEP_SHAPES[shape]()))  # BFS: no recursion
    assert depth > sys.getrecursionlimit()  # the recursive forms fail here without help
    for library, reference in library_and_reference_answers(DEEP_SHAPES[shape]):
        assert library == reference


def alternate_signs(t: Tup) -> Tup:
    """Negate the even values: distinct values stay distinct, and paths now have negative nodes."""
    if t is None:
        return None
    return (t[0] if t[0] % 2 else -t[0], alternate_signs(t[1]), alternate_signs(t[2]))


@FAST
@given(trees.filter(lambda t: t is not None))
def test_tree_solutions_match_the_recursive_answers_on_random_trees(t: Tup) -> None:
    t = alternate_signs(relabel(t))  # distinct values, as LCA and the construction need
    for library, reference in library_and_reference_answers(lambda: build(t)):
        assert library == reference
