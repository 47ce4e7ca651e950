"""BinarySearchTree and AVLTree against a sorted list kept with bisect."""

from __future__ import annotations

import bisect
import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.data_structures import AVLTree, BinarySearchTree


class BSTMachine(RuleBasedStateMachine):
    tree_class: type[BinarySearchTree[int]] = BinarySearchTree

    def __init__(self) -> None:
        super().__init__()
        self.tree = self.tree_class()
        self.model: list[int] = []

    @rule(key=st.integers(0, 30))
    def insert(self, key: int) -> None:
        i = bisect.bisect_left(self.model, key)
        new = i == len(self.model) or self.model[i] != key
        if new:
            self.model.insert(i, key)
        assert self.tree.insert(key) is new

    @rule(key=st.integers(0, 30))
    def remove(self, key: int) -> None:
        i = bisect.bisect_left(self.model, key)
        if i < len(self.model) and self.model[i] == key:
            self.tree.remove(key)
            del self.model[i]
        else:
            with pytest.raises(KeyError) as info:
                self.tree.remove(key)
            assert info.value.args == (key,)

    @rule(key=st.integers(-1, 31))
    def contains(self, key: int) -> None:
        i = bisect.bisect_left(self.model, key)
        assert (key in self.tree) == (i < len(self.model) and self.model[i] == key)

    @invariant()
    def agrees(self) -> None:
        self.tree._check_invariants()
        assert list(self.tree) == self.model
        assert len(self.tree) == len(self.model)
        n = len(self.model)
        height = self.tree.height()
        assert (n == 0) == (height == 0)
        assert height <= n
        if n:
            assert height >= math.ceil(math.log2(n + 1))  # a binary tree cannot be shorter


class AVLMachine(BSTMachine):
    tree_class = AVLTree

    @invariant()
    def height_is_logarithmic(self) -> None:
        n = len(self.model)
        # Adelson-Velsky and Landis: height < 1.4405 log2(n + 2) - 0.3277.
        assert self.tree.height() <= 1.4405 * math.log2(n + 2) - 0.3277 + 1e-9


TestBSTMachine = BSTMachine.TestCase
TestBSTMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)
TestAVLMachine = AVLMachine.TestCase
TestAVLMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


def test_sorted_inserts_degenerate_plain_tree_but_not_avl():
    plain: BinarySearchTree[int] = BinarySearchTree()
    avl: AVLTree[int] = AVLTree()
    for k in range(2000):  # deeper than the recursion limit: the plain tree is iterative
        plain.insert(k)
        avl.insert(k)
    assert plain.height() == 2000
    assert avl.height() == 11  # a perfectly balanced tree of 2047 nodes has height 11
    assert list(plain) == list(avl) == list(range(2000))
    for k in range(0, 2000, 2):
        plain.remove(k)
        avl.remove(k)
    plain._check_invariants()
    avl._check_invariants()
    assert list(plain) == list(avl) == list(range(1, 2000, 2))


@given(st.lists(st.text(max_size=3), max_size=40))
@settings(max_examples=60)
def test_any_ordered_type_iterates_sorted(words: list[str]):
    tree: AVLTree[str] = AVLTree()
    for w in words:
        tree.insert(w)
    tree._check_invariants()
    assert list(tree) == sorted(set(words))


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
def test_remove_missing_names_the_key(cls: type[BinarySearchTree[str]]):
    tree = cls()
    tree.insert("a")
    with pytest.raises(KeyError, match=r"^'b'$"):
        tree.remove("b")
    assert list(tree) == ["a"]
    tree.remove("a")
    with pytest.raises(KeyError, match=r"^'a'$"):
        tree.remove("a")


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
@pytest.mark.parametrize("nan", [math.nan, -math.nan, Decimal("NaN"), Decimal("sNaN")])
def test_nan_is_refused_and_never_found(cls: type[BinarySearchTree[float]], nan: float):
    tree = cls()
    for k in [2.0, 1.0, 3.0]:
        tree.insert(k)
    with pytest.raises(ValueError, match=r"^\w+ keys must not be NaN, got "):
        tree.insert(nan)
    assert nan not in tree  # a NaN compares "equal" to the root: the old code said True
    with pytest.raises(KeyError):
        tree.remove(nan)
    assert list(tree) == [1.0, 2.0, 3.0]
    tree._check_invariants()


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
@pytest.mark.parametrize("bad", [(math.nan,), (1.0, math.nan), (1.0, [2, Decimal("NaN")])])
def test_nan_inside_a_tuple_key_is_refused_too(cls: type[BinarySearchTree[object]], bad: object):
    # (1.0, nan) is neither less nor greater than (1.0, 2.0): the same silent
    # failure as a bare NaN (the old code answered `(nan,) in t` with True).
    tree = cls()
    for k in [(1.0,), (1.0, 2.0), (0.0, [2, 3])]:
        tree.insert(k)
    message = "^" + re.escape(f"{cls.__name__} keys must not contain NaN, got {bad!r}") + "$"
    with pytest.raises(ValueError, match=message):
        tree.insert(bad)
    assert bad not in tree
    with pytest.raises(KeyError):
        tree.remove(bad)
    assert list(tree) == [(0.0, [2, 3]), (1.0,), (1.0, 2.0)]
    tree._check_invariants()


def test_a_list_key_that_contains_itself_is_checked_without_recursing_forever():
    loop: list[object] = [1]
    loop.append(loop)
    tree: BinarySearchTree[list[object]] = BinarySearchTree()
    assert tree.insert(loop)
    assert loop in tree


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
def test_infinities_and_signed_zero_are_ordinary_keys(cls: type[BinarySearchTree[float]]):
    tree = cls()
    for k in [0.0, math.inf, -math.inf, 1e308, -0.0]:
        tree.insert(k)
    assert list(tree) == [-math.inf, 0.0, 1e308, math.inf]  # -0.0 == 0.0: a duplicate
    assert -0.0 in tree
    tree._check_invariants()


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
def test_unorderable_and_mixed_keys_raise_type_error_naming_the_key(
    cls: type[BinarySearchTree[object]],
):
    tree = cls()
    name = cls.__name__
    for bad, shown in [(None, "NoneType: None"), ({}, "dict: {}"), (1j, "complex: 1j")]:
        with pytest.raises(
            TypeError, match="^" + re.escape(f"{name} keys must support <, got {shown}") + "$"
        ):
            tree.insert(bad)
    tree.insert(1)
    message = "^" + re.escape(f"cannot compare 'a' with the keys of this {name}") + "$"
    with pytest.raises(TypeError, match=message):
        tree.insert("a")
    with pytest.raises(TypeError, match=message):
        "a" in tree  # noqa: B015 - the comparison itself raises
    with pytest.raises(TypeError, match=message):
        tree.remove("a")
    assert list(tree) == [1]
    tree._check_invariants()


@pytest.mark.parametrize("cls", [BinarySearchTree, AVLTree])
def test_bools_and_huge_ints_are_ordered_keys(cls: type[BinarySearchTree[int]]):
    tree = cls()
    for k in [10**400, True, -(10**400), 0]:
        tree.insert(k)
    assert list(tree) == [-(10**400), 0, True, 10**400]
    assert 1 in tree  # True == 1, as in a set
