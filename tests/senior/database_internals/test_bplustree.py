"""The B+ tree against a plain dict model, with the invariants checked after every step."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.senior.database_internals import BPlusTree

KEYS = st.integers(min_value=-50, max_value=50)


class BPlusTreeMachine(RuleBasedStateMachine):
    """Random inserts, deletes, lookups and scans, compared with ``dict`` + ``sorted``."""

    def __init__(self) -> None:
        super().__init__()
        self.tree: BPlusTree | None = None
        self.model: dict[int, int] = {}

    @precondition(lambda self: self.tree is None)
    @rule(order=st.integers(min_value=3, max_value=8))
    def create(self, order: int) -> None:
        self.tree = BPlusTree(order=order)

    @precondition(lambda self: self.tree is not None)
    @rule(key=KEYS, value=st.integers())
    def insert(self, key: int, value: int) -> None:
        assert self.tree is not None
        self.tree.insert(key, value)
        self.model[key] = value

    @precondition(lambda self: self.tree is not None)
    @rule(key=KEYS)
    def delete(self, key: int) -> None:
        assert self.tree is not None
        if key in self.model:
            self.tree.delete(key)
            del self.model[key]
        else:
            with pytest.raises(KeyError):
                self.tree.delete(key)

    @precondition(lambda self: self.tree is not None and bool(self.model))
    @rule(data=st.data())
    def delete_present(self, data: st.DataObject) -> None:
        assert self.tree is not None
        key = data.draw(st.sampled_from(sorted(self.model)))
        self.tree.delete(key)
        del self.model[key]

    @precondition(lambda self: self.tree is not None)
    @rule(key=KEYS)
    def get(self, key: int) -> None:
        assert self.tree is not None
        if key in self.model:
            assert self.tree.get(key) == self.model[key]
        else:
            with pytest.raises(KeyError):
                self.tree.get(key)

    @precondition(lambda self: self.tree is not None)
    @rule(low=KEYS, high=KEYS)
    def scan(self, low: int, high: int) -> None:
        assert self.tree is not None
        expected = [(k, self.model[k]) for k in sorted(self.model) if low <= k < high]
        assert list(self.tree.range(low, high)) == expected

    @invariant()
    def matches_model(self) -> None:
        if self.tree is None:
            return
        self.tree._check_invariants()
        assert len(self.tree) == len(self.model)
        assert list(self.tree.items()) == sorted(self.model.items())


TestBPlusTreeMachine = BPlusTreeMachine.TestCase
TestBPlusTreeMachine.settings = settings(max_examples=40, stateful_step_count=50, deadline=None)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 400), unique=True, min_size=1, max_size=300), st.randoms())
def test_grow_then_shrink_to_empty(keys: list[int], rnd: object) -> None:
    tree = BPlusTree(order=4)
    for k in keys:
        tree.insert(k, -k)
        tree._check_invariants()
    order = list(keys)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    for k in order:
        tree.delete(k)
        tree._check_invariants()
    assert len(tree) == 0
    assert tree.height == 1


def _sequences(n: int) -> dict[str, list[int]]:
    ascending = list(range(n))
    middle_out = sorted(ascending, key=lambda k: (abs(2 * k - n), k))
    return {"ascending": ascending, "descending": ascending[::-1], "middle-out": middle_out}


@pytest.mark.parametrize("order", range(3, 9))
def test_adversarial_insert_then_delete_orders(order: int) -> None:
    """Sorted and middle-out inserts, then deletes in every such order, at every order 3..8.

    Ascending inserts always split the rightmost leaf, descending ones the
    leftmost, and ascending deletes always underflow the leftmost leaf, which
    has no left sibling: the paths a random workload rarely hits.
    """
    n = order * order + 2 * order
    for insert_name, inserts in _sequences(n).items():
        for delete_name, deletes in _sequences(n).items():
            tree = BPlusTree(order=order)
            for k in inserts:
                tree.insert(k, -k)
            tree._check_invariants()
            assert tree.height >= 3, "the tree should be deep enough to cascade"
            for step, k in enumerate(deletes):
                tree.delete(k)
                tree._check_invariants()
                assert len(tree) == n - step - 1
                lo = deletes[(step * 7) % n]
                expected = [(j, -j) for j in sorted(deletes[step + 1 :]) if lo <= j < lo + order]
                assert list(tree.range(lo, lo + order)) == expected, (insert_name, delete_name)
            assert (len(tree), tree.height, list(tree.items())) == (0, 1, [])


def test_fill_bounds_follow_from_order() -> None:
    """``order`` is the most children: at most order - 1 keys, at least ceil(order / 2) - 1."""
    for order in range(3, 9):
        tree = BPlusTree(order=order)
        keys = list(range(500))
        random.Random(order).shuffle(keys)  # ascending inserts never leave a node full
        for k in keys:
            tree.insert(k, k)
        sizes = _node_key_counts(tree)
        assert max(sizes) == order - 1
        assert min(sizes[1:]) >= math.ceil(order / 2) - 1  # sizes[0] is the root
        assert all(len(c) <= order for c in _children_counts(tree))


def test_ascending_inserts_leave_every_leaf_but_the_last_half_full() -> None:
    """A split in half on the rightmost leaf: the cost of serial keys the chapter describes."""
    for order in range(3, 9):
        tree = BPlusTree(order=order)
        for k in range(200):
            tree.insert(k, k)
        leaves = [node for node in _nodes(tree) if node.leaf]
        leaves.sort(key=lambda leaf: leaf.keys[0])
        assert {len(leaf.keys) for leaf in leaves[:-1]} == {order // 2}


def _nodes(tree: BPlusTree) -> list[Any]:
    out, todo = [], [tree._root]
    while todo:
        node = todo.pop(0)
        out.append(node)
        todo.extend(node.children)
    return out


def _node_key_counts(tree: BPlusTree) -> list[int]:
    return [len(node.keys) for node in _nodes(tree)]


def _children_counts(tree: BPlusTree) -> list[list[Any]]:
    return [node.children for node in _nodes(tree) if not node.leaf]


def test_invariant_checker_catches_broken_trees() -> None:
    """The checker is what the state machine trusts, so prove it can fail."""

    def fresh() -> BPlusTree:
        tree = BPlusTree(order=4)
        for k in range(30):
            tree.insert(k, k)
        return tree

    tree = fresh()
    leaf = tree._leftmost_leaf()
    while len(leaf.keys) >= tree._min_keys:
        leaf.keys.pop(), leaf.values.pop()
        tree._size -= 1
    with pytest.raises(AssertionError, match="underfull node"):
        tree._check_invariants()
    tree = fresh()
    tree._leftmost_leaf().next = None
    with pytest.raises(AssertionError, match="leaf chain"):
        tree._check_invariants()
    tree = fresh()
    tree._root.keys[0] += 100
    with pytest.raises(AssertionError, match="not below separator|below separator"):
        tree._check_invariants()


def test_height_is_logarithmic() -> None:
    tree = BPlusTree(order=4)
    for k in range(1000):
        tree.insert(k, k)
    tree._check_invariants()
    # Every non-root internal node has >= 2 children, leaves hold >= 1 key.
    assert tree.height <= 1 + math.ceil(math.log2(1000))
    assert tree.height >= math.ceil(math.log(1000, 4))


def test_insert_replaces_value_without_growing() -> None:
    tree = BPlusTree()
    tree.insert("k", 1)
    tree.insert("k", 2)
    assert (len(tree), tree.get("k")) == (1, 2)
    assert "k" in tree
    assert "j" not in tree


def test_range_detects_concurrent_modification() -> None:
    tree = BPlusTree()
    for k in range(10):
        tree.insert(k, k)
    scan = tree.range(0, 10)
    assert next(scan) == (0, 0)
    tree.insert(99, 99)
    with pytest.raises(RuntimeError, match="changed during range"):
        next(scan)


def test_range_with_inverted_bounds_is_empty() -> None:
    tree = BPlusTree()
    for k in range(10):
        tree.insert(k, k)
    assert list(tree.range(7, 3)) == []


@pytest.mark.parametrize(
    ("order", "error", "message"),
    [
        (2, ValueError, "order must be >= 3, got 2"),
        (-1, ValueError, "order must be >= 3, got -1"),
        (True, TypeError, "order must be an int, got bool: True"),
        (4.0, TypeError, "order must be an int, got float: 4.0"),
        ("4", TypeError, "order must be an int, got str: '4'"),
    ],
)
def test_bad_order(order: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        BPlusTree(order=order)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["insert", "get", "delete", "range"])
@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        (float("nan"), ValueError, "key must not be NaN, got nan"),
        (None, TypeError, "key must not be None, got None"),
        ("x", TypeError, "key 'x' cannot be ordered against the tree's keys"),
    ],
)
def test_bad_keys(method: str, key: object, error: type[Exception], message: str) -> None:
    tree = BPlusTree()
    for k in range(20):
        tree.insert(k, k)
    args = {"insert": (key, 1), "get": (key,), "delete": (key,), "range": (key, 5)}[method]
    with pytest.raises(error, match=message):
        getattr(tree, method)(*args)
    tree._check_invariants()
    assert len(tree) == 20


def test_infinite_keys_are_ordered_fine() -> None:
    tree = BPlusTree()
    for k in (math.inf, -math.inf, 0.0, 1e308):
        tree.insert(k, str(k))
    assert [k for k, _ in tree.range(-math.inf, math.inf)] == [-math.inf, 0.0, 1e308]
