"""Trie against a set of strings."""

from __future__ import annotations

import gc
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.data_structures import Trie

WORDS = st.text(alphabet="abc", max_size=4)


class TrieMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.trie = Trie()
        self.model: set[str] = set()

    @rule(word=WORDS)
    def insert(self, word: str) -> None:
        assert self.trie.insert(word) is (word not in self.model)
        self.model.add(word)

    @rule(word=WORDS)
    def delete(self, word: str) -> None:
        if word in self.model:
            self.trie.delete(word)
            self.model.remove(word)
        else:
            with pytest.raises(KeyError) as info:
                self.trie.delete(word)
            assert info.value.args == (word,)

    @rule(prefix=WORDS)
    def query(self, prefix: str) -> None:
        expected = sorted(w for w in self.model if w.startswith(prefix))
        assert self.trie.words_with_prefix(prefix) == expected
        assert self.trie.starts_with(prefix) is bool(expected)
        assert (prefix in self.trie) is (prefix in self.model)

    @invariant()
    def agrees(self) -> None:
        self.trie._check_invariants()
        assert len(self.trie) == len(self.model)
        assert list(self.trie) == sorted(self.model)


TestTrieMachine = TrieMachine.TestCase
TestTrieMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


@given(st.lists(st.text(max_size=6), max_size=30), st.text(max_size=2))
@settings(max_examples=80)
def test_words_with_prefix_matches_filter_on_any_unicode(words: list[str], prefix: str):
    trie = Trie()
    for w in words:
        trie.insert(w)
    assert trie.words_with_prefix(prefix) == sorted({w for w in words if w.startswith(prefix)})


def test_delete_prunes_only_dead_branches():
    trie = Trie()
    for w in ["car", "cart", "care"]:
        trie.insert(w)
    trie.delete("cart")
    trie._check_invariants()
    assert trie.words_with_prefix("car") == ["car", "care"]
    assert not trie.starts_with("cart")
    trie.delete("care")
    trie.delete("car")
    assert not trie.starts_with("c")
    trie._check_invariants()


def test_very_long_word_does_not_hit_recursion_limit():
    trie = Trie()
    word = "a" * 5000
    trie.insert(word)
    assert trie.words_with_prefix("aaa") == [word]
    trie.delete(word)
    assert len(trie) == 0


def test_type_errors_name_the_value():
    trie = Trie()
    with pytest.raises(TypeError, match=r"^Trie words must be str, got bytes: b'x'$"):
        trie.insert(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got NoneType: None$"):
        trie.starts_with(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got float: nan$"):
        trie.words_with_prefix(math.nan)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got list: \['a'\]$"):
        trie.delete(["a"])  # type: ignore[arg-type]
    assert 5 not in trie
    assert len(trie) == 0


def _best_time(trie: Trie, prefix: str, runs: int) -> float:
    best = math.inf
    gc.disable()  # a collection landing in one run would swamp the ratio
    try:
        for _ in range(runs):
            start = time.perf_counter()
            trie.words_with_prefix(prefix)
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def test_words_with_prefix_is_linear_in_word_length():
    # A walk that builds `spelled + ch` at every node copies L^2 / 2 characters
    # for one word of length L. From L = 10,000 to 160,000 (16x) that walk took
    # 61x longer when measured; the shared path list takes about 16x. Best of
    # a few runs each; the threshold sits halfway, at 32x.
    short, long = Trie(), Trie()
    short.insert("x" * 10_000)
    long.insert("x" * 160_000)
    ratio = _best_time(long, "x", runs=2) / _best_time(short, "x", runs=5)
    assert ratio < 32, ratio


def test_words_come_out_in_sorted_order_without_a_final_sort():
    trie = Trie()
    words = ["b", "ab", "a", "abc", "B", "é", "e", "", "\U0001f600", "a\U0001f600", "a\x00"]
    for w in words:
        trie.insert(w)
    assert trie.words_with_prefix("") == sorted(words)
    assert trie.words_with_prefix("a") == sorted(w for w in words if w.startswith("a"))
