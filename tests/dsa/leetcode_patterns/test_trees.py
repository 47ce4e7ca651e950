"""Tree solutions against naive recursive definitions on nested tuples (and networkx)."""

from __future__ import annotations

import itertools
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
